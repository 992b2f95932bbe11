package attestation

import (
	"cmp"
	"slices"
	"strings"
)

// Listing is another page of the same app: app pages that carry the same
// AppSource ID are one app listed several times, under another name
// (MGR360 and Manager360) or another host (an add-in under word and
// excel).
type Listing struct {
	// Key is kind/slug.
	Key string `json:"key"`
	// Kind and Slug name the page.
	Kind string `json:"kind"`
	Slug string `json:"slug"`
	// Name is the listing's display name, in the preferred locale when
	// the page exists in it.
	Name string `json:"name"`
	// Locales lists the locales the page exists in.
	Locales []string `json:"locales"`
}

// linkListings groups the app pages that share an AppSource ID as one
// app: every group learns the app's representative group (the page in
// the most locales, then the first by name) and the representative the
// app's other pages.
func (ix *Index) linkListings() {
	ix.appOf = make([]int32, len(ix.groups))
	for gi := range ix.groups {
		ix.appOf[gi] = int32(gi)
	}
	byID := map[string][]int32{}
	for gi := range ix.groups {
		g := &ix.groups[gi]
		if g.typ == PageApp && g.appSourceID != "" {
			byID[g.appSourceID] = append(byID[g.appSourceID], int32(gi))
		}
	}
	for _, gs := range byID {
		if len(gs) < 2 {
			continue
		}
		rep := slices.MinFunc(gs, func(a, b int32) int {
			return cmp.Or(cmp.Compare(len(ix.groups[b].locales), len(ix.groups[a].locales)), cmp.Compare(a, b))
		})
		for _, g := range gs {
			ix.appOf[g] = rep
		}
		if ix.listings == nil {
			ix.listings = map[int32][]int32{}
		}
		ix.listings[rep] = gs // groups are in name order
	}
}

// appGroup returns the representative group of gi's app.
func (ix *Index) appGroup(gi int32) int32 {
	if int(gi) < len(ix.appOf) {
		return ix.appOf[gi]
	}
	return gi
}

// listingsOf returns the other pages of gi's app, names in the preferred
// locale.
func (ix *Index) listingsOf(gi int32, locale string) []Listing {
	gs := ix.listings[ix.appGroup(gi)]
	if len(gs) == 0 {
		return nil
	}
	out := make([]Listing, 0, len(gs)-1)
	for _, o := range gs {
		if o == gi {
			continue
		}
		g := &ix.groups[o]
		name := g.name
		if locale != "" {
			for _, r := range g.records {
				if strings.EqualFold(r.Locale, locale) && r.Name != "" {
					name = r.Name
					break
				}
			}
		}
		out = append(out, Listing{Key: g.key, Kind: g.kind, Slug: g.slug, Name: name, Locales: g.locales})
	}
	return out
}

// collapseListings keeps one hit of each app (hits are ranked): the best
// ranked listing, or the app's representative page when it ranks as well
// (an AppSource ID names every listing alike).
func (ix *Index) collapseListings(hits []hit) []hit {
	if len(ix.listings) == 0 || !slices.ContainsFunc(hits, func(h hit) bool { _, many := ix.listings[ix.appGroup(h.group)]; return many }) {
		return hits
	}
	var at map[int32]int // app → position in out
	// A new slice: hits may be the scratch's, whose groups reset() clears.
	out := make([]hit, 0, len(hits))
	for _, h := range hits {
		app := ix.appGroup(h.group)
		if _, many := ix.listings[app]; !many {
			out = append(out, h)
			continue
		}
		if i, ok := at[app]; ok {
			if h.group == app && h.score == out[i].score {
				out[i] = h
			}
			continue
		}
		if at == nil {
			at = map[int32]int{}
		}
		at[app] = len(out)
		out = append(out, h)
	}
	return out
}
