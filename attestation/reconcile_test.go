package attestation

import (
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

func TestReconcile_RestoresTranslatedScopes(t *testing.T) {
	zh := parseFile(t, corpusDir+"/zh-TW/teams/lawtoolboxcominc-lawtoolbox.md")
	// A ru-RU sibling at the same source hash whose scopes are intact.
	ru := parseFile(t, corpusDir+"/zh-TW/teams/lawtoolboxcominc-lawtoolbox.md")
	ru.Locale = "ru-RU"
	unknown := 0
	for i := range ru.Permissions {
		if _, ok := NormalizeScope(ru.Permissions[i].Name); !ok {
			unknown++
			ru.Permissions[i].Name = "Contacts.ReadWrite"
		}
	}
	require.Positive(t, unknown)
	st := Reconcile([]*Record{zh, ru})
	require.Equal(t, unknown, st.ScopesRestored)
	for _, p := range zh.Permissions {
		_, ok := NormalizeScope(p.Name)
		require.True(t, ok, p.Name)
	}
	require.Equal(t, "Contacts.ReadWrite", zh.Permissions[2].Name)
	require.NotEmpty(t, zh.Permissions[2].RawName)
}
