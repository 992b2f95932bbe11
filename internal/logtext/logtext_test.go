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
