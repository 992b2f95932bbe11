package pack

import (
	"bytes"
	"runtime"
	"strings"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/require"
)

func TestStrings(t *testing.T) {
	p := NewStrings(nil)
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

// node is a value with pointers, placed in a Hidden slab.
type node struct {
	name string
	kids []int64
	next *node
}

func TestHidden(t *testing.T) {
	keep := &Keep{}
	h := NewHidden[node](keep)
	require.Nil(t, h.Take(0))
	a := h.Copy([]node{{name: "a"}, {name: "b"}})
	b := h.Take(1)
	require.Equal(t, 2, cap(a), "capacity capped")
	a = append(a, node{name: "c"})
	require.Zero(t, b[0], "an append does not reach the next slice")
	big := h.Take(BlockBytes)
	require.Len(t, big, BlockBytes)
	require.True(t, keep.Holds(unsafe.Pointer(&big[len(big)-1]), unsafe.Sizeof(node{})), "a slice of its own is held")
	require.True(t, keep.Holds(unsafe.Pointer(&b[0]), unsafe.Sizeof(node{})))
	require.False(t, keep.Holds(unsafe.Pointer(&a[2]), 1), "a copy appended out of the slab is not")
	require.Panics(t, func() { NewHidden[struct{}](keep) })
}

// TestHiddenSurvivesCollections builds a linked list of hidden nodes whose
// strings and slices only the Keep holds, lets the collector run while
// other allocations reuse what it frees, and reads the list back.
func TestHiddenSurvivesCollections(t *testing.T) {
	keep := &Keep{}
	strs, nodes, kids := NewStrings(keep), NewHidden[node](keep), NewHidden[int64](keep)
	want := func(i int) string {
		return strings.Repeat(string(rune('a'+i%26)), 1+i%40) + "-" + strings.Repeat("z", i%3)
	}
	var head *node
	for i := range 20000 {
		n := &nodes.Take(1)[0]
		k := kids.Take(1 + i%5)
		for j := range k {
			k[j] = int64(i)
		}
		*n = node{name: strs.String(want(i)), kids: k, next: head}
		head = n
		if i%2000 == 0 {
			runtime.GC()
		}
	}
	// From here only head reaches the Keep (through its blocks).
	for range 3 {
		runtime.GC()
		garbage := make([][]byte, 0, 4096)
		for j := range 4096 {
			garbage = append(garbage, bytes.Repeat([]byte{byte(j)}, 64+j%512))
		}
		_ = garbage
	}
	i := 19999
	for n := head; n != nil; n = n.next {
		require.Equal(t, want(i), n.name)
		require.Len(t, n.kids, 1+i%5)
		for _, k := range n.kids {
			require.Equal(t, int64(i), k)
		}
		i--
	}
	require.Equal(t, -1, i)
}
