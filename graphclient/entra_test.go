package graphclient_test

import (
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/graphclient"
	"github.com/attestbot/attestbot/graphclient/graphtest"
)

func TestClient_ServicePrincipalsWithPermissions(t *testing.T) {
	f := newFixture(t)
	gen := graphtest.GenerateTenant(f.srv, "contoso", 40)
	missing := "0badc0de-0000-4000-8000-000000000000"
	ask := append([]string{missing}, gen.AppIDs...)
	ask = append(ask, strings.ToUpper(gen.AppIDs[0])) // duplicate, other case

	got, err := f.client.ServicePrincipalsWithPermissions(t.Context(), "contoso", ask)
	require.NoError(t, err)
	require.Len(t, got, 40)
	for i, sp := range got {
		appID := gen.AppIDs[i]
		require.Equal(t, appID, sp.AppID, "results follow the order asked")
		require.NotEmpty(t, sp.ID)
		require.True(t, sp.AccountEnabled)
		var delegated, application []string
		for _, p := range sp.Permissions {
			require.Equal(t, "Microsoft Graph", p.Resource)
			require.Equal(t, graphclient.MicrosoftGraphAppID, p.ResourceAppID)
			require.True(t, p.AllPrincipals)
			switch p.Type {
			case graphclient.Delegated:
				delegated = append(delegated, p.Name)
			case graphclient.Application:
				application = append(application, p.Name)
			}
		}
		wantD := append([]string(nil), gen.Delegated[appID]...)
		wantA := append([]string(nil), gen.Application[appID]...)
		sort.Strings(wantD)
		sort.Strings(wantA)
		require.Equal(t, wantD, dedupe(delegated), "delegated of %s", appID)
		require.Equal(t, wantA, dedupe(application), "application of %s", appID)
	}

	// 41 distinct app IDs → 3 lookups of ≤15; the Graph SP once; then 2
	// calls per service principal.
	var lookups, graphSP, perSP int
	for _, r := range f.srv.GraphRequests() {
		require.Equal(t, http.MethodGet, r.Method)
		switch {
		case r.Path == "/v1.0/servicePrincipals" && strings.HasPrefix(r.Query().Get("$filter"), "appId in ("):
			lookups++
			require.LessOrEqual(t, strings.Count(r.Query().Get("$filter"), ","), 14)
		case r.Path == "/v1.0/servicePrincipals":
			graphSP++
			require.Equal(t, "appId eq '"+graphclient.MicrosoftGraphAppID+"'", r.Query().Get("$filter"))
		default:
			perSP++
		}
	}
	require.Equal(t, 3, lookups)
	require.Equal(t, 1, graphSP)
	require.Equal(t, 80, perSP)

	// The Graph service principal stays cached for the tenant.
	f.srv.ResetRequests()
	_, err = f.client.ServicePrincipalPermissions(t.Context(), "contoso", got[0].ServicePrincipal)
	require.NoError(t, err)
	require.Len(t, f.srv.GraphRequests(), 2)
}

func dedupe(s []string) []string {
	sort.Strings(s)
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func TestClient_ServicePrincipalPermissions_PagingAndResources(t *testing.T) {
	f := newFixture(t)
	f.srv.SetPageSize(1)
	tenant := f.srv.Tenant("contoso")
	graphID := tenant.GraphServicePrincipalID()
	other := tenant.AddServicePrincipal(graphtest.ServicePrincipal{AppID: "00000002-0000-0ff1-ce00-000000000000",
		DisplayName: "Office 365 Exchange Online", AppRoles: []graphtest.AppRole{{ID: "dc50a0fb-09a3-484d-be87-e023b12c6440", Value: "Exchange.ManageAsApp"}}})
	sp := tenant.AddServicePrincipal(graphtest.ServicePrincipal{AppID: "aaaaaaaa-0000-4000-8000-000000000001", DisplayName: "Plumm"})
	tenant.AddGrant(graphtest.PermissionGrant{ClientID: sp.ID, ResourceID: graphID, Scope: "User.Read Mail.Read"})
	tenant.AddGrant(graphtest.PermissionGrant{ClientID: sp.ID, ResourceID: graphID, ConsentType: "Principal", PrincipalID: "00000000-0000-4000-8000-0000000000u1", Scope: "Files.Read.All"})
	tenant.AddGrant(graphtest.PermissionGrant{ClientID: sp.ID, ResourceID: graphID, ConsentType: "Principal", PrincipalID: "00000000-0000-4000-8000-0000000000u2", Scope: "Files.Read.All"})
	tenant.AddAppRoleAssignment(graphtest.AppRoleAssignment{PrincipalID: sp.ID, ResourceID: graphID, AppRoleID: graphtest.GraphRoleID("Mail.Send")})
	tenant.AddAppRoleAssignment(graphtest.AppRoleAssignment{PrincipalID: sp.ID, ResourceID: other.ID, AppRoleID: "dc50a0fb-09a3-484d-be87-e023b12c6440"})
	tenant.AddAppRoleAssignment(graphtest.AppRoleAssignment{PrincipalID: sp.ID, ResourceID: graphID, AppRoleID: "00000000-0000-0000-0000-000000000000"})
	tenant.AddAppRoleAssignment(graphtest.AppRoleAssignment{PrincipalID: sp.ID, ResourceID: graphID, AppRoleID: "12345678-0000-4000-8000-000000000000"})

	sps, err := f.client.ServicePrincipalsByAppID(t.Context(), "contoso", []string{sp.AppID})
	require.NoError(t, err)
	require.Len(t, sps, 1)
	perms, err := f.client.ServicePrincipalPermissions(t.Context(), "contoso", sps[0])
	require.NoError(t, err)
	require.Equal(t, []graphclient.Permission{
		{Type: graphclient.Application, Name: "(default access)", Resource: "Microsoft Graph", ResourceAppID: graphclient.MicrosoftGraphAppID, AllPrincipals: true},
		{Type: graphclient.Application, Name: "12345678-0000-4000-8000-000000000000", Resource: "Microsoft Graph", ResourceAppID: graphclient.MicrosoftGraphAppID, AllPrincipals: true},
		{Type: graphclient.Application, Name: "Mail.Send", Resource: "Microsoft Graph", ResourceAppID: graphclient.MicrosoftGraphAppID, AllPrincipals: true},
		{Type: graphclient.Delegated, Name: "Files.Read.All", Resource: "Microsoft Graph", ResourceAppID: graphclient.MicrosoftGraphAppID, Users: 2},
		{Type: graphclient.Delegated, Name: "Mail.Read", Resource: "Microsoft Graph", ResourceAppID: graphclient.MicrosoftGraphAppID, AllPrincipals: true},
		{Type: graphclient.Delegated, Name: "User.Read", Resource: "Microsoft Graph", ResourceAppID: graphclient.MicrosoftGraphAppID, AllPrincipals: true},
		{Type: graphclient.Application, Name: "Exchange.ManageAsApp", Resource: "Office 365 Exchange Online", ResourceAppID: "00000002-0000-0ff1-ce00-000000000000", AllPrincipals: true},
	}, perms)

	// Page size 1: 3 grant pages and 4 assignment pages were followed.
	var grantPages, assignPages, resourceGets int
	for _, r := range f.srv.GraphRequests() {
		switch {
		case strings.HasSuffix(r.Path, "/oauth2PermissionGrants"):
			grantPages++
		case strings.HasSuffix(r.Path, "/appRoleAssignments"):
			assignPages++
		case r.Path == "/v1.0/servicePrincipals/"+other.ID:
			resourceGets++
		}
	}
	require.Equal(t, 3, grantPages)
	require.Equal(t, 4, assignPages)
	require.Equal(t, 1, resourceGets)
}

func TestClient_ServicePrincipals_Errors(t *testing.T) {
	f := newFixture(t)
	_, err := f.client.ServicePrincipalsByAppID(t.Context(), "contoso", []string{"not-a-guid"})
	require.ErrorIs(t, err, graphclient.ErrBadRequest)
	got, err := f.client.ServicePrincipalsByAppID(t.Context(), "contoso", nil)
	require.NoError(t, err)
	require.Empty(t, got)
	require.Empty(t, f.srv.Requests())

	gen := graphtest.GenerateTenant(f.srv, "contoso", 3)
	f.srv.Fail(graphtest.Throttled("120").On(http.MethodGet, "/servicePrincipals/*/appRoleAssignments"))
	_, err = f.client.ServicePrincipalsWithPermissions(t.Context(), "contoso", gen.AppIDs)
	require.ErrorIs(t, err, graphclient.ErrThrottled)
	retry, after := graphclient.IsRetryable(err)
	require.True(t, retry)
	require.Equal(t, 120, int(after.Seconds()))
}
