package schema

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
)

// knownFields is the set of JSON names a struct type decodes into its own
// fields; every other top-level key is kept as an extra field.
type knownFields struct {
	names []string
	set   map[string]struct{}
}

// newKnownFields lists the JSON names of the exported fields of the struct
// type of v.
func newKnownFields(v any) knownFields {
	t := reflect.TypeOf(v)
	k := knownFields{set: map[string]struct{}{}}
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if name == "" {
			name = f.Name
		}
		k.names = append(k.names, name)
		k.set[name] = struct{}{}
	}
	return k
}

// has reports whether encoding/json would decode key into a field: an exact
// match or a case-insensitive (Unicode simple folding) one.
func (k knownFields) has(key string) bool {
	if _, ok := k.set[key]; ok {
		return true
	}
	for _, n := range k.names {
		if strings.EqualFold(n, key) {
			return true
		}
	}
	return false
}

var errTruncated = errors.New("truncated JSON object")

func skipSpace(data []byte, i int) int {
	for i < len(data) {
		switch data[i] {
		case ' ', '\t', '\r', '\n':
			i++
		default:
			return i
		}
	}
	return i
}

// skipString returns the index after the JSON string starting at i.
func skipString(data []byte, i int) (int, error) {
	if i >= len(data) || data[i] != '"' {
		return 0, errTruncated
	}
	for i++; i < len(data); i++ {
		switch data[i] {
		case '\\':
			i++
		case '"':
			return i + 1, nil
		}
	}
	return 0, errTruncated
}

// skipValue returns the index after the JSON value starting at i.
func skipValue(data []byte, i int) (int, error) {
	if i >= len(data) {
		return 0, errTruncated
	}
	switch data[i] {
	case '"':
		return skipString(data, i)
	case '{', '[':
		depth := 0
		for i < len(data) {
			switch data[i] {
			case '"':
				end, err := skipString(data, i)
				if err != nil {
					return 0, err
				}
				i = end
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1, nil
				}
			}
			i++
		}
		return 0, errTruncated
	default: // number, true, false, null
		for i < len(data) {
			switch data[i] {
			case ',', '}', ']', ' ', '\t', '\r', '\n':
				return i, nil
			}
			i++
		}
		return i, nil
	}
}

// appendExtra splices the extra fields into the encoded JSON object obj, in
// key order, skipping keys that name a known field. A value that is not valid
// JSON is an error.
func appendExtra(obj []byte, extra map[string]json.RawMessage, known knownFields) ([]byte, error) {
	if len(extra) == 0 {
		return obj, nil
	}
	obj = bytes.TrimSpace(obj)
	if len(obj) < 2 || obj[len(obj)-1] != '}' {
		return nil, fmt.Errorf("encode extra fields: not a JSON object")
	}
	keys := make([]string, 0, len(extra))
	for key := range extra {
		if !known.has(key) {
			keys = append(keys, key)
		}
	}
	if len(keys) == 0 {
		return obj, nil
	}
	slices.Sort(keys)
	out := make([]byte, 0, len(obj)+64*len(keys))
	out = append(out, obj[:len(obj)-1]...)
	empty := len(bytes.TrimSpace(obj[1:len(obj)-1])) == 0
	for _, key := range keys {
		val := bytes.TrimSpace(extra[key])
		if !json.Valid(val) {
			return nil, fmt.Errorf("encode extra field %q: invalid JSON value", key)
		}
		if !empty {
			out = append(out, ',')
		}
		empty = false
		qk, err := json.Marshal(key)
		if err != nil {
			return nil, fmt.Errorf("encode extra field name: %w", err)
		}
		out = append(out, qk...)
		out = append(out, ':')
		out = append(out, val...)
	}
	return append(out, '}'), nil
}
