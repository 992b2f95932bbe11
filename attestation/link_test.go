package attestation

import (
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/require"
)

func TestParseLink(t *testing.T) {
	tests := []struct {
		name   string
		given  string
		want   LinkRef
		wantOK bool
	}{
		{name: "ok, appsource office", given: "https://appsource.microsoft.com/product/office/WA200003326",
			want: LinkRef{Kind: LinkAppSource, ID: "WA200003326"}, wantOK: true},
		{name: "ok, appsource with locale and query", given: "https://appsource.microsoft.com/en-us/product/office/WA200003326?tab=Overview",
			want: LinkRef{Kind: LinkAppSource, ID: "WA200003326", Locale: "en-US"}, wantOK: true},
		{name: "ok, appsource lower-case wa", given: "appsource.microsoft.com/en-US/product/office/wa200003326/",
			want: LinkRef{Kind: LinkAppSource, ID: "WA200003326", Locale: "en-US"}, wantOK: true},
		{name: "ok, appsource web-apps offer", given: "https://appsource.microsoft.com/product/web-apps/Adobe.adobe_sign_msft_saas_offer?tab=Overview",
			want: LinkRef{Kind: LinkAppSource, ID: "adobe.adobe_sign_msft_saas_offer"}, wantOK: true},
		{name: "ok, azure marketplace", given: "https://azuremarketplace.microsoft.com/en-us/product/web-apps/contoso.app1",
			want: LinkRef{Kind: LinkAppSource, ID: "contoso.app1", Locale: "en-US"}, wantOK: true},
		{name: "ok, teams store", given: "https://teams.microsoft.com/l/app/D66DA813-3337-4F88-8E08-F01C0BBB8F34?source=app-details",
			want: LinkRef{Kind: LinkTeamsStore, ID: "d66da813-3337-4f88-8e08-f01c0bbb8f34"}, wantOK: true},
		{name: "ok, learn page with locale", given: "https://learn.microsoft.com/fr-fr/microsoft-365-app-certification/teams/plumm-health-ltd",
			want: LinkRef{Kind: LinkCompliance, ID: "plumm-health-ltd", Host: "teams", Locale: "fr-FR"}, wantOK: true},
		{name: "ok, docs page without locale", given: "https://docs.microsoft.com/microsoft-365-app-certification/saas/emailgistics-corp?pivots=general",
			want: LinkRef{Kind: LinkCompliance, ID: "emailgistics-corp", Host: "saas"}, wantOK: true},
		{name: "ok, azure page", given: "https://docs.microsoft.com/microsoft-365-app-certification/azure/9a7ce614-bdc8-4640-aaea-d8c626c58966",
			want: LinkRef{Kind: LinkCompliance, ID: "9a7ce614-bdc8-4640-aaea-d8c626c58966", Host: "azure"}, wantOK: true},
		{name: "ok, angle brackets", given: " <https://teams.microsoft.com/l/app/d66da813-3337-4f88-8e08-f01c0bbb8f34> ",
			want: LinkRef{Kind: LinkTeamsStore, ID: "d66da813-3337-4f88-8e08-f01c0bbb8f34"}, wantOK: true},
		{name: "ok, markdown link", given: "[Plumm](https://appsource.microsoft.com/product/office/WA200003326)",
			want: LinkRef{Kind: LinkAppSource, ID: "WA200003326"}, wantOK: true},
		{name: "ok, www host", given: "https://www.appsource.microsoft.com/product/office/WA200003326",
			want: LinkRef{Kind: LinkAppSource, ID: "WA200003326"}, wantOK: true},
		{name: "ok, microsoft marketplace", given: "https://marketplace.microsoft.com/en-us/product/office/WA104380975?tab=Overview",
			want: LinkRef{Kind: LinkAppSource, ID: "WA104380975", Locale: "en-US"}, wantOK: true},
		{name: "ok, microsoft marketplace lower case, no locale", given: "marketplace.microsoft.com/product/office/wa104380975",
			want: LinkRef{Kind: LinkAppSource, ID: "WA104380975"}, wantOK: true},
		{name: "ok, microsoft marketplace saas offer", given: "https://marketplace.microsoft.com/de-de/product/saas/contoso.app1?tab=PlansAndPrice#x",
			want: LinkRef{Kind: LinkAppSource, ID: "contoso.app1", Locale: "de-DE"}, wantOK: true},
		{name: "ok, marketplace apps path", given: "https://marketplace.microsoft.com/en-us/marketplace/apps/contoso.app1?tab=Overview",
			want: LinkRef{Kind: LinkAppSource, ID: "contoso.app1", Locale: "en-US"}, wantOK: true},
		{name: "ok, marketplace apps path with WA", given: "https://marketplace.microsoft.com/en-us/apps/office/WA104380975",
			want: LinkRef{Kind: LinkAppSource, ID: "WA104380975", Locale: "en-US"}, wantOK: true},
		{name: "ok, azure marketplace apps path", given: "https://azuremarketplace.microsoft.com/en-us/marketplace/apps/contoso.app1",
			want: LinkRef{Kind: LinkAppSource, ID: "contoso.app1", Locale: "en-US"}, wantOK: true},
		{name: "ok, teams web client hash route", given: "https://teams.microsoft.com/_#/l/app/d66da813-3337-4f88-8e08-f01c0bbb8f34?source=store",
			want: LinkRef{Kind: LinkTeamsStore, ID: "d66da813-3337-4f88-8e08-f01c0bbb8f34"}, wantOK: true},
		{name: "ok, teams entity deep link", given: "https://teams.microsoft.com/l/entity/d66da813-3337-4f88-8e08-f01c0bbb8f34/home?context=%7B%7D",
			want: LinkRef{Kind: LinkTeamsStore, ID: "d66da813-3337-4f88-8e08-f01c0bbb8f34"}, wantOK: true},
		{name: "ok, msteams scheme", given: "msteams:/l/app/d66da813-3337-4f88-8e08-f01c0bbb8f34",
			want: LinkRef{Kind: LinkTeamsStore, ID: "d66da813-3337-4f88-8e08-f01c0bbb8f34"}, wantOK: true},
		{name: "ok, msteams scheme with host", given: "msteams://teams.microsoft.com/l/app/d66da813-3337-4f88-8e08-f01c0bbb8f34",
			want: LinkRef{Kind: LinkTeamsStore, ID: "d66da813-3337-4f88-8e08-f01c0bbb8f34"}, wantOK: true},
		{name: "ok, new teams host", given: "https://teams.cloud.microsoft/l/app/d66da813-3337-4f88-8e08-f01c0bbb8f34",
			want: LinkRef{Kind: LinkTeamsStore, ID: "d66da813-3337-4f88-8e08-f01c0bbb8f34"}, wantOK: true},
		{name: "ok, learn page with fragment and query", given: "https://learn.microsoft.com/en-us/microsoft-365-app-certification/teams/plumm-health-ltd?tabs=security#data-handling",
			want: LinkRef{Kind: LinkCompliance, ID: "plumm-health-ltd", Host: "teams", Locale: "en-US"}, wantOK: true},
		{name: "nok, marketplace search", given: "https://marketplace.microsoft.com/en-us/search?query=plumm"},
		{name: "nok, marketplace category only", given: "https://marketplace.microsoft.com/en-us/product/office"},
		{name: "nok, other host", given: "https://example.com/product/office/WA200003326"},
		{name: "nok, appsource without product", given: "https://appsource.microsoft.com/en-us/marketplace/apps?product=office"},
		{name: "nok, bad appsource id", given: "https://appsource.microsoft.com/product/office/WA123"},
		{name: "nok, teams not a guid", given: "https://teams.microsoft.com/l/app/not-a-guid"},
		{name: "nok, teams chat link", given: "https://teams.microsoft.com/l/chat/0/0?users=a@b.c"},
		{name: "nok, azure page without guid", given: "https://learn.microsoft.com/microsoft-365-app-certification/azure/azure-apps"},
		{name: "nok, unknown folder", given: "https://learn.microsoft.com/microsoft-365-app-certification/docs/overview"},
		{name: "nok, other docs", given: "https://learn.microsoft.com/graph/permissions-reference"},
		{name: "nok, ftp", given: "ftp://appsource.microsoft.com/product/office/WA200003326"},
		{name: "nok, text", given: "plumm health"},
		{name: "nok, empty", given: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ParseLink(tt.given)
			require.Equal(t, tt.wantOK, ok)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestFindLink(t *testing.T) {
	ref, ok := FindLink("what about https://teams.microsoft.com/l/app/d66da813-3337-4f88-8e08-f01c0bbb8f34, is it safe?")
	require.True(t, ok)
	require.Equal(t, LinkRef{Kind: LinkTeamsStore, ID: "d66da813-3337-4f88-8e08-f01c0bbb8f34"}, ref)
	ref, ok = FindLink("see [this](https://appsource.microsoft.com/product/office/WA200003326).")
	require.True(t, ok)
	require.Equal(t, "WA200003326", ref.ID)
	_, ok = FindLink("no link here")
	require.False(t, ok)
}

func FuzzParseLink(f *testing.F) {
	for _, s := range []string{
		"https://appsource.microsoft.com/en-us/product/office/WA200003326?tab=Overview",
		"https://appsource.microsoft.com/product/web-apps/adobe.adobe_sign_msft_saas_offer",
		"https://teams.microsoft.com/l/app/d66da813-3337-4f88-8e08-f01c0bbb8f34",
		"https://learn.microsoft.com/fr-fr/microsoft-365-app-certification/teams/plumm-health-ltd",
		"https://docs.microsoft.com/microsoft-365-app-certification/azure/9a7ce614-bdc8-4640-aaea-d8c626c58966",
		"[x](https://appsource.microsoft.com/product/office/WA200003326)", "<>", "http://", "%zz", "appsource.microsoft.com/%2e%2e/product/x/y",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ref, ok := ParseLink(s)
		if !ok {
			require.Equal(t, LinkRef{}, ref)
			return
		}
		require.NotEmpty(t, ref.ID)
		switch ref.Kind {
		case LinkAppSource:
			id, valid := normalizeAppSourceID(ref.ID)
			require.True(t, valid, ref.ID)
			require.Equal(t, id, ref.ID)
		case LinkTeamsStore:
			require.True(t, IsGUID(ref.ID), ref.ID)
			require.Equal(t, strings.ToLower(ref.ID), ref.ID)
		case LinkCompliance:
			require.True(t, complianceDir[ref.Host], ref.Host)
		default:
			t.Fatalf("unexpected kind %q", ref.Kind)
		}
		// A recognized link is found again inside a message.
		alone := !strings.ContainsFunc(s, unicode.IsSpace) && !strings.Contains(s, "](") &&
			strings.TrimRight(s, ".,;:!?\"')") == s && strings.TrimLeft(s, "\"'(") == s
		if alone {
			got, found := FindLink("see " + s + " please")
			require.True(t, found, s)
			require.Equal(t, ref, got)
		}
	})
}
