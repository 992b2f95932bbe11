package cards

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/l10n"
)

// nativePages names, per catalog language, a real page written in it:
// from testdata/pages, or from testdata/pages-l10n for the languages that
// directory lacks.
var nativePages = map[string]string{
	"de-DE": "pages/de-DE/teams/plumm-health-ltd.md",
	"es-ES": "pages-l10n/es-ES/saas/netskope-for-microsoft-teams.md",
	"fr-FR": "pages/fr-FR/teams/plumm-health-ltd.md",
	"it-IT": "pages-l10n/it-IT/teams/selfdrvn.md",
	"ja-JP": "pages/ja-JP/teams/plumm-health-ltd.md",
	"ko-KR": "pages-l10n/ko-KR/teams/zoho-corporation-private-limited-desk.md",
	"pt-BR": "pages-l10n/pt-BR/outlook/commuty.md",
	"ru-RU": "pages-l10n/ru-RU/saas/elearningforce-international-aps-lms365.md",
	"zh-CN": "pages/zh-CN/teams/moduleq-q.md",
	"zh-TW": "pages/zh-TW/teams/lawtoolboxcominc-lawtoolbox.md",
}

// loadTestdata parses a page of testdata (rel starts with pages/ or
// pages-l10n/).
func loadTestdata(t testing.TB, rel string) *attestation.Record {
	t.Helper()
	root, rest, _ := cutDir(rel)
	file := filepath.Join("testdata", root, filepath.FromSlash(rest))
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	rec, err := attestation.Parse(file, data)
	require.NoError(t, err)
	require.NotEmpty(t, rec.Slug, rel)
	return rec
}

func cutDir(rel string) (dir, rest string, ok bool) {
	for i := 0; i < len(rel); i++ {
		if rel[i] == '/' {
			return rel[:i], rel[i+1:], true
		}
	}
	return "", rel, false
}

// plummLocales are the locales of the Plumm page in testdata/pages.
var plummLocales = []string{"de-DE", "fr-FR", "ja-JP"}

// l10nGoldenCases are the main cards in each catalog language but English
// (whose goldens are the cases above): summary, section, permissions,
// compare, search, diff, help, welcome, did-you-mean and error. Records
// are the page in the card's language when one exists, otherwise the one
// fallback locale l10n.PickLocale chooses (French for Plumm).
func l10nGoldenCases() []goldenCase {
	var cs []goldenCase
	for _, locale := range l10n.Locales[1:] {
		b := goldenBuilder().For(locale)
		card := func(name string, f func(t *testing.T) *AdaptiveCard) {
			cs = append(cs, goldenCase{name: "i18n_" + locale + "_" + name, build: func(t *testing.T) AttachmentContent { return f(t) }})
		}
		native := func(t *testing.T) *attestation.Record { return loadTestdata(t, nativePages[locale]) }
		plumm := func(t *testing.T) *attestation.Record {
			pick := l10n.PickLocale(plummLocales, locale)
			return loadTestdata(t, "pages/"+pick+"/teams/plumm-health-ltd.md")
		}
		card("summary", func(t *testing.T) *AdaptiveCard {
			r := native(t)
			return b.WithLocales([]string{"de-DE", "fr-FR", r.Locale}).Summary(r)
		})
		card("summary_plumm", func(t *testing.T) *AdaptiveCard { return b.WithLocales(plummLocales).Summary(plumm(t)) })
		card("section_security_original", func(t *testing.T) *AdaptiveCard {
			return b.Section(native(t), attestation.SectionSecurity, View{Original: true})
		})
		card("section_compliance", func(t *testing.T) *AdaptiveCard {
			return b.Section(plumm(t), attestation.SectionCompliance, View{})
		})
		card("section_data", func(t *testing.T) *AdaptiveCard {
			return b.Section(native(t), attestation.SectionData, View{})
		})
		card("permissions", func(t *testing.T) *AdaptiveCard { return b.Permissions(native(t), 0) })
		card("compare", func(t *testing.T) *AdaptiveCard {
			return b.Compare([]*attestation.Record{plumm(t), native(t)})
		})
		card("search_hipaa", func(t *testing.T) *AdaptiveCard {
			ix := testIndex(t)
			q, err := attestation.ParseQuery("apps with hipaa")
			require.NoError(t, err)
			res := ix.Search(q.Text, attestation.SearchOptions{Limit: -1, Locale: locale, Filters: q.Filters})
			require.NotEmpty(t, res)
			return b.Search("hipaa", locale, res, 0)
		})
		card("changes", func(t *testing.T) *AdaptiveCard {
			old := loadRevision(t, "plumm-health-ltd", "2022-01-28_d738f23d.md")
			cur := loadRevision(t, "plumm-health-ltd", "2022-03-20_ab1574e9.md")
			ch := attestation.Diff(old, cur, attestation.DiffOptions{})
			require.NotEmpty(t, ch)
			return b.Changes(cur, ch, 0)
		})
		card("help", func(*testing.T) *AdaptiveCard { return b.Help() })
		card("welcome", func(*testing.T) *AdaptiveCard { return b.Welcome() })
		card("didyoumean", func(t *testing.T) *AdaptiveCard {
			res := testIndex(t).Search("plum", attestation.SearchOptions{Locale: locale})
			require.NotEmpty(t, res)
			return b.DidYouMean("plum", locale, res)
		})
		card("error_not_found", func(*testing.T) *AdaptiveCard {
			loc := b.Localizer()
			return b.Error(ErrorMessage{Title: loc.T("error.app_not_found"), Detail: loc.T("didyoumean.nothing"),
				Retry: &ActionData{Verb: VerbSearch, Query: "plumz"}})
		})
		card("compare_nothing", func(*testing.T) *AdaptiveCard { return b.Compare(nil) })
		card("audit", func(*testing.T) *AdaptiveCard { return b.Audit(goldenAuditReport(), 0) })
		card("nomatch_confirm", func(t *testing.T) *AdaptiveCard {
			res := testIndex(t).Search("plum", attestation.SearchOptions{Locale: locale})
			require.NotEmpty(t, res)
			return b.NoMatch(NoMatch{Name: "plum", Question: "plum hipaa", Locale: locale, Candidates: res, Confirm: true})
		})
		card("nomatch_unfiltered", func(*testing.T) *AdaptiveCard {
			return b.NoMatch(NoMatch{Unfiltered: "health data", Locale: locale})
		})
		card("smalltalk", func(*testing.T) *AdaptiveCard { return b.SmallTalk(SmallTalkCertification) })
	}
	return cs
}

// TestLocalizedCardsSpeakOneLanguage checks, for each catalog language,
// that a card built for it carries none of the English chrome of the same
// card (so a string left out of the catalogs shows), and that the
// publisher text it quotes comes with its locale.
func TestLocalizedCardsSpeakOneLanguage(t *testing.T) {
	rec := loadPage(t, "fr-FR/teams/plumm-health-ltd.md")
	en := goldenBuilder()
	english := map[string]bool{}
	for _, s := range cardTexts(en.Summary(rec)) {
		english[s] = true
	}
	// Texts that are the same in every language: names, IDs, links.
	same := map[string]bool{"AppSource": true, "AppSource ID": true, "FedRAMP": true, rec.Name: true}
	// Words a language writes as English does.
	alike := map[string]map[string]bool{
		"de-DE": {"Compliance": true}, "es-ES": {"General": true}, "fr-FR": {"Source": true}, "it-IT": {"Privacy": true},
	}
	for _, locale := range l10n.Locales[1:] {
		b := en.For(locale)
		require.Equal(t, locale, b.Localizer().Locale())
		for _, card := range []*AdaptiveCard{b.Summary(rec)} {
			for _, s := range cardTexts(card) {
				if english[s] && !same[s] && !alike[locale][s] && !looksNeutral(s) {
					t.Errorf("%s card keeps the English text %q", locale, s)
				}
			}
		}
	}
	// The cards written from code rather than a record: audit findings,
	// the help card, did-you-mean, small talk. Only data (app and
	// publisher names, commands typed as such) may read as in English.
	report := goldenAuditReport()
	data := map[string]bool{"audit": true, "subscribe tenant": true, "plumm": true, "WA200003326": true,
		"https://appsource.microsoft.com/product/office/WA200003326": true, "Plumm": true}
	for _, r := range report.Rows {
		data[r.Name], data[r.Publisher] = true, true
	}
	res := testIndex(t).Search("plum", attestation.SearchOptions{Locale: "en-US"})
	require.NotEmpty(t, res)
	for _, r := range res {
		if rec := r.Record("en-US"); rec != nil {
			data[rec.Name], data[rec.Publisher] = true, true
		}
	}
	builds := map[string]func(b *Builder) *AdaptiveCard{
		"audit":     func(b *Builder) *AdaptiveCard { return b.Audit(report, 0) },
		"help":      func(b *Builder) *AdaptiveCard { return b.Help() },
		"smalltalk": func(b *Builder) *AdaptiveCard { return b.SmallTalk(SmallTalkHello) },
		"nomatch": func(b *Builder) *AdaptiveCard {
			return b.NoMatch(NoMatch{Name: "plum", Question: "plum hipaa", Candidates: res, Confirm: true})
		},
		"unfiltered": func(b *Builder) *AdaptiveCard { return b.NoMatch(NoMatch{Unfiltered: "health data"}) },
	}
	for name, build := range builds {
		english := map[string]bool{}
		for _, s := range cardTexts(build(en)) {
			english[s] = true
		}
		for _, locale := range l10n.Locales[1:] {
			for _, s := range cardTexts(build(en.For(locale))) {
				if english[s] && !data[s] && !same[s] && !alike[locale][s] && !looksNeutral(s) && !strings.HasPrefix(s, "Plumm") {
					t.Errorf("%s %s card keeps the English text %q", locale, name, s)
				}
			}
		}
	}
}

// looksNeutral reports texts with no letters of their own (numbers, IDs,
// names of the record), which every language shares.
func looksNeutral(s string) bool {
	for _, r := range s {
		if r >= 'a' && r <= 'z' {
			return false
		}
	}
	return true
}

// cardTexts returns the text of every TextBlock, TextRun, Fact and action
// title of a card.
func cardTexts(c *AdaptiveCard) []string {
	var out []string
	raw, err := Encode(c)
	if err != nil {
		return nil
	}
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, val := range x {
				switch k {
				case "text", "title", "label", "placeholder":
					if s, ok := val.(string); ok {
						out = append(out, s)
					}
				}
				walk(val)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(decodeJSON(raw))
	return out
}

func decodeJSON(raw []byte) any {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil
	}
	return v
}
