package auth_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/bot/auth"
	"github.com/attestbot/attestbot/bot/auth/authtest"
)

// validate runs one validation of a token with kid at the fixture's time.
func (f *fixture) validate(t *testing.T, kid string) error {
	t.Helper()
	_, err := f.v.Validate(context.Background(), f.bearer(t, authtest.Token{KID: kid}), teams, testServiceURL)
	return err
}

func requireReason(t *testing.T, err error, want auth.Reason) {
	t.Helper()
	var ae *auth.Error
	require.ErrorAs(t, err, &ae)
	require.Equal(t, want, ae.Reason, "err: %v", err)
}

func requireFetches(t *testing.T, idp *authtest.Server, want int64) {
	t.Helper()
	require.Equal(t, want, idp.MetadataFetches(), "metadata fetches")
	require.Equal(t, want, idp.JWKSFetches(), "jwks fetches")
}

func TestKeyCache_UnknownKIDRefetchThrottled(t *testing.T) {
	f := newFixture(t)
	require.NoError(t, f.validate(t, authtest.DefaultKID))
	requireFetches(t, f.idp, 1)

	// Within the hour an unknown kid does not refetch.
	f.clock.Advance(59 * time.Minute)
	requireReason(t, f.validate(t, "rotated"), auth.ReasonUnknownKey)
	requireFetches(t, f.idp, 1)

	// After an hour it refetches once, then not again for an hour.
	f.clock.Advance(time.Minute)
	requireReason(t, f.validate(t, "rotated"), auth.ReasonUnknownKey)
	requireFetches(t, f.idp, 2)
	requireReason(t, f.validate(t, "rotated"), auth.ReasonUnknownKey)
	requireFetches(t, f.idp, 2)

	// A key published meanwhile is picked up by the next allowed refetch.
	f.idp.AddKey(authtest.Key{KID: "rotated", Private: authtest.RSAKey(t, 2), Endorsements: []string{teams}})
	f.clock.Advance(30 * time.Minute)
	requireReason(t, f.validate(t, "rotated"), auth.ReasonUnknownKey)
	requireFetches(t, f.idp, 2)
	f.clock.Advance(30 * time.Minute)
	require.NoError(t, f.validate(t, "rotated"))
	requireFetches(t, f.idp, 3)
	require.NoError(t, f.validate(t, authtest.DefaultKID))
	requireFetches(t, f.idp, 3)
}

func TestKeyCache_RefreshEvery24Hours(t *testing.T) {
	f := newFixture(t)
	require.NoError(t, f.validate(t, authtest.DefaultKID))
	requireFetches(t, f.idp, 1)

	f.idp.RemoveKey(authtest.DefaultKID)
	f.idp.AddKey(authtest.Key{KID: "next", Private: authtest.RSAKey(t, 2), Endorsements: []string{teams}})

	// Signed with the removed key, which only the cache still has.
	removed := func() error {
		tok := f.bearer(t, authtest.Token{SignWith: authtest.RSAKey(t, 0)})
		_, err := f.v.Validate(context.Background(), tok, teams, testServiceURL)
		return err
	}
	f.clock.Advance(24*time.Hour - time.Second)
	require.NoError(t, removed(), "cached key still used before 24 h")
	requireFetches(t, f.idp, 1)

	f.clock.Advance(time.Second)
	requireReason(t, removed(), auth.ReasonUnknownKey)
	requireFetches(t, f.idp, 2)
	require.NoError(t, f.validate(t, "next"))
	requireFetches(t, f.idp, 2)
}

func TestKeyCache_StaleKeysServedWhenRefreshFails(t *testing.T) {
	f := newFixture(t)
	require.NoError(t, f.validate(t, authtest.DefaultKID))
	requireFetches(t, f.idp, 1)

	f.idp.SetFailing(true)
	f.clock.Advance(25 * time.Hour)
	require.NoError(t, f.validate(t, authtest.DefaultKID), "stale key served")
	require.Equal(t, int64(2), f.idp.MetadataFetches())

	// Failed refreshes are retried only after the back-off.
	require.NoError(t, f.validate(t, authtest.DefaultKID))
	require.Equal(t, int64(2), f.idp.MetadataFetches())
	f.clock.Advance(auth.DefaultFetchFailureBackoff)
	require.NoError(t, f.validate(t, authtest.DefaultKID))
	require.Equal(t, int64(3), f.idp.MetadataFetches())

	// Recovery replaces the stale keys.
	f.idp.SetFailing(false)
	f.clock.Advance(auth.DefaultFetchFailureBackoff)
	require.NoError(t, f.validate(t, authtest.DefaultKID))
	require.Equal(t, int64(4), f.idp.MetadataFetches())
	require.Equal(t, int64(2), f.idp.JWKSFetches(), "failed attempts stopped at the metadata")
	require.NoError(t, f.validate(t, authtest.DefaultKID))
	require.Equal(t, int64(4), f.idp.MetadataFetches())
}

func TestKeyCache_ColdFailure(t *testing.T) {
	f := newFixture(t)
	f.idp.SetFailing(true)

	err := f.validate(t, authtest.DefaultKID)
	requireReason(t, err, auth.ReasonKeysUnavailable)
	require.Contains(t, err.Error(), "status 503")
	require.Equal(t, int64(1), f.idp.MetadataFetches())

	// Within the back-off no new fetch is made.
	requireReason(t, f.validate(t, authtest.DefaultKID), auth.ReasonKeysUnavailable)
	require.Equal(t, int64(1), f.idp.MetadataFetches())

	f.idp.SetFailing(false)
	f.clock.Advance(auth.DefaultFetchFailureBackoff)
	require.NoError(t, f.validate(t, authtest.DefaultKID))
	require.Equal(t, int64(2), f.idp.MetadataFetches())
	require.Equal(t, int64(1), f.idp.JWKSFetches())
}

func TestKeyCache_Key_Endorsements(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name string
		kid  string
		want []string
	}{
		{name: "endorsed", kid: authtest.DefaultKID, want: []string{"msteams", "webchat"}},
		{name: "no endorsements member", kid: kidNoEndorsements, want: nil},
		{name: "empty endorsements", kid: kidEmptyEndorsements, want: []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, err := f.cache.Key(context.Background(), tt.kid)
			require.NoError(t, err)
			require.Equal(t, tt.kid, k.KeyID)
			require.Equal(t, tt.want, k.Endorsements)
			require.Equal(t, 0, authtest.RSAKey(t, 0).PublicKey.N.Cmp(k.Key.N))
		})
	}
}

func TestKeyCache_Key_SkipsUnusableJWKs(t *testing.T) {
	f := newFixture(t)
	small := authtest.PublicJWK(authtest.Key{KID: "small", Private: authtest.RSAKey(t, 0)})
	small["n"] = base64.RawURLEncoding.EncodeToString(big.NewInt(0).Lsh(big.NewInt(1), 1023).Bytes())
	enc := authtest.PublicJWK(authtest.Key{KID: "enc", Private: authtest.RSAKey(t, 0), Endorsements: []string{teams}})
	enc["use"] = "enc"
	hs := authtest.PublicJWK(authtest.Key{KID: "hs", Private: authtest.RSAKey(t, 0), Endorsements: []string{teams}})
	hs["alg"] = "HS256"
	for _, m := range []map[string]any{small, enc, hs} {
		raw, err := json.Marshal(m)
		require.NoError(t, err)
		f.idp.AddRawJWK(raw)
	}
	f.idp.AddRawJWK(json.RawMessage(`{"kty":"EC","kid":"ec","crv":"P-256","x":"AA","y":"AA","endorsements":["msteams"]}`))
	f.idp.AddRawJWK(json.RawMessage(`{"kty":"RSA","kid":"bad-e","n":"AQAB","e":"!!"}`))
	f.idp.AddRawJWK(json.RawMessage(`{"kty":"RSA","n":"AQAB","e":"AQAB"}`))
	f.idp.AddRawJWK(json.RawMessage(`"not an object"`))

	for _, kid := range []string{"small", "enc", "hs", "ec", "bad-e"} {
		t.Run(kid, func(t *testing.T) {
			_, err := f.cache.Key(context.Background(), kid)
			require.ErrorIs(t, err, auth.ErrKeyNotFound)
		})
	}
	_, err := f.cache.Key(context.Background(), authtest.DefaultKID)
	require.NoError(t, err, "usable keys of the same set are kept")
}

func TestNewKeyCache_URLPolicy(t *testing.T) {
	tests := []struct {
		name    string
		url     string
		wantErr string
	}{
		{name: "ok, default", url: ""},
		{name: "ok, https", url: "https://login.botframework.com/v1/.well-known/openidconfiguration"},
		{name: "ok, http loopback v4", url: "http://127.0.0.1:8080/meta"},
		{name: "ok, http localhost", url: "http://localhost/meta"},
		{name: "ok, http loopback v6", url: "http://[::1]:9/meta"},
		{name: "nok, http remote", url: "http://login.botframework.com/meta", wantErr: "https"},
		{name: "nok, ftp", url: "ftp://127.0.0.1/meta", wantErr: "https"},
		{name: "nok, relative", url: "/meta", wantErr: "no host"},
		{name: "nok, user info", url: "https://u:p@login.botframework.com/meta", wantErr: "user info"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := auth.NewKeyCache(auth.KeyCacheConfig{MetadataURL: tt.url}, nil, nil)
			if tt.wantErr == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorContains(t, err, tt.wantErr)
		})
	}
}

func TestKeyCache_Refresh_BadDocuments(t *testing.T) {
	tests := []struct {
		name     string
		metadata func(base string) string
		jwks     string
		wantErr  string
	}{
		{name: "nok, jwks_uri over plain http to a remote host", metadata: func(string) string {
			return `{"jwks_uri":"http://login.botframework.com/v1/.well-known/keys"}`
		}, wantErr: "https"},
		{name: "nok, no jwks_uri", metadata: func(string) string { return `{"issuer":"x"}` }, wantErr: "no jwks_uri"},
		{name: "nok, metadata not json", metadata: func(string) string { return `<html>` }, wantErr: "decode"},
		{name: "nok, no usable key", metadata: func(base string) string {
			return `{"jwks_uri":"` + base + `/keys"}`
		}, jwks: `{"keys":[{"kty":"EC","kid":"x"}]}`, wantErr: "no usable RSA"},
		{name: "nok, oversized jwks", metadata: func(base string) string {
			return `{"jwks_uri":"` + base + `/keys"}`
		}, jwks: `{"keys":[],"pad":"` + strings.Repeat("a", 1<<20) + `"}`, wantErr: "larger than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var srv *httptest.Server
			srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/keys" {
					_, _ = w.Write([]byte(tt.jwks))
					return
				}
				_, _ = w.Write([]byte(tt.metadata(srv.URL)))
			}))
			defer srv.Close()
			kc, err := auth.NewKeyCache(auth.KeyCacheConfig{MetadataURL: srv.URL + "/meta"}, srv.Client(), nil)
			require.NoError(t, err)
			require.ErrorContains(t, kc.Refresh(context.Background()), tt.wantErr)
			_, err = kc.Key(context.Background(), "x")
			require.Error(t, err)
		})
	}
}

// TestKeyCache_BotFrameworkShapedDocuments reads testdata copies of the
// metadata (the documented example) and a JWKS in the Bot Framework shape
// (x5t, x5c, endorsements), served over TLS.
func TestKeyCache_BotFrameworkShapedDocuments(t *testing.T) {
	meta, err := os.ReadFile("testdata/openidconfiguration.json")
	require.NoError(t, err)
	jwks, err := os.ReadFile("testdata/keys.json")
	require.NoError(t, err)
	var set struct {
		Keys []struct {
			Kid          string   `json:"kid"`
			Endorsements []string `json:"endorsements"`
		} `json:"keys"`
	}
	require.NoError(t, json.Unmarshal(jwks, &set))
	require.Len(t, set.Keys, 3)

	var srv *httptest.Server
	srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case authtest.MetadataPath:
			_, _ = w.Write(bytes.ReplaceAll(meta, []byte("{{BASE}}"), []byte(srv.URL)))
		case authtest.JWKSPath:
			_, _ = w.Write(jwks)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	kc, err := auth.NewKeyCache(auth.KeyCacheConfig{MetadataURL: srv.URL + authtest.MetadataPath}, srv.Client(), nil)
	require.NoError(t, err)

	endorsed, err := kc.Key(context.Background(), set.Keys[0].Kid)
	require.NoError(t, err)
	require.Equal(t, []string{"msteams", "skype", "webchat", "directline"}, endorsed.Endorsements)
	require.Equal(t, 2048, endorsed.Key.N.BitLen())
	require.Equal(t, 65537, endorsed.Key.E)

	bare, err := kc.Key(context.Background(), set.Keys[1].Kid)
	require.NoError(t, err)
	require.Nil(t, bare.Endorsements)

	_, err = kc.Key(context.Background(), "ec-key")
	require.ErrorIs(t, err, auth.ErrKeyNotFound)
}
