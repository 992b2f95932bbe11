package graphclient

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

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/confidential"
	msalerrors "github.com/AzureAD/microsoft-authentication-library-for-go/apps/errors"
	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/managedidentity"
	"golang.org/x/sync/singleflight"
)

// refreshMargin is how long before expiry a cached token is replaced.
const refreshMargin = 5 * time.Minute

// DefaultFederationAudience is the audience of the managed identity token
// used as a federated client assertion (public cloud).
const DefaultFederationAudience = "api://AzureADTokenExchange"

// CredentialOptions are the optional dependencies of the credentials.
type CredentialOptions struct {
	// HTTPClient is used for every call to Entra or the managed identity
	// endpoint. Nil means MSAL's default client, which trusts the system
	// pool; tests inject graphtest's client.
	HTTPClient *http.Client
	// Logger receives token events at Debug level (nil discards). Tokens
	// and secrets are never logged.
	Logger *slog.Logger
	// Now returns the current time (default time.Now).
	Now func() time.Time
}

func (o CredentialOptions) withDefaults() CredentialOptions {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// AppCredentialConfig configures app-only (application permission) Graph
// tokens. Exactly one of ClientSecret, Certificate and
// ManagedIdentityClientID must be set. Its String and LogValue methods never
// show the secret or the key.
type AppCredentialConfig struct {
	// ClientID is the Entra application (client) ID. Required except for a
	// plain managed identity.
	ClientID string
	// ClientSecret is the application's client secret.
	ClientSecret string
	// Certificate is PEM data holding the certificate (chain) and its
	// unencrypted RSA private key; MSAL signs a client assertion with it.
	Certificate []byte
	// ManagedIdentityClientID is the client ID of a user-assigned managed
	// identity. Without ManagedIdentityFederated the identity's own tokens
	// are used, which exist only for its home tenant (HomeTenantID).
	ManagedIdentityClientID string
	// ManagedIdentityFederated uses the managed identity's token for
	// FederationAudience as a client assertion of ClientID (a federated
	// identity credential on the app registration), so a multi-tenant app
	// gets tokens for every customer tenant without a secret.
	ManagedIdentityFederated bool
	// FederationAudience is the audience of that assertion (default
	// DefaultFederationAudience).
	FederationAudience string
	// HomeTenantID is the tenant of the app registration: the MSAL
	// authority tenant and the tenant used when a call names none. It is
	// required for a plain managed identity only. Empty means a multi-tenant
	// app with no home tenant: the authority is "organizations" and every
	// token request must name its tenant (the conversation's or the
	// subscription's), which gets its own token.
	HomeTenantID string
	// LoginURL is the Entra login host (default DefaultLoginURL); https only.
	LoginURL string
	// GraphURL is the Graph host the tokens are for (default
	// DefaultGraphURL); the scope is GraphURL + "/.default".
	GraphURL string
}

// String implements fmt.Stringer without secrets.
func (c AppCredentialConfig) String() string {
	return fmt.Sprintf("{ClientID:%s ClientSecret:%s Certificate:%s ManagedIdentityClientID:%s ManagedIdentityFederated:%t HomeTenantID:%s LoginURL:%s GraphURL:%s}",
		c.ClientID, redacted(c.ClientSecret != ""), redacted(len(c.Certificate) > 0), c.ManagedIdentityClientID,
		c.ManagedIdentityFederated, c.HomeTenantID, c.LoginURL, c.GraphURL)
}

// GoString implements fmt.GoStringer without secrets.
func (c AppCredentialConfig) GoString() string { return "graphclient.AppCredentialConfig" + c.String() }

// LogValue implements slog.LogValuer without secrets.
func (c AppCredentialConfig) LogValue() slog.Value {
	return slog.GroupValue(slog.String("client_id", c.ClientID), slog.String("kind", c.kind()),
		slog.String("home_tenant_id", c.HomeTenantID), slog.String("login_url", c.LoginURL), slog.String("graph_url", c.GraphURL))
}

func redacted(set bool) string {
	if set {
		return "[REDACTED]"
	}
	return ""
}

// Credential kinds, as reported by AppCredential.Kind.
const (
	KindClientSecret             = "client_secret"
	KindCertificate              = "certificate"
	KindManagedIdentity          = "managed_identity"
	KindManagedIdentityFederated = "managed_identity_federated"
)

func (c AppCredentialConfig) kind() string {
	switch {
	case c.ManagedIdentityClientID != "" && c.ManagedIdentityFederated:
		return KindManagedIdentityFederated
	case c.ManagedIdentityClientID != "":
		return KindManagedIdentity
	case len(c.Certificate) > 0:
		return KindCertificate
	default:
		return KindClientSecret
	}
}

// validate checks c and returns it with defaults applied.
func (c AppCredentialConfig) validate() (AppCredentialConfig, error) {
	var errs []error
	if c.LoginURL == "" {
		c.LoginURL = DefaultLoginURL
	}
	if c.GraphURL == "" {
		c.GraphURL = DefaultGraphURL
	}
	if c.FederationAudience == "" {
		c.FederationAudience = DefaultFederationAudience
	}
	var err error
	if c.LoginURL, err = normalizeBaseURL("login url", c.LoginURL, false); err != nil {
		errs = append(errs, err)
	}
	if c.GraphURL, err = normalizeBaseURL("graph url", c.GraphURL, true); err != nil {
		errs = append(errs, err)
	}
	if c.HomeTenantID != "" || c.ManagedIdentityClientID != "" && !c.ManagedIdentityFederated {
		if err := checkTenant(c.HomeTenantID); err != nil {
			errs = append(errs, fmt.Errorf("home tenant: %w", err))
		}
	}
	n := 0
	for _, set := range []bool{c.ClientSecret != "", len(c.Certificate) > 0, c.ManagedIdentityClientID != ""} {
		if set {
			n++
		}
	}
	switch {
	case n == 0:
		errs = append(errs, errors.New("one of client secret, certificate or managed identity is required"))
	case n > 1:
		errs = append(errs, errors.New("set only one of client secret, certificate or managed identity"))
	}
	if c.ClientID == "" && (c.ManagedIdentityClientID == "" || c.ManagedIdentityFederated) {
		errs = append(errs, errors.New("client ID is required"))
	}
	if c.ManagedIdentityFederated && c.ManagedIdentityClientID == "" {
		errs = append(errs, errors.New("managed identity federation needs a managed identity client ID"))
	}
	return c, errors.Join(errs...)
}

// tokenFetcher obtains a token through MSAL. fresh asks it to bypass
// MSAL's own cache; fromCache reports that MSAL served a cached token.
type tokenFetcher func(ctx context.Context, tenant string, scopes []string, claims string, fresh bool) (tok azcore.AccessToken, fromCache bool, err error)

// AppCredential is an azcore.TokenCredential for app-only Graph tokens
// through MSAL Go. It serves any tenant named in
// policy.TokenRequestOptions.TenantID (a multi-tenant app gets one token
// per customer tenant; a plain managed identity only its home tenant),
// caches tokens per tenant and scope until five minutes before expiry, and
// fetches each tenant's token once for concurrent callers. It is safe for
// concurrent use.
type AppCredential struct {
	kind       string
	homeTenant string
	scope      string
	fetch      tokenFetcher
	now        func() time.Time
	logger     *slog.Logger
	group      singleflight.Group

	mu    sync.Mutex
	cache map[string]azcore.AccessToken
}

// NewAppCredential validates cfg and builds the credential: an MSAL
// confidential client (authority LoginURL/HomeTenantID, instance discovery
// off) for a secret, a certificate or a federated managed identity, or an
// MSAL managed identity client.
func NewAppCredential(cfg AppCredentialConfig, opts CredentialOptions) (*AppCredential, error) {
	cfg, err := cfg.validate()
	if err != nil {
		return nil, fmt.Errorf("graph credentials: %w", err)
	}
	opts = opts.withDefaults()
	c := &AppCredential{kind: cfg.kind(), homeTenant: cfg.HomeTenantID, scope: graphScope(cfg.GraphURL),
		now: opts.Now, logger: opts.Logger, cache: map[string]azcore.AccessToken{}}
	switch c.kind {
	case KindManagedIdentity:
		c.fetch, err = managedIdentityFetcher(cfg, opts.HTTPClient)
	default:
		c.fetch, err = confidentialFetcher(cfg, opts.HTTPClient)
	}
	if err != nil {
		return nil, fmt.Errorf("graph credentials (%s): %w", c.kind, err)
	}
	return c, nil
}

// Kind returns the credential kind (KindClientSecret, KindCertificate, …).
func (c *AppCredential) Kind() string { return c.kind }

// ctxKey is the type of this package's context keys.
type ctxKey int

const minLifetimeKey ctxKey = iota

// withMinTokenLifetime asks the package's credentials for a token valid for
// at least d more (the bulk notification route needs 45 minutes).
func withMinTokenLifetime(ctx context.Context, d time.Duration) context.Context {
	return context.WithValue(ctx, minLifetimeKey, d)
}

func minTokenLifetime(ctx context.Context) time.Duration {
	if d, ok := ctx.Value(minLifetimeKey).(time.Duration); ok && d > refreshMargin {
		return d
	}
	return refreshMargin
}

// GetToken implements azcore.TokenCredential.
func (c *AppCredential) GetToken(ctx context.Context, o policy.TokenRequestOptions) (azcore.AccessToken, error) {
	tenant := o.TenantID
	if tenant == "" {
		tenant = c.homeTenant
	}
	if tenant == "" {
		return azcore.AccessToken{}, tokenError(errors.New("the request names no tenant and a multi-tenant credential has no home tenant"), false)
	}
	if err := checkTenant(tenant); err != nil {
		return azcore.AccessToken{}, tokenError(err, false)
	}
	scopes := o.Scopes
	if len(scopes) == 0 {
		scopes = []string{c.scope}
	}
	if o.Claims != "" { // a claims challenge: never served from a cache
		tok, _, err := c.fetch(ctx, tenant, scopes, o.Claims, true)
		if err == nil {
			c.store(tenant, scopes, tok)
		}
		return tok, err
	}
	need := minTokenLifetime(ctx)
	if tok, ok := c.cached(tenant, scopes, need); ok {
		return tok, nil
	}
	key := tenant + "\x00" + strings.Join(scopes, " ") + "\x00" + need.String()
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
			// (the bulk route needs 45 minutes, §3.6, and MSAL has no
			// ForceRefresh): ask the identity provider again.
			c.logger.Debug("graph token too short-lived, refreshing",
				slog.String("tenant_id", tenant), slog.Duration("min_lifetime", need))
			tok, _, err = c.fetch(fctx, tenant, scopes, "", true)
		}
		if err != nil {
			return azcore.AccessToken{}, err
		}
		c.store(tenant, scopes, tok)
		c.logger.Debug("graph token acquired", slog.String("tenant_id", tenant),
			slog.String("kind", c.kind), slog.Time("expires_on", tok.ExpiresOn))
		return tok, nil
	})
	select {
	case res := <-ch:
		if res.Err != nil {
			return azcore.AccessToken{}, res.Err
		}
		tok, _ := res.Val.(azcore.AccessToken)
		return tok, nil
	case <-ctx.Done():
		return azcore.AccessToken{}, tokenError(ctx.Err(), false)
	}
}

func cacheKey(tenant string, scopes []string) string {
	return strings.ToLower(tenant) + "\x00" + strings.Join(scopes, " ")
}

// cached returns the cached token of tenant when it has more than need left.
func (c *AppCredential) cached(tenant string, scopes []string, need time.Duration) (azcore.AccessToken, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	tok, ok := c.cache[cacheKey(tenant, scopes)]
	if !ok || tok.ExpiresOn.Sub(c.now()) <= need {
		return azcore.AccessToken{}, false
	}
	if !tok.RefreshOn.IsZero() && !c.now().Before(tok.RefreshOn) {
		return azcore.AccessToken{}, false
	}
	return tok, true
}

func (c *AppCredential) store(tenant string, scopes []string, tok azcore.AccessToken) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.cache[cacheKey(tenant, scopes)] = tok
}

// confidentialFetcher builds MSAL confidential clients for a secret, a
// certificate or a managed identity assertion.
func confidentialFetcher(cfg AppCredentialConfig, hc *http.Client) (tokenFetcher, error) {
	var (
		cred confidential.Credential
		err  error
	)
	switch cfg.kind() {
	case KindCertificate:
		certs, key, perr := confidential.CertFromPEM(cfg.Certificate, "")
		if perr != nil {
			return nil, fmt.Errorf("parse certificate: %w", perr)
		}
		cred, err = confidential.NewCredFromCert(certs, key)
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
	authority := cfg.LoginURL + "/" + orOrganizations(cfg.HomeTenantID)
	opts := []confidential.Option{confidential.WithInstanceDiscovery(false)}
	if hc != nil {
		opts = append(opts, confidential.WithHTTPClient(hc))
	}
	newClient := func() (confidential.Client, error) {
		return confidential.New(authority, cfg.ClientID, cred, opts...)
	}
	main, err := newClient()
	if err != nil {
		return nil, fmt.Errorf("msal confidential client: %s", scrub(err.Error(), cfg.ClientSecret))
	}
	secret := cfg.ClientSecret
	return func(ctx context.Context, tenant string, scopes []string, claims string, fresh bool) (azcore.AccessToken, bool, error) {
		client := main
		if fresh && claims == "" {
			// A throwaway client has an empty cache, so MSAL must ask Entra.
			c, err := newClient()
			if err != nil {
				return azcore.AccessToken{}, false, tokenError(errors.New(scrub(err.Error(), secret)), false)
			}
			client = c
		}
		opts := []confidential.AcquireByCredentialOption{confidential.WithTenantID(tenant)}
		if claims != "" {
			opts = append(opts, confidential.WithClaims(claims))
		}
		res, err := client.AcquireTokenByCredential(ctx, scopes, opts...)
		if err != nil {
			return azcore.AccessToken{}, false, sanitizeMSAL(err, secret)
		}
		if res.AccessToken == "" {
			return azcore.AccessToken{}, false, tokenError(errors.New("empty access token"), true)
		}
		return azcore.AccessToken{Token: res.AccessToken, ExpiresOn: res.ExpiresOn, RefreshOn: res.Metadata.RefreshOn},
			res.Metadata.TokenSource == confidential.TokenSourceCache, nil
	}, nil
}

// orOrganizations returns tenant, or "organizations" when it is empty.
func orOrganizations(tenant string) string {
	if tenant == "" {
		return "organizations"
	}
	return tenant
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
func managedIdentityFetcher(cfg AppCredentialConfig, hc *http.Client) (tokenFetcher, error) {
	mi, err := newManagedIdentity(cfg.ManagedIdentityClientID, hc)
	if err != nil {
		return nil, err
	}
	home := cfg.HomeTenantID
	return func(ctx context.Context, tenant string, scopes []string, claims string, fresh bool) (azcore.AccessToken, bool, error) {
		if !strings.EqualFold(tenant, home) {
			return azcore.AccessToken{}, false, tokenError(fmt.Errorf("a managed identity has tokens only for its tenant %s, not %s (use ManagedIdentityFederated for other tenants)", home, tenant), false)
		}
		if len(scopes) != 1 {
			return azcore.AccessToken{}, false, tokenError(errors.New("a managed identity takes exactly one scope"), false)
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
			return azcore.AccessToken{}, false, sanitizeMSAL(err, "")
		}
		if res.AccessToken == "" {
			return azcore.AccessToken{}, false, tokenError(errors.New("empty access token"), true)
		}
		return azcore.AccessToken{Token: res.AccessToken, ExpiresOn: res.ExpiresOn, RefreshOn: res.Metadata.RefreshOn},
			res.Metadata.TokenSource == managedidentity.TokenSourceCache, nil
	}, nil
}

// tokenError wraps cause as an ErrToken *Error.
func tokenError(cause error, retryable bool) *Error {
	return &Error{Op: "graph credential", kind: ErrToken, retryable: retryable, cause: cause}
}

// sanitizeMSAL turns an MSAL error into an ErrToken *Error that keeps the
// message (minus the secret) but not the MSAL value: MSAL's CallErr holds
// the HTTP request, whose body carries the client secret or assertion.
// Entra refusing the client (400/401) is permanent; anything else
// (network, 5xx, 429) is retryable. Context errors stay detectable.
func sanitizeMSAL(err error, secret string) *Error {
	msg := scrub(err.Error(), secret)
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

// scrub removes secret (raw and URL-encoded) from s.
func scrub(s, secret string) string {
	if secret == "" {
		return s
	}
	s = strings.ReplaceAll(s, secret, "[REDACTED]")
	return strings.ReplaceAll(s, url.QueryEscape(secret), "[REDACTED]")
}

// tenantCredential pins every token request to one tenant: kiota never sets
// TokenRequestOptions.TenantID (§2.1), so each tenant's adapter gets one.
type tenantCredential struct {
	inner  azcore.TokenCredential
	tenant string
}

// GetToken implements azcore.TokenCredential.
func (t tenantCredential) GetToken(ctx context.Context, o policy.TokenRequestOptions) (azcore.AccessToken, error) {
	if t.tenant != "" {
		o.TenantID = t.tenant
	}
	return t.inner.GetToken(ctx, o)
}
