package attestation

import (
	"strings"

	"github.com/attestbot/attestbot/internal/logtext"
)

// zoneTable maps a zone to its question table for a template.
func zoneTable(zone string, templateB bool) (tableKind, bool) {
	switch zone {
	case "general":
		if templateB {
			return tableGeneralB, true
		}
		return tableGeneralA, true
	case "data":
		return tableData, true
	case "security":
		return tableSecurity, true
	case "compliance":
		return tableCompliance, true
	case "privsection":
		return tablePrivacy, true
	case "zerotrust":
		return tableZeroTrust, true
	case "identity":
		return tableIdentity, true
	case "certification":
		return tableCertification, true
	}
	return "", false
}

var knownZones = map[string]bool{
	"general": true, "data": true, "security": true, "compliance": true, "privsection": true,
	"zerotrust": true, "identity": true, "certification": true, "mcas": true, "csa": true,
}

func (p *pageParser) buildApp() {
	r := p.rec
	templateB := false
	hasA := false
	for _, z := range p.zones {
		switch z {
		case "security", "compliance", "privsection", "zerotrust":
			hasA = true
		case "mcas", "identity":
			templateB = true
		}
		if !knownZones[z] {
			p.warn(0, "unknown zone %q", z)
		}
	}
	if hasA {
		templateB = false
		r.Template = "A"
	} else if templateB {
		r.Template = "B"
	} else if len(p.zones) > 0 {
		r.Template = "A"
	}
	if len(p.zones) == 0 {
		p.warn(p.h1Line, "no zone markers: the page has no sections")
	}

	p.readPreamble()

	// Question tables: collect the rows of each table kind in page order.
	rowsByKind := map[tableKind][]qaRow{}
	var kinds []tableKind
	for _, tb := range p.tables {
		switch {
		case tb.quote || p.isDataSubTable(tb):
			p.readDataTable(tb)
			continue
		}
		kind, ok := zoneTable(tb.zone, templateB)
		if !ok {
			if tb.zone != "mcas" {
				p.warn(tb.line, "table outside a known zone (%q) ignored", tb.zone)
			}
			continue
		}
		if _, seen := rowsByKind[kind]; !seen {
			kinds = append(kinds, kind)
		}
		rowsByKind[kind] = append(rowsByKind[kind], p.qaRows(tb, kind)...)
	}
	for _, kind := range kinds {
		rows := rowsByKind[kind]
		if len(rows) > maxQuestionRows {
			p.warn(rows[maxQuestionRows].line, "section %s has %d question rows, over the budget of %d: the rest is not read", tableSections[kind], len(rows), maxQuestionRows)
			rows = rows[:maxQuestionRows]
		}
		p.mapAnswers(kind, rows)
	}
	for _, st := range p.statements {
		r.Statements = append(r.Statements, Statement{Anchor: statementAnchor(st), Text: cleanText(st.text)})
	}
	p.fillIdentity()
}

func statementAnchor(st statementRaw) string {
	if st.anchor != "" {
		return st.anchor
	}
	return st.zone
}

// isDataSubTable reports whether a table that is not in a blockquote is
// one of the data subsection tables (a Graph table written without >).
func (p *pageParser) isDataSubTable(tb rawTable) bool {
	switch tb.anchor {
	case "data-access-using-microsoft-graph", "data-access-using-other-microsoft-apis", "non-microsoft-services-used", "data-access-via-bots":
		return len(tb.header) >= 3 || len(tb.rows) > 0 && len(tb.rows[0].cells) >= 3
	}
	return false
}

// qaRows turns a two-column table into question rows. A raw pipe inside an
// answer splits it into more cells: they are joined back.
func (p *pageParser) qaRows(tb rawTable, kind tableKind) []qaRow {
	var rows []qaRow
	for _, rr := range tb.rows {
		cells := rr.cells
		if len(cells) < 2 {
			if len(cells) == 1 && strings.TrimSpace(cells[0]) != "" {
				p.warn(rr.line, "question row with one cell")
				cells = append(cells, "")
			} else {
				continue
			}
		}
		if len(cells) > 2 && kind != tableCertification {
			p.warn(rr.line, "question row has %d cells; joined the extra cells into the answer", len(cells))
		}
		label := cells[0]
		answer := strings.Join(cells[1:], "|")
		if kind == tableCertification && len(cells) > 2 {
			answer = cells[len(cells)-1]
		}
		cl := cleanText(label)
		// A glued header leaves its first word on the first label
		// ("**tabInformation** Effectuez-vous…").
		if strings.HasPrefix(strings.TrimSpace(label), "**") {
			if k := strings.Index(label[2:], "**"); k >= 0 && k+4 < len(label) && strings.TrimSpace(label[k+4:]) != "" && !strings.Contains(label[k+4:], "](") {
				cl = cleanText(label[k+4:])
			}
		}
		row := qaRow{line: rr.line, label: cl, rawLabel: label, fold: labelFold(cl), raw: answer, text: cleanText(answer)}
		if len(row.text) <= 48 {
			row.tfold = labelFold(row.text)
		}
		rows = append(rows, row)
	}
	// A header row repeated in the body, or a lone header cell as in the
	// split zoho tables, is not a question.
	out := rows[:0]
	for _, r := range rows {
		if r.fold == "information" || r.fold == "tabinformation" || strings.HasPrefix(r.fold, "anzeigeninformation") {
			continue
		}
		out = append(out, r)
	}
	return out
}

// mapAnswers aligns rows to keys and stores the answers.
func (p *pageParser) mapAnswers(kind tableKind, rows []qaRow) {
	defs := keyTables[kind]
	section := tableSections[kind]
	var al alignment
	if kind == tableCertification {
		al = alignCertification(p.rec.Locale, rows, defs)
	} else {
		al = alignRows(p.rec.Locale, kind, defs, rows)
	}
	idx := al.keys
	if cap(p.rec.Answers)-len(p.rec.Answers) < len(rows) {
		grown := make([]Answer, len(p.rec.Answers), len(p.rec.Answers)+len(rows)+64)
		copy(grown, p.rec.Answers)
		p.rec.Answers = grown
	}
	for i, row := range rows {
		a := Answer{Section: section, Text: row.text, Line: row.line, PageLabel: row.label}
		typ := typeText
		if k := idx[i]; k >= 0 {
			a.Key, a.Label, typ = defs[k].Key, defs[k].Label, defs[k].Type
		} else {
			a.Label = row.label
			p.warn(row.line, "question %q not recognized", logtext.Runes(row.label, 61))
		}
		if k := idx[i]; k >= 0 {
			a.Pinned = al.pinned(i, k)
		}
		if al.doubt[i] != "" && a.Key != "" {
			p.warn(row.line, "answer to %s is in doubt (%s): stored as unknown", a.Key, al.doubt[i])
			a.Value, a.Doubt = ValueUnknown, true
			p.rec.Answers = append(p.rec.Answers, a)
			continue
		}
		if typ == typeURL {
			if u := firstURL(row.raw); u != "" {
				a.Text = u
			}
		}
		v, ok := answerValue(typ, a.Key != "", row.text, row.tfold)
		if !ok {
			switch typ {
			case typeCert:
				p.warn(row.line, "certification result %q not recognized", logtext.Runes(row.text, 41))
			default:
				p.warn(row.line, "answer %q to %s not recognized", logtext.Runes(row.text, 41), a.Key)
			}
		}
		a.Value = v
		p.rec.Answers = append(p.rec.Answers, a)
	}
}

// answerValue normalizes an answer for a key of type typ (keyed false: a
// row no key took, which keeps a yes/no value when it has one).
func answerValue(typ answerType, keyed bool, text, tfold string) (Value, bool) {
	switch typ {
	case typeYN:
		return normalizeYesNoFolded(text, tfold)
	case typeCert:
		return normalizeCert(text)
	}
	if !keyed {
		if v, ok := normalizeYesNoFolded(text, tfold); ok && v != ValueUnknown {
			return v, true
		}
	}
	return textValue(text), true
}

func textValue(t string) Value {
	if strings.TrimSpace(t) == "" {
		return ValueUnanswered
	}
	return ValueText
}

// certSections are the three sections of the certification table: the
// key index of the section row and how many control rows follow it.
var certSections = [][2]int{{0, 2}, {3, 16}, {20, 5}}

// alignCertification maps the 26-row control table: section rows by the
// English anchor of their link, control rows by their place in their
// section. A section whose control rows are not exactly the expected
// number (a row dropped or added) keeps no position: its controls whose
// label the learned dictionary does not know are in doubt.
func alignCertification(locale string, rows []qaRow, defs []keyDef) alignment {
	al := alignment{keys: make([]int, len(rows)), doubt: make([]string, len(rows))}
	var dict map[string][]int
	if useLearnedLabels {
		dict = learnedLabels(locale, tableCertification)
	}
	pos := map[string]int{}
	for i, d := range defs {
		pos[d.Key] = i
	}
	sec := 0
	controls := make([][]int, len(certSections))
	for i, r := range rows {
		al.keys[i] = -1
		k := -1
		for anchor, key := range certSectionAnchors {
			if strings.Contains(r.rawLabel, "#"+anchor) || strings.Contains(r.raw, "#"+anchor) {
				k = pos[key]
			}
		}
		if k >= 0 {
			for s, cs := range certSections {
				if cs[0] == k {
					sec = s
				}
			}
			al.keys[i] = k
			continue
		}
		controls[sec] = append(controls[sec], i)
	}
	for s, cs := range certSections {
		if len(controls[s]) == cs[1] {
			for j, i := range controls[s] {
				al.keys[i] = cs[0] + 1 + j
			}
			continue
		}
		// A row whose label the dictionary knows keeps its key (in order);
		// the others cannot be placed.
		last := cs[0]
		for j, i := range controls[s] {
			k := -1
			for _, c := range dict[rows[i].fold] {
				if c > last && c <= cs[0]+cs[1] && (k < 0 || c < k) {
					k = c
				}
			}
			if k >= 0 {
				al.keys[i], last = k, k
				continue
			}
			if j < cs[1] {
				al.keys[i] = cs[0] + 1 + j
				al.doubt[i] = "its section has " + itoa(len(controls[s])) + " control rows instead of " + itoa(cs[1])
			}
		}
	}
	return al
}

func firstURL(raw string) string {
	for _, u := range linkTargets(raw) {
		if strings.HasPrefix(u, "http") {
			return u
		}
	}
	t := strings.TrimSpace(cleanText(raw))
	if strings.HasPrefix(t, "http") && !strings.ContainsAny(t, " \n") {
		return t
	}
	return ""
}

// readPreamble reads the badge, the developer date and the store links.
func (p *pageParser) readPreamble() {
	r := p.rec
	badge := ""
	dateDone := false
	for _, l := range p.preamble {
		t := l.text
		switch {
		case strings.Contains(t, "certified.png"):
			badge = string(Certified)
		case strings.Contains(t, "attested.png"):
			badge = string(Attested)
		}
		if !dateDone {
			if s, ok := paragraphText(t); ok && s != "" {
				dateDone = true
				r.UpdatedRaw = devDateText(s)
				if d, ok := ParseDate(r.UpdatedRaw, r.Locale); ok {
					r.Updated = d
				} else {
					p.warn(l.n, "developer date %q not readable", r.UpdatedRaw)
				}
			}
		}
		for _, u := range linkTargets(t) {
			if m := reTeamsLink.FindStringSubmatch(u); m != nil && reGUIDExact.MatchString(m[1]) {
				if r.TeamsAppID == "" {
					r.TeamsAppID = strings.ToLower(m[1])
					r.Links.TeamsStore = "https://teams.microsoft.com/l/app/" + r.TeamsAppID
				}
			}
			if m := reAppSource.FindStringSubmatch(u); m != nil && r.AppSourceID == "" {
				r.AppSourceID = m[2]
				r.Links.AppSource = "https://appsource.microsoft.com/product/" + strings.ToLower(m[1]) + "/" + m[2]
			}
		}
	}
	switch {
	case r.Certification == "" && badge != "":
		r.Certification = Certification(badge)
	case badge != "" && string(r.Certification) != badge:
		p.warn(0, "certification_type %s disagrees with the %s badge", r.Certification, badge)
	case r.Certification == "" && badge == "":
		p.warn(0, "no certification type and no badge")
	}
	if !dateDone {
		p.warn(p.h1Line, "no developer date line")
	}
}

// paragraphText returns the text of a one-line <p>…</p>.
func paragraphText(t string) (string, bool) {
	s := strings.TrimSpace(t)
	if !strings.HasPrefix(s, "<p>") {
		return "", false
	}
	s = strings.TrimPrefix(s, "<p>")
	s = strings.TrimSuffix(s, "</p>")
	return strings.TrimSpace(cleanText(s)), true
}

// fillIdentity completes name, ID, publisher and links from the general
// answers and the title.
func (p *pageParser) fillIdentity() {
	r := p.rec
	get := func(key string) string {
		a, _ := r.Answer(key)
		return a.Text
	}
	id := strings.TrimSpace(get("gen.app_id"))
	switch {
	case r.AppSourceID == "" && id != "":
		r.AppSourceID = id
	case id != "" && !strings.EqualFold(id, r.AppSourceID):
		p.warn(0, "ID row %s differs from the AppSource link %s; the link wins", id, r.AppSourceID)
	}
	if r.AppSourceID == "" {
		p.warn(0, "no AppSource ID")
	}
	r.Publisher = get("gen.partner_company_name")
	if r.Publisher == "" {
		r.Publisher = publisherFromTitle(r.Meta.Title)
	}
	name, fromRow := p.displayName()
	if name != "" {
		r.Name = name
	}
	if !fromRow {
		p.warn(p.h1Line, "no readable app-name row: the name %q is taken from the heading", logtext.Runes(r.Name, 61))
	}
	r.Links.Website = get("gen.company_website_url")
	r.Links.TermsOfUse = get("gen.terms_of_use_url")
	r.Links.AppInfo = get("gen.app_info_page_url")
	if v := get("priv.privacy_policy_url"); v != "" {
		r.Links.Privacy = v
	} else {
		r.Links.Privacy = get("gen.privacy_policy_url")
	}
	if r.Kind != "" && r.Slug != "" {
		r.Links.Docs = DocsURL(r.Kind, r.Slug)
	}
	if r.Kind == "teams" && r.TeamsAppID == "" {
		p.warn(0, "teams page without a Teams store link")
	}
}

// DocsURL returns the learn.microsoft.com page of a record.
func DocsURL(kind, slug string) string {
	return "https://learn.microsoft.com/microsoft-365-app-certification/" + kind + "/" + slug
}

// publisherFromTitle takes the publisher from a title such as
// "App information for Plumm by Plumm Health LTD" in its translations; it
// only understands the English and French forms and returns "" otherwise.
func publisherFromTitle(title string) string {
	for _, sep := range []string{" by ", " par ", " von ", " di ", " por "} {
		if i := strings.LastIndex(title, sep); i >= 0 {
			return strings.TrimSpace(title[i+len(sep):])
		}
	}
	return ""
}
