package manifest

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// Default values of the optional Config fields.
const (
	DefaultVersion          = "1.0.0"
	DefaultShortName        = "attestbot"
	DefaultFullName         = "attestbot: Microsoft 365 app compliance in Teams"
	DefaultShortDescription = "Ask whether a Microsoft 365 app is safe: compliance, permissions, changes."
	DefaultAccentColor      = "#0B5CAD"
	DefaultDeveloperName    = "attestbot"
	DefaultHostingModel     = "Paas"
	DefaultCloudProviders   = "Azure"
)

// DefaultAttestedOn is the date attestbot's own compliance answers were
// last reviewed; update it whenever compliance.go's answers change.
var DefaultAttestedOn = time.Date(2026, time.November, 27, 0, 0, 0, 0, time.UTC)

// DefaultLongDescription is the full description used when Config leaves it
// empty.
const DefaultLongDescription = "attestbot answers the question admins ask before they allow a third-party app: is it safe? " +
	"It knows the public Microsoft 365 App Compliance record of every app (Publisher Attestation or Microsoft 365 " +
	"Certification): general information, data handling, security, compliance, privacy and zero-trust answers, and " +
	"the Microsoft Graph permissions each app requests with the publisher's justification. " +
	"Ask about an app by name, AppSource ID, Teams app ID or link; compare apps; filter by certification or " +
	"permission; subscribe to an app and get an activity feed alert when its record changes; audit the apps of " +
	"your tenant catalog. Search apps and unfurl AppSource, Teams store and Microsoft Learn links from the compose box."

// Localized holds the translated names and descriptions of one additional
// language. An empty field falls back to the English text.
type Localized struct {
	ShortName        string
	FullName         string
	ShortDescription string
	LongDescription  string
}

// Config is what Build needs to write attestbot's Teams app manifest and
// package. AppID, BotID and PublicURL are required; every other field has
// a default (see DefaultConfig and the Default constants).
type Config struct {
	// AppID is the Teams app ID, the manifest "id" (a GUID, unique per
	// deployment). Environment: ATTESTBOT_TEAMS_APP_ID.
	AppID string
	// BotID is the Azure Bot's Microsoft App ID (a GUID). Environment:
	// MicrosoftAppId.
	BotID string
	// EntraAppID is the Entra app registration that calls Microsoft Graph
	// (webApplicationInfo.id, a GUID). Default: BotID.
	EntraAppID string
	// PublicURL is the https base URL the bot is reachable at; its host
	// becomes the valid domain and the webApplicationInfo resource.
	// Environment: ATTESTBOT_PUBLIC_URL.
	PublicURL string
	// Version is the app version (x.y.z). Default DefaultVersion.
	Version string
	// ShortName (≤ 30 characters) and FullName (≤ 100) name the app.
	ShortName string
	FullName  string
	// ShortDescription (≤ 80 characters) and LongDescription (≤ 4000)
	// describe the app.
	ShortDescription string
	LongDescription  string
	// AccentColor is the icon background colour, #RRGGBB. Default
	// DefaultAccentColor.
	AccentColor string
	// DeveloperName (≤ 32 characters) names the publisher. Default
	// DefaultDeveloperName.
	DeveloperName string
	// WebsiteURL, PrivacyURL and TermsURL are the developer's https pages.
	// Defaults: PublicURL, PublicURL/privacy and PublicURL/terms.
	WebsiteURL string
	PrivacyURL string
	TermsURL   string
	// AppSourceID is the AppSource offer ID (WA…) when attestbot is listed
	// there; empty means not listed (the compliance page then shows the
	// Teams app ID and no AppSource link).
	AppSourceID string
	// Headquarters is the publisher's headquarters country for the
	// compliance page; empty leaves the answer blank.
	Headquarters string
	// HostingModel (Paas, Iaas, IsvHosted, Hybrid) and CloudProviders
	// (Azure, Aws, GCP, …) answer the compliance page's hosting questions.
	// Defaults: Paas and Azure, as deploy/azure runs attestbot on Azure
	// Container Apps.
	HostingModel   string
	CloudProviders string
	// AttestedOn is the date the compliance answers were last reviewed.
	// Default DefaultAttestedOn.
	AttestedOn time.Time
	// Localized maps a language tag (fr, de, …) to its translations. Nil
	// means the built-in fr and de translations of the default texts;
	// an empty non-nil map means no additional language.
	Localized map[string]Localized
}

// DefaultConfig returns a Config with every optional field set to its
// default; the caller sets AppID, BotID and PublicURL.
func DefaultConfig() Config {
	return Config{
		Version:          DefaultVersion,
		ShortName:        DefaultShortName,
		FullName:         DefaultFullName,
		ShortDescription: DefaultShortDescription,
		LongDescription:  DefaultLongDescription,
		AccentColor:      DefaultAccentColor,
		DeveloperName:    DefaultDeveloperName,
		HostingModel:     DefaultHostingModel,
		CloudProviders:   DefaultCloudProviders,
		AttestedOn:       DefaultAttestedOn,
		Localized:        defaultLocalized(),
	}
}

// WithDefaults returns a copy of c with every empty optional field set to
// its default.
func (c Config) WithDefaults() Config {
	d := DefaultConfig()
	set := func(p *string, v string) {
		*p = strings.TrimSpace(*p)
		if *p == "" {
			*p = v
		}
	}
	set(&c.Version, d.Version)
	set(&c.ShortName, d.ShortName)
	set(&c.FullName, d.FullName)
	set(&c.ShortDescription, d.ShortDescription)
	set(&c.LongDescription, d.LongDescription)
	set(&c.AccentColor, d.AccentColor)
	set(&c.DeveloperName, d.DeveloperName)
	set(&c.HostingModel, d.HostingModel)
	set(&c.CloudProviders, d.CloudProviders)
	c.AppSourceID = strings.TrimSpace(c.AppSourceID)
	c.Headquarters = strings.TrimSpace(c.Headquarters)
	if c.AttestedOn.IsZero() {
		c.AttestedOn = d.AttestedOn
	}
	c.AppID = strings.ToLower(strings.TrimSpace(c.AppID))
	c.BotID = strings.ToLower(strings.TrimSpace(c.BotID))
	set(&c.EntraAppID, c.BotID)
	c.EntraAppID = strings.ToLower(c.EntraAppID)
	c.PublicURL = strings.TrimRight(strings.TrimSpace(c.PublicURL), "/")
	if c.PublicURL != "" {
		set(&c.WebsiteURL, c.PublicURL)
		set(&c.PrivacyURL, c.PublicURL+"/privacy")
		set(&c.TermsURL, c.PublicURL+"/terms")
	}
	if c.Localized == nil {
		c.Localized = d.Localized
	}
	return c
}

var (
	guidRe      = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	versionRe   = regexp.MustCompile(`^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$`)
	colorRe     = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)
	appSourceRe = regexp.MustCompile(`^(WA[0-9]{9}|[A-Za-z0-9_-]+\.[A-Za-z0-9_.-]+)$`)
	langRe      = regexp.MustCompile(`^[A-Za-z0-9]{1,8}(-[A-Za-z0-9]{1,8}){0,2}$`)
)

const nilGUID = "00000000-0000-0000-0000-000000000000"

// IsGUID reports whether s is a GUID in the 8-4-4-4-12 hex form the
// manifest schema requires.
func IsGUID(s string) bool { return guidRe.MatchString(s) }

// Validate checks the configuration after defaults are applied and returns
// every problem at once (joined), each naming the field and, where there
// is one, its environment variable.
func (c Config) Validate() error {
	explicit := c // URLs derived from the public URL are reported through it
	c = c.WithDefaults()
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	guid := func(name, env, v string) {
		switch {
		case v == "":
			bad("%s (%s) is required", name, env)
		case !IsGUID(v):
			bad("%s (%s) %q is not a GUID like 8f1d2c3b-4a5e-4f60-9a7b-1c2d3e4f5a6b", name, env, v)
		case v == nilGUID:
			bad("%s (%s) is the nil GUID; use the real ID", name, env)
		}
	}
	guid("Teams app ID", "ATTESTBOT_TEAMS_APP_ID", c.AppID)
	guid("bot ID", "MicrosoftAppId", c.BotID)
	if c.EntraAppID != c.BotID {
		guid("Entra app ID", "webApplicationInfo.id", c.EntraAppID)
	}
	if c.PublicURL == "" {
		bad("public URL (ATTESTBOT_PUBLIC_URL) is required, for example https://attestbot.example.com")
	} else if err := checkHTTPS(c.PublicURL); err != nil {
		bad("public URL (ATTESTBOT_PUBLIC_URL) %q: %w", c.PublicURL, err)
	}
	for _, u := range []struct{ name, v string }{
		{"developer website URL", explicit.WebsiteURL}, {"privacy URL", explicit.PrivacyURL}, {"terms of use URL", explicit.TermsURL},
	} {
		u.v = strings.TrimSpace(u.v)
		if u.v == "" {
			continue
		}
		if err := checkHTTPS(u.v); err != nil {
			bad("%s %q: %w", u.name, u.v, err)
		}
		if len(u.v) > 2048 {
			bad("%s is %d characters long; the limit is 2048", u.name, len(u.v))
		}
	}
	if !versionRe.MatchString(c.Version) {
		bad("version %q must be three numbers like 1.0.0", c.Version)
	}
	if !colorRe.MatchString(c.AccentColor) {
		bad("accent colour %q must be #RRGGBB", c.AccentColor)
	}
	length := func(name, v string, max int) {
		if n := utf8.RuneCountInString(v); n > max {
			bad("%s is %d characters long; the limit is %d", name, n, max)
		}
	}
	length("short name", c.ShortName, 30)
	length("full name", c.FullName, 100)
	length("short description", c.ShortDescription, 80)
	length("long description", c.LongDescription, 4000)
	length("developer name", c.DeveloperName, 32)
	if c.AppSourceID != "" && !appSourceRe.MatchString(c.AppSourceID) {
		bad("AppSource ID %q must look like WA200003326", c.AppSourceID)
	}
	for _, tag := range sortedKeys(c.Localized) {
		l := c.Localized[tag]
		if !langRe.MatchString(tag) {
			bad("language tag %q is not a tag like fr or de-CH", tag)
		}
		if strings.EqualFold(tag, "en") || strings.EqualFold(tag, "en-us") {
			bad("language tag %q is the default language; translate into another language", tag)
		}
		length("short name ("+tag+")", l.ShortName, 30)
		length("full name ("+tag+")", l.FullName, 100)
		length("short description ("+tag+")", l.ShortDescription, 80)
		length("long description ("+tag+")", l.LongDescription, 4000)
	}
	if len(errs) == 0 {
		return nil
	}
	return fmt.Errorf("manifest config: %w", errors.Join(errs...))
}

func checkHTTPS(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("not a URL: %w", err)
	}
	if u.Scheme != "https" {
		return errors.New("must be an https URL (Teams calls only https endpoints)")
	}
	if u.Hostname() == "" {
		return errors.New("has no host")
	}
	if u.User != nil {
		return errors.New("must not carry a user name or password")
	}
	return nil
}

// publicHost returns the host of the public URL, without a default port,
// for validDomains and the webApplicationInfo resource.
func publicHost(publicURL string) string {
	u, err := url.Parse(publicURL)
	if err != nil {
		return ""
	}
	host, port, err := net.SplitHostPort(u.Host)
	if err != nil {
		return strings.ToLower(u.Host)
	}
	if port == "443" {
		return strings.ToLower(host)
	}
	return strings.ToLower(u.Host)
}
