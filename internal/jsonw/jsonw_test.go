package jsonw

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

// reference is encoding/json's encoding of s.
func reference(t testing.TB, s string, escapeHTML bool) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(escapeHTML)
	require.NoError(t, enc.Encode(s))
	return string(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
}

var stringCases = []string{
	"", "plain", `quote " and \ backslash`, "<b>&amp;</b>", "tab\tnew\nline\rret", "\b\f\x00\x01\x1f\x7f",
	"é日本😀", "bad \xff utf8 \xf0\x9f", "line\u2028para\u2029", "emoji at end ✅", "\xc3", "a\u00a0b",
}

// TestStringMatchesEncodingJSON checks String against encoding/json, with
// and without HTML escaping.
func TestStringMatchesEncodingJSON(t *testing.T) {
	for _, s := range stringCases {
		for _, html := range []bool{false, true} {
			require.Equal(t, reference(t, s, html), string(String(nil, s, html)), "%q html=%v", s, html)
		}
	}
}

// TestMembers checks the member helpers, commas and omitempty.
func TestMembers(t *testing.T) {
	f := false
	b := []byte{'{'}
	b = Field(b, "a", "", true, false)
	b = Field(b, "b", "", false, false)
	b = Bool(b, "c", false)
	b = Bool(b, "d", true)
	b = BoolPtr(b, "e", nil)
	b = BoolPtr(b, "f", &f)
	b = Int(b, "g", 0)
	b = Int(b, "h", -12)
	b = Field(b, "i", "<x>", true, true)
	b = append(b, '}')
	require.JSONEq(t, `{"b":"","d":true,"f":false,"h":-12,"i":"\u003cx\u003e"}`, string(b))
	require.Equal(t, `{"b":"","d":true,"f":false,"h":-12,"i":"\u003cx\u003e"}`, string(b))
}

func FuzzString(f *testing.F) {
	for _, s := range stringCases {
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, s string, html bool) {
		if got, want := string(String(nil, s, html)), reference(t, s, html); got != want {
			t.Fatalf("%q html=%v: got %s, want %s", s, html, got, want)
		}
	})
}

func BenchmarkString(b *testing.B) {
	s := "Dernière mise à jour par le développeur : 18 août 2021 (il y a 11 mois) ✅ \"quoted\""
	b.ReportAllocs()
	buf := make([]byte, 0, 256)
	for b.Loop() {
		buf = String(buf[:0], s, false)
	}
}
