package graphclient_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/graphclient"
	"github.com/attestbot/attestbot/graphclient/graphtest"
	"github.com/attestbot/attestbot/manifest"
)

const (
	tenantA   = "aaaaaaaa-0000-4000-8000-00000000000a"
	tenantB   = "bbbbbbbb-0000-4000-8000-00000000000b"
	adminUser = "a11ce000-0000-4000-8000-000000000001"
	roleGA    = "62e90394-69f5-4237-9190-012177145e10"
	roleGR    = "f2ef992c-3afb-46b9-b7cf-a126ee74c451"
	roleTeams = "69091246-20e8-4a56-aa4d-066075b2a7a8"
)

// declaredAppPermissions are the application permissions attestbot's own
// manifest and compliance page declare.
func declaredAppPermissions() []string {
	var out []string
	for _, p := range manifest.GraphPermissions() {
		if p.Type == "Application" {
			out = append(out, p.Name)
		}
	}
	return out
}

func TestClient_UserDirectoryRoles_TwoTenants(t *testing.T) {
	f := newFixture(t)
	a, b := f.srv.Tenant(tenantA), f.srv.Tenant(tenantB)
	a.AssignRole(graphtest.RoleAssignment{PrincipalID: adminUser, RoleDefinitionID: roleGA})
	a.AssignRole(graphtest.RoleAssignment{PrincipalID: adminUser, RoleDefinitionID: strings.ToUpper(roleGR)})
	// Scoped to an administrative unit: not a tenant-wide admin.
	b.AssignRole(graphtest.RoleAssignment{PrincipalID: adminUser, RoleDefinitionID: roleTeams, DirectoryScopeID: "/administrativeUnits/au-1"})
	// Directory.Read.All is optional: the roles must work without it.
	var perms []string
	for _, p := range declaredAppPermissions() {
		if p != "Directory.Read.All" {
			perms = append(perms, p)
		}
	}
	a.RestrictAppPermissions(perms...)
	b.RestrictAppPermissions(perms...)

	got, err := f.client.UserDirectoryRoles(t.Context(), tenantA, strings.ToUpper(adminUser))
	require.NoError(t, err)
	require.Equal(t, []string{roleGA, roleGR}, got)
	got, err = f.client.UserDirectoryRoles(t.Context(), tenantB, adminUser)
	require.NoError(t, err)
	require.Empty(t, got, "tenant A's roles never count in tenant B")

	// Each question went to its own tenant, with its own token.
	var tenants []string
	for _, r := range f.srv.GraphRequests() {
		require.Equal(t, "/v1.0/roleManagement/directory/roleAssignments", r.Path)
		require.Equal(t, "principalId eq '"+adminUser+"'", r.Query().Get("$filter"))
		tenants = append(tenants, r.Tenant)
	}
	require.Equal(t, []string{tenantA, tenantB}, tenants)

	for _, bad := range []string{"", "29:1abc", "not-a-guid", adminUser + "' or 1 eq 1"} {
		_, err := f.client.UserDirectoryRoles(t.Context(), tenantA, bad)
		require.ErrorIs(t, err, graphclient.ErrBadRequest, "%q", bad)
	}
	_, err = f.client.UserDirectoryRoles(t.Context(), "", adminUser)
	require.ErrorIs(t, err, graphclient.ErrBadRequest)
}

func TestClient_UserDirectoryRoles_NotConsented(t *testing.T) {
	f := newFixture(t)
	f.srv.Tenant(tenantA).RestrictAppPermissions("AppCatalog.Read.All", "TeamsActivity.Send")
	_, err := f.client.UserDirectoryRoles(t.Context(), tenantA, adminUser)
	require.ErrorIs(t, err, graphclient.ErrForbidden)
	require.Equal(t, graphclient.ReasonForbidden, err.(interface{ Reason() string }).Reason())
}

func TestClient_UserDirectoryRoles_Pages(t *testing.T) {
	f := newFixture(t)
	f.srv.SetPageSize(2)
	a := f.srv.Tenant(tenantA)
	for _, r := range []string{"r1", "r2", "r3", roleTeams, "r5"} {
		a.AssignRole(graphtest.RoleAssignment{PrincipalID: adminUser, RoleDefinitionID: r})
	}
	got, err := f.client.UserDirectoryRoles(t.Context(), tenantA, adminUser)
	require.NoError(t, err)
	require.Equal(t, []string{"r1", "r2", "r3", roleTeams, "r5"}, got)
	require.Len(t, f.srv.GraphRequests(), 3)
}

func TestClient_TenantServicePrincipals(t *testing.T) {
	f := newFixture(t)
	gen := graphtest.GenerateTenant(f.srv, tenantA, 120)
	ta := gen.Tenant
	graphID := ta.GraphServicePrincipalID()
	// A Microsoft first-party app with a delegated grant: left out.
	ms := ta.AddServicePrincipal(graphtest.ServicePrincipal{AppID: "14d82eec-204b-4c2f-b7e8-296a70dab67e",
		DisplayName: "Microsoft Graph Command Line Tools", AppOwnerOrganizationID: "f8cdef31-a31e-4b4a-93e4-5f571e91255a"})
	ta.AddGrant(graphtest.PermissionGrant{ClientID: ms.ID, ResourceID: graphID, Scope: "Directory.Read.All"})
	// A service principal with no grant: not in use.
	ta.AddServicePrincipal(graphtest.ServicePrincipal{AppID: "c6000000-0000-4000-8000-000000000007", DisplayName: "Idle"})
	// Tenant B has one app of its own.
	tb := f.srv.Tenant(tenantB)
	only := tb.AddServicePrincipal(graphtest.ServicePrincipal{AppID: "b0000000-0000-4000-8000-0000000000b1", DisplayName: "B only"})
	tb.AddGrant(graphtest.PermissionGrant{ClientID: only.ID, ResourceID: tb.GraphServicePrincipalID(), Scope: "User.Read"})
	f.srv.SetPageSize(50)
	ta.RestrictAppPermissions(declaredAppPermissions()...)

	got, err := f.client.TenantServicePrincipals(t.Context(), tenantA)
	require.NoError(t, err)
	require.False(t, got.DelegatedUnavailable)
	require.Equal(t, 123, got.Listed, "120 generated, the Graph service principal, Microsoft's app and the idle one")
	require.Equal(t, 2, got.MicrosoftOwned, "Microsoft Graph itself and the command line tools")
	require.Len(t, got.Principals, 120)
	for i, sp := range got.Principals {
		require.Equal(t, gen.AppIDs[i], sp.AppID)
		var del, app []string
		for _, p := range sp.Permissions {
			require.Equal(t, graphclient.MicrosoftGraphAppID, p.ResourceAppID)
			if p.Type == graphclient.Delegated {
				del = append(del, p.Name)
			} else {
				app = append(app, p.Name)
			}
		}
		require.ElementsMatch(t, gen.Delegated[sp.AppID], del, sp.AppID)
		require.ElementsMatch(t, gen.Application[sp.AppID], app, sp.AppID)
	}
	for _, r := range f.srv.GraphRequests() {
		if r.InBatch {
			require.Equal(t, http.StatusOK, r.Status, "%s: the declared permissions allow every call", r.Path)
		}
	}

	// Tenant B sees its own app only.
	gotB, err := f.client.TenantServicePrincipals(t.Context(), tenantB)
	require.NoError(t, err)
	require.Len(t, gotB.Principals, 1)
	require.Equal(t, "B only", gotB.Principals[0].DisplayName)
}

func TestClient_TenantServicePrincipals_WithoutDirectoryReadAll(t *testing.T) {
	f := newFixture(t)
	gen := graphtest.GenerateTenant(f.srv, tenantA, 30)
	var perms []string
	for _, p := range declaredAppPermissions() {
		if p != "Directory.Read.All" {
			perms = append(perms, p)
		}
	}
	gen.Tenant.RestrictAppPermissions(perms...)
	got, err := f.client.TenantServicePrincipals(t.Context(), tenantA)
	require.NoError(t, err)
	require.True(t, got.DelegatedUnavailable)
	// Only those with application permissions are left (i%3 != 0).
	require.Len(t, got.Principals, 20)
	for _, sp := range got.Principals {
		require.True(t, sp.DelegatedUnavailable)
		for _, p := range sp.Permissions {
			require.Equal(t, graphclient.Application, p.Type)
		}
	}
}

func TestClient_OrganizationAppsAndCatalogLookups(t *testing.T) {
	f := newFixture(t)
	ta := f.srv.Tenant(tenantA)
	custom := ta.AddCatalogApp(graphtest.CatalogApp{ExternalID: "com.contoso.custom", DisplayName: "Custom",
		Definitions: []graphtest.AppDefinition{{Version: "1.0.0", PublishingState: "published", ClientAppID: "c1000000-0000-4000-8000-000000000001"}}})
	ta.AddCatalogApp(graphtest.CatalogApp{ID: "d3000000-0000-4000-8000-000000000003", DisplayName: "Stored", DistributionMethod: "store",
		Definitions: []graphtest.AppDefinition{{Version: "2.0.0", PublishingState: "published", ClientAppID: "c3000000-0000-4000-8000-000000000003"}}})
	ta.AddCatalogApp(graphtest.CatalogApp{ID: "d4000000-0000-4000-8000-000000000004", DisplayName: "Other store app", DistributionMethod: "store"})
	ta.RestrictAppPermissions(declaredAppPermissions()...)

	org, err := f.client.ListOrganizationApps(t.Context(), tenantA)
	require.NoError(t, err)
	require.Len(t, org, 1)
	require.Equal(t, custom.ID, org[0].ID)
	require.Equal(t, "c1000000-0000-4000-8000-000000000001", org[0].ClientAppID)
	require.Equal(t, "distributionMethod eq 'organization'", f.srv.GraphRequests()[0].Query().Get("$filter"))

	found, err := f.client.CatalogAppsByID(t.Context(), tenantA, []string{"d3000000-0000-4000-8000-000000000003",
		"D3000000-0000-4000-8000-000000000003", "d9000000-0000-4000-8000-000000000009"})
	require.NoError(t, err)
	require.Len(t, found, 1)
	require.Equal(t, graphclient.CatalogApp{ID: "d3000000-0000-4000-8000-000000000003", DisplayName: "Stored", DistributionMethod: "store",
		Version: "2.0.0", PublishingState: "published", ClientAppID: "c3000000-0000-4000-8000-000000000003"}, found[0])

	// Tenant B's catalog has none of them.
	found, err = f.client.CatalogAppsByID(t.Context(), tenantB, []string{"d3000000-0000-4000-8000-000000000003"})
	require.NoError(t, err)
	require.Empty(t, found)
	_, err = f.client.CatalogAppsByID(t.Context(), tenantA, []string{"x' or id ne 'y"})
	require.ErrorIs(t, err, graphclient.ErrBadRequest)
}
