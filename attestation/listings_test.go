package attestation

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// listingRecords are two listings of one app (issue 13: MGR360 and
// Manager360 carry the AppSource ID WA200003329), in two locales, and an
// unrelated app.
func listingRecords() []*Record {
	mk := func(slug, name, locale string) *Record {
		return &Record{Slug: slug, Kind: "teams", Type: PageApp, Locale: locale, Path: "Apps/teams/" + slug + ".md",
			Name: name, Publisher: "MGR360 Ltd", AppSourceID: "WA200003329",
			Links:   Links{AppSource: "https://appsource.microsoft.com/product/office/WA200003329"},
			Answers: []Answer{{Key: "comp.hipaa", Value: ValueYes}}}
	}
	other := mk("contoso-tasks", "Contoso Tasks", "fr-FR")
	other.AppSourceID, other.Links.AppSource, other.Publisher = "WA200000001", "", "Contoso"
	return []*Record{
		mk("mgr360", "MGR360", "fr-FR"), mk("mgr360", "MGR360", "de-DE"),
		mk("manager360", "Manager360", "fr-FR"), other,
	}
}

// TestIndex_Listings checks that pages with one AppSource ID are one app:
// one result whichever listing is named, carrying the other listings;
// counted once.
func TestIndex_Listings(t *testing.T) {
	ix := NewIndex(listingRecords())
	tests := []struct {
		query, key, listing string
	}{
		{"MGR360", "teams/mgr360", "teams/manager360"},
		{"Manager360", "teams/manager360", "teams/mgr360"},
		{"manager 360", "teams/manager360", "teams/mgr360"},
		{"WA200003329", "teams/mgr360", "teams/manager360"},
		{"https://appsource.microsoft.com/product/office/WA200003329", "teams/mgr360", "teams/manager360"},
		{"MGR360 Ltd", "teams/mgr360", "teams/manager360"}, // a tie: the representative stands
	}
	for _, tt := range tests {
		res := ix.Search(tt.query, SearchOptions{Locale: "fr-FR"})
		var keys []string
		for _, r := range res {
			keys = append(keys, r.Key)
		}
		require.Len(t, res, 1, "%s: %v", tt.query, keys)
		require.Equal(t, tt.key, res[0].Key, tt.query)
		require.Equal(t, "teams/mgr360", res[0].App, "the page in the most locales stands for the app")
		require.Len(t, res[0].Listings, 1, tt.query)
		require.Equal(t, tt.listing, res[0].Listings[0].Key, tt.query)
	}
	l := ix.Search("MGR360", SearchOptions{})[0].Listings[0]
	require.Equal(t, Listing{Key: "teams/manager360", Kind: "teams", Slug: "manager360", Name: "Manager360", Locales: []string{"fr-FR"}}, l)
	require.Len(t, ix.Lookup("WA200003329"), 1)
	hipaa := mustFilters(t, "hipaa")
	require.Equal(t, 2, ix.Count(hipaa), "MGR360 and Manager360 count once")
	require.Len(t, ix.Search("", SearchOptions{Limit: -1, Filters: hipaa}), 2)
	// An app listed once has no listings.
	c := ix.Search("Contoso Tasks", SearchOptions{})
	require.Equal(t, "teams/contoso-tasks", c[0].App)
	require.Empty(t, c[0].Listings)
}
