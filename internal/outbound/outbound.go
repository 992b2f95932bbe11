// Package outbound builds the HTTP clients attestbot calls other services
// with: one tuned transport per destination class (the Bot Connector, Entra
// token endpoints, the Bot Framework OpenID metadata, Microsoft Graph), with
// keep-alive pools sized for the number of concurrent callers, HTTP/2 when
// the server offers it, bounded timeouts, and a count of the connections each
// class opens, exported to Prometheus so a regression shows on /metrics.
package outbound

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Class names a destination class; it is the "class" label of the metrics.
type Class string

// The destination classes.
const (
	// Connector is the Bot Connector service (replies, proactive messages).
	Connector Class = "connector"
	// Entra is the identity provider: MSAL token requests, tenant metadata,
	// the managed identity endpoint.
	Entra Class = "entra"
	// OpenID is the Bot Framework OpenID metadata and its signing keys.
	OpenID Class = "openid"
	// Graph is Microsoft Graph.
	Graph Class = "graph"
)

// Classes lists every class, in the order the metrics show them.
var Classes = []Class{Connector, Entra, OpenID, Graph}

// Defaults of [Options].
const (
	DefaultIdlePerHost    = 64
	DefaultTimeout        = 30 * time.Second
	DefaultDialTimeout    = 10 * time.Second
	DefaultTLSTimeout     = 10 * time.Second
	DefaultIdleTimeout    = 90 * time.Second
	DefaultHeaderTimeout  = 30 * time.Second
	defaultSessionEntries = 64
)

// Options tune one client.
type Options struct {
	// Class is the destination class (required: it labels the metrics).
	Class Class
	// IdlePerHost is the number of idle keep-alive connections kept per host
	// (MaxIdleConnsPerHost): size it for the callers that run at once, or
	// every caller beyond it opens a new TLS connection. Default
	// DefaultIdlePerHost.
	IdlePerHost int
	// Timeout bounds a whole request, answer included (default
	// DefaultTimeout; negative: none, for callers that bound each call with
	// their context).
	Timeout time.Duration
	// RootCAs is the trust pool (nil: the system pool, which honours
	// SSL_CERT_FILE).
	RootCAs *x509.CertPool
	// Stats receives the connection counts (nil: [Default]).
	Stats *Stats
}

// NewTransport returns a transport for o.Class. HTTP/2 is attempted even
// though the TLS configuration is custom; the proxy comes from the
// environment (HTTPS_PROXY, NO_PROXY) as with the default transport.
func NewTransport(o Options) *http.Transport {
	if o.IdlePerHost <= 0 {
		o.IdlePerHost = DefaultIdlePerHost
	}
	stats := o.Stats
	if stats == nil {
		stats = Default
	}
	counter := stats.class(o.Class)
	d := &net.Dialer{Timeout: DefaultDialTimeout, KeepAlive: 30 * time.Second}
	return &http.Transport{
		Proxy: http.ProxyFromEnvironment,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := d.DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			counter.opened.Add(1)
			counter.open.Add(1)
			return &countedConn{Conn: c, open: &counter.open}, nil
		},
		TLSClientConfig: &tls.Config{
			MinVersion: tls.VersionTLS12,
			RootCAs:    o.RootCAs,
			// Resume sessions when a connection must be reopened anyway.
			ClientSessionCache: tls.NewLRUClientSessionCache(defaultSessionEntries),
		},
		ForceAttemptHTTP2:     true,
		WriteBufferSize:       writeBufferSize(o.Class),
		MaxIdleConns:          4 * o.IdlePerHost,
		MaxIdleConnsPerHost:   o.IdlePerHost,
		IdleConnTimeout:       DefaultIdleTimeout,
		TLSHandshakeTimeout:   DefaultTLSTimeout,
		ResponseHeaderTimeout: DefaultHeaderTimeout,
		ExpectContinueTimeout: time.Second,
	}
}

// connectorWriteBuffer holds a whole reply: Teams refuses messages over about
// 28 KB, so request line, headers and card leave in one write (one TLS
// record burst) instead of a 4 KiB flush followed by the rest of the body.
const connectorWriteBuffer = 32 << 10

// writeBufferSize is the transport's write buffer for class c (0: the
// default, 4 KiB).
func writeBufferSize(c Class) int {
	if c == Connector {
		return connectorWriteBuffer
	}
	return 0
}

// NewClient returns an HTTP client over [NewTransport].
func NewClient(o Options) *http.Client {
	t := o.Timeout
	switch {
	case t == 0:
		t = DefaultTimeout
	case t < 0:
		t = 0
	}
	return &http.Client{Transport: NewTransport(o), Timeout: t}
}

// countedConn lowers the open-connection gauge once when closed.
type countedConn struct {
	net.Conn
	open   *atomic.Int64
	closed atomic.Bool
}

func (c *countedConn) Close() error {
	if c.closed.CompareAndSwap(false, true) {
		c.open.Add(-1)
	}
	return c.Conn.Close()
}

// classCounts are the counters of one class.
type classCounts struct {
	opened atomic.Uint64
	open   atomic.Int64
}

// Stats counts the connections opened per class. It is safe for concurrent
// use.
type Stats struct {
	mu      sync.Mutex
	classes map[Class]*classCounts
}

// Default is the Stats the clients of the process share.
var Default = NewStats()

// NewStats returns empty counters (tests use their own).
func NewStats() *Stats {
	s := &Stats{classes: map[Class]*classCounts{}}
	for _, c := range Classes {
		s.classes[c] = &classCounts{}
	}
	return s
}

func (s *Stats) class(c Class) *classCounts {
	s.mu.Lock()
	defer s.mu.Unlock()
	cc, ok := s.classes[c]
	if !ok {
		cc = &classCounts{}
		s.classes[c] = cc
	}
	return cc
}

// Opened returns the number of connections class c has opened.
func (s *Stats) Opened(c Class) uint64 { return s.class(c).opened.Load() }

// Open returns the number of connections of class c open now.
func (s *Stats) Open(c Class) int64 { return s.class(c).open.Load() }

var (
	openedDesc = prometheus.NewDesc("attestbot_outbound_connections_opened_total",
		"Outbound TCP connections opened, by destination class (connector, entra, openid, graph).", []string{"class"}, nil)
	openDesc = prometheus.NewDesc("attestbot_outbound_connections_open",
		"Outbound TCP connections open now, by destination class.", []string{"class"}, nil)
)

// Describe implements prometheus.Collector.
func (s *Stats) Describe(ch chan<- *prometheus.Desc) {
	ch <- openedDesc
	ch <- openDesc
}

// Collect implements prometheus.Collector.
func (s *Stats) Collect(ch chan<- prometheus.Metric) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c, cc := range s.classes {
		ch <- prometheus.MustNewConstMetric(openedDesc, prometheus.CounterValue, float64(cc.opened.Load()), string(c))
		ch <- prometheus.MustNewConstMetric(openDesc, prometheus.GaugeValue, float64(cc.open.Load()), string(c))
	}
}
