// Package logtext bounds attacker-controlled text (token header values,
// claims, activity fields of refused requests) before it reaches a log line
// or an error message: one request must not be able to write kilobytes into
// the log.
package logtext

import (
	"strconv"
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
