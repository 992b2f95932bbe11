package audit_test

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/audit"
	"github.com/attestbot/attestbot/cards"
	"github.com/attestbot/attestbot/internal/benchcpu"
	"github.com/attestbot/attestbot/l10n"
)

// These tests render audits as the card and the command line show them:
// cards imports audit, so they live outside the package.

func byName(res *audit.Result, name string) audit.App {
	for _, a := range res.Apps {
		if a.Name == name {
			return a
		}
	}
	return audit.App{}
}

func TestReport(t *testing.T) {
	res := audit.SmallResult()
	rep := cards.NewAuditReport(res)
	require.Equal(t, "contoso", rep.TenantID)
	require.Equal(t, res.Summary.Apps, rep.Apps)
	require.Len(t, rep.Rows, len(res.Apps))
	en, fr := l10n.Default(), l10n.For("fr-FR")
	for i, row := range rep.Rows {
		a := res.Apps[i]
		require.Equal(t, a.Name, row.Name)
		require.Equal(t, a.Risk, row.Risk)
		require.Equal(t, a.Record == nil, row.Open == nil)
		if a.Name == "Drifty" {
			require.Equal(t, []attestation.Permission{{Name: "Mail.ReadWrite", Type: attestation.Application}, {Name: "Chat.Read", Type: attestation.Delegated}}, row.Beyond)
			require.Equal(t, []attestation.Permission{{Name: "Calendars.Read", Type: attestation.Delegated}}, row.NeverGranted)
			// The drift lines say it; the findings do not repeat it.
			var got, gotFR []string
			for _, f := range row.Findings {
				got = append(got, cards.FindingText(en, f))
				gotFR = append(gotFR, cards.FindingText(fr, f))
			}
			require.Equal(t, []string{"Broad application permissions granted: Mail.ReadWrite", "Not claimed: SOC 2, ISO 27001, PCI DSS, GDPR, FedRAMP"}, got)
			require.Equal(t, []string{"Autorisations d'application étendues accordées : Mail.ReadWrite", "Non déclaré : SOC 2, ISO 27001, PCI DSS, RGPD, FedRAMP"}, gotFR)
			require.Empty(t, row.Reasons)
			require.Equal(t, "drifty", row.Open.Slug)
			require.NoError(t, row.Open.Validate())
		}
	}
}

// TestExplain is the command line's English: every finding, drift
// included, most serious first.
func TestExplain(t *testing.T) {
	res := audit.SmallResult()
	en := l10n.Default()
	res.Explain(func(f audit.Finding) string { return cards.FindingText(en, f) })
	require.Equal(t, []string{
		"Broad application permissions granted: Mail.ReadWrite",
		"2 permissions granted beyond the attestation: Mail.ReadWrite (application), Chat.Read (delegated)",
		"Not claimed: SOC 2, ISO 27001, PCI DSS, GDPR, FedRAMP",
		"1 attested permission never granted: Calendars.Read",
	}, byName(res, "Drifty").Reasons)
	require.Equal(t, []string{
		"Requests broad application permissions (not granted here): Files.ReadWrite.All",
		"Not claimed: HIPAA, SOC 2, ISO 27001, PCI DSS, GDPR, FedRAMP",
		"Not consented in this tenant: no service principal",
	}, byName(res, "Unconsented").Reasons)
	for _, a := range res.Apps {
		require.Len(t, a.Reasons, len(a.Findings), a.Name)
	}
}

func TestReport_Empty(t *testing.T) {
	rep := cards.NewAuditReport(&audit.Result{TenantID: "contoso"})
	require.Empty(t, rep.Rows)
	_, err := cards.Encode(cards.New().Audit(rep, 0))
	require.NoError(t, err)
}

// TestReport_OldCache is an audit cached before findings were kept: its
// English reasons show, less the drift the drift lines say.
func TestReport_OldCache(t *testing.T) {
	res := &audit.Result{TenantID: "contoso", Apps: []audit.App{{Name: "Old", Risk: 9, Reasons: []string{
		"Broad application permissions granted: Mail.ReadWrite",
		"2 permissions granted beyond the attestation: Mail.ReadWrite (application), Chat.Read (delegated)",
		"1 attested permission never granted: Calendars.Read",
	}}}}
	rep := cards.NewAuditReport(res)
	require.Equal(t, []string{"Broad application permissions granted: Mail.ReadWrite"}, rep.Rows[0].Reasons)
}

func TestReport_EntraApp(t *testing.T) {
	res := &audit.Result{TenantID: "contoso", GeneratedAt: audit.TestNow, Summary: audit.Summary{Apps: 1, NoRecord: 1},
		Apps: []audit.App{{Name: "Lone Daemon", Distribution: audit.DistributionEntra, Risk: audit.RiskNoRecord,
			Findings: []audit.Finding{{ID: audit.FindingNoRecord}}}}}
	raw, err := cards.Encode(cards.New().Audit(cards.NewAuditReport(res), 0))
	require.NoError(t, err)
	require.Contains(t, string(raw), "Entra app, not in the Teams catalog")
}

// FuzzEvaluate audits a tenant built from arbitrary catalog fields, grant
// names and record permissions: no panic, every app accounted for once,
// scores never negative, apps ranked, and the card within budget.
func FuzzEvaluate(f *testing.F) {
	f.Add("aaaaaaaa-0000-4000-8000-000000000001", "store", "Mail.ReadWrite", "application", "User.Read", "delegated", "11111111-1111-4111-8111-111111111111")
	f.Add("AAAAAAAA-0000-4000-8000-000000000001", "organization", "openid", "delegated", "", "both", "")
	f.Add("not-a-guid", "sideloaded", "(default access)", "", "Mail.Send", "", "11111111-1111-4111-8111-11111111111")
	f.Add("", "", "", "", "", "", "")
	f.Fuzz(func(t *testing.T, teamsID, dist, grantName, grantType, attested, attestedType, entra string) {
		res, apps := audit.AuditArbitrary(teamsID, dist, grantName, grantType, attested, attestedType, entra)
		require.Len(t, res.Apps, apps)
		sum := res.Summary
		require.Equal(t, apps, sum.Certified+sum.Attested+sum.NoRecord)
		for _, a := range res.Apps {
			require.GreaterOrEqual(t, a.Risk, 0)
		}
		require.True(t, slices.IsSortedFunc(res.Apps, func(x, y audit.App) int { return y.Risk - x.Risk }))
		_, err := cards.Encode(cards.New().Audit(cards.NewAuditReport(res), 0))
		require.NoError(t, err)
	})
}

// BenchmarkAuditCompute is the audit's own work for a tenant of 1,000
// catalog apps (800 with records, 686 consented service principals): the
// join of the organization apps with the record index, the apps reached
// through the service principals' grants with their store entries, the
// drift, the ranking, the report and the first page of the card, encoded. Graph is not involved (see graphclient's
// BenchmarkAuditFetchBatch for the calls).
func BenchmarkAuditCompute(b *testing.B) {
	tenant := audit.NewBenchTenant(1000)
	builder := cards.New(cards.WithClock(func() time.Time { return audit.TestNow }))
	b.ReportAllocs()
	cpu := benchcpu.Start()
	b.ResetTimer()
	for b.Loop() {
		res, err := tenant.Audit()
		if err != nil {
			b.Fatal(err)
		}
		raw, err := cards.Encode(builder.Audit(cards.NewAuditReport(res), 0))
		if err != nil || len(raw) == 0 {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	cpu.Report(b, b.N, time.Millisecond)
}
