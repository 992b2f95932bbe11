package attestation

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The expressions splitHeading and indexLinkTarget replace: they must read
// every input alike.
var (
	reHeadingRef   = regexp.MustCompile(`^(#{1,6})\s*(?:<a\s+name\s*=\s*"([^"]*)"\s*>\s*</a>)?\s*(.*)$`)
	reIndexLinkRef = regexp.MustCompile(`^\./?([^)]+?)\.md$`)
)

// TestSplitHeading compares splitHeading with the expression it replaces
// on every heading line of the sample and on edge cases.
func TestSplitHeading(t *testing.T) {
	inputs := []string{
		"#", "# Plumm", "#Plumm", "####### seven", "## <a name=\"data\"></a>Data", "##   <a  name = \"x\" >  </a>  Text  ",
		"# <a name=\"\"></a>", "# <aname=\"x\"></a>t", "# <a name=\"x\"><a>t", "# <a name=\"x\"></a", "# <a name='x'></a>t",
		"# <a\tname=\"x\"\t>\t</a>\tt", "# a\nb", "#\r\n", "# <a name=\"x\ny\"></a>t", "x # no", "", "#\x0b", "# <a name=\"a\"b\"></a>",
	}
	for _, f := range sampleFiles(t) {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		for _, l := range strings.Split(string(data), "\n") {
			if l = strings.TrimSpace(l); strings.HasPrefix(l, "#") {
				inputs = append(inputs, l)
			}
		}
	}
	for _, in := range inputs {
		hashes, anchor, text, ok := splitHeading(in)
		m := reHeadingRef.FindStringSubmatch(in)
		require.Equal(t, m != nil, ok, "%q", in)
		if m != nil {
			require.Equal(t, []string{m[1], m[2], m[3]}, []string{hashes, anchor, text}, "%q", in)
		}
	}
	t.Logf("%d heading lines read alike", len(inputs))
}

// TestIndexLinkTarget compares indexLinkTarget with the expression it
// replaces.
func TestIndexLinkTarget(t *testing.T) {
	for _, in := range []string{
		"./plumm-health-ltd.md", ".plumm.md", "./a.md", "./.md", "/.md", ".md", "..md", "./a)b.md", "./a.md.md", "plumm.md",
		"./a.MD", "./teams/x.md", ".//x.md", "./)x.md", "./x.md ", "./x\n.md", "http://x/y.md", "./a.md?x", ".x", "./",
	} {
		got, ok := indexLinkTarget(in)
		m := reIndexLinkRef.FindStringSubmatch(in)
		require.Equal(t, m != nil, ok, "%q", in)
		if m != nil {
			require.Equal(t, m[1], got, "%q", in)
		}
	}
}

// FuzzSplitHeading checks splitHeading and indexLinkTarget against the
// expressions on any input.
func FuzzSplitHeading(f *testing.F) {
	for _, s := range []string{"# <a name=\"x\"></a>t", "./a.md", "####### x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		hashes, anchor, text, ok := splitHeading(in)
		if m := reHeadingRef.FindStringSubmatch(in); (m != nil) != ok || m != nil && (m[1] != hashes || m[2] != anchor || m[3] != text) {
			t.Fatalf("%q: got %v %q %q %q, want %q", in, ok, hashes, anchor, text, m)
		}
		got, ok := indexLinkTarget(in)
		if m := reIndexLinkRef.FindStringSubmatch(in); (m != nil) != ok || m != nil && m[1] != got {
			t.Fatalf("%q: got %v %q, want %q", in, ok, got, m)
		}
	})
}
