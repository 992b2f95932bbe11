package attestation

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestStrTable checks a frozen table against the map it was made from,
// equal hashes included (a table whose entries all share one chain).
func TestStrTable(t *testing.T) {
	m := map[string][]int32{"": {9}}
	for i := range 3000 {
		m[fmt.Sprintf("k%d", i)] = []int32{int32(i), int32(i * 2)}
	}
	tab := freezeRefs(m)
	for k, l := range m {
		require.Equal(t, l, tab.get(k), k)
	}
	for _, k := range []string{"k", "k3000", "K1", "k1 "} {
		require.Nil(t, tab.get(k), k)
		_, ok := tab.id(k)
		require.False(t, ok)
	}
	ids := freezeIDs(map[string]int32{"a": 1, "b": 2})
	id, ok := ids.id("b")
	require.True(t, ok)
	require.EqualValues(t, 2, id)
	require.Nil(t, (&strTable{}).get("a"))

	// Every key in one chain: lookups still compare the bytes.
	one := newStrTable(0)
	one.collide = true
	for i := range 50 {
		one.add(fmt.Sprintf("c%d", i), []int32{int32(i)})
	}
	for i := range 50 {
		id, ok := one.id(fmt.Sprintf("c%d", i))
		require.True(t, ok)
		require.EqualValues(t, i, id)
	}
	require.Nil(t, one.get("c50"))
}
