package cards

import (
	"testing"

	"github.com/attestbot/attestbot/internal/benchcpu"
)

// BenchmarkSummaryCard builds the summary card of a real page (fr-FR
// Plumm) and encodes it, as the bot does for the first question about an
// app.
func BenchmarkSummaryCard(b *testing.B) {
	rec := loadPage(b, "fr-FR/teams/plumm-health-ltd.md")
	bld := goldenBuilder()
	benchcpu.Loop(b, func(int) {
		if _, err := Encode(bld.Summary(rec)); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkPermissionsCard builds and encodes the first permissions page
// of the page with the most Graph rows (zh-TW LawToolBox, 32 rows).
func BenchmarkPermissionsCard(b *testing.B) {
	rec := loadPage(b, "zh-TW/teams/lawtoolboxcominc-lawtoolbox.md")
	bld := goldenBuilder()
	benchcpu.Loop(b, func(int) {
		if _, err := Encode(bld.Permissions(rec, 0)); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkSummaryCardLocalized is BenchmarkSummaryCard written through
// the German and Russian catalogs (the longest strings).
func BenchmarkSummaryCardLocalized(b *testing.B) {
	rec := loadPage(b, "fr-FR/teams/plumm-health-ltd.md")
	de, ru := goldenBuilder().For("de-DE"), goldenBuilder().For("ru-RU")
	i := 0
	benchcpu.Loop(b, func(int) {
		bld := de
		if i%2 == 1 {
			bld = ru
		}
		i++
		if _, err := Encode(bld.Summary(rec)); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkPermissionsCardLocalized is BenchmarkPermissionsCard written
// through the Japanese catalog.
func BenchmarkPermissionsCardLocalized(b *testing.B) {
	rec := loadPage(b, "zh-TW/teams/lawtoolboxcominc-lawtoolbox.md")
	bld := goldenBuilder().For("ja-JP")
	benchcpu.Loop(b, func(int) {
		if _, err := Encode(bld.Permissions(rec, 0)); err != nil {
			b.Fatal(err)
		}
	})
}
