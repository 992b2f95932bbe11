package app

import (
	"fmt"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/audit"
	"github.com/attestbot/attestbot/cards"
	"github.com/attestbot/attestbot/chat"
	"github.com/attestbot/attestbot/graphclient"
	"github.com/attestbot/attestbot/graphclient/graphtest"
	"github.com/attestbot/attestbot/internal/benchcpu"
	"github.com/attestbot/attestbot/sample"
)

// generatedRecords writes a record for each app of a generated tenant:
// every app attests what GenerateTenant granted it, except that one app
// in four leaves its first delegated scope out (granted beyond the
// attestation) and one in six attests Sites.Read.All as an application
// permission it is never granted. One app in three is certified.
func generatedRecords(s *graphtest.Server, tenantID string, gen graphtest.Generated) []*attestation.Record {
	var recs []*attestation.Record
	for i, app := range s.Tenant(tenantID).CatalogApps() {
		if i >= len(gen.AppIDs) {
			break
		}
		appID := gen.AppIDs[i]
		teamsID := app.ExternalID
		if app.DistributionMethod == "store" {
			teamsID = app.ID
		}
		var perms []attestation.Permission
		for k, p := range gen.Delegated[appID] {
			if i%4 == 0 && k == 0 {
				continue
			}
			perms = append(perms, attestation.Permission{Name: p, Type: attestation.Delegated, EntraAppID: appID})
		}
		for _, p := range gen.Application[appID] {
			perms = append(perms, attestation.Permission{Name: p, Type: attestation.Application, EntraAppID: appID})
		}
		if i%6 == 0 {
			perms = append(perms, attestation.Permission{Name: "Sites.Read.All", Type: attestation.Application, EntraAppID: appID})
		}
		cert := attestation.Attested
		if i%3 == 0 {
			cert = attestation.Certified
		}
		slug := fmt.Sprintf("gen-%04d", i)
		recs = append(recs, &attestation.Record{Slug: slug, Kind: "teams", Type: attestation.PageApp, Locale: "en-US",
			Path: "Apps/teams/" + slug + ".md", Name: app.DisplayName, TeamsAppID: teamsID, Publisher: "Publisher " + slug,
			Certification: cert, Permissions: perms})
	}
	return recs
}

// newTestAuditor builds the audit service over a fake Graph as serve
// would: graphclient with the app credential, through newAuditGraph.
func newTestAuditor(t testing.TB, s *graphtest.Server, recs []*attestation.Record) *audit.Service {
	t.Helper()
	cred, err := graphclient.NewAppCredential(graphclient.AppCredentialConfig{ClientID: testAppID, ClientSecret: "not-a-real-secret",
		HomeTenantID: testTenant, LoginURL: s.LoginURL(), Scope: s.GraphURL() + "/.default"}, graphclient.CredentialOptions{HTTPClient: s.Client()})
	require.NoError(t, err)
	gc, err := graphclient.New(graphclient.Config{GraphURL: s.GraphURL(), HTTPClient: s.Client(), Concurrency: 4}, cred)
	require.NoError(t, err)
	cat := chat.NewCatalog(sample.Records(recs))
	_, err = cat.Reload(t.Context())
	require.NoError(t, err)
	return audit.New(NewAuditGraph(gc), cat, audit.WithLogger(slog.New(slog.DiscardHandler)))
}

func TestAudit_GeneratedTenant(t *testing.T) {
	const n = 400
	s := graphtest.New(t)
	gen := graphtest.GenerateTenant(s, testTenant, n)
	svc := newTestAuditor(t, s, generatedRecords(s, testTenant, gen))

	res, err := svc.Audit(t.Context(), testTenant, false)
	require.NoError(t, err)
	require.Equal(t, n, res.Summary.Apps)
	require.Zero(t, res.Summary.NoRecord)
	require.Equal(t, n, res.Summary.ServicePrincipals)
	require.Equal(t, (n+2)/3, res.Summary.Certified)
	require.Equal(t, n/5, res.Summary.ByDistribution["store"])
	oidc := map[string]bool{"openid": true, "profile": true, "email": true, "offline_access": true}
	for _, a := range res.Apps {
		var i int
		_, err := fmt.Sscanf(a.Record.Slug, "gen-%04d", &i)
		require.NoError(t, err)
		appID := gen.AppIDs[i]
		require.Equal(t, audit.ConsentGranted, a.Consent, a.Name)
		var wantBeyond, gotBeyond, wantNever, gotNever []string
		if first := gen.Delegated[appID][0]; i%4 == 0 && !oidc[first] {
			wantBeyond = append(wantBeyond, first)
		}
		if i%6 == 0 && !slices.Contains(gen.Application[appID], "Sites.Read.All") {
			wantNever = append(wantNever, "Sites.Read.All")
		}
		for _, g := range a.Drift.Beyond {
			gotBeyond = append(gotBeyond, g.Name)
		}
		for _, p := range a.Drift.NeverGranted {
			gotNever = append(gotNever, p.Name)
		}
		require.Equal(t, wantBeyond, gotBeyond, "beyond of %s", a.Name)
		require.Equal(t, wantNever, gotNever, "never granted of %s", a.Name)
	}
	require.True(t, slices.IsSortedFunc(res.Apps, func(x, y audit.App) int { return y.Risk - x.Risk }))

	// The card of the first page and the tenant's app refs.
	refs, err := svc.TenantApps(t.Context(), testTenant)
	require.NoError(t, err)
	require.Len(t, refs, n)
	calls, _ := s.Counts()
	// 4 pages of organization apps (320) + 4 batches for the service
	// principals and the 4 pages of delegated grants + 20 batches of app
	// role assignments (400) + 1 for the Graph resource + 4 batches of
	// store lookups (80 store apps in use); TenantApps came from the cache.
	require.Equal(t, 4+4+20+1+4, calls)
}

// BenchmarkAudit1000 is a whole audit of a tenant of 1,000 catalog apps
// (800 organization, 200 store) and 1,000 service principals holding
// grants through the fake Graph over TLS: organization app pages, the
// batched service principal, grant and assignment reads, the store
// lookups, join, drift, ranking and the first page of the card. graph-calls/op counts HTTP calls to Graph (a
// batch is one); cpu-ms/op includes the in-process fake and TLS.
func BenchmarkAudit1000(b *testing.B) {
	const n = 1000
	s := graphtest.New(b)
	s.SetRecording(false)
	gen := graphtest.GenerateTenant(s, testTenant, n)
	recs := generatedRecords(s, testTenant, gen)
	svc := newTestAuditor(b, s, recs)
	s.ResetRequests()
	cpu := benchcpu.Start()
	b.ResetTimer()
	for b.Loop() {
		res, err := svc.Audit(b.Context(), testTenant, true)
		require.NoError(b, err)
		rep := cards.NewAuditReport(res)
		require.Equal(b, n, rep.Apps)
		svc.Forget(testTenant)
	}
	b.StopTimer()
	calls, _ := s.Counts()
	b.ReportMetric(float64(calls)/float64(b.N), "graph-calls/op")
	b.ReportMetric(float64(s.BatchedRequests())/float64(b.N), "batched/op")
	cpu.Report(b, b.N, time.Millisecond)
}
