package audit

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"
	"golang.org/x/sync/singleflight"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/internal/logtext"
)

// Defaults of a [Service].
const (
	// DefaultTTL is how long an audit is served from the cache.
	DefaultTTL = 15 * time.Minute
	// DefaultMinRefresh is the youngest cached audit a forced refresh
	// replaces.
	DefaultMinRefresh = time.Minute
	// DefaultMaxTenants is how many tenants' audits the cache keeps.
	DefaultMaxTenants = 1000
	// DefaultLocale is the locale records are read in.
	DefaultLocale = "en-US"
	// DefaultFetchTimeout bounds one tenant's Graph reads.
	DefaultFetchTimeout = 2 * time.Minute
)

// ErrBadTenant is returned for an empty or malformed tenant ID.
var ErrBadTenant = errors.New("bad tenant id")

// Service audits tenants, caching each tenant's result. It is safe for
// concurrent use.
type Service struct {
	graph      Graph
	cat        Catalog
	ttl        time.Duration
	minRefresh time.Duration
	maxTenants int
	timeout    time.Duration
	locale     string
	now        func() time.Time
	log        *slog.Logger

	mu    sync.Mutex
	cache map[string]*entry
	group singleflight.Group
}

// entry is one tenant's cached audit.
type entry struct {
	res *Result
	ix  *attestation.Index // the index it was computed with
	at  time.Time
}

// Option configures a Service.
type Option func(*Service)

// WithLocale sets the locale records are read in (default DefaultLocale;
// a record missing in it is read in its first locale).
func WithLocale(l string) Option {
	return func(s *Service) {
		if l != "" {
			s.locale = l
		}
	}
}

// WithLogger logs through l (default: discard).
func WithLogger(l *slog.Logger) Option {
	return func(s *Service) {
		if l != nil {
			s.log = l
		}
	}
}

// New returns a Service reading tenants through g and records from cat.
func New(g Graph, cat Catalog, opts ...Option) *Service {
	s := &Service{graph: g, cat: cat, ttl: DefaultTTL, minRefresh: DefaultMinRefresh, maxTenants: DefaultMaxTenants,
		timeout: DefaultFetchTimeout, locale: DefaultLocale, now: time.Now, log: slog.New(slog.DiscardHandler), cache: map[string]*entry{}}
	for _, o := range opts {
		o(s)
	}
	return s
}

// tenantKey validates a tenant ID (a GUID or a domain name) and returns
// its cache key.
func tenantKey(tenantID string) (string, error) {
	t := strings.TrimSpace(tenantID)
	if t == "" || len(t) > 256 {
		return "", fmt.Errorf("%w: %q", ErrBadTenant, logtext.Bytes(t, 64))
	}
	for _, c := range t {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_') {
			return "", fmt.Errorf("%w: %q", ErrBadTenant, logtext.Bytes(t, 64))
		}
	}
	return strings.ToLower(t), nil
}

// Audit returns the audit of tenantID: the cached one while it is younger
// than the TTL and the record index is unchanged, else a fresh one. force
// asks for a fresh audit, unless the cached one is younger than the
// minimum refresh interval. Concurrent audits of one tenant share one
// fetch, which runs to its end (at most the fetch timeout) even when ctx
// ends first. Failures are not cached.
// The result is shared with the cache and other callers: do not modify it.
func (s *Service) Audit(ctx context.Context, tenantID string, force bool) (*Result, error) {
	key, err := tenantKey(tenantID)
	if err != nil {
		return nil, err
	}
	ix := s.cat.Index()
	if res, ok := s.cached(key, ix, force); ok {
		return res, nil
	}
	// The fetch outlives a caller that gives up (a Teams invoke that
	// timed out): it completes, bounded by the fetch timeout, and fills the
	// cache for the next click.
	ch := s.group.DoChan(key, func() (any, error) {
		if res, ok := s.cached(key, ix, force); ok {
			return res, nil // another caller just refreshed it
		}
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.timeout)
		defer cancel()
		res, err := s.run(fctx, strings.TrimSpace(tenantID), ix)
		if err != nil {
			return nil, err
		}
		s.store(key, &entry{res: res, ix: ix, at: s.now()})
		return res, nil
	})
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case r := <-ch:
		if r.Err != nil {
			return nil, r.Err
		}
		return r.Val.(*Result), nil
	}
}

// cached returns the usable cached audit of key, if any.
func (s *Service) cached(key string, ix *attestation.Index, force bool) (*Result, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.cache[key]
	if !ok || e.ix != ix {
		return nil, false
	}
	age := s.now().Sub(e.at)
	if age >= s.ttl || (force && age >= s.minRefresh) {
		return nil, false
	}
	return e.res, true
}

// store caches e under key, dropping expired entries and, past
// maxTenants, the oldest.
func (s *Service) store(key string, e *entry) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cache[key] = e
	if len(s.cache) <= s.maxTenants {
		return
	}
	now := s.now()
	oldest, oldestAt := "", now
	for k, v := range s.cache {
		if now.Sub(v.at) >= s.ttl {
			delete(s.cache, k)
			continue
		}
		if k != key && v.at.Before(oldestAt) {
			oldest, oldestAt = k, v.at
		}
	}
	if len(s.cache) > s.maxTenants && oldest != "" {
		delete(s.cache, oldest)
	}
}

// run audits a tenant from what it uses: its organization apps and its
// service principals holding grants (read at the same time), the store
// apps of the records those grants lead to, the join and the evaluation.
func (s *Service) run(ctx context.Context, tenantID string, ix *attestation.Index) (*Result, error) {
	start := time.Now()
	var (
		apps []CatalogApp
		sps  []ServicePrincipal
	)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		var err error
		if apps, err = s.graph.OrganizationApps(gctx, tenantID); err != nil {
			return fmt.Errorf("list the tenant's organization apps: %w", err)
		}
		return nil
	})
	g.Go(func() error {
		var err error
		if sps, err = s.graph.ServicePrincipals(gctx, tenantID); err != nil {
			return fmt.Errorf("read the tenant's service principals: %w", err)
		}
		return nil
	})
	if err := g.Wait(); err != nil {
		return nil, err
	}
	js := join(apps, ix, s.locale)
	more, storeIDs := fromPrincipals(js, sps, ix, s.locale)
	var store []CatalogApp
	if len(storeIDs) > 0 {
		var err error
		if store, err = s.graph.StoreApps(ctx, tenantID, storeIDs); err != nil {
			return nil, fmt.Errorf("look up the store apps in use: %w", err)
		}
		attachStore(more, store)
	}
	js = append(js, more...)
	res := evaluate(tenantID, js, sps, s.now())
	s.log.Info("tenant audit", "tenant_id", tenantID, "organization_apps", len(apps), "service_principals", len(sps),
		"store_apps", len(store), "apps", len(js), "elapsed_ms", time.Since(start).Milliseconds())
	return res, nil
}

// TenantApps returns the record refs (kind/slug, sorted, distinct) of the
// tenant's catalog apps that have a compliance record, from the cached
// audit (fetched when missing or expired). See the package doc for how a
// "tenant" subscription uses it.
func (s *Service) TenantApps(ctx context.Context, tenantID string) ([]string, error) {
	res, err := s.Audit(ctx, tenantID, false)
	if err != nil {
		return nil, err
	}
	return res.Refs(), nil
}

// Refs returns the record refs (kind/slug, sorted, distinct) of the apps
// of r that have a record.
func (r *Result) Refs() []string {
	var out []string
	for _, a := range r.Apps {
		if a.Record != nil {
			out = append(out, a.Record.Ref)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Forget drops the cached audit of tenantID, if any.
func (s *Service) Forget(tenantID string) {
	key, err := tenantKey(tenantID)
	if err != nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.cache, key)
}

// Reason returns the failure label of an audit error coming from Graph
// ("forbidden", "throttled", "unauthorized"… as graphclient names them), or
// "" when the error carries none.
func Reason(err error) string {
	var r interface{ Reason() string }
	if errors.As(err, &r) {
		return r.Reason()
	}
	return ""
}

// RetryAfter returns the wait Graph asked for with a throttled audit
// error, or 0.
func RetryAfter(err error) time.Duration {
	var r interface{ RetryAfter() time.Duration }
	if errors.As(err, &r) {
		return r.RetryAfter()
	}
	return 0
}
