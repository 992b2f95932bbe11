package graphtest

import (
	"sort"
	"strings"
	"time"
)

// CatalogApp is an app of a tenant's Teams app catalog.
type CatalogApp struct {
	// ID is the catalog (teamsApp) ID.
	ID string
	// ExternalID is the manifest id (organization apps).
	ExternalID string
	// DisplayName is the app name.
	DisplayName string
	// DistributionMethod is "organization", "store" or "sideloaded".
	DistributionMethod string
	// Definitions are the app's definitions (versions), oldest first.
	Definitions []AppDefinition
}

// AppDefinition is one version of a catalog app.
type AppDefinition struct {
	// ID is the definition ID.
	ID string
	// Version is the manifest version.
	Version string
	// DisplayName is the app name of this version.
	DisplayName string
	// PublishingState is "published", "submitted" or "rejected".
	PublishingState string
	// LastModified is the definition's lastModifiedDateTime.
	LastModified time.Time
	// ClientAppID is the Entra app ID of the app (the manifest's
	// webApplicationInfo.id), served as authorization.clientAppId.
	ClientAppID string
}

// ServicePrincipal is an Entra service principal.
type ServicePrincipal struct {
	// ID is the object ID.
	ID string
	// AppID is the application (client) ID.
	AppID string
	// DisplayName is the name.
	DisplayName string
	// AppOwnerOrganizationID is the tenant that owns the application.
	AppOwnerOrganizationID string
	// AppRoles are the application permissions the principal exposes.
	AppRoles []AppRole
	// Scopes are the delegated permissions (oauth2PermissionScopes) it exposes.
	Scopes []PermissionScope
}

// AppRole is an application permission exposed by a resource.
type AppRole struct {
	// ID is the role ID.
	ID string
	// Value is the permission name, e.g. "Mail.Read".
	Value string
	// DisplayName is the admin-facing name.
	DisplayName string
}

// PermissionScope is a delegated permission exposed by a resource.
type PermissionScope struct {
	// ID is the scope ID.
	ID string
	// Value is the permission name, e.g. "User.Read".
	Value string
	// Type is "Admin" or "User".
	Type string
	// AdminConsentDisplayName is the admin-facing name.
	AdminConsentDisplayName string
}

// PermissionGrant is a delegated permission grant (oauth2PermissionGrant).
type PermissionGrant struct {
	// ID is the grant ID.
	ID string
	// ClientID is the object ID of the client service principal.
	ClientID string
	// ResourceID is the object ID of the resource service principal.
	ResourceID string
	// ConsentType is "AllPrincipals" or "Principal".
	ConsentType string
	// PrincipalID is the user for "Principal" grants.
	PrincipalID string
	// Scope is the space-separated permission names.
	Scope string
}

// AppRoleAssignment is an application permission granted to a principal.
type AppRoleAssignment struct {
	// ID is the assignment ID.
	ID string
	// AppRoleID is the role of the resource.
	AppRoleID string
	// PrincipalID is the object ID of the service principal granted the role.
	PrincipalID string
	// ResourceID is the object ID of the resource service principal.
	ResourceID string
	// ResourceDisplayName is the resource's name.
	ResourceDisplayName string
}

// Installation is a Teams app installed for a user.
type Installation struct {
	// ID is the installation ID (not the catalog app ID).
	ID string
	// TeamsAppID is the catalog app ID.
	TeamsAppID string
}

// Tenant is the data of one fake tenant. Its methods are safe for
// concurrent use with the server.
type Tenant struct {
	// ID is the tenant ID.
	ID string

	s *Server // its mu guards the fields below

	apps          []*CatalogApp
	sps           []*ServicePrincipal
	grants        []PermissionGrant
	assignments   []AppRoleAssignment
	installations map[string][]Installation // user ID → installations
	requireApp    string
	roles         []RoleAssignment
	appPerms      map[string]bool // nil: every route allowed
}

// RoleAssignment is a Microsoft Entra directory role assigned to a
// principal (GET /roleManagement/directory/roleAssignments).
type RoleAssignment struct {
	// ID is the assignment ID.
	ID string
	// PrincipalID is the object ID of the user (or group) holding the role.
	PrincipalID string
	// RoleDefinitionID is the role; for a built-in role, its template ID.
	RoleDefinitionID string
	// DirectoryScopeID is "/" for the whole tenant (the default), else an
	// administrative unit or an application.
	DirectoryScopeID string
}

// AssignRole assigns a directory role to a principal and returns the
// stored assignment (scope "/" when none is given).
func (t *Tenant) AssignRole(a RoleAssignment) RoleAssignment {
	t.s.mu.Lock()
	defer t.s.mu.Unlock()
	if a.ID == "" {
		a.ID = t.s.nextIDLocked()
	}
	if a.DirectoryScopeID == "" {
		a.DirectoryScopeID = "/"
	}
	t.roles = append(t.roles, a)
	return a
}

// RestrictAppPermissions makes the tenant's Graph routes answer app-only
// tokens as if the app had been granted exactly perms (application
// permissions, e.g. "AppCatalog.Read.All"): a route whose documented
// permissions ([RoutePermissions]) include none of them answers 403
// Authorization_RequestDenied. No call (the default) allows every route.
func (t *Tenant) RestrictAppPermissions(perms ...string) {
	t.s.mu.Lock()
	defer t.s.mu.Unlock()
	t.appPerms = map[string]bool{}
	for _, p := range perms {
		t.appPerms[strings.ToLower(p)] = true
	}
}

// Tenant returns the tenant id, creating it (with a Microsoft Graph service
// principal, see [GraphServicePrincipal]) on first use.
func (s *Server) Tenant(id string) *Tenant {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tenantLocked(id)
}

func (s *Server) tenantLocked(id string) *Tenant {
	if t, ok := s.tenants[id]; ok {
		return t
	}
	t := &Tenant{ID: id, s: s, installations: map[string][]Installation{}}
	g := GraphServicePrincipal()
	g.ID = s.nextIDLocked()
	t.sps = append(t.sps, &g)
	s.tenants[id] = t
	return t
}

// GraphPermissions are the Microsoft Graph permissions of the fake Graph
// service principal: each name is both an app role and a delegated scope.
var GraphPermissions = []string{
	"User.Read", "User.Read.All", "User.ReadBasic.All", "Mail.Read", "Mail.ReadWrite", "Mail.Send",
	"Calendars.Read", "Calendars.ReadWrite", "Files.Read.All", "Files.ReadWrite.All", "Sites.Read.All",
	"Sites.ReadWrite.All", "Group.Read.All", "Group.ReadWrite.All", "Directory.Read.All", "Team.ReadBasic.All",
	"Channel.ReadBasic.All", "ChannelMessage.Read.All", "Chat.Read.All", "TeamsActivity.Send",
	"TeamsAppInstallation.ReadWriteSelfForUser.All", "AppCatalog.Read.All", "AppCatalog.ReadWrite.All",
	"Application.Read.All", "offline_access", "openid", "profile", "email",
}

// GraphServicePrincipal returns the Microsoft Graph service principal with
// the [GraphPermissions] as app roles and scopes, with stable IDs (its
// object ID is set when a tenant is created).
func GraphServicePrincipal() ServicePrincipal {
	sp := ServicePrincipal{AppID: MicrosoftGraphAppID, DisplayName: "Microsoft Graph",
		AppOwnerOrganizationID: "f8cdef31-a31e-4b4a-93e4-5f571e91255a"}
	for _, p := range GraphPermissions {
		sp.AppRoles = append(sp.AppRoles, AppRole{ID: GraphRoleID(p), Value: p, DisplayName: "Role " + p})
		sp.Scopes = append(sp.Scopes, PermissionScope{ID: GraphScopeID(p), Value: p, Type: "Admin", AdminConsentDisplayName: "Scope " + p})
	}
	return sp
}

// GraphRoleID is the stable app role ID of a Graph permission of the fake.
func GraphRoleID(permission string) string { return stableID("r", permission) }

// GraphScopeID is the stable scope ID of a Graph permission of the fake.
func GraphScopeID(permission string) string { return stableID("s", permission) }

// stableID derives a GUID-shaped ID from a string (FNV-1a).
func stableID(kind, s string) string {
	var h uint64 = 14695981039346656037
	for _, c := range []byte(kind + ":" + s) {
		h ^= uint64(c)
		h *= 1099511628211
	}
	return formatGUID(h, uint64(len(s)))
}

func formatGUID(a, b uint64) string {
	const hex = "0123456789abcdef"
	var buf [36]byte
	v := [2]uint64{a, b*0x9e3779b97f4a7c15 + a}
	n := 0
	for i := range 32 {
		if i == 8 || i == 12 || i == 16 || i == 20 {
			buf[n] = '-'
			n++
		}
		w := v[i/16]
		buf[n] = hex[(w>>(uint(i%16)*4))&0xf]
		n++
	}
	return string(buf[:])
}

// AddCatalogApp adds app to the catalog, giving it an ID when it has none
// and a "published" definition when it has none; it returns the stored copy.
func (t *Tenant) AddCatalogApp(app CatalogApp) CatalogApp {
	t.s.mu.Lock()
	defer t.s.mu.Unlock()
	if app.ID == "" {
		app.ID = t.s.nextIDLocked()
	}
	if app.DistributionMethod == "" {
		app.DistributionMethod = "organization"
	}
	if len(app.Definitions) == 0 {
		app.Definitions = []AppDefinition{{Version: "1.0.0", PublishingState: "published"}}
	}
	for i := range app.Definitions {
		d := &app.Definitions[i]
		if d.ID == "" {
			d.ID = t.s.nextIDLocked()
		}
		if d.DisplayName == "" {
			d.DisplayName = app.DisplayName
		}
		if d.LastModified.IsZero() {
			d.LastModified = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Hour)
		}
	}
	c := app
	t.apps = append(t.apps, &c)
	return cloneApp(c)
}

// CatalogApps returns a copy of the catalog.
func (t *Tenant) CatalogApps() []CatalogApp {
	t.s.mu.Lock()
	defer t.s.mu.Unlock()
	out := make([]CatalogApp, 0, len(t.apps))
	for _, a := range t.apps {
		out = append(out, cloneApp(*a))
	}
	return out
}

func cloneApp(a CatalogApp) CatalogApp {
	a.Definitions = append([]AppDefinition(nil), a.Definitions...)
	return a
}

// AddServicePrincipal adds sp, giving it an object ID when it has none,
// and returns the stored copy.
func (t *Tenant) AddServicePrincipal(sp ServicePrincipal) ServicePrincipal {
	t.s.mu.Lock()
	defer t.s.mu.Unlock()
	if sp.ID == "" {
		sp.ID = t.s.nextIDLocked()
	}
	c := sp
	t.sps = append(t.sps, &c)
	return c
}

// GraphServicePrincipalID returns the object ID of the tenant's Microsoft
// Graph service principal.
func (t *Tenant) GraphServicePrincipalID() string {
	t.s.mu.Lock()
	defer t.s.mu.Unlock()
	for _, sp := range t.sps {
		if sp.AppID == MicrosoftGraphAppID {
			return sp.ID
		}
	}
	return ""
}

// AddGrant adds a delegated permission grant.
func (t *Tenant) AddGrant(g PermissionGrant) PermissionGrant {
	t.s.mu.Lock()
	defer t.s.mu.Unlock()
	if g.ID == "" {
		g.ID = t.s.nextIDLocked()
	}
	if g.ConsentType == "" {
		g.ConsentType = "AllPrincipals"
	}
	t.grants = append(t.grants, g)
	return g
}

// AddAppRoleAssignment adds an application permission assignment.
func (t *Tenant) AddAppRoleAssignment(a AppRoleAssignment) AppRoleAssignment {
	t.s.mu.Lock()
	defer t.s.mu.Unlock()
	if a.ID == "" {
		a.ID = t.s.nextIDLocked()
	}
	t.assignments = append(t.assignments, a)
	return a
}

func (t *Tenant) installLocked(userID, teamsAppID string) Installation {
	in := Installation{ID: t.s.nextIDLocked(), TeamsAppID: teamsAppID}
	t.installations[userID] = append(t.installations[userID], in)
	return in
}

// Installed reports whether teamsAppID is installed for userID.
func (t *Tenant) Installed(userID, teamsAppID string) bool {
	t.s.mu.Lock()
	defer t.s.mu.Unlock()
	return t.installedLocked(userID, teamsAppID)
}

func (t *Tenant) installedLocked(userID, teamsAppID string) bool {
	for _, in := range t.installations[userID] {
		if in.TeamsAppID == teamsAppID {
			return true
		}
	}
	return false
}

// RequireInstalled makes per-user notifications answer 403 "not installed"
// for recipients without the catalog app teamsAppID ("" turns it off).
func (t *Tenant) RequireInstalled(teamsAppID string) {
	t.s.mu.Lock()
	defer t.s.mu.Unlock()
	t.requireApp = teamsAppID
}

// spByIDLocked finds a service principal by object ID.
func (t *Tenant) spByIDLocked(id string) *ServicePrincipal {
	for _, sp := range t.sps {
		if sp.ID == id {
			return sp
		}
	}
	return nil
}

// appByIDLocked finds a catalog app by ID.
func (t *Tenant) appByIDLocked(id string) *CatalogApp {
	for _, a := range t.apps {
		if a.ID == id {
			return a
		}
	}
	return nil
}

// sortedDefinitions returns the definitions newest last.
func sortedDefinitions(defs []AppDefinition) []AppDefinition {
	out := append([]AppDefinition(nil), defs...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].LastModified.Before(out[j].LastModified) })
	return out
}
