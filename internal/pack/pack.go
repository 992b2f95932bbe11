// Package pack places many small values that live as long as each other
// in a few large blocks: a catalog's strings, records and short slices.
// The collector then marks a few hundred objects for them instead of
// hundreds of thousands (each string and slice of a decoded record, each
// list of a search index's maps), and the values stay where they are: a
// block is never moved or written again once a value is handed out.
//
// A block of Strings or Slab lives as long as any value placed in it. A
// Hidden slab goes further: the collector does not read its blocks at all,
// and a [Keep] holds every block its values point to. None of the types is
// safe for concurrent use; they are meant for a build done by one
// goroutine.
package pack

import (
	"strings"
	"unsafe"
)

// BlockBytes is the size of a block. A slab block holds at least 128
// elements.
const BlockBytes = 64 << 10

// Strings hands out one copy of each distinct string, its bytes in shared
// blocks. The zero value is not usable: make one with NewStrings.
type Strings struct {
	shared map[string]string
	block  []byte
	keep   *Keep
}

// NewStrings returns an empty string pack. When keep is not nil, it holds
// every block and long string the pack makes, for the Hidden slabs whose
// values point to them.
func NewStrings(keep *Keep) *Strings { return &Strings{shared: map[string]string{}, keep: keep} }

// String returns the packed copy of s: the same string for equal
// contents. A string longer than an eighth of a block gets an allocation
// of its own.
func (p *Strings) String(s string) string {
	if s == "" {
		return ""
	}
	if c, ok := p.shared[s]; ok {
		return c
	}
	var c string
	if len(s) > BlockBytes/8 {
		c = strings.Clone(s)
		p.keep.hold(unsafe.Pointer(unsafe.StringData(c)), uintptr(len(c)))
	} else {
		if cap(p.block)-len(p.block) < len(s) {
			p.block = make([]byte, 0, BlockBytes)
			p.keep.hold(unsafe.Pointer(unsafe.SliceData(p.block)), BlockBytes)
		}
		start := len(p.block)
		p.block = append(p.block, s...)
		// The bytes are never written again: the block is only appended to.
		c = unsafe.String(&p.block[start], len(s))
	}
	p.shared[c] = c
	return c
}

// Slab cuts short slices of T from shared blocks. The zero value is ready
// to use.
type Slab[T any] struct {
	free []T
}

// Take returns n zero elements, their capacity capped at n so that an
// append copies them out. A slice longer than a quarter of a block gets an
// allocation of its own; Take(0) is nil.
func (s *Slab[T]) Take(n int) []T {
	if n <= 0 {
		return nil
	}
	var zero T
	size := max(128, BlockBytes/max(1, int(unsafe.Sizeof(zero))))
	if n > size/4 {
		return make([]T, n)
	}
	if cap(s.free)-len(s.free) < n {
		s.free = make([]T, 0, size)
	}
	return cut(&s.free, n)
}

// cut returns the next n elements of a block's free room, their capacity
// capped at n so that an append copies them out.
func cut[T any](free *[]T, n int) []T {
	start := len(*free)
	*free = (*free)[:start+n]
	return (*free)[start : start+n : start+n]
}

// Copy returns a copy of v taken from the slab (nil when v is empty).
func (s *Slab[T]) Copy(v []T) []T {
	c := s.Take(len(v))
	copy(c, v)
	return c
}

// Keep holds the blocks of the packs that share it for as long as any of
// them is reachable from a Hidden slab's value. The collector reads a
// Hidden block's first word, its Keep, and none of its values: a pointer
// there keeps nothing alive by itself, so everything such a value points to
// must be held by the same Keep (the blocks of its Strings and Hidden slabs,
// and the slices they make on their own). A Keep is what a catalog
// costs the collector to mark: one list of a few hundred blocks, however
// many records, strings and slices are in them.
type Keep struct {
	spans []span
}

// span is a block, or a value of its own, that a Keep holds.
type span struct {
	p unsafe.Pointer
	n uintptr
}

// hold adds n bytes at p to k (a nil Keep holds nothing).
func (k *Keep) hold(p unsafe.Pointer, n uintptr) {
	if k != nil && n > 0 {
		k.spans = append(k.spans, span{p, n})
	}
}

// holdSlice adds the elements of s to k.
func holdSlice[T any](k *Keep, s []T) {
	var zero T
	k.hold(unsafe.Pointer(unsafe.SliceData(s)), uintptr(cap(s))*unsafe.Sizeof(zero))
}

// Holds reports whether the n bytes at p lie in memory k holds (n 0: the
// byte at p). It is for tests, which check that what a Hidden value points
// to is held: it walks every block.
func (k *Keep) Holds(p unsafe.Pointer, n uintptr) bool {
	a := uintptr(p)
	for _, s := range k.spans {
		if b := uintptr(s.p); a >= b && a+max(n, 1) <= b+s.n {
			return true
		}
	}
	return false
}

// hiddenBlock is a block of a Hidden slab: to the collector, one pointer
// (keep) and 64 KB of bytes.
type hiddenBlock struct {
	keep *Keep
	data [BlockBytes]byte
}

// Hidden cuts short slices of T from blocks the collector does not scan.
// Its values may point only to memory its Keep holds: the blocks of the
// packs made with it (a Strings, other Hidden slabs). Any pointer to a *T or into a []T it returns keeps the Keep, and
// so every block, alive. T's alignment must be at most 8 bytes.
type Hidden[T any] struct {
	keep *Keep
	free []T
}

// NewHidden returns an empty hidden slab whose blocks keep holds.
func NewHidden[T any](keep *Keep) *Hidden[T] {
	var zero T
	if unsafe.Alignof(zero) > 8 || unsafe.Sizeof(zero) == 0 || unsafe.Sizeof(zero) > BlockBytes {
		panic("pack: NewHidden of a type it cannot place")
	}
	return &Hidden[T]{keep: keep}
}

// Take returns n zero elements, their capacity capped at n. A slice longer
// than a quarter of a block is made on its own (the collector scans it) and
// held by the Keep; Take(0) is nil.
func (h *Hidden[T]) Take(n int) []T {
	if n <= 0 {
		return nil
	}
	var zero T
	size := BlockBytes / int(unsafe.Sizeof(zero))
	if n > size/4 {
		s := make([]T, n)
		holdSlice(h.keep, s)
		return s
	}
	if cap(h.free)-len(h.free) < n {
		b := &hiddenBlock{keep: h.keep}
		h.keep.hold(unsafe.Pointer(&b.data), BlockBytes)
		// data is 8-aligned (it follows a pointer) and zero, a valid T.
		h.free = unsafe.Slice((*T)(unsafe.Pointer(&b.data)), size)[:0]
	}
	return cut(&h.free, n)
}

// Copy returns a copy of v taken from the slab (nil when v is empty).
func (h *Hidden[T]) Copy(v []T) []T {
	c := h.Take(len(v))
	copy(c, v)
	return c
}
