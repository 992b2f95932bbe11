package attestation

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestParseQuery_ClaimWordsInEachLanguage reads the claim words of every
// language (Lexicon.Claims and the multi-word Phrases) as the filter the
// English words give, and leaves words that only contain one alone.
func TestParseQuery_ClaimWordsInEachLanguage(t *testing.T) {
	for _, tc := range []struct{ q, want string }{
		{"apps that share data with third parties", "data.transfers_to_third_parties=yes"},
		{"applications qui transfèrent des données à des tiers", "data.transfers_to_third_parties=yes"},
		{"apps die Daten an Dritte übermitteln", "data.transfers_to_third_parties=yes"},
		{"aplicaciones que comparten datos con terceros", "data.transfers_to_third_parties=yes"},
		{"app che condividono dati con terze parti", "data.transfers_to_third_parties=yes"},
		{"aplicativos que compartilham dados com terceiros", "data.transfers_to_third_parties=yes"},
		{"приложения, которые передают данные третьим лицам", "data.transfers_to_third_parties=yes"},
		{"第三者 と データ を 共有している アプリ", "data.transfers_to_third_parties=yes"},
		{"与第三方共享数据的应用", "data.transfers_to_third_parties=yes"},
		{"제 3 자와 데이터를 공유하는 앱", "data.transfers_to_third_parties=yes"},
		{"applications avec un plan de réponse aux incidents", "sec.incident_response_process=yes"},
		{"Apps mit Reaktion auf Sicherheitsvorfälle", "sec.incident_response_process=yes"},
		{"aplicaciones con política de retención de datos", "data.retention_disposal_process=yes"},
		{"app con scansione delle vulnerabilità", "sec.quarterly_vuln_scans=yes"},
		{"приложения со сканированием уязвимостей", "sec.quarterly_vuln_scans=yes"},
		{"漏洞扫描的应用", "sec.quarterly_vuln_scans=yes"},
		{"Apps mit Verschlüsselung bei der Übertragung", "data.supports_tls11_plus=yes"},
		{"apps with an incident response plan", "sec.incident_response_process=yes"},
	} {
		requireFilters(t, tc.q, tc.want)
	}
	// A claim word inside another word is not the claim.
	q, err := ParseQuery("quartiers")
	require.NoError(t, err)
	require.Empty(t, q.Filters)
	require.Equal(t, "quartiers", q.Text)
}

// TestParseQuery_OutsidePlaces reads "outside" before a place (or after
// it, as CJK writes it) as some stated place not in it: the negation of
// "only in".
func TestParseQuery_OutsidePlaces(t *testing.T) {
	for _, tc := range []struct{ q, want string }{
		{"apps that store data outside the EU", "storage-only!=eu"},
		{"apps based outside the US", "hq!=US"},
		{"applications qui stockent les données hors de l'UE", "storage-only!=eu"},
		{"applications qui stockent les données en dehors de l'UE", "storage-only!=eu"},
		{"Apps, die Daten außerhalb der EU speichern", "storage-only!=eu"},
		{"aplicaciones que almacenan datos fuera de la UE", "storage-only!=eu"},
		{"EU 以外 に データ を 保存する アプリ", "storage-only!=eu"},
		{"在欧盟以外存储数据的应用", "storage-only!=eu"},
		{"apps that store data only in the EU", "storage-only=eu"},
		{"apps storing data in the EU", "storage=eu"},
	} {
		requireFilters(t, tc.q, tc.want)
	}
}

// TestNegatedPlaceNeedsStatedPlaces: a record that does not say where it
// stores data is neither "outside the EU" nor "not in the US".
func TestNegatedPlaceNeedsStatedPlaces(t *testing.T) {
	silent := &Record{Kind: "teams", Slug: "silent", Locale: "fr-FR", Type: PageApp}
	for _, f := range []Filter{
		{Kind: FilterStorage, Values: []string{"US"}, Negate: true},
		{Kind: FilterStorageOnly, Values: []string{"eu"}, Negate: true},
		{Kind: FilterHQ, Values: []string{"US"}, Negate: true},
		{Kind: FilterStorage, Values: []string{"US"}},
	} {
		require.False(t, f.Match(silent), f.String())
		ix := NewIndex([]*Record{silent})
		require.Empty(t, ix.Search("", SearchOptions{Limit: -1, Filters: []Filter{f}}), f.String())
	}
}

// requireFilters checks the filters ParseQuery reads in q, written as
// Filter.String writes them.
func requireFilters(t *testing.T, q, want string) {
	t.Helper()
	got, err := ParseQuery(q)
	require.NoError(t, err, q)
	var fs []string
	for _, f := range got.Filters {
		fs = append(fs, f.String())
	}
	require.Equal(t, want, strings.Join(fs, " "), "%s (left: %q)", q, got.Text)
}
