package l10n

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
)

// forms returns the plural forms a message defines, by form name.
func forms(m *i18n.Message) map[string]string {
	out := map[string]string{}
	for k, v := range map[string]string{"zero": m.Zero, "one": m.One, "two": m.Two, "few": m.Few, "many": m.Many, "other": m.Other} {
		if v != "" {
			out[k] = v
		}
	}
	return out
}

// TestCatalogsComplete fails when a language lacks a message of the
// English catalog, has one English does not, leaves a message empty, or
// uses other placeholders than English in any plural form.
func TestCatalogsComplete(t *testing.T) {
	c := load()
	require.NoError(t, c.err)
	en := map[string]*i18n.Message{}
	for _, m := range c.files[English].Messages {
		en[m.ID] = m
	}
	require.Greater(t, len(en), 200)
	for _, l := range Locales {
		t.Run(l, func(t *testing.T) {
			got := map[string]*i18n.Message{}
			for _, m := range c.files[l].Messages {
				got[m.ID] = m
			}
			var missing, extra []string
			for id := range en {
				if got[id] == nil {
					missing = append(missing, id)
				}
			}
			for id := range got {
				if en[id] == nil {
					extra = append(extra, id)
				}
			}
			slices.Sort(missing)
			slices.Sort(extra)
			require.Empty(t, missing, "%s lacks these messages", l)
			require.Empty(t, extra, "%s has messages English does not", l)
			for id, m := range got {
				f := forms(m)
				require.NotEmpty(t, f["other"], "%s: %s has no text", l, id)
				want, err := Placeholders(strings.Join(mapValues(forms(en[id])), " "))
				require.NoError(t, err, id)
				slices.Sort(want)
				plural := len(forms(en[id])) > 1
				if !plural {
					require.Len(t, f, 1, "%s: %s has plural forms English does not", l, id)
				}
				for form, src := range f {
					ph, err := Placeholders(src)
					require.NoError(t, err, "%s: %s.%s", l, id, form)
					slices.Sort(ph)
					wantForm := want
					if plural && !slices.Contains(ph, "Count") {
						// A form for exactly one may spell the number out
						// ("un jour", "ein Tag").
						wantForm = slices.DeleteFunc(slices.Clone(want), func(s string) bool { return s == "Count" })
					}
					require.Equal(t, wantForm, ph, "%s: %s.%s placeholders", l, id, form)
				}
			}
		})
	}
}

// TestPluralFormsPerLanguage checks that every counting message of a
// language defines exactly the CLDR plural categories its whole numbers
// fall into (ru: one, few, many; fr: one, other; ja: other...), plus
// "other", which go-i18n falls back to. A missing form would print the
// wrong word for some counts; an extra one is a form no count reaches.
func TestPluralFormsPerLanguage(t *testing.T) {
	c := load()
	require.NoError(t, c.err)
	names := map[plural.Form]string{plural.Zero: "zero", plural.One: "one", plural.Two: "two", plural.Few: "few", plural.Many: "many", plural.Other: "other"}
	for _, l := range Locales {
		want := map[string]bool{"other": true}
		tag := language.MustParse(l)
		for n := 0; n <= 1000; n++ {
			want[names[plural.Cardinal.MatchPlural(tag, n, 0, 0, 0, 0)]] = true
		}
		counted := 0
		for _, m := range c.files[l].Messages {
			got := forms(m)
			if len(got) == 1 && m.Other != "" && !strings.Contains(m.Other, "{{.Count}}") {
				continue
			}
			counted++
			for form := range want {
				require.NotEmpty(t, got[form], "%s: %s lacks the %q form", l, m.ID, form)
			}
			for form := range got {
				require.True(t, want[form], "%s: %s has a %q form no whole number takes", l, m.ID, form)
			}
		}
		require.Greater(t, counted, 20, l)
	}
}

func mapValues(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

// TestCodeUsesKnownIDs scans the Go sources that write messages for
// literal message IDs and checks each is in the English catalog.
func TestCodeUsesKnownIDs(t *testing.T) {
	re := regexp.MustCompile(`\b(?:T|F|N)\("([a-z_]+(?:\.[a-zA-Z_]+)+)"`)
	loc := Default()
	seen := 0
	for _, dir := range []string{"../app", "../audit", "../bot", "../cards", "../chat", "../manifest", "../notify"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		require.NoError(t, err)
		for _, f := range files {
			raw, err := os.ReadFile(f)
			require.NoError(t, err)
			for _, m := range re.FindAllStringSubmatch(string(raw), -1) {
				seen++
				require.True(t, loc.Has(m[1]), "%s uses unknown message %q", f, m[1])
			}
		}
	}
	require.Greater(t, seen, 100)
}

func TestMatch(t *testing.T) {
	for in, want := range map[string]string{
		"": English, "en-US": English, "en-GB": English, "fr-FR": "fr-FR", "fr-CA": "fr-FR", "fr": "fr-FR",
		"de-CH": "de-DE", "de-AT": "de-DE", "zh-HK": "zh-TW", "zh-Hant": "zh-TW", "zh-SG": "zh-CN", "zh": "zh-CN",
		"pt-PT": "pt-BR", "es-MX": "es-ES", "ja": "ja-JP", "ko-KR": "ko-KR", "ru": "ru-RU", "it-CH": "it-IT",
		"nl-NL": English, "xx-garbage": English, "not a locale at all": English, "ZH-tw": "zh-TW", "fr_FR": "fr-FR",
	} {
		require.Equal(t, want, Match(in), in)
		require.Equal(t, want, For(in).Locale(), in)
	}
}

func TestPickLocale(t *testing.T) {
	all := []string{"de-DE", "fr-FR", "ja-JP", "zh-CN", "zh-TW"}
	for _, tc := range []struct {
		avail []string
		want  string
		got   string
	}{
		{all, "fr-CA", "fr-FR"},
		{all, "de-CH", "de-DE"},
		{all, "zh-HK", "zh-TW"},
		{all, "zh-SG", "zh-CN"},
		{all, "en-US", "fr-FR"},
		{all, "", "fr-FR"},
		{all, "ko-KR", "fr-FR"},
		{[]string{"en-US", "fr-FR"}, "ko-KR", "en-US"},
		{[]string{"en-GB", "fr-FR"}, "en-US", "en-GB"},
		{[]string{"ru-RU"}, "fr-FR", "ru-RU"},
		{nil, "fr-FR", ""},
	} {
		require.Equal(t, tc.got, PickLocale(tc.avail, tc.want), "%v %s", tc.avail, tc.want)
	}
}

func TestDateAndAge(t *testing.T) {
	now := time.Date(2022, time.August, 1, 9, 30, 0, 0, time.UTC)
	then := time.Date(2021, time.June, 18, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		locale, date, age string
	}{
		{"en-US", "18 Jun 2021", "1 year 1 month ago"},
		{"fr-FR", "18 juin 2021", "il y a 1 an et 1 mois"},
		{"de-DE", "18. Juni 2021", "vor 1 Jahr und 1 Monat"},
		{"es-ES", "18 jun 2021", "hace 1 año y 1 mes"},
		{"it-IT", "18 giu 2021", "1 anno e 1 mese fa"},
		{"pt-BR", "18 de jun. de 2021", "há 1 ano e 1 mês"},
		{"ru-RU", "18 июн. 2021 г.", "1 год 1 месяц назад"},
		{"ja-JP", "2021年6月18日", "1 年 1 か月前"},
		{"ko-KR", "2021년 6월 18일", "1년 1개월 전"},
		{"zh-CN", "2021年6月18日", "1 年 1 个月前"},
		{"zh-TW", "2021年6月18日", "1 年 1 個月前"},
	} {
		l := For(tc.locale)
		require.Equal(t, tc.date, l.Date(2021, time.June, 18), tc.locale)
		require.Equal(t, tc.age, l.Age(then, now), tc.locale)
	}
	ru := For("ru-RU")
	for days, want := range map[int]string{1: "1 день назад", 2: "2 дня назад", 5: "5 дней назад", 11: "11 дней назад", 21: "21 день назад", 22: "22 дня назад"} {
		require.Equal(t, want, ru.Age(now.AddDate(0, 0, -days), now), days)
	}
	de := For("de-DE")
	require.Equal(t, "vor 5 Tagen", de.Age(now.AddDate(0, 0, -5), now))
	require.Equal(t, "vor 1 Tag", de.Age(now.AddDate(0, 0, -1), now))
	require.Equal(t, "il y a 3 heures", For("fr-CA").Since(now.Add(-3*time.Hour), now))
	require.Equal(t, "3 時間前", For("ja").Since(now.Add(-3*time.Hour), now))
	en := Default()
	require.Equal(t, "today", en.Age(now, now))
	require.Equal(t, "today", en.Age(now.Add(time.Hour), now))
	require.Equal(t, "5 days ago", en.Age(now.AddDate(0, 0, -5), now))
	require.Equal(t, "1 day ago", en.Age(now.AddDate(0, 0, -1), now))
	require.Equal(t, "3 months ago", en.Age(now.AddDate(0, -3, 0), now))
	require.Equal(t, "2 years ago", en.Age(now.AddDate(-2, 0, 0), now))
	require.Equal(t, "unknown", en.Date(0, time.June, 1))
	require.Equal(t, "unknown", en.Date(2021, 13, 1))
}

func TestUnknownIDAndNil(t *testing.T) {
	require.Equal(t, "no.such_message", Default().T("no.such_message"))
	require.Equal(t, "no.such_message", For("fr-FR").F("no.such_message", Args{"X": 1}))
	var l *Localizer
	require.Equal(t, "Help", l.T("common.help"))
}

func TestPlaceholders(t *testing.T) {
	ph, err := Placeholders("{{.A}} and {{ .B }} and {{.A}}")
	require.NoError(t, err)
	require.Equal(t, []string{"A", "B"}, ph)
	for _, bad := range []string{"{{.A", "{{if .A}}x{{end}}", "{{.A | printf}}", "{{index . 1}}", "{{.}}"} {
		_, err := Placeholders(bad)
		require.Error(t, err, bad)
	}
}

// TestEmbeddedFiles checks that every file under locales is a catalog
// locale (a stray file would never load).
func TestEmbeddedFiles(t *testing.T) {
	entries, err := fs.ReadDir(localeFS, "locales")
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e.Name(), ".toml"))
	}
	require.ElementsMatch(t, Locales, names)
}

func BenchmarkLocalize(b *testing.B) {
	l := For("ru-RU")
	b.ReportAllocs()
	for b.Loop() {
		_ = l.T("summary.claims")
		_ = l.F("common.open", Args{"Name": "Plumm"})
		_ = l.N("permission.count", 23, nil)
	}
}

func TestNumber(t *testing.T) {
	for locale, want := range map[string]string{
		"en-US": "12,345", "de-DE": "12.345", "fr-FR": "12\u00a0345", "es-ES": "12.345", "it-IT": "12.345",
		"pt-BR": "12.345", "ru-RU": "12\u00a0345", "ja-JP": "12,345", "ko-KR": "12,345", "zh-CN": "12,345", "zh-TW": "12,345",
	} {
		require.Equal(t, want, For(locale).Number(12345), locale)
		require.Equal(t, "7", For(locale).Number(7), locale)
	}
	require.Equal(t, "1,234 apps match", Default().N("search.count", 1234, nil))
	require.Equal(t, "Найдено 1\u00a0234 приложения", For("ru-RU").N("search.count", 1234, nil))
	require.Equal(t, "1.001 Apps gefunden", For("de-DE").N("search.count", 1001, nil))
	var nilLoc *Localizer
	require.Equal(t, "-3", nilLoc.Number(-3))
}

// TestNCacheSameAsResolved checks that the cached plural messages read
// exactly as go-i18n resolves them, in every language, for counts across
// every CLDR category, asked twice (the second answer comes from the
// cache) and from several goroutines.
func TestNCacheSameAsResolved(t *testing.T) {
	ids := []string{"age.years", "age.months"}
	for _, locale := range Locales {
		loc := For(locale)
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				for _, id := range ids {
					for _, n := range []int{0, 1, 2, 3, 5, 11, 21, 22, 25, 101, 999, 1000, 1234} {
						want := loc.n(id, n, nil)
						for pass := range 2 { // the second answer comes from the cache
							if got := loc.N(id, n, nil); got != want {
								t.Errorf("%s %s %d, pass %d: %q, want %q", locale, id, n, pass, got, want)
							}
						}
					}
				}
			})
		}
		wg.Wait()
	}
}

// TestAgeCacheSameAsWritten: the ages Age remembers read as Age writes
// them without its cache, in every language, for every day over ten years
// (under a month, months, years and months), asked in an order that fills
// the cache differently from the one that reads it.
func TestAgeCacheSameAsWritten(t *testing.T) {
	now := time.Date(2026, time.March, 15, 15, 0, 0, 0, time.UTC)
	const span = 3700 // days
	for _, locale := range Locales {
		l := For(locale)
		want := make([]string, span)
		for d := range span {
			l.ages.Clear()
			want[d] = l.Age(now.AddDate(0, 0, -d), now) // written, not remembered
		}
		l.ages.Clear()
		for d := span - 1; d >= 0; d-- {
			_ = l.Age(now.AddDate(0, 0, -d), now)
		}
		for d := range span {
			require.Equal(t, want[d], l.Age(now.AddDate(0, 0, -d), now), "%s, %d days", locale, d)
		}
	}
	require.Equal(t, "2 years 1 month ago", Default().Age(now.AddDate(-2, -1, 0), now))
}

// TestFillSameAsF: Fill writes what F writes with the one argument.
func TestFillSameAsF(t *testing.T) {
	tests := []struct {
		name        string
		id, arg, in string
	}{
		{"app name", "summary.fallback", "Name", "Plumm <Health> & Co"},
		{"compare label", "summary.compare_with", "Name", "Plumm"},
		{"list", "risk.broad_permissions", "List", "User.Read.All, Mail.Read"},
		{"control", "risk.control_failed", "Control", "Penetration test"},
		{"empty value", "summary.fallback", "Name", ""},
		{"another name: left empty", "summary.fallback", "Other", "x"},
		{"plain message", "summary.claims", "Name", "x"},
		{"unknown message", "no.such_message", "Name", "x"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, locale := range Locales {
				l := For(locale)
				require.Equal(t, l.F(tc.id, Args{tc.arg: tc.in}), l.Fill(tc.id, tc.arg, tc.in), locale)
			}
		})
	}
	var nilLoc *Localizer
	require.Equal(t, Default().F("summary.fallback", Args{"Name": "x"}), nilLoc.Fill("summary.fallback", "Name", "x"))
}
