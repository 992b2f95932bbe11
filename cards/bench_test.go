package cards

import (
	"encoding/json"
	"testing"
)

// reportCPU runs fn b.N times and reports the process CPU time per
// operation (cpu-ns/op) beside the wall time.
func reportCPU(b *testing.B, fn func()) {
	b.Helper()
	b.ReportAllocs()
	start, ok := processCPU()
	n := 0
	for b.Loop() {
		fn()
		n++
	}
	if end, ok2 := processCPU(); ok && ok2 && n > 0 {
		b.ReportMetric(float64((end-start).Nanoseconds())/float64(n), "cpu-ns/op")
	}
}

// BenchmarkSummaryCard builds the summary card of a real page (fr-FR
// Plumm) and marshals it, as the bot does for every app lookup.
func BenchmarkSummaryCard(b *testing.B) {
	rec := loadPage(b, "fr-FR/teams/plumm-health-ltd.md")
	bld := goldenBuilder()
	reportCPU(b, func() {
		if _, err := json.Marshal(bld.Summary(rec)); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkPermissionsCard builds and encodes the first permissions page
// of the page with the most Graph rows (zh-TW LawToolBox, 32 rows).
func BenchmarkPermissionsCard(b *testing.B) {
	rec := loadPage(b, "zh-TW/teams/lawtoolboxcominc-lawtoolbox.md")
	bld := goldenBuilder()
	reportCPU(b, func() {
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
	reportCPU(b, func() {
		bld := de
		if i%2 == 1 {
			bld = ru
		}
		i++
		if _, err := json.Marshal(bld.Summary(rec)); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkPermissionsCardLocalized is BenchmarkPermissionsCard written
// through the Japanese catalog.
func BenchmarkPermissionsCardLocalized(b *testing.B) {
	rec := loadPage(b, "zh-TW/teams/lawtoolboxcominc-lawtoolbox.md")
	bld := goldenBuilder().For("ja-JP")
	reportCPU(b, func() {
		if _, err := Encode(bld.Permissions(rec, 0)); err != nil {
			b.Fatal(err)
		}
	})
}
