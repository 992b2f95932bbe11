package graphtest

import (
	"fmt"
	"strings"
)

// Generated describes a tenant built by [GenerateTenant].
type Generated struct {
	// Tenant is the populated tenant.
	Tenant *Tenant
	// AppIDs are the Entra application IDs of the generated service
	// principals, in order.
	AppIDs []string
	// Delegated maps an application ID to its granted delegated Graph
	// permissions; Application maps it to its application permissions.
	Delegated, Application map[string][]string
}

// GeneratedAppID returns the Entra application ID GenerateTenant gives the
// i-th service principal of tenant.
func GeneratedAppID(tenantID string, i int) string { return stableID("app:"+tenantID, fmt.Sprint(i)) }

// GenerateTenant fills tenant tenantID of s with n organization catalog apps
// (every fifth a store app), and n service principals, each with one
// tenant-wide delegated grant of 1–3 Graph scopes and 0–2 Graph application
// permissions. The data is deterministic.
func GenerateTenant(s *Server, tenantID string, n int) Generated {
	t := s.Tenant(tenantID)
	graphID := t.GraphServicePrincipalID()
	g := Generated{Tenant: t, Delegated: map[string][]string{}, Application: map[string][]string{}}
	perms := GraphPermissions
	for i := range n {
		dist := "organization"
		ext := stableID("manifest:"+tenantID, fmt.Sprint(i))
		if i%5 == 4 {
			dist, ext = "store", ""
		}
		t.AddCatalogApp(CatalogApp{ExternalID: ext, DisplayName: fmt.Sprintf("App %04d", i), DistributionMethod: dist,
			Definitions: []AppDefinition{{Version: fmt.Sprintf("1.%d.0", i%7), PublishingState: "published"}}})

		appID := GeneratedAppID(tenantID, i)
		g.AppIDs = append(g.AppIDs, appID)
		sp := t.AddServicePrincipal(ServicePrincipal{AppID: appID, DisplayName: fmt.Sprintf("App %04d", i),
			AppOwnerOrganizationID: stableID("publisher", fmt.Sprint(i%13))})
		var scopes []string
		for k := range 1 + i%3 {
			scopes = append(scopes, perms[(i+k*7)%len(perms)])
		}
		t.AddGrant(PermissionGrant{ClientID: sp.ID, ResourceID: graphID, ConsentType: "AllPrincipals", Scope: strings.Join(scopes, " ")})
		g.Delegated[appID] = scopes
		for k := range i % 3 {
			p := perms[(i*3+k*11)%len(perms)]
			t.AddAppRoleAssignment(AppRoleAssignment{AppRoleID: GraphRoleID(p), PrincipalID: sp.ID, ResourceID: graphID,
				ResourceDisplayName: "Microsoft Graph"})
			g.Application[appID] = append(g.Application[appID], p)
		}
	}
	return g
}
