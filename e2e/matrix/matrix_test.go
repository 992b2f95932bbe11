package matrix

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/internal/binarytest"
	"github.com/attestbot/attestbot/internal/config"
	"github.com/attestbot/attestbot/internal/fakecloud"
	"github.com/attestbot/attestbot/internal/redistest"
)

func TestMain(m *testing.M) { binarytest.Main(m) }

const (
	appID      = "3b0b1b1e-0009-4000-8000-00000000b0b9"
	secret     = "matrix-secret"
	tenantID   = "72f988bf-0000-4000-8000-00000000c0de"
	userID     = "0c9d2a8e-0000-4000-8000-0000000000a1"
	teamsAppID = "2b6d9a4e-0000-4000-8000-000000000001"
)

// setup says how a configuration is registered with the fake cloud and
// which settings it adds.
type setup struct {
	name string
	// credential: "secret", "certificate" or "msi".
	credential string
	appType    string // MicrosoftAppType ("" = the default, MultiTenant)
	tenant     string // MicrosoftAppTenantId
	teamsApp   bool   // ATTESTBOT_TEAMS_APP_ID set
	redis      bool   // ATTESTBOT_STORE=redis://…, else the default bbolt file
	// tokenTenant is the tenant the bot's Bot Connector token comes from.
	tokenTenant string
	on          []string
	warnings    []string // settings named by startup warnings, in order
}

// The documented configurations (README, deploy/README.md).
var setups = []setup{
	{name: "multitenant secret, the documented minimum", credential: "secret", tokenTenant: fakecloud.MultiTenantAuthority,
		on:       []string{config.FeatureInboundAuth, config.FeatureChatAlerts, config.FeatureTenantAudit},
		warnings: []string{"ATTESTBOT_TEAMS_APP_ID", "ATTESTBOT_SOURCE"}},
	{name: "multitenant secret with a shared tenant alias", credential: "secret", tenant: "common", tokenTenant: fakecloud.MultiTenantAuthority,
		on:       []string{config.FeatureInboundAuth, config.FeatureChatAlerts, config.FeatureTenantAudit},
		warnings: []string{"ATTESTBOT_TEAMS_APP_ID", "ATTESTBOT_SOURCE"}},
	{name: "multitenant certificate with teams app id", credential: "certificate", teamsApp: true, tokenTenant: fakecloud.MultiTenantAuthority,
		on:       []string{config.FeatureInboundAuth, config.FeatureActivityFeed, config.FeatureChatAlerts, config.FeatureTenantAudit},
		warnings: []string{"ATTESTBOT_SOURCE"}},
	{name: "multitenant secret with teams app id on redis", credential: "secret", teamsApp: true, redis: true, tokenTenant: fakecloud.MultiTenantAuthority,
		on:       []string{config.FeatureInboundAuth, config.FeatureActivityFeed, config.FeatureChatAlerts, config.FeatureTenantAudit},
		warnings: []string{"ATTESTBOT_SOURCE"}},
	{name: "singletenant secret on redis", credential: "secret", appType: "SingleTenant", tenant: tenantID, redis: true, tokenTenant: tenantID,
		on:       []string{config.FeatureInboundAuth, config.FeatureChatAlerts, config.FeatureTenantAudit},
		warnings: []string{"ATTESTBOT_TEAMS_APP_ID", "ATTESTBOT_SOURCE"}},
	{name: "singletenant certificate with teams app id", credential: "certificate", appType: "SingleTenant", tenant: tenantID, teamsApp: true, tokenTenant: tenantID,
		on:       []string{config.FeatureInboundAuth, config.FeatureActivityFeed, config.FeatureChatAlerts, config.FeatureTenantAudit},
		warnings: []string{"ATTESTBOT_SOURCE"}},
	{name: "user-assigned managed identity", credential: "msi", appType: "UserAssignedMSI", tenant: tenantID, teamsApp: true, tokenTenant: "managed-identity",
		on:       []string{config.FeatureInboundAuth, config.FeatureActivityFeed, config.FeatureChatAlerts, config.FeatureTenantAudit},
		warnings: []string{"ATTESTBOT_SOURCE"}},
	{name: "user-assigned managed identity without tenant", credential: "msi", appType: "UserAssignedMSI", tokenTenant: "managed-identity",
		on:       []string{config.FeatureInboundAuth, config.FeatureChatAlerts},
		warnings: []string{"MicrosoftAppTenantId", "ATTESTBOT_SOURCE"}},
}

// TestConfigurations starts the binary once per configuration: it must be
// ready, list its features in /readyz and the log, warn once per missing
// optional setting, refuse a message without a token, and answer a Teams
// message with a card that the fake connector accepts with the bot's token.
func TestConfigurations(t *testing.T) {
	binarytest.Binary(t) // build once, before the clock of the first start
	for _, s := range setups {
		t.Run(s.name, func(t *testing.T) {
			cloud, err := fakecloud.Start()
			require.NoError(t, err)
			t.Cleanup(cloud.Close)
			dir := t.TempDir()
			env := registration(t, cloud, dir, s)
			srv := binarytest.Start(t, env, binarytest.Options{Dir: dir})

			code, ready, err := srv.Ready(t.Context())
			require.NoError(t, err)
			require.Equal(t, http.StatusOK, code)
			require.Equal(t, "ready", ready["status"])
			require.Equal(t, toAny(s.on), ready["features"], "/readyz lists the features that are on")
			requireStartupLog(t, srv, s)

			// No token: refused before any turn runs.
			status, err := postUnsigned(t, srv.MessagesURL(), cloud.ServiceURL())
			require.NoError(t, err)
			require.Equal(t, http.StatusUnauthorized, status)

			conv := "a:matrix-" + strings.ReplaceAll(s.name, " ", "-")
			status, err = cloud.Send(t.Context(), srv.MessagesURL(), fakecloud.Message{AppID: appID, TenantID: tenantID,
				UserObjectID: userID, ConversationID: conv, Text: "plumm"})
			require.NoError(t, err)
			require.Equal(t, http.StatusOK, status)
			replies, err := cloud.WaitReplies(conv, 1, 20*time.Second)
			require.NoError(t, err, "attestbot logs:\n%s", srv.Logs())
			r := replies[0]
			require.True(t, r.HasCard(), "the answer is an Adaptive Card: %s", r.Activity)
			require.Equal(t, "msg-1", r.ReplyToID)
			require.Equal(t, appID, r.ClientID)
			require.Equal(t, s.tokenTenant, r.Tenant)
			st := cloud.Stats()
			require.Equal(t, int64(1), st.Replies)
			require.Zero(t, st.RepliesUnauthorized)
			require.Equal(t, int64(1), st.TokensIssued, "one Bot Connector token")
			require.Equal(t, int64(1), st.MetadataFetches)
			require.Equal(t, int64(1), st.JWKSFetches)

			require.NoError(t, srv.Stop(), "a clean exit on SIGTERM")
			require.NotContains(t, srv.Logs(), secret, "the secret is never logged")
		})
	}
}

// registration registers s's app with the cloud and returns the settings
// of the bot: the app, its credential, the fake's endpoints and CA.
func registration(t *testing.T, cloud *fakecloud.Cloud, dir string, s setup) []string {
	t.Helper()
	ca := filepath.Join(dir, "fakecloud-ca.pem")
	require.NoError(t, cloud.WriteCA(ca))
	env := []string{
		"MicrosoftAppId=" + appID,
		"ATTESTBOT_OPENID_METADATA_URL=" + cloud.MetadataURL(),
		"ATTESTBOT_LOGIN_URL=" + cloud.LoginURL(),
		"ATTESTBOT_GRAPH_URL=" + cloud.URL, // nothing reaches Microsoft
		"SSL_CERT_FILE=" + ca,
		"ATTESTBOT_LOG_FORMAT=json",
	}
	switch s.credential {
	case "secret":
		cloud.AddSecretApp(appID, secret)
		env = append(env, "MicrosoftAppPassword="+secret)
	case "certificate":
		pem, err := fakecloud.SelfSignedCertificate("attestbot")
		require.NoError(t, err)
		require.NoError(t, cloud.AddCertificateApp(appID, pem))
		file := filepath.Join(dir, "bot.pem")
		require.NoError(t, os.WriteFile(file, pem, 0o600))
		env = append(env, "MicrosoftAppCertificateFile="+file)
	case "msi":
		cloud.AddManagedIdentity(appID)
		env = append(env, "IDENTITY_ENDPOINT="+cloud.ManagedIdentityEndpoint(), "IDENTITY_HEADER="+fakecloud.ManagedIdentityHeader)
	}
	if s.appType != "" {
		env = append(env, "MicrosoftAppType="+s.appType)
	}
	if s.tenant != "" {
		env = append(env, "MicrosoftAppTenantId="+s.tenant)
	}
	if s.teamsApp {
		env = append(env, "ATTESTBOT_TEAMS_APP_ID="+teamsAppID)
	}
	if s.redis {
		env = append(env, "ATTESTBOT_STORE=redis://"+redistest.Start(t).Addr()+"/0")
	}

	return env
}

// requireStartupLog checks the warnings and the features line.
func requireStartupLog(t *testing.T, srv *binarytest.Server, s setup) {
	t.Helper()
	var warned []string
	var features []any
	for _, rec := range srv.LogRecords() {
		if rec["level"] == "WARN" && rec["feature"] != nil {
			msg, _ := rec["msg"].(string)
			setting, _, _ := strings.Cut(msg, " ")
			warned = append(warned, setting)
		}
		if rec["msg"] == "features" {
			features, _ = rec["on"].([]any)
		}
	}
	require.Equal(t, s.warnings, warned, "one warning per missing optional setting:\n%s", srv.Logs())
	require.Equal(t, toAny(s.on), features, "the startup log lists the features that are on")
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// postUnsigned posts a Teams message without a token.
func postUnsigned(t *testing.T, endpoint, serviceURL string) (int, error) {
	t.Helper()
	body := fakecloud.Message{ID: "unsigned", AppID: appID, ServiceURL: serviceURL, TenantID: tenantID, UserObjectID: userID, Text: "plumm"}.Activity()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, endpoint, strings.NewReader(string(body)))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, resp.Body.Close()
}

// TestRefusedConfigurations: settings that cannot work stop serve with a
// message naming the setting.
func TestRefusedConfigurations(t *testing.T) {
	tests := []struct {
		env  []string
		want string
	}{
		{env: []string{"MicrosoftAppId=" + appID}, want: "MicrosoftAppPassword"},
		{env: []string{"MicrosoftAppId=" + appID, "MicrosoftAppPassword=x", "MicrosoftAppType=SingleTenant"}, want: "MicrosoftAppTenantId"},
		{env: []string{"MicrosoftAppId=" + appID, "MicrosoftAppPassword=x", "MicrosoftAppType=Multi"}, want: "MicrosoftAppType"},
		{env: []string{"ATTESTBOT_LISTEN=0.0.0.0:3978"}, want: "loopback"},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprint(tc.env), func(t *testing.T) {
			code, out := binarytest.Run(t, tc.env, "serve")
			require.Equal(t, 1, code, out)
			require.Contains(t, out, tc.want)
			require.True(t, slices.ContainsFunc(strings.Split(out, "\n"), func(l string) bool { return strings.HasPrefix(l, "attestbot: configuration") }), out)
		})
	}
}
