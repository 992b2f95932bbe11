package attestation

import (
	"strings"
	"sync"
	"unsafe"
)

// internMax is the longest string that is interned: answers, labels and
// scope names repeat across thousands of pages ("Oui", "Microsoft Teams",
// the translated questions); longer text is copied instead.
const internMax = 160

// maxInterned bounds the intern table; past it strings are copied.
const maxInterned = 1 << 20

// interned holds one copy of each short string seen in pages.
var interned = struct {
	sync.RWMutex
	m map[string]string
}{m: map[string]string{}}

func intern(s string) string {
	interned.RLock()
	v, ok := interned.m[s]
	interned.RUnlock()
	if ok {
		return v
	}
	v = strings.Clone(s)
	interned.Lock()
	if w, ok := interned.m[s]; ok {
		v = w
	} else if len(interned.m) < maxInterned {
		interned.m[v] = v
	}
	interned.Unlock()
	return v
}

// detacher turns strings cut from a page into strings that do not keep the
// page alive.
type detacher struct {
	start, end uintptr // the page text's bytes
}

func newDetacher(page string) detacher {
	p := uintptr(unsafe.Pointer(unsafe.StringData(page)))
	return detacher{start: p, end: p + uintptr(len(page))}
}

// keep returns s detached from the page it was cut from: interned when
// short enough to repeat across pages, copied otherwise. Strings that were
// not cut from the page (constants, text rebuilt while cleaning) are
// returned as they are. Records then hold no reference to the page text,
// and 13,000 records share one copy of each common answer and label.
func (d detacher) keep(s string) string {
	if s == "" {
		return ""
	}
	p := uintptr(unsafe.Pointer(unsafe.StringData(s)))
	if p < d.start || p >= d.end {
		return s
	}
	if len(s) <= internMax {
		return intern(s)
	}
	return strings.Clone(s)
}

// compact detaches every string of a parsed record from the page text.
func compact(r *Record, page string) {
	keep := newDetacher(page).keep
	r.Slug, r.Kind, r.Locale, r.Path = keep(r.Slug), keep(r.Kind), keep(r.Locale), keep(r.Path)
	r.Name, r.Anchor, r.AppSourceID, r.TeamsAppID = keep(r.Name), keep(r.Anchor), keep(r.AppSourceID), keep(r.TeamsAppID)
	r.Publisher, r.UpdatedRaw, r.Template = keep(r.Publisher), keep(r.UpdatedRaw), keep(r.Template)
	r.Certification = Certification(keep(string(r.Certification)))
	for i, z := range r.Zones {
		r.Zones[i] = keep(z)
	}
	l := &r.Links
	l.AppSource, l.TeamsStore, l.Docs, l.Website = keep(l.AppSource), keep(l.TeamsStore), keep(l.Docs), keep(l.Website)
	l.TermsOfUse, l.Privacy, l.AppInfo = keep(l.TermsOfUse), keep(l.Privacy), keep(l.AppInfo)
	for i := range r.Answers {
		a := &r.Answers[i]
		a.Label, a.Text, a.PageLabel = keep(a.Label), keep(a.Text), keep(a.PageLabel)
	}
	for i := range r.Permissions {
		p := &r.Permissions[i]
		p.Name, p.RawName, p.EntraAppID = keep(p.Name), keep(p.RawName), keep(p.EntraAppID)
		p.Collected, p.Stored = keep(p.Collected), keep(p.Stored)
	}
	for i := range r.OtherAPIs {
		o := &r.OtherAPIs[i]
		o.API, o.Collected, o.Stored = keep(o.API), keep(o.Collected), keep(o.Stored)
	}
	for i := range r.Services {
		s := &r.Services[i]
		s.Service, s.Data, s.Justification = keep(s.Service), keep(s.Data), keep(s.Justification)
	}
	for i := range r.Statements {
		s := &r.Statements[i]
		s.Anchor, s.Text = keep(s.Anchor), keep(s.Text)
	}
	if az := r.Azure; az != nil {
		az.AppID, az.CertifiedOnRaw = keep(az.AppID), keep(az.CertifiedOnRaw)
		for i := range az.Apps {
			az.Apps[i].Name, az.Apps[i].AppSourceID = keep(az.Apps[i].Name), keep(az.Apps[i].AppSourceID)
		}
	}
	for i := range r.Index {
		e := &r.Index[i]
		e.Name, e.Slug, e.Publisher = keep(e.Name), keep(e.Slug), keep(e.Publisher)
	}
	m := &r.Meta
	m.SourceHash, m.SourceCommit, m.SourceDate = keep(m.SourceHash), keep(m.SourceCommit), keep(m.SourceDate)
	m.PivotGroup, m.Title = keep(m.PivotGroup), keep(m.Title)
	for i := range r.Warnings {
		r.Warnings[i].File = keep(r.Warnings[i].File)
	}
	for i := range r.Listings {
		r.Listings[i] = keep(r.Listings[i])
	}
	// Trim slices grown while parsing.
	if cap(r.Answers) > len(r.Answers) {
		r.Answers = append([]Answer(nil), r.Answers...)
		if r.Answers == nil {
			r.Answers = []Answer{}
		}
	}
}
