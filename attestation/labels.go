package attestation

import (
	_ "embed"
	"encoding/json"
	"slices"
	"sync"
)

// labels.json maps locale → table → folded page label → key. It is learned
// from the sample pages by TestLearnLabels (go test -run TestLearnLabels
// -update) and only strengthens the alignment: a label it does not know is
// still mapped by anchors, answer shape and order.
//
//go:embed labels.json
var labelsJSON []byte

var (
	labelsOnce sync.Once
	labelDict  map[string]map[tableKind]map[string][]int
)

func learnedLabels(locale string, kind tableKind) map[string][]int {
	labelsOnce.Do(func() {
		var raw map[string]map[tableKind]map[string][]string
		if err := json.Unmarshal(labelsJSON, &raw); err != nil {
			raw = nil
		}
		labelDict = map[string]map[tableKind]map[string][]int{}
		for loc, tables := range raw {
			labelDict[loc] = map[tableKind]map[string][]int{}
			for t, labels := range tables {
				idx := map[string]int{}
				for i, d := range keyTables[t] {
					idx[d.Key] = i
				}
				m := map[string][]int{}
				for label, keys := range labels {
					for _, k := range keys {
						if i, ok := idx[k]; ok {
							m[label] = append(m[label], i)
						}
					}
				}
				labelDict[loc][t] = m
			}
		}
	})
	return labelDict[locale][kind]
}

// labelGrams holds, per locale and table, the trigram sets of the learned
// labels of each key index, for the fuzzy match of labels that machine
// translation worded differently (corpus.md §2.4: character trigram
// Jaccard ≥ 0.35 mapped every such row).
var (
	gramsOnce  sync.Once
	labelGrams map[string]map[tableKind][][][]uint32
)

func learnedGrams(locale string, kind tableKind) [][][]uint32 {
	gramsOnce.Do(func() {
		labelGrams = map[string]map[tableKind][][][]uint32{}
		learnedLabels("", "") // load the dictionary
		for loc, tables := range labelDict {
			labelGrams[loc] = map[tableKind][][][]uint32{}
			for kind, labels := range tables {
				perKey := make([][][]uint32, len(keyTables[kind]))
				for label, keys := range labels {
					g := trigrams(label)
					for _, k := range keys {
						perKey[k] = append(perKey[k], g)
					}
				}
				labelGrams[loc][kind] = perKey
			}
		}
	})
	return labelGrams[locale][kind]
}

// trigrams returns the sorted, distinct hashes of the rune trigrams of a
// folded label (spaces included, so that word edges count).
func trigrams(fold string) []uint32 {
	rs := []rune(" " + fold + " ")
	if len(rs) < 3 {
		return nil
	}
	out := make([]uint32, 0, len(rs)-2)
	for i := 0; i+3 <= len(rs); i++ {
		h := uint32(2166136261)
		for _, r := range rs[i : i+3] {
			h = (h ^ uint32(r)) * 16777619
		}
		out = append(out, h)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// jaccard returns |a∩b| / |a∪b| of two sorted sets.
func jaccard(a, b []uint32) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	inter, i, j := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			inter++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return float64(inter) / float64(len(a)+len(b)-inter)
}
