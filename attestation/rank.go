package attestation

import (
	"cmp"
	"slices"
)

// byRank orders hits best first: the higher score, then the lower group
// (groups are sorted by name).
func byRank(a, b hit) int {
	if c := cmp.Compare(b.score, a.score); c != 0 {
		return c
	}
	return cmp.Compare(a.group, b.group)
}

// rankedPrefix returns hits ranked best first. When only the first limit
// apps are wanted and there are many more hits (a common word such as
// "teams" or a publisher's name matches hundreds of apps), it ranks only
// the hits scored at least as high as the limit-th app's best hit: all that
// collapseListings needs for the first limit apps, since a hit scored lower
// can neither be one of them nor stand for one. appOf maps a hit's group to
// its app. hits is reordered (a permutation of it: searchScratch.reset
// reads it).
func rankedPrefix(hits []hit, limit int, appOf func(int32) int32) []hit {
	if limit < 0 || len(hits) <= 4*limit+16 {
		slices.SortFunc(hits, byRank)
		return hits
	}
	// A binary heap over hits, the best at the root, popped in rank order.
	h := hits
	for i := len(h)/2 - 1; i >= 0; i-- {
		siftDown(h, i)
	}
	out := make([]hit, 0, 2*limit)
	apps := make([]int32, 0, limit)
	var cut float64 // the limit-th app's best score, once it is known
	for len(h) > 0 {
		if len(apps) == limit && h[0].score < cut {
			break
		}
		// Swapped, not overwritten: hits stays a permutation of the hits
		// offered, which the scratch's reset walks to clear their groups.
		x := h[0]
		h[0], h[len(h)-1] = h[len(h)-1], h[0]
		h = h[:len(h)-1]
		siftDown(h, 0)
		out = append(out, x)
		if app := appOf(x.group); len(apps) < limit && !slices.Contains(apps, app) {
			apps = append(apps, app)
			cut = x.score
		}
	}
	return out
}

// siftDown restores the heap order below h[i].
func siftDown(h []hit, i int) {
	for {
		best := 2*i + 1
		if best >= len(h) {
			return
		}
		if r := best + 1; r < len(h) && byRank(h[r], h[best]) < 0 {
			best = r
		}
		if byRank(h[best], h[i]) >= 0 {
			return
		}
		h[i], h[best] = h[best], h[i]
		i = best
	}
}
