package chat

import (
	"context"
	"slices"
	"sync"
	"unsafe"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/cards"
)

// A compact catalog builds summary cards without reading the store: for
// each indexed record it keeps, in a few bytes an answer, what
// [cards.Builder.Summary] reads of the whole record that the slim record
// lacks. Section and detail cards, which quote the publisher's free text,
// still read the whole record ([Catalog.Full]).

// claimKeys are the claims of the summary card's fact grids: it shows the
// text of those answered in free text.
var claimKeys = func() map[string]bool {
	m := map[string]bool{}
	for _, cl := range attestation.KeyClaims {
		m[cl.Key] = true
	}
	for _, cl := range attestation.MoreClaims {
		m[cl.Key] = true
	}
	return m
}()

// needsText reports whether the summary card shows the text of a: a claim
// answered in free text, or the SOC 2 type and date.
func needsText(a *attestation.Answer) bool {
	if a.Text == "" {
		return false
	}
	switch a.Key {
	case "comp.soc2_type", "comp.soc2_latest_cert_date":
		return true
	}
	return a.Value == attestation.ValueText && claimKeys[a.Key]
}

// viewFull marks an answer code that points into the record's full
// answers.
const viewFull = 1 << 31

// summaryFacts is what a summary card reads of a record beyond its slim
// record, as spans of the views' flat slices: it holds no pointer, and
// neither do codes and text, so the collector scans none of them.
type summaryFacts struct {
	// answers spans one code per answer of the whole record in codes, in
	// order: key, section and value as indexes of the view's tables, or
	// viewFull with the index of the answer in the record's full answers.
	answers, nAnswers uint32
	// full spans, in the views' full, the answers whose text or labels the
	// card shows (a free text claim, the SOC 2 details, a failed control),
	// without the rest.
	full, nFull uint32
	// updated spans the date as written in text.
	updated, nUpdated uint32
	// data tells that the record has statements, services or other APIs
	// (the card then offers its data section).
	data bool
}

// summaryViews holds the summary facts of one index's records and the
// string tables their codes refer to. It is filled while the catalog
// loads and only read afterwards.
type summaryViews struct {
	mu     sync.Mutex // while filling
	tables [3]strTable
	num    map[*attestation.Record]uint32 // slim record → its facts
	facts  []summaryFacts
	codes  []uint32
	full   []attestation.Answer
	text   []byte
}

// strTable numbers distinct strings (keys, sections, values).
type strTable struct {
	idx  map[string]uint32
	strs []string
}

// code returns the number of s, or false when the table is full (max); a
// new string is kept as p's copy.
func (t *strTable) code(p *packer, s string, max int) (uint32, bool) {
	if c, ok := t.idx[s]; ok {
		return c, true
	}
	if len(t.strs) >= max {
		return 0, false
	}
	if t.idx == nil {
		t.idx = map[string]uint32{}
	}
	c := uint32(len(t.strs))
	s = p.str(s)
	t.idx[s] = c
	t.strs = append(t.strs, s)
	return c, true
}

func newSummaryViews() *summaryViews {
	return &summaryViews{num: map[*attestation.Record]uint32{}}
}

// add records the summary facts of whole, the record slim was made from;
// the strings of its full answers are placed in p's blocks.
func (v *summaryViews) add(p *packer, slim, whole *attestation.Record) {
	v.mu.Lock()
	defer v.mu.Unlock()
	f := summaryFacts{answers: uint32(len(v.codes)), nAnswers: uint32(len(whole.Answers)),
		full: uint32(len(v.full)), updated: uint32(len(v.text)), nUpdated: uint32(len(whole.UpdatedRaw)),
		data: len(whole.Statements) > 0 || len(whole.Services) > 0 || len(whole.OtherAPIs) > 0}
	v.text = append(v.text, whole.UpdatedRaw...)
	for _, a := range whole.Answers {
		if c, ok := v.code(p, a); ok {
			v.codes = append(v.codes, c)
			continue
		}
		keep := attestation.Answer{Key: p.str(a.Key), Section: attestation.Section(p.str(string(a.Section))),
			Value: attestation.Value(p.str(string(a.Value)))}
		if needsText(&a) {
			keep.Text = p.str(a.Text)
		}
		if a.Value == attestation.ValueFail {
			keep.Label, keep.PageLabel = p.str(a.Label), p.str(a.PageLabel)
		}
		v.codes = append(v.codes, viewFull|f.nFull)
		v.full = append(v.full, keep)
		f.nFull++
	}
	v.num[slim] = uint32(len(v.facts))
	v.facts = append(v.facts, f)
}

// done trims the slices grown while filling.
func (v *summaryViews) done() {
	if v == nil {
		return
	}
	v.facts, v.codes = slices.Clip(v.facts), slices.Clip(v.codes)
	v.full, v.text = slices.Clip(v.full), slices.Clip(v.text)
}

// code encodes an answer the card reads no text of; false when it needs
// its text or labels, or a table is full.
func (v *summaryViews) code(p *packer, a attestation.Answer) (uint32, bool) {
	if a.Value == attestation.ValueFail || needsText(&a) {
		return 0, false
	}
	k, ok1 := v.tables[0].code(p, a.Key, 1<<15)
	s, ok2 := v.tables[1].code(p, string(a.Section), 1<<8)
	val, ok3 := v.tables[2].code(p, string(a.Value), 1<<8)
	if !ok1 || !ok2 || !ok3 {
		return 0, false
	}
	return k<<16 | s<<8 | val, true
}

// dataPresent stands for a record's statements: the summary card reads
// only whether there are any.
var dataPresent = []attestation.Statement{{}}

// record returns the record a summary card of slim is built from: slim
// with the facts above, in a record of summaryRecords (give it back with
// releaseRecord once nothing reads it); false when the catalog has none
// for it.
func (v *summaryViews) record(slim *attestation.Record) (*attestation.Record, bool) {
	if v == nil || slim == nil {
		return nil, false
	}
	n, ok := v.num[slim]
	if !ok {
		return nil, false
	}
	f := &v.facts[n]
	r := summaryRecords.Get().(*attestation.Record)
	answers := r.Answers
	*r = *slim
	if f.nUpdated > 0 {
		// text is not written once the views are filled.
		r.UpdatedRaw = unsafe.String(&v.text[f.updated], f.nUpdated)
	}
	if f.data {
		r.Statements = dataPresent
	}
	codes := v.codes[f.answers : f.answers+f.nAnswers]
	full := v.full[f.full : f.full+f.nFull]
	r.Answers = slices.Grow(answers[:0], len(codes))[:len(codes)]
	keys, secs, vals := v.tables[0].strs, v.tables[1].strs, v.tables[2].strs
	for i, c := range codes {
		if c&viewFull != 0 {
			r.Answers[i] = full[c&^viewFull]
			continue
		}
		r.Answers[i] = attestation.Answer{Key: keys[c>>16], Section: attestation.Section(secs[c>>8&0xff]),
			Value: attestation.Value(vals[c&0xff])}
	}
	return r, true
}

// summaryRecords holds the records summaryViews.record rebuilds, with room
// for their answers: a record (about 60 answers, 7 KB) is read only while
// its summary card is built, on the path of the first question about an
// app.
var summaryRecords = sync.Pool{New: func() any { return new(attestation.Record) }}

// maxPooledAnswers bounds the answers of a record given back to
// summaryRecords (a page has about 60).
const maxPooledAnswers = 256

// releaseRecord gives r, a record of summaryViews.record that nothing
// reads any more, back to summaryRecords. It clears r first: a pooled
// record keeps no string of a catalog that a reload replaced, and a
// pointer into r kept by mistake reads empty values
// (TestSummaryCardPooledRecord).
func releaseRecord(r *attestation.Record) {
	answers := r.Answers
	if cap(answers) > maxPooledAnswers {
		answers = nil
	}
	clear(answers)
	*r = attestation.Record{Answers: answers[:0]}
	summaryRecords.Put(r)
}

// summaryCard returns build's card of the record the summary card of r, a
// record of the index, is built from: r itself when the catalog keeps
// whole records, else a record rebuilt from the index's summary facts (no
// store read), else the whole record ([Catalog.Full]). Only the summary
// card may read it: it lacks the publisher's free text. A record rebuilt
// from the summary facts is given back for the next card once build
// returns: build must keep no pointer into the record or its answers. [cards.Builder.Summary] keeps none: it copies the strings it
// shows, which point into the catalog's blocks, not into the record.
func (c *Catalog) summaryCard(ctx context.Context, r *attestation.Record, build func(*attestation.Record) *cards.AdaptiveCard) *cards.AdaptiveCard {
	if r == nil || c.get == nil {
		return build(r)
	}
	v, ok := c.views.Load().record(r)
	if !ok {
		return build(c.Full(ctx, r))
	}
	card := build(v)
	releaseRecord(v)
	return card
}
