// Package config reads attestbot's configuration from the environment:
// the Azure Bot Service names (MicrosoftAppId, MicrosoftAppPassword,
// MicrosoftAppType, MicrosoftAppTenantId), their Teams Toolkit aliases
// (BOT_ID, BOT_PASSWORD, BOT_TENANT_ID) and ATTESTBOT_* for the rest. It is
// the only reader of the environment. Every secret can also be read from a
// file named by the same variable with a _FILE suffix; setting both forms is
// an error naming both. Secrets never appear in String or in errors.
package config

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/attestbot/attestbot/bot/auth"
	"github.com/attestbot/attestbot/store"
)

// Env names every variable attestbot reads, with a one-line description.
// deploy/ is tested against this list.
var Env = []Var{
	{"MicrosoftAppId", "Entra app (client) ID of the bot; empty means local mode", false},
	{"MicrosoftAppPassword", "client secret of the bot's app registration", true},
	{"MicrosoftAppType", "MultiTenant, SingleTenant or UserAssignedMSI (default MultiTenant)", false},
	{"MicrosoftAppTenantId", "tenant of a SingleTenant or UserAssignedMSI bot (required for SingleTenant; a UserAssignedMSI bot needs it for Graph: tenant audit, activity feed); a MultiTenant bot needs none", false},
	{"MicrosoftAppCertificateFile", "PEM certificate (and key) used instead of a client secret", false},
	{"MicrosoftAppCertificateKeyFile", "PEM private key when not in the certificate file", false},
	{"BOT_ID", "alias of MicrosoftAppId (Teams Toolkit)", false},
	{"BOT_PASSWORD", "alias of MicrosoftAppPassword (Teams Toolkit)", true},
	{"BOT_TENANT_ID", "alias of MicrosoftAppTenantId (Teams Toolkit)", false},
	{"ToChannelFromBotLoginUrl", "authority host for the bot's outbound token (default from ATTESTBOT_LOGIN_URL)", false},
	{"ToChannelFromBotOAuthScope", "scope of the bot's outbound token (default https://api.botframework.com)", false},
	{"ATTESTBOT_LISTEN", "listen address (default 127.0.0.1:3978)", false},
	{"ATTESTBOT_STORE", "store URL: a bbolt file path or redis://, rediss://, redis+sentinel://, redis+cluster:// (default ./data/attestbot.db)", true},
	{"ATTESTBOT_SOURCE", "catalog sources, comma separated: directories or git URLs; optional, enables catalog sync and change alerts (empty: the store's records, the bundled sample on a first start, never synced)", false},
	{"ATTESTBOT_SYNC_INTERVAL", "how often serve syncs the catalog (Go duration, default 1h; 0 disables)", false},
	{"ATTESTBOT_CATALOG_POLL", "how often serve checks whether another replica's sync changed the catalog, to reload it (Go duration, default 30s)", false},
	{"ATTESTBOT_CATALOG_RELOAD", "how often serve reloads the catalog index in any case (Go duration, default 15m)", false},
	{"ATTESTBOT_CARD_CACHE", "how many app summary cards serve keeps built and encoded for the next question about the app (default 512; 0 keeps none: every answer is built anew, the cost of a first question)", false},
	{"ATTESTBOT_SHUTDOWN_TIMEOUT", "how long serve's shutdown may take: draining requests, then closing the alerts and the store (Go duration, default 30s)", false},
	{"ATTESTBOT_ALLOWED_TENANTS", "tenant IDs served, comma separated (empty: all)", false},
	{"ATTESTBOT_ADMINS", "admin user IDs (AAD object IDs or UPNs), comma separated", false},
	{"ATTESTBOT_TEAMS_APP_ID", "the Teams app ID (manifest id) of attestbot's package; optional, enables activity feed alerts and app installs (empty: alerts are cards in the bot chat)", false},
	{"ATTESTBOT_PUBLIC_URL", "public https URL of the bot endpoint host (manifest build and attestbot's own compliance page; serve does not need it)", false},
	{"ATTESTBOT_LOG_LEVEL", "debug, info, warn or error (default info)", false},
	{"ATTESTBOT_LOG_FORMAT", "text or json (default text on a terminal, json otherwise)", false},
	{"ATTESTBOT_LOCALE", "answer every user in this language (fr-FR, de-DE, ja-JP...) whatever their Teams client says; for demos and the Agents Playground, which always sends en-US (empty: the client's)", false},
	{"ATTESTBOT_OPENID_METADATA_URL", "Bot Framework OpenID metadata URL (sovereign clouds, tests)", false},
	{"ATTESTBOT_LOGIN_URL", "Entra login host (default https://login.microsoftonline.com)", false},
	{"ATTESTBOT_GRAPH_URL", "Microsoft Graph host (default https://graph.microsoft.com)", false},
	{"ATTESTBOT_CHANNEL_ISSUER", "expected issuer of channel tokens (default https://api.botframework.com)", false},
	{"ATTESTBOT_TRUSTED_SERVICE_URLS", "serviceUrls always trusted for outbound calls, comma separated", false},
	{"ATTESTBOT_SOURCE_CACHE", "where remote git sources are cloned (default data/sources)", false},
	{"ATTESTBOT_BULK_THRESHOLD", "one change across this many apps in one commit is one grouped event (default 10)", false},
	{"ATTESTBOT_CONFIRM_LOCALES", "hold an alert until a second locale of the page confirms it, when sources of two or more locales are synced (default true; false sends at once)", false},
	{"ATTESTBOT_CONFIRM_TIMEOUT", "the longest an alert waits for that confirmation (default 6h)", false},
	{"ATTESTBOT_SYNC_INITIAL_EVENTS", "true: raise events on a source's first read (default false)", false},
	{"ATTESTBOT_ALERT_TEXT_CHANGES", "true: alert on free-text answer changes too (default false: mostly translation noise)", false},
	{"ATTESTBOT_INSTALL_APP", "true: install the app for subscribers who lack it, through Graph (default false; needs ATTESTBOT_TEAMS_APP_ID)", false},
	{"ATTESTBOT_CARD_IN_CHAT", "false: do not post the diff card in the bot chat with each activity feed alert (default true; without ATTESTBOT_TEAMS_APP_ID the card is the alert)", false},
	{"ATTESTBOT_NOTIFY_WORKERS", "delivery workers per replica (default 2)", false},
	{"ATTESTBOT_NOTIFY_MAX_ATTEMPTS", "delivery attempts before a notification is dead-lettered (default 8)", false},
	{"GOMEMLIMIT", "Go runtime soft memory limit (bytes or 320MiB); the deploy kit sets it to the container's memory limit; unset, serve sets its own: 128 MiB while the catalog first loads, then max(128 MiB, twice the live heap + 32 MiB)", false},
	{"ATTESTBOT_REPLICA", "this replica's name in the delivery consumer group (default hostname and a random suffix)", false},
}

// Var is one environment variable attestbot reads.
type Var struct {
	Name        string
	Description string
	Secret      bool
}

// Public cloud defaults.
const (
	DefaultListen            = "127.0.0.1:3978"
	DefaultStore             = "data/attestbot.db"
	DefaultOpenIDMetadataURL = "https://login.botframework.com/v1/.well-known/openidconfiguration"
	DefaultLoginURL          = "https://login.microsoftonline.com"
	DefaultGraphURL          = "https://graph.microsoft.com"
	DefaultChannelIssuer     = "https://api.botframework.com"
	DefaultSyncInterval      = time.Hour
	// DefaultCatalogPoll is how often serve counts the stored records to
	// notice another replica's sync (ATTESTBOT_CATALOG_POLL).
	DefaultCatalogPoll = 30 * time.Second
	// DefaultCatalogReload is how often serve reloads the catalog index in
	// any case (ATTESTBOT_CATALOG_RELOAD).
	DefaultCatalogReload = 15 * time.Minute
	// DefaultCardCache is how many summary cards serve keeps
	// (ATTESTBOT_CARD_CACHE).
	DefaultCardCache = 512
	// DefaultShutdownTimeout bounds serve's whole shutdown
	// (ATTESTBOT_SHUTDOWN_TIMEOUT).
	DefaultShutdownTimeout = 30 * time.Second
)

// Config is attestbot's configuration.
type Config struct {
	// Credentials are the bot's app registration (bot/auth reads them).
	Credentials auth.CredentialConfig
	// AppID is Credentials.AppID: empty means local mode.
	AppID string

	Listen       string
	Store        string
	Sources      []string
	SyncInterval time.Duration
	// CatalogPoll and CatalogReload pace serve's catalog reloads beyond
	// the ones that follow this replica's syncs.
	CatalogPoll   time.Duration
	CatalogReload time.Duration
	// CardCache is how many summary cards serve keeps built and encoded;
	// 0 keeps none.
	CardCache int
	// ShutdownTimeout bounds serve's shutdown, from the stop signal to the
	// last cleanup.
	ShutdownTimeout time.Duration
	AllowedTenants  []string
	Admins          []string
	TeamsAppID      string
	PublicURL       string
	LogLevel        string
	LogFormat       string
	// Locale, when set, is the language of every answer (ATTESTBOT_LOCALE).
	Locale             string
	OpenIDMetadataURL  string
	LoginURL           string
	GraphURL           string
	ChannelIssuer      string
	TrustedServiceURLs []string

	// Alerts configures catalog sync and change alerts.
	Alerts Alerts
}

// Alerts configures catalog sync and change alerts (package notify).
type Alerts struct {
	SourceCache        string
	BulkThreshold      int
	ConfirmLocales     bool
	ConfirmTimeout     time.Duration
	InitialEvents      bool
	IncludeTextChanges bool
	InstallApp         bool
	CardInChat         bool
	Workers            int
	MaxAttempts        int
	Replica            string
}

// LocalMode reports whether no app ID is configured: inbound auth is off
// and the server may listen on loopback only.
func (c Config) LocalMode() bool { return c.AppID == "" }

// FromEnv reads the configuration with getenv (os.Getenv in production).
func FromEnv(getenv func(string) string) (Config, error) {
	r := &envReader{getenv: getenv}
	get, secret := r.value, r.secret
	creds := r.credentials()
	c := Config{
		Credentials:        creds,
		AppID:              creds.AppID,
		Listen:             orDefault(get("ATTESTBOT_LISTEN"), DefaultListen),
		Store:              orDefault(secret("ATTESTBOT_STORE"), DefaultStore),
		Sources:            list(get("ATTESTBOT_SOURCE")),
		AllowedTenants:     list(get("ATTESTBOT_ALLOWED_TENANTS")),
		Admins:             list(get("ATTESTBOT_ADMINS")),
		TeamsAppID:         get("ATTESTBOT_TEAMS_APP_ID"),
		PublicURL:          get("ATTESTBOT_PUBLIC_URL"),
		LogLevel:           orDefault(strings.ToLower(get("ATTESTBOT_LOG_LEVEL")), "info"),
		LogFormat:          strings.ToLower(get("ATTESTBOT_LOG_FORMAT")),
		Locale:             strings.TrimSpace(get("ATTESTBOT_LOCALE")),
		OpenIDMetadataURL:  orDefault(get("ATTESTBOT_OPENID_METADATA_URL"), DefaultOpenIDMetadataURL),
		LoginURL:           orDefault(get("ATTESTBOT_LOGIN_URL"), DefaultLoginURL),
		GraphURL:           orDefault(get("ATTESTBOT_GRAPH_URL"), DefaultGraphURL),
		ChannelIssuer:      orDefault(get("ATTESTBOT_CHANNEL_ISSUER"), DefaultChannelIssuer),
		TrustedServiceURLs: list(get("ATTESTBOT_TRUSTED_SERVICE_URLS")),
		SyncInterval:       DefaultSyncInterval,
		CatalogPoll:        DefaultCatalogPoll,
		CatalogReload:      DefaultCatalogReload,
		ShutdownTimeout:    DefaultShutdownTimeout,
		CardCache:          DefaultCardCache,
	}
	if c.Credentials.LoginURL == "" {
		c.Credentials.LoginURL = c.LoginURL
	}
	c.Alerts = readAlerts(r)
	// A sync interval of 0 turns the sync off; the others must be positive.
	r.duration("ATTESTBOT_SYNC_INTERVAL", &c.SyncInterval, true, "15m or 1h")
	r.duration("ATTESTBOT_CATALOG_POLL", &c.CatalogPoll, false, "30s")
	r.duration("ATTESTBOT_CATALOG_RELOAD", &c.CatalogReload, false, "15m")
	r.duration("ATTESTBOT_SHUTDOWN_TIMEOUT", &c.ShutdownTimeout, false, "30s")
	r.integer("ATTESTBOT_CARD_CACHE", &c.CardCache)
	if c.CardCache < 0 || c.CardCache > 1<<20 {
		r.errs = append(r.errs, fmt.Errorf("ATTESTBOT_CARD_CACHE: %d is not between 0 and 1048576", c.CardCache))
	}
	if err := c.Validate(); err != nil {
		r.errs = append(r.errs, err)
	}
	return c, errors.Join(r.errs...)
}

// readAlerts reads the settings of catalog sync and change alerts, over
// their defaults.
func readAlerts(r *envReader) Alerts {
	a := Alerts{
		SourceCache:    orDefault(r.value("ATTESTBOT_SOURCE_CACHE"), "data/sources"),
		BulkThreshold:  10,
		ConfirmLocales: true,
		ConfirmTimeout: 6 * time.Hour,
		CardInChat:     true,
		Workers:        2,
		MaxAttempts:    8,
		Replica:        r.value("ATTESTBOT_REPLICA"),
	}
	r.boolean("ATTESTBOT_CONFIRM_LOCALES", &a.ConfirmLocales)
	r.boolean("ATTESTBOT_SYNC_INITIAL_EVENTS", &a.InitialEvents)
	r.boolean("ATTESTBOT_ALERT_TEXT_CHANGES", &a.IncludeTextChanges)
	r.boolean("ATTESTBOT_INSTALL_APP", &a.InstallApp)
	r.boolean("ATTESTBOT_CARD_IN_CHAT", &a.CardInChat)
	r.integer("ATTESTBOT_BULK_THRESHOLD", &a.BulkThreshold)
	r.integer("ATTESTBOT_NOTIFY_WORKERS", &a.Workers)
	r.integer("ATTESTBOT_NOTIFY_MAX_ATTEMPTS", &a.MaxAttempts)
	r.duration("ATTESTBOT_CONFIRM_TIMEOUT", &a.ConfirmTimeout, false, "6h")
	return a
}

// Validate checks the configuration as a whole.
func (c Config) Validate() error {
	var errs []error
	for name, u := range map[string]string{
		"ATTESTBOT_OPENID_METADATA_URL": c.OpenIDMetadataURL,
		"ATTESTBOT_LOGIN_URL":           c.LoginURL,
		"ATTESTBOT_GRAPH_URL":           c.GraphURL,
	} {
		if err := SecureURL(u); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", name, err))
		}
	}
	if c.PublicURL != "" {
		if err := SecureURL(c.PublicURL); err != nil {
			errs = append(errs, fmt.Errorf("ATTESTBOT_PUBLIC_URL: %w", err))
		}
	}
	if c.LocalMode() {
		host, _, err := net.SplitHostPort(c.Listen)
		if err != nil {
			errs = append(errs, fmt.Errorf("ATTESTBOT_LISTEN: %q is not host:port", c.Listen))
		} else if !IsLoopbackHost(host) {
			errs = append(errs, fmt.Errorf("ATTESTBOT_LISTEN: %s is not a loopback address; without MicrosoftAppId (local mode, inbound auth off) attestbot listens on loopback only", c.Listen))
		}
	} else if err := c.Credentials.Validate(); err != nil {
		errs = append(errs, err)
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("ATTESTBOT_LOG_LEVEL: %q is not debug, info, warn or error", c.LogLevel))
	}
	return errors.Join(errs...)
}

// String describes the configuration without secrets (fmt's %v).
func (c Config) String() string {
	return fmt.Sprintf("mode=%s app_id=%s app_type=%s listen=%s store=%s sources=%d", c.mode(), c.AppID, orDefault(string(c.Credentials.AppType), "MultiTenant"), c.Listen, store.RedactURL(c.Store), len(c.Sources))
}

// LogValue implements slog.LogValuer: what serve logs of its configuration
// at start, without secrets (the store URL's password is masked, the
// credentials say only whether a password is set).
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("mode", c.mode()),
		slog.String("listen", c.Listen),
		slog.String("store", store.RedactURL(c.Store)),
		slog.Int("sources", len(c.Sources)),
		slog.Any("credentials", c.Credentials),
	)
}

// mode is "local" (no app ID) or "registered".
func (c Config) mode() string {
	if c.LocalMode() {
		return "local"
	}
	return "registered"
}

// SecureURL accepts https URLs, and http URLs on loopback hosts only.
func SecureURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return fmt.Errorf("%q is not an absolute URL", raw)
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if IsLoopbackHost(u.Hostname()) {
			return nil
		}
		return fmt.Errorf("%s: https is required except for loopback hosts", u.Host)
	}
	return fmt.Errorf("%q: scheme %q is not https", raw, u.Scheme)
}

// IsLoopbackHost reports whether host is localhost or a loopback IP.
func IsLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

func orDefault(v, d string) string {
	if v == "" {
		return d
	}
	return v
}

func list(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// Feature names, as serve logs them and /readyz lists them.
const (
	// FeatureInboundAuth: every request must carry a valid Bot Framework
	// token (an app ID is set; off in local mode).
	FeatureInboundAuth = "inbound_auth"
	// FeatureActivityFeed: change alerts as Teams activity feed
	// notifications through Graph (needs ATTESTBOT_TEAMS_APP_ID).
	FeatureActivityFeed = "activity_feed_alerts"
	// FeatureChatAlerts: change alerts as cards posted into the bot chat
	// (proactive messages): always in local mode and without the Teams app
	// ID, else with ATTESTBOT_CARD_IN_CHAT.
	FeatureChatAlerts = "chat_alerts"
	// FeatureInstallApp: the app is installed through Graph for
	// subscribers who lack it (ATTESTBOT_INSTALL_APP).
	FeatureInstallApp = "install_app"
	// FeatureCatalogSync: the catalog is synced from ATTESTBOT_SOURCE every
	// ATTESTBOT_SYNC_INTERVAL, raising change alerts.
	FeatureCatalogSync = "catalog_sync"
	// FeatureTenantAudit: "audit" in chat reads the user's tenant through
	// Graph with the bot's app-only credentials.
	FeatureTenantAudit = "tenant_audit"
)

// Feature is an optional capability of serve, on or off according to the
// settings.
type Feature struct {
	// Name is one of the Feature* constants.
	Name string
	// On reports whether serve runs it.
	On bool
	// Warning, for a feature that is off because an optional setting is
	// missing, names the setting and what it would enable; serve logs it
	// once at start. Empty for a feature that is on or turned off on
	// purpose.
	Warning string
}

// GraphAvailable reports whether the bot can call Microsoft Graph in its
// users' tenants: it is registered and, as a user-assigned managed identity
// (whose tokens exist only in its own tenant), its tenant is set. A
// multi-tenant bot needs no tenant: each Graph call names the tenant of the
// conversation or subscription it serves.
func (c Config) GraphAvailable() bool {
	if c.LocalMode() {
		return false
	}
	return !strings.EqualFold(string(c.Credentials.AppType), string(auth.AppTypeUserAssignedMSI)) || c.Credentials.TenantID != ""
}

// ActivityFeed reports whether change alerts go to the Teams activity feed
// (Graph) rather than only into the bot chat.
func (c Config) ActivityFeed() bool { return c.GraphAvailable() && c.TeamsAppID != "" }

// Features lists serve's optional capabilities, in a fixed order.
func (c Config) Features() []Feature {
	local, graph, feed := c.LocalMode(), c.GraphAvailable(), c.ActivityFeed()
	msiNoTenant := !local && !graph
	var fs []Feature
	add := func(name string, on bool, warning string) {
		if on {
			warning = ""
		}
		fs = append(fs, Feature{Name: name, On: on, Warning: warning})
	}
	add(FeatureInboundAuth, !local, "") // local mode has its own loud log line
	switch {
	case local:
		add(FeatureActivityFeed, false, "")
	case msiNoTenant:
		add(FeatureActivityFeed, false, "MicrosoftAppTenantId is not set: a UserAssignedMSI bot has Graph tokens only in its own tenant, "+
			"so change alerts arrive as cards in the bot chat, not as Teams activity feed notifications, and the tenant audit is off")
	default:
		add(FeatureActivityFeed, feed, "ATTESTBOT_TEAMS_APP_ID is not set: change alerts arrive as cards in the bot chat (proactive messages), "+
			"not as Teams activity feed notifications; set it to the app package's manifest ID to send them to the feed")
	}
	add(FeatureChatAlerts, !feed || c.Alerts.CardInChat, "")
	installWarning := ""
	if c.Alerts.InstallApp && !local {
		installWarning = "ATTESTBOT_INSTALL_APP is on but ATTESTBOT_TEAMS_APP_ID is not set: the app cannot be installed for subscribers who lack it " +
			"(it needs the package's manifest ID); those subscribers are listed as unreachable"
	}
	add(FeatureInstallApp, feed && c.Alerts.InstallApp, installWarning)
	syncWarning := ""
	if len(c.Sources) == 0 {
		syncWarning = "ATTESTBOT_SOURCE is not set: the catalog is what the store holds (the bundled sample on a first start) and is never synced, " +
			"so no change alerts are raised; set it to the compliance pages' directories or git repositories"
	}
	add(FeatureCatalogSync, len(c.Sources) > 0 && c.SyncInterval > 0, syncWarning)
	add(FeatureTenantAudit, graph, "") // its warning is the managed identity one above
	return fs
}

// FeaturesOn returns the names of the features that are on.
func (c Config) FeaturesOn() []string {
	var on []string
	for _, f := range c.Features() {
		if f.On {
			on = append(on, f.Name)
		}
	}
	return on
}
