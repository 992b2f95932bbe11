// Package authtest is a fake Bot Framework identity service for tests: an
// httptest TLS server that serves OpenID metadata and a JWKS of endorsed RSA
// keys, mints channel tokens with chosen algorithm, claims and kid, and
// counts the metadata and JWKS fetches.
//
// Typical use in another package's test:
//
//	idp := authtest.NewServer(t)
//	v := idp.Validator(t, "app-id") // an *auth.Validator trusting idp
//	req.Header.Set("Authorization", idp.AuthorizationHeader(t, "app-id", serviceURL))
//
// For a refused token, mint one with chosen claims:
//
//	c := authtest.ChannelClaims("app-id", serviceURL, time.Now())
//	c["aud"] = "someone-else"
//	req.Header.Set("Authorization", "Bearer "+idp.Mint(t, authtest.Token{Claims: c}))
package authtest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/attestbot/attestbot/bot/auth"
)

// DefaultKID is the kid of the key every Server starts with, endorsed for
// DefaultChannelID.
const DefaultKID = "authtest-key-1"

// DefaultChannelID is the channel the default key is endorsed for.
const DefaultChannelID = "msteams"

// Paths served by a Server.
const (
	MetadataPath = "/v1/.well-known/openidconfiguration"
	JWKSPath     = "/v1/.well-known/keys"
)

// Key is a signing key of the fake service.
type Key struct {
	// KID is the JWK kid.
	KID string
	// Private signs tokens.
	Private *rsa.PrivateKey
	// Endorsements are published in the JWKS; nil omits the member.
	Endorsements []string
	// Alg is published as the JWK alg when non-empty.
	Alg string
}

// Server is the fake identity service. Its methods are safe for concurrent use.
type Server struct {
	// TLS is the underlying server; TLS.Client() trusts it.
	TLS *httptest.Server

	mu       sync.Mutex
	keys     []Key
	extraRaw []json.RawMessage
	failing  bool

	metadataFetches atomic.Int64
	jwksFetches     atomic.Int64
}

// NewServer starts a Server with one key (DefaultKID, endorsed for
// msteams) and closes it when the test ends.
func NewServer(t testing.TB) *Server {
	t.Helper()
	s := &Server{}
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+MetadataPath, s.serveMetadata)
	mux.HandleFunc("GET "+JWKSPath, s.serveJWKS)
	s.TLS = httptest.NewTLSServer(mux)
	t.Cleanup(s.TLS.Close)
	s.AddKey(Key{KID: DefaultKID, Private: RSAKey(t, 0), Endorsements: []string{DefaultChannelID, "webchat"}})
	return s
}

// MetadataURL is the OpenID metadata URL to configure in auth.KeyCacheConfig.
func (s *Server) MetadataURL() string { return s.TLS.URL + MetadataPath }

// Client returns an HTTP client that trusts the server's certificate.
func (s *Server) Client() *http.Client { return s.TLS.Client() }

// KeyCache returns an auth.KeyCache reading this server with cfg (its
// MetadataURL is set here).
func (s *Server) KeyCache(t testing.TB, cfg auth.KeyCacheConfig) *auth.KeyCache {
	t.Helper()
	cfg.MetadataURL = s.MetadataURL()
	kc, err := auth.NewKeyCache(cfg, s.Client(), nil)
	if err != nil {
		t.Fatalf("authtest: new key cache: %v", err)
	}
	return kc
}

// Validator returns an auth.Validator for appID backed by this server.
func (s *Server) Validator(t testing.TB, appID string) *auth.Validator {
	t.Helper()
	return auth.NewValidator(auth.ValidatorConfig{AppID: appID}, s.KeyCache(t, auth.KeyCacheConfig{}), nil)
}

// AddKey publishes k (replacing a key with the same kid).
func (s *Server) AddKey(k Key) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.keys {
		if s.keys[i].KID == k.KID {
			s.keys[i] = k
			return
		}
	}
	s.keys = append(s.keys, k)
}

// RemoveKey stops publishing the key with kid.
func (s *Server) RemoveKey(kid string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.keys {
		if s.keys[i].KID == kid {
			s.keys = append(s.keys[:i], s.keys[i+1:]...)
			return
		}
	}
}

// AddRawJWK publishes an arbitrary JWKS entry (for example an EC key).
func (s *Server) AddRawJWK(raw json.RawMessage) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.extraRaw = append(s.extraRaw, raw)
}

// Key returns the published key with kid.
func (s *Server) Key(kid string) (Key, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, k := range s.keys {
		if k.KID == kid {
			return k, true
		}
	}
	return Key{}, false
}

// SetFailing makes both endpoints answer 503 (true) or serve again (false).
func (s *Server) SetFailing(failing bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failing = failing
}

// MetadataFetches counts the metadata requests served so far.
func (s *Server) MetadataFetches() int64 { return s.metadataFetches.Load() }

// JWKSFetches counts the JWKS requests served so far.
func (s *Server) JWKSFetches() int64 { return s.jwksFetches.Load() }

func (s *Server) isFailing() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.failing
}

func (s *Server) serveMetadata(w http.ResponseWriter, _ *http.Request) {
	s.metadataFetches.Add(1)
	if s.isFailing() {
		http.Error(w, "unavailable", http.StatusServiceUnavailable)
		return
	}
	writeJSON(w, map[string]any{
		"issuer":                                auth.PublicIssuer,
		"authorization_endpoint":                "https://invalid.botframework.com",
		"jwks_uri":                              s.TLS.URL + JWKSPath,
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"token_endpoint_auth_methods_supported": []string{"private_key_jwt"},
	})
}

func (s *Server) serveJWKS(w http.ResponseWriter, _ *http.Request) {
	s.jwksFetches.Add(1)
	if s.isFailing() {
		http.Error(w, "unavailable", http.StatusServiceUnavailable)
		return
	}
	s.mu.Lock()
	keys := make([]any, 0, len(s.keys)+len(s.extraRaw))
	for _, k := range s.keys {
		keys = append(keys, PublicJWK(k))
	}
	for _, r := range s.extraRaw {
		keys = append(keys, r)
	}
	s.mu.Unlock()
	writeJSON(w, map[string]any{"keys": keys})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// PublicJWK returns the JWKS entry of k as the Bot Framework publishes it.
func PublicJWK(k Key) map[string]any {
	pub := k.Private.PublicKey
	m := map[string]any{
		"kty": "RSA",
		"use": "sig",
		"kid": k.KID,
		"n":   base64.RawURLEncoding.EncodeToString(pub.N.Bytes()),
		"e":   base64.RawURLEncoding.EncodeToString(big.NewInt(int64(pub.E)).Bytes()),
	}
	if k.Alg != "" {
		m["alg"] = k.Alg
	}
	if k.Endorsements != nil {
		m["endorsements"] = k.Endorsements
	}
	return m
}

// ChannelClaims returns the claims of a valid Teams channel token for appID
// and serviceURL at time now: iss, aud, serviceurl, nbf (now−1 min), exp
// (now+1 h) and iat.
func ChannelClaims(appID, serviceURL string, now time.Time) jwt.MapClaims {
	return jwt.MapClaims{
		"iss":        auth.PublicIssuer,
		"aud":        appID,
		"serviceurl": serviceURL,
		"nbf":        now.Add(-time.Minute).Unix(),
		"exp":        now.Add(time.Hour).Unix(),
		"iat":        now.Add(-time.Minute).Unix(),
	}
}

// AuthorizationHeader returns "Bearer <jwt>" with a valid RS256 channel
// token for appID and serviceURL, signed by the default key, valid now.
func (s *Server) AuthorizationHeader(t testing.TB, appID, serviceURL string) string {
	t.Helper()
	return "Bearer " + s.Mint(t, Token{Claims: ChannelClaims(appID, serviceURL, time.Now())})
}

// Token describes a token to mint.
type Token struct {
	// Alg is the signing algorithm: RS256 (default), RS384, RS512, HS256,
	// ES256 or none.
	Alg string
	// KID is the header kid (default DefaultKID); NoKID omits it.
	KID   string
	NoKID bool
	// SignWith is the key used for RS* algorithms (default: the published
	// key with KID).
	SignWith *rsa.PrivateKey
	// Claims is the payload.
	Claims jwt.MapClaims
}

// Mint signs tok. It fails the test on error.
func (s *Server) Mint(t testing.TB, tok Token) string {
	t.Helper()
	alg := tok.Alg
	if alg == "" {
		alg = "RS256"
	}
	kid := tok.KID
	if kid == "" {
		kid = DefaultKID
	}
	var (
		method jwt.SigningMethod
		key    any
	)
	switch alg {
	case "RS256", "RS384", "RS512":
		method = jwt.GetSigningMethod(alg)
		if tok.SignWith != nil {
			key = tok.SignWith
			break
		}
		k, ok := s.Key(kid)
		if !ok {
			// An unpublished kid: sign with another test key.
			k.Private = RSAKey(t, 1)
		}
		key = k.Private
	case "HS256":
		method, key = jwt.SigningMethodHS256, []byte("a-shared-secret-of-at-least-32-bytes!")
	case "ES256":
		ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			t.Fatalf("authtest: ec key: %v", err)
		}
		method, key = jwt.SigningMethodES256, ec
	case "none":
		method, key = jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType
	default:
		t.Fatalf("authtest: unsupported alg %q", alg)
	}
	jt := jwt.NewWithClaims(method, tok.Claims)
	if !tok.NoKID {
		jt.Header["kid"] = kid
	}
	signed, err := jt.SignedString(key)
	if err != nil {
		t.Fatalf("authtest: sign token: %v", err)
	}
	return signed
}

var (
	rsaKeysMu sync.Mutex
	rsaKeys   = map[int]*rsa.PrivateKey{}
)

// RSAKey returns the i-th RSA 2048 test key, generated once per process so
// that tests stay fast.
func RSAKey(t testing.TB, i int) *rsa.PrivateKey {
	t.Helper()
	rsaKeysMu.Lock()
	defer rsaKeysMu.Unlock()
	if k, ok := rsaKeys[i]; ok {
		return k
	}
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatalf("authtest: rsa key: %v", err)
	}
	rsaKeys[i] = k
	return k
}
