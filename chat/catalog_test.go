package chat

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/attestation"
)

// trapApps are names the issue found answered for the wrong app, added to
// the sample as copies of a sample record under new names and IDs: a
// question about one must never be answered about another.
var trapApps = []struct{ slug, name, publisher string }{
	{"stack-overflow-for-teams", "Stack Overflow pour Teams", "Stack Exchange Inc"},
	{"quadra-thankz", "Quadra Thankz", "Quadra"},
	{"push", "Push", "Push Labs"},
	{"push-security", "Push Security", "Push Security Ltd"},
	{"myhub", "MyHub", "MyHub Intranet"},
	{"smartsheet", "Smartsheet", "Smartsheet Inc"},
	{"miro", "Miro", "RealtimeBoard Inc"},
	{"notes-plus", "Notes Plus", "Fabrikam"},
}

// trapCatalog is the sample catalog plus trapApps, each a copy of the
// fr-FR Aimful record (which stores data in Ireland) with its own name,
// slug and identifiers; MyHub keeps Aimful's permissions and gains
// application ones.
func trapCatalog(t testing.TB) *Catalog {
	t.Helper()
	recs := sampleRecords(t)
	var base *attestation.Record
	for _, r := range recs {
		if r.Slug == "aimful" && r.Locale == "fr-FR" {
			base = r
		}
	}
	require.NotNil(t, base)
	for i, a := range trapApps {
		c := *base
		c.Slug, c.Name, c.Publisher, c.Anchor = a.slug, a.name, a.publisher, ""
		c.Path = "Apps/teams/" + a.slug + ".md"
		c.AppSourceID = "WA9" + strings.Repeat("0", 7) + string(rune('0'+i))
		c.TeamsAppID = ""
		c.Links = attestation.Links{}
		c.Permissions = append([]attestation.Permission(nil), base.Permissions...)
		for j := range c.Permissions {
			c.Permissions[j].EntraAppID = ""
		}
		if a.slug == "myhub" {
			c.Permissions = append(c.Permissions,
				attestation.Permission{Name: "Sites.Read.All", Type: attestation.Application},
				attestation.Permission{Name: "User.Read.All", Type: attestation.Application})
		}
		recs = append(recs, &c)
	}
	cat := NewCatalog(recs)
	_, err := cat.Reload(context.Background())
	require.NoError(t, err)
	return cat
}
