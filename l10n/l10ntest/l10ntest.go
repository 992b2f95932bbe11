// Package l10ntest helps tests check that what the bot writes for a
// language comes from that language's catalog: Leaks finds English
// catalog text in a card or message written for another language.
package l10ntest

import (
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode"

	"github.com/attestbot/attestbot/l10n"
)

// minFragment is the shortest English text Leaks looks for: shorter
// fragments ("Yes", "App") are words other languages share or quote.
const minFragment = 10

var placeholder = regexp.MustCompile(`\{\{[^}]*\}\}`)

// englishOnly holds, per catalog locale, the English fragments that
// locale's catalog never writes.
var englishOnly = sync.OnceValue(func() map[string][]string {
	en := l10n.Sources(l10n.English)
	out := map[string][]string{}
	for _, loc := range l10n.Locales[1:] {
		xx := l10n.Sources(loc)
		var all strings.Builder
		for _, forms := range xx {
			for _, f := range forms {
				all.WriteString(f)
				all.WriteByte('\n')
			}
		}
		theirs := all.String()
		seen := map[string]bool{}
		for id, forms := range en {
			if slices.Equal(forms, xx[id]) {
				continue // the same in both (product names, examples)
			}
			for _, f := range forms {
				for _, frag := range placeholder.Split(f, -1) {
					frag = strings.TrimFunc(frag, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
					if len([]rune(frag)) < minFragment || !strings.Contains(frag, " ") || seen[frag] || strings.Contains(theirs, frag) {
						continue
					}
					seen[frag] = true
					out[loc] = append(out[loc], frag)
				}
			}
		}
		slices.Sort(out[loc])
	}
	return out
})

// Leaks returns the English catalog fragments (of at least two words and
// ten characters, that the locale's own catalog never writes) found in
// text, a card's JSON or a message written for locale. It returns nil for
// English and for a text with none.
func Leaks(locale, text string) []string {
	var out []string
	for _, frag := range englishOnly()[l10n.Match(locale)] {
		if strings.Contains(text, frag) {
			out = append(out, frag)
		}
	}
	return out
}

// Fragments returns how many English fragments Leaks looks for in
// locale's texts (a test can check the check has teeth).
func Fragments(locale string) int { return len(englishOnly()[l10n.Match(locale)]) }
