package l10n

import (
	"slices"
	"strings"
	"unicode"
)

// Segment spaces out the words of Chinese, Japanese and Korean text the
// way the chat grammar and the query parser read words (split on spaces):
// a space goes between Latin letters or digits and CJK characters
// ("Plumm는" → "Plumm 는", "Plumm符合HIPAA吗" → "Plumm 符合 HIPAA 吗"),
// and in Japanese before kanji and around katakana, which separates
// particles from the words they follow while verb endings stay with their
// kanji ("HIPAAに準拠していますか" → "HIPAA に 準拠していますか").
// Full-width forms are folded to ASCII first. The Spanish inverted marks
// ¿ and ¡ become spaces. Text with none of these is returned as is.
func Segment(text string) string {
	if strings.ContainsAny(text, "¿¡") {
		text = strings.NewReplacer("¿", " ", "¡", " ").Replace(text)
	}
	if !hasCJK(text) {
		return text
	}
	rs := []rune(text)
	for i, r := range rs {
		rs[i] = narrow(r)
	}
	var b strings.Builder
	b.Grow(len(text) + 16)
	prev := classNone
	for i, r := range rs {
		c := classOf(r)
		if prev != classNone && c != classNone && prev != c &&
			(breakBetween(prev, c) || (prev == classHan && c == classHiragana && particleAt(rs, i))) {
			b.WriteByte(' ')
		} else if c == classHiragana && prev == classHiragana && hiraganaWordBefore(rs, i) {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
		prev = c
	}
	return b.String()
}

// particleAt reports whether the hiragana run at rs[i:] is one particle
// (アクセス許可|は, 許可|を), not the ending of the kanji before it (必要な).
func particleAt(rs []rune, i int) bool {
	j := i
	for j < len(rs) && classOf(rs[j]) == classHiragana {
		j++
	}
	if j-i != 1 {
		return false
	}
	return strings.ContainsRune("はがをにでとのもへや", rs[i])
}

// hiraganaWords are words written in hiragana that a message may end with
// a particle glued on ("すべてをフォロー": follow everything); the grammar
// reads the word and the particle apart.
var hiraganaWords = [][]rune{[]rune("すべて"), []rune("ぜんぶ")}

// hiraganaWordBefore reports whether the hiragana run that rs[i] continues
// is one of hiraganaWords up to i and one particle from i. The possessive
// の is left on (すべての, "every", is a word of the grammar).
func hiraganaWordBefore(rs []rune, i int) bool {
	if rs[i] == 'の' || !particleAt(rs, i) {
		return false
	}
	start := i
	for start > 0 && classOf(rs[start-1]) == classHiragana {
		start--
	}
	for _, w := range hiraganaWords {
		if slices.Equal(rs[start:i], w) {
			return true
		}
	}
	return false
}

type charClass uint8

const (
	classNone     charClass = iota // spaces, punctuation, symbols
	classLatin                     // letters and digits of alphabetic scripts
	classHan                       // kanji, hanzi, hanja
	classHiragana                  // Japanese particles and endings
	classKatakana                  // Japanese loanwords
	classHangul                    // Korean
)

func classOf(r rune) charClass {
	switch {
	case unicode.Is(unicode.Han, r):
		return classHan
	case unicode.Is(unicode.Hiragana, r):
		return classHiragana
	case unicode.Is(unicode.Katakana, r) || r == 'ー':
		return classKatakana
	case unicode.Is(unicode.Hangul, r):
		return classHangul
	case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '-' || r == '_' || r == '=' || r == '*':
		// Scope names (Mail.ReadWrite), filters (hipaa=yes) and globs stay whole.
		return classLatin
	}
	return classNone
}

// breakBetween reports whether a word boundary falls between two classes.
func breakBetween(a, b charClass) bool {
	if a == classLatin || b == classLatin {
		return true
	}
	// Kanji and hiragana: 準拠|していますか, 必要|な. Katakana and kanji
	// stay together (アクセス許可).
	// A particle before a word (に|準拠) breaks; okurigana after kanji stay
	// with them (準拠していますか, 必要な, 教えて).
	return (a == classHiragana && b == classHan) ||
		(a == classHiragana && b == classKatakana) || (a == classKatakana && b == classHiragana)
}

func hasCJK(s string) bool {
	for _, r := range s {
		if r >= 0x1100 && (classOf(r) > classLatin || (r >= 0xFF01 && r <= 0xFF5E)) {
			return true
		}
	}
	return false
}

// narrow folds a full-width ASCII form (ＨＩＰＡＡ, ？) to ASCII, and the
// ideographic space to a space.
func narrow(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E:
		return r - 0xFF01 + '!'
	case r == 0x3000:
		return ' '
	}
	return r
}
