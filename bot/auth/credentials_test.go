package auth_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/bot/auth"
)

func TestParseAppType(t *testing.T) {
	tests := []struct {
		in      string
		want    auth.AppType
		wantErr bool
	}{
		{in: "", want: auth.AppTypeMultiTenant},
		{in: "MultiTenant", want: auth.AppTypeMultiTenant},
		{in: "multitenant", want: auth.AppTypeMultiTenant},
		{in: " SingleTenant ", want: auth.AppTypeSingleTenant},
		{in: "SINGLETENANT", want: auth.AppTypeSingleTenant},
		{in: "UserAssignedMSI", want: auth.AppTypeUserAssignedMSI},
		{in: "userassignedmsi", want: auth.AppTypeUserAssignedMSI},
		{in: "SingleTenat", wantErr: true},
		{in: "SystemAssignedMSI", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := auth.ParseAppType(tt.in)
			if tt.wantErr {
				require.ErrorContains(t, err, "MicrosoftAppType")
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestCredentialConfig_Validate(t *testing.T) {
	const tenant = "0d9c8b7a-6543-4210-9876-fedcba987654"
	tests := []struct {
		name    string
		cfg     auth.CredentialConfig
		wantErr []string
	}{
		{name: "ok, multi-tenant secret", cfg: auth.CredentialConfig{AppID: testAppID, AppPassword: testSecret}},
		{name: "ok, single-tenant secret", cfg: auth.CredentialConfig{AppType: "SingleTenant", AppID: testAppID, AppPassword: testSecret, TenantID: tenant}},
		{name: "ok, single-tenant domain", cfg: auth.CredentialConfig{AppType: "SingleTenant", AppID: testAppID, AppPassword: testSecret, TenantID: "contoso.onmicrosoft.com"}},
		{name: "ok, single-tenant certificate", cfg: auth.CredentialConfig{AppType: "SingleTenant", AppID: testAppID, CertificateFile: "c.pem", TenantID: tenant}},
		{name: "ok, msi", cfg: auth.CredentialConfig{AppType: "UserAssignedMSI", AppID: testAppID, TenantID: tenant}},
		{name: "ok, gov login host", cfg: auth.CredentialConfig{AppID: testAppID, AppPassword: testSecret, LoginURL: "https://login.microsoftonline.us/"}},

		{name: "nok, no app id", cfg: auth.CredentialConfig{AppPassword: testSecret}, wantErr: []string{"MicrosoftAppId is required"}},
		{name: "nok, single-tenant without tenant", cfg: auth.CredentialConfig{AppType: "SingleTenant", AppID: testAppID, AppPassword: testSecret},
			wantErr: []string{"SingleTenant: MicrosoftAppTenantId is required"}},
		{name: "nok, single-tenant common", cfg: auth.CredentialConfig{AppType: "SingleTenant", AppID: testAppID, AppPassword: testSecret, TenantID: "common"},
			wantErr: []string{"specific tenant"}},
		{name: "nok, tenant with a path", cfg: auth.CredentialConfig{AppType: "SingleTenant", AppID: testAppID, AppPassword: testSecret, TenantID: "a/../b"},
			wantErr: []string{"not a tenant ID"}},
		{name: "nok, no secret nor certificate", cfg: auth.CredentialConfig{AppID: testAppID},
			wantErr: []string{"MicrosoftAppPassword or a certificate is required"}},
		{name: "nok, secret and certificate", cfg: auth.CredentialConfig{AppID: testAppID, AppPassword: testSecret, CertificateFile: "c.pem"},
			wantErr: []string{"not both"}},
		{name: "nok, key file without certificate", cfg: auth.CredentialConfig{AppID: testAppID, AppPassword: testSecret, CertificateKeyFile: "k.pem"},
			wantErr: []string{"without certificate file"}},
		{name: "nok, msi with a password", cfg: auth.CredentialConfig{AppType: "UserAssignedMSI", AppID: testAppID, AppPassword: testSecret},
			wantErr: []string{"UserAssignedMSI: MicrosoftAppPassword must be empty"}},
		{name: "nok, msi with a certificate", cfg: auth.CredentialConfig{AppType: "UserAssignedMSI", AppID: testAppID, CertificateFile: "c.pem"},
			wantErr: []string{"UserAssignedMSI: a certificate must not be set"}},
		{name: "nok, unknown type", cfg: auth.CredentialConfig{AppType: "Federated", AppID: testAppID, AppPassword: testSecret},
			wantErr: []string{"MicrosoftAppType"}},
		{name: "nok, http login url", cfg: auth.CredentialConfig{AppID: testAppID, AppPassword: testSecret, LoginURL: "http://login.microsoftonline.com"},
			wantErr: []string{"scheme must be https"}},
		{name: "nok, http loopback login url (MSAL requires https)", cfg: auth.CredentialConfig{AppID: testAppID, AppPassword: testSecret, LoginURL: "http://127.0.0.1:8080"},
			wantErr: []string{"scheme must be https"}},
		{name: "nok, login url with a tenant path", cfg: auth.CredentialConfig{AppID: testAppID, AppPassword: testSecret, LoginURL: "https://login.microsoftonline.com/common"},
			wantErr: []string{"host[:port] only"}},
		{name: "nok, several problems at once", cfg: auth.CredentialConfig{AppType: "SingleTenant"},
			wantErr: []string{"MicrosoftAppId is required", "MicrosoftAppTenantId is required", "MicrosoftAppPassword or a certificate"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			if len(tt.wantErr) == 0 {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			for _, w := range tt.wantErr {
				require.ErrorContains(t, err, w)
			}
			require.NotContains(t, err.Error(), testSecret)

			_, err = auth.NewTokenSource(tt.cfg, auth.TokenSourceOptions{})
			require.ErrorContains(t, err, tt.wantErr[0], "NewTokenSource refuses the same config")
			require.NotContains(t, err.Error(), testSecret)
		})
	}
}

func TestCredentialConfig_NeverShowsPassword(t *testing.T) {
	cfg := auth.CredentialConfig{AppID: testAppID, AppPassword: testSecret, TenantID: "t"}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("config", slog.Any("cfg", cfg))
	//lint:ignore S1025 every formatting verb is exercised on purpose: none may show the secret
	for _, s := range []string{fmt.Sprint(cfg), fmt.Sprintf("%v", cfg), fmt.Sprintf("%+v", cfg), fmt.Sprintf("%#v", cfg), fmt.Sprintf("%s", cfg), buf.String()} {
		require.NotContains(t, s, testSecret)
		require.Contains(t, s, testAppID)
	}
}
