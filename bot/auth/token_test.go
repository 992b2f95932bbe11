package auth_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/bot/auth"
	"github.com/attestbot/attestbot/bot/auth/authtest"
)

const testSecret = "s3cr3t~value.With+chars/=="

// tokenRequest is one request the fake Entra token endpoint received.
type tokenRequest struct {
	tenant string
	form   url.Values
}

// fakeEntra is an Entra-like TLS server: OpenID discovery per tenant and the
// v2 token endpoint (client credentials with a secret or a certificate
// assertion).
type fakeEntra struct {
	srv  *httptest.Server
	cert *x509.Certificate // verifies client assertions, when set

	mu       sync.Mutex
	requests []tokenRequest
	fail     bool
	issued   int
}

func newFakeEntra(t *testing.T) *fakeEntra {
	t.Helper()
	e := &fakeEntra{}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{tenant}/v2.0/.well-known/openid-configuration", e.discovery)
	mux.HandleFunc("POST /{tenant}/oauth2/v2.0/token", e.token)
	e.srv = httptest.NewTLSServer(mux)
	t.Cleanup(e.srv.Close)
	return e
}

func (e *fakeEntra) discovery(w http.ResponseWriter, r *http.Request) {
	tenant := r.PathValue("tenant")
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"token_endpoint":         e.srv.URL + "/" + tenant + "/oauth2/v2.0/token",
		"authorization_endpoint": e.srv.URL + "/" + tenant + "/oauth2/v2.0/authorize",
		"issuer":                 e.srv.URL + "/" + tenant + "/v2.0",
	})
}

func (e *fakeEntra) token(w http.ResponseWriter, r *http.Request) {
	tenant := r.PathValue("tenant")
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	e.mu.Lock()
	e.requests = append(e.requests, tokenRequest{tenant: tenant, form: r.PostForm})
	fail := e.fail
	cert := e.cert
	e.issued++
	n := e.issued
	e.mu.Unlock()

	w.Header().Set("Content-Type", "application/json")
	if fail {
		// Like AADSTS7000215, and echoing the secret, so the test proves
		// that it is scrubbed.
		w.WriteHeader(http.StatusUnauthorized)
		_ = json.NewEncoder(w).Encode(map[string]any{
			"error":             "invalid_client",
			"error_description": "AADSTS7000215: Invalid client secret provided: " + r.PostForm.Get("client_secret"),
			"error_codes":       []int{7000215},
		})
		return
	}
	if a := r.PostForm.Get("client_assertion"); a != "" {
		if err := verifyAssertion(a, cert, r.PostForm.Get("client_id"), e.srv.URL+r.URL.Path); err != nil {
			w.WriteHeader(http.StatusUnauthorized)
			_ = json.NewEncoder(w).Encode(map[string]any{"error": "invalid_client", "error_description": err.Error()})
			return
		}
	}
	_ = json.NewEncoder(w).Encode(map[string]any{
		"token_type":     "Bearer",
		"expires_in":     3599,
		"ext_expires_in": 3599,
		"access_token":   fmt.Sprintf("access-token-%d", n),
	})
}

// verifyAssertion checks a client assertion JWT the way Entra does: signed
// by the registered certificate, iss = sub = client id, aud = token endpoint.
func verifyAssertion(assertion string, cert *x509.Certificate, clientID, endpoint string) error {
	if cert == nil {
		return errors.New("no certificate registered")
	}
	tok, err := jwt.Parse(assertion, func(*jwt.Token) (any, error) { return cert.PublicKey, nil },
		jwt.WithValidMethods([]string{"RS256", "PS256"}), jwt.WithAudience(endpoint), jwt.WithIssuer(clientID), jwt.WithSubject(clientID))
	if err != nil {
		return fmt.Errorf("assertion: %w", err)
	}
	if _, ok := tok.Header["x5t"]; !ok {
		if _, ok := tok.Header["x5t#S256"]; !ok {
			return errors.New("assertion has no thumbprint")
		}
	}
	return nil
}

func (e *fakeEntra) loginURL() string { return e.srv.URL }

func (e *fakeEntra) snapshot() []tokenRequest {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]tokenRequest(nil), e.requests...)
}

func (e *fakeEntra) setFail(fail bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.fail = fail
}

// writeCert creates a self-signed certificate for key and writes the
// certificate and PKCS#8 key as separate PEM files and as one combined file.
func writeCert(t *testing.T, key *rsa.PrivateKey, notAfter time.Time) (cert *x509.Certificate, certFile, keyFile, combined string) {
	t.Helper()
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(42),
		Subject:      pkix.Name{CommonName: "attestbot-test"},
		NotBefore:    notAfter.Add(-48 * time.Hour),
		NotAfter:     notAfter,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	cert, err = x509.ParseCertificate(der)
	require.NoError(t, err)
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	require.NoError(t, err)
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})
	dir := t.TempDir()
	certFile = filepath.Join(dir, "cert.pem")
	keyFile = filepath.Join(dir, "key.pem")
	combined = filepath.Join(dir, "combined.pem")
	require.NoError(t, os.WriteFile(certFile, certPEM, 0o600))
	require.NoError(t, os.WriteFile(keyFile, keyPEM, 0o600))
	require.NoError(t, os.WriteFile(combined, append(certPEM, keyPEM...), 0o600))
	return cert, certFile, keyFile, combined
}

func TestNewTokenSource_ConfidentialFlows(t *testing.T) {
	e := newFakeEntra(t)
	key := authtest.RSAKey(t, 3)
	cert, certFile, keyFile, combined := writeCert(t, key, time.Now().Add(48*time.Hour))
	e.cert = cert
	const tenant = "0d9c8b7a-6543-4210-9876-fedcba987654"

	tests := []struct {
		name       string
		cfg        auth.CredentialConfig
		wantTenant string
		wantSecret bool
	}{
		{name: "multi-tenant secret", wantTenant: "botframework.com", wantSecret: true,
			cfg: auth.CredentialConfig{AppID: testAppID, AppPassword: testSecret}},
		{name: "multi-tenant ignores tenant id", wantTenant: "botframework.com", wantSecret: true,
			cfg: auth.CredentialConfig{AppType: "multitenant", AppID: testAppID, AppPassword: testSecret, TenantID: tenant}},
		{name: "single-tenant secret", wantTenant: tenant, wantSecret: true,
			cfg: auth.CredentialConfig{AppType: "SingleTenant", AppID: testAppID, AppPassword: testSecret, TenantID: tenant}},
		{name: "single-tenant certificate and key files", wantTenant: tenant,
			cfg: auth.CredentialConfig{AppType: "SINGLETENANT", AppID: testAppID, TenantID: tenant, CertificateFile: certFile, CertificateKeyFile: keyFile}},
		{name: "multi-tenant combined certificate file", wantTenant: "botframework.com",
			cfg: auth.CredentialConfig{AppID: testAppID, CertificateFile: combined}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(e.snapshot())
			tt.cfg.LoginURL = e.loginURL()
			ts, err := auth.NewTokenSource(tt.cfg, auth.TokenSourceOptions{HTTPClient: e.srv.Client()})
			require.NoError(t, err)

			tok, err := ts.Token(context.Background())
			require.NoError(t, err)
			require.True(t, strings.HasPrefix(tok, "access-token-"), tok)

			reqs := e.snapshot()[before:]
			require.Len(t, reqs, 1)
			got := reqs[0]
			require.Equal(t, tt.wantTenant, got.tenant)
			require.Equal(t, "client_credentials", got.form.Get("grant_type"))
			require.Equal(t, testAppID, got.form.Get("client_id"))
			require.Contains(t, strings.Fields(got.form.Get("scope")), "https://api.botframework.com/.default")
			if tt.wantSecret {
				require.Equal(t, testSecret, got.form.Get("client_secret"))
				require.Empty(t, got.form.Get("client_assertion"))
			} else {
				require.Empty(t, got.form.Get("client_secret"))
				require.Equal(t, "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", got.form.Get("client_assertion_type"))
				require.NotEmpty(t, got.form.Get("client_assertion"))
			}

			// Cached: no second request.
			again, err := ts.Token(context.Background())
			require.NoError(t, err)
			require.Equal(t, tok, again)
			require.Len(t, e.snapshot(), before+1)
		})
	}
}

func TestNewTokenSource_ConcurrentCallersShareOneRequest(t *testing.T) {
	e := newFakeEntra(t)
	ts, err := auth.NewTokenSource(auth.CredentialConfig{AppID: testAppID, AppPassword: testSecret, LoginURL: e.loginURL()},
		auth.TokenSourceOptions{HTTPClient: e.srv.Client()})
	require.NoError(t, err)

	const n = 20
	toks := make(chan string, n)
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tok, err := ts.Token(context.Background())
			if err != nil {
				toks <- "error: " + err.Error()
				return
			}
			toks <- tok
		}()
	}
	wg.Wait()
	close(toks)
	for tok := range toks {
		require.Equal(t, "access-token-1", tok)
	}
	require.Len(t, e.snapshot(), 1)
}

func TestNewTokenSource_FailureHidesSecret(t *testing.T) {
	e := newFakeEntra(t)
	e.setFail(true)
	ts, err := auth.NewTokenSource(auth.CredentialConfig{AppID: testAppID, AppPassword: testSecret, LoginURL: e.loginURL()},
		auth.TokenSourceOptions{HTTPClient: e.srv.Client()})
	require.NoError(t, err)

	_, err = ts.Token(context.Background())
	require.ErrorIs(t, err, auth.ErrTokenAcquisition)
	require.Contains(t, err.Error(), "AADSTS7000215", "the provider's reason is kept")
	require.NotContains(t, err.Error(), testSecret)
	require.NotContains(t, err.Error(), url.QueryEscape(testSecret))
	require.NotContains(t, fmt.Sprintf("%+v", err), testSecret)
	for u := err; u != nil; u = errors.Unwrap(u) {
		require.NotContains(t, fmt.Sprintf("%#v", u), testSecret, "no wrapped value may hold the secret")
	}

	// Failures are not cached: the next call asks again and can succeed.
	e.setFail(false)
	tok, err := ts.Token(context.Background())
	require.NoError(t, err)
	require.NotEmpty(t, tok)
	require.Len(t, e.snapshot(), 2)
}

func TestNewTokenSource_ExpiredCertificate(t *testing.T) {
	_, certFile, keyFile, _ := writeCert(t, authtest.RSAKey(t, 3), time.Now().Add(-time.Hour))
	_, err := auth.NewTokenSource(auth.CredentialConfig{AppID: testAppID, CertificateFile: certFile, CertificateKeyFile: keyFile},
		auth.TokenSourceOptions{})
	require.ErrorContains(t, err, "expired")
}

func TestNewTokenSource_CertificateErrors(t *testing.T) {
	_, certFile, _, _ := writeCert(t, authtest.RSAKey(t, 3), time.Now().Add(time.Hour))
	_, _, otherKey, _ := writeCert(t, authtest.RSAKey(t, 2), time.Now().Add(time.Hour))
	tests := []struct {
		name    string
		cfg     auth.CredentialConfig
		wantErr string
	}{
		{name: "missing file", cfg: auth.CredentialConfig{CertificateFile: filepath.Join(t.TempDir(), "nope.pem")}, wantErr: "read certificate"},
		{name: "no key", cfg: auth.CredentialConfig{CertificateFile: certFile}, wantErr: "no private key"},
		{name: "key of another cert", cfg: auth.CredentialConfig{CertificateFile: certFile, CertificateKeyFile: otherKey}, wantErr: "doesn't match"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.cfg.AppID = testAppID
			_, err := auth.NewTokenSource(tt.cfg, auth.TokenSourceOptions{})
			require.ErrorContains(t, err, tt.wantErr)
		})
	}
}

func TestNewTokenSource_UserAssignedMSI_AppService(t *testing.T) {
	const (
		identityHeader = "identity-header-value"
		miClientID     = "9a8b7c6d-0000-4000-8000-00000000abcd"
	)
	var (
		mu   sync.Mutex
		hits []url.Values
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-IDENTITY-HEADER") != identityHeader {
			http.Error(w, `{"error":"missing header"}`, http.StatusBadRequest)
			return
		}
		mu.Lock()
		hits = append(hits, r.URL.Query())
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{
			"access_token": "mi-token",
			"expires_on":   fmt.Sprint(time.Now().Add(time.Hour).Unix()),
			"resource":     r.URL.Query().Get("resource"),
			"token_type":   "Bearer",
			"client_id":    r.URL.Query().Get("client_id"),
		})
	}))
	defer srv.Close()
	t.Setenv("IDENTITY_ENDPOINT", srv.URL+"/msi/token")
	t.Setenv("IDENTITY_HEADER", identityHeader)

	ts, err := auth.NewTokenSource(auth.CredentialConfig{AppType: "userassignedmsi", AppID: miClientID, TenantID: "any"},
		auth.TokenSourceOptions{HTTPClient: srv.Client()})
	require.NoError(t, err)
	require.Equal(t, auth.AppTypeUserAssignedMSI, ts.AppType())

	tok, err := ts.Token(context.Background())
	require.NoError(t, err)
	require.Equal(t, "mi-token", tok)
	tok, err = ts.Token(context.Background())
	require.NoError(t, err)
	require.Equal(t, "mi-token", tok)

	mu.Lock()
	defer mu.Unlock()
	require.Len(t, hits, 1, "second call served from cache")
	require.Equal(t, "https://api.botframework.com", hits[0].Get("resource"))
	require.Equal(t, miClientID, hits[0].Get("client_id"))
	require.NotEmpty(t, hits[0].Get("api-version"))
}
