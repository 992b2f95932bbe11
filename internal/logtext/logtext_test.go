package logtext

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestClip(t *testing.T) {
	tests := []struct {
		name   string
		given  string
		expect string
	}{
		{name: "ok, empty", given: "", expect: ""},
		{name: "ok, short kept", given: "kid-1", expect: "kid-1"},
		{name: "ok, exactly the limit kept", given: strings.Repeat("a", MaxLen), expect: strings.Repeat("a", MaxLen)},
		{name: "ok, long cut with its length", given: strings.Repeat("k", 9800), expect: strings.Repeat("k", MaxLen) + "…(9800 bytes)"},
		{name: "ok, cut on a rune boundary", given: strings.Repeat("a", MaxLen-1) + "é" + "zz", expect: strings.Repeat("a", MaxLen-1) + "…(67 bytes)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.expect, Clip(tt.given))
		})
	}
	require.Equal(t, "abc…(6 bytes)", ClipTo("abcdef", 3))
}

func TestBytes(t *testing.T) {
	tests := []struct {
		name   string
		given  string
		n      int
		expect string
	}{
		{name: "ok, short kept", given: "abc", n: 3, expect: "abc"},
		{name: "ok, long cut", given: "abcdef", n: 3, expect: "abc…"},
		{name: "ok, cut back to a rune boundary", given: "éé", n: 3, expect: "é…"},
		{name: "ok, nothing left", given: "éé", n: 1, expect: "…"},
		{name: "ok, negative bound", given: "abc", n: -1, expect: "…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.expect, Bytes(tt.given, tt.n))
		})
	}
}

func TestRunes(t *testing.T) {
	tests := []struct {
		name   string
		given  string
		n      int
		expect string
	}{
		{name: "ok, empty", given: "", n: 5, expect: ""},
		{name: "ok, exactly n runes kept", given: "ééééé", n: 5, expect: "ééééé"},
		{name: "ok, long cut to n runes with the ellipsis", given: "abcdefgh", n: 5, expect: "abcd…"},
		{name: "ok, multibyte runes counted as one", given: "日本語のテキスト", n: 4, expect: "日本語…"},
		{name: "ok, trailing space before the ellipsis dropped", given: "abc defgh", n: 5, expect: "abc…"},
		{name: "ok, invalid UTF-8 replaced", given: "a\xffb", n: 5, expect: "a\uFFFDb"},
		{name: "ok, one rune bound", given: "abc", n: 1, expect: "…"},
		{name: "ok, zero bound", given: "abc", n: 0, expect: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.expect, Runes(tt.given, tt.n))
		})
	}
}
