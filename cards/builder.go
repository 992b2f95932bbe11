package cards

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/attestbot/attestbot/attestation"
)

// Builder builds the bot's cards. It is safe for concurrent use; it keeps
// no state between calls.
type Builder struct {
	now            func() time.Time
	iconURL        string
	searchPageSize int
}

// Option configures a Builder.
type Option func(*Builder)

// WithClock sets the clock used to tell how old a record is (default
// time.Now).
func WithClock(now func() time.Time) Option {
	return func(b *Builder) {
		if now != nil {
			b.now = now
		}
	}
}

// WithIconURL sets the bot icon shown in card headers and message-extension
// previews (an https PNG or JPEG of at most 1024×1024, not redirected).
func WithIconURL(url string) Option { return func(b *Builder) { b.iconURL = url } }

// WithSearchPageSize sets how many search results a page shows (default 8,
// at most 20).
func WithSearchPageSize(n int) Option {
	return func(b *Builder) {
		if n > 0 && n <= 20 {
			b.searchPageSize = n
		}
	}
}

// New returns a Builder.
func New(opts ...Option) *Builder {
	b := &Builder{now: time.Now, searchPageSize: 8}
	for _, o := range opts {
		o(b)
	}
	return b
}

// DocsURL returns the learn.microsoft.com page of a record.
func DocsURL(r *attestation.Record) string {
	if r.Links.Docs != "" {
		return r.Links.Docs
	}
	return "https://learn.microsoft.com/microsoft-365-app-certification/" + r.Kind + "/" + r.Slug
}

// AppSourceURL returns the AppSource page of a record, or "".
func AppSourceURL(r *attestation.Record) string {
	if r.Links.AppSource != "" {
		return r.Links.AppSource
	}
	if r.AppSourceID != "" {
		return "https://appsource.microsoft.com/product/office/" + r.AppSourceID
	}
	return ""
}

// TeamsStoreURL returns the Teams store link of a record, or "".
func TeamsStoreURL(r *attestation.Record) string {
	if r.Links.TeamsStore != "" {
		return r.Links.TeamsStore
	}
	if r.TeamsAppID != "" {
		return "https://teams.microsoft.com/l/app/" + r.TeamsAppID
	}
	return ""
}

// appData returns the action data naming a record's app.
func appData(r *attestation.Record, v Verb) ActionData {
	return ActionData{Verb: v, Slug: r.Slug, Kind: r.Kind, Locale: cleanLocale(r.Locale)}
}

// cleanLocale returns a locale tag fit for action data and labels: ""
// for anything longer than a BCP 47 tag can reasonably be.
func cleanLocale(l string) string {
	if len(l) > 35 || !utf8.ValidString(l) {
		return ""
	}
	return l
}

// sourceLabel names the page a record was read from: Microsoft's App
// Compliance docs page in the record's locale.
func sourceLabel(r *attestation.Record) string {
	if l := cleanLocale(r.Locale); l != "" {
		return "Microsoft docs page, " + l
	}
	return "Microsoft docs page"
}

// displayName returns the app name, or its slug when the page had none.
func displayName(r *attestation.Record) string {
	if r.Name != "" {
		return clip(r.Name, 120)
	}
	if r.Slug != "" {
		return r.Slug
	}
	return "Unnamed app"
}

// kindLabels names the host folders.
var kindLabels = map[string]string{
	"teams":      "Teams app",
	"saas":       "SaaS app",
	"outlook":    "Outlook add-in",
	"word":       "Word add-in",
	"excel":      "Excel add-in",
	"powerpoint": "PowerPoint add-in",
	"sharepoint": "SharePoint solution",
	"web":        "Web app",
	"project":    "Project add-in",
	"onenote":    "OneNote add-in",
	"azure":      "Entra app ID",
}

// KindLabel returns the English label of a record kind.
func KindLabel(kind string) string {
	if l, ok := kindLabels[kind]; ok {
		return l
	}
	if kind == "" {
		return "App"
	}
	return clip(kind, 40)
}

var sectionTitles = map[attestation.Section]string{
	attestation.SectionGeneral:       "General",
	attestation.SectionData:          "Data handling",
	attestation.SectionSecurity:      "Security",
	attestation.SectionCompliance:    "Compliance",
	attestation.SectionPrivacy:       "Privacy",
	attestation.SectionZeroTrust:     "Zero trust",
	attestation.SectionIdentity:      "Identity",
	attestation.SectionCertification: "Certification",
}

// SectionTitle returns the English title of a section.
func SectionTitle(s attestation.Section) string {
	if t, ok := sectionTitles[s]; ok {
		return t
	}
	return clip(string(s), 40)
}

// ValueLabel returns the English label of a normalized answer.
func ValueLabel(v attestation.Value) string {
	switch v {
	case attestation.ValueYes:
		return "Yes"
	case attestation.ValueNo:
		return "No"
	case attestation.ValueNotApplicable:
		return "Not applicable"
	case attestation.ValueUnanswered:
		return "Not answered"
	case attestation.ValueInScope:
		return "In scope"
	case attestation.ValuePass:
		return "Pass"
	case attestation.ValueFail:
		return "Fail"
	case attestation.ValueUnknown:
		return "Unreadable"
	case attestation.ValueText:
		return "Text answer"
	}
	return clip(string(v), 40)
}

// valueIcon returns the symbol shown before a normalized answer.
func valueIcon(v attestation.Value) string {
	switch v {
	case attestation.ValueYes, attestation.ValuePass:
		return "✅"
	case attestation.ValueNo, attestation.ValueFail:
		return "❌"
	case attestation.ValueNotApplicable, attestation.ValueInScope:
		return "➖"
	case attestation.ValueUnanswered:
		return "⬜"
	case attestation.ValueUnknown:
		return "❔"
	}
	return "📝"
}

// certificationLabel returns the badge text of a certification type.
func certificationLabel(c attestation.Certification) (string, Color) {
	switch c {
	case attestation.Certified:
		return "🏅 Microsoft 365 Certified", ColorGood
	case attestation.Attested:
		return "📋 Publisher Attested", ColorAccent
	}
	return "No compliance programme", ColorWarning
}

// formatDate writes a date as "18 Aug 2021", or "unknown".
func formatDate(d attestation.Date) string {
	if d.IsZero() || d.Month < time.January || d.Month > time.December {
		return "unknown"
	}
	return strconv.Itoa(d.Day) + " " + d.Month.String()[:3] + " " + strconv.Itoa(d.Year)
}

// Age tells how long ago d was relative to now, in English: "today",
// "5 days ago", "3 months ago", "2 years 1 month ago". The zero date gives
// "unknown", a date after now "today".
func Age(d attestation.Date, now time.Time) string {
	if d.IsZero() {
		return "unknown"
	}
	now = now.UTC()
	then := d.Time()
	if !then.Before(now) {
		return "today"
	}
	days := int(now.Sub(then).Hours() / 24)
	if days == 0 {
		return "today"
	}
	months := (now.Year()-then.Year())*12 + int(now.Month()) - int(then.Month())
	if now.Day() < then.Day() {
		months--
	}
	switch {
	case months < 1:
		return plural(days, "day") + " ago"
	case months < 12:
		return plural(months, "month") + " ago"
	}
	y, m := months/12, months%12
	if m == 0 {
		return plural(y, "year") + " ago"
	}
	return plural(y, "year") + " " + plural(m, "month") + " ago"
}

// monthsSince returns the whole months between d and now.
func monthsSince(d attestation.Date, now time.Time) int {
	if d.IsZero() {
		return 0
	}
	now = now.UTC()
	m := (now.Year()-d.Year)*12 + int(now.Month()) - int(d.Month)
	if now.Day() < d.Day {
		m--
	}
	return m
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return strconv.Itoa(n) + " " + unit + "s"
}

// clip cuts s to at most n runes, ending with "…" when cut, and replaces
// invalid UTF-8.
func clip(s string, n int) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if n <= 0 {
		return ""
	}
	if len(s) <= n {
		return s
	}
	count := 0
	for i := range s {
		if count == n-1 {
			if utf8.RuneCountInString(s[i:]) <= 1 {
				return s
			}
			return s[:i] + "…"
		}
		count++
	}
	return s
}

// header returns the title block of a record's cards: icon, name, publisher
// and kind, and the certification badge.
func (b *Builder) header(r *attestation.Record, subtitle string) *ColumnSet {
	badge, color := certificationLabel(r.Certification)
	main := NewColumn(WidthStretch,
		NewTextBlock(displayName(r)).WithSize(SizeLarge).Bold().Heading(),
		NewTextBlock(subtitle).Subtle().WithSpacing(SpacingNone),
	).WithVerticalAlignment(AlignMiddle)
	set := NewColumnSet()
	if b.iconURL != "" {
		set.Add(NewColumn(WidthAuto, NewImage(b.iconURL, "attestbot").WithSize(ImageSmall)).WithVerticalAlignment(AlignMiddle))
	}
	return set.Add(main,
		NewColumn(WidthAuto, NewTextBlock(badge).WithColor(color).Bold().NoWrap()).WithVerticalAlignment(AlignMiddle))
}

// byline returns "Publisher · Teams app".
func byline(r *attestation.Record) string {
	p := clip(r.Publisher, 100)
	if p == "" {
		p = "Unknown publisher"
	}
	return p + " · " + KindLabel(r.Kind)
}

// pager returns Previous/Next buttons for page of n, built by mk, or nil.
func pager(page, n int, mk func(page int) ActionData) *ActionSet {
	if n <= 1 {
		return nil
	}
	set := NewActionSet().WithSpacing(SpacingMedium)
	if page > 0 {
		set.Add(NewExecute("◀ Previous", mk(page-1)).WithoutInputs())
	}
	if page < n-1 {
		set.Add(NewExecute("Next ▶", mk(page+1)).WithoutInputs())
	}
	return set
}

// pageLabel returns "page 2 of 5".
func pageLabel(page, n int) string {
	return "page " + strconv.Itoa(page+1) + " of " + strconv.Itoa(n)
}

// publisherText shows text exactly as the publisher wrote it: a
// RichTextBlock (no markdown) followed by its locale.
func publisherText(text, locale string, max int) *RichTextBlock {
	rt := NewRichTextBlock(NewTextRun(clip(text, max)))
	if locale != "" {
		rt.Add(NewTextRun("  [" + locale + "]").Subtle().WithSize(SizeSmall))
	}
	return rt
}
