package l10n

import (
	"strings"
	"unicode"
)

// Segment spaces out the words of Chinese, Japanese and Korean text the
// way the chat grammar and the query parser read words (split on spaces):
// a space goes between Latin letters or digits and CJK characters
// ("Plumm는" → "Plumm 는", "Plumm符合HIPAA吗" → "Plumm 符合 HIPAA 吗"),
// and in Japanese between kanji and hiragana, which separates particles
// and verb endings from the words they follow ("HIPAAに準拠していますか"
// → "HIPAA に 準拠 していますか"). Full-width forms are folded to ASCII
// first. Text with no CJK character is returned as is.
func Segment(text string) string {
	if !hasCJK(text) {
		return text
	}
	var b strings.Builder
	b.Grow(len(text) + 16)
	prev := classNone
	for _, r := range text {
		r = narrow(r)
		c := classOf(r)
		if prev != classNone && c != classNone && prev != c && breakBetween(prev, c) {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
		prev = c
	}
	return b.String()
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
	return (a == classHan && b == classHiragana) || (a == classHiragana && b == classHan) ||
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
