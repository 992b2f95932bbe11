package audit

import (
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/cards"
)

// FuzzEvaluate audits a tenant built from arbitrary catalog fields, grant
// names and record permissions: no panic, every app accounted for once,
// scores never negative, apps ranked, and the card within budget.
func FuzzEvaluate(f *testing.F) {
	f.Add("aaaaaaaa-0000-4000-8000-000000000001", "store", "Mail.ReadWrite", "application", "User.Read", "delegated", "11111111-1111-4111-8111-111111111111")
	f.Add("AAAAAAAA-0000-4000-8000-000000000001", "organization", "openid", "delegated", "", "both", "")
	f.Add("not-a-guid", "sideloaded", "(default access)", "", "Mail.Send", "", "11111111-1111-4111-8111-11111111111")
	f.Add("", "", "", "", "", "", "")
	f.Fuzz(func(t *testing.T, teamsID, dist, grantName, grantType, attested, attestedType, entra string) {
		r := rec("fuzz", "Fuzz", teamsID, attestation.Attested,
			[]attestation.Permission{perm(attested, attestation.PermissionType(attestedType), entra), perm("User.Read", attestation.Delegated, entra)})
		ix := attestation.NewIndex([]*attestation.Record{r, rec("plain", "Plain", "bbbbbbbb-0000-4000-8000-000000000001", attestation.Certified, nil)})
		apps := []CatalogApp{
			{ID: teamsID, ExternalID: teamsID, DisplayName: grantName, DistributionMethod: dist},
			{ID: "bbbbbbbb-0000-4000-8000-000000000001", DisplayName: "Plain", DistributionMethod: "store"},
			{ID: teamsID, DistributionMethod: "store"},
		}
		sps := []ServicePrincipal{{ID: "sp", AppID: strings.ToLower(entra), DelegatedUnavailable: len(grantName)%2 == 1,
			Grants: []Grant{grant(grantName, GrantType(grantType)), {Name: attested, Type: Application, ResourceAppID: strings.ToUpper(MicrosoftGraphAppID)}}}}
		js := join(apps, ix, "en-US")
		more, _ := fromPrincipals(js, sps, ix, "en-US")
		attachStore(more, apps)
		js = append(js, more...)
		_ = entraAppIDs(js)
		res := evaluate("contoso", js, sps, testNow)
		require.Len(t, res.Apps, len(js))
		sum := res.Summary
		require.Equal(t, len(js), sum.Certified+sum.Attested+sum.NoRecord)
		for _, a := range res.Apps {
			require.GreaterOrEqual(t, a.Risk, 0)
		}
		require.True(t, slices.IsSortedFunc(res.Apps, func(x, y App) int { return y.Risk - x.Risk }))
		_, err := cards.Encode(cards.New().Audit(res.Report(), 0))
		require.NoError(t, err)
	})
}
