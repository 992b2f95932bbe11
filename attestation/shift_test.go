package attestation

import (
	"os"
	"sort"
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
