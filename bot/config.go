package bot

import (
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/attestbot/attestbot/bot/connector"
)

// Defaults of Config.
const (
	DefaultListenAddr        = "127.0.0.1:3978"
	DefaultMaxBodyBytes      = 256 << 10
	DefaultReadHeaderTimeout = 5 * time.Second
	DefaultReadTimeout       = 15 * time.Second
	DefaultWriteTimeout      = 15 * time.Second
	DefaultIdleTimeout       = 120 * time.Second
	DefaultShutdownTimeout   = 30 * time.Second
	DefaultInvokeTimeout     = 4500 * time.Millisecond
	DefaultTurnTimeout       = 60 * time.Second
	DefaultWorkers           = 64
	DefaultDedupTTL          = time.Hour
	DefaultMaxInFlight       = 256
	DefaultMaxConnections    = 2048
)

// Config configures a Bot. Zero fields take the documented defaults.
type Config struct {
	// AppID is the bot's Microsoft App ID (MicrosoftAppId / BOT_ID). Empty
	// means local mode: inbound auth off, loopback listen address only,
	// loopback serviceUrls only. Set, it requires an Authenticator.
	AppID string
	// ListenAddr is the host:port Run listens on. Default "127.0.0.1:3978".
	ListenAddr string
	// MaxBodyBytes bounds the body of POST /api/messages; larger gets 413.
	// Default 256 KiB.
	MaxBodyBytes int64
	// ReadHeaderTimeout, ReadTimeout, WriteTimeout and IdleTimeout are the
	// http.Server timeouts. Defaults 5s, 15s, 15s, 120s.
	ReadHeaderTimeout time.Duration
	ReadTimeout       time.Duration
	WriteTimeout      time.Duration
	IdleTimeout       time.Duration
	// ShutdownTimeout bounds the drain of in-flight requests and turns when
	// Run's ctx is cancelled; after it, running turns see their ctx
	// cancelled. Default 30s.
	ShutdownTimeout time.Duration
	// InvokeTimeout is the budget of an invoke handler (Teams waits 5 s).
	// Default 4.5s.
	InvokeTimeout time.Duration
	// TurnTimeout bounds an asynchronous (non-invoke) turn. Default 60s.
	TurnTimeout time.Duration
	// Workers is the number of asynchronous turns run at once; further
	// activities wait for a free worker before being acknowledged. A turn
	// mostly waits for the Bot Connector, so this bounds the replies in
	// flight (16 capped a load of 32 conversations at 16). Default 64.
	Workers int
	// MaxInFlight bounds the requests to /api/messages served at once
	// (each may hold a body of up to MaxBodyBytes); past it a request gets
	// 503 with Retry-After. Default 256.
	MaxInFlight int
	// MaxConnections bounds the open connections; further clients wait to
	// be accepted. Default 2048.
	MaxConnections int
	// DedupTTL is how long an activity id is remembered to drop
	// redeliveries. Default 1h.
	DedupTTL time.Duration
	// AllowedTenants lists the Entra tenant ids served; empty serves all.
	// Invokes from other tenants get 403, their other activities are ignored.
	AllowedTenants []string
	// TrustedServiceURLs are Bot Connector base URLs always trusted (https).
	// Nil means connector.DefaultTrustedServiceURLs; ignored in local mode.
	TrustedServiceURLs []string
	// ServiceURLTTL is how long a serviceUrl seen on an authenticated
	// activity stays trusted. Default 24h.
	ServiceURLTTL time.Duration
}

// LocalMode reports whether no app ID is configured.
func (c Config) LocalMode() bool { return strings.TrimSpace(c.AppID) == "" }

func (c Config) withDefaults() Config {
	setDur := func(d *time.Duration, def time.Duration) {
		if *d <= 0 {
			*d = def
		}
	}
	if c.ListenAddr == "" {
		c.ListenAddr = DefaultListenAddr
	}
	if c.MaxBodyBytes <= 0 {
		c.MaxBodyBytes = DefaultMaxBodyBytes
	}
	setDur(&c.ReadHeaderTimeout, DefaultReadHeaderTimeout)
	setDur(&c.ReadTimeout, DefaultReadTimeout)
	setDur(&c.WriteTimeout, DefaultWriteTimeout)
	setDur(&c.IdleTimeout, DefaultIdleTimeout)
	setDur(&c.ShutdownTimeout, DefaultShutdownTimeout)
	setDur(&c.InvokeTimeout, DefaultInvokeTimeout)
	setDur(&c.TurnTimeout, DefaultTurnTimeout)
	setDur(&c.DedupTTL, DefaultDedupTTL)
	setDur(&c.ServiceURLTTL, connector.DefaultTrustTTL)
	if c.Workers <= 0 {
		c.Workers = DefaultWorkers
	}
	if c.MaxInFlight <= 0 {
		c.MaxInFlight = DefaultMaxInFlight
	}
	if c.MaxConnections <= 0 {
		c.MaxConnections = DefaultMaxConnections
	}
	if c.TrustedServiceURLs == nil {
		c.TrustedServiceURLs = connector.DefaultTrustedServiceURLs
	}
	return c
}

// ErrLocalModeNotLoopback is returned when local mode (no app ID) would
// listen on a non-loopback address.
var ErrLocalModeNotLoopback = errors.New("local mode (no app id, inbound auth off) only listens on a loopback address")

// checkLocalListenAddr accepts host:port whose host is localhost or a
// loopback IP; an empty host (all interfaces) is refused.
func checkLocalListenAddr(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("listen address %q: %w", addr, err)
	}
	if !isLoopbackHost(host) {
		return fmt.Errorf("%w: %q; listen on 127.0.0.1 or set MicrosoftAppId", ErrLocalModeNotLoopback, addr)
	}
	return nil
}

func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
