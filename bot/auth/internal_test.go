package auth

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestCredentialConfig_TenantAndScope(t *testing.T) {
	tests := []struct {
		name       string
		cfg        CredentialConfig
		wantTenant string
		wantScope  string
	}{
		{name: "multi-tenant defaults", cfg: CredentialConfig{},
			wantTenant: "botframework.com", wantScope: "https://api.botframework.com/.default"},
		{name: "multi-tenant ignores tenant", cfg: CredentialConfig{TenantID: "tid"},
			wantTenant: "botframework.com", wantScope: "https://api.botframework.com/.default"},
		{name: "single-tenant", cfg: CredentialConfig{AppType: "singletenant", TenantID: "tid"},
			wantTenant: "tid", wantScope: "https://api.botframework.com/.default"},
		{name: "gov, trailing slashes", cfg: CredentialConfig{LoginURL: "https://login.microsoftonline.us/", OAuthScope: "https://api.botframework.us/"},
			wantTenant: "botframework.com", wantScope: "https://api.botframework.us/.default"},
		{name: "scope already has .default", cfg: CredentialConfig{OAuthScope: "https://api.botframework.com/.default"},
			wantTenant: "botframework.com", wantScope: "https://api.botframework.com/.default"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := tt.cfg.withDefaults()
			require.NoError(t, err)
			require.Equal(t, tt.wantTenant, cfg.connectorTenant())
			require.Equal(t, tt.wantScope, cfg.scope())
		})
	}
}

func FuzzParseJWK(f *testing.F) {
	f.Add([]byte(`{"kty":"RSA","kid":"k","n":"AQAB","e":"AQAB","endorsements":["msteams"]}`))
	f.Add([]byte(`{"kty":"RSA","kid":"k","n":"` + string(make([]byte, 0)) + `","e":"AQ=="}`))
	f.Add([]byte(`{"kty":"EC","kid":"k"}`))
	f.Add([]byte(`{"kty":"RSA","kid":"k","n":"AQAB","e":"AQABAQAB"}`))
	f.Add([]byte(`{"endorsements":"msteams"}`))
	f.Add([]byte(`null`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		k, err := parseJWK(json.RawMessage(data))
		if err != nil {
			return
		}
		require.NotEmpty(t, k.KeyID)
		require.NotNil(t, k.Key)
		require.GreaterOrEqual(t, k.Key.N.BitLen(), minRSAKeyBits)
		require.GreaterOrEqual(t, k.Key.E, 3)
	})
}
