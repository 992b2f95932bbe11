package cards

import (
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/l10n"
)

// TestSummarySlabFits: the slab Summary sizes for a card holds every node
// of it, for every page of testdata in every catalog language, without
// and with other locales and listings (more than a card shows), so that a
// summary card is built in one block per node type.
func TestSummarySlabFits(t *testing.T) {
	var pages []string
	for _, root := range []string{"pages", "pages-l10n"} {
		require.NoError(t, filepath.WalkDir(filepath.Join("testdata", root), func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".md") || d.Name() == "README.md" || strings.Contains(path, "history") {
				return err
			}
			rel, err := filepath.Rel("testdata", path)
			pages = append(pages, filepath.ToSlash(rel))
			return err
		}))
	}
	require.NotEmpty(t, pages)
	var listings []attestation.Listing
	for i := range 7 {
		listings = append(listings, attestation.Listing{Kind: "teams", Slug: "app-" + string(rune('a'+i)), Name: "App"})
	}
	variants := []struct {
		name string
		give func(b *Builder, r *attestation.Record) *Builder
	}{
		{"alone", func(b *Builder, _ *attestation.Record) *Builder { return b }},
		{"without icon", func(b *Builder, _ *attestation.Record) *Builder {
			c := *b
			c.iconURL = ""
			return &c
		}},
		{"other locales", func(b *Builder, r *attestation.Record) *Builder {
			return b.WithLocales(append([]string{r.Locale, "en-GB", "fr-CA"}, l10n.Locales...))
		}},
		{"listings", func(b *Builder, r *attestation.Record) *Builder {
			return b.WithListings(append([]attestation.Listing{{Kind: r.Kind, Slug: r.Slug, Name: r.Name}}, listings...))
		}},
		{"both", func(b *Builder, r *attestation.Record) *Builder {
			return b.WithLocales(l10n.Locales).WithListings(listings)
		}},
	}
	for _, rel := range pages {
		r := loadTestdata(t, rel)
		if r.Type == attestation.PageAzure {
			continue // no slab: a list of apps
		}
		for _, locale := range l10n.Locales {
			for _, v := range variants {
				t.Run(rel+"/"+locale+"/"+v.name, func(t *testing.T) {
					c, sl := v.give(goldenBuilder().For(locale), r).summary(r)
					require.NotNil(t, sl)
					require.Zero(t, sl.spills, "nodes outside the first blocks")
					_, err := Encode(c)
					require.NoError(t, err)
				})
			}
		}
	}
}
