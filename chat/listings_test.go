package chat

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/cards"
)

// listingCatalog holds one app listed twice (issue 13: MGR360 and
// Manager360 share the AppSource ID WA200003329) and another app.
func listingCatalog(t *testing.T) *Catalog {
	t.Helper()
	mk := func(slug, name, id string, hipaa attestation.Value) *attestation.Record {
		return &attestation.Record{Slug: slug, Kind: "teams", Type: attestation.PageApp, Locale: "en-US",
			Path: "Apps/teams/" + slug + ".md", Name: name, Publisher: "MGR360 Ltd", AppSourceID: id,
			Links:   attestation.Links{AppSource: "https://appsource.microsoft.com/product/office/" + id},
			Answers: []attestation.Answer{{Key: "comp.hipaa", Label: "HIPAA", Section: attestation.SectionCompliance, Value: hipaa, Text: string(hipaa)}}}
	}
	cat := NewCatalog(memRecords{
		mk("mgr360", "MGR360", "WA200003329", attestation.ValueYes),
		mk("manager360", "Manager360", "WA200003329", attestation.ValueYes),
		mk("contoso-tasks", "Contoso Tasks", "WA200000001", attestation.ValueNo),
	})
	_, err := cat.Reload(t.Context())
	require.NoError(t, err)
	return cat
}

// TestListings_OneApp checks that the conversation treats two listings
// of one app as one app: the card names the other listing, a search lists
// the app once, and comparing the two listings shows the one app.
func TestListings_OneApp(t *testing.T) {
	s := NewService(listingCatalog(t), cards.New())
	ctx := t.Context()
	u := User{TenantID: "t", ID: "29:u", Locale: "en-US"}

	card := cardJSON(t, s.Text(ctx, u, "Manager360"))
	require.Contains(t, card, "The same app is also listed as:")
	require.Contains(t, card, `"title":"MGR360 (Teams app)"`)

	r := s.respond(ctx, u, "compare MGR360 and Manager360", nil)
	require.Equal(t, "summary", r.kind, "two listings of one app are not two apps")
	require.Contains(t, cardJSON(t, r.card), "The same app is also listed as:")
	r = s.respond(ctx, u, "compare MGR360 and Contoso Tasks", nil)
	require.Equal(t, "compare", r.kind)

	res := s.cat.Index().Search("", attestation.SearchOptions{Limit: -1, Filters: []attestation.Filter{{Kind: attestation.FilterAnswer, Key: "comp.hipaa", Values: []string{"yes"}}}})
	require.Len(t, res, 1, "the app is listed once among the HIPAA apps")
	require.Equal(t, "teams/manager360", res[0].Key)
	require.Equal(t, "teams/mgr360", res[0].Listings[0].Key)
}
