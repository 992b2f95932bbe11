package cards

import (
	"strings"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/internal/logtext"
	"github.com/attestbot/attestbot/l10n"
)

// View selects what a paged card shows.
type View struct {
	// Page is the 0-based page.
	Page int
	// Original shows the publisher's original text beside each normalized
	// answer.
	Original bool
}

// Text limits, in runes, for publisher text in cards.
const (
	maxAnswerRunes        = 1500
	maxJustificationRunes = 600
	maxLabelRunes         = 300
)

// statementIDs names the catalog titles of the free-text subsections of a
// page by anchor.
var statementIDs = map[string]string{
	"telemetry-data": "statement.telemetry_data",
	"organizational-controls-for-data-stored-by-partner": "statement.organizational_controls",
	"human-review-of-organizational-information":         "statement.human_review",
	"data-access-via-bots":                               "statement.data_access_bots",
	"non-microsoft-services-used":                        "statement.non_microsoft_services",
	"data-access-using-microsoft-graph":                  "statement.data_access_graph",
	"data-access-using-other-microsoft-apis":             "statement.data_access_other_apis",
}

func statementTitle(loc *l10n.Localizer, anchor string) string {
	if id, ok := statementIDs[anchor]; ok {
		return loc.T(id)
	}
	t := strings.ReplaceAll(logtext.Runes(anchor, 80), "-", " ")
	if t == "" {
		return loc.T("statement.untitled")
	}
	return strings.ToUpper(t[:1]) + t[1:]
}

// sectionRows renders the rows of one section of r.
func (b *Builder) sectionRows(r *attestation.Record, s attestation.Section, original bool) []Element {
	loc := b.loc
	locale := cleanLocale(r.Locale)
	var rows []Element
	for i := range r.Answers {
		a := &r.Answers[i]
		if a.Section != s {
			continue
		}
		rows = append(rows, b.answerRow(a, locale, original))
	}
	if s == attestation.SectionData {
		for _, api := range r.OtherAPIs {
			c := NewContainer(NewTextBlock(loc.F("section.other_api", l10n.Args{"API": logtext.Runes(api.API, 120)})).Bold().WithSpacing(SpacingNone))
			if api.Collected != "" {
				c.Add(NewTextBlock(loc.T("common.collected")).Subtle().WithSpacing(SpacingSmall), publisherText(api.Collected, locale, maxJustificationRunes))
			}
			if api.Stored != "" {
				c.Add(NewTextBlock(loc.T("common.stored")).Subtle().WithSpacing(SpacingSmall), publisherText(api.Stored, locale, maxJustificationRunes))
			}
			rows = append(rows, c.WithSeparator())
		}
		for _, sv := range r.Services {
			c := NewContainer(NewTextBlock(loc.F("section.service", l10n.Args{"Service": logtext.Runes(sv.Service, 120)})).Bold().WithSpacing(SpacingNone))
			if sv.Data != "" {
				c.Add(NewTextBlock(loc.T("section.data_shared")).Subtle().WithSpacing(SpacingSmall), publisherText(sv.Data, locale, maxJustificationRunes))
			}
			if sv.Justification != "" {
				c.Add(NewTextBlock(loc.T("section.justification")).Subtle().WithSpacing(SpacingSmall), publisherText(sv.Justification, locale, maxJustificationRunes))
			}
			rows = append(rows, c.WithSeparator())
		}
		for _, st := range r.Statements {
			rows = append(rows, NewContainer(
				NewTextBlock(statementTitle(loc, st.Anchor)).Bold().WithSpacing(SpacingNone),
				publisherText(st.Text, locale, maxAnswerRunes),
			).WithSeparator())
		}
	}
	return rows
}

// answerRow renders one question: its label (the page's wording when the
// page is in the card's language, else English), the normalized answer
// and, for text answers or on demand, the publisher's text as written.
func (b *Builder) answerRow(a *attestation.Answer, locale string, original bool) *Container {
	loc := b.loc
	label := b.answerLabel(a, locale)
	c := NewContainer(NewTextBlock(logtext.Runes(label, maxLabelRunes)).Bold().WithSpacing(SpacingNone)).WithSeparator()
	switch {
	case a.Value == attestation.ValueText:
		c.Add(publisherText(a.Text, locale, maxAnswerRunes).WithSpacing(SpacingSmall))
	default:
		c.Add(NewTextBlock(valueText(loc, a.Value)).WithSpacing(SpacingSmall))
		if original && a.Text != "" {
			c.Add(NewRichTextBlock(
				NewTextRun(loc.F("section.original_answer", l10n.Args{"Locale": locale})+" ").Subtle(),
				NewTextRun(logtext.Runes(a.Text, maxAnswerRunes)),
			).WithSpacing(SpacingSmall))
		}
	}
	if original && a.PageLabel != "" && a.PageLabel != label {
		c.Add(NewRichTextBlock(
			NewTextRun(loc.F("section.page_question", l10n.Args{"Locale": locale})+" ").Subtle().WithSize(SizeSmall),
			NewTextRun(logtext.Runes(a.PageLabel, maxLabelRunes)).Subtle().WithSize(SizeSmall),
		).WithSpacing(SpacingSmall))
	}
	return c
}

// Section builds the detail card of one section of r: every question with
// its English label and normalized answer; with v.Original, the
// publisher's original answer text and question wording, with the page
// locale. Long sections page (v.Page). Buttons toggle the original text,
// page, and go back to the summary.
func (b *Builder) Section(r *attestation.Record, s attestation.Section, v View) *AdaptiveCard {
	loc := b.loc
	if r == nil {
		return b.Error(ErrorMessage{Title: loc.T("error.app_not_found"), Detail: loc.T("error.no_record")})
	}
	rows := b.sectionRows(r, s, v.Original)
	sizes := make([]int, len(rows))
	for i, e := range rows {
		sizes[i] = elementSize(e)
	}
	pages := paginate(sizes, rowBudget, 25)
	page := clampPage(v.Page, len(pages))

	title := sectionTitle(loc, s)
	c := NewCard().WithFallbackText(b.displayName(r) + " — " + title)
	sub := title + " · " + b.byline(r)
	if len(pages) > 1 {
		sub += " · " + b.pageLabel(page, len(pages))
	}
	c.Add(b.header(r, sub))
	if v.Original {
		c.Add(NewTextBlock(loc.F("section.original_note", l10n.Args{"Locale": cleanLocale(r.Locale)})).Subtle().WithSize(SizeSmall))
	}
	mk := func(p int) ActionData {
		d := appData(r, VerbSection)
		d.Section, d.Page, d.Original = s, p, v.Original
		return d
	}
	if set := b.otherLocales(r, func(l string) ActionData {
		d := mk(0)
		d.Locale = l
		return d
	}); set != nil {
		c.Add(NewTextBlock(loc.T("common.other_locales")).Subtle().WithSize(SizeSmall).WithSpacing(SpacingSmall), set.WithSpacing(SpacingNone))
	}
	if len(rows) == 0 {
		c.Add(NewTextBlock(loc.T("section.empty")).Subtle())
	} else {
		p := pages[page]
		c.Add(rows[p[0]:p[1]]...)
	}
	if n, total := countUnanswered(r, s); total > 0 {
		c.Add(NewTextBlock(loc.N("section.answered", total, l10n.Args{"Answered": total - n})).Subtle().WithSize(SizeSmall).WithSeparator())
	}
	if set := b.pager(page, len(pages), mk); set != nil {
		c.Add(set)
	}
	toggle := mk(page)
	toggle.Original = !v.Original
	label := loc.F("section.show_original", l10n.Args{"Locale": cleanLocale(r.Locale)})
	if v.Original {
		label = loc.T("section.hide_original")
	}
	c.AddActions(
		NewExecute(label, toggle).WithoutInputs(),
		NewExecute(loc.T("common.summary"), appData(r, VerbApp)).WithoutInputs(),
		NewOpenURL(loc.T("common.docs_page"), DocsURL(r)),
	)
	return c
}

func countUnanswered(r *attestation.Record, s attestation.Section) (n, total int) {
	for _, a := range r.Answers {
		if a.Section != s {
			continue
		}
		total++
		if a.Value == attestation.ValueUnanswered {
			n++
		}
	}
	return n, total
}
