package graphclient

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/attestbot/attestbot/internal/credential"
)

// refreshMargin is how long before expiry a cached token is replaced.
const refreshMargin = credential.RefreshMargin

// DefaultFederationAudience is the audience of the managed identity token
// used as a federated client assertion (public cloud).
const DefaultFederationAudience = credential.DefaultFederationAudience

// CredentialOptions are the optional dependencies of the credentials.
type CredentialOptions = credential.Options

func credentialDefaults(o CredentialOptions) CredentialOptions {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// AppCredentialConfig configures app-only (application permission) Graph
// tokens: it is the one credential configuration of attestbot, shared with
// the Bot Connector token source (see [credential.Config]). Scope defaults
// to DefaultGraphURL + "/.default"; a plain managed identity needs its
// HomeTenantID.
type AppCredentialConfig = credential.Config

// Credential kinds, as reported by AppCredential.Kind.
const (
	KindClientSecret             = credential.KindClientSecret
	KindCertificate              = credential.KindCertificate
	KindManagedIdentity          = credential.KindManagedIdentity
	KindManagedIdentityFederated = credential.KindManagedIdentityFederated
)

// AppCredential is an azcore.TokenCredential for app-only Graph tokens
// through the shared MSAL credential: it serves any tenant named in
// policy.TokenRequestOptions.TenantID (a multi-tenant app gets one token
// per customer tenant; a plain managed identity only its home tenant),
// caches tokens per tenant and scope until five minutes before expiry, and
// fetches each tenant's token once for concurrent callers. It is safe for
// concurrent use.
type AppCredential struct {
	cred *credential.Credential
}

// NewAppCredential validates cfg and builds the credential (see
// [credential.New]).
func NewAppCredential(cfg AppCredentialConfig, opts CredentialOptions) (*AppCredential, error) {
	if cfg.Scope == "" {
		cfg.Scope = graphScope(DefaultGraphURL)
	}
	var errs []error
	if cfg.Kind() == KindManagedIdentity {
		if err := checkTenant(cfg.HomeTenantID); err != nil {
			errs = append(errs, fmt.Errorf("home tenant: %w", err))
		}
	}
	if err := cfg.Validate(); err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("graph credentials: %w", err)
	}
	cred, err := credential.New(cfg, credentialDefaults(opts))
	if err != nil {
		return nil, fmt.Errorf("graph credentials: %w", err)
	}
	return &AppCredential{cred: cred}, nil
}

// Kind returns the credential kind (KindClientSecret, KindCertificate, …).
func (c *AppCredential) Kind() string { return c.cred.Kind() }

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
	tok, err := c.cred.Token(ctx, credential.Request{Tenant: o.TenantID, Scopes: o.Scopes, Claims: o.Claims,
		MinLifetime: minTokenLifetime(ctx)})
	if err != nil {
		return azcore.AccessToken{}, graphTokenError(err)
	}
	return azcore.AccessToken{Token: tok.Value, ExpiresOn: tok.ExpiresOn, RefreshOn: tok.RefreshOn}, nil
}

// graphTokenError wraps a credential failure as an ErrToken *Error,
// retryable as the credential says.
func graphTokenError(err error) *Error {
	var ce *credential.Error
	return tokenError(err, errors.As(err, &ce) && ce.Retryable())
}

// tokenError wraps cause as an ErrToken *Error.
func tokenError(cause error, retryable bool) *Error {
	return &Error{Op: "graph credential", kind: ErrToken, retryable: retryable, cause: cause}
}

// sanitizeMSAL turns an MSAL error into an ErrToken *Error (see
// [credential.Sanitize]).
func sanitizeMSAL(err error, secret string) *Error {
	ce := credential.Sanitize(err, secret)
	return tokenError(ce, ce.Retryable())
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
