package main

import (
	"github.com/attestbot/attestbot/attestation"
)

// internMax is the longest string shared between records: labels, keys,
// values and the short answers ("Yes", "N/A", "Microsoft Azure") repeat
// across thousands of pages; long free text rarely does.
const internMax = 96

// interner hands out one copy of each repeated short string.
type interner map[string]string

func (in interner) s(v string) string {
	if v == "" || len(v) > internMax {
		return v
	}
	if c, ok := in[v]; ok {
		return c
	}
	in[v] = v
	return v
}

// record makes r share its repeated strings with the records interned
// before it. An import holds every parsed record at once (the reconciling
// of azure pages and translated scope names needs them all): without this,
// the same labels and answers would be held once per page.
func (in interner) record(r *attestation.Record) {
	r.Kind, r.Locale, r.Template = in.s(r.Kind), in.s(r.Locale), in.s(r.Template)
	r.Publisher, r.UpdatedRaw = in.s(r.Publisher), in.s(r.UpdatedRaw)
	r.Type = attestation.PageType(in.s(string(r.Type)))
	r.Certification = attestation.Certification(in.s(string(r.Certification)))
	for i, z := range r.Zones {
		r.Zones[i] = in.s(z)
	}
	for i := range r.Answers {
		a := &r.Answers[i]
		a.Key, a.Label, a.PageLabel, a.Text = in.s(a.Key), in.s(a.Label), in.s(a.PageLabel), in.s(a.Text)
		a.Section, a.Value = attestation.Section(in.s(string(a.Section))), attestation.Value(in.s(string(a.Value)))
	}
	for i := range r.Permissions {
		p := &r.Permissions[i]
		p.Name, p.RawName, p.EntraAppID = in.s(p.Name), in.s(p.RawName), in.s(p.EntraAppID)
		p.Collected, p.Stored = in.s(p.Collected), in.s(p.Stored)
		p.Type = attestation.PermissionType(in.s(string(p.Type)))
	}
	for i := range r.OtherAPIs {
		o := &r.OtherAPIs[i]
		o.API, o.Collected, o.Stored = in.s(o.API), in.s(o.Collected), in.s(o.Stored)
	}
	for i := range r.Services {
		v := &r.Services[i]
		v.Service, v.Data, v.Justification = in.s(v.Service), in.s(v.Data), in.s(v.Justification)
	}
	for i := range r.Statements {
		r.Statements[i].Anchor = in.s(r.Statements[i].Anchor)
	}
}
