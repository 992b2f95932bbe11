package config

import (
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestFromEnv(t *testing.T) {
	dir := t.TempDir()
	secretFile := filepath.Join(dir, "pw")
	require.NoError(t, os.WriteFile(secretFile, []byte("s3cret-from-file\n"), 0o600))
	storeFile := filepath.Join(dir, "store")
	require.NoError(t, os.WriteFile(storeFile, []byte("redis://:hunter2@127.0.0.1:6379/0\n"), 0o600))

	tests := []struct {
		name    string
		env     map[string]string
		wantErr string
		check   func(t *testing.T, c Config)
	}{
		{name: "defaults are local mode", env: map[string]string{}, check: func(t *testing.T, c Config) {
			require.True(t, c.LocalMode())
			require.Equal(t, DefaultListen, c.Listen)
			require.Equal(t, DefaultStore, c.Store)
			require.Equal(t, DefaultOpenIDMetadataURL, c.OpenIDMetadataURL)
			require.Equal(t, time.Hour, c.SyncInterval)
			require.Equal(t, DefaultCatalogPoll, c.CatalogPoll)
			require.Equal(t, DefaultCatalogReload, c.CatalogReload)
			require.Equal(t, DefaultShutdownTimeout, c.ShutdownTimeout)
			require.Contains(t, c.String(), "mode=local")
			require.True(t, c.Alerts.ConfirmLocales, "an alert waits for a second locale unless told otherwise")
			require.Equal(t, 6*time.Hour, c.Alerts.ConfirmTimeout)
		}},
		{name: "confirmation by a second locale can be turned off", env: map[string]string{"ATTESTBOT_CONFIRM_LOCALES": "false"}, check: func(t *testing.T, c Config) {
			require.False(t, c.Alerts.ConfirmLocales)
		}},
		{name: "local mode refuses a public address", env: map[string]string{"ATTESTBOT_LISTEN": "0.0.0.0:3978"}, wantErr: "loopback only"},
		{name: "local mode accepts localhost", env: map[string]string{"ATTESTBOT_LISTEN": "localhost:4000"}, check: func(t *testing.T, c Config) {
			require.Equal(t, "localhost:4000", c.Listen)
		}},
		{name: "registered bot may listen anywhere", env: map[string]string{
			"MicrosoftAppId": "00000000-0000-0000-0000-000000000001", "MicrosoftAppPassword_FILE": secretFile, "ATTESTBOT_LISTEN": ":3978",
		}, check: func(t *testing.T, c Config) {
			require.False(t, c.LocalMode())
			require.Equal(t, "s3cret-from-file", c.Credentials.AppPassword)
			require.NotContains(t, c.String(), "s3cret")
			logged := logText(c)
			require.NotContains(t, logged, "s3cret")
			require.Contains(t, logged, "config.credentials.has_password=true")
			require.Contains(t, logged, "config.mode=registered")
		}},
		{name: "teams toolkit aliases", env: map[string]string{"BOT_ID": "abc", "BOT_PASSWORD": "pw", "ATTESTBOT_LISTEN": "127.0.0.1:1"}, check: func(t *testing.T, c Config) {
			require.Equal(t, "abc", c.AppID)
		}},
		{name: "registered bot needs a secret", env: map[string]string{"MicrosoftAppId": "abc"}, wantErr: "MicrosoftAppPassword"},
		{name: "store from file is redacted", env: map[string]string{"ATTESTBOT_STORE_FILE": storeFile}, check: func(t *testing.T, c Config) {
			require.Equal(t, "redis://:hunter2@127.0.0.1:6379/0", c.Store)
			require.NotContains(t, c.String(), "hunter2")
			require.NotContains(t, logText(c), "hunter2")
		}},
		{name: "bad sync interval", env: map[string]string{"ATTESTBOT_SYNC_INTERVAL": "often"}, wantErr: "ATTESTBOT_SYNC_INTERVAL"},
		{name: "lists", env: map[string]string{"ATTESTBOT_ALLOWED_TENANTS": " t1, ,t2 ", "ATTESTBOT_SOURCE": "a,b"}, check: func(t *testing.T, c Config) {
			require.Equal(t, []string{"t1", "t2"}, c.AllowedTenants)
			require.Equal(t, []string{"a", "b"}, c.Sources)
		}},
		{name: "http metadata refused off loopback", env: map[string]string{"ATTESTBOT_OPENID_METADATA_URL": "http://example.com/x"}, wantErr: "https is required"},
		{name: "http metadata on loopback", env: map[string]string{"ATTESTBOT_OPENID_METADATA_URL": "http://127.0.0.1:9/x"}},
		{name: "bad log level", env: map[string]string{"ATTESTBOT_LOG_LEVEL": "loud"}, wantErr: "ATTESTBOT_LOG_LEVEL"},
		{name: "store and store file both set", env: map[string]string{"ATTESTBOT_STORE": "data/x.db", "ATTESTBOT_STORE_FILE": storeFile},
			wantErr: "ATTESTBOT_STORE and ATTESTBOT_STORE_FILE are both set"},
		{name: "lifecycle intervals", env: map[string]string{"ATTESTBOT_CATALOG_POLL": "5s", "ATTESTBOT_CATALOG_RELOAD": "1h",
			"ATTESTBOT_SHUTDOWN_TIMEOUT": "10s"}, check: func(t *testing.T, c Config) {
			require.Equal(t, 5*time.Second, c.CatalogPoll)
			require.Equal(t, time.Hour, c.CatalogReload)
			require.Equal(t, 10*time.Second, c.ShutdownTimeout)
		}},
		{name: "card cache default", check: func(t *testing.T, c Config) { require.Equal(t, DefaultCardCache, c.CardCache) }},
		{name: "card cache off", env: map[string]string{"ATTESTBOT_CARD_CACHE": "0"}, check: func(t *testing.T, c Config) { require.Zero(t, c.CardCache) }},
		{name: "negative card cache", env: map[string]string{"ATTESTBOT_CARD_CACHE": "-1"}, wantErr: "ATTESTBOT_CARD_CACHE: -1 is not between 0"},
		{name: "card cache not a number", env: map[string]string{"ATTESTBOT_CARD_CACHE": "lots"}, wantErr: `ATTESTBOT_CARD_CACHE: "lots" is not a whole number`},
		{name: "bad catalog poll", env: map[string]string{"ATTESTBOT_CATALOG_POLL": "0"}, wantErr: "ATTESTBOT_CATALOG_POLL"},
		{name: "missing secret file", env: map[string]string{"ATTESTBOT_STORE_FILE": filepath.Join(dir, "nope")}, wantErr: "ATTESTBOT_STORE_FILE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := FromEnv(env(tt.env))
			if tt.wantErr != "" {
				require.Error(t, err)
				require.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			if tt.check != nil {
				tt.check(t, c)
			}
		})
	}
}

func TestEnvNamesAreRead(t *testing.T) {
	src, err := os.ReadFile("config.go")
	require.NoError(t, err)
	creds, err := os.ReadFile("../../bot/auth/credentials.go")
	require.NoError(t, err)
	for _, v := range Env {
		require.True(t, strings.Contains(string(src), `"`+v.Name+`"`) || strings.Contains(string(creds), `"`+v.Name+`"`), v.Name)
	}
}

func TestSecureURL(t *testing.T) {
	for u, ok := range map[string]bool{
		"https://login.botframework.com/x": true, "http://127.0.0.1:8080": true, "http://[::1]:1": true,
		"http://localhost:1": true, "http://10.0.0.1": false, "ftp://x": false, "not a url": false,
	} {
		err := SecureURL(u)
		require.Equal(t, ok, err == nil, u)
	}
}

// Each documented configuration starts; an optional setting that is missing
// turns its feature off with one warning naming the setting (issue 10).
func TestFeatures(t *testing.T) {
	const app = "00000000-0000-0000-0000-000000000001"
	tests := []struct {
		name     string
		env      map[string]string
		on       []string
		warnings []string // settings named by the warnings, in order
	}{
		{name: "local mode", env: map[string]string{},
			on: []string{FeatureChatAlerts}, warnings: []string{"ATTESTBOT_SOURCE"}},
		{name: "multitenant, app id and secret only", env: map[string]string{"MicrosoftAppId": app, "MicrosoftAppPassword": "pw"},
			on: []string{FeatureInboundAuth, FeatureChatAlerts, FeatureTenantAudit}, warnings: []string{"ATTESTBOT_TEAMS_APP_ID", "ATTESTBOT_SOURCE"}},
		{name: "multitenant with teams app id and sources", env: map[string]string{"MicrosoftAppId": app, "MicrosoftAppPassword": "pw",
			"ATTESTBOT_TEAMS_APP_ID": "2b6d9a4e-0000-4000-8000-000000000001", "ATTESTBOT_SOURCE": "/srv/pages", "ATTESTBOT_CARD_IN_CHAT": "false"},
			on: []string{FeatureInboundAuth, FeatureActivityFeed, FeatureCatalogSync, FeatureTenantAudit}},
		{name: "install app needs the teams app id", env: map[string]string{"MicrosoftAppId": app, "MicrosoftAppPassword": "pw",
			"ATTESTBOT_INSTALL_APP": "true", "ATTESTBOT_SOURCE": "/srv/pages"},
			on: []string{FeatureInboundAuth, FeatureChatAlerts, FeatureCatalogSync, FeatureTenantAudit}, warnings: []string{"ATTESTBOT_TEAMS_APP_ID", "ATTESTBOT_INSTALL_APP"}},
		{name: "install app on", env: map[string]string{"MicrosoftAppId": app, "MicrosoftAppPassword": "pw", "ATTESTBOT_INSTALL_APP": "true",
			"ATTESTBOT_TEAMS_APP_ID": "2b6d9a4e-0000-4000-8000-000000000001", "ATTESTBOT_SOURCE": "/srv/pages", "ATTESTBOT_SYNC_INTERVAL": "0"},
			on: []string{FeatureInboundAuth, FeatureActivityFeed, FeatureChatAlerts, FeatureInstallApp, FeatureTenantAudit}},
		{name: "singletenant", env: map[string]string{"MicrosoftAppType": "SingleTenant", "MicrosoftAppId": app, "MicrosoftAppPassword": "pw",
			"MicrosoftAppTenantId": "contoso.example", "ATTESTBOT_SOURCE": "/srv/pages"},
			on: []string{FeatureInboundAuth, FeatureChatAlerts, FeatureCatalogSync, FeatureTenantAudit}, warnings: []string{"ATTESTBOT_TEAMS_APP_ID"}},
		{name: "managed identity without tenant", env: map[string]string{"MicrosoftAppType": "UserAssignedMSI", "MicrosoftAppId": app,
			"ATTESTBOT_TEAMS_APP_ID": "2b6d9a4e-0000-4000-8000-000000000001", "ATTESTBOT_SOURCE": "/srv/pages"},
			on: []string{FeatureInboundAuth, FeatureChatAlerts, FeatureCatalogSync}, warnings: []string{"MicrosoftAppTenantId"}},
		{name: "managed identity with tenant", env: map[string]string{"MicrosoftAppType": "UserAssignedMSI", "MicrosoftAppId": app,
			"MicrosoftAppTenantId": "contoso.example", "ATTESTBOT_TEAMS_APP_ID": "2b6d9a4e-0000-4000-8000-000000000001", "ATTESTBOT_SOURCE": "/srv/pages"},
			on: []string{FeatureInboundAuth, FeatureActivityFeed, FeatureChatAlerts, FeatureCatalogSync, FeatureTenantAudit}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := FromEnv(env(tc.env))
			require.NoError(t, err)
			require.Equal(t, tc.on, c.FeaturesOn())
			var named []string
			for _, f := range c.Features() {
				if f.Warning == "" {
					continue
				}
				require.False(t, f.On, "only a feature that is off warns")
				setting, _, _ := strings.Cut(f.Warning, " ")
				named = append(named, setting)
			}
			require.Equal(t, tc.warnings, named)
		})
	}
}

// logText is what serve's start-up line logs of c.
func logText(c Config) string {
	var buf strings.Builder
	slog.New(slog.NewTextHandler(&buf, nil)).Info("attestbot starting", "config", c)
	return buf.String()
}
