package auth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/attestbot/attestbot/internal/credential"
)

// TokenSource returns a bearer token for calls to the Bot Connector service.
// Implementations must be safe for concurrent use.
type TokenSource interface {
	Token(ctx context.Context) (string, error)
}

// ErrTokenAcquisition is wrapped by every error [CachedTokenSource.Token]
// returns when the identity provider could not issue a token.
var ErrTokenAcquisition = errors.New("acquire bot framework token")

// TokenSourceOptions are the optional dependencies of [NewTokenSource].
type TokenSourceOptions struct {
	// HTTPClient is used for every call to Entra or the managed identity
	// endpoint (nil means MSAL's default client, which trusts the system
	// pool and honours SSL_CERT_FILE).
	HTTPClient *http.Client
	// Now returns the current time (default time.Now); tests inject a clock.
	Now func() time.Time
	// Logger receives token refresh events (nil discards).
	Logger *slog.Logger
}

// CachedTokenSource is the [TokenSource] built by [NewTokenSource]: the
// shared MSAL credential ([credential.Credential]) pinned to the Bot
// Connector's tenant and scope. It reuses a token until five minutes before
// it expires (a shorter-lived one for half its life) and lets one caller at
// a time fetch a new one (single-flight).
type CachedTokenSource struct {
	cred   *credential.Credential
	tenant string
	scope  string
	kind   AppType
	logger *slog.Logger
}

// NewTokenSource validates cfg and returns a token source for its app type:
// a client secret or certificate through an MSAL confidential client for
// MultiTenant (tokens from <LoginURL>/botframework.com) and SingleTenant
// (from <LoginURL>/<TenantID>), or MSAL managed identity for
// UserAssignedMSI. The scope is <OAuthScope>/.default.
//
// MSAL's instance discovery is turned off: the authority is configuration,
// and for login.microsoftonline.com MSAL would skip it anyway (trusted host);
// MSAL then reads <authority>/v2.0/.well-known/openid-configuration.
//
// The managed identity source is chosen by MSAL from the environment (App
// Service IDENTITY_ENDPOINT/IDENTITY_HEADER, else IMDS, …).
func NewTokenSource(cfg CredentialConfig, opts TokenSourceOptions) (*CachedTokenSource, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("bot credentials: %w", err)
	}
	cfg, _ = cfg.withDefaults()
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	cc, err := cfg.Credential()
	if err != nil {
		return nil, fmt.Errorf("bot credentials (%s): %w", cfg.AppType, err)
	}
	cred, err := credential.New(cc, credential.Options{HTTPClient: opts.HTTPClient, Now: opts.Now, Logger: opts.Logger})
	if err != nil {
		return nil, fmt.Errorf("bot credentials (%s): %s", cfg.AppType, credential.Scrub(err.Error(), cfg.AppPassword))
	}
	return &CachedTokenSource{cred: cred, tenant: cfg.connectorTenant(), scope: cfg.scope(), kind: cfg.AppType,
		logger: opts.Logger}, nil
}

// AppType returns the app type the source authenticates as.
func (s *CachedTokenSource) AppType() AppType { return s.kind }

// Token returns a cached token, or fetches a new one when the cached token is
// missing or within five minutes of expiry.
func (s *CachedTokenSource) Token(ctx context.Context) (string, error) {
	tok, err := s.cred.Token(ctx, credential.Request{Tenant: s.tenant, Scopes: []string{s.scope}})
	if err != nil {
		if ctx.Err() == nil {
			s.logger.Warn("bot framework token request failed",
				slog.String("app_type", string(s.kind)), slog.Any("err", err))
		}
		return "", fmt.Errorf("%w: %w", ErrTokenAcquisition, err)
	}
	return tok.Value, nil
}
