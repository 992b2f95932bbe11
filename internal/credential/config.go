// Package credential is attestbot's one MSAL Go credential stack: the app
// registration's client secret or certificate (MSAL confidential client),
// its user-assigned managed identity (MSAL managed identity), or that
// identity's token as a federated client assertion. The Bot Connector token
// source (bot/auth) and the Graph credential (graphclient) both sit on it.
//
// A [Credential] serves app-only tokens for any specific tenant a request
// names (a multi-tenant app gets one token per customer tenant: every Graph
// call uses the tenant of the conversation or subscription it serves, and
// Bot Connector tokens come from botframework.com). It caches them per
// tenant and scope, refreshes them ahead of expiry, and lets one caller at
// a time fetch a tenant's token. The shared aliases "common",
// "organizations" and "consumers" are refused: an app-only token must name
// its tenant. Errors never carry the secret or MSAL's request.
package credential

import (
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/confidential"
)

// DefaultLoginURL is the public-cloud Entra login host.
const DefaultLoginURL = "https://login.microsoftonline.com"

// DefaultFederationAudience is the audience of the managed identity token
// used as a federated client assertion (public cloud).
const DefaultFederationAudience = "api://AzureADTokenExchange"

// Credential kinds, as reported by [Config.Kind].
const (
	KindClientSecret             = "client_secret"
	KindCertificate              = "certificate"
	KindManagedIdentity          = "managed_identity"
	KindManagedIdentityFederated = "managed_identity_federated"
)

// Config is the app registration's credential. Exactly one of
// ClientSecret, Certificate and ManagedIdentityClientID must be set. Its
// String, GoString and LogValue methods never show the secret or the key.
type Config struct {
	// ClientID is the Entra application (client) ID. Required except for a
	// plain managed identity.
	ClientID string
	// ClientSecret is the application's client secret.
	ClientSecret string
	// Certificate is PEM data holding the certificate (chain) and its
	// unencrypted RSA private key; MSAL signs a client assertion with it.
	// An expired certificate is refused.
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
	// authority tenant and the tenant of a request that names none. Empty
	// means a multi-tenant app with no home tenant: the authority is
	// "organizations" and every request must name its tenant, which gets
	// its own token. A plain managed identity serves its home tenant only.
	HomeTenantID string
	// LoginURL is the Entra login host (default DefaultLoginURL); https only.
	LoginURL string
	// Scope is the scope of a request that names none, e.g.
	// "https://graph.microsoft.com/.default" (empty: requests must name
	// theirs).
	Scope string
}

// String implements fmt.Stringer without secrets.
func (c Config) String() string {
	return fmt.Sprintf("{ClientID:%s ClientSecret:%s Certificate:%s ManagedIdentityClientID:%s ManagedIdentityFederated:%t HomeTenantID:%s LoginURL:%s Scope:%s}",
		c.ClientID, redacted(c.ClientSecret != ""), redacted(len(c.Certificate) > 0), c.ManagedIdentityClientID,
		c.ManagedIdentityFederated, c.HomeTenantID, c.LoginURL, c.Scope)
}

// GoString implements fmt.GoStringer without secrets.
func (c Config) GoString() string { return "credential.Config" + c.String() }

// LogValue implements slog.LogValuer without secrets.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(slog.String("client_id", c.ClientID), slog.String("kind", c.Kind()),
		slog.String("home_tenant_id", c.HomeTenantID), slog.String("login_url", c.LoginURL))
}

func redacted(set bool) string {
	if set {
		return "[REDACTED]"
	}
	return ""
}

// Kind returns the credential kind (KindClientSecret, KindCertificate, …).
func (c Config) Kind() string {
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

// withDefaults returns c with its defaults applied and checked.
func (c Config) withDefaults() (Config, error) {
	var errs []error
	if c.LoginURL == "" {
		c.LoginURL = DefaultLoginURL
	}
	if c.FederationAudience == "" {
		c.FederationAudience = DefaultFederationAudience
	}
	var err error
	if c.LoginURL, err = normalizeLoginURL(c.LoginURL); err != nil {
		errs = append(errs, err)
	}
	if c.HomeTenantID != "" {
		if err := CheckTenant(c.HomeTenantID); err != nil {
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
	if strings.ContainsAny(c.Scope, " \t\r\n") {
		errs = append(errs, errors.New("scope must not contain whitespace"))
	}
	return c, errors.Join(errs...)
}

// Validate reports every problem of c at once; nil means [New] can build a
// credential from it (a certificate is parsed only by New).
func (c Config) Validate() error {
	_, err := c.withDefaults()
	return err
}

// tenantRE matches a tenant GUID or domain name.
// isTenantName reports whether t can be a tenant ID or domain: 1 to 253
// letters, digits, dots and hyphens, starting with a letter or digit
// (checked on every token asked for, so without a regular expression).
func isTenantName(t string) bool {
	if len(t) == 0 || len(t) > 253 {
		return false
	}
	for i := 0; i < len(t); i++ {
		c := t[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case (c == '.' || c == '-') && i > 0:
		default:
			return false
		}
	}
	return true
}

// IsSharedTenant reports the multi-tenant aliases ("common",
// "organizations", "consumers") that cannot name the tenant of an app-only
// token.
func IsSharedTenant(t string) bool {
	return strings.EqualFold(t, "common") || strings.EqualFold(t, "organizations") || strings.EqualFold(t, "consumers")
}

// CheckTenant validates a specific tenant ID or domain.
func CheckTenant(t string) error {
	switch {
	case t == "":
		return errors.New("tenant ID is required")
	case !isTenantName(t):
		return fmt.Errorf("tenant %q is not a tenant ID or domain", t)
	case IsSharedTenant(t):
		return fmt.Errorf("tenant must be a specific tenant, not %q", t)
	}
	return nil
}

// normalizeLoginURL requires an https URL with a host and nothing else
// (MSAL refuses any other authority scheme, loopback included) and returns
// it without a trailing slash.
func normalizeLoginURL(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return "", fmt.Errorf("login url: %w", err)
	}
	if u.Scheme != "https" {
		return "", fmt.Errorf("login url %q: scheme must be https", raw)
	}
	if u.Host == "" || u.User != nil || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("login url %q: want https://host[:port] only", raw)
	}
	return strings.TrimRight(u.String(), "/"), nil
}

// certCredential parses PEM data holding a certificate (chain) and its key
// and refuses an expired certificate.
func certCredential(data []byte, now time.Time) (confidential.Credential, error) {
	certs, key, err := confidential.CertFromPEM(data, "")
	if err != nil {
		return confidential.Credential{}, fmt.Errorf("parse certificate: %w", err)
	}
	cred, err := confidential.NewCredFromCert(certs, key)
	if err != nil {
		return confidential.Credential{}, fmt.Errorf("certificate: %w", err)
	}
	if leaf := matchingCert(certs, key); leaf != nil && now.After(leaf.NotAfter) {
		return confidential.Credential{}, fmt.Errorf("certificate expired at %s", leaf.NotAfter.UTC().Format(time.RFC3339))
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
