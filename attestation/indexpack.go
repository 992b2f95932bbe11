package attestation

import "github.com/attestbot/attestbot/internal/pack"

// pack moves what the built index keeps into a few large blocks: every
// string it made (folded names, tokens, keys, record IDs), the lists of its
// maps, its postings and its groups' slices. Built one by one, they were
// about a hundred thousand small objects on a 13,000-record catalog, which
// the collector marked on every cycle for as long as the index served; the
// contents are the same. Called once, at the end of NewIndex.
func (ix *Index) pack() {
	strs := pack.NewStrings()
	var ints pack.Slab[int32]
	var recs pack.Slab[*Record]
	var texts pack.Slab[string]
	refs := func(m map[string][]int32) map[string][]int32 {
		out := make(map[string][]int32, len(m))
		for k, l := range m {
			out[strs.String(k)] = ints.Copy(l)
		}
		return out
	}
	ids := func(m map[string]int32) map[string]int32 {
		out := make(map[string]int32, len(m))
		for k, v := range m {
			out[strs.String(k)] = v
		}
		return out
	}
	ix.byKey, ix.byRecordID, ix.vocabID = ids(ix.byKey), ids(ix.byRecordID), ids(ix.vocabID)
	ix.bySlug, ix.byAppSource, ix.byTeams = refs(ix.bySlug), refs(ix.byAppSource), refs(ix.byTeams)
	ix.byEntra, ix.exactName, ix.exactPub = refs(ix.byEntra), refs(ix.exactName), refs(ix.exactPub)
	ix.vocabGrams = refs(ix.vocabGrams)
	for i := range ix.names {
		ix.names[i].text = strs.String(ix.names[i].text)
	}
	for i, t := range ix.vocab {
		ix.vocab[i] = strs.String(t)
	}
	for i, p := range ix.postings {
		ix.postings[i] = ints.Copy(p)
	}
	for gi := range ix.groups {
		g := &ix.groups[gi]
		g.key, g.kind, g.slug = strs.String(g.key), strs.String(g.kind), strs.String(g.slug)
		g.appSourceID, g.teamsAppID = strs.String(g.appSourceID), strs.String(g.teamsAppID)
		g.records = recs.Copy(g.records)
		g.locales = texts.Copy(g.locales)
		g.names = texts.Copy(g.names)
		for i, n := range g.names {
			g.names[i] = strs.String(n)
		}
	}
	for i, p := range ix.recPub {
		ix.recPub[i] = strs.String(p)
	}
	for k, l := range ix.listings {
		ix.listings[k] = ints.Copy(l)
	}
}
