// Package roles decides what a Teams user may do in attestbot: the admin
// commands belong to the admins of the user's own tenant, recognised by
// their Microsoft Entra directory roles, read through Microsoft Graph
// (app-only, in that tenant) and cached per tenant and user for a few
// minutes. ATTESTBOT_ADMINS stays as an explicit override.
//
// # Levels
//
//   - [Admin]: Global Administrator, Teams Administrator, Application
//     Administrator or Cloud Application Administrator, assigned over the
//     whole tenant; or named in the overrides. Every admin command.
//   - [Reader]: Global Reader. The read-only admin views (the tenant
//     audit), never tenant-wide actions such as "subscribe all".
//   - [None]: everyone else, and anyone whose roles could not be read.
//
// Roles are matched by their built-in template IDs, never by display
// names, which a tenant cannot rename but which are localized.
//
// # Identity
//
// A user is the [Identity] Teams vouches for: the tenant of the Teams
// activity and the user's Entra object ID (from.aadObjectId). Nothing else
// an activity carries (from.id, names, text) ever makes an admin, and the
// roles of one tenant never count in another: the cache and every Graph
// call are keyed by the tenant asking.
//
// # Overrides
//
// Each override (ATTESTBOT_ADMINS, comma separated) is an Entra object ID
// or a user principal name (UPN), optionally written <tenant>/<value> to
// count in that tenant only. Object IDs are compared with the user's
// aadObjectId; UPNs, case-insensitively, with the UPN Teams gives for that
// same aadObjectId, looked up (through [WithUPNLookup]) only when an
// override names a UPN and the user is not already an admin. Other values
// (Bot Framework IDs such as 29:…) identify nobody and are reported by
// [Checker.Ignored].
//
// # Failures
//
// When Graph cannot answer (throttled, permission not consented, network),
// [Checker.Level] returns [None] with an error wrapping [ErrUnavailable]:
// the caller denies and says why. Failures are not cached.
package roles

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
)

// Level is what a user may do.
type Level int

// The levels, in increasing order.
const (
	// None: no admin command.
	None Level = iota
	// Reader: the read-only admin views (Global Reader).
	Reader
	// Admin: every admin command.
	Admin
)

// String names the level.
func (l Level) String() string {
	switch l {
	case Reader:
		return "reader"
	case Admin:
		return "admin"
	}
	return "none"
}

// Template IDs of the built-in Microsoft Entra roles that make an admin
// (https://learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference).
const (
	GlobalAdministrator           = "62e90394-69f5-4237-9190-012177145e10"
	TeamsAdministrator            = "69091246-20e8-4a56-aa4d-066075b2a7a8"
	ApplicationAdministrator      = "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3"
	CloudApplicationAdministrator = "158c047a-c907-4556-b7ef-446551a6b5f7"
	GlobalReader                  = "f2ef992c-3afb-46b9-b7cf-a126ee74c451"
)

// roleLevels maps role template IDs to levels.
var roleLevels = map[string]Level{
	GlobalAdministrator: Admin, TeamsAdministrator: Admin, ApplicationAdministrator: Admin,
	CloudApplicationAdministrator: Admin, GlobalReader: Reader,
}

// LevelOf returns the highest level the role template IDs give.
func LevelOf(roleIDs []string) Level {
	l := None
	for _, id := range roleIDs {
		l = max(l, roleLevels[strings.ToLower(strings.TrimSpace(id))])
	}
	return l
}

// Defaults of a [Checker].
const (
	// DefaultTTL is how long a user's level is reused.
	DefaultTTL = 5 * time.Minute
	// DefaultMaxEntries bounds the cache.
	DefaultMaxEntries = 50_000
)

// ErrUnavailable wraps a failure to read a user's roles.
var ErrUnavailable = errors.New("directory roles unavailable")

// Identity is a user as Teams vouches for it.
type Identity struct {
	// TenantID is the tenant of the Teams activity (channelData.tenant.id).
	TenantID string
	// ObjectID is the user's Entra object ID (from.aadObjectId).
	ObjectID string
}

// Directory reads a user's directory roles in a tenant: the template IDs
// of the built-in roles assigned over the whole tenant
// (graphclient.Client.UserDirectoryRoles does).
type Directory interface {
	UserDirectoryRoles(ctx context.Context, tenantID, userID string) ([]string, error)
}

// UPNLookup returns the user principal name Teams gives for the asking
// user (the Bot Connector's conversation member with the same aadObjectId).
type UPNLookup func(ctx context.Context) (string, error)

type upnKey struct{}

// WithUPNLookup returns ctx carrying f, the UPN lookup of the request's
// user; [Checker.Level] calls it only when an override names a UPN.
func WithUPNLookup(ctx context.Context, f UPNLookup) context.Context {
	return context.WithValue(ctx, upnKey{}, f)
}

func upnLookupFrom(ctx context.Context) UPNLookup {
	f, _ := ctx.Value(upnKey{}).(UPNLookup)
	return f
}

// Config configures a [Checker].
type Config struct {
	// Overrides are the ATTESTBOT_ADMINS entries.
	Overrides []string
	// TTL is how long a level is reused (default DefaultTTL).
	TTL time.Duration
	// MaxEntries bounds the cache (default DefaultMaxEntries).
	MaxEntries int
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Logger receives the denials for failures (default: discard).
	Logger *slog.Logger
}

// override is one parsed ATTESTBOT_ADMINS entry.
type override struct {
	tenant string // lower-cased; "" for every tenant
	id     string // lower-cased object ID, or ""
	upn    string // lower-cased UPN, or ""
}

var (
	guidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	upnRE  = regexp.MustCompile(`^[^@\s/]+@[A-Za-z0-9][A-Za-z0-9.-]*\.[A-Za-z]{2,}$`)
)

// entry is one cached level.
type entry struct {
	level Level
	at    time.Time
}

// Checker tells a user's level. It is safe for concurrent use.
type Checker struct {
	dir        Directory
	overrides  []override
	hasUPN     bool
	ignored    []string
	ttl        time.Duration
	maxEntries int
	now        func() time.Time
	log        *slog.Logger

	mu    sync.Mutex
	cache map[string]entry
	group singleflight.Group
}

// New returns a Checker reading roles through dir (nil: overrides only,
// as in local mode).
func New(dir Directory, cfg Config) *Checker {
	c := &Checker{dir: dir, ttl: cfg.TTL, maxEntries: cfg.MaxEntries, now: cfg.Now, log: cfg.Logger, cache: map[string]entry{}}
	if c.ttl <= 0 {
		c.ttl = DefaultTTL
	}
	if c.maxEntries <= 0 {
		c.maxEntries = DefaultMaxEntries
	}
	if c.now == nil {
		c.now = time.Now
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	for _, raw := range cfg.Overrides {
		v := strings.TrimSpace(raw)
		if v == "" {
			continue
		}
		var o override
		if t, rest, ok := strings.Cut(v, "/"); ok {
			o.tenant, v = strings.ToLower(strings.TrimSpace(t)), strings.TrimSpace(rest)
		}
		switch {
		case guidRE.MatchString(v):
			o.id = strings.ToLower(v)
		case upnRE.MatchString(v):
			o.upn = strings.ToLower(v)
			c.hasUPN = true
		default:
			c.ignored = append(c.ignored, raw)
			continue
		}
		c.overrides = append(c.overrides, o)
	}
	c.warnIgnored()
	return c
}

// warnIgnored logs, once, the overrides that identify nobody (each cut to
// 80 characters).
func (c *Checker) warnIgnored() {
	if len(c.ignored) == 0 {
		return
	}
	shown := make([]string, len(c.ignored))
	for i, v := range c.ignored {
		if len(v) > 80 {
			v = v[:80] + "…"
		}
		shown[i] = v
	}
	c.log.Warn("ATTESTBOT_ADMINS entries ignored: neither an Entra object ID nor a user principal name",
		"count", len(shown), "entries", strings.Join(shown, ","))
}

// Ignored returns the overrides that are neither an Entra object ID nor a
// UPN, and so identify nobody.
func (c *Checker) Ignored() []string { return append([]string(nil), c.ignored...) }

// valid reports whether id names a user: a tenant and an object ID.
func (id Identity) valid() bool {
	t := strings.TrimSpace(id.TenantID)
	return t != "" && len(t) <= 256 && !strings.ContainsAny(t, "/ ") && guidRE.MatchString(id.ObjectID)
}

// Level returns the level of id in its tenant. An identity without a
// tenant or an Entra object ID is None. A failure to read the roles gives
// None and an error wrapping ErrUnavailable, unless an override makes the
// user an admin anyway.
func (c *Checker) Level(ctx context.Context, id Identity) (Level, error) {
	if !id.valid() {
		return None, nil
	}
	tenant, oid := strings.ToLower(strings.TrimSpace(id.TenantID)), strings.ToLower(id.ObjectID)
	if c.overrideID(tenant, oid) {
		return Admin, nil
	}
	key := tenant + "|" + oid
	if l, ok := c.cached(key); ok {
		return l, nil
	}
	v, err, _ := c.group.Do(key, func() (any, error) {
		if l, ok := c.cached(key); ok {
			return l, nil
		}
		level := None
		var roleErr error
		if c.dir != nil {
			ids, err := c.dir.UserDirectoryRoles(ctx, id.TenantID, oid)
			if err != nil {
				roleErr = fmt.Errorf("%w: %w", ErrUnavailable, err)
			}
			level = LevelOf(ids)
		}
		if level < Admin && c.hasUPN {
			if ok, err := c.overrideUPN(ctx, tenant); err != nil {
				c.log.Warn("admin override: user principal name lookup failed", "tenant_id", tenant, "user_id", oid, "err", err)
			} else if ok {
				level, roleErr = Admin, nil
			}
		}
		if roleErr != nil {
			return None, roleErr
		}
		c.store(key, level)
		return level, nil
	})
	if err != nil {
		c.log.Warn("directory roles unavailable: admin commands denied", "tenant_id", tenant, "user_id", oid, "err", err)
		return None, err
	}
	return v.(Level), nil
}

// overrideID reports an override naming the object ID in the tenant.
func (c *Checker) overrideID(tenant, oid string) bool {
	for _, o := range c.overrides {
		if o.id == oid && (o.tenant == "" || o.tenant == tenant) {
			return true
		}
	}
	return false
}

// overrideUPN reports an override naming the user's UPN in the tenant,
// looking the UPN up only when one could match.
func (c *Checker) overrideUPN(ctx context.Context, tenant string) (bool, error) {
	candidates := false
	for _, o := range c.overrides {
		if o.upn != "" && (o.tenant == "" || o.tenant == tenant) {
			candidates = true
			break
		}
	}
	if !candidates {
		return false, nil
	}
	lookup := upnLookupFrom(ctx)
	if lookup == nil {
		return false, nil
	}
	upn, err := lookup(ctx)
	if err != nil {
		return false, err
	}
	upn = strings.ToLower(strings.TrimSpace(upn))
	if upn == "" {
		return false, nil
	}
	for _, o := range c.overrides {
		if o.upn == upn && (o.tenant == "" || o.tenant == tenant) {
			return true, nil
		}
	}
	return false, nil
}

// cached returns a fresh cached level.
func (c *Checker) cached(key string) (Level, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.cache[key]
	if !ok || c.now().Sub(e.at) >= c.ttl {
		return None, false
	}
	return e.level, true
}

// store caches a level, dropping expired entries and then arbitrary ones
// when the cache is full.
func (c *Checker) store(key string, l Level) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	if len(c.cache) >= c.maxEntries {
		for k, e := range c.cache {
			if now.Sub(e.at) >= c.ttl {
				delete(c.cache, k)
			}
		}
		for k := range c.cache {
			if len(c.cache) < c.maxEntries {
				break
			}
			delete(c.cache, k)
		}
	}
	c.cache[key] = entry{level: l, at: now}
}

// Forget drops the cached levels of a tenant (all tenants when "").
func (c *Checker) Forget(tenantID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	prefix := strings.ToLower(strings.TrimSpace(tenantID)) + "|"
	for k := range c.cache {
		if tenantID == "" || strings.HasPrefix(k, prefix) {
			delete(c.cache, k)
		}
	}
}
