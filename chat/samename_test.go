package chat

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/cards"
)

// TestSameNameOtherPublisher: two products of different publishers with
// one name are never chosen between by the bot; the same product listed
// by one publisher under two kinds still is (the Teams app first).
func TestSameNameOtherPublisher(t *testing.T) {
	recs := sampleRecords(t)
	var base *attestation.Record
	for _, r := range recs {
		if r.Slug == "aimful" && r.Locale == "fr-FR" {
			base = r
		}
	}
	require.NotNil(t, base)
	add := func(kind, slug, name, publisher, appSourceID string) {
		c := *base
		c.Kind, c.Slug, c.Name, c.Publisher, c.Anchor = kind, slug, name, publisher, ""
		c.Path = "Apps/" + kind + "/" + slug + ".md"
		c.AppSourceID, c.TeamsAppID, c.Links = appSourceID, "", attestation.Links{}
		recs = append(recs, &c)
	}
	add("teams", "fabrikam-timesheet", "Timesheet", "Fabrikam Ltd", "WA900000101")
	add("teams", "contoso-timesheet", "Timesheet", "Contoso Inc", "WA900000102")
	add("teams", "woodgrove-ledger", "Ledger", "Woodgrove Bank", "WA900000103")
	add("saas", "woodgrove-ledger-saas", "Ledger", "Woodgrove Bank Ltd", "WA900000104")
	cat := NewCatalog(recs)
	_, err := cat.Reload(context.Background())
	require.NoError(t, err)
	s := NewService(cat, cards.New(), WithSubscriptions(&memSubs{subs: map[string][]string{}}))
	u := User{TenantID: "tenant-1", ID: "user-1", Locale: "en-US"}

	for _, q := range []string{"is timesheet hipaa compliant?", "timesheet", "subscribe timesheet"} {
		rp := s.respond(context.Background(), u, q, nil)
		require.Equal(t, "nomatch", rp.kind, q)
		got := cardJSON(t, rp.card)
		require.Contains(t, got, "Fabrikam Ltd", q)
		require.Contains(t, got, "Contoso Inc", q)
	}
	rp := s.respond(context.Background(), u, "is ledger hipaa compliant?", nil)
	require.Equal(t, "claim", rp.kind)
	require.Equal(t, "teams/woodgrove-ledger", rp.app)
}
