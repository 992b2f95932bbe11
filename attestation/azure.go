package attestation

import (
	"strings"
)

// buildAzure reads an azure-id page: the apps registered under the ID and
// the compliance status lines (corpus.md §4).
func (p *pageParser) buildAzure() {
	r := p.rec
	az := &AzurePage{Apps: []AzureApp{}}
	if m := reGUID.FindString(r.Slug); m != "" {
		az.AppID = strings.ToLower(m)
	} else if m := reGUID.FindString(p.h1Anchor); m != "" {
		az.AppID = strings.ToLower(m)
	}
	for _, tb := range p.tables {
		for _, row := range tb.rows {
			c := padCells(row.cells, 3)
			app := AzureApp{Name: cleanText(c[0])}
			for _, u := range linkTargets(c[0]) {
				if m := reForward.FindStringSubmatch(u); m != nil {
					app.AppSourceID = m[1]
				}
			}
			if app.AppSourceID == "" {
				for _, u := range linkTargets(c[2]) {
					if m := reAppSource.FindStringSubmatch(u); m != nil {
						app.AppSourceID = m[2]
					}
				}
			}
			app.Certified = strings.Contains(c[1], "certified")
			if app.Name == "" && app.AppSourceID == "" {
				continue
			}
			az.Apps = append(az.Apps, app)
		}
	}
	if len(az.Apps) == 0 {
		p.warn(p.h1Line, "azure page lists no apps")
	}
	for i, b := range p.bullets {
		text := cleanText(strings.TrimSpace(b.text)[2:])
		switch i {
		case 0:
			az.Attested = true
		case 1:
			az.Certified = true
			raw := certDateText(text)
			az.CertifiedOnRaw = raw
			if d, ok := ParseDate(raw, r.Locale); ok {
				az.CertifiedOn = d
			} else if raw != "" {
				p.warn(b.n, "certification date %q not readable", raw)
			}
		}
	}
	if r.Certification == Certified {
		az.Certified = true
	}
	if r.Certification == "" {
		r.Certification = Attested
		if az.Certified {
			r.Certification = Certified
		}
	}
	r.Azure = az
	r.Name = "Azure App ID " + az.AppID
}

// certDateText takes the date of a certification line such as
// "Microsoft 365 Certification: Approved (22/10/2021)" or
// "Microsoft 365 认证：2021 年 10 月 22 日 (批准)".
func certDateText(s string) string {
	if i := strings.LastIndexAny(s, "(（"); i >= 0 {
		inner := strings.TrimSpace(strings.TrimRight(s[i:], " )）"))
		inner = strings.TrimLeft(inner, "(（")
		if strings.ContainsAny(inner, "0123456789") {
			return strings.TrimSpace(inner)
		}
	}
	if i := strings.LastIndexAny(s, ":："); i >= 0 {
		rest := s[i:]
		for j, ch := range rest {
			if ch >= '0' && ch <= '9' {
				rest = rest[j:]
				if k := strings.IndexAny(rest, "(（"); k > 0 {
					rest = rest[:k]
				}
				return strings.TrimSpace(rest)
			}
		}
	}
	return ""
}

// buildIndex reads an index page: one row an app (or an azure ID) with its
// attested and certified marks.
func (p *pageParser) buildIndex() {
	r := p.rec
	r.Index = []IndexEntry{}
	r.Certification = ""
	for _, tb := range p.tables {
		for _, row := range tb.rows {
			c := row.cells
			if len(c) < 2 {
				continue
			}
			e := IndexEntry{Name: cleanText(c[0])}
			for _, u := range linkTargets(c[0]) {
				if target, ok := indexLinkTarget(u); ok {
					e.Slug = baseName(target)
				}
			}
			marks := c[1:]
			if len(c) >= 4 {
				e.Publisher = cleanText(c[1])
				marks = c[2:]
			}
			if len(marks) > 0 {
				e.Attested = strings.Contains(marks[0], "✓")
			}
			if len(marks) > 1 {
				e.Certified = strings.Contains(marks[1], "certified") || strings.Contains(marks[1], "✓")
			}
			if e.Name == "" && e.Slug == "" {
				continue
			}
			r.Index = append(r.Index, e)
		}
	}
	r.Name = cleanText(p.h1Text)
}
