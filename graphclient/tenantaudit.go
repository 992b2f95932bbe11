package graphclient

import (
	"context"
	"errors"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"
)

// microsoftOwners are the tenants that register Microsoft's first-party
// applications (appOwnerOrganizationId of their service principals):
// Microsoft Services and Microsoft's corporate tenant.
var microsoftOwners = map[string]bool{
	"f8cdef31-a31e-4b4a-93e4-5f571e91255a": true,
	"72f988bf-86f1-41af-91ab-2d7cd011db47": true,
}

// IsMicrosoftOwned reports whether a service principal's application is
// one of Microsoft's own (registered in a Microsoft tenant).
func IsMicrosoftOwned(sp ServicePrincipal) bool {
	return microsoftOwners[strings.ToLower(sp.AppOwnerOrganizationID)]
}

// TenantPrincipals is what a tenant granted the applications it uses.
type TenantPrincipals struct {
	// Principals are the service principals of applications not owned by
	// Microsoft that hold at least one delegated grant or application
	// permission, in the order Graph listed them, each with its
	// permissions.
	Principals []ServicePrincipalPermissions
	// Listed counts every service principal of the tenant; MicrosoftOwned
	// those of Microsoft's first-party applications, left out.
	Listed, MicrosoftOwned int
	// DelegatedUnavailable is set when Graph refused to list the delegated
	// grants (403: Directory.Read.All not consented); Principals then
	// hold application permissions only.
	DelegatedUnavailable bool
}

// wireTenantGrant is a delegated grant of the tenant-wide listing.
type wireTenantGrant struct {
	wireGrant
	ClientID string `json:"clientId"`
}

// TenantServicePrincipals reads what tenantID granted the applications it
// uses, starting from its service principals rather than from a list of
// apps: one wave of two listings (GET /servicePrincipals, every page, with
// Application.Read.All; GET /oauth2PermissionGrants, every delegated grant
// of the tenant, with Directory.Read.All), one wave of
// GET /servicePrincipals/{id}/appRoleAssignments for each service
// principal not owned by Microsoft (Application.Read.All), and one wave for
// the resource service principals not cached yet, all through JSON
// batching (Config.Concurrency batches at a time).
//
// Microsoft's first-party service principals are counted and left out: the
// compliance records are about other publishers' apps. A service principal
// deleted during the read is left out; when the delegated grants are
// refused (403), the result says so and carries application permissions.
func (c *Client) TenantServicePrincipals(ctx context.Context, tenantID string) (TenantPrincipals, error) {
	const op = "read tenant service principals"
	var out TenantPrincipals
	if tenantID == "" {
		return out, badInput(op, "tenant ID is required")
	}
	t, err := c.tenant(tenantID)
	if err != nil {
		return out, err
	}
	// Wave 1: every service principal and every delegated grant.
	sps, grants, err := c.listTenantGrants(ctx, op, t, &out)
	if err != nil {
		return out, err
	}
	out.Listed = len(sps)
	// Wave 2: the application permissions of the others' principals.
	entries, err := c.readOthersAssignments(ctx, op, t, sps, grants, &out)
	if err != nil {
		return out, err
	}
	// Wave 3: the resources named by those grants and assignments.
	if err := c.fetchResources(ctx, op, t, entryResources(entries)); err != nil {
		return out, err
	}
	for _, e := range entries {
		if e.gone || (len(e.grants) == 0 && len(e.assignments) == 0) {
			continue
		}
		perms, err := c.resolve(ctx, t, e.grants, e.assignments)
		if err != nil {
			return out, err
		}
		out.Principals = append(out.Principals, ServicePrincipalPermissions{ServicePrincipal: e.sp.servicePrincipal(),
			Permissions: perms, DelegatedUnavailable: out.DelegatedUnavailable})
	}
	return out, nil
}

// listTenantGrants lists every service principal of the tenant and every
// delegated grant, by lower-cased client service principal ID; a 403 on
// the grants sets out.DelegatedUnavailable.
func (c *Client) listTenantGrants(ctx context.Context, op string, t *tenantClient, out *TenantPrincipals) ([]wireSP, map[string][]wireGrant, error) {
	var sps []wireSP
	grants := map[string][]wireGrant{} // client SP object ID → grants
	err := c.runBatch(ctx, op, t, []*batchRequest{
		{
			url: relativeURL("/servicePrincipals", [2]string{"$select", strings.Join(spSelect, ",")},
				[2]string{"$top", "999"}),
			handle: func(body []byte) (string, error) { return collection(body, &sps) },
		},
		{
			url: "/oauth2PermissionGrants",
			handle: func(body []byte) (string, error) {
				var page []wireTenantGrant
				next, err := collection(body, &page)
				for _, g := range page {
					k := strings.ToLower(g.ClientID)
					grants[k] = append(grants[k], g.wireGrant)
				}
				return next, err
			},
			fail: func(err *Error) error {
				if errors.Is(err, ErrForbidden) {
					out.DelegatedUnavailable = true
					return nil
				}
				return err
			},
		},
	})
	if err != nil {
		return nil, nil, err
	}
	return sps, grants, nil
}

// readOthersAssignments reads the application permission assignments of
// each service principal not owned by Microsoft (counted in
// out.MicrosoftOwned and left out), with its delegated grants from grants.
func (c *Client) readOthersAssignments(ctx context.Context, op string, t *tenantClient, sps []wireSP, grants map[string][]wireGrant, out *TenantPrincipals) ([]*spEntry, error) {
	var entries []*spEntry
	var reqs []*batchRequest
	for _, sp := range sps {
		if IsMicrosoftOwned(sp.servicePrincipal()) {
			out.MicrosoftOwned++
			continue
		}
		if _, err := uuid.Parse(sp.ID); err != nil {
			return nil, &Error{Op: op, kind: ErrTransport, Message: "service principal with an invalid id"}
		}
		e := &spEntry{sp: sp, grants: grants[strings.ToLower(sp.ID)]}
		entries = append(entries, e)
		reqs = append(reqs, &batchRequest{
			url:    "/servicePrincipals/" + url.PathEscape(sp.ID) + "/appRoleAssignments",
			handle: func(body []byte) (string, error) { return collection(body, &e.assignments) },
			fail:   e.goneOn,
		})
	}
	if err := c.runBatch(ctx, op, t, reqs); err != nil {
		return nil, err
	}
	return entries, nil
}

// wireTeamsApp is a catalog app as Graph's JSON carries it.
type wireTeamsApp struct {
	ID                 string `json:"id"`
	ExternalID         string `json:"externalId"`
	DisplayName        string `json:"displayName"`
	DistributionMethod string `json:"distributionMethod"`
	AppDefinitions     []struct {
		Version              string     `json:"version"`
		PublishingState      string     `json:"publishingState"`
		LastModifiedDateTime *time.Time `json:"lastModifiedDateTime"`
		Authorization        *struct {
			ClientAppID string `json:"clientAppId"`
		} `json:"authorization"`
	} `json:"appDefinitions"`
}

func (w wireTeamsApp) catalogApp() CatalogApp {
	out := CatalogApp{ID: w.ID, ExternalID: w.ExternalID, DisplayName: w.DisplayName, DistributionMethod: w.DistributionMethod}
	defs := w.AppDefinitions
	if len(defs) == 0 {
		return out
	}
	idx := make([]int, len(defs))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(i, j int) bool {
		ti, tj := defs[idx[i]].LastModifiedDateTime, defs[idx[j]].LastModifiedDateTime
		return ti != nil && tj != nil && ti.Before(*tj)
	})
	newest := defs[idx[len(idx)-1]]
	out.Version, out.PublishingState = newest.Version, newest.PublishingState
	if newest.Authorization != nil {
		out.ClientAppID = newest.Authorization.ClientAppID
	}
	return out
}

// CatalogAppsByID returns the catalog entries of the given teamsApp IDs
// (for store apps, their store GUIDs) that tenantID's catalog lists, with
// their definitions: one GET /appCatalogs/teamsApps?$filter=id eq '…'
// per ID, batched (AppCatalog.Read.All). IDs the catalog does not list
// are absent from the result; duplicates are read once.
func (c *Client) CatalogAppsByID(ctx context.Context, tenantID string, ids []string) ([]CatalogApp, error) {
	const op = "find catalog apps"
	if tenantID == "" {
		return nil, badInput(op, "tenant ID is required")
	}
	t, err := c.tenant(tenantID)
	if err != nil {
		return nil, err
	}
	var out []CatalogApp
	seen := map[string]bool{}
	var reqs []*batchRequest
	for _, id := range ids {
		if err := checkID(op, "teams app id", id); err != nil {
			return nil, err
		}
		if seen[strings.ToLower(id)] {
			continue
		}
		seen[strings.ToLower(id)] = true
		reqs = append(reqs, &batchRequest{
			url: relativeURL("/appCatalogs/teamsApps", [2]string{"$filter", "id eq " + quoteOData(id)},
				[2]string{"$expand", "appDefinitions"}),
			handle: func(body []byte) (string, error) {
				var apps []wireTeamsApp
				next, err := collection(body, &apps)
				for _, a := range apps {
					out = append(out, a.catalogApp())
				}
				return next, err
			},
		})
	}
	if err := c.runBatch(ctx, op, t, reqs); err != nil {
		return nil, err
	}
	return out, nil
}
