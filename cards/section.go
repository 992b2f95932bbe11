package cards

import (
	"strconv"
	"strings"

	"github.com/attestbot/attestbot/attestation"
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

// statementTitles names the free-text subsections of a page by anchor.
var statementTitles = map[string]string{
	"telemetry-data": "Telemetry data",
	"organizational-controls-for-data-stored-by-partner": "Organizational controls for data stored by the partner",
	"human-review-of-organizational-information":         "Human review of organizational information",
	"data-access-via-bots":                               "Data access via bots",
	"non-microsoft-services-used":                        "Non-Microsoft services used",
	"data-access-using-microsoft-graph":                  "Data access using Microsoft Graph",
	"data-access-using-other-microsoft-apis":             "Data access using other Microsoft APIs",
}

func statementTitle(anchor string) string {
	if t, ok := statementTitles[anchor]; ok {
		return t
	}
	t := strings.ReplaceAll(clip(anchor, 80), "-", " ")
	if t == "" {
		return "Statement"
	}
	return strings.ToUpper(t[:1]) + t[1:]
}

// sectionRows renders the rows of one section of r.
func sectionRows(r *attestation.Record, s attestation.Section, original bool) []Element {
	var rows []Element
	for i := range r.Answers {
		a := &r.Answers[i]
		if a.Section != s {
			continue
		}
		rows = append(rows, answerRow(a, cleanLocale(r.Locale), original))
	}
	if s == attestation.SectionData {
		for _, api := range r.OtherAPIs {
			c := NewContainer(NewTextBlock("Other Microsoft API: " + clip(api.API, 120)).Bold().WithSpacing(SpacingNone))
			if api.Collected != "" {
				c.Add(NewTextBlock("Collected").Subtle().WithSpacing(SpacingSmall), publisherText(api.Collected, cleanLocale(r.Locale), maxJustificationRunes))
			}
			if api.Stored != "" {
				c.Add(NewTextBlock("Stored").Subtle().WithSpacing(SpacingSmall), publisherText(api.Stored, cleanLocale(r.Locale), maxJustificationRunes))
			}
			rows = append(rows, c.WithSeparator())
		}
		for _, sv := range r.Services {
			c := NewContainer(NewTextBlock("Non-Microsoft service: " + clip(sv.Service, 120)).Bold().WithSpacing(SpacingNone))
			if sv.Data != "" {
				c.Add(NewTextBlock("Data shared").Subtle().WithSpacing(SpacingSmall), publisherText(sv.Data, cleanLocale(r.Locale), maxJustificationRunes))
			}
			if sv.Justification != "" {
				c.Add(NewTextBlock("Justification").Subtle().WithSpacing(SpacingSmall), publisherText(sv.Justification, cleanLocale(r.Locale), maxJustificationRunes))
			}
			rows = append(rows, c.WithSeparator())
		}
		for _, st := range r.Statements {
			rows = append(rows, NewContainer(
				NewTextBlock(statementTitle(st.Anchor)).Bold().WithSpacing(SpacingNone),
				publisherText(st.Text, cleanLocale(r.Locale), maxAnswerRunes),
			).WithSeparator())
		}
	}
	return rows
}

// answerRow renders one question: the English label, the normalized answer
// and, for text answers or on demand, the publisher's text as written.
func answerRow(a *attestation.Answer, locale string, original bool) *Container {
	label := a.Label
	if label == "" {
		label = a.PageLabel
	}
	if label == "" {
		label = a.Key
	}
	c := NewContainer(NewTextBlock(clip(label, maxLabelRunes)).Bold().WithSpacing(SpacingNone)).WithSeparator()
	switch {
	case a.Value == attestation.ValueText:
		c.Add(publisherText(a.Text, locale, maxAnswerRunes).WithSpacing(SpacingSmall))
	default:
		c.Add(NewTextBlock(valueIcon(a.Value) + " " + ValueLabel(a.Value)).WithSpacing(SpacingSmall))
		if original && a.Text != "" {
			c.Add(NewRichTextBlock(
				NewTextRun("Original ("+locale+"): ").Subtle(),
				NewTextRun(clip(a.Text, maxAnswerRunes)),
			).WithSpacing(SpacingSmall))
		}
	}
	if original && a.PageLabel != "" && a.PageLabel != label {
		c.Add(NewRichTextBlock(
			NewTextRun("Question on the "+locale+" page: ").Subtle().WithSize(SizeSmall),
			NewTextRun(clip(a.PageLabel, maxLabelRunes)).Subtle().WithSize(SizeSmall),
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
	if r == nil {
		return b.Error(ErrorMessage{Title: "App not found", Detail: "No record to show."})
	}
	rows := sectionRows(r, s, v.Original)
	sizes := make([]int, len(rows))
	for i, e := range rows {
		sizes[i] = elementSize(e)
	}
	pages := paginate(sizes, rowBudget, 25)
	page := clampPage(v.Page, len(pages))

	title := SectionTitle(s)
	c := NewCard().WithFallbackText(displayName(r) + " — " + title)
	sub := title + " · " + byline(r)
	if len(pages) > 1 {
		sub += " · " + pageLabel(page, len(pages))
	}
	c.Add(b.header(r, sub))
	if v.Original {
		c.Add(NewTextBlock("Original text as the publisher wrote it, from the " + cleanLocale(r.Locale) + " page (machine translated by Microsoft).").Subtle().WithSize(SizeSmall))
	}
	if len(rows) == 0 {
		c.Add(NewTextBlock("The record has no answers in this section.").Subtle())
	} else {
		p := pages[page]
		c.Add(rows[p[0]:p[1]]...)
	}
	if n, total := countUnanswered(r, s); total > 0 {
		c.Add(NewTextBlock(strconv.Itoa(total-n) + " of " + strconv.Itoa(total) + " questions answered").Subtle().WithSize(SizeSmall).WithSeparator())
	}
	mk := func(p int) ActionData {
		d := appData(r, VerbSection)
		d.Section, d.Page, d.Original = s, p, v.Original
		return d
	}
	if set := pager(page, len(pages), mk); set != nil {
		c.Add(set)
	}
	toggle := mk(page)
	toggle.Original = !v.Original
	label := "Show original text (" + cleanLocale(r.Locale) + ")"
	if v.Original {
		label = "Hide original text"
	}
	c.AddActions(
		NewExecute(label, toggle).WithoutInputs(),
		NewExecute("Summary", appData(r, VerbApp)).WithoutInputs(),
		NewOpenURL("Docs page", DocsURL(r)),
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
