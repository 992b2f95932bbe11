// Package pack places many small values that live as long as each other
// in a few large blocks: a catalog's strings, records and short slices.
// The collector then marks a few hundred objects for them instead of
// hundreds of thousands (each string and slice of a decoded record, each
// list of a search index's maps), and the values stay where they are: a
// block is never moved or written again once a value is handed out.
//
// A block lives as long as any value placed in it. Neither type is safe
// for concurrent use; both are meant for a build done by one goroutine.
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
}

// NewStrings returns an empty string pack.
func NewStrings() *Strings { return &Strings{shared: map[string]string{}} }

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
	} else {
		if cap(p.block)-len(p.block) < len(s) {
			p.block = make([]byte, 0, BlockBytes)
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
	start := len(s.free)
	s.free = s.free[:start+n]
	return s.free[start : start+n : start+n]
}

// Copy returns a copy of v taken from the slab (nil when v is empty).
func (s *Slab[T]) Copy(v []T) []T {
	c := s.Take(len(v))
	copy(c, v)
	return c
}
