package pack

import (
	"strings"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/require"
)

func TestStrings(t *testing.T) {
	p := NewStrings()
	a := p.String(strings.Repeat("x", 3))
	b := p.String("xxx")
	require.Equal(t, "xxx", a)
	require.Same(t, unsafeData(a), unsafeData(b), "equal strings share one copy")
	require.Empty(t, p.String(""))
	long := strings.Repeat("y", BlockBytes)
	require.Equal(t, long, p.String(long))
	// Many strings across blocks keep their contents.
	var all []string
	for i := range 20000 {
		all = append(all, p.String(strings.Repeat(string(rune('a'+i%26)), 1+i%50)+string(rune('A'+i%7))))
	}
	for i, s := range all {
		require.Equal(t, strings.Repeat(string(rune('a'+i%26)), 1+i%50)+string(rune('A'+i%7)), s)
	}
}

func TestSlab(t *testing.T) {
	var s Slab[int32]
	require.Nil(t, s.Take(0))
	a := s.Copy([]int32{1, 2, 3})
	b := s.Copy([]int32{4, 5})
	require.Equal(t, []int32{1, 2, 3}, a)
	require.Equal(t, 3, cap(a), "capacity capped")
	a = append(a, 9)
	require.Equal(t, []int32{4, 5}, b, "an append does not reach the next slice")
	big := s.Take(BlockBytes)
	require.Len(t, big, BlockBytes)
	for i := range 10000 {
		v := s.Take(1 + i%40)
		for j := range v {
			require.Zero(t, v[j])
			v[j] = int32(i)
		}
	}
	_ = a
}

func unsafeData(s string) *byte { return unsafe.StringData(s) }
