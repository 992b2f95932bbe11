package audit

import (
	"testing"
	"time"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/cards"
	"github.com/attestbot/attestbot/internal/benchcpu"
)

// BenchmarkAuditCompute is the audit's own work for a tenant of 1,000
// catalog apps (800 with records, 686 consented service principals): the
// join of the organization apps with the record index, the apps reached
// through the service principals' grants with their store entries, the
// drift, the ranking, the report and the first page of the card, encoded. Graph is not involved (see graphclient's
// BenchmarkAuditFetchBatch for the calls).
func BenchmarkAuditCompute(b *testing.B) {
	d, recs := bigTenant(1000)
	ix := attestation.NewIndex(recs)
	var org, store []CatalogApp
	for _, a := range d.apps {
		if a.DistributionMethod == "store" {
			store = append(store, a)
		} else {
			org = append(org, a)
		}
	}
	builder := cards.New(cards.WithClock(func() time.Time { return testNow }))
	b.ReportAllocs()
	cpu := benchcpu.Start()
	b.ResetTimer()
	for b.Loop() {
		js := join(org, ix, DefaultLocale)
		more, storeIDs := fromPrincipals(js, d.sps, ix, DefaultLocale)
		if len(storeIDs) == 0 {
			b.Fatal("no store app in use")
		}
		attachStore(more, store)
		res := evaluate("contoso", append(js, more...), d.sps, testNow)
		raw, err := cards.Encode(builder.Audit(res.Report(), 0))
		if err != nil || len(raw) == 0 {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	cpu.Report(b, b.N, time.Millisecond)
}
