package chat

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/cards"
	"github.com/attestbot/attestbot/l10n"
)

// l10nUtterances are questions written in each catalog language, each with
// the answer the English question gets (kind, app, filters), sent with the
// client locale of that language through the bot router.
var l10nUtterances = map[string][]utterance{
	"fr-FR": {
		{text: "aide", kind: "help"},
		{text: "plumm", kind: "summary", app: plumm},
		{text: "est-ce que Plumm est conforme HIPAA ?", kind: "claim", app: plumm, filters: "comp.hipaa=yes"},
		{text: "Plumm est-il conforme au RGPD ?", kind: "claim", app: plumm, filters: "priv.gdpr_or_privacy_obligations=yes"},
		{text: "quelles autorisations demande Smartsheet ?", kind: "permissions", app: smart},
		{text: "autorisations de Zoho Desk", kind: "permissions", app: zohoDesk},
		{text: "comparer plumm et saberr", kind: "compare", contains: []string{"Plumm", "Saberr"}},
		{text: "applications conformes HIPAA et ISO 27001", kind: "search", filters: "comp.hipaa=yes comp.iso27001=yes"},
		{text: "sécurité de plumm", kind: "section", app: plumm, contains: []string{"Sécurité"}},
		{text: "afficher plumm confidentialité", kind: "section", app: plumm},
		{text: "qu'est-ce qui a changé pour plumm", kind: "changes", app: plumm},
		{text: "où Miro stocke-t-il ses données ?", kind: "storage", app: miro},
		{text: "applications qui stockent les données dans l'UE", kind: "search", filters: "storage=eu"},
		{text: "mes abonnements", kind: "subscriptions"},
		{text: "merci", kind: "smalltalk"},
		{text: "suivre plumm", kind: "subscribe", app: plumm},
		{text: "se désabonner de plumm", kind: "not-following", app: plumm},
	},
	"de-DE": {
		{text: "Hilfe", kind: "help"},
		{text: "Ist Plumm HIPAA-konform?", kind: "claim", app: plumm, filters: "comp.hipaa=yes"},
		{text: "ist plumm dsgvo-konform", kind: "claim", app: plumm, filters: "priv.gdpr_or_privacy_obligations=yes"},
		{text: "welche Berechtigungen braucht Smartsheet?", kind: "permissions", app: smart},
		{text: "Berechtigungen von Zoho Desk", kind: "permissions", app: zohoDesk},
		{text: "vergleiche plumm und saberr", kind: "compare", contains: []string{"Plumm", "Saberr"}},
		{text: "welche Apps sind HIPAA-konform", kind: "search", filters: "comp.hipaa=yes"},
		{text: "zeige plumm sicherheit", kind: "section", app: plumm, contains: []string{"Sicherheit"}},
		{text: "Datenschutz von plumm", kind: "section", app: plumm},
		{text: "was hat sich bei plumm geändert", kind: "changes", app: plumm},
		{text: "wo speichert Miro die Daten?", kind: "storage", app: miro},
		{text: "erzähl mir von Saberr", kind: "summary", app: saberr},
		{text: "meine Abonnements", kind: "subscriptions"},
		{text: "danke", kind: "smalltalk"},
		{text: "plumm abonnieren", kind: "subscribe", app: plumm},
		{text: "plumm abbestellen", kind: "not-following", app: plumm},
	},
	"es-ES": {
		{text: "ayuda", kind: "help"},
		{text: "¿Plumm cumple HIPAA?", kind: "claim", app: plumm, filters: "comp.hipaa=yes"},
		{text: "¿es Plumm conforme con el RGPD?", kind: "claim", app: plumm, filters: "priv.gdpr_or_privacy_obligations=yes"},
		{text: "¿qué permisos necesita Smartsheet?", kind: "permissions", app: smart},
		{text: "permisos de Zoho Desk", kind: "permissions", app: zohoDesk},
		{text: "comparar plumm y saberr", kind: "compare", contains: []string{"Plumm", "Saberr"}},
		{text: "aplicaciones con HIPAA e ISO 27001", kind: "search", filters: "comp.hipaa=yes comp.iso27001=yes"},
		{text: "seguridad de plumm", kind: "section", app: plumm, contains: []string{"Seguridad"}},
		{text: "¿qué cambió en plumm?", kind: "changes", app: plumm},
		{text: "¿dónde almacena Miro los datos?", kind: "storage", app: miro},
		{text: "háblame de Saberr", kind: "summary", app: saberr},
		{text: "gracias", kind: "smalltalk"},
		{text: "seguir plumm", kind: "subscribe", app: plumm},
		{text: "cancelar suscripción a plumm", kind: "not-following", app: plumm},
		{text: "mis suscripciones", kind: "subscriptions"},
	},
	"it-IT": {
		{text: "aiuto", kind: "help"},
		{text: "Plumm è conforme HIPAA?", kind: "claim", app: plumm, filters: "comp.hipaa=yes"},
		{text: "quali autorizzazioni richiede Smartsheet?", kind: "permissions", app: smart},
		{text: "autorizzazioni di Zoho Desk", kind: "permissions", app: zohoDesk},
		{text: "confronta plumm e saberr", kind: "compare", contains: []string{"Plumm", "Saberr"}},
		{text: "app con HIPAA e ISO 27001", kind: "search", filters: "comp.hipaa=yes comp.iso27001=yes"},
		{text: "sicurezza di plumm", kind: "section", app: plumm, contains: []string{"Sicurezza"}},
		{text: "cosa è cambiato per plumm", kind: "changes", app: plumm},
		{text: "dove archivia Miro i dati?", kind: "storage", app: miro},
		{text: "app che archiviano i dati nell'UE", kind: "search", filters: "storage=eu"},
		{text: "parlami di Saberr", kind: "summary", app: saberr},
		{text: "grazie", kind: "smalltalk"},
		{text: "segui plumm", kind: "subscribe", app: plumm},
		{text: "smetti di seguire plumm", kind: "not-following", app: plumm},
		{text: "le mie iscrizioni", kind: "subscriptions"},
	},
	"pt-BR": {
		{text: "ajuda", kind: "help"},
		{text: "o Plumm é compatível com HIPAA?", kind: "claim", app: plumm, filters: "comp.hipaa=yes"},
		{text: "quais permissões o Smartsheet precisa?", kind: "permissions", app: smart},
		{text: "permissões do Zoho Desk", kind: "permissions", app: zohoDesk},
		{text: "comparar plumm e saberr", kind: "compare", contains: []string{"Plumm", "Saberr"}},
		{text: "aplicativos com HIPAA e ISO 27001", kind: "search", filters: "comp.hipaa=yes comp.iso27001=yes"},
		{text: "segurança do plumm", kind: "section", app: plumm, contains: []string{"Segurança"}},
		{text: "o que mudou no plumm", kind: "changes", app: plumm},
		{text: "onde o Miro armazena os dados?", kind: "storage", app: miro},
		{text: "fale sobre Saberr", kind: "summary", app: saberr},
		{text: "obrigado", kind: "smalltalk"},
		{text: "seguir plumm", kind: "subscribe", app: plumm},
		{text: "deixar de seguir plumm", kind: "not-following", app: plumm},
		{text: "minhas assinaturas", kind: "subscriptions"},
		{text: "aplicativos que armazenam dados na UE", kind: "search", filters: "storage=eu"},
	},
	"ru-RU": {
		{text: "помощь", kind: "help"},
		{text: "Соответствует ли Plumm требованиям HIPAA?", kind: "claim", app: plumm, filters: "comp.hipaa=yes"},
		{text: "какие разрешения запрашивает Smartsheet?", kind: "permissions", app: smart},
		{text: "разрешения для Zoho Desk", kind: "permissions", app: zohoDesk},
		{text: "сравни plumm и saberr", kind: "compare", contains: []string{"Plumm", "Saberr"}},
		{text: "приложения с HIPAA и ISO 27001", kind: "search", filters: "comp.hipaa=yes comp.iso27001=yes"},
		{text: "покажи plumm безопасность", kind: "section", app: plumm, contains: []string{"Безопасность"}},
		{text: "что изменилось в plumm", kind: "changes", app: plumm},
		{text: "где Miro хранит данные?", kind: "storage", app: miro},
		{text: "расскажи о Saberr", kind: "summary", app: saberr},
		{text: "спасибо", kind: "smalltalk"},
		{text: "подписаться на plumm", kind: "subscribe", app: plumm},
		{text: "отписаться от plumm", kind: "not-following", app: plumm},
		{text: "мои подписки", kind: "subscriptions"},
		{text: "приложения, которые хранят данные в ЕС", kind: "search", filters: "storage=eu"},
	},
	"ja-JP": {
		{text: "ヘルプ", kind: "help"},
		{text: "PlummはHIPAAに準拠していますか", kind: "claim", app: plumm, filters: "comp.hipaa=yes"},
		{text: "Plumm は SOC 2 に準拠していますか", kind: "claim", app: plumm, filters: "comp.soc2=yes"},
		{text: "Smartsheetに必要なアクセス許可は？", kind: "permissions", app: smart},
		{text: "Zoho Deskのアクセス許可", kind: "permissions", app: zohoDesk},
		{text: "PlummとSaberrを比較", kind: "compare", contains: []string{"Plumm", "Saberr"}},
		{text: "Plummのセキュリティ", kind: "section", app: plumm, contains: []string{"セキュリティ"}},
		{text: "Plummの変更内容", kind: "changes", app: plumm},
		{text: "Saberrについて教えて", kind: "summary", app: saberr},
		{text: "HIPAAとISO 27001に準拠したアプリ", kind: "search", filters: "comp.hipaa=yes comp.iso27001=yes"},
		{text: "EUにデータを保存するアプリ", kind: "search", filters: "storage=eu"},
		{text: "ありがとう", kind: "smalltalk"},
		{text: "plumm をフォロー", kind: "subscribe", app: plumm},
		{text: "plumm のフォローを解除", kind: "not-following", app: plumm},
		{text: "フォロー一覧", kind: "subscriptions"},
	},
	"ko-KR": {
		{text: "도움말", kind: "help"},
		{text: "Plumm은 HIPAA를 준수합니까?", kind: "claim", app: plumm, filters: "comp.hipaa=yes"},
		{text: "Smartsheet에 필요한 사용 권한", kind: "permissions", app: smart},
		{text: "Zoho Desk 사용 권한", kind: "permissions", app: zohoDesk},
		{text: "Plumm와 Saberr 비교", kind: "compare", contains: []string{"Plumm", "Saberr"}},
		{text: "Plumm 보안", kind: "section", app: plumm, contains: []string{"보안"}},
		{text: "Plumm 변경 내용", kind: "changes", app: plumm},
		{text: "Saberr 정보", kind: "summary", app: saberr},
		{text: "HIPAA 및 ISO 27001 준수 앱", kind: "search", filters: "comp.hipaa=yes comp.iso27001=yes"},
		{text: "EU에 데이터를 저장하는 앱", kind: "search", filters: "storage=eu"},
		{text: "감사합니다", kind: "smalltalk"},
		{text: "plumm 구독", kind: "subscribe", app: plumm},
		{text: "plumm 구독 취소", kind: "not-following", app: plumm},
		{text: "내 구독", kind: "subscriptions"},
		{text: "Miro 데이터 저장 위치", kind: "storage", app: miro},
	},
	"zh-CN": {
		{text: "帮助", kind: "help"},
		{text: "Plumm符合HIPAA吗", kind: "claim", app: plumm, filters: "comp.hipaa=yes"},
		{text: "Smartsheet需要哪些权限", kind: "permissions", app: smart},
		{text: "Zoho Desk的权限", kind: "permissions", app: zohoDesk},
		{text: "比较 Plumm 和 Saberr", kind: "compare", contains: []string{"Plumm", "Saberr"}},
		{text: "Plumm 安全性", kind: "section", app: plumm, contains: []string{"安全性"}},
		{text: "Plumm的更改", kind: "changes", app: plumm},
		{text: "介绍Saberr", kind: "summary", app: saberr},
		{text: "符合HIPAA和ISO 27001的应用", kind: "search", filters: "comp.hipaa=yes comp.iso27001=yes"},
		{text: "在欧盟存储数据的应用", kind: "search", filters: "storage=eu"},
		{text: "谢谢", kind: "smalltalk"},
		{text: "订阅 plumm", kind: "subscribe", app: plumm},
		{text: "取消订阅 plumm", kind: "not-following", app: plumm},
		{text: "我的订阅", kind: "subscriptions"},
		{text: "Miro的数据存储在哪里", kind: "storage", app: miro},
	},
	"zh-TW": {
		{text: "說明", kind: "help"},
		{text: "Plumm符合HIPAA嗎", kind: "claim", app: plumm, filters: "comp.hipaa=yes"},
		{text: "Smartsheet需要哪些權限", kind: "permissions", app: smart},
		{text: "Zoho Desk的權限", kind: "permissions", app: zohoDesk},
		{text: "比較 Plumm 和 Saberr", kind: "compare", contains: []string{"Plumm", "Saberr"}},
		{text: "Plumm 安全性", kind: "section", app: plumm, contains: []string{"安全性"}},
		{text: "Plumm的變更", kind: "changes", app: plumm},
		{text: "介紹Saberr", kind: "summary", app: saberr},
		{text: "符合HIPAA和ISO 27001的應用程式", kind: "search", filters: "comp.hipaa=yes comp.iso27001=yes"},
		{text: "在歐盟儲存資料的應用程式", kind: "search", filters: "storage=eu"},
		{text: "謝謝", kind: "smalltalk"},
		{text: "訂閱 plumm", kind: "subscribe", app: plumm},
		{text: "取消訂閱 plumm", kind: "not-following", app: plumm},
		{text: "我的訂閱", kind: "subscriptions"},
		{text: "Miro的資料儲存在哪裡", kind: "storage", app: miro},
	},
}

// TestUtterancesInEachLanguage sends the questions of each language
// through the bot router with that language's client locale and checks
// they get the answer the English question gets.
func TestUtterancesInEachLanguage(t *testing.T) {
	cat := trapCatalog(t)
	b := cards.New()
	total := 0
	for locale, us := range l10nUtterances {
		require.GreaterOrEqual(t, len(us), 10, locale)
		for i, u := range us {
			total++
			t.Run(fmt.Sprintf("%s/%02d %s", locale, i, u.text), func(t *testing.T) {
				s := NewService(cat, b, WithSubscriptions(&memSubs{subs: map[string][]string{}}))
				var last reply
				r := chatRouter(s, &last, User{TenantID: "tenant-1", ID: "user-1", Locale: locale})
				send(t, r, u.text, false)
				got := cardJSON(t, last.card)
				require.Equal(t, u.kind, last.kind, "%s\n%s", u.text, got)
				if u.app != "" || last.kind == "claim" {
					require.Equal(t, u.app, last.app, u.text)
				}
				if u.filters != "" {
					require.Equal(t, u.filters, filterString(last), u.text)
				}
				for _, c := range u.contains {
					require.Contains(t, got, c, u.text)
				}
			})
		}
	}
	require.Len(t, l10nUtterances, 10)
	t.Logf("%d questions in 10 languages", total)
}

// TestHelpExamplesUnderstood sends every example of the help and welcome
// cards, in each language, and checks the bot understands it (the
// examples are what a new admin types first).
func TestHelpExamplesUnderstood(t *testing.T) {
	cat := trapCatalog(t)
	b := cards.New()
	ids := []string{"name", "section", "question", "compare", "search", "permission", "storage", "link", "appsource_id", "subscribe", "changes", "subscriptions", "help"}
	for _, locale := range l10n.Locales {
		loc := l10n.For(locale)
		examples := []string{loc.T("welcome.example_search"), loc.T("search.placeholder"),
			loc.T("understand.try.lookup"), loc.T("understand.try.claim"), loc.T("understand.try.search")}
		for _, id := range ids {
			examples = append(examples, loc.T("help."+id+".example"))
		}
		for _, ex := range examples {
			// Reach is not in the sample catalog; the phrasing is what is tested.
			ex = strings.ReplaceAll(ex, "reach", "saberr")
			s := NewService(cat, b, WithSubscriptions(&memSubs{subs: map[string][]string{}}))
			var last reply
			r := chatRouter(s, &last, User{TenantID: "tenant-1", ID: "user-1", Locale: locale})
			send(t, r, ex, false)
			require.NotContains(t, []string{"nomatch", "error", "confirm", "smalltalk", ""}, last.kind, "%s: %q\n%s", locale, ex, cardJSON(t, last.card))
			require.NotContains(t, cardJSON(t, last.card), "I cannot filter", "%s: %q", locale, ex)
		}
	}
}
