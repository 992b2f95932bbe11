package attestation

import (
	"encoding/json"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestLearnQuestionLabels learns, for each locale of the sample, the
// wording its pages give each answer key (the most frequent page label,
// then the shortest), and checks question_labels.json holds it (-update
// rewrites the file).
func TestLearnQuestionLabels(t *testing.T) {
	counts := map[string]map[string]map[string]int{}
	recs, _ := reconciledRecords(t)
	for name, r := range recs {
		if strings.HasPrefix(name, "history/") || r.Type != PageApp || r.Locale == "" || strings.HasPrefix(r.Locale, "en") {
			continue
		}
		for _, a := range r.Answers {
			if a.Key == "" || strings.TrimSpace(a.PageLabel) == "" {
				continue
			}
			if counts[r.Locale] == nil {
				counts[r.Locale] = map[string]map[string]int{}
			}
			if counts[r.Locale][a.Key] == nil {
				counts[r.Locale][a.Key] = map[string]int{}
			}
			counts[r.Locale][a.Key][strings.TrimSpace(a.PageLabel)]++
		}
	}
	learned := map[string]map[string]string{}
	for loc, keys := range counts {
		learned[loc] = map[string]string{}
		for key, labels := range keys {
			all := make([]string, 0, len(labels))
			for l := range labels {
				all = append(all, l)
			}
			sort.Slice(all, func(i, j int) bool {
				a, b := all[i], all[j]
				if labels[a] != labels[b] {
					return labels[a] > labels[b]
				}
				if len(a) != len(b) {
					return len(a) < len(b)
				}
				return a < b
			})
			learned[loc][key] = all[0]
		}
	}
	got, err := json.MarshalIndent(learned, "", " ")
	require.NoError(t, err)
	if *update {
		require.NoError(t, os.WriteFile("question_labels.json", append(got, '\n'), 0o644))
		return
	}
	var want map[string]map[string]string
	require.NoError(t, json.Unmarshal(questionLabelsJSON, &want))
	require.Equal(t, want, learned, "run go test -run TestLearnQuestionLabels -update")
	l, ok := QuestionLabel("fr-FR", "sec.annual_pen_test")
	require.True(t, ok)
	require.NotEmpty(t, l)
	_, ok = QuestionLabel("fr-FR", "no.such_key")
	require.False(t, ok)
}
