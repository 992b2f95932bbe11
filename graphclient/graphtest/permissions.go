package graphtest

import (
	"net/http"
	"strings"
)

// RoutePermissions are the Microsoft Graph application permissions that
// Microsoft documents for each route of the fake, keyed by method and path
// pattern ("{id}" for an identifier segment). Any one of them allows the
// call. They are enforced only for tenants restricted with
// [Tenant.RestrictAppPermissions]; routes missing here are never refused.
//
// Sources (permissions tables of the v1.0 API reference):
//   - appcatalogs-list-teamsapps: AppCatalog.Read.All, AppCatalog.ReadWrite.All
//   - serviceprincipal-list, serviceprincipal-get: Application.Read.All and higher
//   - serviceprincipal-list-approleassignments: Application.Read.All and higher
//   - serviceprincipal-list-oauth2permissiongrants, oauth2permissiongrant-list:
//     Directory.Read.All, DelegatedPermissionGrant.ReadWrite.All, Directory.ReadWrite.All
//   - rbacapplication-list-roleassignments: RoleManagement.Read.Directory,
//     RoleManagement.Read.All, Directory.Read.All, RoleManagement.ReadWrite.Directory,
//     Directory.ReadWrite.All
var RoutePermissions = map[string][]string{
	"GET /appCatalogs/teamsApps": {"AppCatalog.Read.All", "AppCatalog.ReadWrite.All"},
	"GET /servicePrincipals": {"Application.Read.All", "Application.ReadWrite.OwnedBy", "Application.ReadWrite.All",
		"Directory.Read.All"},
	"GET /servicePrincipals/{id}": {"Application.Read.All", "Application.ReadWrite.OwnedBy", "Application.ReadWrite.All",
		"Directory.Read.All"},
	"GET /servicePrincipals/{id}/appRoleAssignments": {"Application.Read.All", "Application.ReadWrite.All",
		"Application.ReadWrite.OwnedBy", "Directory.Read.All", "Directory.ReadWrite.All"},
	"GET /servicePrincipals/{id}/oauth2PermissionGrants": {"Directory.Read.All", "DelegatedPermissionGrant.ReadWrite.All",
		"Directory.ReadWrite.All"},
	"GET /oauth2PermissionGrants": {"Directory.Read.All", "DelegatedPermissionGrant.ReadWrite.All", "Directory.ReadWrite.All"},
	"GET /roleManagement/directory/roleAssignments": {"RoleManagement.Read.Directory", "RoleManagement.Read.All",
		"Directory.Read.All", "RoleManagement.ReadWrite.Directory", "Directory.ReadWrite.All"},
}

// routeKey names a Graph call by method and path pattern.
func routeKey(method string, seg []string) string {
	var b strings.Builder
	b.WriteString(method)
	b.WriteByte(' ')
	for i, s := range seg {
		b.WriteByte('/')
		switch {
		case len(seg) >= 2 && seg[0] == "servicePrincipals" && i == 1,
			len(seg) >= 2 && seg[0] == "users" && i == 1,
			len(seg) >= 3 && seg[0] == "appCatalogs" && i == 2:
			b.WriteString("{id}")
		default:
			b.WriteString(s)
		}
	}
	return b.String()
}

// appAllowed reports whether the tenant's granted application permissions
// allow the call (always, for an unrestricted tenant or a route not in
// RoutePermissions; $batch is checked request by request).
func (s *Server) appAllowed(c *graphCtx) bool {
	if c.r.Method == http.MethodPost && len(c.seg) == 1 && c.seg[0] == "$batch" {
		return true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	granted := c.tenant.appPerms
	if granted == nil {
		return true
	}
	need, ok := RoutePermissions[routeKey(c.r.Method, c.seg)]
	if !ok {
		return true
	}
	for _, p := range need {
		if granted[strings.ToLower(p)] {
			return true
		}
	}
	return false
}
