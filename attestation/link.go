package attestation

import (
	"net/url"
	"regexp"
	"strings"

	"github.com/google/uuid"
)

// LinkKind says what a pasted link points to.
type LinkKind string

// Link kinds recognized by ParseLink.
const (
	// LinkAppSource is an AppSource (or Azure Marketplace) product page;
	// LinkRef.ID is the AppSource offer ID.
	LinkAppSource LinkKind = "appsource"
	// LinkTeamsStore is a Teams store deep link; LinkRef.ID is the Teams
	// app GUID.
	LinkTeamsStore LinkKind = "teams_store"
	// LinkCompliance is a Microsoft 365 App Compliance page on
	// learn.microsoft.com or docs.microsoft.com; LinkRef.Host is the page
	// folder (teams, saas, word…) and LinkRef.ID the page slug. For an
	// azure-id page Host is "azure" and ID the Entra app ID.
	LinkCompliance LinkKind = "compliance"
)

// LinkRef is what a link identifies.
type LinkRef struct {
	// Kind is the kind of link.
	Kind LinkKind `json:"kind"`
	// ID is the AppSource offer ID (WA200003326 upper-cased, or
	// publisher.offer lower-cased), the Teams app GUID (lower-cased), or the
	// compliance page slug (lower-cased; a GUID for azure pages).
	ID string `json:"id"`
	// Host is the compliance page folder (teams, saas, azure…); empty for
	// other kinds.
	Host string `json:"host,omitempty"`
	// Locale is the locale written in the link path, such as fr-FR, or "".
	Locale string `json:"locale,omitempty"`
}

var (
	waIDRE        = regexp.MustCompile(`^[wW][aA][0-9]{9}$`)
	offerIDRE     = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)+$`)
	localeRE      = regexp.MustCompile(`^[a-zA-Z]{2,3}-[a-zA-Z]{2,4}$`)
	slugRE        = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
	complianceDir = map[string]bool{
		"teams": true, "saas": true, "word": true, "outlook": true, "sharepoint": true,
		"excel": true, "web": true, "powerpoint": true, "project": true, "onenote": true,
		"azure": true,
	}
)

// IsGUID reports whether s is a GUID in its 8-4-4-4-12 form (any case).
// uuid.Validate alone also takes the {braced}, urn:uuid: and 32-digit
// forms, which the catalog and Graph never use: the length keeps them out.
func IsGUID(s string) bool { return len(s) == 36 && uuid.Validate(s) == nil }

// normalizeAppSourceID returns the canonical form of an AppSource offer ID:
// WA IDs upper-cased, publisher.offer IDs lower-cased. It reports false for
// anything else.
func normalizeAppSourceID(s string) (string, bool) {
	if len(s) != 11 && !strings.Contains(s, ".") {
		return "", false // neither form: no regexp needed
	}
	switch {
	case waIDRE.MatchString(s):
		return strings.ToUpper(s), true
	case len(s) <= 200 && offerIDRE.MatchString(s):
		return strings.ToLower(s), true
	}
	return "", false
}

// normalizeLocale writes a locale as ll-CC (fr-fr → fr-FR).
func normalizeLocale(s string) string {
	i := strings.IndexByte(s, '-')
	if i < 0 {
		return strings.ToLower(s)
	}
	return strings.ToLower(s[:i]) + "-" + strings.ToUpper(s[i+1:])
}

// ParseLink reads a pasted link:
//   - an AppSource, Azure Marketplace or Microsoft Marketplace product page:
//     https://appsource.microsoft.com/[en-us/]product/office/WA200003326?tab=Overview,
//     …/product/web-apps/publisher.offer,
//     https://marketplace.microsoft.com/[en-us/]product/office/WA104380975,
//     …/marketplace/apps/publisher.offer, …/apps/…/WA104380975;
//   - a Teams store or deep link naming the app: https://teams.microsoft.com/l/app/<guid>,
//     …/l/entity/<guid>/…, the web client's …/_#/l/app/<guid>, msteams:/l/app/<guid>,
//     on teams.microsoft.com, teams.cloud.microsoft or teams.live.com;
//   - an App Compliance page on learn.microsoft.com or docs.microsoft.com
//     (/[fr-fr/]microsoft-365-app-certification/teams/plumm-health-ltd, …/azure/<guid>).
//
// Locale segments, query strings and fragments are ignored. The scheme may
// be missing; surrounding spaces, angle brackets and a Markdown link
// wrapper are ignored. It reports false for anything else.
func ParseLink(s string) (LinkRef, bool) {
	s = strings.TrimSpace(s)
	if len(s) > 2048 {
		return LinkRef{}, false
	}
	// Markdown [text](url) and <url> wrappers as chat clients paste them.
	if strings.HasPrefix(s, "[") && strings.HasSuffix(s, ")") {
		if i := strings.LastIndex(s, "]("); i > 0 {
			s = s[i+2 : len(s)-1]
		}
	}
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(s, "<"), ">"))
	if s == "" || strings.ContainsAny(s, " \t\r\n") {
		return LinkRef{}, false
	}
	lower := strings.ToLower(s)
	switch {
	case strings.HasPrefix(lower, "msteams:"):
		// The desktop client's scheme: msteams:/l/app/<guid> or
		// msteams://teams.microsoft.com/l/app/<guid>.
		rest := strings.TrimLeft(s[len("msteams:"):], "/")
		if !strings.HasPrefix(strings.ToLower(rest), "l/") {
			if i := strings.IndexByte(rest, '/'); i >= 0 {
				rest = rest[i+1:]
			}
		}
		s = "https://teams.microsoft.com/" + rest
	case !strings.HasPrefix(lower, "http://") && !strings.HasPrefix(lower, "https://"):
		if strings.Contains(lower, "://") {
			return LinkRef{}, false
		}
		s = "https://" + s
	}
	if !strings.Contains(s, ".") {
		return LinkRef{}, false // every host below has a dot: a bare word is no link
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return LinkRef{}, false
	}
	host := strings.ToLower(u.Hostname())
	host = strings.TrimPrefix(host, "www.")
	parts := splitPath(u.EscapedPath())
	switch host {
	case "appsource.microsoft.com", "azuremarketplace.microsoft.com", "marketplace.microsoft.com":
		return parseAppSourcePath(parts)
	case "teams.microsoft.com", "teams.cloud.microsoft", "teams.live.com":
		if len(parts) <= 1 && strings.HasPrefix(u.Fragment, "/") {
			// The web client's hash route: /_#/l/app/<guid>.
			frag, _, _ := strings.Cut(u.Fragment, "?")
			parts = splitPath(frag)
		}
		return parseTeamsPath(parts)
	case "learn.microsoft.com", "docs.microsoft.com":
		return parseCompliancePath(parts)
	}
	return LinkRef{}, false
}

// splitPath splits an escaped URL path into unescaped, non-empty segments.
func splitPath(p string) []string {
	var out []string
	for _, seg := range strings.Split(p, "/") {
		if seg == "" {
			continue
		}
		if v, err := url.PathUnescape(seg); err == nil {
			seg = v
		}
		out = append(out, seg)
	}
	return out
}

// takeLocale removes a leading locale segment.
func takeLocale(parts []string) (string, []string) {
	if len(parts) > 0 && localeRE.MatchString(parts[0]) {
		return normalizeLocale(parts[0]), parts[1:]
	}
	return "", parts
}

func parseAppSourcePath(parts []string) (LinkRef, bool) {
	loc, parts := takeLocale(parts)
	if len(parts) < 2 {
		return LinkRef{}, false
	}
	// product/<category>/<id>, marketplace/apps/<id>, apps/<id> or
	// apps/<category>/<id>: the offer ID is the first segment after the
	// route word that reads as one.
	switch strings.ToLower(parts[0]) {
	case "product", "marketplace", "apps":
	default:
		return LinkRef{}, false
	}
	// The usual product/<category>/<id> first.
	if len(parts) >= 3 {
		if id, ok := normalizeAppSourceID(parts[2]); ok {
			return LinkRef{Kind: LinkAppSource, ID: id, Locale: loc}, true
		}
	}
	for _, seg := range parts[1:min(len(parts), 4)] {
		if id, ok := normalizeAppSourceID(seg); ok {
			return LinkRef{Kind: LinkAppSource, ID: id, Locale: loc}, true
		}
	}
	return LinkRef{}, false
}

func parseTeamsPath(parts []string) (LinkRef, bool) {
	// [_/]l/app/<guid> or l/entity/<guid>/<entity>.
	if len(parts) > 0 && parts[0] == "_" {
		parts = parts[1:]
	}
	if len(parts) < 3 || !strings.EqualFold(parts[0], "l") || !IsGUID(parts[2]) {
		return LinkRef{}, false
	}
	switch strings.ToLower(parts[1]) {
	case "app", "entity":
		return LinkRef{Kind: LinkTeamsStore, ID: strings.ToLower(parts[2])}, true
	}
	return LinkRef{}, false
}

func parseCompliancePath(parts []string) (LinkRef, bool) {
	loc, parts := takeLocale(parts)
	// microsoft-365-app-certification/<host>/<slug>[.md]
	if len(parts) < 3 || !strings.EqualFold(parts[0], "microsoft-365-app-certification") {
		return LinkRef{}, false
	}
	host := strings.ToLower(parts[1])
	if !complianceDir[host] {
		return LinkRef{}, false
	}
	slug := strings.ToLower(strings.TrimSuffix(parts[2], ".md"))
	if host == "azure" {
		if !IsGUID(slug) {
			return LinkRef{}, false
		}
	} else if !slugRE.MatchString(slug) || len(slug) > 200 {
		return LinkRef{}, false
	}
	return LinkRef{Kind: LinkCompliance, ID: slug, Host: host, Locale: loc}, true
}

// FindLink returns the first recognized link in a chat message, such as
// "what about https://teams.microsoft.com/l/app/<guid> ?".
func FindLink(text string) (LinkRef, bool) {
	if len(text) > 16384 {
		text = text[:16384]
	}
	for _, f := range strings.Fields(text) {
		f = strings.TrimRight(f, ".,;:!?\"')")
		f = strings.TrimLeft(f, "\"'(")
		if i := strings.Index(f, "]("); i >= 0 {
			f = f[i+2:]
		}
		if ref, ok := ParseLink(f); ok {
			return ref, true
		}
	}
	return LinkRef{}, false
}
