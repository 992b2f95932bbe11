package attestation

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestRankedPrefix checks rankedPrefix against a full sort on random hits
// (scores with many ties, several groups of one app): it returns exactly
// the fully ranked hits down to the limit-th app's best score, and what
// collapseListings keeps of them for the first limit apps is what it keeps
// of the full ranking.
func TestRankedPrefix(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for round := range 2000 {
		n := rng.IntN(400)
		limit := []int{-1, 1, 6, 10, 25}[rng.IntN(5)]
		apps := max(1, rng.IntN(n+1))
		appOf := map[int32]int32{}
		hits := make([]hit, n)
		for i := range hits {
			g := int32(i)
			appOf[g] = int32(rng.IntN(apps))
			hits[i] = hit{group: g, score: float64(rng.IntN(8) * 10)}
		}
		rng.Shuffle(n, func(i, j int) { hits[i], hits[j] = hits[j], hits[i] })
		full := slices.Clone(hits)
		slices.SortFunc(full, byRank)

		got := rankedPrefix(slices.Clone(hits), limit, func(g int32) int32 { return appOf[g] })
		want := full
		if limit >= 0 {
			seen, cut := map[int32]bool{}, -1.0
			for _, h := range full {
				if len(seen) < limit && !seen[appOf[h.group]] {
					seen[appOf[h.group]] = true
					cut = h.score
				}
			}
			m := len(full)
			if len(seen) == limit {
				m = 0
				for m < len(full) && full[m].score >= cut {
					m++
				}
			}
			if len(got) < len(full) { // the heap path; the sort path returns everything
				want = full[:m]
			}
		}
		require.Equal(t, want, got, "round %d: %d hits, limit %d", round, n, limit)
		// What the first limit apps are, by their first hit, is the same.
		firstApps := func(hs []hit) []int32 {
			var out []int32
			for _, h := range hs {
				if a := appOf[h.group]; !slices.Contains(out, a) && (limit < 0 || len(out) < limit) {
					out = append(out, a)
				}
			}
			return out
		}
		require.Equal(t, firstApps(full), firstApps(got), "round %d", round)
	}
}

func BenchmarkRankedPrefix(b *testing.B) {
	rng := rand.New(rand.NewPCG(5, 6))
	hits := make([]hit, 200)
	for i := range hits {
		hits[i] = hit{group: int32(i), score: float64(rng.IntN(50))}
	}
	appOf := func(g int32) int32 { return g }
	work := make([]hit, len(hits))
	b.Run("prefix", func(b *testing.B) {
		for b.Loop() {
			copy(work, hits)
			rankedPrefix(work, 10, appOf)
		}
	})
	b.Run("sort", func(b *testing.B) {
		for b.Loop() {
			copy(work, hits)
			slices.SortFunc(work, byRank)
		}
	})
}

// TestRankedPrefixPermutes checks that rankedPrefix leaves hits a
// permutation of itself on the heap path: the scratch's reset walks them
// to clear each group's slot, and a slot left behind broke the next search
// (index out of range, or its hit merged into another group's).
func TestRankedPrefixPermutes(t *testing.T) {
	hits := make([]hit, 300)
	for i := range hits {
		hits[i] = hit{group: int32(i), score: float64(i % 17)}
	}
	work := slices.Clone(hits)
	got := rankedPrefix(work, 5, func(g int32) int32 { return g })
	require.Less(t, len(got), len(hits), "the heap path")
	slices.SortFunc(work, func(a, b hit) int { return int(a.group - b.group) })
	require.Equal(t, hits, work)
}

// TestSearchLeavesScratchClean runs searches that match many apps (the
// heap path of rankedPrefix) on one index and checks that each leaves the
// pooled scratch clean for the next, and that a search answers the same
// after them as first.
func TestSearchLeavesScratchClean(t *testing.T) {
	recs := synthCatalog(1000, 2)
	ix := NewIndex(recs)
	qs := append([]string{"te", "co", "sign", "teams", "pro", "acme"}, synthQueries(recs)...)
	first := ix.Search("te", SearchOptions{})
	for _, q := range qs {
		ix.Search(q, SearchOptions{})
		s := ix.pool.Get().(*searchScratch)
		require.Empty(t, s.hits, q)
		require.Empty(t, s.cands, q)
		for g, slot := range s.groupSlot {
			require.EqualValues(t, -1, slot, "%q left group %d's slot", q, g)
		}
		for e, slot := range s.entrySlot {
			require.EqualValues(t, -1, slot, "%q left entry %d's slot", q, e)
		}
		ix.pool.Put(s)
	}
	require.Equal(t, first, ix.Search("te", SearchOptions{}))
}
