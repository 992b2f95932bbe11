package chat

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/cards"
	"github.com/attestbot/attestbot/l10n"
)

// plummLocales are the locales of Plumm's page in the sample catalog.
var plummLocales = []string{"de-DE", "fr-FR", "ja-JP", "zh-CN"}

// TestCardsNameTheQuotedLocale checks, for each main card kind, that a
// card quoting publisher text says which locale it comes from (the
// admin's when the page exists in it, else the one fallback every card of
// the answer uses), and that the summary, section and permissions cards
// offer the page's other locales as buttons that open the same card
// quoting that locale.
func TestCardsNameTheQuotedLocale(t *testing.T) {
	ctx := context.Background()
	s := newService(t, &memSubs{subs: map[string][]string{}})
	plumm := func(v cards.Verb, locale string) cards.ActionData {
		return cards.ActionData{Verb: v, Kind: "teams", Slug: "plumm-health-ltd", Locale: locale, Section: "security"}
	}
	for _, tc := range []struct{ client, quoted string }{
		{"ko-KR", "fr-FR"}, // no Korean page: the fallback order's first
		{"en-US", "fr-FR"},
		{"ja-JP", "ja-JP"}, // the admin's own language
		{"de-CH", "de-DE"},
	} {
		u := User{TenantID: "t", ID: "u", Locale: tc.client}
		loc := l10n.For(tc.client)
		says := map[string]struct {
			card  *cards.AdaptiveCard
			texts []string // one of them names the quoted locale
			offer bool
		}{
			"summary":     {s.Text(ctx, u, "plumm"), []string{loc.F("common.source_page_locale", l10n.Args{"Locale": tc.quoted})}, true},
			"section":     {s.Action(ctx, u, plumm(cards.VerbSection, "")), []string{loc.F("section.show_original", l10n.Args{"Locale": tc.quoted}), loc.F("section.original_note", l10n.Args{"Locale": tc.quoted})}, true},
			"permissions": {s.Action(ctx, u, plumm(cards.VerbPermissions, "")), []string{loc.F("permission.justifications", l10n.Args{"Locale": tc.quoted})}, true},
			"compare":     {s.Text(ctx, u, "compare plumm and saberr"), []string{loc.F("compare.docs_page_locale", l10n.Args{"Locale": tc.quoted})}, false},
			"changes":     {s.Action(ctx, u, plumm(cards.VerbChanges, "")), []string{loc.F("changes.locale_record", l10n.Args{"Locale": tc.quoted})}, false},
			"claim":       {s.Text(ctx, u, "is plumm hipaa compliant?"), []string{", " + tc.quoted + ")", "，" + tc.quoted + "）", "、" + tc.quoted + ")"}, false},
		}
		for kind, c := range says {
			got := cardJSON(t, c.card)
			require.True(t, slices.ContainsFunc(c.texts, func(w string) bool { return jsonContains(got, w) }),
				"%s %s: the card names %s with one of %q\n%s", tc.client, kind, tc.quoted, c.texts, got)
			if !c.offer {
				continue
			}
			offered := localeButtons(t, got)
			want := slices.DeleteFunc(slices.Clone(plummLocales), func(l string) bool { return l == tc.quoted })
			require.ElementsMatch(t, want, offered, "%s %s offers the other locales", tc.client, kind)
		}
		// A button opens the same card quoting its locale, which then
		// offers the others, the first quoted one included.
		for _, other := range []string{"de-DE", "zh-CN"} {
			if other == tc.quoted {
				continue
			}
			for _, v := range []cards.Verb{cards.VerbApp, cards.VerbSection, cards.VerbPermissions} {
				got := cardJSON(t, s.Action(ctx, u, plumm(v, other)))
				require.Contains(t, localeButtons(t, got), tc.quoted, "%s %s %s", tc.client, v, other)
				require.NotContains(t, localeButtons(t, got), other, "%s %s %s", tc.client, v, other)
			}
		}
	}
}

// jsonContains reports whether a card's JSON holds text w.
func jsonContains(cardJSON, w string) bool {
	b, _ := json.Marshal(w)
	return len(b) > 2 && strings.Contains(cardJSON, string(b[1:len(b)-1]))
}

// localeButtons returns the locales of a card's buttons that open a
// locale of the same app: Action.Execute whose title is the locale its
// data names.
func localeButtons(t *testing.T, cardJSON string) []string {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal([]byte(cardJSON), &v))
	var out []string
	var walk func(any)
	walk = func(x any) {
		switch x := x.(type) {
		case map[string]any:
			if x["type"] == "Action.Execute" {
				if d, ok := x["data"].(map[string]any); ok && d["locale"] != nil && d["locale"] == x["title"] && !slices.Contains(out, x["title"].(string)) {
					out = append(out, x["title"].(string))
				}
			}
			for _, e := range x {
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(v)
	return out
}
