package attestation

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

type pathological struct {
	name, page string
	warning    string // a warning the page must carry, or ""
}

// pathologicalPages builds inputs of about size bytes that made the parser
// quadratic before its loops were bounded: a table row continued over
// thousands of lines (the row was rebuilt by string concatenation), runs
// of brackets before a link (each bracket rescanned the rest of the cell),
// and others that stress the regular expressions and the alignment.
func pathologicalPages(size int) []pathological {
	head := "---\ntitle: x\ncertification_type: attested\n---\n# <a name=\"x\"></a>X\n<p>Last updated: 2 septembre 2021</p>\n::: zone pivot=\"general\"\n"
	table := "| **Information** | **Response** |\n|---|---|\n"
	return []pathological{
		{"row-continued", head + table + "| App | a\n" + strings.Repeat("x\n", size/2), "continues over more than"},
		{"brackets", head + table + "| App | " + strings.Repeat("[", size) + "](x) |\n", ""},
		{"open-tags", head + table + "| App | " + strings.Repeat("<", size) + " |\n", ""},
		{"many-rows", head + table + strings.Repeat("| a | b |\n", size/10), "over the budget"},
		{"many-zones", head + strings.Repeat("::: zone pivot=\"data\"\n| a | b |\n|---|---|\n| x | y |\n", size/40), ""},
		{"headings", head + strings.Repeat("#", size) + "\n", ""},
		{"separators", head + strings.Repeat("a|\n|---|\n", size/8), ""},
		{"pipes", head + table + "|" + strings.Repeat("|", size) + "\n", ""},
		{"entities", head + table + "| App | " + strings.Repeat("&#12466;", size/8) + " |\n", ""},
		{"br-list", head + table + "| App | " + strings.Repeat(",<br/>", size/6) + " |\n", ""},
	}
}

// TestParse_Pathological parses 1.5 MB versions of the inputs that stalled
// the fuzzer's predecessor: each took minutes to hours before the loops
// were bounded, and now yields a record (with a warning where a size
// budget was hit). The time budget is raised for the test: under the race
// detector on a busy machine a linear pass over 1.5 MB may take more than
// the production 2 s, and the budget is a safety net, not what is tested
// here; a parse that needs a minute fails.
func TestParse_Pathological(t *testing.T) {
	old := parseTimeBudget
	parseTimeBudget = time.Minute
	defer func() { parseTimeBudget = old }()
	for _, p := range pathologicalPages(1500 << 10) {
		t.Run(p.name, func(t *testing.T) {
			rec, err := Parse("Apps/teams/x.md", []byte(p.page))
			require.NoError(t, err)
			require.Equal(t, "x", rec.Slug)
			for _, w := range rec.Warnings {
				require.NotContains(t, w.Message, "parse time budget")
			}
			if p.warning != "" {
				requireWarning(t, rec, 0, p.warning)
			}
		})
	}
}

// TestParse_SizeBudget checks that a page over MaxPageBytes is read up to
// the limit, with a warning.
func TestParse_SizeBudget(t *testing.T) {
	page := "---\ntitle: x\ncertification_type: attested\n---\n# <a name=\"x\"></a>X\n::: zone pivot=\"general\"\n| **Information** | **Response** |\n|---|---|\n" +
		strings.Repeat("| App name | Plumm |\n", MaxPageBytes/20+10)
	rec, err := Parse("Apps/teams/x.md", []byte(page))
	require.NoError(t, err)
	requireWarning(t, rec, 0, "over the 2097152-byte budget")
}

// TestParse_TimeBudget lowers the time budget so that it runs out at the
// first look at the clock: the page is cut there, with a warning.
func TestParse_TimeBudget(t *testing.T) {
	old := parseTimeBudget
	parseTimeBudget = time.Nanosecond
	defer func() { parseTimeBudget = old }()
	data := readSample(t, "fr-FR/teams/plumm-health-ltd.md")
	rec, err := Parse("fr-FR/teams/plumm-health-ltd.md", data)
	require.NoError(t, err)
	requireWarning(t, rec, 0, "parse time budget")
	require.Empty(t, rec.Answers)
}

// BenchmarkParse_Pathological reports the cost per byte of the
// pathological inputs at two sizes; linear parsing keeps ns/byte flat.
func BenchmarkParse_Pathological(b *testing.B) {
	for _, size := range []int{64 << 10, 1024 << 10} {
		for _, p := range pathologicalPages(size) {
			b.Run(p.name+"/"+itoa(size>>10)+"KiB", func(b *testing.B) {
				data := []byte(p.page)
				b.SetBytes(int64(len(data)))
				for i := 0; i < b.N; i++ {
					if _, err := Parse("Apps/teams/x.md", data); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
