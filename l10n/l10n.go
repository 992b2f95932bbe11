package l10n

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"
	"sync"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/number"
)

//go:embed locales/*.toml
var localeFS embed.FS

// English is the source locale and the fallback of every other one.
const English = "en-US"

// Locales lists the catalog locales: English first, then the ten
// languages of Microsoft's localized App Compliance pages.
var Locales = []string{English, "de-DE", "es-ES", "fr-FR", "it-IT", "ja-JP", "ko-KR", "pt-BR", "ru-RU", "zh-CN", "zh-TW"}

// Args are the values of a message's placeholders, by name.
type Args map[string]any

// Localizer writes the messages of one catalog locale.
type Localizer struct {
	locale string
	tag    language.Tag
	loc    *i18n.Localizer
	// plain holds the messages without placeholders or plural forms,
	// resolved once (most of a card's strings).
	plain map[string]string
	// single holds the parsed messages with placeholders but one form.
	single map[string]*parsed
	// known holds every message ID of the English catalog.
	known map[string]bool
	// numbers formats numbers with the locale's digit grouping.
	numbers *message.Printer
	// counted caches the plural messages without other placeholders by
	// message and count (N with nil args: "3 years ago", "7 permissions"),
	// which go-i18n would otherwise resolve and execute on every card.
	counted sync.Map // countedKey → string
	// ages caches the texts of Age by ageKey.
	ages sync.Map // int → string
}

// countedKey is a plural message and its count.
type countedKey struct {
	id string
	n  int
}

// maxCountedCache bounds the counts N caches: larger ones are rare and
// would let the cache grow without end.
const maxCountedCache = 1000

type catalog struct {
	bundle  *i18n.Bundle
	files   map[string]*i18n.MessageFile
	byLoc   map[string]*Localizer
	matcher language.Matcher
	err     error
}

var (
	catOnce sync.Once
	cat     catalog
)

// load parses every embedded catalog once.
func load() *catalog {
	catOnce.Do(func() {
		cat.err = loadCatalog(&cat, localeFS)
	})
	return &cat
}

func loadCatalog(c *catalog, fsys fs.FS) error {
	c.bundle = i18n.NewBundle(language.AmericanEnglish)
	c.bundle.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	c.files = map[string]*i18n.MessageFile{}
	c.byLoc = map[string]*Localizer{}
	tags := make([]language.Tag, len(Locales))
	for i, l := range Locales {
		file := path.Join("locales", l+".toml")
		mf, err := c.bundle.LoadMessageFileFS(fsys, file)
		if err != nil {
			return fmt.Errorf("l10n: load %s: %w", file, err)
		}
		c.files[l] = mf
		tags[i] = language.MustParse(l)
	}
	c.matcher = language.NewMatcher(tags)
	known := map[string]bool{}
	for _, m := range c.files[English].Messages {
		known[m.ID] = true
	}
	for i, l := range Locales {
		lz := &Localizer{
			locale:  l,
			tag:     tags[i],
			loc:     i18n.NewLocalizer(c.bundle, l, English),
			plain:   map[string]string{},
			single:  map[string]*parsed{},
			known:   known,
			numbers: message.NewPrinter(tags[i]),
		}
		for _, m := range c.files[l].Messages {
			switch {
			case isPlain(m):
				lz.plain[m.ID] = m.Other
			case isSingle(m):
				pt, err := parser.Parse(m.Other, m.LeftDelim, m.RightDelim)
				if err != nil {
					return fmt.Errorf("l10n: %s: %s: %w", l, m.ID, err)
				}
				lz.single[m.ID] = pt.(*parsed)
			}
		}
		// English fills in what a translation lacks (the catalog test
		// keeps that from happening).
		for _, m := range c.files[English].Messages {
			if _, ok := lz.plain[m.ID]; !ok && isPlain(m) && !has(c.files[l], m.ID) {
				lz.plain[m.ID] = m.Other
			}
		}
		c.byLoc[l] = lz
	}
	return nil
}

func has(mf *i18n.MessageFile, id string) bool {
	for _, m := range mf.Messages {
		if m.ID == id {
			return true
		}
	}
	return false
}

// isPlain reports whether m has one form and no placeholder.
func isPlain(m *i18n.Message) bool {
	return isSingle(m) && !strings.Contains(m.Other, "{{")
}

// isSingle reports whether m has one form (no plural forms).
func isSingle(m *i18n.Message) bool {
	return m.Zero == "" && m.One == "" && m.Two == "" && m.Few == "" && m.Many == ""
}

// For returns the Localizer of the catalog locale that best matches a
// Teams client locale (fr-CA gives fr-FR, de-CH de-DE, zh-HK zh-TW); an
// empty, unreadable or unsupported locale gives English.
func For(locale string) *Localizer {
	c := load()
	if c.err != nil {
		panic(c.err) // the embedded catalogs are tested; this cannot happen in a release
	}
	return c.byLoc[Match(locale)]
}

// Default returns the English Localizer.
func Default() *Localizer { return For(English) }

// Match returns the catalog locale for a client locale, English when none
// fits.
func Match(locale string) string {
	locale = strings.TrimSpace(locale)
	if locale == "" || len(locale) > 35 {
		return English
	}
	for _, l := range Locales {
		if strings.EqualFold(l, locale) {
			return l
		}
	}
	t, err := language.Parse(strings.ReplaceAll(locale, "_", "-"))
	if err != nil {
		return English
	}
	c := load()
	_, i, conf := c.matcher.Match(t)
	if conf == language.No {
		return English
	}
	return Locales[i]
}

// Locale returns the catalog locale of l ("fr-FR").
func (l *Localizer) Locale() string { return l.locale }

// Tag returns the language tag of l.
func (l *Localizer) Tag() language.Tag { return l.tag }

// Number writes a whole number the way the locale groups digits:
// "12,345", "12.345" (de-DE), "12\u00a0345" (fr-FR, ru-RU).
func (l *Localizer) Number(n int) string {
	if n > -1000 && n < 1000 {
		return strconv.Itoa(n) // no grouping below a thousand in any catalog language
	}
	if l == nil {
		return Default().Number(n)
	}
	return l.numbers.Sprint(number.Decimal(n))
}

// IsEnglish reports whether l writes English.
func (l *Localizer) IsEnglish() bool { return l.locale == English }

// T returns a message without placeholders. An unknown ID is returned
// as is (a test checks every ID the code uses).
func (l *Localizer) T(id string) string {
	if l == nil {
		return Default().T(id)
	}
	if s, ok := l.plain[id]; ok {
		return s
	}
	return l.localize(id, nil, nil)
}

// F returns a message with its placeholders filled from args.
func (l *Localizer) F(id string, args Args) string {
	if l != nil {
		if t, ok := l.single[id]; ok {
			s, _ := t.Execute(map[string]any(args))
			return s
		}
	}
	return l.localize(id, args, nil)
}

// Fill is F for a message with one placeholder, name, set to value,
// without an Args map: the messages of a card written for every app (its
// name in the fallback text, a list of permissions).
func (l *Localizer) Fill(id, name, value string) string {
	if l != nil {
		if t, ok := l.single[id]; ok {
			return t.fill(name, value)
		}
	}
	return l.F(id, Args{name: value})
}

// N returns the plural form of a message for n, its {{.Count}} set to n
// (digits grouped the locale's way, Number) and the other placeholders
// filled from args (which may be nil).
func (l *Localizer) N(id string, n int, args Args) string {
	cache := l != nil && len(args) == 0 && n >= 0 && n < maxCountedCache
	if cache {
		if s, ok := l.counted.Load(countedKey{id, n}); ok {
			return s.(string)
		}
	}
	s := l.n(id, n, args)
	if cache {
		l.counted.Store(countedKey{id, n}, s)
	}
	return s
}

// n is N without the cache.
func (l *Localizer) n(id string, n int, args Args) string {
	data := make(Args, len(args)+1)
	for k, v := range args {
		data[k] = v
	}
	data["Count"] = l.Number(n)
	return l.localize(id, data, n)
}

func (l *Localizer) localize(id string, args Args, count any) string {
	if l == nil {
		return Default().localize(id, args, count)
	}
	cfg := &i18n.LocalizeConfig{MessageID: id, TemplateParser: parser}
	if args != nil {
		cfg.TemplateData = map[string]any(args)
	}
	if count != nil {
		cfg.PluralCount = count
	}
	s, err := l.loc.Localize(cfg)
	if err != nil && s == "" {
		return id
	}
	return s
}

// Has reports whether id is a message of the English catalog.
func (l *Localizer) Has(id string) bool { return Default().known[id] }

// PickLocale chooses, among the locales a page exists in, the one to quote
// for an admin writing in locale: the same locale, else the same language
// (fr-CA reads fr-FR, zh-HK reads zh-TW, de-CH reads de-DE), else the first
// of the fallback order English, French, German, Japanese..., else the first
// available. It returns "" when available is empty.
func PickLocale(available []string, locale string) string {
	if len(available) == 0 {
		return ""
	}
	if locale != "" {
		for _, a := range available {
			if strings.EqualFold(a, locale) {
				return a
			}
		}
		want := Match(locale)
		if want != English || primary(locale) == "en" {
			for _, a := range available {
				if Match(a) == want {
					return a
				}
			}
		}
	}
	for _, f := range fallbackOrder {
		for _, a := range available {
			if strings.EqualFold(a, f) {
				return a
			}
		}
	}
	for _, a := range available {
		if primary(a) == "en" {
			return a
		}
	}
	return available[0]
}

// fallbackOrder is the order of locales quoted to an admin whose language
// a page lacks: English first, then the locales with the most pages.
var fallbackOrder = []string{"en-US", "fr-FR", "de-DE", "ja-JP", "ru-RU", "pt-BR", "es-ES", "it-IT", "ko-KR", "zh-CN", "zh-TW"}

func primary(locale string) string {
	if i := strings.IndexAny(locale, "-_"); i >= 0 {
		locale = locale[:i]
	}
	return strings.ToLower(locale)
}

// itoa formats an int for a placeholder.
func itoa(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case fmt.Stringer:
		return x.String()
	}
	return fmt.Sprint(v)
}

// Sources returns the source texts of a catalog's messages by ID: the
// text of a plain message, or its plural forms (zero, one, two, few, many,
// other, those it has), placeholders as written ({{.Name}}). It is for
// tools and tests that check what the bot writes against the catalogs;
// nil for a locale that is not one of Locales.
func Sources(locale string) map[string][]string {
	c := load()
	mf := c.files[locale]
	if c.err != nil || mf == nil {
		return nil
	}
	out := make(map[string][]string, len(mf.Messages))
	for _, m := range mf.Messages {
		for _, s := range []string{m.Zero, m.One, m.Two, m.Few, m.Many, m.Other} {
			if s != "" {
				out[m.ID] = append(out[m.ID], s)
			}
		}
	}
	return out
}
