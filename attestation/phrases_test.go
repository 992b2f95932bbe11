package attestation

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// rewriteEachPhrase is the reference: strings.ReplaceAll of every phrase in
// turn.
func rewriteEachPhrase(v *vocabulary, s string) string {
	for _, ph := range v.phrases {
		s = strings.ReplaceAll(s, ph[0], ph[1])
	}
	return s
}

func TestRewritePhrasesMatchesReplaceAll(t *testing.T) {
	v := queryVocabulary()
	inputs := []string{"plumm", "", "a", "apps with csa star and within 72 hours breach", "verschlusselung bei der ubertragung",
		"資料外洩 취약점 스캔", "permisos delegados y csa star"}
	for _, ph := range v.phrases {
		inputs = append(inputs, ph[0], "x"+ph[0]+" "+ph[0]+"y", ph[1]+" "+ph[0])
	}
	for _, in := range inputs {
		s := " " + FoldWord(in) + " "
		require.Equal(t, rewriteEachPhrase(v, s), v.rewritePhrases(s), in)
	}
}

func FuzzRewritePhrases(f *testing.F) {
	f.Add("apps with csa star")
	f.Add("資料外洩")
	v := queryVocabulary()
	f.Fuzz(func(t *testing.T, in string) {
		require.Equal(t, rewriteEachPhrase(v, in), v.rewritePhrases(in))
	})
}

func BenchmarkParseQuery(b *testing.B) {
	for _, q := range []string{"plumm", "apps with hipaa and iso 27001 that store data in the eu"} {
		b.Run(strings.Fields(q)[0], func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ParseQuery(q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
