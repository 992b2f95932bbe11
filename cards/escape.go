package cards

import "strings"

// EscapeMarkdown returns s so that a TextBlock, whose text Teams reads as
// markdown, shows it literally: user text echoed into a card ("No app
// named …") must not become a link, an image, bold text, a list or a
// heading under the bot's name. It puts a backslash (the CommonMark escape)
// before * _ [ ] ( ) ! # > ~ ` \ < { } |, before & when it starts an
// entity, and before a list marker (-, +, 1. or 1)) at the start of a line,
// whose leading blanks it drops.
// Every string that came from a user goes through it before it is put in a
// TextBlock; RichTextBlock text runs and action titles are not markdown
// and take the text as it is.
func EscapeMarkdown(s string) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	lineStart := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if lineStart {
			if c == ' ' || c == '\t' {
				continue // leading blanks would make an indented code block
			}
			lineStart = false
			if n := listMarker(s[i:]); n > 0 {
				b.WriteString(s[i : i+n-1])
				b.WriteByte('\\')
				b.WriteByte(s[i+n-1])
				i += n - 1
				continue
			}
		}
		switch c {
		case '\\', '`', '*', '_', '[', ']', '(', ')', '!', '#', '>', '~', '<', '{', '}', '|':
			b.WriteByte('\\')
		case '&':
			if startsEntity(s[i+1:]) {
				b.WriteByte('\\')
			}
		case '\n', '\r':
			lineStart = true
		}
		b.WriteByte(c)
	}
	return b.String()
}

// listMarker returns the length of a list marker ("-", "+", "1.", "12)")
// that opens s when it is followed by a space, a tab or the end, else 0.
func listMarker(s string) int {
	n := 0
	switch {
	case s[0] == '-' || s[0] == '+':
		n = 1
	default:
		for n < len(s) && n < 9 && s[n] >= '0' && s[n] <= '9' {
			n++
		}
		if n == 0 || n >= len(s) || (s[n] != '.' && s[n] != ')') {
			return 0
		}
		n++
	}
	if n < len(s) && s[n] != ' ' && s[n] != '\t' {
		return 0
	}
	return n
}

// startsEntity reports whether s (what follows an &) reads as an HTML
// entity: a name or number and a semicolon.
func startsEntity(s string) bool {
	for i := 0; i < len(s) && i < 33; i++ {
		c := s[i]
		switch {
		case c == ';':
			return i > 0
		case c == '#' && i == 0, c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		default:
			return false
		}
	}
	return false
}
