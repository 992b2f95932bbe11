package chat

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/cards"
	"github.com/attestbot/attestbot/l10n"
	"github.com/attestbot/attestbot/l10n/l10ntest"
)

// TestSurfacesFollowTheCatalogs renders every surface the bot writes on
// (help and welcome cards, message extension results and their previews,
// link unfurling, error cards, subscription notices, the main cards) for a
// client of each of the ten languages, and checks each holds text of that
// language's catalog and no English catalog text.
func TestSurfacesFollowTheCatalogs(t *testing.T) {
	ctx := context.Background()
	for _, locale := range l10n.Locales[1:] {
		t.Run(locale, func(t *testing.T) {
			require.Greater(t, l10ntest.Fragments(locale), 100, "the check has English text to look for")
			loc := l10n.For(locale)
			s := newService(t, &memSubs{subs: map[string][]string{}})
			noSubs := NewService(sampleCatalog(t), cards.New())
			u := User{TenantID: "t", ID: "u", Locale: locale}
			type surface struct {
				name string
				json string
				want string // a text of the locale's catalog the surface holds
			}
			text := func(svc *Service, msg, want string) surface {
				return surface{"text " + msg, cardJSON(t, svc.Text(ctx, u, msg)), want}
			}
			action := func(name string, d cards.ActionData, want string) surface {
				return surface{name, cardJSON(t, s.Action(ctx, u, d)), want}
			}
			surfaces := []surface{
				text(s, loc.T("help.help.example"), loc.T("help.title")),
				{"welcome", cardJSON(t, s.Welcome(u)), loc.T("welcome.title")},
				text(s, "plumm", loc.T("summary.claims")),
				text(s, loc.T("help.section.example"), loc.T("section_name.security")),
				text(s, loc.T("help.question.example"), loc.F("chat.claim_title", l10n.Args{"Name": "Plumm", "Verdict": loc.T("chat.yes")})),
				// Reach is not in the sample catalog; the phrasing is what is tested.
				text(s, strings.ReplaceAll(loc.T("help.compare.example"), "reach", "saberr"), loc.T("compare.publisher")),
				text(s, loc.T("help.search.example"), loc.T("search.new_search")),
				text(s, loc.T("help.changes.example"), loc.F("changes.title", l10n.Args{"Name": "Plumm"})),
				text(s, loc.T("help.storage.example"), "plumm"),
				text(s, "zzqqxxyyww", "zzqqxxyyww"),
				text(s, strings.Repeat("plumm ", 200), loc.T("chat.too_long")),
				text(s, loc.T("help.subscriptions.example"), loc.T("chat.no_subscriptions")),
				text(s, loc.T("help.subscribe.example"), loc.F("chat.subscribed", l10n.Args{"Name": "Plumm"})),
				text(noSubs, loc.T("help.subscribe.example"), loc.T("chat.subscriptions_unavailable")),
				text(s, loc.T("help.tenant.example"), loc.T("chat.admins_only_tenant")),
				text(s, loc.T("help.audit.example"), loc.T("chat.audit_unavailable")),
				action("unknown button", cards.ActionData{Verb: "nosuch"}, loc.T("chat.unknown_button")),
				action("app gone", cards.ActionData{Verb: cards.VerbApp, Kind: "teams", Slug: "no-such-app"}, loc.T("error.app_not_found")),
				action("permissions", cards.ActionData{Verb: cards.VerbPermissions, Kind: "teams", Slug: "plumm-health-ltd"}, loc.T("permission.title")),
				action("compare nothing", cards.ActionData{Verb: cards.VerbCompare}, loc.T("chat.compare_two")),
			}
			for _, q := range []string{"plumm", loc.T("welcome.example_search"), ""} {
				atts := s.Query(ctx, u, q, 5)
				require.NotEmpty(t, atts, "message extension %q", q)
				for _, a := range atts {
					surfaces = append(surfaces, surface{"extension result " + q, attachmentJSON(t, a.Content), ""})
					require.NotNil(t, a.Preview, "a result has its list preview")
					surfaces = append(surfaces, surface{"extension preview " + q, attachmentJSON(t, a.Preview.Content), ""})
				}
			}
			att, ok := s.Unfurl(ctx, u, "https://appsource.microsoft.com/en-us/product/office/WA200003326")
			require.True(t, ok)
			surfaces = append(surfaces, surface{"unfurl", attachmentJSON(t, att.Content), loc.T("summary.last_updated")})
			for _, sf := range surfaces {
				require.Empty(t, l10ntest.Leaks(locale, sf.json), "%s: English text in %s\n%s", locale, sf.name, sf.json)
				if sf.want != "" {
					require.Contains(t, sf.json, jsonText(t, sf.want), "%s: %s", locale, sf.name)
				}
			}
		})
	}
}

// attachmentJSON encodes an attachment's content.
func attachmentJSON(t *testing.T, content any) string {
	t.Helper()
	b, err := json.Marshal(content)
	require.NoError(t, err)
	return string(b)
}

// jsonText returns s as it appears inside a JSON string.
func jsonText(t *testing.T, s string) string {
	t.Helper()
	b, err := json.Marshal(s)
	require.NoError(t, err)
	return strings.Trim(string(b), `"`)
}
