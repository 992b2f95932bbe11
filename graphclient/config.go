package graphclient

import (
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strings"

	"github.com/attestbot/attestbot/internal/credential"
)

// Public-cloud defaults.
const (
	// DefaultGraphURL is the Microsoft Graph host; "/v1.0" is appended for
	// calls and "/.default" for the token scope.
	DefaultGraphURL = "https://graph.microsoft.com"
	// DefaultLoginURL is the Microsoft Entra login host.
	DefaultLoginURL = "https://login.microsoftonline.com"
	// MicrosoftGraphAppID is the application ID of the Microsoft Graph
	// service principal, the same in every tenant.
	MicrosoftGraphAppID = "00000003-0000-0000-c000-000000000000"
)

// idRE matches the identifiers this package puts in URLs and $filter
// values (GUIDs, UPNs, catalog and manifest IDs); anything else is refused
// before it reaches Graph.
var idRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._@:#-]{0,255}$`)

// checkTenant validates a specific tenant ID or domain (shared aliases
// such as "organizations" are refused).
func checkTenant(t string) error { return credential.CheckTenant(t) }

// normalizeBaseURL validates a login or Graph base URL (scheme and host, no
// path, query or credentials) and returns it without a trailing slash.
// Login URLs must be https (MSAL refuses anything else); a Graph URL may be
// http on a loopback host.
func normalizeBaseURL(what, raw string, allowLoopbackHTTP bool) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return "", fmt.Errorf("%s: %w", what, err)
	}
	if u.Host == "" || u.User != nil || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("%s %q: want scheme://host[:port] only", what, raw)
	}
	switch {
	case u.Scheme == "https":
	case u.Scheme == "http" && allowLoopbackHTTP && isLoopback(u.Hostname()):
	default:
		return "", fmt.Errorf("%s %q: scheme must be https", what, raw)
	}
	return u.Scheme + "://" + u.Host, nil
}

// isLoopback reports localhost and loopback IP literals.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// graphScope returns the app-only scope of a Graph base URL.
func graphScope(graphURL string) string { return graphURL + "/.default" }

// quoteOData quotes s as an OData string literal.
func quoteOData(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
