package attestation

import (
	"html"
	"regexp"
	"strings"
)

var (
	reMDLink   = regexp.MustCompile(`\[([^\]]*)\]\(([^)\s]*)(?:\s+"[^"]*")?\)`)
	reHref     = regexp.MustCompile(`(?i)href\s*=\s*["']([^"']+)["']`)
	reBR       = regexp.MustCompile(`(?i)<br\s*/?>`)
	reTag      = regexp.MustCompile(`<[^>]*>`)
	reAnchorA  = regexp.MustCompile(`(?i)<a\s+name="[^"]*"\s*>\s*</a>`)
	reBlankNLs = regexp.MustCompile(`\n{2,}`)
)

// cleanText turns a Markdown/HTML fragment into plain text: links become
// their text, <br/> becomes a line break, tags and bold markers go,
// entities are decoded and runs of spaces folded.
func cleanText(s string) string {
	if s == "" {
		return ""
	}
	if plainText(s) {
		return strings.TrimSpace(s)
	}
	if strings.IndexByte(s, '<') >= 0 {
		s = reAnchorA.ReplaceAllString(s, "")
		s = reBR.ReplaceAllString(s, "\n")
		s = reTag.ReplaceAllString(s, "")
	}
	if strings.IndexByte(s, '[') >= 0 {
		s = reMDLink.ReplaceAllString(s, "$1")
	}
	if strings.Contains(s, "**") {
		s = strings.ReplaceAll(s, "**", "")
	}
	if strings.Contains(s, `\|`) {
		s = strings.ReplaceAll(s, `\|`, "|")
	}
	if strings.IndexByte(s, '&') >= 0 {
		s = html.UnescapeString(s)
	}
	s = strings.ReplaceAll(s, "\u00a0", " ")
	s = strings.ReplaceAll(s, "\u200b", "")
	if strings.IndexByte(s, '\n') < 0 {
		return strings.TrimSpace(strings.TrimLeft(strings.Join(strings.Fields(s), " "), ","))
	}
	lines := strings.Split(s, "\n")
	out := lines[:0]
	for _, l := range lines {
		l = strings.Join(strings.Fields(l), " ")
		l = strings.TrimLeft(l, ",")
		l = strings.TrimSpace(l)
		if l != "" {
			out = append(out, l)
		}
	}
	return reBlankNLs.ReplaceAllString(strings.Join(out, "\n"), "\n")
}

// plainText reports whether s needs no cleaning beyond trimming: no
// markup, entity, escape, line break, leading comma or run of spaces.
func plainText(s string) bool {
	prevSpace := true
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '<', '[', '*', '&', '\\', '\n', '\t', '\r':
			return false
		case ' ':
			if prevSpace && i > 0 {
				return false
			}
			prevSpace = true
		case ',':
			if i == 0 {
				return false
			}
			prevSpace = false
		case 0xC2, 0xE2: // NBSP (C2 A0), zero-width space (E2 80 8B)
			return false
		default:
			prevSpace = false
		}
	}
	return true
}

// linkTargets returns the URLs of the Markdown links and HTML anchors in s,
// in order.
func linkTargets(s string) []string {
	var out []string
	for _, m := range reMDLink.FindAllStringSubmatch(s, -1) {
		out = append(out, strings.TrimSpace(m[2]))
	}
	for _, m := range reHref.FindAllStringSubmatch(s, -1) {
		out = append(out, strings.TrimSpace(html.UnescapeString(m[1])))
	}
	return out
}

// linkTexts returns the texts of the Markdown links in s.
func linkTexts(s string) []string {
	var out []string
	for _, m := range reMDLink.FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	return out
}

// splitCells splits a Markdown table row into cells. Outer pipes are
// dropped; escaped pipes stay inside their cell.
func splitCells(line string) []string {
	s := strings.TrimSpace(line)
	s = strings.TrimPrefix(s, "|")
	if strings.HasSuffix(s, "|") && !strings.HasSuffix(s, `\|`) {
		s = s[:len(s)-1]
	}
	if strings.IndexByte(s, '\\') < 0 {
		cells := strings.Split(s, "|")
		for i, c := range cells {
			cells[i] = strings.TrimSpace(c)
		}
		return cells
	}
	var cells []string
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\\' && i+1 < len(s) && s[i+1] == '|' {
			b.WriteString(`\|`)
			i++
			continue
		}
		if c == '|' {
			cells = append(cells, strings.TrimSpace(b.String()))
			b.Reset()
			continue
		}
		b.WriteByte(c)
	}
	cells = append(cells, strings.TrimSpace(b.String()))
	return cells
}

// isSeparatorRow reports whether a line is a Markdown table separator
// such as |:---|---:|.
func isSeparatorRow(line string) bool {
	s := strings.TrimSpace(line)
	if !strings.Contains(s, "-") || !strings.Contains(s, "|") {
		return false
	}
	dashes := 0
	for _, r := range s {
		switch r {
		case '-':
			dashes++
		case '|', ':', ' ', '\t':
		default:
			return false
		}
	}
	return dashes >= 3
}
