package attestation

import (
	"html"
	"regexp"
	"strings"
)

var (
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
	if strings.Contains(s, "](") {
		s = replaceMDLinks(s)
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
		case 0xC2: // NBSP is C2 A0
			if i+1 < len(s) && s[i+1] == 0xA0 {
				return false
			}
			prevSpace = false
		case 0xE2: // zero-width space E2 80 8B; other spaces E2 80 80–8A, AF
			if i+2 < len(s) && s[i+1] == 0x80 && (s[i+2] <= 0x8B || s[i+2] == 0xAF) {
				return false
			}
			prevSpace = false
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
	if strings.Contains(s, "](") {
		scanMDLinks(s, func(_, _ int, _, url string) {
			out = append(out, strings.TrimSpace(url))
		})
	}
	if strings.Contains(s, "href") || strings.Contains(s, "HREF") {
		for _, m := range reHref.FindAllStringSubmatch(s, -1) {
			out = append(out, strings.TrimSpace(html.UnescapeString(m[1])))
		}
	}
	return out
}

// scanMDLinks calls fn for each Markdown link [text](url "title") in s with
// its byte span, text and URL. Nested brackets in the text are not links.
func scanMDLinks(s string, fn func(start, end int, text, url string)) {
	for i := 0; i < len(s); {
		open := strings.IndexByte(s[i:], '[')
		if open < 0 {
			return
		}
		open += i
		closeText := strings.Index(s[open:], "](")
		if closeText < 0 {
			return
		}
		closeText += open
		if k := strings.LastIndexByte(s[open+1:closeText], '['); k >= 0 {
			// "[a [b](c)": the link starts at the innermost bracket. Jumping
			// straight to it keeps the scan linear on runs of brackets.
			open += 1 + k
		}
		endURL := strings.IndexByte(s[closeText+2:], ')')
		if endURL < 0 {
			return
		}
		endURL += closeText + 2
		url := s[closeText+2 : endURL]
		if sp := strings.IndexAny(url, " \t"); sp >= 0 {
			url = url[:sp] // drop a "title"
		}
		fn(open, endURL+1, s[open+1:closeText], url)
		i = endURL + 1
	}
}

// replaceMDLinks replaces every Markdown link with its text.
func replaceMDLinks(s string) string {
	var b strings.Builder
	last := 0
	scanMDLinks(s, func(start, end int, text, _ string) {
		b.WriteString(s[last:start])
		b.WriteString(text)
		last = end
	})
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
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
