package config

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/bot/auth"
)

const (
	testAppID  = "00000000-0000-4000-8000-0000000000a1"
	testSecret = "not-a-real-secret-value"
)

func TestCredentialsFromEnv(t *testing.T) {
	dir := t.TempDir()
	pwFile := filepath.Join(dir, "pw")
	require.NoError(t, os.WriteFile(pwFile, []byte(testSecret+"\n"), 0o600))
	otherFile := filepath.Join(dir, "other")
	require.NoError(t, os.WriteFile(otherFile, []byte("other-secret\n"), 0o600))
	emptyFile := filepath.Join(dir, "empty")
	require.NoError(t, os.WriteFile(emptyFile, []byte("\n"), 0o600))

	tests := []struct {
		name    string
		env     map[string]string
		want    auth.CredentialConfig
		wantErr string
	}{
		{name: "empty: auth disabled", env: map[string]string{}, want: auth.CredentialConfig{}},
		{name: "sdk names", env: map[string]string{
			"MicrosoftAppType": "SingleTenant", "MicrosoftAppId": testAppID, "MicrosoftAppPassword": testSecret,
			"MicrosoftAppTenantId": "tid", "ToChannelFromBotLoginUrl": "https://login.microsoftonline.us",
			"ToChannelFromBotOAuthScope": "https://api.botframework.us",
		}, want: auth.CredentialConfig{AppType: "SingleTenant", AppID: testAppID, AppPassword: testSecret, TenantID: "tid",
			LoginURL: "https://login.microsoftonline.us", OAuthScope: "https://api.botframework.us"}},
		{name: "teams toolkit aliases", env: map[string]string{"BOT_ID": testAppID, "BOT_PASSWORD": testSecret, "BOT_TENANT_ID": "tid"},
			want: auth.CredentialConfig{AppID: testAppID, AppPassword: testSecret, TenantID: "tid"}},
		{name: "name and alias agree", env: map[string]string{"MicrosoftAppId": testAppID, "BOT_ID": testAppID, "MicrosoftAppPassword": testSecret, "BOT_PASSWORD": testSecret},
			want: auth.CredentialConfig{AppID: testAppID, AppPassword: testSecret}},
		{name: "password file, trailing newline trimmed", env: map[string]string{"MicrosoftAppId": testAppID, "MicrosoftAppPassword_FILE": pwFile},
			want: auth.CredentialConfig{AppID: testAppID, AppPassword: testSecret}},
		{name: "alias password file", env: map[string]string{"BOT_ID": testAppID, "BOT_PASSWORD_FILE": pwFile},
			want: auth.CredentialConfig{AppID: testAppID, AppPassword: testSecret}},
		{name: "certificate files", env: map[string]string{"MicrosoftAppId": testAppID, "MicrosoftAppCertificateFile": "/c.pem", "MicrosoftAppCertificateKeyFile": "/k.pem"},
			want: auth.CredentialConfig{AppID: testAppID, CertificateFile: "/c.pem", CertificateKeyFile: "/k.pem"}},
		{name: "msi", env: map[string]string{"MicrosoftAppType": "UserAssignedMSI", "MicrosoftAppId": testAppID},
			want: auth.CredentialConfig{AppType: "UserAssignedMSI", AppID: testAppID}},

		{name: "nok, conflicting app ids", env: map[string]string{"MicrosoftAppId": testAppID, "BOT_ID": "other"},
			wantErr: "MicrosoftAppId and BOT_ID are both set"},
		{name: "nok, conflicting tenants", env: map[string]string{"MicrosoftAppTenantId": "a", "BOT_TENANT_ID": "b"},
			wantErr: "MicrosoftAppTenantId and BOT_TENANT_ID"},
		{name: "nok, value and file differ", env: map[string]string{"MicrosoftAppPassword": testSecret, "MicrosoftAppPassword_FILE": otherFile},
			wantErr: "MicrosoftAppPassword and MicrosoftAppPassword_FILE are both set"},
		{name: "nok, value and file agree: still one of them only", env: map[string]string{"MicrosoftAppPassword": testSecret, "MicrosoftAppPassword_FILE": pwFile},
			wantErr: "MicrosoftAppPassword and MicrosoftAppPassword_FILE are both set"},
		{name: "nok, name and alias file differ", env: map[string]string{"MicrosoftAppPassword": testSecret, "BOT_PASSWORD_FILE": otherFile},
			wantErr: "MicrosoftAppPassword and BOT_PASSWORD_FILE"},
		{name: "nok, missing password file", env: map[string]string{"MicrosoftAppPassword_FILE": filepath.Join(dir, "nope")},
			wantErr: "MicrosoftAppPassword_FILE"},
		{name: "nok, empty password file", env: map[string]string{"BOT_PASSWORD_FILE": emptyFile},
			wantErr: "is empty"},
		{name: "nok, unknown app type", env: map[string]string{"MicrosoftAppType": "Managed"},
			wantErr: "MicrosoftAppType"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &envReader{getenv: env(tt.env)}
			got := r.credentials()
			err := errors.Join(r.errs...)
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
				require.NotContains(t, err.Error(), testSecret)
				require.NotContains(t, err.Error(), "other-secret")
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
}
