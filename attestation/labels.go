package attestation

import (
	_ "embed"
	"encoding/json"
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
