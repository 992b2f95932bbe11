package attestation

import (
	"encoding/json"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/internal/logtext"
)

// TestLearnLabels checks that labels.json holds every label of the sample
// pages with its key; go test -run TestLearnLabels -update rebuilds it
// from the sample. The broken zoho pages are left out.
func TestLearnLabels(t *testing.T) {
	learned := map[string]map[tableKind]map[string][]string{}
	recs, _ := reconciledRecords(t)
	for _, r := range recs {
		if r.Type != PageApp || strings.Contains(r.Slug, "zoho-corporation-private-limited-desk") || strings.Contains(r.Slug, "zoho-corporation-private-limited-notebook") {
			continue
		}
		for _, a := range r.Answers {
			if a.Key == "" || a.PageLabel == "" {
				continue
			}
			kind := tableForSection(a.Section, r.Template)
			if learned[r.Locale] == nil {
				learned[r.Locale] = map[tableKind]map[string][]string{}
			}
			if learned[r.Locale][kind] == nil {
				learned[r.Locale][kind] = map[string][]string{}
			}
			f := labelFold(a.PageLabel)
			keys := learned[r.Locale][kind][f]
			if !hasString(keys, a.Key) {
				keys = append(keys, a.Key)
				sort.Strings(keys)
			}
			learned[r.Locale][kind][f] = keys
		}
	}
	got, err := json.MarshalIndent(learned, "", " ")
	require.NoError(t, err)
	if *update {
		require.NoError(t, os.WriteFile("labels.json", append(got, '\n'), 0o644))
		return
	}
	var want map[string]map[tableKind]map[string][]string
	require.NoError(t, json.Unmarshal(labelsJSON, &want))
	for loc, tables := range learned {
		for kind, labels := range tables {
			for label, keys := range labels {
				require.Subset(t, want[loc][kind][label], keys, "%s %s %q: run go test -run TestLearnLabels -update", loc, kind, label)
			}
		}
	}
}

func tableForSection(s Section, template string) tableKind {
	for k, sec := range tableSections {
		if sec != s {
			continue
		}
		if s == SectionGeneral {
			if template == "B" {
				return tableGeneralB
			}
			return tableGeneralA
		}
		return k
	}
	return ""
}

// TestAlign_WithoutLearnedLabels parses the sample again with the label
// dictionary off, as if every label were a new machine translation: each
// answer must keep its key, or be stored as unknown with a warning (its
// key is in doubt); never another key with a confident value.
func TestAlign_WithoutLearnedLabels(t *testing.T) {
	with := corpusRecords(t)
	useLearnedLabels = false
	defer func() { useLearnedLabels = true }()
	without := corpusRecords(t)
	total, differ, unknown := 0, 0, 0
	for name, r := range with {
		for i, a := range r.Answers {
			total++
			b := without[name].Answers[i]
			if b.Value == ValueUnknown && a.Value != ValueUnknown {
				unknown++
				continue
			}
			if a.Key != b.Key {
				differ++
				t.Logf("%s:%d %q: %s without labels, %s with", name, a.Line, logtext.Runes(a.PageLabel, 51), b.Key, a.Key)
			}
		}
	}
	t.Logf("%d of %d answers keyed differently without learned labels, %d marked unknown", differ, total, unknown)
	require.Zero(t, differ)
}
