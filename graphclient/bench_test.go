package graphclient_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/graphclient"
	"github.com/attestbot/attestbot/graphclient/graphtest"
	"github.com/attestbot/attestbot/internal/benchcpu"
)

// BenchmarkAuditFetch is the audit's Graph side for a tenant with 1,000
// catalog apps and 1,000 service principals with grants: list the catalog,
// then look the service principals up and resolve their permissions. A
// new Client per iteration (the token stays cached in the credential), so
// each iteration pays the Graph service principal fetch too. CPU includes
// the in-process fake's work.
func BenchmarkAuditFetch(b *testing.B) {
	const n = 1000
	srv := graphtest.New(b)
	srv.SetRecording(false)
	gen := graphtest.GenerateTenant(srv, "contoso", n)
	cred, err := graphclient.NewAppCredential(graphclient.AppCredentialConfig{ClientID: testClientID, ClientSecret: testSecret,
		HomeTenantID: homeTenant, LoginURL: srv.LoginURL(), Scope: srv.GraphURL() + "/.default"}, graphclient.CredentialOptions{HTTPClient: srv.Client()})
	require.NoError(b, err)
	ctx := b.Context()
	srv.ResetRequests()
	cpu := benchcpu.Start()
	b.ResetTimer()
	for b.Loop() {
		client, err := graphclient.New(graphclient.Config{GraphURL: srv.GraphURL(), HTTPClient: srv.Client(), Concurrency: 8}, cred)
		require.NoError(b, err)
		apps, err := client.ListCatalogApps(ctx, "contoso")
		require.NoError(b, err)
		require.Len(b, apps, n)
		sps, err := client.ServicePrincipalsWithPermissions(ctx, "contoso", gen.AppIDs)
		require.NoError(b, err)
		require.Len(b, sps, n)
	}
	b.StopTimer()
	calls, tokens := srv.Counts()
	b.ReportMetric(float64(calls)/float64(b.N), "graph-calls/op")
	b.ReportMetric(float64(tokens)/float64(b.N), "token-calls/op")
	cpu.Report(b, b.N, time.Millisecond)
}

// BenchmarkAuditFetchBatch is BenchmarkAuditFetch through
// AuditServicePrincipals: the same 1,000 catalog apps and 1,000 service
// principals, with the Entra side sent as JSON batches. graph-calls/op
// counts HTTP calls (a batch is one); batched/op the requests inside them.
func BenchmarkAuditFetchBatch(b *testing.B) {
	const n = 1000
	srv := graphtest.New(b)
	srv.SetRecording(false)
	gen := graphtest.GenerateTenant(srv, "contoso", n)
	cred, err := graphclient.NewAppCredential(graphclient.AppCredentialConfig{ClientID: testClientID, ClientSecret: testSecret,
		HomeTenantID: homeTenant, LoginURL: srv.LoginURL(), Scope: srv.GraphURL() + "/.default"}, graphclient.CredentialOptions{HTTPClient: srv.Client()})
	require.NoError(b, err)
	ctx := b.Context()
	srv.ResetRequests()
	cpu := benchcpu.Start()
	b.ResetTimer()
	for b.Loop() {
		client, err := graphclient.New(graphclient.Config{GraphURL: srv.GraphURL(), HTTPClient: srv.Client(), Concurrency: 4}, cred)
		require.NoError(b, err)
		apps, err := client.ListCatalogApps(ctx, "contoso")
		require.NoError(b, err)
		require.Len(b, apps, n)
		sps, err := client.AuditServicePrincipals(ctx, "contoso", gen.AppIDs)
		require.NoError(b, err)
		require.Len(b, sps, n)
	}
	b.StopTimer()
	calls, tokens := srv.Counts()
	b.ReportMetric(float64(calls)/float64(b.N), "graph-calls/op")
	b.ReportMetric(float64(srv.BatchedRequests())/float64(b.N), "batched/op")
	b.ReportMetric(float64(tokens)/float64(b.N), "token-calls/op")
	cpu.Report(b, b.N, time.Millisecond)
}
