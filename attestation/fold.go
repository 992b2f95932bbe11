package attestation

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// This file holds the text folding used by search, filters and diff: case
// and accent folding, tokenization with CJK character bigrams, and a bounded
// Damerau-Levenshtein distance.

// foldSpecial maps letters that do not decompose under NFKD to their ASCII
// spelling.
var foldSpecial = map[rune]string{
	'ß': "ss", 'æ': "ae", 'œ': "oe", 'ø': "o", 'ł': "l", 'đ': "d", 'ð': "d",
	'þ': "th", 'ı': "i", 'ħ': "h", 'ŧ': "t", 'ŀ': "l",
}

// Fold returns s case- and accent-folded for comparison: NFKD-decomposed,
// combining marks removed, lower-cased, apostrophes dropped, and every run
// of other non-letter, non-digit characters turned into a single space.
// Full-width forms become ASCII. The result has no leading or trailing
// space.
func Fold(s string) string {
	if isFoldedASCII(s) {
		return s
	}
	if isASCII(s) {
		return foldASCII(s)
	}
	return foldUnicode(s)
}

// foldUnicode is the general Fold path.
func foldUnicode(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	emit := func(r rune) {
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	it := norm.Iter{}
	it.InitString(norm.NFKD, s)
	for !it.Done() {
		seg := it.Next()
		for len(seg) > 0 {
			r, n := utf8.DecodeRune(seg)
			seg = seg[n:]
			switch {
			case unicode.Is(unicode.Mn, r):
				continue
			case r == '\'' || r == '’' || r == '‘' || r == 'ʼ' || r == '`' || r == '´':
				continue
			case unicode.IsLetter(r) || unicode.IsDigit(r):
				r = unicode.ToLower(r)
				if sp, ok := foldSpecial[r]; ok {
					for _, c := range sp {
						emit(c)
					}
					continue
				}
				emit(r)
			default:
				space = true
			}
		}
	}
	return b.String()
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// foldASCII is Fold for ASCII input: no decomposition needed.
func foldASCII(s string) string {
	b := make([]byte, 0, len(s))
	space := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case c == '\'' || c == '`':
			continue
		default:
			space = true
			continue
		}
		if space && len(b) > 0 {
			b = append(b, ' ')
		}
		space = false
		b = append(b, c)
	}
	return string(b)
}

// isFoldedASCII reports whether s is already in folded form and ASCII, so
// Fold can return it unchanged without allocating.
func isFoldedASCII(s string) bool {
	if s == "" {
		return true
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	prevSpace := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			prevSpace = false
		case c == ' ':
			if prevSpace {
				return false
			}
			prevSpace = true
		default:
			return false
		}
	}
	return true
}

// isCJK reports whether r is a Han, Hiragana, Katakana or Hangul character,
// scripts written without spaces between words (Hangul is indexed the same
// way for simplicity).
func isCJK(r rune) bool {
	if r < 0x1100 {
		return false
	}
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) ||
		unicode.Is(unicode.Katakana, r) || unicode.Is(unicode.Hangul, r)
}

// tokenize splits a folded string into search tokens. Words of alphabetic
// scripts are tokens; runs of CJK characters become overlapping character
// bigrams (a single character when the run has one).
func tokenize(folded string) []string {
	var toks []string
	for _, word := range strings.Fields(folded) {
		toks = appendWordTokens(toks, word)
	}
	return toks
}

func appendWordTokens(toks []string, word string) []string {
	hasCJK := false
	for _, r := range word {
		if isCJK(r) {
			hasCJK = true
			break
		}
	}
	if !hasCJK {
		return append(toks, word)
	}
	// Split the word into CJK runs and other runs.
	start := 0
	inCJK := false
	flush := func(end int) {
		if start >= end {
			return
		}
		part := word[start:end]
		if !inCJK {
			toks = append(toks, part)
			return
		}
		toks = appendBigrams(toks, part)
	}
	for i, r := range word {
		c := isCJK(r)
		if i == 0 {
			inCJK = c
			continue
		}
		if c != inCJK {
			flush(i)
			start = i
			inCJK = c
		}
	}
	flush(len(word))
	return toks
}

func appendBigrams(toks []string, run string) []string {
	var idx [3]int // byte offsets of the last runes
	n := 0
	for i := range run {
		if n < 2 {
			idx[n] = i
			n++
			continue
		}
		toks = append(toks, run[idx[0]:i])
		idx[0], idx[1] = idx[1], i
	}
	if n == 1 {
		return append(toks, run)
	}
	return append(toks, run[idx[0]:])
}

// isCJKToken reports whether a token is a CJK bigram or character.
func isCJKToken(tok string) bool {
	r, _ := utf8.DecodeRuneInString(tok)
	return isCJK(r)
}

// maxDistance is the typo budget for a query token of n runes: none below
// 4 runes, one up to 7, two from 8.
func maxDistance(n int) int {
	switch {
	case n < 4:
		return 0
	case n < 8:
		return 1
	default:
		return 2
	}
}

// damerau returns the optimal-string-alignment Damerau-Levenshtein distance
// between a and b, or k+1 as soon as it is known to exceed k. It works on
// runes and allocates only for inputs longer than 32 runes.
func damerau(a, b string, k int) int {
	var abuf, bbuf [32]rune
	ar := toRunes(a, abuf[:0])
	br := toRunes(b, bbuf[:0])
	la, lb := len(ar), len(br)
	if d := la - lb; d > k || -d > k {
		return k + 1
	}
	if la == 0 {
		return lb
	}
	if lb == 0 {
		return la
	}
	var rows [3][33]int
	var prev2, prev, cur []int
	if lb+1 <= len(rows[0]) {
		prev2, prev, cur = rows[0][:lb+1], rows[1][:lb+1], rows[2][:lb+1]
	} else {
		prev2, prev, cur = make([]int, lb+1), make([]int, lb+1), make([]int, lb+1)
	}
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= la; i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= lb; j++ {
			cost := 1
			if ar[i-1] == br[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ar[i-1] == br[j-2] && ar[i-2] == br[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > k {
			return k + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	if prev[lb] > k {
		return k + 1
	}
	return prev[lb]
}

func toRunes(s string, buf []rune) []rune {
	for _, r := range s {
		buf = append(buf, r)
	}
	return buf
}

// bigrams appends the padded character bigrams of a token ("^p", "pl",
// …, "m$") to dst. A token of n runes has n+1 bigrams; one edit changes at
// most two of them, a transposition three.
func bigrams(dst []string, tok string) []string {
	p := "^" + tok + "$"
	prev := -1
	for i := range p {
		if prev >= 0 {
			_, n := utf8.DecodeRuneInString(p[i:])
			dst = append(dst, p[prev:i+n])
		}
		prev = i
	}
	return dst
}
