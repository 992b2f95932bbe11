package cards

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/l10n"
)

func TestPlaceName(t *testing.T) {
	for _, tc := range []struct{ locale, code, want string }{
		{"en-US", "eu", "the EU"}, {"en-US", "DE", "Germany"},
		{"fr-FR", "DE", "Allemagne"}, {"fr-FR", "eu", "UE"}, {"de-DE", "US", "Vereinigte Staaten"},
		{"ja-JP", "GB", "イギリス"}, {"ru-RU", "europe", "Европа"}, {"zh-TW", "asia-pacific", "亞太地區"},
		{"ko-KR", "zz-unknown", "zz-unknown"},
	} {
		require.Equal(t, tc.want, PlaceName(l10n.For(tc.locale), tc.code), "%s %s", tc.locale, tc.code)
	}
}

func TestPermissionWords(t *testing.T) {
	fr := l10n.For("fr-FR")
	require.Equal(t, "Mail.Read (application)", PermissionWithType(l10n.Default(), attestation.Permission{Name: "Mail.Read", Type: attestation.Application}))
	require.Equal(t, "Chat.Read (déléguée)", PermissionWithType(fr, attestation.Permission{Name: "Chat.Read", Type: attestation.Delegated}))
	require.Equal(t, "User.Read", PermissionWithType(fr, attestation.Permission{Name: "User.Read"}))
	require.Equal(t, "Certifiée Microsoft 365", CertificationName(fr, attestation.Certified))
}
