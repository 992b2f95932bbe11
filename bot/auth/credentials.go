package auth

import (
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"strings"

	"github.com/attestbot/attestbot/internal/credential"
)

// AppType is the Azure Bot registration type (MicrosoftAppType).
type AppType string

// The app types of botframework.md §2.1.
const (
	// AppTypeMultiTenant authenticates with a secret or certificate against
	// the botframework.com tenant. It is the default.
	AppTypeMultiTenant AppType = "MultiTenant"
	// AppTypeSingleTenant authenticates with a secret or certificate against
	// the bot's own tenant (MicrosoftAppTenantId).
	AppTypeSingleTenant AppType = "SingleTenant"
	// AppTypeUserAssignedMSI authenticates as the user-assigned managed
	// identity whose client ID is MicrosoftAppId; no secret is allowed.
	AppTypeUserAssignedMSI AppType = "UserAssignedMSI"
)

// Defaults for [CredentialConfig].
const (
	// DefaultLoginURL is the public-cloud Entra login host.
	DefaultLoginURL = "https://login.microsoftonline.com"
	// DefaultOAuthScope is the Bot Connector resource; "/.default" is appended.
	DefaultOAuthScope = "https://api.botframework.com"
	// multiTenantAuthority is the tenant MultiTenant bots get tokens from.
	multiTenantAuthority = "botframework.com"
)

// ParseAppType parses a MicrosoftAppType value case-insensitively. Empty
// means MultiTenant. Unlike the SDKs, which fall back to MultiTenant for any
// unknown value, an unknown value is an error, so that a typo does not turn a
// single-tenant bot into a multi-tenant one.
func ParseAppType(s string) (AppType, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "multitenant":
		return AppTypeMultiTenant, nil
	case "singletenant":
		return AppTypeSingleTenant, nil
	case "userassignedmsi":
		return AppTypeUserAssignedMSI, nil
	default:
		return "", fmt.Errorf("MicrosoftAppType %q: want MultiTenant, SingleTenant or UserAssignedMSI", s)
	}
}

// CredentialConfig is the bot's outbound credential configuration. Its
// String, GoString and LogValue methods never show the password.
type CredentialConfig struct {
	// AppType selects the flow; empty means MultiTenant.
	AppType AppType
	// AppID is the Microsoft App ID (for UserAssignedMSI, the identity's
	// client ID). Empty means the bot runs without Bot Framework auth.
	AppID string
	// AppPassword is the client secret. Exclusive with CertificateFile.
	AppPassword string
	// TenantID is the bot's tenant; required for SingleTenant and ignored
	// for MultiTenant (which always uses botframework.com, as the SDKs do).
	TenantID string
	// CertificateFile is a PEM file holding the certificate (chain), and the
	// unencrypted RSA private key unless CertificateKeyFile is set.
	CertificateFile string
	// CertificateKeyFile is an optional PEM file holding the private key.
	CertificateKeyFile string
	// LoginURL is the Entra login host (default DefaultLoginURL). It must be
	// https: MSAL refuses any other authority scheme, loopback included.
	LoginURL string
	// OAuthScope is the token audience (default DefaultOAuthScope);
	// "/.default" is appended when missing.
	OAuthScope string
}

// String implements fmt.Stringer without the password.
func (c CredentialConfig) String() string {
	pw := ""
	if c.AppPassword != "" {
		pw = "[REDACTED]"
	}
	return fmt.Sprintf("{AppType:%s AppID:%s AppPassword:%s TenantID:%s CertificateFile:%s CertificateKeyFile:%s LoginURL:%s OAuthScope:%s}",
		c.AppType, c.AppID, pw, c.TenantID, c.CertificateFile, c.CertificateKeyFile, c.LoginURL, c.OAuthScope)
}

// GoString implements fmt.GoStringer without the password.
func (c CredentialConfig) GoString() string { return "auth.CredentialConfig" + c.String() }

// LogValue implements slog.LogValuer without the password.
func (c CredentialConfig) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("app_type", string(c.AppType)),
		slog.String("app_id", c.AppID),
		slog.Bool("has_password", c.AppPassword != ""),
		slog.String("tenant_id", c.TenantID),
		slog.String("certificate_file", c.CertificateFile),
		slog.String("login_url", c.LoginURL),
	)
}

// withDefaults returns c with the app type, login URL and scope defaulted.
func (c CredentialConfig) withDefaults() (CredentialConfig, error) {
	t, err := ParseAppType(string(c.AppType))
	if err != nil {
		return c, err
	}
	c.AppType = t
	if c.LoginURL == "" {
		c.LoginURL = DefaultLoginURL
	}
	c.LoginURL = strings.TrimRight(c.LoginURL, "/")
	if c.OAuthScope == "" {
		c.OAuthScope = DefaultOAuthScope
	}
	return c, nil
}

// Validate reports every problem of c at once; a nil result means
// [NewTokenSource] can build a token source from it.
func (c CredentialConfig) Validate() error {
	c, err := c.withDefaults()
	if err != nil {
		return err
	}
	var errs []error
	if c.AppID == "" {
		errs = append(errs, errors.New("MicrosoftAppId is required"))
	}
	hasCert := c.CertificateFile != ""
	switch c.AppType {
	case AppTypeMultiTenant, AppTypeSingleTenant:
		switch {
		case c.AppPassword != "" && hasCert:
			errs = append(errs, fmt.Errorf("%s: set either MicrosoftAppPassword or a certificate, not both", c.AppType))
		case c.AppPassword == "" && !hasCert:
			errs = append(errs, fmt.Errorf("%s: MicrosoftAppPassword or a certificate is required", c.AppType))
		}
		if c.CertificateKeyFile != "" && !hasCert {
			errs = append(errs, errors.New("certificate key file set without certificate file"))
		}
		if c.AppType == AppTypeSingleTenant {
			switch {
			case c.TenantID == "":
				errs = append(errs, errors.New("SingleTenant: MicrosoftAppTenantId is required"))
			case credential.IsSharedTenant(c.TenantID):
				errs = append(errs, fmt.Errorf("SingleTenant: MicrosoftAppTenantId must be a specific tenant, not %q", c.TenantID))
			case credential.CheckTenant(c.TenantID) != nil:
				errs = append(errs, fmt.Errorf("SingleTenant: MicrosoftAppTenantId %q is not a tenant ID or domain", c.TenantID))
			}
		}
	case AppTypeUserAssignedMSI:
		if c.AppPassword != "" {
			errs = append(errs, errors.New("UserAssignedMSI: MicrosoftAppPassword must be empty"))
		}
		if hasCert || c.CertificateKeyFile != "" {
			errs = append(errs, errors.New("UserAssignedMSI: a certificate must not be set"))
		}
	}
	if err := checkLoginURL(c.LoginURL); err != nil {
		errs = append(errs, err)
	}
	if strings.TrimSpace(c.OAuthScope) != c.OAuthScope || strings.ContainsAny(c.OAuthScope, " \t\r\n") {
		errs = append(errs, errors.New("OAuth scope must not contain whitespace"))
	}
	return errors.Join(errs...)
}

// checkLoginURL requires an https URL with a host and no path, query or user.
func checkLoginURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("login url: %w", err)
	}
	if u.Scheme != "https" {
		return fmt.Errorf("login url %q: scheme must be https", raw)
	}
	if u.Host == "" || u.User != nil || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("login url %q: want https://host[:port] only", raw)
	}
	return nil
}

// connectorTenant returns the tenant of Bot Connector tokens (defaults
// applied): botframework.com for MultiTenant, the bot's tenant otherwise (a
// UserAssignedMSI bot may have none: the identity's own).
func (c CredentialConfig) connectorTenant() string {
	if c.AppType == AppTypeMultiTenant {
		return multiTenantAuthority
	}
	return c.TenantID
}

// Credential returns the MSAL credential configuration of c, shared by the
// Bot Connector token source and the Graph client: the client secret, the
// certificate and key (read from their files) or, for UserAssignedMSI, the
// managed identity whose client ID is AppID. Its home tenant is the bot's
// tenant for SingleTenant and UserAssignedMSI; a MultiTenant bot has none
// (MicrosoftAppTenantId is ignored), so each token names its tenant:
// botframework.com for the Bot Connector, the conversation's for Graph. The
// scope is left to the caller. c must be valid ([CredentialConfig.Validate]).
func (c CredentialConfig) Credential() (credential.Config, error) {
	c, err := c.withDefaults()
	if err != nil {
		return credential.Config{}, err
	}
	out := credential.Config{ClientID: c.AppID, LoginURL: c.LoginURL}
	switch c.AppType {
	case AppTypeUserAssignedMSI:
		out.ManagedIdentityClientID, out.HomeTenantID = c.AppID, c.TenantID
		return out, nil
	case AppTypeSingleTenant:
		out.HomeTenantID = c.TenantID
	}
	if c.CertificateFile == "" {
		out.ClientSecret = c.AppPassword
		return out, nil
	}
	data, err := os.ReadFile(c.CertificateFile)
	if err != nil {
		return credential.Config{}, fmt.Errorf("read certificate: %w", err)
	}
	if c.CertificateKeyFile != "" {
		key, err := os.ReadFile(c.CertificateKeyFile)
		if err != nil {
			return credential.Config{}, fmt.Errorf("read certificate key: %w", err)
		}
		data = append(append(data, '\n'), key...)
	}
	out.Certificate = data
	return out, nil
}

// scope returns the OAuth scope with "/.default" (defaults applied).
func (c CredentialConfig) scope() string {
	s := strings.TrimRight(c.OAuthScope, "/")
	if strings.HasSuffix(s, "/.default") {
		return s
	}
	return s + "/.default"
}
