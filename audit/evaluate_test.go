package audit

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/attestation"
)

var testNow = time.Date(2026, time.May, 4, 10, 0, 0, 0, time.UTC)

// small is a tenant with one app per case of the audit rules.
func small() (tenantData, *attestation.Index) {
	const (
		e1 = "11111111-1111-4111-8111-111111111111"
		e2 = "22222222-2222-4222-8222-222222222222"
		e3 = "33333333-3333-4333-8333-333333333333"
		e4 = "44444444-4444-4444-8444-444444444444"
		e5 = "55555555-5555-4555-8555-555555555555"
	)
	recs := []*attestation.Record{
		// Certified, granted exactly what it attests (plus sign-in scopes).
		rec("clean", "Clean", "aaaaaaaa-0000-4000-8000-000000000001", attestation.Certified,
			[]attestation.Permission{perm("User.Read", attestation.Delegated, e1), perm("Team.ReadBasic.All", attestation.Both, e1)},
			"comp.hipaa", "comp.soc2", "comp.iso27001", "comp.pci_dss_annual", "priv.gdpr_or_privacy_obligations", "comp.fedramp"),
		// Granted a broad application permission it never attested, and
		// never granted one it attests.
		rec("drifty", "Drifty", "aaaaaaaa-0000-4000-8000-000000000002", attestation.Attested,
			[]attestation.Permission{perm("User.Read", attestation.Delegated, e2), perm("Calendars.Read", attestation.Delegated, e2)},
			"comp.hipaa"),
		// Requests broad application permissions; nobody consented.
		rec("unconsented", "Unconsented", "aaaaaaaa-0000-4000-8000-000000000003", attestation.Attested,
			[]attestation.Permission{perm("Files.ReadWrite.All", attestation.Application, e3)}),
		// Names no Entra app ID.
		rec("noentra", "No Entra", "aaaaaaaa-0000-4000-8000-000000000004", attestation.Attested,
			[]attestation.Permission{perm("User.Read", attestation.Delegated, "")}, "comp.soc2"),
		// A Teams record and an Outlook record share one Teams GUID.
		rec("shared", "Shared", "aaaaaaaa-0000-4000-8000-000000000005", attestation.Attested,
			[]attestation.Permission{perm("Mail.Send", attestation.PermissionUnknown, e4)}),
		// Delegated grants unreadable.
		rec("partial", "Partial", "aaaaaaaa-0000-4000-8000-000000000006", attestation.Attested,
			[]attestation.Permission{perm("User.Read", attestation.Delegated, e5), perm("Sites.Read.All", attestation.Application, e5)}),
	}
	outlook := rec("shared-outlook", "Shared for Outlook", "aaaaaaaa-0000-4000-8000-000000000005", attestation.Certified, nil)
	outlook.Kind, outlook.Path = "outlook", "Apps/outlook/shared-outlook.md"
	recs = append([]*attestation.Record{outlook}, recs...)

	d := tenantData{
		apps: []CatalogApp{
			{ID: "aaaaaaaa-0000-4000-8000-000000000001", DisplayName: "Clean", DistributionMethod: "store"},
			{ID: "c0000000-0000-4000-8000-000000000002", ExternalID: "aaaaaaaa-0000-4000-8000-000000000002", DisplayName: "Drifty", DistributionMethod: "organization"},
			{ID: "aaaaaaaa-0000-4000-8000-000000000003", DisplayName: "Unconsented", DistributionMethod: "store"},
			{ID: "aaaaaaaa-0000-4000-8000-000000000004", DisplayName: "No Entra", DistributionMethod: "store"},
			{ID: "c0000000-0000-4000-8000-000000000005", ExternalID: "AAAAAAAA-0000-4000-8000-000000000005", DisplayName: "Shared", DistributionMethod: "sideloaded"},
			{ID: "aaaaaaaa-0000-4000-8000-000000000006", DisplayName: "Partial", DistributionMethod: "store"},
			{ID: "c0000000-0000-4000-8000-000000000007", ExternalID: "com.contoso.lob", DisplayName: "Line of business", DistributionMethod: "organization"},
			// An organization app's catalog ID never matches a store GUID.
			{ID: "aaaaaaaa-0000-4000-8000-000000000002", DisplayName: "Impostor", DistributionMethod: "organization"},
		},
		sps: []ServicePrincipal{
			{ID: "s1", AppID: e1, Grants: []Grant{grant("User.Read", Delegated), grant("openid", Delegated), grant("profile", Delegated),
				grant("Team.ReadBasic.All", Application),
				{Name: "EWS.AccessAsUser.All", Type: Delegated, Resource: "Office 365 Exchange Online", ResourceAppID: "00000002-0000-0ff1-ce00-000000000000", AllPrincipals: true}}},
			{ID: "s2", AppID: e2, Grants: []Grant{grant("User.Read", Delegated), grant("Mail.ReadWrite", Application), grant("Chat.Read", Delegated)}},
			{ID: "s4", AppID: e4, Grants: []Grant{grant("Mail.Send", Application)}},
			{ID: "s5", AppID: e5, DelegatedUnavailable: true, Grants: []Grant{grant("Sites.Read.All", Application), grant("Group.Read.All", Application)}},
			{ID: "other", AppID: "99999999-9999-4999-8999-999999999999", Grants: []Grant{grant("Directory.ReadWrite.All", Application)}},
		},
	}
	return d, attestation.NewIndex(recs)
}

func byName(res *Result, name string) App {
	for _, a := range res.Apps {
		if a.Name == name {
			return a
		}
	}
	return App{}
}

func TestEvaluate(t *testing.T) {
	d, ix := small()
	js := join(d.apps, ix, "en-US")
	require.ElementsMatch(t, []string{
		"11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222", "33333333-3333-4333-8333-333333333333",
		"44444444-4444-4444-8444-444444444444", "55555555-5555-4555-8555-555555555555",
	}, entraAppIDs(js))
	res := evaluate("contoso", js, d.sps, testNow)

	tests := []struct {
		name         string
		status       Status
		ref          string
		consent      Consent
		beyond       []string
		neverGranted []string
		risk         int
		findings     []Finding
	}{
		{name: "Clean", status: StatusCertified, ref: "teams/clean", consent: ConsentGranted,
			risk: RiskCertifiedBonus + 0},
		{name: "Drifty", status: StatusAttested, ref: "teams/drifty", consent: ConsentGranted,
			beyond: []string{"Mail.ReadWrite", "Chat.Read"}, neverGranted: []string{"Calendars.Read"},
			risk: RiskBroadGranted + 2*RiskBeyond + 5*RiskMissingClaim,
			findings: []Finding{{ID: FindingBroadGranted, Items: []string{"Mail.ReadWrite"}},
				{ID: FindingBeyond, Count: 2, Permissions: []attestation.Permission{{Name: "Mail.ReadWrite", Type: attestation.Application}, {Name: "Chat.Read", Type: attestation.Delegated}}},
				{ID: FindingNotClaimed, Items: []string{"SOC 2", "ISO 27001", "PCI DSS", "GDPR", "FedRAMP"}},
				{ID: FindingNeverGranted, Count: 1, Items: []string{"Calendars.Read"}}}},
		{name: "Unconsented", status: StatusAttested, ref: "teams/unconsented", consent: ConsentNone,
			risk: RiskBroadRequested + 6*RiskMissingClaim,
			findings: []Finding{{ID: FindingBroadRequested, Items: []string{"Files.ReadWrite.All"}},
				{ID: FindingNotClaimed, Items: []string{"HIPAA", "SOC 2", "ISO 27001", "PCI DSS", "GDPR", "FedRAMP"}},
				{ID: FindingNoConsent}}},
		{name: "No Entra", status: StatusAttested, ref: "teams/noentra", consent: ConsentUnknown, risk: 5 * RiskMissingClaim},
		{name: "Shared", status: StatusAttested, ref: "teams/shared", consent: ConsentGranted, risk: 6*RiskMissingClaim + RiskBroadGranted},
		{name: "Partial", status: StatusAttested, ref: "teams/partial", consent: ConsentGranted, beyond: []string{"Group.Read.All"},
			risk: 2*RiskBroadGranted + RiskBeyond + 6*RiskMissingClaim},
		{name: "Line of business", status: StatusNoRecord, consent: ConsentUnknown, risk: RiskNoRecord},
		{name: "Impostor", status: StatusNoRecord, consent: ConsentUnknown, risk: RiskNoRecord},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := byName(res, tc.name)
			require.Equal(t, tc.name, a.Name)
			require.Equal(t, tc.status, a.Status)
			require.Equal(t, tc.consent, a.Consent)
			if tc.ref == "" {
				require.Nil(t, a.Record)
			} else {
				require.NotNil(t, a.Record)
				require.Equal(t, tc.ref, a.Record.Ref)
			}
			var beyond, never []string
			for _, g := range a.Drift.Beyond {
				beyond = append(beyond, g.Name)
			}
			for _, p := range a.Drift.NeverGranted {
				never = append(never, p.Name)
			}
			require.Equal(t, tc.beyond, beyond)
			require.Equal(t, tc.neverGranted, never)
			require.Equal(t, max(tc.risk, 0), a.Risk)
			if tc.findings != nil {
				require.Equal(t, tc.findings, a.Findings)
			}
			require.Empty(t, a.Reasons, "written by Result.Explain only")
		})
	}

	// Grants on other APIs are listed, never drift; sign-in scopes neither.
	clean := byName(res, "Clean")
	require.Len(t, clean.Granted, 5)
	require.False(t, clean.Drift.HasDrift())
	// Delegated grants unreadable: noted, and delegated rows left out.
	partial := byName(res, "Partial")
	require.True(t, partial.Drift.DelegatedUnchecked)
	require.Len(t, res.Notes, 1)
	require.Contains(t, res.Notes[0], "Directory.Read.All")

	require.Equal(t, Summary{Apps: 8, Certified: 1, Attested: 5, NoRecord: 2,
		ByDistribution:    map[string]int{"store": 4, "organization": 3, "sideloaded": 1},
		ServicePrincipals: 5, NotConsented: 1, AppsWithDrift: 2, GrantedBeyond: 3, NeverGranted: 1, BroadGranted: 3}, res.Summary)

	// Riskiest first, ties by name.
	require.True(t, slices.IsSortedFunc(res.Apps, func(x, y App) int { return y.Risk - x.Risk }))
	require.Equal(t, "Partial", res.Apps[0].Name)
	require.Equal(t, "Clean", res.Apps[len(res.Apps)-1].Name)
	require.Equal(t, []string{"teams/clean", "teams/drifty", "teams/noentra", "teams/partial", "teams/shared", "teams/unconsented"}, res.Refs())
}

func TestEvaluate_Empty(t *testing.T) {
	res := evaluate("contoso", join(nil, attestation.NewIndex(nil), "en-US"), nil, testNow)
	require.Empty(t, res.Apps)
	require.Equal(t, 0, res.Summary.Apps)
	require.Empty(t, res.Refs())
}

func TestIsGUID(t *testing.T) {
	for s, want := range map[string]bool{
		"aaaaaaaa-0000-4000-8000-000000000001": true, "AAAAAAAA-0000-4000-8000-00000000000F": true,
		"aaaaaaaa-0000-4000-8000-00000000000": false, "aaaaaaaa00000-4000-8000-000000000001": false,
		"gaaaaaaa-0000-4000-8000-000000000001": false, "": false, "com.contoso.app": false,
		// Forms uuid.Validate takes on its own, refused here.
		"{aaaaaaaa-0000-4000-8000-000000000001}": false, "urn:uuid:aaaaaaaa-0000-4000-8000-000000000001": false,
		"aaaaaaaa000040008000000000000001": false,
	} {
		require.Equal(t, want, attestation.IsGUID(s), s)
	}
}
