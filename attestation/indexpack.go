package attestation

import "github.com/attestbot/attestbot/internal/pack"

// pack moves what the built index keeps into a few large blocks: its maps
// into tables without pointers (strTable), its postings into one flat
// list, every other string it made (folded names, tokens) and its groups'
// slices into shared blocks. Built one by one, they were about a hundred
// thousand small objects on a 13,000-record catalog, which the collector
// marked on every cycle for as long as the index served; the contents are
// the same. Called once, at the end of NewIndex.
func (ix *Index) pack() {
	strs := pack.NewStrings(nil)
	var ints pack.Slab[int32]
	var recs pack.Slab[*Record]
	var texts pack.Slab[string]
	ix.frozen = frozenTables{
		byKey: freezeIDs(ix.byKey), byRecordID: freezeIDs(ix.byRecordID), vocabID: freezeIDs(ix.vocabID),
		bySlug: freezeRefs(ix.bySlug), byAppSource: freezeRefs(ix.byAppSource), byTeams: freezeRefs(ix.byTeams),
		byEntra: freezeRefs(ix.byEntra), exactName: freezeRefs(ix.exactName), exactPub: freezeRefs(ix.exactPub),
		vocabGrams: freezeRefs(ix.vocabGrams),
	}
	ix.byKey, ix.byRecordID, ix.vocabID = nil, nil, nil
	ix.bySlug, ix.byAppSource, ix.byTeams, ix.byEntra, ix.exactName, ix.exactPub = nil, nil, nil, nil, nil, nil
	ix.vocabGrams = nil
	for i := range ix.names {
		ix.names[i].text = strs.String(ix.names[i].text)
	}
	for i, t := range ix.vocab {
		ix.vocab[i] = strs.String(t)
	}
	n := 0
	for _, p := range ix.postings {
		n += len(p)
	}
	ix.postOff, ix.postFlat = make([]uint32, 0, len(ix.postings)+1), make([]int32, 0, n)
	for _, p := range ix.postings {
		ix.postOff = append(ix.postOff, uint32(len(ix.postFlat)))
		ix.postFlat = append(ix.postFlat, p...)
	}
	ix.postOff = append(ix.postOff, uint32(len(ix.postFlat)))
	ix.postings = nil
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

// frozenTables are the index's lookup maps once built (see Index).
type frozenTables struct {
	byKey, byRecordID, vocabID            strTable // one number a key
	bySlug, byAppSource, byTeams, byEntra strTable // group lists
	exactName, exactPub                   strTable // group lists
	vocabGrams                            strTable // token lists
}

// posting returns the entry ids of token id (sorted, distinct).
func (ix *Index) posting(id int32) []int32 {
	return ix.postFlat[ix.postOff[id]:ix.postOff[id+1]]
}
