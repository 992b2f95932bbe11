package outbound

import (
	"crypto/x509"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/stretchr/testify/require"
)

func tlsServer(t *testing.T, h2 bool) (*httptest.Server, *x509.CertPool) {
	t.Helper()
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		_, _ = io.WriteString(w, r.Proto)
	}))
	srv.EnableHTTP2 = h2
	srv.StartTLS()
	t.Cleanup(srv.Close)
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	return srv, pool
}

// burst runs rounds of workers concurrent POSTs and returns the protocols seen.
func burst(t *testing.T, c *http.Client, url string, workers, rounds int) map[string]int {
	t.Helper()
	var mu sync.Mutex
	protos := map[string]int{}
	for range rounds {
		var wg sync.WaitGroup
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				resp, err := c.Post(url, "application/json", strings.NewReader(`{"type":"message"}`))
				if err != nil {
					t.Error(err)
					return
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				mu.Lock()
				protos[string(b)]++
				mu.Unlock()
			}()
		}
		wg.Wait()
	}
	return protos
}

func TestClientReusesConnections(t *testing.T) {
	const workers, rounds = 16, 20
	tests := []struct {
		name      string
		h2        bool
		proto     string
		maxOpened uint64
	}{
		// HTTP/1.1: about one connection per concurrent caller, kept idle
		// between rounds (the default transport keeps 2 and reopens the
		// rest: hundreds here). A dial that loses the race to a freed
		// connection joins the pool, hence the margin.
		{name: "http1", h2: false, proto: "HTTP/1.1", maxOpened: 2 * workers},
		// HTTP/2: once a connection is up, every caller shares it.
		{name: "http2", h2: true, proto: "HTTP/2.0", maxOpened: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, pool := tlsServer(t, tt.h2)
			stats := NewStats()
			c := NewClient(Options{Class: Connector, IdlePerHost: workers, RootCAs: pool, Stats: stats})
			burst(t, c, srv.URL, 1, 1) // the first connection
			protos := burst(t, c, srv.URL, workers, rounds)
			require.Equal(t, map[string]int{tt.proto: workers * rounds}, protos)
			opened := stats.Opened(Connector)
			require.NotZero(t, opened)
			require.LessOrEqual(t, opened, tt.maxOpened, "connections opened for %d requests", workers*rounds)
			require.Zero(t, stats.Opened(Graph))
			require.NotZero(t, stats.Open(Connector), "idle connections stay open")
			require.LessOrEqual(t, stats.Open(Connector), int64(workers), "the idle pool is bounded")
			c.CloseIdleConnections()
			require.Zero(t, stats.Open(Connector))
		})
	}
}

func TestStatsCollector(t *testing.T) {
	srv, pool := tlsServer(t, false)
	stats := NewStats()
	c := NewClient(Options{Class: Graph, RootCAs: pool, Stats: stats})
	burst(t, c, srv.URL, 1, 3)
	reg := prometheus.NewRegistry()
	require.NoError(t, reg.Register(stats))
	want := `
# HELP attestbot_outbound_connections_opened_total Outbound TCP connections opened, by destination class (connector, entra, openid, graph).
# TYPE attestbot_outbound_connections_opened_total counter
attestbot_outbound_connections_opened_total{class="connector"} 0
attestbot_outbound_connections_opened_total{class="entra"} 0
attestbot_outbound_connections_opened_total{class="graph"} 1
attestbot_outbound_connections_opened_total{class="openid"} 0
`
	require.NoError(t, testutil.GatherAndCompare(reg, strings.NewReader(want), "attestbot_outbound_connections_opened_total"))
}

func TestUntrustedServerRefused(t *testing.T) {
	srv, _ := tlsServer(t, false)
	c := NewClient(Options{Class: Entra, RootCAs: x509.NewCertPool(), Stats: NewStats()})
	_, err := c.Get(srv.URL)
	require.ErrorContains(t, err, "certificate")
}
