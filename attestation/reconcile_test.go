package attestation

import (
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestReconcile_AzureLinks(t *testing.T) {
	var recs []*Record
	for name, r := range corpusRecords(t) {
		if !strings.HasPrefix(name, "history/") {
			recs = append(recs, r)
		}
	}
	st := Reconcile(recs)
	require.Positive(t, st.AzureLinks)
	require.Positive(t, st.AzureResolved)
	require.Positive(t, st.EntraResolved)
	for _, r := range recs {
		if r.Type == PageAzure && r.Azure.AppID == "b1d1c038-a1f3-4802-be93-0f4a66589e73" {
			require.Equal(t, []string{"teams/plumm-health-ltd"}, r.Azure.Apps[0].Pages)
			return
		}
	}
	t.Fatal("azure page of the seed app not found")
}

// TestReconcile_RestoresTranslatedScopes gives the zh-TW page with
// translated scope names a sibling at the same source hash that writes
// every scope verbatim: each zh-TW row that is translated or garbled takes
// the sibling's name, and the record lists the repair.
func TestReconcile_RestoresTranslatedScopes(t *testing.T) {
	zh := parseFile(t, corpusDir+"/zh-TW/teams/lawtoolboxcominc-lawtoolbox.md")
	ru := parseFile(t, corpusDir+"/zh-TW/teams/lawtoolboxcominc-lawtoolbox.md")
	ru.Locale = "ru-RU"
	translated := 0
	for i := range ru.Permissions {
		p := &ru.Permissions[i]
		if p.RawName != "" || !knownScope(p.Name) {
			translated++
			p.Name, p.RawName = "Contacts.ReadWrite", ""
		}
	}
	require.Positive(t, translated)
	st := Reconcile([]*Record{zh, ru})
	require.Positive(t, st.ScopesRestored)
	for i, p := range zh.Permissions {
		require.True(t, knownScope(p.Name), p.Name)
		require.Equal(t, ru.Permissions[i].Name, p.Name, "row %d (%s)", i, p.RawName)
	}
	require.NotEmpty(t, zh.Repairs)
	require.Equal(t, []string{"ru-RU"}, zh.Repairs[0].From)
}

// TestScopeNames covers the scope names the full corpus showed restored
// wrongly or not at all (issue 13): every restored name is a real one.
func TestScopeNames(t *testing.T) {
	tests := []struct {
		raw, want string
		ok        bool
	}{
		{"個人讀取", "People.Read", true},
		{"已讀取組織。全部", "Organization.Read.All", true},
		{"GroupMember ReadWrite。", "GroupMember.ReadWrite.All", true},
		{"TeamMember ReadWrite。", "TeamMember.ReadWrite.All", true},
		{"ReadWrite 共用的行事曆", "Calendars.ReadWrite.Shared", true},
		{"Teams. Erstellen", "Team.Create", true},
		{"Teams.Crear", "Team.Create", true},
		{"Teams.Criar", "Team.Create", true},
		{"Teams. Créer", "Team.Create", true},
		{"offlineaccess", "offline_access", true},
		{"User.Read.All", "User.Read.All", true},
		{"user. read. all", "User.Read.All", true},
		{"profil", "profile", true},
		{"Frobnicate.ReadWrite", "Frobnicate.ReadWrite", false},
		{"ReadWrite。", "ReadWrite", false},
	}
	for _, tt := range tests {
		got, ok := NormalizeScope(tt.raw)
		require.Equal(t, tt.ok, ok, tt.raw)
		require.Equal(t, tt.want, got, tt.raw)
	}
	for from, to := range translatedScopes {
		require.True(t, knownScope(to), "%s → %s is not in graph_permissions.txt", from, to)
	}
}

// TestScopeNames_Sample checks every permission row of the sample: its
// name is a real permission, or the row carries a warning that says it is
// not.
func TestScopeNames_Sample(t *testing.T) {
	verified, warned := 0, 0
	for name, r := range corpusRecords(t) {
		for _, p := range r.Permissions {
			if knownScope(p.Name) {
				verified++
				continue
			}
			warned++
			found := false
			for _, w := range r.Warnings {
				if w.Line == p.Line && strings.Contains(w.Message, "not a known Microsoft Graph scope") {
					found = true
				}
			}
			require.True(t, found, "%s:%d %q has no warning", name, p.Line, p.Name)
		}
	}
	t.Logf("%d permission rows name a real Microsoft Graph permission, %d are flagged", verified, warned)
}

// TestReconcile_Listings groups two listings of one AppSource ID (MGR360
// and Manager360 share WA200003329 on the public corpus).
func TestReconcile_Listings(t *testing.T) {
	a := &Record{Type: PageApp, Kind: "teams", Slug: "mgr360", AppSourceID: "WA200003329", Locale: "fr-FR"}
	b := &Record{Type: PageApp, Kind: "teams", Slug: "manager360", AppSourceID: "wa200003329", Locale: "fr-FR"}
	c := &Record{Type: PageApp, Kind: "teams", Slug: "other", AppSourceID: "WA200000001", Locale: "fr-FR"}
	st := Reconcile([]*Record{a, b, c})
	require.Equal(t, []string{"teams/manager360"}, a.Listings)
	require.Equal(t, []string{"teams/mgr360"}, b.Listings)
	require.Empty(t, c.Listings)
	require.Equal(t, 2, st.SharedAppSource)
}

// TestGraphPermissionList checks graph_permissions.txt: a header naming
// its source and date, then one well-formed permission name a line
// (resource[-qualifier].operation[.constraint]…, or one of the four
// OpenID Connect scopes), each once whatever its case, in order after the
// OpenID Connect scopes.
func TestGraphPermissionList(t *testing.T) {
	require.Contains(t, graphPermissionsTxt, "# Source: ")
	require.Regexp(t, `# Compiled \d{4}-\d{2}-\d{2}`, graphPermissionsTxt)
	wellFormed := regexp.MustCompile(`^[A-Za-z][A-Za-z0-9]*(-[A-Za-z][A-Za-z0-9]*)*(\.[A-Za-z][A-Za-z0-9]*)+$`)
	oidc := map[string]bool{"openid": true, "profile": true, "email": true, "offline_access": true}
	seen := map[string]int{}
	var names []string
	for i, l := range strings.Split(graphPermissionsTxt, "\n") {
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		require.Equal(t, strings.TrimSpace(l), l, "line %d has spaces", i+1)
		require.True(t, oidc[l] || wellFormed.MatchString(l), "line %d: %q is not a permission name", i+1, l)
		if prev, ok := seen[strings.ToLower(l)]; ok {
			t.Fatalf("line %d: %q repeats line %d", i+1, l, prev)
		}
		seen[strings.ToLower(l)] = i + 1
		if !oidc[l] {
			names = append(names, l)
		}
	}
	for s := range oidc {
		require.Contains(t, seen, s)
	}
	require.True(t, sort.SliceIsSorted(names, func(i, j int) bool { return strings.ToLower(names[i]) < strings.ToLower(names[j]) }), "names are kept in order")
	require.GreaterOrEqual(t, len(seen), 500, "the whole permissions reference, not only the names the sample uses")
	require.Len(t, graphScopes, len(seen))
	t.Logf("%d Microsoft Graph permission names", len(seen))
}
