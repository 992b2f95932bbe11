package graphclient

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/public"
	"github.com/attestbot/attestbot/internal/credential"
)

// DeviceCodePrompt is what the user must do to finish a device code
// sign-in.
type DeviceCodePrompt struct {
	// Message is Entra's ready-to-print instruction ("To sign in, use a web
	// browser to open the page … and enter the code …").
	Message string
	// UserCode is the code to enter.
	UserCode string
	// VerificationURL is the page to open.
	VerificationURL string
	// ExpiresOn is when the code stops working.
	ExpiresOn time.Time
}

// DeviceCodeConfig configures delegated (signed-in user) Graph tokens
// through the OAuth 2.0 device code flow, used by `attestbot manifest
// publish`: publishing to a tenant app catalog has no application
// permission.
type DeviceCodeConfig struct {
	// ClientID is the public client application ID ("Allow public client
	// flows" on its registration). Required.
	ClientID string
	// TenantID is the authority tenant (default "organizations").
	TenantID string
	// LoginURL is the Entra login host (default DefaultLoginURL); https only.
	LoginURL string
	// GraphURL is the Graph host (default DefaultGraphURL).
	GraphURL string
	// Scopes are the delegated scopes to ask for (default GraphURL +
	// "/.default", the app's statically configured permissions, e.g.
	// AppCatalog.ReadWrite.All or AppCatalog.Submit).
	Scopes []string
	// Prompt shows the device code to the user (required). Its error
	// aborts the sign-in.
	Prompt func(ctx context.Context, p DeviceCodePrompt) error
}

// DeviceCodeCredential is an azcore.TokenCredential for a signed-in user.
// The first GetToken runs the device code flow (Prompt, then MSAL polls
// until the user signs in); later calls are served silently from MSAL's
// cache or with the refresh token. Interactive flows are serialized. Safe
// for concurrent use.
type DeviceCodeCredential struct {
	app    public.Client
	tenant string
	scopes []string
	prompt func(ctx context.Context, p DeviceCodePrompt) error
	logger *slog.Logger

	mu      sync.Mutex
	account *public.Account
}

// NewDeviceCodeCredential validates cfg and builds an MSAL public client
// (authority LoginURL/TenantID, instance discovery off).
func NewDeviceCodeCredential(cfg DeviceCodeConfig, opts CredentialOptions) (*DeviceCodeCredential, error) {
	opts = credentialDefaults(opts)
	var errs []error
	if cfg.ClientID == "" {
		errs = append(errs, errors.New("client ID is required"))
	}
	if cfg.Prompt == nil {
		errs = append(errs, errors.New("a device code prompt is required"))
	}
	if cfg.TenantID == "" {
		cfg.TenantID = "organizations"
	}
	if err := credential.CheckTenant(cfg.TenantID); err != nil && !credential.IsSharedTenant(cfg.TenantID) {
		errs = append(errs, err) // delegated sign-in may use a shared authority
	}
	if cfg.LoginURL == "" {
		cfg.LoginURL = DefaultLoginURL
	}
	if cfg.GraphURL == "" {
		cfg.GraphURL = DefaultGraphURL
	}
	login, err := normalizeBaseURL("login url", cfg.LoginURL, false)
	if err != nil {
		errs = append(errs, err)
	}
	graph, err := normalizeBaseURL("graph url", cfg.GraphURL, true)
	if err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("graph device code credentials: %w", err)
	}
	scopes := cfg.Scopes
	if len(scopes) == 0 {
		scopes = []string{graphScope(graph)}
	}
	popts := []public.Option{public.WithAuthority(login + "/" + cfg.TenantID), public.WithInstanceDiscovery(false)}
	if opts.HTTPClient != nil {
		popts = append(popts, public.WithHTTPClient(opts.HTTPClient))
	}
	app, err := public.New(cfg.ClientID, popts...)
	if err != nil {
		return nil, fmt.Errorf("msal public client: %w", err)
	}
	return &DeviceCodeCredential{app: app, tenant: cfg.TenantID, scopes: scopes, prompt: cfg.Prompt, logger: opts.Logger}, nil
}

// GetToken implements azcore.TokenCredential. A TenantID in o must be the
// configured tenant unless that is "organizations" or "common".
func (c *DeviceCodeCredential) GetToken(ctx context.Context, o policy.TokenRequestOptions) (azcore.AccessToken, error) {
	scopes := o.Scopes
	if len(scopes) == 0 {
		scopes = c.scopes
	}
	var tenantOpt []string
	if o.TenantID != "" && !strings.EqualFold(o.TenantID, c.tenant) {
		if !credential.IsSharedTenant(c.tenant) {
			return azcore.AccessToken{}, tokenError(fmt.Errorf("device code credential is for tenant %s, not %s", c.tenant, o.TenantID), false)
		}
		tenantOpt = append(tenantOpt, o.TenantID)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.account != nil {
		sopts := []public.AcquireSilentOption{public.WithSilentAccount(*c.account)}
		for _, t := range tenantOpt {
			sopts = append(sopts, public.WithTenantID(t))
		}
		if o.Claims != "" {
			sopts = append(sopts, public.WithClaims(o.Claims))
		}
		res, err := c.app.AcquireTokenSilent(ctx, scopes, sopts...)
		if err == nil {
			return azcore.AccessToken{Token: res.AccessToken, ExpiresOn: res.ExpiresOn, RefreshOn: res.Metadata.RefreshOn}, nil
		}
		if ctx.Err() != nil {
			return azcore.AccessToken{}, sanitizeMSAL(err, "")
		}
		c.logger.Debug("graph silent token failed, starting device code flow", slog.Any("err", sanitizeMSAL(err, "")))
	}
	var dopts []public.AcquireByDeviceCodeOption
	for _, t := range tenantOpt {
		dopts = append(dopts, public.WithTenantID(t))
	}
	if o.Claims != "" {
		dopts = append(dopts, public.WithClaims(o.Claims))
	}
	dc, err := c.app.AcquireTokenByDeviceCode(ctx, scopes, dopts...)
	if err != nil {
		return azcore.AccessToken{}, sanitizeMSAL(err, "")
	}
	if err := c.prompt(ctx, DeviceCodePrompt{Message: dc.Result.Message, UserCode: dc.Result.UserCode,
		VerificationURL: dc.Result.VerificationURL, ExpiresOn: dc.Result.ExpiresOn}); err != nil {
		return azcore.AccessToken{}, tokenError(fmt.Errorf("device code prompt: %w", err), false)
	}
	res, err := dc.AuthenticationResult(ctx)
	if err != nil {
		return azcore.AccessToken{}, sanitizeMSAL(err, "")
	}
	acct := res.Account
	c.account = &acct
	c.logger.Debug("graph device code sign-in complete", slog.String("tenant_id", acct.Realm),
		slog.Time("expires_on", res.ExpiresOn))
	return azcore.AccessToken{Token: res.AccessToken, ExpiresOn: res.ExpiresOn, RefreshOn: res.Metadata.RefreshOn}, nil
}

// Account returns the signed-in user's name (preferred_username) and
// tenant, or empty strings before sign-in.
func (c *DeviceCodeCredential) Account() (username, tenantID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.account == nil {
		return "", ""
	}
	return c.account.PreferredUsername, c.account.Realm
}
