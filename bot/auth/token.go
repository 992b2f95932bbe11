package auth

import (
	"context"
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/confidential"
	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/managedidentity"
	"golang.org/x/sync/singleflight"
)

// TokenSource returns a bearer token for calls to the Bot Connector service.
// Implementations must be safe for concurrent use.
type TokenSource interface {
	Token(ctx context.Context) (string, error)
}

// ErrTokenAcquisition is wrapped by every error [CachedTokenSource.Token]
// returns when the identity provider could not issue a token.
var ErrTokenAcquisition = errors.New("acquire bot framework token")

// refreshMargin is how long before expiry a cached token is replaced, as the
// SDKs do (botframework.md §2.3).
const refreshMargin = 5 * time.Minute

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

// fetchedToken is one token with its expiry.
type fetchedToken struct {
	value     string
	expiresOn time.Time
}

// tokenFetcher asks the identity provider for a new token.
type tokenFetcher interface {
	fetch(ctx context.Context) (fetchedToken, error)
}

// CachedTokenSource is the [TokenSource] built by [NewTokenSource]: it reuses
// a token until five minutes before it expires and lets one caller at a time
// fetch a new one (single-flight).
type CachedTokenSource struct {
	fetcher tokenFetcher
	now     func() time.Time
	logger  *slog.Logger
	kind    AppType
	group   singleflight.Group

	mu        sync.RWMutex
	token     fetchedToken
	refreshAt time.Time
}

// NewTokenSource validates cfg and returns a token source for its app type:
// a client secret or certificate through MSAL confidential clients for
// MultiTenant (authority <LoginURL>/botframework.com) and SingleTenant
// (authority <LoginURL>/<TenantID>), or MSAL managed identity for
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
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}

	var (
		f   tokenFetcher
		err error
	)
	switch cfg.AppType {
	case AppTypeUserAssignedMSI:
		f, err = newManagedIdentityFetcher(cfg, opts.HTTPClient)
	default:
		f, err = newConfidentialFetcher(cfg, opts.HTTPClient, opts.Now)
	}
	if err != nil {
		return nil, fmt.Errorf("bot credentials (%s): %w", cfg.AppType, err)
	}
	return newCachedTokenSource(f, cfg.AppType, opts.Now, opts.Logger), nil
}

func newCachedTokenSource(f tokenFetcher, kind AppType, now func() time.Time, logger *slog.Logger) *CachedTokenSource {
	return &CachedTokenSource{fetcher: f, now: now, logger: logger, kind: kind}
}

// AppType returns the app type the source authenticates as.
func (s *CachedTokenSource) AppType() AppType { return s.kind }

// Token returns a cached token, or fetches a new one when the cached token is
// missing or within five minutes of expiry.
func (s *CachedTokenSource) Token(ctx context.Context) (string, error) {
	if tok, ok := s.cached(); ok {
		return tok, nil
	}
	ch := s.group.DoChan("token", func() (any, error) {
		if tok, ok := s.cached(); ok {
			return tok, nil
		}
		// Shared by every waiting caller: do not fail because the first gave up.
		t, err := s.fetcher.fetch(context.WithoutCancel(ctx))
		if err != nil {
			s.logger.Warn("bot framework token request failed",
				slog.String("app_type", string(s.kind)), slog.Any("err", err))
			return "", err
		}
		now := s.now()
		refreshAt := t.expiresOn.Add(-refreshMargin)
		if !refreshAt.After(now) {
			// Short-lived token: reuse it for half its remaining life.
			refreshAt = now.Add(t.expiresOn.Sub(now) / 2)
		}
		s.mu.Lock()
		s.token, s.refreshAt = t, refreshAt
		s.mu.Unlock()
		s.logger.Debug("bot framework token acquired",
			slog.String("app_type", string(s.kind)), slog.Time("expires_on", t.expiresOn))
		return t.value, nil
	})
	select {
	case res := <-ch:
		if res.Err != nil {
			return "", res.Err
		}
		tok, _ := res.Val.(string)
		return tok, nil
	case <-ctx.Done():
		return "", fmt.Errorf("%w: %w", ErrTokenAcquisition, ctx.Err())
	}
}

// cached returns the cached token when it is still fresh.
func (s *CachedTokenSource) cached() (string, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.token.value != "" && s.now().Before(s.refreshAt) {
		return s.token.value, true
	}
	return "", false
}

// confidentialFetcher gets app tokens with a secret or certificate.
type confidentialFetcher struct {
	client confidential.Client
	scopes []string
	secret string // only to scrub error text
}

func newConfidentialFetcher(cfg CredentialConfig, hc *http.Client, now func() time.Time) (*confidentialFetcher, error) {
	var (
		cred confidential.Credential
		err  error
	)
	if cfg.CertificateFile != "" {
		cred, err = certCredential(cfg.CertificateFile, cfg.CertificateKeyFile, now())
	} else {
		cred, err = confidential.NewCredFromSecret(cfg.AppPassword)
		if err != nil {
			err = errors.New("invalid client secret")
		}
	}
	if err != nil {
		return nil, err
	}
	opts := []confidential.Option{confidential.WithInstanceDiscovery(false)}
	if hc != nil {
		opts = append(opts, confidential.WithHTTPClient(hc))
	}
	client, err := confidential.New(cfg.authority(), cfg.AppID, cred, opts...)
	if err != nil {
		return nil, fmt.Errorf("msal confidential client: %s", scrub(err.Error(), cfg.AppPassword))
	}
	return &confidentialFetcher{client: client, scopes: []string{cfg.scope()}, secret: cfg.AppPassword}, nil
}

func (f *confidentialFetcher) fetch(ctx context.Context) (fetchedToken, error) {
	res, err := f.client.AcquireTokenByCredential(ctx, f.scopes)
	if err != nil {
		return fetchedToken{}, sanitize(err, f.secret)
	}
	if res.AccessToken == "" {
		return fetchedToken{}, fmt.Errorf("%w: empty access token", ErrTokenAcquisition)
	}
	return fetchedToken{value: res.AccessToken, expiresOn: res.ExpiresOn}, nil
}

// certCredential loads a PEM certificate and RSA key (from keyFile, or from
// certFile when keyFile is empty) and refuses an expired certificate.
func certCredential(certFile, keyFile string, now time.Time) (confidential.Credential, error) {
	data, err := os.ReadFile(certFile)
	if err != nil {
		return confidential.Credential{}, fmt.Errorf("read certificate: %w", err)
	}
	if keyFile != "" {
		key, err := os.ReadFile(keyFile)
		if err != nil {
			return confidential.Credential{}, fmt.Errorf("read certificate key: %w", err)
		}
		data = append(append(data, '\n'), key...)
	}
	certs, key, err := confidential.CertFromPEM(data, "")
	if err != nil {
		return confidential.Credential{}, fmt.Errorf("parse certificate %s: %w", certFile, err)
	}
	cred, err := confidential.NewCredFromCert(certs, key)
	if err != nil {
		return confidential.Credential{}, fmt.Errorf("certificate %s: %w", certFile, err)
	}
	if leaf := matchingCert(certs, key); leaf != nil && now.After(leaf.NotAfter) {
		return confidential.Credential{}, fmt.Errorf("certificate %s expired at %s", certFile, leaf.NotAfter.UTC().Format(time.RFC3339))
	}
	return cred, nil
}

// matchingCert returns the certificate whose public key matches key.
func matchingCert(certs []*x509.Certificate, key any) *x509.Certificate {
	signer, ok := key.(crypto.Signer)
	if !ok {
		return nil
	}
	pub := signer.Public()
	type equaler interface{ Equal(x crypto.PublicKey) bool }
	for _, c := range certs {
		if e, ok := c.PublicKey.(equaler); ok && e.Equal(pub) {
			return c
		}
	}
	return nil
}

// managedIdentityFetcher gets tokens for a user-assigned managed identity.
type managedIdentityFetcher struct {
	client   managedidentity.Client
	resource string
}

func newManagedIdentityFetcher(cfg CredentialConfig, hc *http.Client) (*managedIdentityFetcher, error) {
	var opts []managedidentity.ClientOption
	if hc != nil {
		opts = append(opts, managedidentity.WithHTTPClient(hc))
	}
	client, err := managedidentity.New(managedidentity.UserAssignedClientID(cfg.AppID), opts...)
	if err != nil {
		return nil, fmt.Errorf("msal managed identity client: %w", err)
	}
	return &managedIdentityFetcher{client: client, resource: strings.TrimSuffix(cfg.scope(), "/.default")}, nil
}

func (f *managedIdentityFetcher) fetch(ctx context.Context) (fetchedToken, error) {
	res, err := f.client.AcquireToken(ctx, f.resource)
	if err != nil {
		return fetchedToken{}, sanitize(err, "")
	}
	if res.AccessToken == "" {
		return fetchedToken{}, fmt.Errorf("%w: empty access token", ErrTokenAcquisition)
	}
	return fetchedToken{value: res.AccessToken, expiresOn: res.ExpiresOn}, nil
}

// sanitize turns an MSAL error into one that keeps its message (minus the
// secret, should it ever appear) but not the MSAL value: MSAL's CallErr holds
// the HTTP request, whose body carries the client secret or assertion, and
// prints it from Verbose. Context cancellation stays detectable.
func sanitize(err error, secret string) error {
	msg := scrub(err.Error(), secret)
	switch {
	case errors.Is(err, context.Canceled):
		return fmt.Errorf("%w: %w: %s", ErrTokenAcquisition, context.Canceled, msg)
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("%w: %w: %s", ErrTokenAcquisition, context.DeadlineExceeded, msg)
	default:
		return fmt.Errorf("%w: %s", ErrTokenAcquisition, msg)
	}
}

// scrub removes secret from s.
func scrub(s, secret string) string {
	if secret == "" {
		return s
	}
	s = strings.ReplaceAll(s, secret, "[REDACTED]")
	return strings.ReplaceAll(s, url.QueryEscape(secret), "[REDACTED]")
}
