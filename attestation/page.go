package attestation

import (
	"strings"
)

// parse reads the whole page: front matter, then the body, then turns what
// it found into the record.
func (p *pageParser) parse() (*Record, error) {
	data, cut := clampPage(p.data)
	text := pageText(data)
	all := splitText(text)
	if cut {
		p.warn(len(all), "page is %d bytes, over the %d-byte budget: only the first %d bytes were read", len(p.data), MaxPageBytes, len(data))
	}
	body := p.readFrontMatter(all)
	p.walkBody(body)

	r := p.rec
	r.Path, r.Locale = p.src.Path, p.src.Locale
	if r.Path == "" || r.Locale == "" {
		pp, loc := locatePage(p.src.File)
		if r.Path == "" {
			r.Path = pp
		}
		if r.Locale == "" {
			r.Locale = loc
		}
	}
	if fl := p.front["ms.contentlocale"]; fl != "" && isLocale(fl) {
		if r.Locale != "" && r.Locale != fl {
			p.warn(0, "locale %s from the front matter differs from %s of the file's location", fl, r.Locale)
		}
		r.Locale = fl
	}
	if r.Locale == "" {
		// The English source pages carry no locale.
		r.Locale = "en-US"
	}
	r.Meta = Meta{
		SourceHash:   p.front["ms.openlocfilehash"],
		SourceCommit: p.front["ms.sourcegitcommit"],
		SourceDate:   p.front["ms.date"],
		PivotGroup:   p.front["zone_pivot_groups"],
		Title:        p.front["title"],
	}
	r.Certification = Certification(strings.ToLower(p.front["certification_type"]))

	if p.front == nil && p.h1Line == 0 {
		return nil, ErrNotPage
	}
	if p.h1Line == 0 {
		if p.front["ms.service"] == "" && p.front["certification_type"] == "" {
			return nil, ErrNotPage
		}
		p.warn(0, "no H1 heading")
	}

	// Decide the page type and fix the path when the file's location did
	// not tell it.
	if r.Path == "" || strings.HasPrefix(r.Path, "Apps/?/") {
		r.Path = p.guessPath(r.Path)
	}
	parts := strings.Split(r.Path, "/")
	if len(parts) == 3 {
		r.Kind = parts[1]
	}
	r.Slug = slugOf(r.Path)
	switch {
	case r.Slug == r.Kind+"-apps" || strings.HasSuffix(r.Slug, "-apps") && strings.HasPrefix(p.h1Anchor, "azure-app-ids") || strings.HasSuffix(r.Slug, "-apps") && len(p.tables) > 0 && p.front["certification_type"] == "" && p.front["zone_pivot_groups"] == "":
		r.Type = PageIndex
	case r.Kind == "azure" || reGUIDExact.MatchString(r.Slug) || strings.HasPrefix(p.h1Anchor, "azure-app-id-"):
		r.Type = PageAzure
		if r.Kind == "" {
			r.Kind = "azure"
		}
	default:
		r.Type = PageApp
	}
	if r.Type == PageApp && len(p.zones) == 0 && p.h1Line > 0 && !p.hasBadge() {
		// Guides and overviews carry an H1 but no zone and no badge.
		return nil, ErrNotPage
	}
	r.Anchor = p.h1Anchor
	r.Name = cleanText(p.h1Text)
	r.Zones = p.zones

	switch r.Type {
	case PageApp:
		p.buildApp()
	case PageAzure:
		p.buildAzure()
	case PageIndex:
		p.buildIndex()
	}
	compact(r, text)
	return r, nil
}

// readFrontMatter parses the YAML front matter (one key: value a line) and
// returns the body lines.
func (p *pageParser) readFrontMatter(all []line) []line {
	i := 0
	for i < len(all) && strings.TrimSpace(all[i].text) == "" {
		i++
	}
	if i >= len(all) || strings.TrimSpace(all[i].text) != "---" {
		return all
	}
	p.front = map[string]string{}
	for j := i + 1; j < len(all); j++ {
		t := all[j].text
		if strings.TrimSpace(t) == "---" {
			return all[j+1:]
		}
		k, v, ok := strings.Cut(t, ":")
		if !ok || strings.HasPrefix(t, " ") || strings.HasPrefix(t, "\t") || strings.HasPrefix(t, "-") {
			continue
		}
		v = strings.TrimSpace(v)
		if len(v) >= 2 && (v[0] == '"' && v[len(v)-1] == '"' || v[0] == '\'' && v[len(v)-1] == '\'') {
			v = v[1 : len(v)-1]
		}
		p.front[strings.TrimSpace(k)] = v
	}
	p.warn(all[i].n, "front matter is not closed with ---")
	return nil
}

func (p *pageParser) hasBadge() bool {
	for _, l := range p.preamble {
		if strings.Contains(l.text, "attested.png") || strings.Contains(l.text, "certified.png") {
			return true
		}
	}
	return false
}

// guessPath builds Apps/<host>/<slug>.md for a page whose location did not
// tell its host (history files): the Teams store link means teams, an
// azure H1 means azure.
func (p *pageParser) guessPath(partial string) string {
	slug := ""
	if strings.HasPrefix(partial, "Apps/?/") {
		slug = slugOf(partial)
	}
	if slug == "" {
		base := strings.TrimSuffix(baseName(p.src.File), ".md")
		slug = base
	}
	host := "teams"
	switch {
	case strings.HasPrefix(p.h1Anchor, "azure-app-id-"):
		host = "azure"
	case p.hasTeamsLink():
		host = "teams"
	default:
		for _, l := range p.preamble {
			if reAppSource.MatchString(l.text) && strings.Contains(l.text, "web-apps") {
				host = "saas"
			}
		}
	}
	return "Apps/" + host + "/" + slug + ".md"
}

func (p *pageParser) hasTeamsLink() bool {
	for _, l := range p.preamble {
		if reTeamsLink.MatchString(l.text) {
			return true
		}
	}
	return false
}

func baseName(f string) string {
	f = strings.ReplaceAll(f, "\\", "/")
	if i := strings.LastIndexByte(f, '/'); i >= 0 {
		return f[i+1:]
	}
	return f
}

// walkBody reads the body line by line: headings, zones, tables,
// blockquote statements, bullets and the preamble.
func (p *pageParser) walkBody(body []line) {
	zone, anchor := "", ""
	inZone := false
	for i := 0; i < len(body); i++ {
		l := body[i]
		if p.overBudget(l.n) {
			break
		}
		t := strings.TrimSpace(l.text)
		if t == "" {
			continue
		}
		zoneMarker := strings.HasPrefix(t, ":::")
		if m := zoneStartOf(t, zoneMarker); m != nil {
			if inZone {
				p.warn(l.n, "zone %q starts before zone %q ends", m[1], zone)
			}
			zone, anchor, inZone = strings.TrimSpace(m[1]), "", true
			p.zones = append(p.zones, zone)
			continue
		}
		if zoneMarker && reZoneEnd.MatchString(t) {
			if !inZone {
				p.warn(l.n, "zone-end without a zone")
			}
			inZone, anchor = false, ""
			continue
		}
		if strings.HasPrefix(t, "#") {
			if hashes, a, text, ok := splitHeading(t); ok {
				if len(hashes) == 1 && p.h1Line == 0 {
					p.h1Line, p.h1Anchor, p.h1Text = l.n, a, strings.TrimSpace(text)
				} else if a != "" {
					anchor = a
				}
				continue
			}
		}
		if len(p.zones) == 0 && p.h1Line > 0 {
			p.preamble = append(p.preamble, l)
		}
		// Tables: a row starts with | (or >| in a blockquote); a header may
		// be glued to text before it when the next line is a separator.
		quote := strings.HasPrefix(t, ">")
		inner := strings.TrimSpace(strings.TrimLeft(t, "> "))
		if quote {
			inner = strings.TrimSpace(strings.TrimPrefix(t, ">"))
			inner = strings.TrimSpace(strings.TrimLeft(inner, ">"))
		}
		next := ""
		if i+1 < len(body) {
			next = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(body[i+1].text), ">"))
		}
		if strings.HasPrefix(inner, "|") || (strings.Contains(inner, "|") && isSeparatorRow(next)) {
			j := p.readTable(body, i, zone, anchor, quote)
			i = j - 1
			continue
		}
		if quote {
			if inner != "" {
				p.statements = append(p.statements, statementRaw{zone: zone, anchor: anchor, line: l.n, text: inner})
			}
			continue
		}
		if strings.HasPrefix(t, "- ") || strings.HasPrefix(t, "* ") {
			p.bullets = append(p.bullets, l)
		}
	}
	if inZone {
		p.warn(0, "zone %q is not closed", zone)
	}
}

// readTable reads a table starting at body[i] and returns the index of the
// first line after it.
func (p *pageParser) readTable(body []line, i int, zone, anchor string, quote bool) int {
	strip := func(s string) string {
		s = strings.TrimSpace(s)
		if strings.HasPrefix(s, ">") {
			s = strings.TrimSpace(strings.TrimLeft(s, ">"))
		}
		return s
	}
	tb := rawTable{zone: zone, anchor: anchor, quote: quote, line: body[i].n}
	first := strip(body[i].text)
	if k := strings.IndexByte(first, '|'); k > 0 {
		p.warn(body[i].n, "table header glued to the text before it")
		first = first[k:]
	}
	j := i + 1
	if j < len(body) && isSeparatorRow(strip(body[j].text)) {
		tb.header = splitCells(first)
		j++
	} else {
		// No separator: every line is a row.
		p.warn(body[i].n, "table without a separator line")
		tb.rows = append(tb.rows, rawRow{line: body[i].n, cells: splitCells(first)})
	}
	var joined strings.Builder
	for ; j < len(body); j++ {
		s := strip(body[j].text)
		if s == "" || !strings.HasPrefix(s, "|") || p.overBudget(body[j].n) {
			break
		}
		if isSeparatorRow(s) {
			continue
		}
		if len(tb.rows) >= maxTableRows {
			p.warn(body[j].n, "table has more than %d rows: the rest is not read", maxTableRows)
			for j < len(body) && strings.HasPrefix(strip(body[j].text), "|") {
				j++
			}
			break
		}
		rowLine := body[j].n
		// A row broken right after its opening pipe, its cells on the next
		// text line after blank lines (ko-KR and zh-CN zoho desk pages):
		// the cells belong to this row, not to a paragraph after the table.
		if s == "|" {
			if k, ok := brokenRowEnd(body, j, strip); ok {
				p.warn(body[k].n, "table row continues after a blank line")
				s = "| " + strip(body[k].text)
				j = k
			}
		}
		// A cell that wraps onto the next line: join lines until the row
		// ends with a pipe (at most maxRowLines lines).
		if !strings.HasSuffix(s, "|") {
			joined.Reset()
			joined.WriteString(s)
			for k := 0; !strings.HasSuffix(s, "|") && j+1 < len(body); k++ {
				nx := strip(body[j+1].text)
				if nx == "" || strings.HasPrefix(nx, "|") || strings.HasPrefix(nx, ":::") || strings.HasPrefix(nx, "#") || strings.HasPrefix(nx, "[!INCLUDE") {
					break
				}
				if k == maxRowLines {
					p.warn(body[j+1].n, "table row continues over more than %d lines: the row ends here", maxRowLines)
					break
				}
				if k == 0 {
					p.warn(body[j+1].n, "table row continues on the next line")
				}
				joined.WriteByte(' ')
				joined.WriteString(nx)
				s = nx
				j++
			}
			s = joined.String()
		}
		cells := splitCells(s)
		empty := true
		for _, c := range cells {
			if c != "" {
				empty = false
				break
			}
		}
		if empty {
			p.warn(rowLine, "empty table row skipped")
			continue
		}
		tb.rows = append(tb.rows, rawRow{line: rowLine, cells: cells})
	}
	p.tables = append(p.tables, tb)
	return j
}

// maxBrokenRowGap bounds the blank lines a row broken after its opening
// pipe may span.
const maxBrokenRowGap = 2

// brokenRowEnd returns the index of the line that holds the cells of the
// row opened by a lone pipe at body[j]: the next text line, after one or
// two blank lines, that is no row, zone marker, heading or include of its
// own and ends with a pipe after at least one cell border.
func brokenRowEnd(body []line, j int, strip func(string) string) (int, bool) {
	k := j + 1
	for k < len(body) && k-j <= maxBrokenRowGap && strip(body[k].text) == "" {
		k++
	}
	if k == j+1 || k >= len(body) || k-j > maxBrokenRowGap+1 {
		return 0, false
	}
	nx := strip(body[k].text)
	if nx == "" || strings.HasPrefix(nx, "|") || strings.HasPrefix(nx, ":::") || strings.HasPrefix(nx, "#") ||
		strings.HasPrefix(nx, "[!INCLUDE") || !strings.HasSuffix(nx, "|") || strings.Count(nx, "|") < 2 {
		return 0, false
	}
	return k, true
}

// zoneStartOf matches a zone start marker on a line that starts with :::.
func zoneStartOf(t string, marker bool) []string {
	if !marker {
		return nil
	}
	return reZoneStart.FindStringSubmatch(t)
}
