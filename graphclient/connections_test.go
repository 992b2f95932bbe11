package graphclient_test

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/graphclient"
	"github.com/attestbot/attestbot/graphclient/graphtest"
	"github.com/attestbot/attestbot/internal/outbound"
)

// TestConnectionsReused drives bulk activity-feed sends and audit batches
// from several goroutines at once through the tuned outbound clients (as
// serve builds them) and counts the TCP connections the fake Graph
// accepted: the callers reuse keep-alive connections instead of opening one
// per request.
func TestConnectionsReused(t *testing.T) {
	const workers, rounds = 8, 4
	srv := graphtest.New(t)
	srv.SetClientSecret(testClientID, testSecret)
	srv.SetRecording(false)
	gen := graphtest.GenerateTenant(srv, "contoso", 300)
	stats := outbound.NewStats()
	entra := outbound.NewClient(outbound.Options{Class: outbound.Entra, IdlePerHost: 8, RootCAs: srv.CertPool(), Stats: stats})
	graph := outbound.NewClient(outbound.Options{Class: outbound.Graph, IdlePerHost: 32, RootCAs: srv.CertPool(), Stats: stats, Timeout: -1})
	cred, err := graphclient.NewAppCredential(graphclient.AppCredentialConfig{
		ClientID: testClientID, ClientSecret: testSecret, HomeTenantID: homeTenant,
		LoginURL: srv.LoginURL(), Scope: srv.GraphURL() + "/.default",
	}, graphclient.CredentialOptions{HTTPClient: entra})
	require.NoError(t, err)
	client, err := graphclient.New(graphclient.Config{GraphURL: srv.GraphURL(), HTTPClient: graph, BulkInterval: -1}, cred)
	require.NoError(t, err)

	var wg sync.WaitGroup
	errs := make(chan error, 2*workers*rounds)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range rounds {
				// 250 recipients: three bulk requests.
				errs <- client.SendActivityNotificationToRecipients(t.Context(), "contoso", userIDs(250), docBulkNotification())
				if w%2 == 0 {
					// 300 apps: 32 $batch requests and one plain call.
					_, err := client.AuditServicePrincipals(t.Context(), "contoso", gen.AppIDs)
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	graphCalls, tokenCalls := srv.Counts()
	// 8×4 bulk sends of 3 requests, 4×4 audits of about 30 $batch
	// requests each (lookups already answered are not asked again).
	require.GreaterOrEqual(t, graphCalls, workers*rounds*3+workers/2*rounds*30)
	require.Positive(t, tokenCalls)

	// About one connection per concurrent Graph request (8 senders, 4
	// audits running graphclient.DefaultConcurrency batches each: 24), with
	// room for dials that lose the race to a freed connection: far below
	// one per request (about 600).
	opened := stats.Opened(outbound.Graph)
	t.Logf("%d graph requests, %d token requests: %d graph and %d entra connections", graphCalls, tokenCalls,
		opened, stats.Opened(outbound.Entra))
	maxGraph := uint64(2 * (workers + workers/2*graphclient.DefaultConcurrency))
	require.Positive(t, opened)
	require.LessOrEqual(t, opened, maxGraph, "graph connections for %d requests", graphCalls)
	require.LessOrEqual(t, stats.Opened(outbound.Entra), uint64(tokenCalls))
	require.Equal(t, int(opened+stats.Opened(outbound.Entra)), srv.Connections(), "the server saw the same connections")

	// A second wave finds the idle connections.
	before := srv.Connections()
	for range 5 {
		require.NoError(t, client.SendActivityNotificationToRecipients(t.Context(), "contoso", userIDs(250), docBulkNotification()))
	}
	require.Equal(t, before, srv.Connections(), "sequential sends open no connection")
}
