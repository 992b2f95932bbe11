package main

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/app"
	"github.com/attestbot/attestbot/graphclient/graphtest"
)

const (
	testTenant = "11111111-1111-4111-8111-111111111111"
	testAppID  = "22222222-2222-4222-8222-222222222222"
	testTeams  = "33333333-3333-4333-8333-333333333333"
)

// testClients are the outbound clients runCmd passes: graphEnv points
// them at a fake Graph and Entra.
var testClients = app.NewClients()

// graphEnv points the Graph commands at a fake Graph and Entra over TLS.
func graphEnv(t *testing.T) *graphtest.Server {
	t.Helper()
	s := graphtest.New(t)
	testClients = app.Clients{Entra: s.Client(), OpenID: s.Client(), Graph: s.Client()}
	t.Cleanup(func() { testClients = app.NewClients() })
	t.Setenv("ATTESTBOT_LOGIN_URL", s.LoginURL())
	t.Setenv("ATTESTBOT_GRAPH_URL", s.GraphURL())
	t.Setenv("MicrosoftAppId", testAppID)
	t.Setenv("MicrosoftAppPassword", "not-a-real-secret")
	t.Setenv("MicrosoftAppTenantId", testTenant)
	t.Setenv("ATTESTBOT_TEAMS_APP_ID", testTeams)
	t.Setenv("ATTESTBOT_PUBLIC_URL", "https://attestbot.example.com")
	return s
}

func TestPublishAndInstall(t *testing.T) {
	s := graphEnv(t)
	zip := filepath.Join(t.TempDir(), "attestbot.zip")
	_, stderr, code := runCmd(t, "manifest", "build", "--out", zip)
	require.Equal(t, 0, code, stderr)

	// First publish: the device code prompt goes to stderr, the app is
	// created.
	out, stderr, code := runCmd(t, "manifest", "publish", "--package", zip)
	require.Equal(t, 0, code, stderr)
	require.Contains(t, stderr, "code")
	require.Contains(t, out, "published")
	apps := s.Tenant(testTenant).CatalogApps()
	require.Len(t, apps, 1)
	require.Equal(t, testTeams, apps[0].ExternalID)

	// Second publish of the same manifest ID updates it.
	out, stderr, code = runCmd(t, "manifest", "publish", "--package", zip)
	require.Equal(t, 0, code, stderr)
	require.Contains(t, out, "updated")
	require.Len(t, s.Tenant(testTenant).CatalogApps(), 1)

	// Install for two admins with the app-only credential.
	out, stderr, code = runCmd(t, "install", "--user", "admin1@example.com", "--user", "admin2@example.com")
	require.Equal(t, 0, code, stderr)
	require.Contains(t, out, "admin1@example.com: installed")
	require.True(t, s.Tenant(testTenant).Installed("admin2@example.com", apps[0].ID))
	require.NotContains(t, stderr+out, "not-a-real-secret")
}

func TestPublish_Errors(t *testing.T) {
	graphEnv(t)
	_, stderr, code := runCmd(t, "manifest", "publish", "--package", "catalog_test.go")
	require.Equal(t, 1, code)
	require.Contains(t, stderr, "not a valid app package")

	t.Setenv("ATTESTBOT_TEAMS_APP_ID", "")
	_, stderr, code = runCmd(t, "install", "--user", "a@example.com")
	require.Equal(t, 1, code)
	require.Contains(t, stderr, "ATTESTBOT_TEAMS_APP_ID")

	_, stderr, code = runCmd(t, "install")
	require.Equal(t, 1, code)
	require.Contains(t, stderr, "--user")
}
