// Package logtext bounds text before it is shown: attacker-controlled text
// (token header values, claims, activity fields of refused requests) before
// it reaches a log line or an error message, so that one request cannot
// write kilobytes into the log (Clip, ClipTo, Bytes); and long record text
// before it reaches a card, a notification, a warning or a terminal
// (Runes). It is the project's one truncation helper.
package logtext

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxLen is how many bytes of a string Clip keeps.
const MaxLen = 64

// Clip returns s when it is at most MaxLen bytes long, else its first
// MaxLen bytes (cut on a rune boundary) followed by "…(N bytes)", N being
// the length of s.
func Clip(s string) string { return ClipTo(s, MaxLen) }

// ClipTo is Clip with another bound, for text that embeds attacker text
// already clipped (an error message).
func ClipTo(s string, max int) string {
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…(" + strconv.Itoa(len(s)) + " bytes)"
}

// Bytes returns s when it is at most n bytes long, else its first n bytes
// cut back to a rune boundary, followed by "…".
func Bytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := max(n, 0)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// Runes returns s cut to at most n runes: when s is longer, its first n-1
// runes, trailing white space removed, and "…". Invalid UTF-8 is replaced
// by U+FFFD first; n <= 0 gives "".
func Runes(s string, n int) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if n <= 0 {
		return ""
	}
	if len(s) <= n {
		return s
	}
	i := 0
	for j := range s {
		if i == n-1 {
			if utf8.RuneCountInString(s[j:]) <= 1 {
				return s
			}
			return strings.TrimRightFunc(s[:j], unicode.IsSpace) + "…"
		}
		i++
	}
	return s
}
