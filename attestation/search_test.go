package attestation

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

const (
	plummTeamsID = "d66da813-3337-4f88-8e08-f01c0bbb8f34"
	plummEntraID = "b1d1c038-a1f3-4802-be93-0f4a66589e73"
)

// searchRecords builds a small multi-locale catalog by hand.
func searchRecords() []*Record {
	app := func(locale, kind, slug, name, pub, asID string) *Record {
		return &Record{
			Slug: slug, Kind: kind, Type: PageApp, Locale: locale, Path: "Apps/" + kind + "/" + slug + ".md",
			Name: name, Publisher: pub, AppSourceID: asID, Certification: Attested,
			Links: Links{AppSource: "https://appsource.microsoft.com/product/office/" + asID},
		}
	}
	var recs []*Record
	for _, l := range []struct{ locale, name string }{{"fr-FR", "Plumm"}, {"de-DE", "Plumm"}, {"ja-JP", "プラム"}} {
		r := app(l.locale, "teams", "plumm-health-ltd", l.name, "Plumm Health LTD", "WA200003326")
		r.Anchor = "plumm"
		r.TeamsAppID = plummTeamsID
		r.Links.TeamsStore = "https://teams.microsoft.com/l/app/" + plummTeamsID
		r.Permissions = []Permission{{Name: "User.Read", Type: Delegated, EntraAppID: plummEntraID}}
		r.Answers = []Answer{{Key: "comp.hipaa", Value: ValueNo}}
		recs = append(recs, r)
	}
	rb := app("zh-TW", "excel", "report-builder", "報表產生器", "Contoso", "WA200000001")
	rb2 := app("fr-FR", "excel", "report-builder", "Générateur de rapports", "Contoso", "WA200000001")
	ach := app("fr-FR", "teams", "achievers", "Performants", "Achievers Inc", "WA200000002")
	ach2 := app("de-DE", "teams", "achievers", "Achievers", "Achievers Inc", "WA200000002")
	acro := app("fr-FR", "teams", "adobe-acrobat-sign", "Adobe Acrobat Sign", "Adobe Inc.", "WA200000003")
	acro.Certification = Certified
	acro.Answers = []Answer{{Key: "comp.hipaa", Value: ValueYes}, {Key: "comp.iso27001", Value: ValueYes}}
	acro.Permissions = []Permission{{Name: "Mail.ReadWrite", Type: Application}}
	saas := app("fr-FR", "saas", "adobe-acrobat-sign-for-microsoft-365", "Adobe Acrobat Sign pour Microsoft 365", "Adobe Inc.", "adobe.adobe_sign_msft_saas_offer")
	saas.Links.AppSource = "https://appsource.microsoft.com/product/web-apps/adobe.adobe_sign_msft_saas_offer"
	cafe := app("fr-FR", "word", "cafe-societe", "Café Société", "Société Générale du Café", "WA200000004")
	note := app("fr-FR", "onenote", "fabrikam-note", "Note", "Fabrikam", "WA200000005")
	notes := app("fr-FR", "teams", "notes-plus", "Notes Plus", "Fabrikam", "WA200000006")
	nate := app("fr-FR", "teams", "nate", "Nate", "Northwind", "WA200000007")
	sp := app("fr-FR", "sharepoint", "sharepointsapiens", "SharePoint Sapiens", "Sapiens", "WA200000008")
	azure := &Record{
		Slug: plummEntraID, Kind: "azure", Type: PageAzure, Locale: "fr-FR", Path: "Apps/azure/" + plummEntraID + ".md",
		Name: "ID d'application Azure : " + plummEntraID, Certification: Attested,
		Azure: &AzurePage{AppID: plummEntraID, Apps: []AzureApp{{Name: "Plumm", AppSourceID: "WA200003326"}}},
	}
	index := &Record{Slug: "teams-apps", Kind: "teams", Type: PageIndex, Locale: "fr-FR", Path: "Apps/teams/teams-apps.md", Name: "Plumm"}
	return append(recs, rb, rb2, ach, ach2, acro, saas, cafe, note, notes, nate, sp, azure, index, nil)
}

func resultKeys(rs []Result) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Key
	}
	return out
}

func TestSearch(t *testing.T) {
	ix := NewIndex(searchRecords())
	require.Equal(t, 11, ix.Len())
	tests := []struct {
		name      string
		query     string
		opts      SearchOptions
		wantKeys  []string // exact list, or a prefix of the results when wantFirst is set
		wantFirst bool
		wantMatch MatchKind
	}{
		{name: "exact name groups locales", query: "Plumm", wantKeys: []string{"teams/plumm-health-ltd"}, wantFirst: true, wantMatch: MatchName},
		{name: "name case and spaces", query: "  pLuMm ", wantKeys: []string{"teams/plumm-health-ltd"}, wantFirst: true, wantMatch: MatchName},
		{name: "prefix", query: "plu", wantKeys: []string{"teams/plumm-health-ltd"}, wantFirst: true, wantMatch: MatchNamePrefix},
		{name: "typo transposition", query: "plmum", wantKeys: []string{"teams/plumm-health-ltd"}, wantMatch: MatchFuzzy},
		{name: "typo in two words", query: "acrobt sing", wantKeys: []string{"teams/adobe-acrobat-sign", "saas/adobe-acrobat-sign-for-microsoft-365"}, wantMatch: MatchFuzzy},
		{name: "words in another order", query: "sign acrobat", wantKeys: []string{"teams/adobe-acrobat-sign", "saas/adobe-acrobat-sign-for-microsoft-365"}, wantMatch: MatchWords},
		{name: "accents folded", query: "cafe societe", wantKeys: []string{"word/cafe-societe"}, wantMatch: MatchName},
		{name: "slug typed as a name", query: "achievers", wantKeys: []string{"teams/achievers"}, wantFirst: true, wantMatch: MatchSlug},
		{name: "other locale name", query: "generateur de rapports", wantKeys: []string{"excel/report-builder"}, wantFirst: true, wantMatch: MatchName},
		{name: "machine translated name", query: "performants", wantKeys: []string{"teams/achievers"}, wantFirst: true, wantMatch: MatchName},
		{name: "cjk bigram", query: "報表", wantKeys: []string{"excel/report-builder"}, wantMatch: MatchNamePrefix},
		{name: "cjk inner bigrams", query: "產生器", wantKeys: []string{"excel/report-builder"}, wantMatch: MatchWords},
		{name: "katakana exact", query: "プラム", wantKeys: []string{"teams/plumm-health-ltd"}, wantFirst: true, wantMatch: MatchName},
		{name: "glued words", query: "share point", wantKeys: []string{"sharepoint/sharepointsapiens"}, wantFirst: true, wantMatch: MatchFuzzy},
		{name: "publisher", query: "adobe inc", wantKeys: []string{"teams/adobe-acrobat-sign", "saas/adobe-acrobat-sign-for-microsoft-365"}, wantMatch: MatchPublisher},
		{name: "appsource id", query: "WA200003326", wantKeys: []string{"teams/plumm-health-ltd"}, wantMatch: MatchAppSourceID},
		{name: "appsource id lower case", query: "wa200003326", wantKeys: []string{"teams/plumm-health-ltd"}, wantMatch: MatchAppSourceID},
		{name: "offer id", query: "Adobe.Adobe_Sign_Msft_Saas_Offer", wantKeys: []string{"saas/adobe-acrobat-sign-for-microsoft-365"}, wantMatch: MatchAppSourceID},
		{name: "teams guid", query: plummTeamsID, wantKeys: []string{"teams/plumm-health-ltd"}, wantMatch: MatchTeamsAppID},
		{name: "entra id", query: plummEntraID, wantKeys: []string{"azure/" + plummEntraID, "teams/plumm-health-ltd"}, wantMatch: MatchEntraAppID},
		{name: "appsource link", query: "https://appsource.microsoft.com/en-us/product/office/WA200003326?tab=Overview", wantKeys: []string{"teams/plumm-health-ltd"}, wantMatch: MatchAppSourceID},
		{name: "link in a sentence", query: "is https://teams.microsoft.com/l/app/" + plummTeamsID + " safe?", wantKeys: []string{"teams/plumm-health-ltd"}, wantMatch: MatchTeamsAppID},
		{name: "teams link", query: "https://teams.microsoft.com/l/app/" + plummTeamsID, wantKeys: []string{"teams/plumm-health-ltd"}, wantMatch: MatchTeamsAppID},
		{name: "learn link", query: "https://learn.microsoft.com/fr-fr/microsoft-365-app-certification/teams/plumm-health-ltd", wantKeys: []string{"teams/plumm-health-ltd"}, wantMatch: MatchSlug},
		{name: "learn azure link", query: "https://learn.microsoft.com/microsoft-365-app-certification/azure/" + plummEntraID, wantKeys: []string{"azure/" + plummEntraID, "teams/plumm-health-ltd"}, wantMatch: MatchSlug},
		{name: "slug", query: "adobe-acrobat-sign", wantKeys: []string{"teams/adobe-acrobat-sign"}, wantFirst: true, wantMatch: MatchSlug},
		{name: "ranking exact prefix fuzzy", query: "note", wantKeys: []string{"onenote/fabrikam-note", "teams/notes-plus", "teams/nate"}, wantMatch: MatchName},
		{name: "filters narrow", query: "adobe acrobat sign", opts: SearchOptions{Filters: mustFilters(t, "kind=saas")}, wantKeys: []string{"saas/adobe-acrobat-sign-for-microsoft-365"}, wantMatch: MatchNamePrefix},
		{name: "filter listing by name", query: "", opts: SearchOptions{Filters: mustFilters(t, "hipaa")}, wantKeys: []string{"teams/adobe-acrobat-sign"}, wantMatch: MatchFilter},
		{name: "limit", query: "a", opts: SearchOptions{Limit: 1}, wantKeys: []string{"teams/achievers"}, wantMatch: MatchNamePrefix},
		{name: "no match", query: "zzzzzz", wantKeys: []string{}},
		{name: "punctuation only", query: "?!", wantKeys: []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ix.Search(tt.query, tt.opts)
			if tt.wantFirst {
				require.GreaterOrEqual(t, len(got), len(tt.wantKeys), resultKeys(got))
				require.Equal(t, tt.wantKeys, resultKeys(got)[:len(tt.wantKeys)])
			} else {
				require.Equal(t, tt.wantKeys, resultKeys(got))
			}
			if len(got) > 0 {
				require.Equal(t, tt.wantMatch, got[0].Match)
			}
			for i := 1; i < len(got); i++ {
				require.GreaterOrEqual(t, got[i-1].Score, got[i].Score)
			}
		})
	}
}

func mustFilters(t *testing.T, expr string) []Filter {
	t.Helper()
	fs, err := ParseFilters(expr)
	require.NoError(t, err)
	return fs
}

func TestSearchResultFields(t *testing.T) {
	ix := NewIndex(searchRecords())
	got := ix.Search("plumm", SearchOptions{})
	require.NotEmpty(t, got)
	r := got[0]
	require.Equal(t, "plumm-health-ltd", r.Slug)
	require.Equal(t, "teams", r.Kind)
	require.Equal(t, "Plumm", r.Name)
	require.Equal(t, "WA200003326", r.AppSourceID)
	require.Equal(t, plummTeamsID, r.TeamsAppID)
	require.Equal(t, []string{"de-DE", "fr-FR", "ja-JP"}, r.Locales)
	require.Len(t, r.Records, 3)
	require.Equal(t, "de-DE", r.Records[0].Locale)
	require.Equal(t, "ja-JP", r.Record("ja-JP").Locale)
	require.Equal(t, "de-DE", r.Record("it-IT").Locale)

	ja := ix.Search("plumm", SearchOptions{Locale: "ja-JP"})[0]
	require.Equal(t, "プラム", ja.Name)
	require.Equal(t, "ja-JP", ja.Records[0].Locale)
	require.Len(t, ja.Records, 3)
	// The index's own slice is not reordered.
	require.Equal(t, "de-DE", ix.Search("plumm", SearchOptions{})[0].Records[0].Locale)

	require.Equal(t, 1, ix.Count(mustFilters(t, "certified")))
	require.Equal(t, 2, ix.Count(mustFilters(t, "publisher=adobe")))
	require.Equal(t, ix.Len(), ix.Count(nil))
	require.Empty(t, ix.Search("", SearchOptions{}))
	all := ix.Search("", SearchOptions{Limit: -1, Filters: mustFilters(t, "locale=fr-FR")})
	require.Len(t, all, 11)
	for i := 1; i < len(all); i++ {
		require.LessOrEqual(t, Fold(all[i-1].Name), Fold(all[i].Name))
	}
}

func TestIndexZeroValue(t *testing.T) {
	var nilIndex *Index
	require.Nil(t, nilIndex.Search("plumm", SearchOptions{}))
	require.Nil(t, (&Index{}).Search("plumm", SearchOptions{}))
	require.Nil(t, (&Index{}).Lookup("WA200003326"))
	require.Zero(t, (&Index{}).Count(nil))
	require.Zero(t, nilIndex.Len())
	empty := NewIndex(nil)
	require.Empty(t, empty.Search("plumm", SearchOptions{}))
	require.Empty(t, empty.Search("", SearchOptions{Filters: mustFilters(t, "hipaa")}))
}

func TestLookup(t *testing.T) {
	ix := NewIndex(searchRecords())
	tests := []struct {
		given string
		want  []string
	}{
		{"WA200003326", []string{"teams/plumm-health-ltd"}},
		{plummTeamsID, []string{"teams/plumm-health-ltd"}},
		{plummEntraID, []string{"azure/" + plummEntraID, "teams/plumm-health-ltd"}},
		{"fr-FR/Apps/teams/plumm-health-ltd.md", []string{"teams/plumm-health-ltd"}},
		{"teams/achievers", []string{"teams/achievers"}},
		{"plumm-health-ltd", []string{"teams/plumm-health-ltd"}},
		{"https://teams.microsoft.com/l/app/" + plummTeamsID, []string{"teams/plumm-health-ltd"}},
		{"Plumm", nil},
		{"", nil},
		{"WA999999999", nil},
	}
	for _, tt := range tests {
		t.Run(tt.given, func(t *testing.T) {
			got := ix.Lookup(tt.given)
			if tt.want == nil {
				require.Empty(t, got)
				return
			}
			require.Equal(t, tt.want, resultKeys(got))
		})
	}
}

func TestSearchConcurrent(t *testing.T) {
	ix := NewIndex(searchRecords())
	queries := []string{"plumm", "plmum", "報表", "WA200003326", "adobe inc", "note", plummEntraID}
	want := make([][]string, len(queries))
	for i, q := range queries {
		want[i] = resultKeys(ix.Search(q, SearchOptions{}))
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for n := 0; n < 200; n++ {
				i := (g + n) % len(queries)
				got := resultKeys(ix.Search(queries[i], SearchOptions{}))
				if len(got) != len(want[i]) {
					t.Errorf("query %q: got %v, want %v", queries[i], got, want[i])
					return
				}
			}
		}(g)
	}
	wg.Wait()
}

func TestFoldAndTokens(t *testing.T) {
	require.Equal(t, "cafe societe", Fold("  Café — SOCIÉTÉ!! "))
	require.Equal(t, "strasse oeuvre", Fold("Straße Œuvre"))
	require.Equal(t, "obrien", Fold("O’Brien"))
	require.Equal(t, "abc123", Fold("ＡＢＣ１２３"))
	require.Equal(t, "plumm", Fold("plumm"))
	require.Equal(t, []string{"報表", "表產", "產生", "生器"}, tokenize(Fold("報表產生器")))
	require.Equal(t, []string{"teams", "会議", "ok"}, tokenize(Fold("Teams会議OK")))
	require.Equal(t, []string{"字"}, tokenize("字"))
	for _, s := range []string{"Hello, World's  Best!", " --A-b_c--", "O'Brien `x` 12.5%", "", "!!!", "MiXeD Case 42"} {
		require.Equal(t, foldUnicode(s), Fold(s), s)
	}
	require.Equal(t, []string{"^d", "de", "es", "sk", "k$"}, bigrams(nil, "desk"))
	require.Equal(t, []string{"^é", "é$"}, bigrams(nil, "é"))
	require.Equal(t, 1, damerau("plumm", "plmum", 2))
	require.Equal(t, 1, damerau("teams", "tesms", 2))
	require.Equal(t, 3, damerau("abc", "xyzabc", 2))
	require.Equal(t, 2, damerau("кофе", "кафа", 2))
	require.Equal(t, 0, damerau("", "", 1))
}

// searchCorpusRecords parses the sample pages of every locale (not the
// histories) under testdata/corpus.
func searchCorpusRecords(t testing.TB) []*Record {
	t.Helper()
	root := filepath.Join("testdata", "corpus")
	ents, err := os.ReadDir(root)
	require.NoError(t, err)
	var recs []*Record
	for _, e := range ents {
		if !e.IsDir() || e.Name() == "history" {
			continue
		}
		err := ParseDir(context.Background(), filepath.Join(root, e.Name()), func(r *Record) error {
			recs = append(recs, r)
			return nil
		})
		require.NoError(t, err)
	}
	require.NotEmpty(t, recs)
	return recs
}

func TestSearchCorpus(t *testing.T) {
	ix := NewIndex(searchCorpusRecords(t))
	plumm := ix.Search("plum", SearchOptions{})
	require.NotEmpty(t, plumm)
	require.Equal(t, "teams/plumm-health-ltd", plumm[0].Key)
	require.Contains(t, plumm[0].Locales, "fr-FR")
	require.Contains(t, plumm[0].Locales, "de-DE")
	require.Equal(t, "WA200003326", plumm[0].AppSourceID)

	for _, q := range []string{
		"WA200003326", "https://appsource.microsoft.com/en-us/product/office/WA200003326?tab=Overview",
		"https://learn.microsoft.com/fr-fr/microsoft-365-app-certification/teams/plumm-health-ltd",
		"https://teams.microsoft.com/l/app/" + plummTeamsID, "Plumm Health LTD",
	} {
		got := ix.Search(q, SearchOptions{})
		require.NotEmpty(t, got, q)
		require.Equal(t, "teams/plumm-health-ltd", got[0].Key, q)
	}
	// The seed's Entra app ID finds its azure page and the app.
	got := resultKeys(ix.Lookup(plummEntraID))
	require.Contains(t, got, "azure/"+plummEntraID)
	require.Contains(t, got, "teams/plumm-health-ltd")
	// Typos and other locales.
	zoho := ix.Search("zoho dsek", SearchOptions{})
	require.NotEmpty(t, zoho)
	require.Equal(t, "teams/zoho-corporation-private-limited-desk", zoho[0].Key)
	require.Equal(t, "teams/zoho-corporation-private-limited-desk", ix.Search("zoho-corporation-private-limited-desk", SearchOptions{})[0].Key)
	// Filters over real records.
	certified := ix.Search("", SearchOptions{Limit: -1, Filters: mustFilters(t, "certified kind=teams")})
	require.NotEmpty(t, certified)
	for _, r := range certified {
		require.Equal(t, "teams", r.Kind)
	}
	mail := ix.Search("", SearchOptions{Limit: -1, Filters: mustFilters(t, "permission=Mail.ReadWrite")})
	require.Contains(t, resultKeys(mail), "saas/emailgistics-corp")
}

// TestIndexFiltersAgree checks the index's precomputed filter tables
// against MatchFilters on every record.
func TestIndexFiltersAgree(t *testing.T) {
	recs := synthCatalog(300, 3)
	recs = append(recs, searchRecords()...)
	ix := NewIndex(recs)
	for _, expr := range []string{
		"hipaa", "hipaa=no", "soc2!=yes", "fedramp=unanswered", "ferpa=answered", "iso27001=yes,na",
		"gdpr=na kind=teams", "publisher=contoso", "publisher!=adobe", "certified", "permission=Mail.*",
		"mfa=yes", "cert.firewall=pass", "locale=fr", "hipaa iso27001 permission-type=application",
		"storage=eu", "storage=us,de", "storage!=us", "storage-only=europe", "hq=us",
	} {
		fs := mustFilters(t, expr)
		want, apps := map[string]bool{}, map[string]bool{}
		for _, r := range recs {
			if r != nil && r.Type != PageIndex && MatchFilters(r, fs) {
				want[r.Kind+"/"+r.Slug] = true
				// Pages with one AppSource ID are one app.
				app := r.Kind + "/" + r.Slug
				if id := recordAppSourceID(r); r.Type == PageApp && id != "" {
					app = id
				}
				apps[app] = true
			}
		}
		require.Equal(t, len(apps), ix.Count(fs), expr)
		for _, res := range ix.Search("", SearchOptions{Limit: -1, Filters: fs}) {
			require.True(t, want[res.Key], "%s: %s", expr, res.Key)
		}
	}
}

func TestSearchOddInput(t *testing.T) {
	ix := NewIndex(searchRecords())
	long := strings.Repeat("報表 plumm ", 2000)
	for _, q := range []string{"\xff\xfe", long, "a b c d e f g h i j k l", "-", "/", "https://", "WA", "00000000-0000-0000-0000-000000000000", "\u0301\u0301"} {
		res := ix.Search(q, SearchOptions{Limit: -1})
		for _, r := range res {
			require.NotEmpty(t, r.Key)
		}
	}
	got := ix.Search(strings.Repeat("plumm ", 500), SearchOptions{})
	require.NotEmpty(t, got)
	require.Equal(t, "teams/plumm-health-ltd", got[0].Key)
}

func TestNameHead(t *testing.T) {
	for _, tc := range []struct{ name, want string }{
		{"CocoFax : envoi de télécopies faciles à & sécuriser", "cocofax"},
		{"MIPA — ваш личный помощник", "mipa"},
		{"MIPA - 您自己的個人助理", "mipa"},
		{"mipa---your-own-personal-assistant", "mipa"},
		{"officeatwork | Choisisseur de modèle pour Office - M365", "officeatwork"},
		{"officeatwork: selector de contenido para Office", "officeatwork"},
		{"Plumm", ""},                                    // no tagline
		{"Q - Search", ""},                               // too short alone
		{"Microsoft Teams - Something", ""},              // only generic words
		{"Zoho CRM pour la messagerie", ""},              // no separator
		{"Adobe Acrobat Sign for Microsoft 365", ""},     // no separator
		{"Outlook : the add-in for everything", ""},      // generic head
		{"Foxit PDF Editor – Teams", "foxit pdf editor"}, // en dash
	} {
		require.Equal(t, tc.want, NameHead(tc.name), tc.name)
	}
}

func TestIndexNameHeads(t *testing.T) {
	rec := func(slug, name string) *Record {
		return &Record{Kind: "teams", Slug: slug, Locale: "fr-FR", Name: name, Type: PageApp}
	}
	ix := NewIndex([]*Record{
		rec("cocofax", "CocoFax : envoi de télécopies"),
		rec("oaw-content", "officeatwork | Content Chooser"),
		rec("oaw-template", "officeatwork | Template Chooser"),
		rec("designer", "Designer - by officeatwork"),
		rec("quickminutes", "QuickMinutes"),
	})
	top := func(q string) Result {
		t.Helper()
		rs := ix.Search(q, SearchOptions{Limit: 3})
		require.NotEmpty(t, rs, q)
		return rs[0]
	}
	require.Equal(t, ConfidenceExact, top("cocofax").Confidence)
	require.Equal(t, "cocofax", top("cocofax").Slug)
	// A head two apps share names neither exactly.
	require.NotEqual(t, ConfidenceExact, top("officeatwork").Confidence)
	require.Equal(t, ConfidenceExact, top("designer").Confidence)
	require.Equal(t, "designer", top("designer").Slug)
	require.Equal(t, ConfidenceExact, top("quick minutes").Confidence)
	require.Equal(t, "quickminutes", top("quick minutes").Slug)
}
