package attestation

import (
	"slices"
	"sort"
	"strings"
)

// keyDefs maps every canonical key to its definition (the first table that
// names it).
var keyDefs = func() map[string]keyDef {
	m := map[string]keyDef{}
	for _, t := range tableOrder {
		for _, d := range keyTables[t] {
			if _, ok := m[d.Key]; !ok {
				m[d.Key] = d
			}
		}
	}
	return m
}()

// VoteStats counts what the cross-locale vote did.
type VoteStats struct {
	// Groups counts the (page, source hash) groups with two or more
	// locales, and Sections the sections compared in them.
	Groups, Sections int
	// Agreed counts the sections whose key sequence was the same in every
	// locale.
	Agreed int
	// Rekeyed counts answers given the key of the majority; Confirmed the
	// answers in doubt whose key the other locales confirmed (their value
	// is read again), and the answers an earlier value vote marked unknown
	// that most locales now read alike (restored); Unknown the answers marked unknown because the
	// locales disagree on their key and no majority decides, or because
	// the other locales read another value, or because their row is
	// missing in this locale (Filled counts those too).
	Rekeyed, Confirmed, Unknown int
	// Filled counts the rows a locale lacks that the sequence of the
	// others has: they are added, unknown, so that every locale of a page
	// at one source hash has the same key sequence. Dropped counts the
	// rows a locale has that the majority's sequence does not: they are
	// removed (their value was in doubt), with a warning and a Repair.
	Filled, Dropped int
	// Repaired lists the records (locale/path) the vote changed.
	Repaired []string
}

// voteKeys compares, for every page at one source hash, the key sequence of
// each section across locales: the same English source has the same rows,
// so the sequences must agree (corpus.md §7.2 #3). The sequence most
// locales share wins; a tie goes to the sequence whose rows are most often
// pinned by a known label or value. A locale with as many rows re-keys
// them to the winner's keys; one with another row count keeps its rows but
// the answers where it departs from the winner become unknown. Every change
// is written to the record as a warning and a Repair.
func voteKeys(recs []*Record) VoteStats {
	var st VoteStats
	groups := siblingGroups(recs, func(r *Record) bool { return len(r.Answers) > 0 })
	keys := make([]string, 0, len(groups))
	for k, g := range groups {
		if len(g) > 1 {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	repaired := map[*Record]bool{}
	for _, k := range keys {
		g := groups[k]
		sort.Slice(g, func(i, j int) bool { return g[i].Locale < g[j].Locale })
		st.Groups++
		for _, sec := range Sections {
			st.Sections++
			voteSection(g, sec, &st, repaired)
		}
	}
	for r := range repaired {
		st.Repaired = append(st.Repaired, r.ID())
	}
	sort.Strings(st.Repaired)
	return st
}

// sectionRows returns the indexes of r's answers in section sec.
func sectionRows(r *Record, sec Section) []int {
	var idx []int
	for i := range r.Answers {
		if r.Answers[i].Section == sec {
			idx = append(idx, i)
		}
	}
	return idx
}

type ballot struct {
	seq     []string
	locales []string
	pinned  int
}

func voteSection(g []*Record, sec Section, st *VoteStats, repaired map[*Record]bool) {
	v := &sectionVote{g: g, rows: make([][]int, len(g)), st: st, repaired: repaired}
	ballots, present := v.collect(sec)
	if present == 0 {
		return
	}
	if len(ballots) == 1 {
		if present > 1 {
			st.Agreed++
			// Every locale agrees: answers held in doubt are confirmed.
			for i, r := range g {
				v.confirmRows(i, r, ballots[0].locales)
			}
		}
		// A locale without the section takes its rows, unknown.
		v.fitAll(sec, ballots[0])
		return
	}
	sort.SliceStable(ballots, func(i, j int) bool {
		a, b := ballots[i], ballots[j]
		if len(a.locales) != len(b.locales) {
			return len(a.locales) > len(b.locales)
		}
		return a.pinned*len(b.locales) > b.pinned*len(a.locales)
	})
	win, second := ballots[0], ballots[1]
	tie := len(win.locales) == len(second.locales) && win.pinned*len(second.locales) == second.pinned*len(win.locales)
	for i, r := range g {
		if len(v.rows[i]) > 0 {
			v.settle(i, r, ballots, tie)
		}
	}
	if tie {
		// No majority: every locale takes the rows of every sequence;
		// settle has marked unknown the answers where they depart.
		seq := ballots[0].seq
		var locs []string
		for _, b := range ballots[1:] {
			seq = supersequence(seq, b.seq)
		}
		for _, b := range ballots {
			locs = append(locs, b.locales...)
		}
		sort.Strings(locs)
		win = &ballot{seq: seq, locales: locs}
	}
	v.fitAll(sec, win)
}

// sectionVote is the vote of one page's locales (at one source hash) on
// the key sequence of one section.
type sectionVote struct {
	g []*Record
	// rows[i] are the answer indexes of g[i] in the section.
	rows     [][]int
	st       *VoteStats
	repaired map[*Record]bool
}

// collect reads each locale's key sequence of sec into a ballot; locales
// with the same sequence share one. present counts the locales that have
// the section.
func (v *sectionVote) collect(sec Section) (ballots []*ballot, present int) {
	for i, r := range v.g {
		v.rows[i] = sectionRows(r, sec)
		if len(v.rows[i]) == 0 {
			continue
		}
		present++
		seq := sectionKeys(r, v.rows[i])
		pinned := 0
		for _, ai := range v.rows[i] {
			if r.Answers[ai].Pinned {
				pinned++
			}
		}
		var b *ballot
		for _, o := range ballots {
			if slices.Equal(o.seq, seq) {
				b = o
			}
		}
		if b == nil {
			b = &ballot{seq: seq}
			ballots = append(ballots, b)
		}
		b.locales = append(b.locales, r.Locale)
		b.pinned += pinned
	}
	return ballots, present
}

// sectionKeys returns the keys of r's answers at rows.
func sectionKeys(r *Record, rows []int) []string {
	seq := make([]string, len(rows))
	for j, ai := range rows {
		seq[j] = r.Answers[ai].Key
	}
	return seq
}

// pinnedBy lists the locales other than r, among locs, whose row j is
// pinned to its key by their own label or value: agreement is evidence
// only where some locale knows the row, not where every locale made the
// same guess from the page's structure.
func (v *sectionVote) pinnedBy(r *Record, j int, locs []string) []string {
	var out []string
	for x, o := range v.g {
		if o == r || j >= len(v.rows[x]) || !slices.Contains(locs, o.Locale) {
			continue
		}
		if a := o.Answers[v.rows[x][j]]; a.Pinned && !a.Doubt {
			out = append(out, o.Locale)
		}
	}
	return out
}

// confirmRows confirms g[i]'s answers held in doubt that the locales of
// the agreeing ballot pinned.
func (v *sectionVote) confirmRows(i int, r *Record, locales []string) {
	for j, ai := range v.rows[i] {
		if confirm(r, ai, v.pinnedBy(r, j, locales)) {
			v.st.Confirmed++
			v.repaired[r] = true
		}
	}
}

// settle applies the vote to g[i], whose section has rows: its answers are
// confirmed when it voted with the majority, re-keyed when it has as many
// rows as the majority's sequence, and marked unknown where it departs
// from it (or, without a majority, from any other sequence).
func (v *sectionVote) settle(i int, r *Record, ballots []*ballot, tie bool) {
	win := ballots[0]
	mine := sectionKeys(r, v.rows[i])
	switch {
	case !tie && slices.Equal(mine, win.seq):
		v.confirmRows(i, r, win.locales)
	case tie:
		// No majority: where this locale departs from the other
		// sequences, nothing can be trusted.
		for _, b := range ballots {
			if !slices.Equal(b.seq, mine) {
				v.tally(r, &v.st.Unknown, markDeparture(r, v.rows[i], b.seq, "the locales at this source hash disagree on its key and no majority decides"))
			}
		}
	case len(mine) == len(win.seq):
		v.tally(r, &v.st.Rekeyed, rekey(r, v.rows[i], win, func(j int) []string { return v.pinnedBy(r, j, win.locales) }))
	default:
		v.tally(r, &v.st.Unknown, markDeparture(r, v.rows[i], win.seq, "it departs from the key sequence of "+strings.Join(win.locales, ", ")+" at the same source hash"))
	}
}

// tally adds n answers changed in r to a counter of the vote's stats.
func (v *sectionVote) tally(r *Record, counter *int, n int) {
	*counter += n
	if n > 0 {
		v.repaired[r] = true
	}
}

// confirm restores the value of an answer held in doubt once other locales
// that pinned the row (from) agree on its key.
func confirm(r *Record, ai int, from []string) bool {
	a := &r.Answers[ai]
	if !a.Doubt || a.Key == "" {
		return false
	}
	others := withoutLocale(from, r.Locale)
	if len(others) == 0 {
		return false
	}
	d := keyDefs[a.Key]
	v, ok := answerValue(d.Type, true, a.Text, "")
	if !ok {
		return false
	}
	a.Value, a.Doubt = v, false
	r.Warnings = append(r.Warnings, Warning{File: warningFile(r), Line: a.Line,
		Message: "answer to " + a.Key + " confirmed by " + strings.Join(others, ", ") + " at the same source hash: value read again"})
	r.Repairs = append(r.Repairs, Repair{Field: a.Key, New: string(v), From: others, Note: "key confirmed by the other locales"})
	return true
}

// rekey gives r's rows the keys of the winning sequence. A row takes the
// winner's value reading only where a winning locale pinned that row by
// its label or value; elsewhere it takes the key but stays unknown.
func rekey(r *Record, rows []int, win *ballot, pinnedBy func(j int) []string) int {
	n := 0
	for j, ai := range rows {
		a := &r.Answers[ai]
		want := win.seq[j]
		from := pinnedBy(j)
		if a.Key == want {
			if a.Doubt {
				confirm(r, ai, from)
			}
			continue
		}
		old := a.Key
		a.Key = want
		switch {
		case want == "":
			a.Label = a.PageLabel
			a.Value = textValue(a.Text)
		case len(from) == 0:
			a.Label = keyDefs[want].Label
			a.Value = ValueUnknown
		default:
			d := keyDefs[want]
			a.Label = d.Label
			v, ok := answerValue(d.Type, true, a.Text, "")
			if !ok {
				v = ValueUnknown
			}
			a.Value = v
		}
		a.Doubt = false
		n++
		oldName := old
		if oldName == "" {
			oldName = "no key"
		}
		r.Warnings = append(r.Warnings, Warning{File: warningFile(r), Line: a.Line,
			Message: "row re-keyed from " + oldName + " to " + orNone(want) + " by the key sequence of " + strings.Join(win.locales, ", ") + " at the same source hash"})
		r.Repairs = append(r.Repairs, Repair{Field: orNone(want), Old: old, New: string(a.Value), From: win.locales, Note: "key shift repaired by the cross-locale vote"})
	}
	return n
}

// markDeparture marks unknown the answers of rows that lie where r's key
// sequence departs from seq: between the longest common prefix and the
// longest common suffix.
func markDeparture(r *Record, rows []int, seq []string, why string) int {
	pre := 0
	for pre < len(rows) && pre < len(seq) && r.Answers[rows[pre]].Key == seq[pre] {
		pre++
	}
	suf := 0
	for suf < len(rows)-pre && suf < len(seq)-pre && r.Answers[rows[len(rows)-1-suf]].Key == seq[len(seq)-1-suf] {
		suf++
	}
	n := 0
	for _, ai := range rows[pre : len(rows)-suf] {
		a := &r.Answers[ai]
		if a.Key == "" || a.Value == ValueUnknown {
			continue
		}
		a.Value, a.Doubt = ValueUnknown, false
		n++
		r.Warnings = append(r.Warnings, Warning{File: warningFile(r), Line: a.Line,
			Message: "answer to " + a.Key + " is in doubt (" + why + "): stored as unknown"})
	}
	return n
}

func warningFile(r *Record) string {
	for _, w := range r.Warnings {
		if w.File != "" {
			return w.File
		}
	}
	return r.ID()
}

func withoutLocale(list []string, loc string) []string {
	var out []string
	for _, l := range list {
		if l != loc {
			out = append(out, l)
		}
	}
	return out
}

func orNone(key string) string {
	if key == "" {
		return "no key"
	}
	return key
}

// voteValues compares, for every page at one source hash, the normalized
// yes/no and certification answers of each key across locales: the same
// English answer must read the same. A locale whose value differs from
// the value every other locale gives (at least two of them) is marked
// unknown with a warning; where two locales alone disagree, both are. An
// answer an earlier vote marked unknown still casts the value its page
// reads: when later locales (a sync brings them one at a time) make that
// value the majority's, it is restored, so the locales voted one by one
// end as when imported together. It returns the answers marked unknown
// and those restored.
func voteValues(recs []*Record) (unknown, restored int) {
	groups := siblingGroups(recs, func(r *Record) bool { return len(r.Answers) > 0 })
	for _, g := range groups {
		if len(g) < 2 {
			continue
		}
		for key, casts := range valueCasts(g) {
			u, rs := settleValues(key, casts)
			unknown += u
			restored += rs
		}
	}
	return unknown, restored
}

// valueCast is one locale's answer to a key in the value vote.
type valueCast struct {
	r  *Record
	ai int
	v  Value // the value the page reads
}

// noteValueVote is the Repair note of an answer the value vote marked
// unknown; its Old is the value the page reads.
const noteValueVote = "the other locales at the same source hash read another value"

// valueCasts returns, per key, the first yes/no or certification answer
// of each record of g that has a known value, or that an earlier value
// vote marked unknown.
func valueCasts(g []*Record) map[string][]valueCast {
	byKey := map[string][]valueCast{}
	for _, r := range g {
		seen := map[string]bool{}
		for ai, a := range r.Answers {
			d, ok := keyDefs[a.Key]
			if !ok || seen[a.Key] || (d.Type != typeYN && d.Type != typeCert) {
				continue
			}
			v := a.Value
			if v == ValueUnknown {
				v = votedOut(r, a.Key)
			}
			if v == "" || v == ValueUnknown || isBlank(v) {
				continue
			}
			seen[a.Key] = true
			byKey[a.Key] = append(byKey[a.Key], valueCast{r, ai, v})
		}
	}
	return byKey
}

// votedOut returns the value r's page reads for key when the value vote
// marked it unknown, or "".
func votedOut(r *Record, key string) Value {
	for i := len(r.Repairs) - 1; i >= 0; i-- {
		if rp := r.Repairs[i]; rp.Field == key {
			if rp.Note == noteValueVote {
				return Value(rp.Old)
			}
			return ""
		}
	}
	return ""
}

// settleValues marks unknown the answers to key that every other locale
// (at least as many) reads otherwise, restores those an earlier vote
// marked unknown whose value most locales now read, and returns how many
// it marked and restored.
func settleValues(key string, casts []valueCast) (unknown, restored int) {
	if len(casts) < 2 {
		return 0, 0
	}
	count := map[Value][]string{}
	for _, c := range casts {
		count[c.v] = append(count[c.v], c.r.Locale)
	}
	for _, locs := range count {
		sort.Strings(locs)
	}
	for _, c := range casts {
		a := &c.r.Answers[c.ai]
		mine := len(count[c.v])
		others := len(casts) - mine
		if a.Value == ValueUnknown {
			// Voted out before: restored once most locales read the same.
			if mine >= 2 && mine > others {
				a.Value = c.v
				restored++
				from := withoutLocale(count[c.v], c.r.Locale)
				c.r.Warnings = append(c.r.Warnings, Warning{File: warningFile(c.r), Line: a.Line,
					Message: "answer to " + key + " reads " + string(c.v) + " as in " + strings.Join(from, ", ") +
						" at the same source hash: value restored"})
				c.r.Repairs = append(c.r.Repairs, Repair{Field: key, Old: string(ValueUnknown), New: string(c.v), From: from,
					Note: "the other locales at the same source hash now read the same value"})
			}
			continue
		}
		if len(count) == 1 {
			continue
		}
		var majority Value
		for v, locs := range count {
			if v != c.v && len(locs) == others {
				majority = v
			}
		}
		// Unknown when another value has every other locale and at
		// least as many as this one.
		if majority == "" || others < mine {
			continue
		}
		a.Value = ValueUnknown
		unknown++
		c.r.Warnings = append(c.r.Warnings, Warning{File: warningFile(c.r), Line: a.Line,
			Message: "answer to " + key + " reads " + string(c.v) + " here but " + string(majority) + " in " +
				strings.Join(count[majority], ", ") + " at the same source hash: stored as unknown"})
		c.r.Repairs = append(c.r.Repairs, Repair{Field: key, Old: string(c.v), New: string(ValueUnknown), From: count[majority],
			Note: noteValueVote})
	}
	return unknown, restored
}
