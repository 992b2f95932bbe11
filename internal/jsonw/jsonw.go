// Package jsonw appends JSON values to byte slices, byte for byte as
// encoding/json writes them, for the encoders on the reply path (activities
// and cards) that write their types by hand instead of by reflection.
package jsonw

import (
	"strconv"
	"unicode/utf8"
)

const hex = "0123456789abcdef"

// safe[c] is true for the ASCII bytes written as they are in a JSON string;
// htmlSafe[c] also excludes <, > and &.
var safe, htmlSafe [utf8.RuneSelf]bool

func init() {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		safe[c] = c != '"' && c != '\\'
		htmlSafe[c] = safe[c] && c != '<' && c != '>' && c != '&'
	}
}

// String appends s as a JSON string, as encoding/json writes it: invalid
// UTF-8 becomes U+FFFD, U+2028 and U+2029 are escaped, and <, > and & are
// escaped when escapeHTML (json.Marshal's default).
func String(b []byte, s string, escapeHTML bool) []byte {
	table := &safe
	if escapeHTML {
		table = &htmlSafe
	}
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if table[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// Key appends the name of an object member and its colon, after a comma
// unless the member is the object's first (b ends with '{').
func Key(b []byte, name string) []byte {
	if len(b) > 0 && b[len(b)-1] != '{' {
		b = append(b, ',')
	}
	b = append(b, '"')
	b = append(b, name...)
	return append(b, '"', ':')
}

// Field appends a string member; an empty value is left out when
// omitEmpty. Names are written as they are: callers pass plain ASCII.
func Field(b []byte, name, value string, omitEmpty, escapeHTML bool) []byte {
	if value == "" && omitEmpty {
		return b
	}
	return String(Key(b, name), value, escapeHTML)
}

// Bool appends a member that is left out when false (omitempty).
func Bool(b []byte, name string, v bool) []byte {
	if !v {
		return b
	}
	return append(Key(b, name), "true"...)
}

// BoolPtr appends a *bool member that is left out when nil (omitempty).
func BoolPtr(b []byte, name string, v *bool) []byte {
	if v == nil {
		return b
	}
	return strconv.AppendBool(Key(b, name), *v)
}

// Int appends an int member that is left out when 0 (omitempty).
func Int(b []byte, name string, v int) []byte {
	if v == 0 {
		return b
	}
	return strconv.AppendInt(Key(b, name), int64(v), 10)
}
