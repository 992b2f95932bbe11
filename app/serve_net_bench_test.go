package app

import (
	"bytes"
	"context"
	"crypto/x509"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/bot/auth/authtest"
	"github.com/attestbot/attestbot/internal/benchcpu"
	"github.com/attestbot/attestbot/internal/config"
	"github.com/attestbot/attestbot/internal/outbound"
)

// The Network benchmarks run a turn the way the harness does, in one
// process: the activity posted over a loopback connection to the bot's
// HTTP server, the reply posted over TLS to a Bot Connector on loopback,
// both connections kept alive. What BenchmarkServeTurn leaves out (the
// HTTP client and server, TLS, the transport's buffers) is in; process CPU
// a turn counts both ends, so read the two bots' figures side by side.

// BenchmarkServeTurnNetwork is BenchmarkServeTurn over the network.
func BenchmarkServeTurnNetwork(b *testing.B) {
	idp := authtest.NewServer(b)
	conn, client := netConnector(b)
	h := benchBotWith(b, idp, sampleCatalog(b), config.DefaultCardCache, client)
	postTurnsNet(b, h, idp.AuthorizationHeader(b, benchAppID, benchServiceURL), conn)
}

// BenchmarkServeTurnNetworkNoCardCache is BenchmarkServeTurnNoCardCache
// over the network.
func BenchmarkServeTurnNetworkNoCardCache(b *testing.B) {
	idp := authtest.NewServer(b)
	conn, client := netConnector(b)
	h := benchBotWith(b, idp, sampleCatalog(b), 0, client)
	postTurnsNet(b, h, idp.AuthorizationHeader(b, benchAppID, benchServiceURL), conn)
}

// BenchmarkBareEchoJWTNetwork is BenchmarkBareEchoJWT over the network,
// its replies through the same transport as attestbot's.
func BenchmarkBareEchoJWTNetwork(b *testing.B) {
	idp := authtest.NewServer(b)
	conn, client := netConnector(b)
	postTurnsNet(b, bareEcho(b, client), idp.AuthorizationHeader(b, benchAppID, benchServiceURL), conn)
}

// netConnector starts a TLS Bot Connector on loopback that answers every
// call and signals it, and returns it with a client of the connector class
// that reaches it for any host (the turns' serviceUrl is Teams').
func netConnector(b *testing.B) (<-chan struct{}, *http.Client) {
	b.Helper()
	done := make(chan struct{}, 1)
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		_, _ = io.WriteString(w, `{"id":"1"}`)
		done <- struct{}{}
	}))
	b.Cleanup(srv.Close)
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	tr := outbound.NewTransport(outbound.Options{Class: outbound.Connector, RootCAs: pool, Stats: outbound.NewStats()})
	dial := tr.DialContext
	addr := srv.Listener.Addr().String()
	tr.DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) { return dial(ctx, network, addr) }
	tr.TLSClientConfig.ServerName = "example.com" // in httptest's certificate
	b.Cleanup(tr.CloseIdleConnections)
	return done, &http.Client{Transport: tr, Timeout: 10 * time.Second}
}

// postTurnsNet serves h on loopback, posts "plumm" to it in turn (a fresh
// activity ID each), waits for each reply to reach the connector, and
// reports the process CPU per turn.
func postTurnsNet(b *testing.B, h http.Handler, header string, done <-chan struct{}) {
	b.Helper()
	srv := httptest.NewServer(h)
	b.Cleanup(srv.Close)
	client := srv.Client()
	body, off := benchMessage("plumm")
	b.ReportAllocs()
	cpu := benchcpu.Start()
	n := 0
	for i := 0; b.Loop(); i++ {
		n++
		setBenchID(body, off, i)
		req, err := http.NewRequest(http.MethodPost, srv.URL+"/api/messages", bytes.NewReader(body))
		require.NoError(b, err)
		req.Header.Set("Authorization", header)
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		require.NoError(b, err)
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("status %d", resp.StatusCode)
		}
		<-done
	}
	cpu.Report(b, n, time.Nanosecond)
}
