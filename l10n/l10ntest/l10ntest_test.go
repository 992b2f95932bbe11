package l10ntest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/l10n"
)

func TestLeaks(t *testing.T) {
	en := l10n.Default()
	for _, locale := range l10n.Locales[1:] {
		loc := l10n.For(locale)
		require.Greater(t, Fragments(locale), 100, locale)
		for _, id := range []string{"help.extension", "chat.subscribed_detail", "audit.finding.delegated_unread"} {
			require.NotEmpty(t, Leaks(locale, "… "+en.T(id)+" …"), "%s %s", locale, id)
			require.Empty(t, Leaks(locale, loc.T(id)), "%s %s", locale, id)
		}
		// A fragment of a message with placeholders is found too.
		require.NotEmpty(t, Leaks(locale, en.F("chat.roles_unavailable_detail", l10n.Args{"Permission": "RoleManagement.Read.Directory"})), locale)
	}
	require.Nil(t, Leaks("en-US", en.T("help.extension")))
	require.Nil(t, Leaks("fr-CA", "Aide"))
}
