package schema

import "fmt"

// maxDepth is encoding/json's limit on nested objects and arrays.
const maxDepth = 10000

// syntaxError describes invalid JSON at data[i].
func syntaxError(data []byte, i int, context string) error {
	if i >= len(data) {
		return errTruncated
	}
	return fmt.Errorf("invalid character %q %s (offset %d)", data[i], context, i)
}

// scanValue checks that a valid JSON value starts at data[i] and returns the
// index after it; depth is the number of arrays and objects it is nested in.
// It accepts exactly what json.Valid accepts (strings may hold invalid
// UTF-8, which decoding replaces), in one pass without allocating.
func scanValue(data []byte, i, depth int) (int, error) {
	if i >= len(data) {
		return 0, errTruncated
	}
	switch c := data[i]; {
	case c == '"':
		return scanString(data, i)
	case c == '{':
		return scanObject(data, i, depth+1)
	case c == '[':
		return scanArray(data, i, depth+1)
	case c == 't':
		return scanLiteral(data, i, "true")
	case c == 'f':
		return scanLiteral(data, i, "false")
	case c == 'n':
		return scanLiteral(data, i, "null")
	case c == '-' || (c >= '0' && c <= '9'):
		return scanNumber(data, i)
	}
	return 0, syntaxError(data, i, "looking for the beginning of a value")
}

func scanObject(data []byte, i, depth int) (int, error) {
	if depth > maxDepth {
		return 0, fmt.Errorf("exceeded max depth (offset %d)", i)
	}
	i = skipSpace(data, i+1)
	if i < len(data) && data[i] == '}' {
		return i + 1, nil
	}
	for {
		if i >= len(data) || data[i] != '"' {
			return 0, syntaxError(data, i, "looking for the beginning of an object key")
		}
		end, err := scanString(data, i)
		if err != nil {
			return 0, err
		}
		i = skipSpace(data, end)
		if i >= len(data) || data[i] != ':' {
			return 0, syntaxError(data, i, "after object key")
		}
		if i, err = scanValue(data, skipSpace(data, i+1), depth); err != nil {
			return 0, err
		}
		i = skipSpace(data, i)
		if i >= len(data) {
			return 0, errTruncated
		}
		switch data[i] {
		case '}':
			return i + 1, nil
		case ',':
			i = skipSpace(data, i+1)
		default:
			return 0, syntaxError(data, i, "after object key:value pair")
		}
	}
}

func scanArray(data []byte, i, depth int) (int, error) {
	if depth > maxDepth {
		return 0, fmt.Errorf("exceeded max depth (offset %d)", i)
	}
	i = skipSpace(data, i+1)
	if i < len(data) && data[i] == ']' {
		return i + 1, nil
	}
	for {
		var err error
		if i, err = scanValue(data, i, depth); err != nil {
			return 0, err
		}
		i = skipSpace(data, i)
		if i >= len(data) {
			return 0, errTruncated
		}
		switch data[i] {
		case ']':
			return i + 1, nil
		case ',':
			i = skipSpace(data, i+1)
		default:
			return 0, syntaxError(data, i, "after array element")
		}
	}
}

// scanString checks the string starting at data[i] ('"'): no control
// characters, only valid escapes.
func scanString(data []byte, i int) (int, error) {
	for i++; i < len(data); i++ {
		switch c := data[i]; {
		case c == '"':
			return i + 1, nil
		case c < 0x20:
			return 0, syntaxError(data, i, "in string literal")
		case c == '\\':
			i++
			if i >= len(data) {
				return 0, errTruncated
			}
			switch data[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				for range 4 {
					i++
					if i >= len(data) {
						return 0, errTruncated
					}
					if !isHex(data[i]) {
						return 0, syntaxError(data, i, "in \\u hexadecimal character escape")
					}
				}
			default:
				return 0, syntaxError(data, i, "in string escape code")
			}
		}
	}
	return 0, errTruncated
}

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

func scanLiteral(data []byte, i int, lit string) (int, error) {
	for k := 0; k < len(lit); k++ {
		if i+k >= len(data) {
			return 0, errTruncated
		}
		if data[i+k] != lit[k] {
			return 0, syntaxError(data, i+k, "in literal "+lit)
		}
	}
	return i + len(lit), nil
}

// scanNumber checks -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?.
func scanNumber(data []byte, i int) (int, error) {
	if data[i] == '-' {
		i++
	}
	digits := func(what string) error {
		if i >= len(data) {
			return errTruncated
		}
		if data[i] < '0' || data[i] > '9' {
			return syntaxError(data, i, what)
		}
		for i < len(data) && data[i] >= '0' && data[i] <= '9' {
			i++
		}
		return nil
	}
	switch {
	case i >= len(data):
		return 0, errTruncated
	case data[i] == '0':
		i++
	default:
		if err := digits("in numeric literal"); err != nil {
			return 0, err
		}
	}
	if i < len(data) && data[i] == '.' {
		i++
		if err := digits("after decimal point in numeric literal"); err != nil {
			return 0, err
		}
	}
	if i < len(data) && (data[i] == 'e' || data[i] == 'E') {
		i++
		if i < len(data) && (data[i] == '+' || data[i] == '-') {
			i++
		}
		if err := digits("in exponent of numeric literal"); err != nil {
			return 0, err
		}
	}
	return i, nil
}
