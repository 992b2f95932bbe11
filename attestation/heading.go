package attestation

import "strings"

// splitHeading reads a Markdown heading line: its run of '#' (at most six;
// more are part of the text), an optional <a name="…"></a> anchor, and
// the text. It reads what the expression
// ^(#{1,6})\s*(?:<a\s+name\s*=\s*"([^"]*)"\s*>\s*</a>)?\s*(.*)$ reads, in
// one pass and without allocating (TestSplitHeading compares them). ok is
// false when the line does not start with '#' or holds a line feed.
func splitHeading(t string) (hashes, anchor, text string, ok bool) {
	n := 0
	for n < len(t) && n < 6 && t[n] == '#' {
		n++
	}
	if n == 0 {
		return "", "", "", false
	}
	rest := skipReSpace(t[n:])
	if a, after, found := headingAnchor(rest); found {
		anchor, rest = a, skipReSpace(after)
	}
	if strings.IndexByte(rest, '\n') >= 0 {
		return "", "", "", false
	}
	return t[:n], anchor, rest, true
}

// headingAnchor reads <a name="…"></a> at the start of s.
func headingAnchor(s string) (anchor, after string, ok bool) {
	if !strings.HasPrefix(s, "<a") {
		return "", "", false
	}
	j := len(s) - len(skipReSpace(s[2:]))
	if j == 2 || !strings.HasPrefix(s[j:], "name") {
		return "", "", false
	}
	j = len(s) - len(skipReSpace(s[j+4:]))
	if j >= len(s) || s[j] != '=' {
		return "", "", false
	}
	j = len(s) - len(skipReSpace(s[j+1:]))
	if j >= len(s) || s[j] != '"' {
		return "", "", false
	}
	k := strings.IndexByte(s[j+1:], '"')
	if k < 0 {
		return "", "", false
	}
	anchor = s[j+1 : j+1+k]
	j = len(s) - len(skipReSpace(s[j+1+k+1:]))
	if j >= len(s) || s[j] != '>' {
		return "", "", false
	}
	j = len(s) - len(skipReSpace(s[j+1:]))
	if !strings.HasPrefix(s[j:], "</a>") {
		return "", "", false
	}
	return anchor, s[j+4:], true
}

// skipReSpace drops the leading characters of the regular expression
// class \s: tab, line feed, form feed, carriage return and space.
func skipReSpace(s string) string {
	i := 0
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\f' || s[i] == '\r') {
		i++
	}
	return s[i:]
}

// indexLinkTarget returns the page path of an index page's relative link
// ("./plumm-health-ltd.md" → "plumm-health-ltd"): what
// ^\./?([^)]+?)\.md$ captures (TestIndexLinkTarget compares them).
func indexLinkTarget(u string) (string, bool) {
	if len(u) < 5 || u[0] != '.' || !strings.HasSuffix(u, ".md") {
		return "", false
	}
	body := u[1 : len(u)-3]
	if len(body) > 1 && body[0] == '/' && !strings.Contains(body[1:], ")") {
		return body[1:], true
	}
	if body == "" || strings.Contains(body, ")") {
		return "", false
	}
	return body, true
}
