package attestation

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestSupersequence(t *testing.T) {
	tests := []struct {
		name string
		a, b []string
		want []string
	}{
		{"equal", []string{"comp.hipaa", "comp.soc1"}, []string{"comp.hipaa", "comp.soc1"}, []string{"comp.hipaa", "comp.soc1"}},
		{"row missing in b", []string{"comp.hipaa", "comp.hitrust_csf", "comp.soc1"}, []string{"comp.hipaa", "comp.soc1"},
			[]string{"comp.hipaa", "comp.hitrust_csf", "comp.soc1"}},
		{"row missing in a", []string{"comp.hipaa", "comp.soc1"}, []string{"comp.hipaa", "comp.hitrust_csf", "comp.soc1"},
			[]string{"comp.hipaa", "comp.hitrust_csf", "comp.soc1"}},
		{"rows differ, key order", []string{"comp.hipaa", "comp.soc2", "comp.soc3"}, []string{"comp.hipaa", "comp.soc1", "comp.soc3"},
			[]string{"comp.hipaa", "comp.soc1", "comp.soc2", "comp.soc3"}},
		{"empty", nil, []string{"comp.hipaa"}, []string{"comp.hipaa"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := supersequence(tt.a, tt.b)
			require.Equal(t, tt.want, got)
			for _, sub := range [][]string{tt.a, tt.b} {
				pairs := alignKeys(sub, got)
				for _, p := range pairs {
					require.GreaterOrEqual(t, p, 0, "%v is not a subsequence of %v", sub, got)
				}
			}
		})
	}
}

// TestVote_FillsAndRemovesRows votes three locales of one page whose
// compliance sections differ: the one missing a row gets it, unknown; the
// one with a row the others lack loses it; all end with one sequence.
func TestVote_FillsAndRemovesRows(t *testing.T) {
	rec := func(loc string, keys ...string) *Record {
		r := &Record{Type: PageApp, Locale: loc, Path: "Apps/teams/x.md", Meta: Meta{SourceHash: "abc"}}
		r.Answers = append(r.Answers, Answer{Key: "gen.app_name", Section: SectionGeneral, Value: ValueText, Text: "X", Pinned: true})
		for i, k := range keys {
			r.Answers = append(r.Answers, Answer{Key: k, Section: SectionCompliance, Value: ValueYes, Text: "yes", Line: 10 + i, Pinned: true})
		}
		r.Answers = append(r.Answers, Answer{Key: "priv.rectification", Section: SectionPrivacy, Value: ValueNo, Text: "no", Pinned: true})
		return r
	}
	full := []string{"comp.hipaa", "comp.hitrust_csf", "comp.soc1"}
	de := rec("de-DE", full...)
	fr := rec("fr-FR", full...)
	it := rec("it-IT", "comp.hipaa", "comp.soc1")
	ja := rec("ja-JP", "comp.hipaa", "comp.hitrust_csf", "comp.soc1", "comp.soc3")
	ko := rec("ko-KR") // no compliance rows at all
	st := ReconcileLocales([]*Record{de, fr, it, ja, ko})
	want := keySeq(de)
	for _, r := range []*Record{fr, it, ja, ko} {
		require.Equal(t, want, keySeq(r), r.Locale)
	}
	a, _ := it.Answer("comp.hitrust_csf")
	require.Equal(t, ValueUnknown, a.Value)
	require.True(t, hasWarning(it, "no row for comp.hitrust_csf here, but de-DE, fr-FR at the same source hash have one"))
	_, ok := ja.Answer("comp.soc3")
	require.False(t, ok)
	require.True(t, hasWarning(ja, "row comp.soc3 is not in the key sequence of de-DE, fr-FR at the same source hash: removed"))
	for _, k := range full {
		a, ok := ko.Answer(k)
		require.True(t, ok, k)
		require.Equal(t, ValueUnknown, a.Value)
	}
	require.Equal(t, SectionPrivacy, ko.Answers[len(ko.Answers)-1].Section)
	require.Equal(t, 1+3, st.Vote.Filled)
	require.Equal(t, 1, st.Vote.Dropped)
	// Running it again changes nothing more.
	again := ReconcileLocales([]*Record{de, fr, it, ja, ko})
	require.Zero(t, again.Vote.Filled+again.Vote.Dropped)
}
