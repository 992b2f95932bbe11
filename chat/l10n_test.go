package chat

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/cards"
	"github.com/attestbot/attestbot/l10n"
)

// TestRepliesInTheUsersLanguage checks that the turn's cards are written in
// the catalog language of the client locale, and quote the page in that
// language when it exists, else one fallback locale.
func TestRepliesInTheUsersLanguage(t *testing.T) {
	s := newService(t, &memSubs{subs: map[string][]string{}})
	ctx := context.Background()
	for _, tc := range []struct {
		locale, text string
		want, not    []string
	}{
		{"fr-CA", "plumm", []string{"Déclarations de conformité", "Page de documentation Microsoft, fr-FR", `"title":"de-DE"`}, []string{"Compliance claims"}},
		{"de-CH", "plumm", []string{"Compliance-Angaben", "Microsoft-Dokumentationsseite, de-DE"}, []string{"Compliance claims", "Microsoft-Dokumentationsseite, fr-FR"}},
		{"ja-JP", "plumm", []string{"コンプライアンスの表明", "Microsoft ドキュメント ページ、ja-JP"}, nil},
		{"en-US", "plumm", []string{"Compliance claims", "Microsoft docs page, fr-FR"}, nil},
		{"nl-NL", "plumm", []string{"Compliance claims"}, nil},
		{"ru-RU", "plumm", []string{"Заявления о соответствии", "Страница документации Майкрософт, fr-FR"}, nil},
		{"fr-FR", "is plumm hipaa compliant?", []string{"Plumm : oui", "l'éditeur a écrit « Oui », fr-FR"}, []string{"publisher wrote"}},
		{"de-DE", "is plumm hipaa compliant?", []string{"Plumm: ja", "der Herausgeber schrieb „Ja“, de-DE"}, []string{"Oui"}},
		{"ko-KR", "help", []string{"질문할 수 있는 내용"}, nil},
		// Plumm has no Korean page: the French one is quoted, its question
		// worded as Korean pages word it.
		{"ko-KR", "is plumm hipaa compliant?", []string{"HIPAA(Health Insurance Portability and Accounting Act)를 준수하나요", "fr-FR"}, []string{"HIPAA:"}},
		{"ko-KR", "where does plumm store its data", []string{"고객 데이터 저장 위치"}, []string{"publisher wrote"}},
		{"it-IT", "plumm delegated permissions", []string{"Autorizzazioni delegate"}, []string{"Delegated"}},
		{"zh-HK", "zzqqxxyyww", []string{"沒有名為"}, nil},
		{"es-MX", "subscribe all", []string{"Solo los administradores"}, nil},
	} {
		got := cardJSON(t, s.Text(ctx, User{TenantID: "t", ID: "u", Locale: tc.locale}, tc.text))
		for _, w := range tc.want {
			require.Contains(t, got, w, "%s %q", tc.locale, tc.text)
		}
		for _, n := range tc.not {
			require.NotContains(t, got, n, "%s %q", tc.locale, tc.text)
		}
	}
	// A button keeps the record locale it names and the user's language.
	got := cardJSON(t, s.Action(ctx, User{Locale: "fr-FR"}, cards.ActionData{Verb: cards.VerbApp, Kind: "teams", Slug: "plumm-health-ltd", Locale: "de-DE"}))
	require.Contains(t, got, "Page de documentation Microsoft, de-DE")
	// The message extension and link unfurling speak the user's language.
	atts := s.Query(ctx, User{Locale: "de-DE"}, "plumm", 5)
	require.NotEmpty(t, atts)
	require.Contains(t, cardJSON(t, atts[0].Content.(*cards.AdaptiveCard)), "Compliance-Angaben")
	att, ok := s.Unfurl(ctx, User{Locale: "ja-JP"}, "https://appsource.microsoft.com/en-us/product/office/WA200003326")
	require.True(t, ok)
	require.Contains(t, cardJSON(t, att.Content.(*cards.AdaptiveCard)), "開発者による最終更新")
}

// TestSubscriptionKeepsLanguage checks that a subscription is made in the
// language of the answer (the client's, matched to a catalog, or the
// forced one), which its alerts are then written in.
func TestSubscriptionKeepsLanguage(t *testing.T) {
	subs := &memSubs{subs: map[string][]string{}}
	s := newService(t, subs)
	ctx := context.Background()
	for locale, want := range map[string]string{"fr-CA": "fr-FR", "ja-JP": "ja-JP", "": "en-US", "nl-NL": "en-US"} {
		u := User{TenantID: "t", ID: "u-" + locale, Locale: locale}
		got := cardJSON(t, s.Text(ctx, u, "subscribe plumm"))
		require.NotContains(t, got, `"error"`)
		require.Equal(t, want, subs.locales["t|u-"+locale], locale)
	}
	forced := NewService(sampleCatalog(t), cards.New(), WithSubscriptions(subs), WithLocale("de-DE"))
	forced.Text(ctx, User{TenantID: "t", ID: "u-forced", Locale: "fr-FR"}, "subscribe plumm")
	require.Equal(t, "de-DE", subs.locales["t|u-forced"])
}

// TestWithLocale checks that a forced locale (ATTESTBOT_LOCALE) replaces
// the client's, for the replies and the welcome card.
func TestWithLocale(t *testing.T) {
	s := NewService(sampleCatalog(t), cards.New(), WithLocale("ja-JP"))
	got := cardJSON(t, s.Text(context.Background(), User{TenantID: "t", ID: "u", Locale: "en-US"}, "plumm"))
	require.Contains(t, got, "コンプライアンスの表明")
	require.Contains(t, got, "Microsoft ドキュメント ページ、ja-JP")
	require.Contains(t, cardJSON(t, s.Welcome(User{Locale: "en-US"})), "attestbot へようこそ")
	require.Contains(t, cardJSON(t, newService(t, nil).Welcome(User{Locale: "de-AT"})), "Willkommen bei attestbot")
}

// allApps asks to follow every app, "all apps" written out in each language.
var allApps = map[string]string{
	"fr-FR": "suivre toutes les applications", "de-DE": "alle Apps abonnieren", "es-ES": "seguir todas las aplicaciones",
	"it-IT": "segui tutte le app", "pt-BR": "seguir todos os aplicativos", "ru-RU": "подписаться на все приложения",
	"ja-JP": "すべてのアプリをフォロー", "ko-KR": "모든 앱 구독", "zh-CN": "订阅所有应用", "zh-TW": "訂閱所有應用程式",
}

// TestLocalizedSubscriptionTargets checks that the tenant's catalog and
// "every app" can be named in each language when subscribing: a user who
// is not an admin gets the admins-only answer in their language (not "no
// app named mon locataire"), and an admin's subscription is saved with
// the tenant, "all" or a filter as its target.
func TestLocalizedSubscriptionTargets(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct{ locale, tenant, all, filter string }{
		{"fr-FR", "suivre mon locataire", "suivre tout", "suivre permission=Mail.*"},
		{"de-DE", "mandant abonnieren", "alle abonnieren", "permission=Mail.* abonnieren"},
		{"es-ES", "seguir mi inquilino", "seguir todo", "seguir permission=Mail.*"},
		{"it-IT", "segui il mio tenant", "segui tutto", "segui permission=Mail.*"},
		{"pt-BR", "seguir meu locatário", "seguir tudo", "seguir permission=Mail.*"},
		{"ru-RU", "подписаться на мой клиент", "подписаться на все", "подписаться на permission=Mail.*"},
		{"ja-JP", "テナントをフォロー", "全部をフォロー", "permission=Mail.* をフォロー"},
		{"ko-KR", "테넌트 구독", "모두 구독", "permission=Mail.* 구독"},
		{"zh-CN", "订阅租户", "订阅全部", "订阅 permission=Mail.*"},
		{"zh-TW", "訂閱租用戶", "訂閱所有", "訂閱permission=Mail.*"},
	} {
		loc := l10n.For(tc.locale)
		subs := &memSubs{subs: map[string][]string{}}
		s := NewService(sampleCatalog(t), cards.New(), WithSubscriptions(subs), WithAdmins([]string{"admin-1"}))
		user := User{TenantID: "t", ID: "user-1", Locale: tc.locale}
		require.Contains(t, cardJSON(t, s.Text(ctx, user, tc.tenant)), loc.T("chat.admins_only_tenant"), "%s %q", tc.locale, tc.tenant)
		require.Contains(t, cardJSON(t, s.Text(ctx, user, tc.all)), loc.T("chat.admins_only_all"), "%s %q", tc.locale, tc.all)
		admin := User{TenantID: "t", ID: "admin-1", AADObjectID: "admin-1", Locale: tc.locale}
		s.Text(ctx, admin, tc.tenant)
		s.Text(ctx, admin, tc.all)
		s.Text(ctx, admin, tc.filter)
		require.ElementsMatch(t, []string{"tenant", "all", "permission=Mail.*"}, subs.subs["t|admin-1"], "%s", tc.locale)
		// "All apps", written out, is every app too.
		allSubs := &memSubs{subs: map[string][]string{}}
		all := NewService(sampleCatalog(t), cards.New(), WithSubscriptions(allSubs), WithAdmins([]string{"admin-1"}))
		all.Text(ctx, admin, allApps[tc.locale])
		require.Equal(t, []string{"all"}, allSubs.subs["t|admin-1"], "%s %q", tc.locale, allApps[tc.locale])
		// The audit is asked for by its card's title, the help card's example.
		require.Contains(t, cardJSON(t, s.Text(ctx, admin, loc.T("help.audit.example"))), loc.T("chat.audit_unavailable"), "%s %q", tc.locale, loc.T("help.audit.example"))
		require.Contains(t, cardJSON(t, s.Text(ctx, admin, loc.T("audit.title")+" ?")), loc.T("chat.audit_unavailable"), "%s", tc.locale)
		// The help card's example follows the tenant in that language.
		exSubs := &memSubs{subs: map[string][]string{}}
		ex := NewService(sampleCatalog(t), cards.New(), WithSubscriptions(exSubs), WithAdmins([]string{"admin-1"}))
		ex.Text(ctx, admin, loc.T("help.tenant.example"))
		require.Equal(t, []string{"tenant"}, exSubs.subs["t|admin-1"], "%s %q", tc.locale, loc.T("help.tenant.example"))
	}
}

// quoted finds the command a message quotes: the text between the first
// pair of quotation marks of the language (« », „ “, “ ”, 「 」, ' ').
var quoted = regexp.MustCompile(`«\s?([^»]+?)\s?»|„([^“]+)“|“([^”]+)”|「([^」]+)」|(?:^|\s|,)'([^']+)'`)

// TestQuotedCommandsUnderstood checks that the commands the messages of
// each language tell the user to type ("Tapez « aide »", "「ヘルプ」と入力")
// are ones the bot understands, with the answer they promise.
func TestQuotedCommandsUnderstood(t *testing.T) {
	cat := trapCatalog(t)
	b := cards.New()
	for _, locale := range l10n.Locales[1:] {
		loc := l10n.For(locale)
		for id, kind := range map[string]string{
			"error.start_again": "help", "chat.type_help": "help", "chat.too_long_detail": "help",
			"chat.not_following_text": "subscriptions", "help.subscriptions.text": "not-following",
		} {
			m := quoted.FindStringSubmatch(loc.T(id))
			require.NotNil(t, m, "%s %s quotes a command: %s", locale, id, loc.T(id))
			command := strings.Join(m[1:], "")
			s := NewService(cat, b, WithSubscriptions(&memSubs{subs: map[string][]string{}}))
			var last reply
			r := chatRouter(s, &last, User{TenantID: "tenant-1", ID: "user-1", Locale: locale})
			send(t, r, command, false)
			require.Equal(t, kind, last.kind, "%s %s: %q", locale, id, command)
		}
	}
}

// TestJapaneseFollowEverything: "every app" in the ways a Japanese admin
// writes it, the hiragana すべて with its particle glued on included.
func TestJapaneseFollowEverything(t *testing.T) {
	ctx := context.Background()
	for _, q := range []string{"すべてをフォロー", "すべてをフォローして", "全部をフォロー", "すべてのアプリをフォロー", "全アプリをフォロー"} {
		subs := &memSubs{subs: map[string][]string{}}
		s := NewService(sampleCatalog(t), cards.New(), WithSubscriptions(subs), WithAdmins([]string{"admin-1"}))
		s.Text(ctx, User{TenantID: "t", ID: "admin-1", AADObjectID: "admin-1", Locale: "ja-JP"}, q)
		require.Equal(t, []string{"all"}, subs.subs["t|admin-1"], q)
	}
}
