package credential_test

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/internal/credential"
	"github.com/attestbot/attestbot/internal/fakecloud"
)

const (
	testClientID = "11111111-2222-4333-8444-555555555555"
	testSecret   = "s3cr3t~value.With+chars/=="
	tenantA      = "aaaaaaaa-0000-4000-8000-00000000000a"
	tenantB      = "bbbbbbbb-0000-4000-8000-00000000000b"
	scope        = "https://graph.example/.default"
)

func startCloud(t *testing.T) *fakecloud.Cloud {
	t.Helper()
	c, err := fakecloud.Start()
	require.NoError(t, err)
	t.Cleanup(c.Close)
	return c
}

// TestCredential_PerTenantTokens runs MSAL Go against the TLS fake: a
// multi-tenant app gets one token per tenant a request names, each cached,
// and shared aliases never reach the network.
func TestCredential_PerTenantTokens(t *testing.T) {
	cloud := startCloud(t)
	cloud.AddSecretApp(testClientID, testSecret)
	cred, err := credential.New(credential.Config{ClientID: testClientID, ClientSecret: testSecret, LoginURL: cloud.LoginURL(), Scope: scope},
		credential.Options{HTTPClient: cloud.Client()})
	require.NoError(t, err)
	require.Equal(t, credential.KindClientSecret, cred.Kind())

	a, err := cred.Token(t.Context(), credential.Request{Tenant: tenantA})
	require.NoError(t, err)
	b, err := cred.Token(t.Context(), credential.Request{Tenant: tenantB})
	require.NoError(t, err)
	require.NotEqual(t, a.Value, b.Value, "one token per tenant")
	again, err := cred.Token(t.Context(), credential.Request{Tenant: tenantA})
	require.NoError(t, err)
	require.Equal(t, a.Value, again.Value, "served from the cache")
	require.EqualValues(t, 2, cloud.Stats().TokensIssued)

	for _, bad := range []string{"organizations", "common", "a b"} {
		_, err := cred.Token(t.Context(), credential.Request{Tenant: bad})
		require.ErrorIs(t, err, credential.ErrToken, bad)
	}
	_, err = cred.Token(t.Context(), credential.Request{})
	require.ErrorContains(t, err, "names no tenant")
	require.EqualValues(t, 2, cloud.Stats().TokensIssued, "refused before the network")
}

func TestCredential_CertificateWithHomeTenant(t *testing.T) {
	cloud := startCloud(t)
	pem, err := fakecloud.SelfSignedCertificate("attestbot")
	require.NoError(t, err)
	require.NoError(t, cloud.AddCertificateApp(testClientID, pem))
	cred, err := credential.New(credential.Config{ClientID: testClientID, Certificate: pem, HomeTenantID: tenantA, LoginURL: cloud.LoginURL()},
		credential.Options{HTTPClient: cloud.Client()})
	require.NoError(t, err)
	require.Equal(t, credential.KindCertificate, cred.Kind())
	tok, err := cred.Token(t.Context(), credential.Request{Scopes: []string{scope}})
	require.NoError(t, err, "no tenant named: the home tenant")
	require.NotEmpty(t, tok.Value)
	_, err = cred.Token(t.Context(), credential.Request{Tenant: tenantA})
	require.ErrorContains(t, err, "names no scope")
}

func TestCredential_ManagedIdentity(t *testing.T) {
	cloud := startCloud(t)
	cloud.AddManagedIdentity(testClientID)
	t.Setenv("IDENTITY_ENDPOINT", cloud.ManagedIdentityEndpoint())
	t.Setenv("IDENTITY_HEADER", fakecloud.ManagedIdentityHeader)
	cred, err := credential.New(credential.Config{ManagedIdentityClientID: testClientID, HomeTenantID: tenantA, Scope: scope},
		credential.Options{HTTPClient: cloud.Client()})
	require.NoError(t, err)
	tok, err := cred.Token(t.Context(), credential.Request{})
	require.NoError(t, err)
	require.NotEmpty(t, tok.Value)
	_, err = cred.Token(t.Context(), credential.Request{Tenant: tenantB})
	require.ErrorContains(t, err, "only for its tenant")

	own, err := credential.New(credential.Config{ManagedIdentityClientID: testClientID, Scope: scope}, credential.Options{HTTPClient: cloud.Client()})
	require.NoError(t, err)
	_, err = own.Token(t.Context(), credential.Request{})
	require.NoError(t, err, "no home tenant: the identity's own")
}

func TestCredential_FailureHidesSecret(t *testing.T) {
	cloud := startCloud(t)
	cloud.AddSecretApp(testClientID, "another secret")
	cred, err := credential.New(credential.Config{ClientID: testClientID, ClientSecret: testSecret, LoginURL: cloud.LoginURL(), Scope: scope},
		credential.Options{HTTPClient: cloud.Client()})
	require.NoError(t, err)
	_, err = cred.Token(t.Context(), credential.Request{Tenant: tenantA})
	require.ErrorIs(t, err, credential.ErrToken)
	require.ErrorContains(t, err, "AADSTS7000215")
	var ce *credential.Error
	require.ErrorAs(t, err, &ce)
	require.False(t, ce.Retryable(), "Entra refused the client")
	for u := error(ce); u != nil; u = errors.Unwrap(u) {
		require.NotContains(t, fmt.Sprintf("%v %+v %#v", u, u, u), testSecret)
	}
}

func TestConfig_Validate(t *testing.T) {
	tests := []struct {
		name string
		cfg  credential.Config
		want string
	}{
		{name: "no credential", cfg: credential.Config{ClientID: "c"}, want: "one of client secret"},
		{name: "two credentials", cfg: credential.Config{ClientID: "c", ClientSecret: "s", ManagedIdentityClientID: "m"}, want: "only one"},
		{name: "shared home tenant", cfg: credential.Config{ClientID: "c", ClientSecret: "s", HomeTenantID: "organizations"}, want: "specific tenant"},
		{name: "http login", cfg: credential.Config{ClientID: "c", ClientSecret: "s", LoginURL: "http://127.0.0.1:8443"}, want: "https"},
		{name: "login with path", cfg: credential.Config{ClientID: "c", ClientSecret: "s", LoginURL: "https://login.example/t"}, want: "host"},
		{name: "federation without identity", cfg: credential.Config{ClientID: "c", ClientSecret: "s", ManagedIdentityFederated: true}, want: "managed identity client ID"},
		{name: "no client id", cfg: credential.Config{ClientSecret: "s"}, want: "client ID is required"},
		{name: "scope with a space", cfg: credential.Config{ClientID: "c", ClientSecret: "s", Scope: "a b"}, want: "whitespace"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.ErrorContains(t, tc.cfg.Validate(), tc.want)
		})
	}
	_, err := credential.New(credential.Config{ClientID: "c", Certificate: []byte("nope")}, credential.Options{})
	require.ErrorContains(t, err, "certificate")
	require.NoError(t, credential.Config{ManagedIdentityClientID: "m"}.Validate())

	cfg := credential.Config{ClientID: "c", ClientSecret: testSecret, Certificate: []byte("KEY")}
	for _, s := range []string{cfg.String(), fmt.Sprintf("%v %+v %#v %s", cfg, cfg, cfg, cfg)} {
		require.NotContains(t, s, testSecret)
		require.NotContains(t, s, "KEY")
	}

	// New logs the credential it built (debug), never its secret.
	var logged strings.Builder
	debug := slog.New(slog.NewTextHandler(&logged, &slog.HandlerOptions{Level: slog.LevelDebug}))
	_, err = credential.New(credential.Config{ClientID: "c", ClientSecret: testSecret}, credential.Options{Logger: debug})
	require.NoError(t, err)
	require.Contains(t, logged.String(), "credential ready")
	require.Contains(t, logged.String(), "credential.kind=client_secret")
	require.NotContains(t, logged.String(), testSecret)
}
