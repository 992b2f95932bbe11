package attestation

import (
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestAlign_SyntheticShifts deletes, and separately duplicates, each
// question row of every sample page in turn (what a translation that
// drops or adds a row does) and parses the page alone, with no other
// locale to vote: every answer the changed page gives a value must be the
// answer the intact page gives that key. A shifted row may only come out
// unknown, never as a confident wrong value.
func TestAlign_SyntheticShifts(t *testing.T) {
	files := sampleFiles(t)
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	variants, unknown, kept := 0, 0, 0
	for _, name := range names {
		if strings.Contains(name, "zoho-corporation-private-limited-") {
			continue // broken in every locale (corpus.md §6)
		}
		data, err := os.ReadFile(files[name])
		require.NoError(t, err)
		orig, err := Parse(name, data)
		if err != nil || orig.Type != PageApp {
			continue
		}
		want := map[string]Answer{}
		for _, a := range orig.Answers {
			if a.Key != "" {
				want[a.Key] = a
			}
		}
		lines := strings.SplitAfter(string(data), "\n")
		stride := 1
		if testing.Short() || raceEnabled {
			stride = 7 // every seventh row: the race detector is slow
		}
		for ai := 0; ai < len(orig.Answers); ai += stride {
			row := orig.Answers[ai].Line - 1
			if row < 0 || row >= len(lines) {
				continue
			}
			for _, dup := range []bool{false, true} {
				var b strings.Builder
				for i, l := range lines {
					if i != row || dup {
						b.WriteString(l)
					}
					if i == row && dup {
						b.WriteString(l)
					}
				}
				rec, err := Parse(name, []byte(b.String()))
				require.NoError(t, err)
				variants++
				for _, a := range rec.Answers {
					if a.Key == "" {
						continue
					}
					if a.Value == ValueUnknown {
						if w := want[a.Key]; w.Value != ValueUnknown {
							unknown++
						}
						continue
					}
					w, ok := want[a.Key]
					what := "deleted"
					if dup {
						what = "duplicated"
					}
					require.True(t, ok, "%s, line %d %s: %s=%s (%q) appears", name, row+1, what, a.Key, a.Value, a.Text)
					require.Equal(t, w.Value, a.Value, "%s, line %d %s: %s (%q, page says %q)", name, row+1, what, a.Key, a.Text, w.Text)
					if a.Value == ValueText {
						require.Equal(t, w.Text, a.Text, "%s, line %d %s: %s", name, row+1, what, a.Key)
					}
					kept++
				}
			}
		}
	}
	t.Logf("%d variants: %d answers right, %d marked unknown, none wrong", variants, kept, unknown)
}

// TestVote_SyntheticShifts deletes, and separately duplicates, question
// rows of each locale of every sample page that other locales share at the
// same source hash, and reconciles the changed page with its intact
// siblings, as an import or a sync does. Afterwards every locale of the
// page must have the same key sequence, and every answer must be the
// answer the intact pages give that key, or unknown: the vote repairs a
// shift or marks it, never turns it into another key or value.
func TestVote_SyntheticShifts(t *testing.T) {
	files := sampleFiles(t)
	groups := map[string][]string{} // path@hash → sample names
	for name, f := range files {
		if strings.HasPrefix(name, "history/") {
			continue
		}
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		rec, err := Parse(name, data)
		if err != nil || rec.Type != PageApp || rec.Meta.SourceHash == "" {
			continue
		}
		groups[rec.Path+"@"+rec.Meta.SourceHash] = append(groups[rec.Path+"@"+rec.Meta.SourceHash], name)
	}
	ids := make([]string, 0, len(groups))
	for id, g := range groups {
		if len(g) > 1 {
			sort.Strings(g)
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	require.NotEmpty(t, ids)
	intact := map[string]*Record{}
	parseGroup := func(names []string, shifted string, page []byte) []*Record {
		out := make([]*Record, 0, len(names))
		for _, name := range names {
			if name != shifted {
				if intact[name] == nil {
					data, err := os.ReadFile(files[name])
					require.NoError(t, err)
					intact[name], err = Parse(name, data)
					require.NoError(t, err, name)
				}
				out = append(out, cloneForVote(intact[name]))
				continue
			}
			rec, err := Parse(name, page)
			require.NoError(t, err, name)
			out = append(out, rec)
		}
		return out
	}
	variants, kept, unknown, filled, dropped := 0, 0, 0, 0, 0
	for _, id := range ids {
		names := groups[id]
		base := parseGroup(names, "", nil)
		ReconcileLocales(base)
		want := map[string]Answer{} // locale/key → intact reconciled answer
		for _, r := range base {
			for _, a := range r.Answers {
				want[r.Locale+"/"+a.Key] = a
			}
		}
		for _, shifted := range names {
			data, err := os.ReadFile(files[shifted])
			require.NoError(t, err)
			lines := strings.SplitAfter(string(data), "\n")
			orig, err := Parse(shifted, data)
			require.NoError(t, err)
			stride := 1
			if testing.Short() || raceEnabled {
				stride = 7
			}
			for ai := 0; ai < len(orig.Answers); ai += stride {
				row := orig.Answers[ai].Line - 1
				if row < 0 || row >= len(lines) {
					continue
				}
				for _, dup := range []bool{false, true} {
					var b strings.Builder
					for i, l := range lines {
						if i != row || dup {
							b.WriteString(l)
						}
						if i == row && dup {
							b.WriteString(l)
						}
					}
					what := shifted + " line " + strconv.Itoa(row+1) + " deleted"
					if dup {
						what = shifted + " line " + strconv.Itoa(row+1) + " duplicated"
					}
					recs := parseGroup(names, shifted, []byte(b.String()))
					st := ReconcileLocales(recs)
					variants++
					filled += st.Vote.Filled
					dropped += st.Vote.Dropped
					seq0 := keySeq(recs[0])
					for _, r := range recs {
						require.Equal(t, seq0, keySeq(r), "%s: %s and %s disagree on the key sequence", what, recs[0].Locale, r.Locale)
						for _, a := range r.Answers {
							if a.Key == "" {
								continue
							}
							w, ok := want[r.Locale+"/"+a.Key]
							if a.Value == ValueUnknown {
								if ok && w.Value != ValueUnknown {
									unknown++
								}
								continue
							}
							require.True(t, ok, "%s: %s %s=%s (%q) appears", what, r.Locale, a.Key, a.Value, a.Text)
							require.Equal(t, w.Value, a.Value, "%s: %s %s (%q, page says %q)", what, r.Locale, a.Key, a.Text, w.Text)
							if a.Value == ValueText {
								require.Equal(t, w.Text, a.Text, "%s: %s %s", what, r.Locale, a.Key)
							}
							kept++
						}
					}
				}
			}
		}
	}
	t.Logf("%d variants over %d same-hash pages: %d answers right, %d marked unknown, none wrong; %d rows filled, %d dropped by the vote",
		variants, len(ids), kept, unknown, filled, dropped)
}
