package fakecloud_test

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/bot/auth"
	"github.com/attestbot/attestbot/internal/fakecloud"
)

const (
	appID  = "3b0b1b1e-0009-4000-8000-00000000b0b9"
	secret = "fake-secret"
)

func start(t *testing.T) *fakecloud.Cloud {
	t.Helper()
	c, err := fakecloud.Start()
	require.NoError(t, err)
	t.Cleanup(c.Close)
	return c
}

// The bot's own validator accepts the channel tokens the fake mints, with
// one metadata and one JWKS fetch, and refuses one for another bot.
func TestChannelToken_ValidatedByTheBot(t *testing.T) {
	c := start(t)
	keys, err := auth.NewKeyCache(auth.KeyCacheConfig{MetadataURL: c.MetadataURL()}, c.Client(), nil)
	require.NoError(t, err)
	v := auth.NewValidator(auth.ValidatorConfig{AppID: appID}, keys, nil)
	for range 3 {
		tok, err := c.ChannelToken(appID, c.ServiceURL())
		require.NoError(t, err)
		claims, err := v.Validate(t.Context(), "Bearer "+tok, fakecloud.ChannelID, c.ServiceURL())
		require.NoError(t, err)
		require.Equal(t, []string{fakecloud.ChannelID}, claims.Endorsements)
	}
	other, err := c.ChannelToken("another-bot", c.ServiceURL())
	require.NoError(t, err)
	_, err = v.Validate(t.Context(), "Bearer "+other, fakecloud.ChannelID, c.ServiceURL())
	require.ErrorIs(t, err, auth.ErrUnauthorized)
	tok, err := c.ChannelToken(appID, c.ServiceURL())
	require.NoError(t, err)
	_, err = v.Validate(t.Context(), "Bearer "+tok, "webchat", c.ServiceURL())
	require.ErrorIs(t, err, auth.ErrUnauthorized, "the key is endorsed for msteams only")
	s := c.Stats()
	require.Equal(t, int64(1), s.MetadataFetches)
	require.Equal(t, int64(1), s.JWKSFetches)
	require.Equal(t, int64(5), s.ChannelTokens)
}

// selfSigned returns a certificate and its RSA key in PEM.
func selfSigned(t *testing.T) []byte {
	t.Helper()
	b, err := fakecloud.SelfSignedCertificate("bot")
	require.NoError(t, err)
	return b
}

// postReply posts a card reply to the fake connector with token.
func postReply(t *testing.T, c *fakecloud.Cloud, conv, token string) int {
	t.Helper()
	body := `{"type":"message","attachments":[{"contentType":"application/vnd.microsoft.card.adaptive","content":{"type":"AdaptiveCard"}}]}`
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, c.ServiceURL()+"v3/conversations/"+conv+"/activities/msg-1", strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := c.Client().Do(req)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	return resp.StatusCode
}

// The bot's token source gets a Bot Connector token from the fake Entra
// with a secret, a certificate and a managed identity, for each app type,
// and the connector accepts it; a wrong secret and a stranger's token are
// refused.
func TestTokens_EveryCredential(t *testing.T) {
	c := start(t)
	dir := t.TempDir()
	certFile := filepath.Join(dir, "bot.pem")
	require.NoError(t, os.WriteFile(certFile, selfSigned(t), 0o600))
	require.NoError(t, c.AddCertificateApp("cert-app", mustRead(t, certFile)))
	c.AddSecretApp(appID, secret)
	c.AddManagedIdentity("msi-app")
	t.Setenv("IDENTITY_ENDPOINT", c.ManagedIdentityEndpoint())
	t.Setenv("IDENTITY_HEADER", fakecloud.ManagedIdentityHeader)

	tests := []struct {
		name   string
		cfg    auth.CredentialConfig
		tenant string
	}{
		{"multitenant secret", auth.CredentialConfig{AppID: appID, AppPassword: secret}, fakecloud.MultiTenantAuthority},
		{"multitenant certificate", auth.CredentialConfig{AppID: "cert-app", CertificateFile: certFile}, fakecloud.MultiTenantAuthority},
		{"singletenant secret", auth.CredentialConfig{AppType: auth.AppTypeSingleTenant, AppID: appID, AppPassword: secret, TenantID: "contoso.example"}, "contoso.example"},
		{"managed identity", auth.CredentialConfig{AppType: auth.AppTypeUserAssignedMSI, AppID: "msi-app"}, "managed-identity"},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.cfg.LoginURL = c.LoginURL()
			src, err := auth.NewTokenSource(tc.cfg, auth.TokenSourceOptions{HTTPClient: c.Client()})
			require.NoError(t, err)
			tok, err := src.Token(t.Context())
			require.NoError(t, err)
			conv := "conv-" + string(rune('a'+i))
			require.Equal(t, http.StatusOK, postReply(t, c, conv, tok))
			got, err := c.WaitReplies(conv, 1, time.Second)
			require.NoError(t, err)
			require.Equal(t, tc.cfg.AppID, got[0].ClientID)
			require.Equal(t, tc.tenant, got[0].Tenant)
			require.Equal(t, "msg-1", got[0].ReplyToID)
			require.True(t, got[0].HasCard())
		})
	}

	bad, err := auth.NewTokenSource(auth.CredentialConfig{AppID: appID, AppPassword: "wrong", LoginURL: c.LoginURL()}, auth.TokenSourceOptions{HTTPClient: c.Client()})
	require.NoError(t, err)
	_, err = bad.Token(t.Context())
	require.Error(t, err)
	require.NotContains(t, err.Error(), "wrong")

	require.Equal(t, http.StatusUnauthorized, postReply(t, c, "conv-x", "not-a-token"))
	s := c.Stats()
	require.Equal(t, int64(4), s.Replies)
	require.Equal(t, int64(1), s.RepliesUnauthorized)
	require.Equal(t, int64(4), s.TokensIssued)
	require.GreaterOrEqual(t, s.TokensRejected, int64(1))
	require.Positive(t, s.ConnectionsOpened)
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return b
}

// A client assertion signed by another key, or about another client, is
// refused.
func TestToken_ForgedAssertion(t *testing.T) {
	c := start(t)
	require.NoError(t, c.AddCertificateApp("cert-app", selfSigned(t)))
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	for _, sub := range []string{"cert-app", "someone"} {
		a, err := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims{"iss": sub, "sub": sub,
			"aud": c.URL + "/botframework.com/oauth2/v2.0/token", "exp": time.Now().Add(time.Minute).Unix()}).SignedString(key)
		require.NoError(t, err)
		form := "grant_type=client_credentials&client_id=cert-app&scope=https%3A%2F%2Fapi.botframework.com%2F.default" +
			"&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=" + a
		resp, err := c.Client().Post(c.URL+"/botframework.com/oauth2/v2.0/token", "application/x-www-form-urlencoded", bytes.NewBufferString(form))
		require.NoError(t, err)
		require.NoError(t, resp.Body.Close())
		require.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	}
	require.Equal(t, int64(0), c.Stats().TokensIssued)
}

// The exported CA is what a process trusts through SSL_CERT_FILE.
func TestWriteCA(t *testing.T) {
	c := start(t)
	path := filepath.Join(t.TempDir(), "ca.pem")
	require.NoError(t, c.WriteCA(path))
	pool := x509.NewCertPool()
	require.True(t, pool.AppendCertsFromPEM(mustRead(t, path)))
	_, err := c.Send(t.Context(), "https://example.com/api/messages", fakecloud.Message{AppID: appID})
	require.ErrorContains(t, err, "not a loopback URL")
}

// The Graph answers only tokens issued for it, records the tenant of each
// call, and serves empty tenants.
func TestGraph(t *testing.T) {
	c := start(t)
	c.AddSecretApp(appID, secret)
	token := func(tenant, scope string) string {
		form := "grant_type=client_credentials&client_id=" + appID + "&client_secret=" + secret + "&scope=" + scope
		resp, err := c.Client().Post(c.URL+"/"+tenant+"/oauth2/v2.0/token", "application/x-www-form-urlencoded", strings.NewReader(form))
		require.NoError(t, err)
		defer resp.Body.Close()
		require.Equal(t, http.StatusOK, resp.StatusCode)
		var body struct {
			AccessToken string `json:"access_token"`
		}
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
		return body.AccessToken
	}
	get := func(tok string) (int, string) {
		req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, c.GraphURL()+"/v1.0/servicePrincipals", nil)
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := c.Client().Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		return resp.StatusCode, string(b)
	}
	code, body := get(token("contoso", c.GraphURL()+"/.default"))
	require.Equal(t, http.StatusOK, code)
	require.JSONEq(t, `{"value":[]}`, body)
	code, _ = get(token("contoso", fakecloud.ConnectorScope+"/.default"))
	require.Equal(t, http.StatusUnauthorized, code, "a Bot Connector token is not a Graph token")
	require.Equal(t, []fakecloud.GraphCall{{Method: "GET", Path: "/v1.0/servicePrincipals", Tenant: "contoso", ClientID: appID}}, c.GraphCalls())
	s := c.Stats()
	require.Equal(t, int64(1), s.GraphCalls)
	require.Equal(t, int64(1), s.GraphUnauthorized)

	resp, err := c.Client().Post(c.URL+"/organizations/oauth2/v2.0/token", "application/x-www-form-urlencoded",
		strings.NewReader("grant_type=client_credentials&client_id="+appID+"&client_secret="+secret+"&scope=x"))
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	require.Equal(t, http.StatusBadRequest, resp.StatusCode, "client credentials need a specific tenant")
}
