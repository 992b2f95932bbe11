package cards

import (
	"bytes"
	"encoding/json"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
)

// stdEncode is Encode through encoding/json, the reference.
func stdEncode(t testing.TB, c any) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	require.NoError(t, enc.Encode(c))
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// TestEncodeMatchesEncodingJSON: every golden card encodes to the bytes
// encoding/json writes.
func TestEncodeMatchesEncodingJSON(t *testing.T) {
	for _, tc := range goldenCases() {
		t.Run(tc.name, func(t *testing.T) {
			var c AttachmentContent
			if tc.attachment != nil {
				c = tc.attachment(t).Content
			} else {
				c = tc.build(t)
			}
			got, err := Encode(c)
			require.NoError(t, err)
			require.Equal(t, string(stdEncode(t, c)), string(got))
		})
	}
}

// TestSizeCountsUTF16: Size is two bytes per UTF-16 code unit, an invalid
// byte counting as one.
func TestSizeCountsUTF16(t *testing.T) {
	for _, s := range []string{"", "abc", "é", "日本", "😀", "a\xffb", "\xf0\x9f", "x😀é日"} {
		want := 0
		for _, r := range s {
			if r >= 0x10000 {
				want += 4
			} else {
				want += 2
			}
		}
		require.Equal(t, want, Size([]byte(s)), "%q (%d runes)", s, utf8.RuneCountInString(s))
	}
}

// BenchmarkEncodeSummary encodes a built summary card: Encode against
// encoding/json.
func BenchmarkEncodeSummary(b *testing.B) {
	c := goldenBuilder().Summary(loadPage(b, "fr-FR/teams/plumm-health-ltd.md"))
	b.Run("Encode", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Encode(c); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = stdEncode(b, c)
		}
	})
}

// sizeByRunes is the reference of Size: two bytes per rune, four for one
// outside the Basic Multilingual Plane, an invalid byte counting as one.
func sizeByRunes(b []byte) int {
	n := 0
	for _, r := range string(b) {
		if r >= 0x10000 {
			n += 4
		} else {
			n += 2
		}
	}
	return n
}

func FuzzSize(f *testing.F) {
	for _, s := range []string{"", "abc", "é日😀", "a\xffb", "\xf0\x9f", "\xed\xa0\x80"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		require.Equal(t, sizeByRunes(b), Size(b), "%q", b)
	})
}
