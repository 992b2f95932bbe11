package attestation

import (
	"strings"
	"unicode/utf8"
)

// nameSeparators end the product name of a display name that goes on with
// a tagline: "CocoFax : envoi de télécopies…", "MIPA — ваш личный
// помощник", "officeatwork | Template Chooser". The English anchor writes
// " - " as "---".
var nameSeparators = []string{" - ", " – ", " — ", " : ", ": ", " | ", "：", "｜", "---"}

// NameHead returns the folded product name that starts name before a
// tagline, or "" when name has no separator or what precedes it is too
// short or too generic to name an app alone.
func NameHead(name string) string {
	cut := -1
	for _, sep := range nameSeparators {
		if i := strings.Index(name, sep); i > 0 && (cut < 0 || i < cut) {
			cut = i
		}
	}
	if cut < 0 {
		return ""
	}
	h := Fold(name[:cut])
	if utf8.RuneCountInString(h) < 3 || coreName(h) != h {
		return ""
	}
	return h
}

// indexNameHeads makes the product name before a tagline an exact name of
// its app ("cocofax" for "CocoFax : envoi de télécopies…"), when it names
// one app only and is not already the name of another: a head that several
// apps share ("officeatwork") stays a word of their names, for the admin to
// pick from.
func (ix *Index) indexNameHeads() {
	type heads struct {
		groups []int32
		apps   map[int32]bool
	}
	byHead := map[string]*heads{}
	for gi := range ix.groups {
		g := &ix.groups[gi]
		if g.kind == "azure" {
			continue
		}
		for _, r := range g.records {
			for _, h := range [2]string{NameHead(r.Name), NameHead(r.Anchor)} {
				if h == "" {
					continue
				}
				hs := byHead[h]
				if hs == nil {
					hs = &heads{apps: map[int32]bool{}}
					byHead[h] = hs
				}
				if n := len(hs.groups); n == 0 || hs.groups[n-1] != int32(gi) {
					hs.groups = append(hs.groups, int32(gi))
				}
				hs.apps[ix.appGroup(int32(gi))] = true
			}
		}
	}
	for h, hs := range byHead {
		if len(hs.apps) != 1 || len(ix.exactName[h]) > 0 {
			continue
		}
		for _, gi := range hs.groups {
			ix.groups[gi].addName(h)
			addRef(ix.exactName, h, gi)
			ix.names = append(ix.names, nameRef{h, gi})
		}
	}
}
