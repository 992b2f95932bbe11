package cards

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"unicode/utf8"
)

// MaxCardSize is the size budget of one card, in bytes of its JSON encoded
// as UTF-16. Teams measures a bot message as UTF-16 text; its current limit
// is about 100 KB and earlier revisions of the same doc said 40 KB
// (botframework.md §5). The cards keep to 40 KB so that the activity
// around them, and older limits, fit too.
const MaxCardSize = 40 * 1024

// rowBudget is the share of MaxCardSize a page of rows may use; the rest is
// the card's frame (header, buttons, fallbacks).
const rowBudget = 26 * 1024

// ErrTooLarge is returned by Encode for a card over MaxCardSize.
var ErrTooLarge = errors.New("card over the size budget")

// Size returns the size of JSON text b as Teams counts it: two bytes per
// UTF-16 code unit. It is never smaller than len(b).
func Size(b []byte) int {
	if utf8.Valid(b) {
		// Each rune is one UTF-16 unit (two bytes) but those of four UTF-8
		// bytes, which are two: count runes by their leading bytes, eight
		// ASCII bytes at a time where the text is ASCII.
		n, i := 0, 0
		for ; i+8 <= len(b); i += 8 {
			if binary.LittleEndian.Uint64(b[i:])&0x8080808080808080 == 0 {
				n += 16
				continue
			}
			for _, c := range b[i : i+8] {
				n += utf16Bytes[c]
			}
		}
		for _, c := range b[i:] {
			n += utf16Bytes[c]
		}
		return n
	}
	n := 0
	for i := 0; i < len(b); {
		r, w := utf8.DecodeRune(b[i:])
		i += w
		if r >= 0x10000 {
			n += 4
		} else {
			n += 2
		}
	}
	return n
}

// utf16Bytes is, per byte of valid UTF-8, what it adds to Size: 2 for the
// first byte of a rune of one to three bytes, 4 for the first of four, 0 for
// a continuation byte.
var utf16Bytes = func() (t [256]int) {
	for c := range 256 {
		switch {
		case c < 0x80 || (c >= 0xC0 && c < 0xF0):
			t[c] = 2
		case c >= 0xF0:
			t[c] = 4
		}
	}
	return t
}()

// Encode marshals a card (or any attachment content) without HTML
// escaping and checks it against MaxCardSize. An over-budget card returns
// an error wrapping ErrTooLarge; the builders of this package never build
// one. An Adaptive Card is written by cardWriter, without reflection (the
// bytes encoding/json writes, at a fifth of its CPU: encoding was the
// largest cost of the first question about an app, whose card is not
// cached yet); other content goes through encoding/json.
func Encode(c AttachmentContent) ([]byte, error) {
	buf := encodeBuffers.Get().(*[]byte)
	w := cardWriter{b: (*buf)[:0]}
	if card, ok := c.(*AdaptiveCard); ok && card != nil {
		w.card(card)
	} else {
		w.reflect(c)
	}
	b := bytes.Clone(w.b)
	if cap(w.b) <= 64<<10 {
		*buf = w.b
		encodeBuffers.Put(buf)
	}
	if w.err != nil {
		return nil, fmt.Errorf("encode card: %w", w.err)
	}
	if maxSize(b) <= MaxCardSize {
		return b, nil // within the budget whatever its runes: no need to count them
	}
	if n := Size(b); n > MaxCardSize {
		return nil, fmt.Errorf("%w: %d bytes UTF-16, budget %d", ErrTooLarge, n, MaxCardSize)
	}
	return b, nil
}

// maxSize bounds Size(b) without reading b: 2*len(b). Size adds, for each
// rune of valid UTF-8, 2 bytes for a rune of 1 to 3 bytes and 4 for a rune
// of 4 bytes, that is at most twice the rune's length (2 for 1 byte, 2 for
// 2 or 3, 4 for 4); for invalid UTF-8 it adds 2 for each byte that does
// not decode, twice its length, and at most twice the length of each rune
// that does. Summed over b, Size(b) <= 2*len(b) (TestSizeAtMostTwiceLength).
func maxSize(b []byte) int { return 2 * len(b) }

// encodeBuffers holds the buffers Encode writes cards into.
var encodeBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 16<<10); return &b }}

// elementSize returns the UTF-16 size of an element's JSON.
func elementSize(e any) int {
	b, err := json.Marshal(e)
	if err != nil {
		return rowBudget
	}
	return Size(b)
}

// paginate splits items of the given sizes into pages of at most maxItems
// items and at most budget bytes (a page always holds at least one item).
// Page boundaries depend only on the sizes, so a page number in action data
// always names the same rows.
func paginate(sizes []int, budget, maxItems int) [][2]int {
	var pages [][2]int
	start, used := 0, 0
	for i, s := range sizes {
		if i > start && (i-start >= maxItems || used+s > budget) {
			pages = append(pages, [2]int{start, i})
			start, used = i, 0
		}
		used += s
	}
	if start < len(sizes) || len(pages) == 0 {
		pages = append(pages, [2]int{start, len(sizes)})
	}
	return pages
}

// clampPage returns page limited to [0, n-1].
func clampPage(page, n int) int {
	if page < 0 || n <= 0 {
		return 0
	}
	if page >= n {
		return n - 1
	}
	return page
}
