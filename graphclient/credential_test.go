package graphclient_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/graphclient"
	"github.com/attestbot/attestbot/graphclient/graphtest"
)

func TestAppCredential_CachedPerTenant(t *testing.T) {
	f := newFixture(t)
	var wg sync.WaitGroup
	for i := range 20 {
		tenant := []string{"contoso", "fabrikam"}[i%2]
		wg.Go(func() {
			require.NoError(t, f.client.SendActivityNotification(t.Context(), tenant, "u1", docUserNotification()))
		})
	}
	wg.Wait()
	require.NoError(t, f.client.SendActivityNotification(t.Context(), "contoso", "u2", docUserNotification()))

	toks := f.srv.TokenRequests()
	require.Len(t, toks, 2, "one token per tenant")
	paths := []string{toks[0].Path, toks[1].Path}
	require.ElementsMatch(t, []string{"/contoso/oauth2/v2.0/token", "/fabrikam/oauth2/v2.0/token"}, paths)
	for _, tr := range toks {
		form, err := url.ParseQuery(string(tr.Body))
		require.NoError(t, err)
		require.Equal(t, "client_credentials", form.Get("grant_type"))
		require.Equal(t, testClientID, form.Get("client_id"))
		require.Contains(t, form.Get("scope"), f.srv.GraphURL()+"/.default")
	}
	auth := map[string]string{}
	for _, r := range f.srv.GraphRequests() {
		tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		require.True(t, strings.HasPrefix(tok, "gt-"+r.Tenant+"-"), "tenant %s got token %s", r.Tenant, tok)
		if prev, ok := auth[r.Tenant]; ok {
			require.Equal(t, prev, tok)
		}
		auth[r.Tenant] = tok
	}
	require.Len(t, auth, 2)
}

func TestAppCredential_RefreshBeforeExpiry(t *testing.T) {
	var skew time.Duration
	f := newFixture(t, withNow(func() time.Time { return time.Now().Add(skew) }))
	ctx := t.Context()
	opts := policy.TokenRequestOptions{TenantID: "contoso", Scopes: []string{f.srv.GraphURL() + "/.default"}}
	a, err := f.cred.GetToken(ctx, opts)
	require.NoError(t, err)
	b, err := f.cred.GetToken(ctx, opts)
	require.NoError(t, err)
	require.Equal(t, a.Token, b.Token)
	require.Len(t, f.srv.TokenRequests(), 1)

	skew = 56 * time.Minute // four minutes left: replaced
	c, err := f.cred.GetToken(ctx, opts)
	require.NoError(t, err)
	require.NotEqual(t, a.Token, c.Token)
	require.Len(t, f.srv.TokenRequests(), 2)

	// The home tenant serves calls that name none.
	d, err := f.cred.GetToken(ctx, policy.TokenRequestOptions{})
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(d.Token, "gt-"+homeTenant+"-"))
	_, err = f.cred.GetToken(ctx, policy.TokenRequestOptions{TenantID: "organizations"})
	require.ErrorIs(t, err, graphclient.ErrToken)
}

// A multi-tenant app registration has no home tenant (issue 10): the
// credential starts without one, each request names its tenant and gets
// that tenant's token, and a request naming none is refused.
func TestAppCredential_NoHomeTenant(t *testing.T) {
	for _, kind := range []string{graphclient.KindClientSecret, graphclient.KindCertificate} {
		t.Run(kind, func(t *testing.T) {
			srv := graphtest.New(t)
			srv.SetClientSecret(testClientID, testSecret)
			cfg := graphclient.AppCredentialConfig{ClientID: testClientID, LoginURL: srv.LoginURL(), Scope: srv.GraphURL() + "/.default"}
			if kind == graphclient.KindCertificate {
				cfg.Certificate = selfSignedPEM(t)
			} else {
				cfg.ClientSecret = testSecret
			}
			cred, err := graphclient.NewAppCredential(cfg, graphclient.CredentialOptions{HTTPClient: srv.Client()})
			require.NoError(t, err)
			client, err := graphclient.New(graphclient.Config{GraphURL: srv.GraphURL(), HTTPClient: srv.Client(), BulkInterval: -1}, cred)
			require.NoError(t, err)
			for _, tenant := range []string{"contoso", "fabrikam", "contoso"} {
				require.NoError(t, client.SendActivityNotification(t.Context(), tenant, "u1", docUserNotification()))
			}
			var paths []string
			for _, r := range srv.TokenRequests() {
				paths = append(paths, r.Path)
			}
			require.ElementsMatch(t, []string{"/contoso/oauth2/v2.0/token", "/fabrikam/oauth2/v2.0/token"}, paths, "one token per tenant, none for a home tenant")
			for _, r := range srv.GraphRequests() {
				require.True(t, strings.HasPrefix(strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "), "gt-"+r.Tenant+"-"))
			}
			_, err = cred.GetToken(t.Context(), policy.TokenRequestOptions{})
			require.ErrorIs(t, err, graphclient.ErrToken)
			require.ErrorContains(t, err, "names no tenant")
			_, err = cred.GetToken(t.Context(), policy.TokenRequestOptions{TenantID: "organizations"})
			require.ErrorIs(t, err, graphclient.ErrToken)
		})
	}
}

func TestAppCredential_SecretsNeverLeak(t *testing.T) {
	f := newFixture(t)
	// Tokens issued in this test must not appear in logs either.
	require.NoError(t, f.client.SendActivityNotification(t.Context(), "contoso", "u1", docUserNotification()))
	issued := strings.TrimPrefix(f.srv.GraphRequests()[0].Header.Get("Authorization"), "Bearer ")
	require.NotEmpty(t, issued)

	f.srv.SetClientSecret(testClientID, "another-secret") // Entra now refuses ours
	err := f.client.SendActivityNotification(t.Context(), "fabrikam", "u1", docUserNotification())
	require.ErrorIs(t, err, graphclient.ErrToken)
	retry, _ := graphclient.IsRetryable(err)
	require.False(t, retry, "invalid_client is permanent")
	require.Contains(t, err.Error(), "401")
	require.NotContains(t, err.Error(), testSecret)
	require.NotContains(t, fmt.Sprintf("%+v %#v", err, err), testSecret)

	f.srv.ExpireTokens()
	err = f.client.SendActivityNotification(t.Context(), "contoso", "u1", docUserNotification())
	require.ErrorIs(t, err, graphclient.ErrUnauthorized)
	require.NotContains(t, err.Error(), issued)

	logs := f.logText()
	require.NotEmpty(t, logs)
	require.NotContains(t, logs, testSecret)
	require.NotContains(t, logs, url.QueryEscape(testSecret))
	require.NotContains(t, logs, issued)

	cfg := graphclient.AppCredentialConfig{ClientID: testClientID, ClientSecret: testSecret, Certificate: []byte("KEY"), HomeTenantID: "t"}
	for _, s := range []string{cfg.String(), fmt.Sprintf("%v %+v %#v %s", cfg, cfg, cfg, cfg)} {
		require.NotContains(t, s, testSecret)
		require.NotContains(t, s, "KEY")
	}
	_, err = graphclient.NewAppCredential(cfg, graphclient.CredentialOptions{})
	require.Error(t, err)
	require.NotContains(t, err.Error(), testSecret)
}

func TestAppCredential_ConfigValidation(t *testing.T) {
	tests := []struct {
		name string
		cfg  graphclient.AppCredentialConfig
		want string
	}{
		{name: "no credential", cfg: graphclient.AppCredentialConfig{ClientID: "c", HomeTenantID: "t"}, want: "one of client secret"},
		{name: "two credentials", cfg: graphclient.AppCredentialConfig{ClientID: "c", ClientSecret: "s", ManagedIdentityClientID: "m", HomeTenantID: "t"}, want: "only one"},
		{name: "managed identity without tenant", cfg: graphclient.AppCredentialConfig{ManagedIdentityClientID: "m"}, want: "tenant ID is required"},
		{name: "shared tenant", cfg: graphclient.AppCredentialConfig{ClientID: "c", ClientSecret: "s", HomeTenantID: "common"}, want: "specific tenant"},
		{name: "http login", cfg: graphclient.AppCredentialConfig{ClientID: "c", ClientSecret: "s", HomeTenantID: "t", LoginURL: "http://127.0.0.1:8443"}, want: "https"},
		{name: "scope with a space", cfg: graphclient.AppCredentialConfig{ClientID: "c", ClientSecret: "s", HomeTenantID: "t", Scope: "a b"}, want: "whitespace"},
		{name: "federation without identity", cfg: graphclient.AppCredentialConfig{ClientID: "c", ClientSecret: "s", ManagedIdentityFederated: true, HomeTenantID: "t"}, want: "managed identity client ID"},
		{name: "no client id", cfg: graphclient.AppCredentialConfig{ClientSecret: "s", HomeTenantID: "t"}, want: "client ID is required"},
		{name: "bad certificate", cfg: graphclient.AppCredentialConfig{ClientID: "c", Certificate: []byte("nope"), HomeTenantID: "t"}, want: "certificate"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := graphclient.NewAppCredential(tc.cfg, graphclient.CredentialOptions{})
			require.ErrorContains(t, err, tc.want)
		})
	}
	_, err := graphclient.New(graphclient.Config{GraphURL: "http://graph.example"}, nil)
	require.Error(t, err)
}

// selfSignedPEM returns a certificate and RSA key in PEM.
func selfSignedPEM(t *testing.T) []byte {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "attestbot"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	out := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	return append(out, pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})...)
}

func TestAppCredential_Certificate(t *testing.T) {
	srv := graphtest.New(t)
	cred, err := graphclient.NewAppCredential(graphclient.AppCredentialConfig{ClientID: testClientID, Certificate: selfSignedPEM(t),
		HomeTenantID: homeTenant, LoginURL: srv.LoginURL(), Scope: srv.GraphURL() + "/.default"}, graphclient.CredentialOptions{HTTPClient: srv.Client()})
	require.NoError(t, err)
	require.Equal(t, graphclient.KindCertificate, cred.Kind())
	tok, err := cred.GetToken(t.Context(), policy.TokenRequestOptions{TenantID: "contoso"})
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(tok.Token, "gt-contoso-"))
	form, err := url.ParseQuery(string(srv.TokenRequests()[0].Body))
	require.NoError(t, err)
	require.Equal(t, "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", form.Get("client_assertion_type"))
	require.Empty(t, form.Get("client_secret"))
}

// The managed identity tests set process environment variables, so they
// do not run in parallel.
func TestAppCredential_ManagedIdentity(t *testing.T) {
	srv := graphtest.New(t)
	t.Setenv("IDENTITY_ENDPOINT", srv.URL+graphtest.ManagedIdentityPath)
	t.Setenv("IDENTITY_HEADER", graphtest.ManagedIdentityHeader)
	// A unique client ID per run: MSAL caches managed identity tokens per
	// process.
	miID := fmt.Sprintf("mi-%d", time.Now().UnixNano())
	srv.AddManagedIdentity(miID, homeTenant)

	t.Run("ok, own tenant", func(t *testing.T) {
		cred, err := graphclient.NewAppCredential(graphclient.AppCredentialConfig{ManagedIdentityClientID: miID, HomeTenantID: homeTenant,
			LoginURL: srv.LoginURL(), Scope: srv.GraphURL() + "/.default"}, graphclient.CredentialOptions{HTTPClient: srv.Client()})
		require.NoError(t, err)
		client, err := graphclient.New(graphclient.Config{GraphURL: srv.GraphURL(), HTTPClient: srv.Client()}, cred)
		require.NoError(t, err)
		require.NoError(t, client.SendActivityNotification(t.Context(), homeTenant, "u1", docUserNotification()))
		err = client.SendActivityNotification(t.Context(), "contoso", "u1", docUserNotification())
		require.ErrorIs(t, err, graphclient.ErrToken)
		retry, _ := graphclient.IsRetryable(err)
		require.False(t, retry)
	})
	t.Run("ok, federated for any tenant", func(t *testing.T) {
		cred, err := graphclient.NewAppCredential(graphclient.AppCredentialConfig{ClientID: testClientID, ManagedIdentityClientID: miID,
			ManagedIdentityFederated: true, HomeTenantID: homeTenant, LoginURL: srv.LoginURL(), Scope: srv.GraphURL() + "/.default"},
			graphclient.CredentialOptions{HTTPClient: srv.Client()})
		require.NoError(t, err)
		require.Equal(t, graphclient.KindManagedIdentityFederated, cred.Kind())
		client, err := graphclient.New(graphclient.Config{GraphURL: srv.GraphURL(), HTTPClient: srv.Client()}, cred)
		require.NoError(t, err)
		require.NoError(t, client.SendActivityNotification(t.Context(), "contoso", "u1", docUserNotification()))
		var assertion url.Values
		for _, r := range srv.TokenRequests() {
			if r.Path == "/contoso/oauth2/v2.0/token" {
				assertion, err = url.ParseQuery(string(r.Body))
				require.NoError(t, err)
			}
		}
		require.NotNil(t, assertion)
		require.Equal(t, testClientID, assertion.Get("client_id"))
		require.Equal(t, 2, strings.Count(assertion.Get("client_assertion"), "."))
	})
}
