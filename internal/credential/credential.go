package credential

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/confidential"
	msalerrors "github.com/AzureAD/microsoft-authentication-library-for-go/apps/errors"
	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/managedidentity"
	"golang.org/x/sync/singleflight"
)

// RefreshMargin is how long before expiry a cached token is replaced, as
// the SDKs do.
const RefreshMargin = 5 * time.Minute

// ErrToken is wrapped by every error of [Credential.Token].
var ErrToken = errors.New("token acquisition failed")

// Error is a token failure. Its message keeps MSAL's text minus the secret,
// never MSAL's error value (which holds the HTTP request and its body).
type Error struct {
	retryable bool
	cause     error
}

// Error implements error.
func (e *Error) Error() string { return e.cause.Error() }

// Unwrap returns ErrToken and the cause (a context error stays
// detectable).
func (e *Error) Unwrap() []error { return []error{ErrToken, e.cause} }

// Retryable reports a failure that may pass on a later try (network, 5xx,
// 429), as opposed to Entra refusing the client (400, 401, 403), a bad
// request or a canceled one.
func (e *Error) Retryable() bool { return e.retryable }

func tokenError(cause error, retryable bool) *Error {
	return &Error{retryable: retryable, cause: cause}
}

// Token is an access token with its expiry.
type Token struct {
	// Value is the bearer token: never log it.
	Value string
	// ExpiresOn is when it expires.
	ExpiresOn time.Time
	// RefreshOn, when set, is when Entra advises to refresh it.
	RefreshOn time.Time
}

// Request says which token a caller needs.
type Request struct {
	// Tenant is the specific tenant the token is for (default the home
	// tenant).
	Tenant string
	// Scopes are the scopes (default Config.Scope).
	Scopes []string
	// Claims is a claims challenge: such a token never comes from a cache.
	Claims string
	// MinLifetime is how long the token must still be valid (default
	// RefreshMargin); a longer one makes a cached token too short-lived
	// be fetched anew.
	MinLifetime time.Duration
}

// Options are the optional dependencies of [New].
type Options struct {
	// HTTPClient is used for every call to Entra or the managed identity
	// endpoint. Nil means MSAL's default client, which trusts the system
	// pool and honours SSL_CERT_FILE.
	HTTPClient *http.Client
	// Logger receives token events at Debug level (nil discards). Tokens
	// and secrets are never logged.
	Logger *slog.Logger
	// Now returns the current time (default time.Now).
	Now func() time.Time
}

// fetcher obtains a token through MSAL. fresh asks it to bypass MSAL's
// own cache; fromCache reports that MSAL served a cached token.
type fetcher func(ctx context.Context, tenant string, scopes []string, claims string, fresh bool) (tok Token, fromCache bool, err error)

// cached is a token with the time it is replaced at.
type cached struct {
	tok       Token
	refreshAt time.Time
}

// Credential serves app-only tokens through MSAL Go for any specific
// tenant, cached per tenant and scope (see the package documentation). It
// is safe for concurrent use.
type Credential struct {
	kind       string
	homeTenant string
	scope      string
	fetch      fetcher
	now        func() time.Time
	logger     *slog.Logger
	group      singleflight.Group

	mu    sync.Mutex
	cache map[cacheID]cached
}

// New validates cfg and builds the credential: an MSAL confidential client
// (authority LoginURL/HomeTenantID, or LoginURL/organizations with each
// request naming its tenant; instance discovery off) for a secret, a
// certificate or a federated managed identity, or an MSAL managed identity
// client (the source MSAL picks from the environment: App Service, IMDS…).
func New(cfg Config, opts Options) (*Credential, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	c := newCredential(cfg, nil, opts.Now, opts.Logger)
	switch c.kind {
	case KindManagedIdentity:
		c.fetch, err = managedIdentityFetcher(cfg, opts.HTTPClient)
	default:
		c.fetch, err = confidentialFetcher(cfg, opts.HTTPClient, opts.Now())
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", c.kind, err)
	}
	opts.Logger.Debug("credential ready", "credential", cfg) // LogValue: no secret
	return c, nil
}

func newCredential(cfg Config, f fetcher, now func() time.Time, logger *slog.Logger) *Credential {
	return &Credential{kind: cfg.Kind(), homeTenant: cfg.HomeTenantID, scope: cfg.Scope, fetch: f,
		now: now, logger: logger, cache: map[cacheID]cached{}}
}

// Kind returns the credential kind (KindClientSecret, KindCertificate, …).
func (c *Credential) Kind() string { return c.kind }

// Token returns a token for r: from the cache while it is fresh, else
// fetched once for every concurrent caller of the same tenant and scopes
// (a caller that gives up does not fail the others). A plain managed
// identity without a home tenant serves requests naming no tenant (its own).
func (c *Credential) Token(ctx context.Context, r Request) (Token, error) {
	tenant := r.Tenant
	if tenant == "" {
		tenant = c.homeTenant
	}
	switch {
	case tenant == "" && c.kind != KindManagedIdentity:
		return Token{}, tokenError(errors.New("the request names no tenant and a multi-tenant credential has no home tenant"), false)
	case tenant != "":
		if err := CheckTenant(tenant); err != nil {
			return Token{}, tokenError(err, false)
		}
	}
	scopes := r.Scopes
	if len(scopes) == 0 {
		if c.scope == "" {
			return Token{}, tokenError(errors.New("the request names no scope"), false)
		}
		scopes = []string{c.scope}
	}
	if r.Claims != "" { // a claims challenge: never served from a cache
		tok, _, err := c.fetch(ctx, tenant, scopes, r.Claims, true)
		if err == nil {
			c.store(tenant, scopes, tok)
		}
		return tok, err
	}
	need := max(r.MinLifetime, RefreshMargin)
	if tok, ok := c.cached(tenant, scopes, need); ok {
		return tok, nil
	}
	key := strings.ToLower(tenant) + "\x00" + strings.Join(scopes, " ") + "\x00" + need.String()
	ch := c.group.DoChan(key, func() (any, error) {
		if tok, ok := c.cached(tenant, scopes, need); ok {
			return tok, nil
		}
		// Shared by every waiting caller: one caller giving up must not
		// fail the others.
		fctx := context.WithoutCancel(ctx)
		tok, fromCache, err := c.fetch(fctx, tenant, scopes, "", false)
		if err == nil && fromCache && tok.ExpiresOn.Sub(c.now()) <= need {
			// MSAL served a cached token too close to expiry for this call
			// (Graph's bulk route needs 45 minutes, and MSAL has no
			// ForceRefresh): ask the identity provider again.
			c.logger.Debug("token too short-lived, refreshing",
				slog.String("tenant_id", tenant), slog.Duration("min_lifetime", need))
			tok, _, err = c.fetch(fctx, tenant, scopes, "", true)
		}
		if err != nil {
			return Token{}, err
		}
		c.store(tenant, scopes, tok)
		c.logger.Debug("token acquired", slog.String("tenant_id", tenant),
			slog.String("kind", c.kind), slog.Time("expires_on", tok.ExpiresOn))
		return tok, nil
	})
	if err := ctx.Err(); err != nil { // deterministic: not left to select's random pick
		return Token{}, tokenError(err, false)
	}
	select {
	case res := <-ch:
		if res.Err != nil {
			return Token{}, res.Err
		}
		tok, _ := res.Val.(Token)
		return tok, nil
	case <-ctx.Done():
		return Token{}, tokenError(ctx.Err(), false)
	}
}

func cacheKey(tenant string, scopes []string) cacheID {
	return cacheID{tenant: strings.ToLower(tenant), scopes: strings.Join(scopes, " ")}
}

// cacheID is the key of a cached token: the tenant, lower case, and the
// scopes (a token is asked for on every reply: the key is made without
// allocating for one scope and a lower-case tenant).
type cacheID struct{ tenant, scopes string }

// cached returns the cached token of tenant and scopes when it is before
// its refresh time and has more than need left. A token shorter-lived than
// need is still served to callers content with the refresh margin, for half
// its remaining life (see store).
func (c *Credential) cached(tenant string, scopes []string, need time.Duration) (Token, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.cache[cacheKey(tenant, scopes)]
	if !ok {
		return Token{}, false
	}
	now := c.now()
	if !now.Before(e.refreshAt) {
		return Token{}, false
	}
	if need > RefreshMargin && e.tok.ExpiresOn.Sub(now) <= need {
		return Token{}, false
	}
	return e.tok, true
}

// store caches tok until RefreshMargin before its expiry (or its RefreshOn,
// if earlier); a token shorter-lived than that is reused for half its
// remaining life.
func (c *Credential) store(tenant string, scopes []string, tok Token) {
	now := c.now()
	refreshAt := tok.ExpiresOn.Add(-RefreshMargin)
	if !tok.RefreshOn.IsZero() && tok.RefreshOn.Before(refreshAt) {
		refreshAt = tok.RefreshOn
	}
	if !refreshAt.After(now) {
		refreshAt = now.Add(tok.ExpiresOn.Sub(now) / 2)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.cache[cacheKey(tenant, scopes)] = cached{tok: tok, refreshAt: refreshAt}
}

// confidentialFetcher builds MSAL confidential clients for a secret, a
// certificate or a managed identity assertion.
func confidentialFetcher(cfg Config, hc *http.Client, now time.Time) (fetcher, error) {
	var (
		cred confidential.Credential
		err  error
	)
	switch cfg.Kind() {
	case KindCertificate:
		cred, err = certCredential(cfg.Certificate, now)
	case KindManagedIdentityFederated:
		mi, merr := newManagedIdentity(cfg.ManagedIdentityClientID, hc)
		if merr != nil {
			return nil, merr
		}
		aud := cfg.FederationAudience
		cred = confidential.NewCredFromAssertionCallback(func(ctx context.Context, _ confidential.AssertionRequestOptions) (string, error) {
			res, err := mi.AcquireToken(ctx, aud)
			if err != nil {
				return "", err
			}
			return res.AccessToken, nil
		})
	default:
		cred, err = confidential.NewCredFromSecret(cfg.ClientSecret)
		if err != nil {
			err = errors.New("invalid client secret")
		}
	}
	if err != nil {
		return nil, err
	}
	// Without a home tenant the authority is "organizations": each request
	// names its tenant (WithTenantID), and MSAL resolves and caches that
	// tenant's endpoints and tokens on first use.
	home := cfg.HomeTenantID
	if home == "" {
		home = "organizations"
	}
	authority := cfg.LoginURL + "/" + home
	opts := []confidential.Option{confidential.WithInstanceDiscovery(false)}
	if hc != nil {
		opts = append(opts, confidential.WithHTTPClient(hc))
	}
	newClient := func() (confidential.Client, error) {
		return confidential.New(authority, cfg.ClientID, cred, opts...)
	}
	main, err := newClient()
	if err != nil {
		return nil, fmt.Errorf("msal confidential client: %s", Scrub(err.Error(), cfg.ClientSecret))
	}
	secret := cfg.ClientSecret
	return func(ctx context.Context, tenant string, scopes []string, claims string, fresh bool) (Token, bool, error) {
		client := main
		if fresh && claims == "" {
			// A throwaway client has an empty cache, so MSAL must ask Entra.
			c, err := newClient()
			if err != nil {
				return Token{}, false, tokenError(errors.New(Scrub(err.Error(), secret)), false)
			}
			client = c
		}
		opts := []confidential.AcquireByCredentialOption{confidential.WithTenantID(tenant)}
		if claims != "" {
			opts = append(opts, confidential.WithClaims(claims))
		}
		res, err := client.AcquireTokenByCredential(ctx, scopes, opts...)
		if err != nil {
			return Token{}, false, Sanitize(err, secret)
		}
		if res.AccessToken == "" {
			return Token{}, false, tokenError(errors.New("empty access token"), true)
		}
		return Token{Value: res.AccessToken, ExpiresOn: res.ExpiresOn, RefreshOn: res.Metadata.RefreshOn},
			res.Metadata.TokenSource == confidential.TokenSourceCache, nil
	}, nil
}

func newManagedIdentity(clientID string, hc *http.Client) (managedidentity.Client, error) {
	var opts []managedidentity.ClientOption
	if hc != nil {
		opts = append(opts, managedidentity.WithHTTPClient(hc))
	}
	mi, err := managedidentity.New(managedidentity.UserAssignedClientID(clientID), opts...)
	if err != nil {
		return managedidentity.Client{}, fmt.Errorf("msal managed identity client: %w", err)
	}
	return mi, nil
}

// managedIdentityFetcher uses a user-assigned managed identity's own
// tokens, which exist only for its home tenant.
func managedIdentityFetcher(cfg Config, hc *http.Client) (fetcher, error) {
	mi, err := newManagedIdentity(cfg.ManagedIdentityClientID, hc)
	if err != nil {
		return nil, err
	}
	home := cfg.HomeTenantID
	return func(ctx context.Context, tenant string, scopes []string, claims string, fresh bool) (Token, bool, error) {
		if !strings.EqualFold(tenant, home) {
			return Token{}, false, tokenError(fmt.Errorf("a managed identity has tokens only for its tenant %s, not %s (use ManagedIdentityFederated for other tenants)", home, tenant), false)
		}
		if len(scopes) != 1 {
			return Token{}, false, tokenError(errors.New("a managed identity takes exactly one scope"), false)
		}
		var opts []managedidentity.AcquireTokenOption
		if claims != "" {
			opts = append(opts, managedidentity.WithClaims(claims))
		}
		// There is no cache bypass without claims for a managed identity:
		// fresh is best effort (its tokens usually live for hours).
		_ = fresh
		res, err := mi.AcquireToken(ctx, strings.TrimSuffix(scopes[0], "/.default"), opts...)
		if err != nil {
			return Token{}, false, Sanitize(err, "")
		}
		if res.AccessToken == "" {
			return Token{}, false, tokenError(errors.New("empty access token"), true)
		}
		return Token{Value: res.AccessToken, ExpiresOn: res.ExpiresOn, RefreshOn: res.Metadata.RefreshOn},
			res.Metadata.TokenSource == managedidentity.TokenSourceCache, nil
	}, nil
}

// Sanitize turns an MSAL error into an [*Error] that keeps the message
// (minus the secret, raw or URL-encoded) but not the MSAL value: MSAL's
// CallErr holds the HTTP request, whose body carries the client secret or
// assertion, and prints it from Verbose. Entra refusing the client
// (400/401/403) is permanent; anything else (network, 5xx, 429) is
// retryable. Context errors stay detectable.
func Sanitize(err error, secret string) *Error {
	msg := Scrub(err.Error(), secret)
	retryable := true
	var ce msalerrors.CallErr
	if errors.As(err, &ce) && ce.Resp != nil {
		switch ce.Resp.StatusCode {
		case http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden:
			retryable = false
		}
		msg = fmt.Sprintf("identity provider answered %d: %s", ce.Resp.StatusCode, msg)
	}
	switch {
	case errors.Is(err, context.Canceled):
		return tokenError(fmt.Errorf("%w: %s", context.Canceled, msg), false)
	case errors.Is(err, context.DeadlineExceeded):
		return tokenError(fmt.Errorf("%w: %s", context.DeadlineExceeded, msg), false)
	}
	return tokenError(errors.New(msg), retryable)
}

// Scrub removes secret (raw and URL-encoded) from s.
func Scrub(s, secret string) string {
	if secret == "" {
		return s
	}
	s = strings.ReplaceAll(s, secret, "[REDACTED]")
	return strings.ReplaceAll(s, url.QueryEscape(secret), "[REDACTED]")
}
