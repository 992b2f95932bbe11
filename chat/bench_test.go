package chat

import (
	"context"
	"testing"

	"github.com/attestbot/attestbot/cards"
	"github.com/attestbot/attestbot/internal/benchcpu"
)

// benchUtterances is a mix of what admins type: lookups, typos, claims,
// searches, permissions, links and misses.
var benchUtterances = []string{
	"plumm", "tell me about zoho desk", "smartshet", "is plumm hipaa compliant?",
	"which apps are HIPAA compliant and store data in the EU", "apps that can read all mail",
	"what permissions does Zoho Desk need", "https://appsource.microsoft.com/en-us/product/office/WA200003326?tab=Overview",
	"compare plumm and saberr", "slack", "thanks!", "who requests Mail.ReadWrite",
}

// BenchmarkText is the cost of one typed message: understanding, search
// over the sample catalog and the card built (not encoded).
func BenchmarkText(b *testing.B) {
	s := NewService(sampleCatalog(b), cards.New())
	ctx := context.Background()
	benchcpu.Loop(b, func(i int) { _ = s.Text(ctx, user, benchUtterances[i%len(benchUtterances)]) })
}

// BenchmarkTextLocalized is BenchmarkText for a French and a German client:
// the same utterances, the cards written through the fr-FR and de-DE
// catalogs (compare with BenchmarkText for the cost of localization).
func BenchmarkTextLocalized(b *testing.B) {
	s := NewService(sampleCatalog(b), cards.New())
	ctx := context.Background()
	users := []User{{TenantID: user.TenantID, ID: user.ID, Locale: "fr-FR"}, {TenantID: user.TenantID, ID: user.ID, Locale: "de-DE"}}
	benchcpu.Loop(b, func(i int) { _ = s.Text(ctx, users[i%2], benchUtterances[i%len(benchUtterances)]) })
}

// BenchmarkUtterance is the cost of each message of benchUtterances.
func BenchmarkUtterance(b *testing.B) {
	s := NewService(sampleCatalog(b), cards.New())
	ctx := context.Background()
	for _, u := range benchUtterances {
		b.Run(u, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				_ = s.Text(ctx, user, u)
			}
		})
	}
}

// BenchmarkSummaryCompactNoCardCache is the first question about an app
// over a compact catalog (as serve holds a store's): "plumm" understood and
// found, its summary card built from the record the catalog rebuilds from
// its summary facts and encoded, no summary card kept.
func BenchmarkSummaryCompactNoCardCache(b *testing.B) {
	recs := sampleRecords(b)
	stored := newStoredRecords(recs)
	cat := NewCatalog(stored)
	ctx := context.Background()
	if _, err := cat.Reload(ctx); err != nil {
		b.Fatal(err)
	}
	s := NewService(cat, cards.New(), WithSummaryCache(0))
	benchcpu.Loop(b, func(int) {
		if _, err := cards.Encode(s.Text(ctx, user, "plumm")); err != nil {
			b.Fatal(err)
		}
	})
	if stored.reads.Load() != 0 {
		b.Fatal("a summary card read a whole record")
	}
}
