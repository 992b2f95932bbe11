package attestation

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func filterRecord() *Record {
	return &Record{
		Slug: "contoso", Kind: "teams", Type: PageApp, Locale: "fr-FR", Path: "Apps/teams/contoso.md",
		Name: "Contoso", Publisher: "Contoso Électronique SA", Certification: Certified,
		Answers: []Answer{
			{Key: "comp.hipaa", Value: ValueYes},
			{Key: "comp.iso27001", Value: ValueYes},
			{Key: "comp.soc2", Value: ValueNo},
			{Key: "comp.sox", Value: ValueNotApplicable},
			{Key: "comp.fedramp", Value: ValueUnanswered},
			{Key: "sec.annual_pen_test", Value: ValueYes},
			{Key: "sec.mfa_enabled_for", Value: ValueText, Text: "CodeRepositories, Credential"},
			{Key: "cert.firewall", Value: ValuePass},
		},
		Permissions: []Permission{
			{Name: "Mail.ReadWrite", Type: Delegated},
			{Name: "User.Read.All", Type: Application},
			{Name: "Files.Read", Type: Both},
		},
	}
}

func TestParseFilters(t *testing.T) {
	tests := []struct {
		name  string
		given []string
		want  []Filter
	}{
		{name: "ok, short aliases", given: []string{"hipaa=yes", "iso27001=yes", "soc2=no"}, want: []Filter{
			{Kind: FilterAnswer, Key: "comp.hipaa", Values: []string{"yes"}},
			{Kind: FilterAnswer, Key: "comp.iso27001", Values: []string{"yes"}},
			{Kind: FilterAnswer, Key: "comp.soc2", Values: []string{"no"}},
		}},
		{name: "ok, one string with and", given: []string{"hipaa and gdpr=na dr=unanswered pentest!=yes"}, want: []Filter{
			{Kind: FilterAnswer, Key: "comp.hipaa", Values: []string{"yes"}},
			{Kind: FilterAnswer, Key: "priv.gdpr_or_privacy_obligations", Values: []string{"not_applicable"}},
			{Kind: FilterAnswer, Key: "sec.disaster_recovery_plan", Values: []string{"unanswered"}},
			{Kind: FilterAnswer, Key: "sec.annual_pen_test", Values: []string{"yes"}, Negate: true},
		}},
		{name: "ok, full key and alias spellings", given: []string{"comp.hipaa=Y", "ISO-27018=yes,no", "nist_800_171=n/a", "annual_pen_test=true"}, want: []Filter{
			{Kind: FilterAnswer, Key: "comp.hipaa", Values: []string{"yes"}},
			{Kind: FilterAnswer, Key: "comp.iso27018", Values: []string{"yes", "no"}},
			{Kind: FilterAnswer, Key: "comp.nist_800_171", Values: []string{"not_applicable"}},
			{Kind: FilterAnswer, Key: "sec.annual_pen_test", Values: []string{"yes"}},
		}},
		{name: "ok, permission merged with type", given: []string{"permission=Mail.*", "permission-type=application"}, want: []Filter{
			{Kind: FilterPermission, Values: []string{"mail.*"}, PermissionType: Application},
		}},
		{name: "ok, type alone", given: []string{"permission-type=delegated"}, want: []Filter{
			{Kind: FilterPermissionType, Values: []string{"delegated"}},
		}},
		{name: "ok, record filters", given: []string{`certified kind=teams,saas locale=fr-fr publisher="Contoso Électronique" attested=no`}, want: []Filter{
			{Kind: FilterCertification, Values: []string{"certified"}},
			{Kind: FilterHost, Values: []string{"teams", "saas"}},
			{Kind: FilterLocale, Values: []string{"fr-FR"}},
			{Kind: FilterPublisher, Values: []string{"contoso electronique"}},
			{Kind: FilterCertification, Values: []string{"attested"}, Negate: true},
		}},
		{name: "ok, colon form and language", given: []string{"kind:word", "lang=de", "certification=attested"}, want: []Filter{
			{Kind: FilterHost, Values: []string{"word"}},
			{Kind: FilterLocale, Values: []string{"de"}},
			{Kind: FilterCertification, Values: []string{"attested"}},
		}},
		{name: "ok, empty", given: []string{"", "  "}, want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseFilters(tt.given...)
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestParseFiltersErrors(t *testing.T) {
	tests := []struct {
		name    string
		given   string
		wantErr error
		wantMsg string
	}{
		{name: "nok, unknown name", given: "hipa=yes", wantErr: ErrUnknownFilter, wantMsg: `unknown filter "hipa"`},
		{name: "nok, unknown key", given: "comp.nothing=yes", wantErr: ErrUnknownFilter},
		{name: "nok, bad answer value", given: "hipaa=maybe", wantErr: ErrBadFilterValue, wantMsg: `hipaa="maybe"`},
		{name: "nok, empty value", given: "hipaa=", wantErr: ErrBadFilterValue},
		{name: "nok, bad kind", given: "kind=mobile", wantErr: ErrBadFilterValue, wantMsg: `kind "mobile"`},
		{name: "nok, bad locale", given: "locale=french", wantErr: ErrBadFilterValue},
		{name: "nok, bad type", given: "permission-type=admin", wantErr: ErrBadFilterValue},
		{name: "nok, bad certification", given: "certification=gold", wantErr: ErrBadFilterValue},
		{name: "nok, permission without value", given: "permission", wantErr: ErrBadFilterValue},
		{name: "nok, permission with class", given: "permission=Mail.[RW]*", wantErr: ErrBadFilterValue},
		{name: "nok, unbalanced quote", given: `publisher="Contoso`, wantErr: ErrBadFilterValue},
		{name: "nok, empty name", given: "=yes", wantErr: ErrUnknownFilter},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseFilters(tt.given)
			require.Error(t, err)
			require.True(t, errors.Is(err, tt.wantErr), err.Error())
			require.Contains(t, err.Error(), tt.wantMsg)
		})
	}
}

func TestFilterMatch(t *testing.T) {
	r := filterRecord()
	tests := []struct {
		expr string
		want bool
	}{
		{"hipaa=yes", true}, {"hipaa=no", false}, {"hipaa!=yes", false}, {"soc2=no", true},
		{"sox=na", true}, {"fedramp=unanswered", true}, {"ferpa=unanswered", true}, {"ferpa=answered", false},
		{"hipaa=answered", true}, {"fedramp=answered", false}, {"comp.iso27001=yes", true},
		{"hipaa iso27001", true}, {"hipaa soc2", false}, {"pentest", true},
		{"mfa=yes", true}, {"mfa=no", false}, {"cert.firewall=pass", true},
		{"permission=mail.readwrite", true}, {"permission=MAIL.*", true}, {"permission=Calendars.*", false},
		{"permission=*.read.all", true}, {"permission=user.rea?.all", true},
		{"permission=Mail.ReadWrite permission-type=application", false},
		{"permission=User.Read.All permission-type=application", true},
		{"permission=Files.Read permission-type=delegated", true},
		{"permission-type=application", true}, {"permission!=Mail.*", false},
		{"certified", true}, {"attested", false}, {"certification=certified,attested", true},
		{"kind=teams", true}, {"kind=saas", false}, {"locale=fr-FR", true}, {"locale=fr", true}, {"locale=de-DE", false},
		{"publisher=electronique", true}, {"publisher=fabrikam", false},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			fs, err := ParseFilters(tt.expr)
			require.NoError(t, err)
			require.Equal(t, tt.want, MatchFilters(r, fs))
		})
	}
	none := &Record{Answers: []Answer{{Key: "sec.mfa_enabled_for", Value: ValueText, Text: "NoneOfTheAbove"}}}
	fs, err := ParseFilters("mfa=no")
	require.NoError(t, err)
	require.True(t, MatchFilters(none, fs))
	require.False(t, fs[0].Match(nil))
}

func TestFilterStringRoundTrip(t *testing.T) {
	for _, expr := range []string{
		"comp.hipaa=yes", "comp.soc2!=no,not_applicable", "permission=mail.* permission-type=application",
		"permission-type=delegated", "certification=certified", "kind=teams,saas", "locale=fr-FR",
		`publisher="contoso electronique"`,
	} {
		fs, err := ParseFilters(expr)
		require.NoError(t, err, expr)
		require.Len(t, fs, 1, expr)
		require.Equal(t, expr, fs[0].String())
	}
}

func TestParseQuery(t *testing.T) {
	tests := []struct {
		name  string
		given string
		want  Query
	}{
		{name: "hipaa and iso", given: "apps with hipaa and iso 27001", want: Query{Filters: []Filter{
			{Kind: FilterAnswer, Key: "comp.hipaa", Values: []string{"yes"}},
			{Kind: FilterAnswer, Key: "comp.iso27001", Values: []string{"yes"}},
		}}},
		{name: "who requests", given: "who requests Mail.ReadWrite?", want: Query{Filters: []Filter{
			{Kind: FilterPermission, Values: []string{"mail.readwrite"}},
		}}},
		{name: "certified teams apps", given: "certified teams apps", want: Query{Filters: []Filter{
			{Kind: FilterCertification, Values: []string{"certified"}},
			{Kind: FilterHost, Values: []string{"teams"}},
		}}},
		{name: "negation and soc 2", given: "Apps without SOC 2 but with a pen test", want: Query{Filters: []Filter{
			{Kind: FilterAnswer, Key: "comp.soc2", Values: []string{"yes"}, Negate: true},
			{Kind: FilterAnswer, Key: "sec.annual_pen_test", Values: []string{"yes"}},
		}}},
		{name: "application permission", given: "apps requesting application permission Mail.Read", want: Query{Filters: []Filter{
			{Kind: FilterPermission, Values: []string{"mail.read"}, PermissionType: Application},
		}}},
		{name: "cued oidc scope", given: "apps that request offline_access", want: Query{Filters: []Filter{
			{Kind: FilterPermission, Values: []string{"offline_access"}},
		}}},
		{name: "publisher and locale", given: "word add-ins by Adobe in fr-FR", want: Query{Filters: []Filter{
			{Kind: FilterHost, Values: []string{"word"}},
			{Kind: FilterPublisher, Values: []string{"adobe"}},
			{Kind: FilterLocale, Values: []string{"fr-FR"}},
		}}},
		{name: "name search stays text", given: "Plumm", want: Query{Text: "Plumm"}},
		{name: "name with domain stays text", given: "monday.com", want: Query{Text: "monday.com"}},
		{name: "name plus filter", given: "adobe sign gdpr compliant", want: Query{Text: "adobe sign", Filters: []Filter{
			{Kind: FilterAnswer, Key: "priv.gdpr_or_privacy_obligations", Values: []string{"yes"}},
		}}},
		{name: "explicit filters", given: "hipaa=no kind=saas", want: Query{Filters: []Filter{
			{Kind: FilterAnswer, Key: "comp.hipaa", Values: []string{"no"}},
			{Kind: FilterHost, Values: []string{"saas"}},
		}}},
		{name: "link kept for search", given: "https://teams.microsoft.com/l/app/d66da813-3337-4f88-8e08-f01c0bbb8f34",
			want: Query{Text: "https://teams.microsoft.com/l/app/d66da813-3337-4f88-8e08-f01c0bbb8f34"}},
		{name: "multi-factor", given: "apps with multi-factor authentication and disaster recovery", want: Query{Filters: []Filter{
			{Kind: FilterAnswer, Key: "sec.mfa_enabled_for", Values: []string{"yes"}},
			{Kind: FilterAnswer, Key: "sec.disaster_recovery_plan", Values: []string{"yes"}},
		}}},
		{name: "read all mail", given: "apps that can read all mail", want: Query{Filters: []Filter{
			{Kind: FilterPermission, Values: scopesAllMail, PermissionType: Application},
		}}},
		{name: "all files", given: "Which apps have access to all files?", want: Query{Filters: []Filter{
			{Kind: FilterPermission, Values: scopesAllFiles},
		}}},
		{name: "cued noun", given: "apps that access calendars", want: Query{Filters: []Filter{
			{Kind: FilterPermission, Values: scopesCalendars},
		}}},
		{name: "uncued noun is a name", given: "notes plus", want: Query{Text: "notes plus"}},
		{name: "hipaa and eu storage", given: "which apps are HIPAA compliant and store data in the EU", want: Query{Filters: []Filter{
			{Kind: FilterAnswer, Key: "comp.hipaa", Values: []string{"yes"}},
			{Kind: FilterStorage, Values: []string{"eu"}},
		}}},
		{name: "elided article", given: "applications qui stockent les données dans l'UE", want: Query{Filters: []Filter{
			{Kind: FilterStorage, Values: []string{"eu"}},
		}}},
		{name: "elided article before a long name", given: "applications hébergées dans l’Union européenne", want: Query{Filters: []Filter{
			{Kind: FilterStorage, Values: []string{"eu"}},
		}}},
		{name: "italian contraction", given: "app con sede nell'UE", want: Query{Filters: []Filter{
			{Kind: FilterHQ, Values: []string{"eu"}},
		}}},
		{name: "les is not l'ES", given: "applications qui stockent les données dans les pays de l'Irlande", want: Query{Text: "pays", Filters: []Filter{
			{Kind: FilterStorage, Values: []string{"IE"}},
		}}},
		{name: "only in", given: "apps storing data only in Germany", want: Query{Filters: []Filter{
			{Kind: FilterStorageOnly, Values: []string{"DE"}},
		}}},
		{name: "not in the us", given: "apps that don't store data in the US", want: Query{Filters: []Filter{
			{Kind: FilterStorage, Values: []string{"US"}, Negate: true},
		}}},
		{name: "hq", given: "apps from companies based in Switzerland", want: Query{Filters: []Filter{
			{Kind: FilterHQ, Values: []string{"CH"}},
		}}},
		{name: "from a country", given: "apps from Japan", want: Query{Filters: []Filter{
			{Kind: FilterHQ, Values: []string{"JP"}},
		}}},
		{name: "accents and width", given: "ａｐｐｓ with ＨＩＰＡＡ hosted in Élysée-free Allemagne", want: Query{Text: "Élysée-free", Filters: []Filter{
			{Kind: FilterAnswer, Key: "comp.hipaa", Values: []string{"yes"}},
			{Kind: FilterStorage, Values: []string{"DE"}},
		}}},
		{name: "place without cue is a name", given: "Japan Post", want: Query{Text: "Japan Post"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseQuery(tt.given)
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
	_, err := ParseQuery("hipaa=maybe")
	require.ErrorIs(t, err, ErrBadFilterValue)
}

func FuzzParseFilters(f *testing.F) {
	for _, s := range []string{
		"hipaa=yes iso27001=yes", "permission=Mail.* permission-type=application", `publisher="Adobe Inc"`,
		"certified kind=teams", "comp.soc2!=no,na", "locale=fr-FR", "\"", "=", "!=", "a:b", "-hipaa",
	} {
		f.Add(s)
	}
	r := filterRecord()
	f.Fuzz(func(t *testing.T, s string) {
		fs, err := ParseFilters(s)
		if err != nil {
			require.Nil(t, fs)
			return
		}
		for _, flt := range fs {
			require.NotEmpty(t, flt.Values)
			_ = flt.Match(r)
			// The canonical form parses back to the same filter.
			again, err := ParseFilters(flt.String())
			require.NoError(t, err, flt.String())
			require.Len(t, again, 1, flt.String())
			require.Equal(t, flt, again[0], flt.String())
		}
		q, err := ParseQuery(s)
		if err == nil {
			_ = MatchFilters(r, q.Filters)
		}
	})
}

func TestParseQuery_WideScriptPlaces(t *testing.T) {
	tests := []struct {
		text, filters, rest string
	}{
		{"在欧盟存储数据的应用", "storage=eu", ""},
		{"数据存储在欧盟的应用", "storage=eu", ""},
		{"유럽연합에 데이터를 저장하는 앱", "storage=eu", ""},
		// Without a place nothing is cut: an app name stays whole.
		{"数据宝", "", "数据宝"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			q, err := ParseQuery(tt.text)
			require.NoError(t, err)
			var got []string
			for _, f := range q.Filters {
				got = append(got, f.String())
			}
			require.Equal(t, tt.filters, strings.Join(got, " "))
			require.Equal(t, tt.rest, q.Text)
		})
	}
}
