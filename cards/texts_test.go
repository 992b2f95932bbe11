package cards

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestRepeatedMessagesBounded: a repeated message is made once and then
// read back; past maxRepeated messages are made every time, not kept.
func TestRepeatedMessagesBounded(t *testing.T) {
	var texts localeTexts
	made := 0
	mk := func(i int) func() string {
		return func() string { made++; return "m" + strconv.Itoa(i) }
	}
	for round := range 2 {
		for i := range maxRepeated + 10 {
			require.Equal(t, "m"+strconv.Itoa(i), texts.repeat(repeatedKey{id: "x", n: i}, mk(i)), "round %d", round)
		}
	}
	require.Equal(t, maxRepeated+2*10, made, "kept ones made once, the others each time")
	require.EqualValues(t, maxRepeated, texts.nRepeated.Load())
}
