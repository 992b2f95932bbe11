package chat

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/cards"
)

// l10nClaimUtterances are yes/no questions about what a record answers
// (third parties, incident response, vulnerability scans, retention,
// encryption in transit), written in each language the way an admin asks
// them, with the filter the English question gets.
var l10nClaimUtterances = map[string][]utterance{
	"en-US": {
		{text: "does plumm share data with third parties?", filters: "data.transfers_to_third_parties=yes"},
		{text: "does plumm have an incident response plan?", filters: "sec.incident_response_process=yes"},
		{text: "does plumm use azure ad", filters: "zt.integrates_ms_identity_platform=yes"},
		{text: "can you tell me if plumm is hipaa compliant", filters: "comp.hipaa=yes"},
	},
	"fr-FR": {
		{text: "Zoho Desk transfère-t-il des données à des tiers ?", app: zohoDesk, filters: "data.transfers_to_third_parties=yes"},
		{text: "Plumm partage-t-il des données avec des tiers ?", filters: "data.transfers_to_third_parties=yes"},
		{text: "Plumm a-t-il un plan de réponse aux incidents ?", filters: "sec.incident_response_process=yes"},
		{text: "Plumm effectue-t-il des analyses de vulnérabilités ?", filters: "sec.quarterly_vuln_scans=yes"},
	},
	"de-DE": {
		{text: "Teilt Plumm Daten mit Dritten?", filters: "data.transfers_to_third_parties=yes"},
		{text: "Hat Plumm einen Notfallwiederherstellungsplan?", filters: "sec.disaster_recovery_plan=yes"},
		{text: "Verschlüsselt Plumm Daten bei der Übertragung?", filters: "data.supports_tls11_plus=yes"},
	},
	"es-ES": {
		{text: "¿Plumm comparte datos con terceros?", filters: "data.transfers_to_third_parties=yes"},
		{text: "¿Plumm tiene una política de retención de datos?", filters: "data.retention_disposal_process=yes"},
	},
	"it-IT": {
		{text: "Zoho Desk condivide dati con terze parti?", app: zohoDesk, filters: "data.transfers_to_third_parties=yes"},
		{text: "Plumm ha un piano di risposta agli incidenti?", filters: "sec.incident_response_process=yes"},
	},
	"pt-BR": {
		{text: "O Plumm compartilha dados com terceiros?", filters: "data.transfers_to_third_parties=yes"},
		{text: "O Plumm tem um plano de resposta a incidentes?", filters: "sec.incident_response_process=yes"},
	},
	"ru-RU": {
		{text: "Передает ли Plumm данные третьим лицам?", filters: "data.transfers_to_third_parties=yes"},
		{text: "Есть ли у Plumm план реагирования на инциденты?", filters: "sec.incident_response_process=yes"},
	},
	"ja-JP": {
		{text: "Plummは第三者とデータを共有していますか", filters: "data.transfers_to_third_parties=yes"},
		{text: "Plummはインシデント対応の計画がありますか", filters: "sec.incident_response_process=yes"},
	},
	"ko-KR": {
		{text: "Plumm은 제3자와 데이터를 공유합니까?", filters: "data.transfers_to_third_parties=yes"},
		{text: "Plumm은 데이터 보존 정책이 있습니까?", filters: "data.retention_disposal_process=yes"},
	},
	"zh-CN": {
		{text: "Plumm是否与第三方共享数据？", filters: "data.transfers_to_third_parties=yes"},
		{text: "Plumm 是否进行漏洞扫描？", filters: "sec.quarterly_vuln_scans=yes"},
	},
	"zh-TW": {
		{text: "Plumm 是否與第三方共享資料？", filters: "data.transfers_to_third_parties=yes"},
	},
}

// l10nMoreUtterances are more questions of each language (certification
// with the product's name, permissions and storage phrased another way),
// each with the answer its English twin gets.
var l10nMoreUtterances = map[string][]utterance{
	"fr-FR": {
		{text: "Quelles applications sont certifiées Microsoft 365 ?", kind: "search", filters: "certification=certified"},
		{text: "Zoho Desk est-il certifié ?", kind: "claim", app: zohoDesk, filters: "certification=certified"},
		{text: "montre-moi les autorisations de Plumm", kind: "permissions", app: plumm},
		{text: "Plumm respecte-t-il la norme ISO 27001 ?", kind: "claim", app: plumm, filters: "comp.iso27001=yes"},
	},
	"de-DE": {
		{text: "Welche Apps sind Microsoft 365-zertifiziert?", kind: "search", filters: "certification=certified"},
		{text: "Zeig mir die Berechtigungen von Plumm", kind: "permissions", app: plumm},
		{text: "Welche Apps speichern Daten in Deutschland?", kind: "search", filters: "storage=DE"},
	},
	"ja-JP": {
		{text: "Zoho Desk は認定されていますか", kind: "claim", app: zohoDesk, filters: "certification=certified"},
		{text: "Plumm はどこにデータを保存しますか", kind: "storage", app: plumm},
	},
	"it-IT": {
		{text: "Dove archivia i dati Plumm?", kind: "storage", app: plumm},
	},
	"zh-TW": {
		{text: "哪些應用程式已通過認證？", kind: "search", filters: "certification=certified"},
	},
}

// TestMoreQuestionsInEachLanguage sends l10nMoreUtterances like
// TestUtterancesInEachLanguage.
func TestMoreQuestionsInEachLanguage(t *testing.T) {
	sendInEachLanguage(t, l10nMoreUtterances)
}

// TestClaimQuestionsInEachLanguage checks that each question is a yes/no
// question about the app it names (Plumm unless said), with the filter of
// its English twin.
func TestClaimQuestionsInEachLanguage(t *testing.T) {
	claims := map[string][]utterance{}
	for locale, us := range l10nClaimUtterances {
		for _, u := range us {
			u.kind = "claim"
			if u.app == "" {
				u.app = plumm
			}
			claims[locale] = append(claims[locale], u)
		}
	}
	sendInEachLanguage(t, claims)
}

// sendInEachLanguage sends each question with its language's client
// locale through the bot router and checks the reply kind, app and
// filters.
func sendInEachLanguage(t *testing.T, table map[string][]utterance) {
	cat := trapCatalog(t)
	b := cards.New()
	for locale, us := range table {
		for i, u := range us {
			t.Run(fmt.Sprintf("%s/%02d %s", locale, i, u.text), func(t *testing.T) {
				s := NewService(cat, b, WithSubscriptions(&memSubs{subs: map[string][]string{}}))
				var last reply
				r := chatRouter(s, &last, User{TenantID: "tenant-1", ID: "user-1", Locale: locale})
				send(t, r, u.text, false)
				require.Equal(t, u.kind, last.kind, "%s\n%s", u.text, cardJSON(t, last.card))
				require.Equal(t, u.app, last.app, u.text)
				require.Equal(t, u.filters, filterString(last), u.text)
			})
		}
	}
}
