package attestation

// sharedMax is the longest string an [Interner] shares: keys, sections,
// values, locales, scope names and the short answers ("Yes", "N/A",
// "Microsoft Azure") repeat across thousands of records; long free text
// rarely does.
const sharedMax = 96

// Interner hands out one copy of each repeated short string among the
// records it is given. Unlike the parser's own interning, which shares only
// text cut from a page, it also shares text rebuilt while parsing and
// reconciling. The zero value is not usable: make one with
// make(Interner) or Interner{}. It is not safe for concurrent use.
type Interner map[string]string

// String returns the shared copy of s, s itself when it is empty or longer
// than the strings worth sharing.
func (in Interner) String(s string) string {
	if s == "" || len(s) > sharedMax {
		return s
	}
	if c, ok := in[s]; ok {
		return c
	}
	in[s] = s
	return s
}

// Record makes r share its repeated strings with the records interned
// before it.
func (in Interner) Record(r *Record) {
	r.Kind, r.Locale, r.Template = in.String(r.Kind), in.String(r.Locale), in.String(r.Template)
	r.Publisher, r.UpdatedRaw = in.String(r.Publisher), in.String(r.UpdatedRaw)
	r.Type = PageType(in.String(string(r.Type)))
	r.Certification = Certification(in.String(string(r.Certification)))
	for i, z := range r.Zones {
		r.Zones[i] = in.String(z)
	}
	for i := range r.Answers {
		a := &r.Answers[i]
		a.Key, a.Label, a.PageLabel, a.Text = in.String(a.Key), in.String(a.Label), in.String(a.PageLabel), in.String(a.Text)
		a.Section, a.Value = Section(in.String(string(a.Section))), Value(in.String(string(a.Value)))
	}
	for i := range r.Permissions {
		p := &r.Permissions[i]
		p.Name, p.RawName, p.EntraAppID = in.String(p.Name), in.String(p.RawName), in.String(p.EntraAppID)
		p.Collected, p.Stored = in.String(p.Collected), in.String(p.Stored)
		p.Type = PermissionType(in.String(string(p.Type)))
	}
	for i := range r.OtherAPIs {
		o := &r.OtherAPIs[i]
		o.API, o.Collected, o.Stored = in.String(o.API), in.String(o.Collected), in.String(o.Stored)
	}
	for i := range r.Services {
		v := &r.Services[i]
		v.Service, v.Data, v.Justification = in.String(v.Service), in.String(v.Data), in.String(v.Justification)
	}
	for i := range r.Statements {
		r.Statements[i].Anchor = in.String(r.Statements[i].Anchor)
	}
}
