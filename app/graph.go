package app

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/attestbot/attestbot/bot"
	"github.com/attestbot/attestbot/bot/auth"
	"github.com/attestbot/attestbot/bot/connector"
	"github.com/attestbot/attestbot/graphclient"
	"github.com/attestbot/attestbot/internal/config"
	"github.com/attestbot/attestbot/internal/outbound"
)

// Clients are the outbound HTTP clients, one per destination class: each
// keeps its own keep-alive pool, so concurrent callers reuse connections
// instead of opening one per call. A nil Connector leaves the Bot
// Connector client to build its own (connector.New).
type Clients struct {
	Entra, OpenID, Graph, Connector *http.Client
}

// NewClients returns the tuned outbound clients (system trust pool,
// SSL_CERT_FILE).
func NewClients() Clients {
	return Clients{
		// Token and metadata fetches are single-flight: a few connections do.
		Entra:  outbound.NewClient(outbound.Options{Class: outbound.Entra, IdlePerHost: 8}),
		OpenID: outbound.NewClient(outbound.Options{Class: outbound.OpenID, IdlePerHost: 4}),
		// Bulk activity-feed sends, audit batches and the Entra lookups
		// (graphclient.DefaultConcurrency) run a few requests at once; the
		// graph client sets its own per-request timeout.
		Graph: outbound.NewClient(outbound.Options{Class: outbound.Graph, IdlePerHost: 32, Timeout: -1}),
		// Replies and proactive sends to the Teams service hosts.
		Connector: outbound.NewClient(outbound.Options{Class: outbound.Connector, IdlePerHost: connector.DefaultIdleConns}),
	}
}

// GraphHomeTenant is the home tenant of serve's Graph credential: none for
// a MultiTenant bot (MicrosoftAppTenantId is ignored, even "common"), whose
// every Graph call names the tenant of the conversation or subscription it
// serves; the bot's tenant for SingleTenant and UserAssignedMSI.
func GraphHomeTenant(cfg config.Config) string {
	switch t, _ := auth.ParseAppType(string(cfg.Credentials.AppType)); t {
	case auth.AppTypeSingleTenant, auth.AppTypeUserAssignedMSI:
		return cfg.Credentials.TenantID
	}
	return ""
}

// NewGraphClient returns a Graph client with the bot's app-only
// credentials, whose tokens come from homeTenant when set, else from the
// tenant each call names.
func NewGraphClient(cfg config.Config, log *slog.Logger, clients Clients, homeTenant string) (*graphclient.Client, error) {
	if cfg.Credentials.AppID == "" {
		return nil, errors.New("MicrosoftAppId is required to call Microsoft Graph")
	}
	// The bot's own credential (secret, certificate or managed identity),
	// with Graph's login host, home tenant and scope.
	cc, err := cfg.Credentials.Credential()
	if err != nil {
		return nil, fmt.Errorf("graph credentials: %w", err)
	}
	cc.HomeTenantID, cc.LoginURL = homeTenant, cfg.LoginURL
	if cfg.GraphURL != "" {
		cc.Scope = strings.TrimRight(cfg.GraphURL, "/") + "/.default"
	}
	cred, err := graphclient.NewAppCredential(cc, graphclient.CredentialOptions{HTTPClient: clients.Entra, Logger: log})
	if err != nil {
		return nil, err
	}
	return graphclient.New(graphclient.Config{GraphURL: cfg.GraphURL, HTTPClient: clients.Graph, Logger: log}, cred)
}

// NewConnector is a Bot Connector client for commands that run without
// the server (sync): loopback serviceUrls in local mode, the Teams hosts
// and ATTESTBOT_TRUSTED_SERVICE_URLS with the bot's token otherwise.
func NewConnector(cfg config.Config, log *slog.Logger) (bot.Connector, error) {
	if cfg.LocalMode() {
		trust, err := connector.NewTrustedURLs(connector.TrustConfig{LocalMode: true})
		if err != nil {
			return nil, err
		}
		return connector.New(trust, connector.WithLogger(log))
	}
	trust, err := connector.NewTrustedURLs(connector.TrustConfig{
		Allowlist: append(append([]string(nil), connector.DefaultTrustedServiceURLs...), cfg.TrustedServiceURLs...),
	})
	if err != nil {
		return nil, err
	}
	tokens, err := auth.NewTokenSource(cfg.Credentials, auth.TokenSourceOptions{Logger: log})
	if err != nil {
		return nil, err
	}
	return connector.New(trust, connector.WithLogger(log), connector.WithTokenSource(tokens))
}
