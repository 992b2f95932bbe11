package attestation

import (
	"strings"

	"github.com/attestbot/attestbot/internal/logtext"
)

// readDataTable reads a blockquote table of the data subsections: Graph
// permissions (4 columns in template A, 5 in B), other Microsoft APIs (6),
// non-Microsoft services (3) and bot access (3).
func (p *pageParser) readDataTable(tb rawTable) {
	r := p.rec
	switch tb.anchor {
	case "data-access-using-microsoft-graph":
		cols := len(tb.header)
		for _, row := range tb.rows {
			if cols == 0 {
				cols = len(row.cells)
			}
			p.readPermission(row, cols)
		}
	case "data-access-using-other-microsoft-apis":
		for _, row := range tb.rows {
			c := padCells(row.cells, 6)
			api := cleanText(c[0])
			if api == "" {
				continue
			}
			collected := joinNonEmpty(cleanText(c[1]), cleanText(c[2]), cleanText(c[3]))
			stored := joinNonEmpty(cleanText(c[4]), cleanText(c[5]))
			r.OtherAPIs = append(r.OtherAPIs, APIUse{API: api, Collected: collected, Stored: stored})
		}
	case "non-microsoft-services-used":
		for _, row := range tb.rows {
			c := padCells(row.cells, 3)
			if cleanText(c[0]) == "" {
				continue
			}
			r.Services = append(r.Services, Service{Service: cleanText(c[0]), Data: cleanText(c[1]), Justification: cleanText(c[2])})
		}
	case "data-access-via-bots":
		for _, row := range tb.rows {
			c := padCells(row.cells, 3)
			text := joinNonEmpty(cleanText(c[0]), cleanText(c[1]), cleanText(c[2]))
			if text != "" {
				r.Statements = append(r.Statements, Statement{Anchor: tb.anchor, Text: text})
			}
		}
	default:
		if tb.zone == "zerotrust" || tb.zone == "data" {
			// A Graph table without its heading (seen in old revisions).
			if len(tb.header) == 4 || len(tb.header) == 5 {
				for _, row := range tb.rows {
					p.readPermission(row, len(tb.header))
				}
				return
			}
		}
		p.warn(tb.line, "blockquote table under %q in zone %q not understood", tb.anchor, tb.zone)
	}
}

func (p *pageParser) readPermission(row rawRow, cols int) {
	c := row.cells
	if len(c) != cols {
		p.warn(row.line, "permission row has %d cells, the table %d", len(c), cols)
	}
	c = padCells(c, max(cols, 4))
	raw := cleanText(c[0])
	if raw == "" {
		p.warn(row.line, "permission row without a scope")
		return
	}
	perm := Permission{Line: row.line}
	name, ok := NormalizeScope(raw)
	perm.Name = name
	if name != raw {
		perm.RawName = raw
	}
	if !ok {
		p.warn(row.line, "permission %q is not a known Microsoft Graph scope", logtext.Runes(raw, 41))
	}
	t, ok := normalizePermissionType(cleanText(c[1]))
	if !ok {
		p.warn(row.line, "permission type %q not recognized", logtext.Runes(cleanText(c[1]), 31))
	}
	perm.Type = t
	var aad string
	if cols >= 5 {
		perm.Collected = cleanText(c[2])
		perm.Stored = cleanText(c[3])
		aad = c[4]
	} else {
		perm.Collected = cleanText(c[2])
		if cols >= 4 {
			aad = c[3]
		}
	}
	perm.EntraAppID = p.entraID(row.line, aad)
	p.rec.Permissions = append(p.rec.Permissions, perm)
}

// entraID takes the Entra app ID from an AAD cell: the link target first
// (machine translation corrupts the link text), then the text.
func (p *pageParser) entraID(lineNo int, cell string) string {
	cell = strings.TrimSpace(cell)
	if cell == "" {
		return ""
	}
	for _, u := range linkTargets(cell) {
		if m := reAzureLink.FindStringSubmatch(u); m != nil {
			return strings.ToLower(m[1])
		}
		if m := reGUID.FindString(u); m != "" {
			return strings.ToLower(m)
		}
	}
	text := cleanText(cell)
	if g := reGUID.FindString(text); g != "" {
		return strings.ToLower(g)
	}
	if text == "" {
		p.warn(lineNo, "empty Entra app ID link")
		return ""
	}
	p.warn(lineNo, "Entra app ID %q is not a GUID", logtext.Runes(text, 51))
	return ""
}

func padCells(c []string, n int) []string {
	for len(c) < n {
		c = append(c, "")
	}
	return c
}

func joinNonEmpty(parts ...string) string {
	var out []string
	for _, s := range parts {
		if s != "" {
			out = append(out, s)
		}
	}
	return strings.Join(out, " — ")
}
