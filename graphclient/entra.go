package graphclient

import (
	"context"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/google/uuid"
	"github.com/microsoftgraph/msgraph-sdk-go/models"
	"github.com/microsoftgraph/msgraph-sdk-go/serviceprincipals"
	"golang.org/x/sync/errgroup"
	"golang.org/x/sync/singleflight"
)

// ServicePrincipal is an Entra service principal (an app's identity in a
// tenant).
type ServicePrincipal struct {
	// ID is the object ID.
	ID string
	// AppID is the application (client) ID, the "Entra app ID" of
	// attestation records.
	AppID string
	// DisplayName is the name.
	DisplayName string
	// AppOwnerOrganizationID is the tenant that registered the application.
	AppOwnerOrganizationID string
	// AccountEnabled is false when sign-in is disabled.
	AccountEnabled bool
}

// PermissionType is delegated or application.
type PermissionType string

// The permission types.
const (
	Delegated   PermissionType = "Delegated"
	Application PermissionType = "Application"
)

// Permission is one permission granted to a service principal.
type Permission struct {
	// Type is Delegated (an oauth2PermissionGrant scope) or Application
	// (an app role assignment).
	Type PermissionType
	// Name is the permission value, e.g. "Mail.Read". An app role that the
	// resource no longer defines keeps its role ID here.
	Name string
	// Resource is the resource's display name, e.g. "Microsoft Graph".
	Resource string
	// ResourceAppID is the resource's application ID
	// (MicrosoftGraphAppID for Graph).
	ResourceAppID string
	// AllPrincipals is true for delegated permissions consented for every
	// user (admin consent), and for application permissions.
	AllPrincipals bool
	// Users is the number of users who consented individually to a
	// delegated permission ("Principal" grants).
	Users int
}

// ServicePrincipalPermissions is a service principal with its permissions.
type ServicePrincipalPermissions struct {
	ServicePrincipal
	// Permissions are sorted by resource, type and name.
	Permissions []Permission
	// DelegatedUnavailable is set by AuditServicePrincipals when Graph
	// refused to list the delegated grants (403: Directory.Read.All not
	// consented); Permissions then hold application permissions only.
	DelegatedUnavailable bool
}

// spSelect are the properties fetched when looking service principals up.
var spSelect = []string{"id", "appId", "displayName", "appOwnerOrganizationId", "accountEnabled"}

// ServicePrincipalsByAppID returns the service principals of tenantID whose
// application IDs are in appIDs (duplicates ignored), in the order of
// appIDs; an app without a service principal in the tenant is absent from
// the result. Lookups are batched as $filter=appId in (…) with at most 15
// values each, run Config.Concurrency at a time, and paged.
func (c *Client) ServicePrincipalsByAppID(ctx context.Context, tenantID string, appIDs []string) ([]ServicePrincipal, error) {
	const op = "list service principals"
	var ids []string
	seen := map[string]bool{}
	for _, id := range appIDs {
		if _, err := uuid.Parse(id); err != nil {
			return nil, badInput(op, "app id %q is not a GUID", id)
		}
		k := strings.ToLower(id)
		if !seen[k] {
			seen[k] = true
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	t, err := c.tenant(tenantID)
	if err != nil {
		return nil, err
	}
	var (
		mu    sync.Mutex
		byApp = map[string]ServicePrincipal{}
	)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(c.cfg.Concurrency)
	for chunk := range slices.Chunk(ids, maxInValues) {
		quoted := make([]string, len(chunk))
		for i, id := range chunk {
			quoted[i] = quoteOData(id)
		}
		filter := "appId in (" + strings.Join(quoted, ",") + ")"
		g.Go(func() error {
			sps, err := c.listServicePrincipals(gctx, op, t, filter, spSelect)
			if err != nil {
				return err
			}
			mu.Lock()
			defer mu.Unlock()
			for _, sp := range sps {
				byApp[strings.ToLower(deref(sp.GetAppId()))] = spFrom(sp)
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	out := make([]ServicePrincipal, 0, len(byApp))
	for _, id := range ids {
		if sp, ok := byApp[strings.ToLower(id)]; ok {
			out = append(out, sp)
		}
	}
	return out, nil
}

func spFrom(sp models.ServicePrincipalable) ServicePrincipal {
	out := ServicePrincipal{ID: deref(sp.GetId()), AppID: deref(sp.GetAppId()), DisplayName: deref(sp.GetDisplayName()),
		AccountEnabled: deref(sp.GetAccountEnabled())}
	if o := sp.GetAppOwnerOrganizationId(); o != nil {
		out.AppOwnerOrganizationID = o.String()
	}
	return out
}

// listServicePrincipals pages through GET /servicePrincipals?$filter=….
func (c *Client) listServicePrincipals(ctx context.Context, op string, t *tenantClient, filter string, sel []string) ([]models.ServicePrincipalable, error) {
	var out []models.ServicePrincipalable
	err := c.pages(ctx, op, func(ctx context.Context, next string) (string, error) {
		var (
			res models.ServicePrincipalCollectionResponseable
			err error
		)
		if next == "" {
			// A builder per call: Get writes the base URL into the
			// builder's path parameter map, so a shared builder races
			// when lookups run concurrently.
			b := serviceprincipals.NewServicePrincipalsRequestBuilderInternal(
				map[string]string{"baseurl": t.adapter.GetBaseUrl()}, t.adapter)
			res, err = b.Get(ctx, &serviceprincipals.ServicePrincipalsRequestBuilderGetRequestConfiguration{
				QueryParameters: &serviceprincipals.ServicePrincipalsRequestBuilderGetQueryParameters{Filter: &filter, Select: sel}})
		} else {
			res, err = t.sps.WithUrl(next).Get(ctx, nil)
		}
		if err != nil {
			return "", err
		}
		out = append(out, res.GetValue()...)
		return deref(res.GetOdataNextLink()), nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// resource is what permission names are resolved from.
type resource struct {
	appID, name string
	roles       map[string]string // app role ID → value
}

// resourceCache holds a tenant's resource service principals (Microsoft
// Graph, fetched once by appId, and any other resource met in a grant).
type resourceCache struct {
	mu      sync.Mutex
	byID    map[string]*resource
	graphID string
	group   singleflight.Group
}

func newResourceCache() *resourceCache { return &resourceCache{byID: map[string]*resource{}} }

func resourceFrom(sp models.ServicePrincipalable) *resource {
	r := &resource{appID: deref(sp.GetAppId()), name: deref(sp.GetDisplayName()), roles: map[string]string{}}
	for _, role := range sp.GetAppRoles() {
		if id := role.GetId(); id != nil {
			r.roles[strings.ToLower(id.String())] = deref(role.GetValue())
		}
	}
	return r
}

var resourceSelect = []string{"id", "appId", "displayName", "appRoles", "oauth2PermissionScopes"}

// graphResource makes sure the tenant's Microsoft Graph service principal
// is cached (one call per tenant and Client).
func (c *Client) graphResource(ctx context.Context, t *tenantClient) error {
	rc := t.resources
	rc.mu.Lock()
	done := rc.graphID != ""
	rc.mu.Unlock()
	if done {
		return nil
	}
	_, err, _ := rc.group.Do("graph", func() (any, error) {
		rc.mu.Lock()
		done := rc.graphID != ""
		rc.mu.Unlock()
		if done {
			return nil, nil
		}
		sps, err := c.listServicePrincipals(ctx, "get microsoft graph service principal", t,
			"appId eq "+quoteOData(MicrosoftGraphAppID), resourceSelect)
		if err != nil {
			return nil, err
		}
		if len(sps) == 0 {
			return nil, &Error{Op: "get microsoft graph service principal", kind: ErrNotFound, Message: "no Microsoft Graph service principal in the tenant"}
		}
		rc.mu.Lock()
		defer rc.mu.Unlock()
		id := strings.ToLower(deref(sps[0].GetId()))
		rc.byID[id] = resourceFrom(sps[0])
		rc.graphID = id
		return nil, nil
	})
	return err
}

// resourceByID returns a resource service principal, fetching it once.
func (c *Client) resourceByID(ctx context.Context, t *tenantClient, id string) (*resource, error) {
	key := strings.ToLower(id)
	rc := t.resources
	rc.mu.Lock()
	r, ok := rc.byID[key]
	rc.mu.Unlock()
	if ok {
		return r, nil
	}
	v, err, _ := rc.group.Do("sp:"+key, func() (any, error) {
		const op = "get resource service principal"
		if err := checkID(op, "resource id", id); err != nil {
			return nil, err
		}
		var r *resource
		err := c.call(ctx, op, func(ctx context.Context) error {
			sp, err := t.sps.ByServicePrincipalId(id).Get(ctx, &serviceprincipals.ServicePrincipalItemRequestBuilderGetRequestConfiguration{
				QueryParameters: &serviceprincipals.ServicePrincipalItemRequestBuilderGetQueryParameters{Select: resourceSelect}})
			if err != nil {
				return err
			}
			r = resourceFrom(sp)
			return nil
		})
		if err != nil {
			return nil, err
		}
		rc.mu.Lock()
		rc.byID[key] = r
		rc.mu.Unlock()
		return r, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*resource), nil
}

// ServicePrincipalPermissions returns the delegated grants
// (/servicePrincipals/{id}/oauth2PermissionGrants) and application role
// assignments (/servicePrincipals/{id}/appRoleAssignments) of sp, with
// role IDs resolved to permission names through the resource service
// principals (Microsoft Graph's is fetched once per tenant and cached).
func (c *Client) ServicePrincipalPermissions(ctx context.Context, tenantID string, sp ServicePrincipal) ([]Permission, error) {
	const op = "list service principal permissions"
	if _, err := uuid.Parse(sp.ID); err != nil {
		return nil, badInput(op, "service principal id %q is not a GUID", sp.ID)
	}
	t, err := c.tenant(tenantID)
	if err != nil {
		return nil, err
	}
	if err := c.graphResource(ctx, t); err != nil {
		return nil, err
	}
	var (
		grants      []models.OAuth2PermissionGrantable
		assignments []models.AppRoleAssignmentable
	)
	item := t.sps.ByServicePrincipalId(sp.ID)
	err = c.pages(ctx, op, func(ctx context.Context, next string) (string, error) {
		b := item.Oauth2PermissionGrants()
		if next != "" {
			b = b.WithUrl(next)
		}
		res, err := b.Get(ctx, nil)
		if err != nil {
			return "", err
		}
		grants = append(grants, res.GetValue()...)
		return deref(res.GetOdataNextLink()), nil
	})
	if err != nil {
		return nil, err
	}
	err = c.pages(ctx, op, func(ctx context.Context, next string) (string, error) {
		b := item.AppRoleAssignments()
		if next != "" {
			b = b.WithUrl(next)
		}
		res, err := b.Get(ctx, nil)
		if err != nil {
			return "", err
		}
		assignments = append(assignments, res.GetValue()...)
		return deref(res.GetOdataNextLink()), nil
	})
	if err != nil {
		return nil, err
	}
	return c.resolvePermissions(ctx, t, grants, assignments)
}

// resolvePermissions turns SDK grants and assignments into named
// permissions.
func (c *Client) resolvePermissions(ctx context.Context, t *tenantClient, grants []models.OAuth2PermissionGrantable,
	assignments []models.AppRoleAssignmentable) ([]Permission, error) {
	gs := make([]wireGrant, 0, len(grants))
	for _, g := range grants {
		gs = append(gs, wireGrant{ResourceID: deref(g.GetResourceId()), ConsentType: deref(g.GetConsentType()), Scope: deref(g.GetScope())})
	}
	as := make([]wireAssignment, 0, len(assignments))
	for _, a := range assignments {
		if a.GetResourceId() == nil {
			continue
		}
		w := wireAssignment{ResourceID: a.GetResourceId().String()}
		if a.GetAppRoleId() != nil {
			w.AppRoleID = a.GetAppRoleId().String()
		}
		as = append(as, w)
	}
	return c.resolve(ctx, t, gs, as)
}

// resolve names the permissions of grants and assignments through their
// resource service principals, fetched once per tenant.
func (c *Client) resolve(ctx context.Context, t *tenantClient, grants []wireGrant, assignments []wireAssignment) ([]Permission, error) {
	type key struct {
		typ              PermissionType
		resourceID, name string
	}
	agg := map[key]*Permission{}
	var order []key
	add := func(k key, r *resource, all bool) {
		p, ok := agg[k]
		if !ok {
			p = &Permission{Type: k.typ, Name: k.name, Resource: r.name, ResourceAppID: r.appID}
			agg[k] = p
			order = append(order, k)
		}
		if all {
			p.AllPrincipals = true
		} else {
			p.Users++
		}
	}
	for _, g := range grants {
		r, err := c.resourceByID(ctx, t, g.ResourceID)
		if err != nil {
			return nil, err
		}
		all := strings.EqualFold(g.ConsentType, "AllPrincipals")
		for name := range strings.FieldsSeq(g.Scope) {
			add(key{Delegated, strings.ToLower(g.ResourceID), name}, r, all)
		}
	}
	for _, a := range assignments {
		if a.ResourceID == "" {
			continue
		}
		r, err := c.resourceByID(ctx, t, a.ResourceID)
		if err != nil {
			return nil, err
		}
		roleID := strings.ToLower(a.AppRoleID)
		name, ok := r.roles[roleID]
		switch {
		case roleID == uuid.Nil.String():
			name = "(default access)"
		case !ok || name == "":
			name = roleID
		}
		add(key{Application, strings.ToLower(a.ResourceID), name}, r, true)
	}
	out := make([]Permission, 0, len(order))
	for _, k := range order {
		out = append(out, *agg[k])
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Resource != b.Resource {
			return a.Resource < b.Resource
		}
		if a.Type != b.Type {
			return a.Type < b.Type
		}
		return a.Name < b.Name
	})
	return out, nil
}

// ServicePrincipalsWithPermissions is ServicePrincipalsByAppID followed by
// ServicePrincipalPermissions for each service principal found, run
// Config.Concurrency at a time: the audit's whole Entra fetch.
func (c *Client) ServicePrincipalsWithPermissions(ctx context.Context, tenantID string, appIDs []string) ([]ServicePrincipalPermissions, error) {
	sps, err := c.ServicePrincipalsByAppID(ctx, tenantID, appIDs)
	if err != nil {
		return nil, err
	}
	if len(sps) == 0 {
		return nil, nil
	}
	t, err := c.tenant(tenantID)
	if err != nil {
		return nil, err
	}
	if err := c.graphResource(ctx, t); err != nil {
		return nil, err
	}
	out := make([]ServicePrincipalPermissions, len(sps))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(c.cfg.Concurrency)
	for i, sp := range sps {
		g.Go(func() error {
			perms, err := c.ServicePrincipalPermissions(gctx, tenantID, sp)
			if err != nil {
				return err
			}
			out[i] = ServicePrincipalPermissions{ServicePrincipal: sp, Permissions: perms}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return out, nil
}
