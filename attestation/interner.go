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
