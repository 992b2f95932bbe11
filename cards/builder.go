package cards

import (
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/internal/logtext"
	"github.com/attestbot/attestbot/l10n"
)

// Builder builds the bot's cards. It is safe for concurrent use; it keeps
// no state between calls.
type Builder struct {
	loc            *l10n.Localizer
	locales        []string
	listings       []attestation.Listing
	now            func() time.Time
	iconURL        string
	searchPageSize int
	// slab, set on the copy that builds one card, holds that card's
	// nodes; nil allocates each on its own.
	slab *slab
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

// New returns a Builder.
func New(opts ...Option) *Builder {
	b := &Builder{loc: l10n.Default(), now: time.Now, searchPageSize: 8}
	for _, o := range opts {
		o(b)
	}
	return b
}

// For returns a copy of b that writes in the catalog language best
// matching a Teams client locale (fr-CA gives French, an unknown locale
// English). The copy is cheap: build one per turn.
func (b *Builder) For(locale string) *Builder {
	c := *b
	c.loc = l10n.For(locale)
	c.locales, c.listings, c.slab = nil, nil, nil
	return &c
}

// WithListings returns a copy of b whose app summary card names the app's
// other listings (pages with the same AppSource ID), each a button that
// opens it.
func (b *Builder) WithListings(listings []attestation.Listing) *Builder {
	c := *b
	c.listings = listings
	return &c
}

// WithLocales returns a copy of b whose record cards offer the other
// locales the app's page exists in (a "Read in…" button per locale
// besides the record's own).
func (b *Builder) WithLocales(locales []string) *Builder {
	c := *b
	c.locales = locales
	return &c
}

// Localizer returns the Localizer b writes with.
func (b *Builder) Localizer() *l10n.Localizer { return b.loc }

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
func (b *Builder) sourceLabel(r *attestation.Record) string {
	if l := cleanLocale(r.Locale); l != "" {
		return textsOf(b.loc).repeat(repeatedKey{id: "common.source_page_locale", s: l}, func() string {
			return b.loc.F("common.source_page_locale", l10n.Args{"Locale": l})
		})
	}
	return b.loc.T("common.source_page")
}

// displayName returns the app name, or its slug when the page had none.
func (b *Builder) displayName(r *attestation.Record) string {
	if r.Name != "" {
		return logtext.Runes(r.Name, 120)
	}
	if r.Slug != "" {
		return r.Slug
	}
	return b.loc.T("common.unnamed_app")
}

// kindIDs names the catalog messages of the host folders.
var kindIDs = map[string]string{
	"teams":      "kind.teams",
	"saas":       "kind.saas",
	"outlook":    "kind.outlook",
	"word":       "kind.word",
	"excel":      "kind.excel",
	"powerpoint": "kind.powerpoint",
	"sharepoint": "kind.sharepoint",
	"web":        "kind.web",
	"project":    "kind.project",
	"onenote":    "kind.onenote",
	"azure":      "kind.azure",
}

// LocalizedKindLabel returns the label of a record kind in loc's language.
func LocalizedKindLabel(loc *l10n.Localizer, kind string) string { return kindLabel(loc, kind) }

func kindLabel(loc *l10n.Localizer, kind string) string {
	if id, ok := kindIDs[kind]; ok {
		return loc.T(id)
	}
	if kind == "" {
		return loc.T("kind.app")
	}
	return logtext.Runes(kind, 40)
}

var sectionIDs = map[attestation.Section]string{
	attestation.SectionGeneral:       "section_name.general",
	attestation.SectionData:          "section_name.data",
	attestation.SectionSecurity:      "section_name.security",
	attestation.SectionCompliance:    "section_name.compliance",
	attestation.SectionPrivacy:       "section_name.privacy",
	attestation.SectionZeroTrust:     "section_name.zerotrust",
	attestation.SectionIdentity:      "section_name.identity",
	attestation.SectionCertification: "section_name.certification",
}

func sectionTitle(loc *l10n.Localizer, s attestation.Section) string {
	if id, ok := sectionIDs[s]; ok {
		return loc.T(id)
	}
	return logtext.Runes(string(s), 40)
}

// LocalizedValueLabel returns the label of a normalized answer in loc's
// language.
func LocalizedValueLabel(loc *l10n.Localizer, v attestation.Value) string { return valueLabel(loc, v) }

var valueIDs = map[attestation.Value]string{
	attestation.ValueYes:           "value.yes",
	attestation.ValueNo:            "value.no",
	attestation.ValueNotApplicable: "value.not_applicable",
	attestation.ValueUnanswered:    "value.unanswered",
	attestation.ValueInScope:       "value.in_scope",
	attestation.ValuePass:          "value.pass",
	attestation.ValueFail:          "value.fail",
	attestation.ValueUnknown:       "value.unknown",
	attestation.ValueText:          "value.text",
}

func valueLabel(loc *l10n.Localizer, v attestation.Value) string {
	if id, ok := valueIDs[v]; ok {
		return loc.T(id)
	}
	return logtext.Runes(string(v), 40)
}

// valueText returns a normalized answer as cards show it: its icon and its
// label in loc's language ("✅ Yes").
func valueText(loc *l10n.Localizer, v attestation.Value) string {
	if t, ok := textsOf(loc).values[v]; ok {
		return t
	}
	return valueIcon(v) + " " + valueLabel(loc, v)
}

// notInRecord is the value of a claim whose question a record's page does
// not ask.
func notInRecord(loc *l10n.Localizer) string { return textsOf(loc).notInRecord }

// localeTexts holds strings of the cards made of a language's messages
// alone, made once per Localizer rather than for every card: a summary
// card shows about twenty answer values.
type localeTexts struct {
	values      map[attestation.Value]string // valueText of each known value
	notInRecord string
	// certified and attested are the badges of certificationLabel.
	certified, attested string
	// repeated holds messages whose arguments repeat from app to app (a
	// page locale, counts of questions), filled as they are asked, at most
	// maxRepeated.
	repeated  sync.Map // repeatedKey → string
	nRepeated atomic.Int32
}

// repeatedKey names a message and its arguments.
type repeatedKey struct {
	id      string
	n, m, o int
	s       string
}

// maxRepeated bounds localeTexts.repeated (about 200 bytes an entry, so
// at most 400 KB a language; a catalog's dates take a few hundred): a
// message past it is made every time.
const maxRepeated = 2048

// repeat returns the message k names, made by mk the first time.
func (t *localeTexts) repeat(k repeatedKey, mk func() string) string {
	if s, ok := t.repeated.Load(k); ok {
		return s.(string)
	}
	s := mk()
	if t.nRepeated.Load() < maxRepeated {
		if _, loaded := t.repeated.LoadOrStore(k, s); !loaded {
			t.nRepeated.Add(1)
		}
	}
	return s
}

// localeTextsOf holds the localeTexts of each Localizer used.
var localeTextsOf sync.Map // *l10n.Localizer → *localeTexts

func textsOf(loc *l10n.Localizer) *localeTexts {
	if t, ok := localeTextsOf.Load(loc); ok {
		return t.(*localeTexts)
	}
	t := &localeTexts{values: make(map[attestation.Value]string, len(valueIDs)), notInRecord: "— " + loc.T("common.not_in_record"),
		certified: "🏅 " + loc.T("cert.certified"), attested: "📋 " + loc.T("cert.attested")}
	for v := range valueIDs {
		t.values[v] = valueIcon(v) + " " + valueLabel(loc, v)
	}
	got, _ := localeTextsOf.LoadOrStore(loc, t)
	return got.(*localeTexts)
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
func certificationLabel(loc *l10n.Localizer, c attestation.Certification) (string, Color) {
	switch c {
	case attestation.Certified:
		return textsOf(loc).certified, ColorGood
	case attestation.Attested:
		return textsOf(loc).attested, ColorAccent
	}
	return loc.T("cert.none"), ColorWarning
}

// formatDate writes a date as "18 Aug 2021" (in the Builder's language),
// or "unknown".
func (b *Builder) formatDate(d attestation.Date) string {
	if d.IsZero() {
		return b.loc.T("date.unknown")
	}
	// Pages share dates (a catalog's updates fall on a few hundred days).
	return textsOf(b.loc).repeat(repeatedKey{id: "date", n: d.Year, m: int(d.Month), o: d.Day}, func() string {
		return b.loc.Date(d.Year, d.Month, d.Day)
	})
}

// age tells how long ago d was relative to now in loc's language: "today",
// "5 days ago", "3 months ago", "2 years 1 month ago". The zero date gives
// "unknown", a date after now "today".
func age(loc *l10n.Localizer, d attestation.Date, now time.Time) string {
	if d.IsZero() {
		return loc.T("date.unknown")
	}
	return loc.Age(d.Time(), now)
}

// header returns the title block of a record's cards: icon, name, publisher
// and kind, and the certification badge.
func (b *Builder) header(r *attestation.Record, subtitle string) *ColumnSet {
	badge, color := certificationLabel(b.loc, r.Certification)
	sl := b.slab
	main := sl.column(WidthStretch,
		sl.text(b.displayName(r)).WithSize(SizeLarge).Bold().Heading(),
		sl.text(subtitle).Subtle().WithSpacing(SpacingNone),
	).WithVerticalAlignment(AlignMiddle)
	cols := 2
	if b.iconURL != "" {
		cols = 3
	}
	set := sl.columnSet(cols)
	if b.iconURL != "" {
		set.Add(sl.column(WidthAuto, NewImage(b.iconURL, "attestbot").WithSize(ImageSmall)).WithVerticalAlignment(AlignMiddle))
	}
	return set.Add(main,
		sl.column(WidthAuto, sl.text(badge).WithColor(color).Bold().NoWrap()).WithVerticalAlignment(AlignMiddle))
}

// byline returns "Publisher · Teams app".
func (b *Builder) byline(r *attestation.Record) string {
	p := logtext.Runes(r.Publisher, 100)
	if p == "" {
		p = b.loc.T("common.unknown_publisher")
	}
	return p + " · " + kindLabel(b.loc, r.Kind)
}

// pager returns Previous/Next buttons for page of n, built by mk, or nil.
func (b *Builder) pager(page, n int, mk func(page int) ActionData) *ActionSet {
	if n <= 1 {
		return nil
	}
	set := NewActionSet().WithSpacing(SpacingMedium)
	if page > 0 {
		set.Add(NewExecute("◀ "+b.loc.T("common.previous"), mk(page-1)).WithoutInputs())
	}
	if page < n-1 {
		set.Add(NewExecute(b.loc.T("common.next")+" ▶", mk(page+1)).WithoutInputs())
	}
	return set
}

// pageLabel returns "page 2 of 5".
func (b *Builder) pageLabel(page, n int) string {
	return b.loc.F("common.page_of", l10n.Args{"Page": page + 1, "Pages": n})
}

// publisherText shows text exactly as the publisher wrote it: a
// RichTextBlock (no markdown) followed by its locale.
func publisherText(text, locale string, max int) *RichTextBlock {
	rt := NewRichTextBlock(NewTextRun(logtext.Runes(text, max)))
	if locale != "" {
		rt.Add(NewTextRun("  [" + locale + "]").Subtle().WithSize(SizeSmall))
	}
	return rt
}

// otherLocales returns the buttons that open a record's card in the other
// locales of b.locales (at most 10), built by mk, or nil.
func (b *Builder) otherLocales(r *attestation.Record, mk func(locale string) ActionData) *ActionSet {
	n := b.otherLocaleCount(r)
	if n == 0 {
		return nil
	}
	set := b.slab.actionSet(n)
	for _, l := range b.locales {
		if len(set.Actions) == n {
			break
		}
		if l, ok := otherLocale(r, l); ok {
			set.Add(b.slab.execute(l, mk(l)).WithoutInputs())
		}
	}
	return set
}

// otherLocaleCount returns how many buttons otherLocales makes for r.
func (b *Builder) otherLocaleCount(r *attestation.Record) int {
	n := 0
	for _, l := range b.locales {
		if _, ok := otherLocale(r, l); ok {
			n++
		}
	}
	return min(n, 10)
}

// otherLocale returns locale l as a button shows it, and whether it is
// another locale than r's.
func otherLocale(r *attestation.Record, l string) (string, bool) {
	l = cleanLocale(l)
	return l, l != "" && !strings.EqualFold(l, r.Locale)
}

// sameLanguage reports whether a record's locale is in loc's language, so
// the question wording of its page can stand for the English label.
func sameLanguage(loc *l10n.Localizer, locale string) bool {
	return !loc.IsEnglish() && locale != "" && l10n.Match(locale) == loc.Locale()
}

// answerLabel returns the question of an answer: the page's own wording
// when the page is in the card's language (Microsoft's translation); for
// a record quoted from a fallback locale, the wording the card language's
// pages give the same question; otherwise the English label.
func (b *Builder) answerLabel(a *attestation.Answer, locale string) string {
	label := a.Label
	if sameLanguage(b.loc, locale) && a.PageLabel != "" {
		label = a.PageLabel
	} else {
		label = QuestionLabel(b.loc, a.Key, label)
	}
	if label == "" {
		label = a.PageLabel
	}
	if label == "" {
		label = a.Key
	}
	return label
}

// QuestionLabel returns the question of an answer key in loc's language:
// the wording Microsoft's pages of that language give it, or english when
// loc is English or its pages never showed the key.
func QuestionLabel(loc *l10n.Localizer, key, english string) string {
	if loc == nil || loc.IsEnglish() || key == "" {
		return english
	}
	if l, ok := attestation.QuestionLabel(loc.Locale(), key); ok {
		return l
	}
	return english
}
