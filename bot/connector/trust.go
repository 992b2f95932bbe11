package connector

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"sync"
	"time"
)

// ErrUntrustedServiceURL is returned, before any network call, for a
// serviceUrl the bot has no reason to trust.
var ErrUntrustedServiceURL = errors.New("untrusted service url")

// DefaultTrustedServiceURLs are the Bot Connector base URLs of Microsoft
// Teams (public cloud, GCC, GCC High, DoD; botframework.md §2.4). They let
// proactive messages reach stored conversations after a restart, before any
// activity has refreshed the trust set.
var DefaultTrustedServiceURLs = []string{
	"https://smba.trafficmanager.net/",
	"https://smba.infra.gcc.teams.microsoft.com/",
	"https://smba.infra.gov.teams.microsoft.us/",
	"https://smba.infra.dod.teams.microsoft.us/",
}

// DefaultTrustTTL is how long a serviceUrl seen on an authenticated activity
// stays trusted after it was last seen.
const DefaultTrustTTL = 24 * time.Hour

// defaultMaxTrusted bounds the number of recorded serviceUrls.
const defaultMaxTrusted = 10000

// TrustConfig configures a TrustedURLs set.
type TrustConfig struct {
	// LocalMode trusts loopback serviceUrls (http or https on localhost,
	// 127.0.0.0/8 or ::1) and nothing else; Record and Allowlist are ignored.
	// Use it only when inbound auth is off (no app ID).
	LocalMode bool
	// Allowlist holds base URLs that are always trusted (https only). A
	// serviceUrl is allowed when scheme and host match an entry exactly and
	// its path starts with the entry's path. Default: none (pass
	// DefaultTrustedServiceURLs for Teams).
	Allowlist []string
	// TTL is how long a recorded serviceUrl stays trusted after it was last
	// recorded. Default DefaultTrustTTL.
	TTL time.Duration
	// MaxEntries bounds the recorded set; expired entries are purged first,
	// then the oldest. Default 10000.
	MaxEntries int
	// Now is the clock. Default time.Now.
	Now func() time.Time
}

// TrustedURLs is the set of serviceUrls the connector may call. It is safe
// for concurrent use.
type TrustedURLs struct {
	local    bool
	allow    []allowEntry
	ttl      time.Duration
	max      int
	now      func() time.Time
	mu       sync.Mutex
	recorded map[string]time.Time // normalized base URL → expiry
	// seen remembers what a serviceUrl string parses to: Teams sends a few
	// serviceUrls, each on every activity and every reply. Bounded by max.
	seen map[string]parsedURL
}

// parsedURL is what the trust rules need of a serviceUrl.
type parsedURL struct {
	err     error  // why it can never be trusted
	https   bool   // scheme is https
	allowed bool   // an allowlist entry covers it
	origin  string // scheme://host[:port], lower case
	key     string // the recorded set's key
}

type allowEntry struct {
	origin string // scheme://host[:port], lower case
	path   string // path prefix, with trailing slash
}

// NewTrustedURLs builds a trust set. An allowlist entry that is not an
// absolute https URL is an error.
func NewTrustedURLs(cfg TrustConfig) (*TrustedURLs, error) {
	t := &TrustedURLs{
		local:    cfg.LocalMode,
		ttl:      cfg.TTL,
		max:      cfg.MaxEntries,
		now:      cfg.Now,
		recorded: map[string]time.Time{},
		seen:     map[string]parsedURL{},
	}
	if t.ttl <= 0 {
		t.ttl = DefaultTrustTTL
	}
	if t.max <= 0 {
		t.max = defaultMaxTrusted
	}
	if t.now == nil {
		t.now = time.Now
	}
	for _, raw := range cfg.Allowlist {
		u, err := parseServiceURL(raw)
		if err != nil {
			return nil, fmt.Errorf("trusted service url allowlist: %w", err)
		}
		if u.Scheme != "https" {
			return nil, fmt.Errorf("trusted service url allowlist: %s: https required", redactURL(raw))
		}
		t.allow = append(t.allow, allowEntry{origin: origin(u), path: dirPath(u)})
	}
	return t, nil
}

// LocalMode reports whether the set trusts loopback serviceUrls only.
func (t *TrustedURLs) LocalMode() bool { return t.local }

// Record trusts serviceURL for the TTL from now. Call it only for a
// serviceUrl that arrived on an authenticated activity (its JWT serviceurl
// claim matched). It ignores unparsable URLs, non-https URLs (outside local
// mode) and, in local mode, everything (loopback is trusted anyway).
func (t *TrustedURLs) Record(serviceURL string) {
	if t.local {
		return
	}
	now := t.now()
	t.mu.Lock()
	defer t.mu.Unlock()
	p := t.parseLocked(serviceURL)
	if p.err != nil || !p.https {
		return
	}
	if _, ok := t.recorded[p.key]; !ok && len(t.recorded) >= t.max {
		t.evictLocked(now)
	}
	t.recorded[p.key] = now.Add(t.ttl)
}

// parseLocked returns what raw parses to, from the seen map when it is
// there. The caller holds t.mu.
func (t *TrustedURLs) parseLocked(raw string) parsedURL {
	if p, ok := t.seen[raw]; ok {
		return p
	}
	var p parsedURL
	u, err := parseServiceURL(raw)
	if err != nil {
		p.err = err
	} else {
		p.https, p.origin, p.key = u.Scheme == "https", origin(u), normalize(u)
		path := dirPath(u)
		for _, a := range t.allow {
			if a.origin == p.origin && strings.HasPrefix(path, a.path) {
				p.allowed = true
				break
			}
		}
	}
	if len(t.seen) >= t.max {
		clear(t.seen)
	}
	t.seen[strings.Clone(raw)] = p
	return p
}

// evictLocked drops expired entries, then the entry expiring first if the set
// is still full.
func (t *TrustedURLs) evictLocked(now time.Time) {
	for k, exp := range t.recorded {
		if !now.Before(exp) {
			delete(t.recorded, k)
		}
	}
	for len(t.recorded) >= t.max {
		var oldest string
		var oldestExp time.Time
		for k, exp := range t.recorded {
			if oldest == "" || exp.Before(oldestExp) {
				oldest, oldestExp = k, exp
			}
		}
		delete(t.recorded, oldest)
	}
}

// Check returns nil when serviceURL may be called, else an error wrapping
// ErrUntrustedServiceURL. It never does I/O.
func (t *TrustedURLs) Check(serviceURL string) error {
	if t.local {
		u, err := parseServiceURL(serviceURL)
		if err != nil {
			return fmt.Errorf("%w: %w", ErrUntrustedServiceURL, err)
		}
		if isLoopbackHost(u.Hostname()) {
			return nil
		}
		return fmt.Errorf("%w: %s is not loopback (local mode)", ErrUntrustedServiceURL, origin(u))
	}
	now := t.now()
	t.mu.Lock()
	p := t.parseLocked(serviceURL)
	ok := p.allowed
	if !ok && p.err == nil && p.https {
		var exp time.Time
		exp, ok = t.recorded[p.key]
		if ok && !now.Before(exp) {
			delete(t.recorded, p.key)
			ok = false
		}
	}
	t.mu.Unlock()
	switch {
	case ok:
		return nil
	case p.err != nil:
		return fmt.Errorf("%w: %w", ErrUntrustedServiceURL, p.err)
	case !p.https:
		return fmt.Errorf("%w: %s is not https", ErrUntrustedServiceURL, p.origin)
	}
	return fmt.Errorf("%w: %s was not seen on an authenticated activity", ErrUntrustedServiceURL, p.origin)
}

// parseServiceURL parses an absolute http(s) URL without user info, query or
// fragment.
func parseServiceURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, errors.New("unparsable url")
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, errors.New("scheme must be http or https")
	case u.Host == "" || u.Hostname() == "":
		return nil, errors.New("missing host")
	case u.User != nil:
		return nil, errors.New("user info not allowed")
	case u.RawQuery != "" || u.Fragment != "" || u.ForceQuery:
		return nil, errors.New("query or fragment not allowed")
	}
	return u, nil
}

// origin returns scheme://host[:port] in lower case (no path, no secrets).
func origin(u *url.URL) string {
	return strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Host)
}

// dirPath returns the escaped path of u ending in a slash, the form the
// allowlist's path prefixes are compared in.
func dirPath(u *url.URL) string {
	p := u.EscapedPath()
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return p
}

// normalize returns the key of a base URL: origin plus path without a
// trailing slash.
func normalize(u *url.URL) string {
	return origin(u) + strings.TrimRight(u.EscapedPath(), "/")
}

// isLoopbackHost reports whether host is localhost or a loopback IP.
func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// redactURL returns only the scheme and host of raw, for logs and errors.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "<invalid url>"
	}
	return origin(u)
}
