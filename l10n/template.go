package l10n

import (
	"fmt"
	"strings"

	"github.com/nicksnyder/go-i18n/v2/i18n/template"
)

// parser is the go-i18n template parser of the catalogs: it reads only
// {{.Name}} placeholders, and fills them without text/template's
// reflection (a card writes dozens of messages).
var parser template.Parser = placeholderParser{}

type placeholderParser struct{}

// Cacheable reports that parsed messages may be cached by go-i18n.
func (placeholderParser) Cacheable() bool { return true }

// Parse splits src into literal text and placeholders.
func (placeholderParser) Parse(src, leftDelim, rightDelim string) (template.ParsedTemplate, error) {
	if leftDelim == "" {
		leftDelim = "{{"
	}
	if rightDelim == "" {
		rightDelim = "}}"
	}
	var t parsed
	rest := src
	for {
		i := strings.Index(rest, leftDelim)
		if i < 0 {
			t.parts = append(t.parts, part{text: rest})
			break
		}
		j := strings.Index(rest[i:], rightDelim)
		if j < 0 {
			return nil, fmt.Errorf("unclosed placeholder in %q", src)
		}
		name := strings.TrimSpace(rest[i+len(leftDelim) : i+j])
		if !strings.HasPrefix(name, ".") || !isIdent(name[1:]) {
			return nil, fmt.Errorf("placeholder %q in %q: only {{.Name}} is allowed", name, src)
		}
		t.parts = append(t.parts, part{text: rest[:i]}, part{name: name[1:]})
		rest = rest[i+j+len(rightDelim):]
	}
	return &t, nil
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_', 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z':
		case '0' <= r && r <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

type part struct {
	text string
	name string
}

type parsed struct{ parts []part }

// Execute fills the placeholders from a map (Args or map[string]any). A
// missing value is left empty.
func (t *parsed) Execute(data any) (string, error) {
	var m map[string]any
	switch d := data.(type) {
	case map[string]any:
		m = d
	case Args:
		m = d
	}
	if len(t.parts) == 1 && t.parts[0].name == "" {
		return t.parts[0].text, nil
	}
	var b strings.Builder
	for _, p := range t.parts {
		if p.name == "" {
			b.WriteString(p.text)
			continue
		}
		if v, ok := m[p.name]; ok {
			b.WriteString(itoa(v))
		}
	}
	return b.String(), nil
}

// fill is Execute with the one value name: the placeholders of other
// names are left empty, as Execute leaves a missing value.
func (t *parsed) fill(name, value string) string {
	if len(t.parts) == 1 && t.parts[0].name == "" {
		return t.parts[0].text
	}
	n := 0
	for _, p := range t.parts {
		switch p.name {
		case "":
			n += len(p.text)
		case name:
			n += len(value)
		}
	}
	var b strings.Builder
	b.Grow(n)
	for _, p := range t.parts {
		switch p.name {
		case "":
			b.WriteString(p.text)
		case name:
			b.WriteString(value)
		}
	}
	return b.String()
}
