package graphclient

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"slices"
	"strings"

	"github.com/google/uuid"
)

// wireSP is a service principal as Graph's JSON carries it.
type wireSP struct {
	ID                     string  `json:"id"`
	AppID                  string  `json:"appId"`
	DisplayName            string  `json:"displayName"`
	AppOwnerOrganizationID *string `json:"appOwnerOrganizationId"`
	AccountEnabled         *bool   `json:"accountEnabled"`
	AppRoles               []struct {
		ID    string `json:"id"`
		Value string `json:"value"`
	} `json:"appRoles"`
}

// wireGrant is the part of an oauth2PermissionGrant the audit reads.
type wireGrant struct {
	ResourceID  string `json:"resourceId"`
	ConsentType string `json:"consentType"`
	Scope       string `json:"scope"`
}

// wireAssignment is the part of an appRoleAssignment the audit reads.
type wireAssignment struct {
	AppRoleID  string `json:"appRoleId"`
	ResourceID string `json:"resourceId"`
}

func (w wireSP) servicePrincipal() ServicePrincipal {
	sp := ServicePrincipal{ID: w.ID, AppID: w.AppID, DisplayName: w.DisplayName}
	if w.AppOwnerOrganizationID != nil {
		sp.AppOwnerOrganizationID = *w.AppOwnerOrganizationID
	}
	if w.AccountEnabled != nil {
		sp.AccountEnabled = *w.AccountEnabled
	}
	return sp
}

func (w wireSP) resource() *resource {
	r := &resource{appID: w.AppID, name: w.DisplayName, roles: make(map[string]string, len(w.AppRoles))}
	for _, role := range w.AppRoles {
		r.roles[strings.ToLower(role.ID)] = role.Value
	}
	return r
}

// collection decodes a collection page into items and returns its
// @odata.nextLink.
func collection[T any](body []byte, items *[]T) (string, error) {
	var page struct {
		Value    []T    `json:"value"`
		NextLink string `json:"@odata.nextLink"`
	}
	if err := json.Unmarshal(body, &page); err != nil {
		return "", err
	}
	*items = append(*items, page.Value...)
	return page.NextLink, nil
}

// AuditServicePrincipals does what ServicePrincipalsWithPermissions does
// with far fewer calls, through JSON batching (POST /$batch, at most
// MaxBatchRequests requests each): one wave of service principal lookups
// ($filter=appId in (…), 15 values each), one wave of the delegated grants
// and app role assignments of every service principal found, and one wave
// for the resource service principals not cached yet; Config.Concurrency
// batches run at a time, @odata.nextLink pages and throttled requests
// (per request or per batch, Retry-After honoured up to
// Config.MaxRetryWait) go into the next wave. For 1,000 application IDs
// that is about 105 calls instead of about 2,070.
//
// Service principals deleted during the audit (404) are left out. When
// Graph refuses the delegated grants (403, Directory.Read.All not
// consented) the result still carries the application permissions, with
// DelegatedUnavailable set. Results follow the order of appIDs.
func (c *Client) AuditServicePrincipals(ctx context.Context, tenantID string, appIDs []string) ([]ServicePrincipalPermissions, error) {
	const op = "audit service principals"
	ids, err := distinctAppIDs(op, appIDs)
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	t, err := c.tenant(tenantID)
	if err != nil {
		return nil, err
	}
	if err := c.graphResource(ctx, t); err != nil {
		return nil, err
	}
	// Wave 1: the service principals of the application IDs.
	byApp, err := c.lookupServicePrincipals(ctx, op, t, ids)
	if err != nil {
		return nil, err
	}
	// Wave 2: the grants and assignments of each service principal.
	entries, err := c.readGrantsAndAssignments(ctx, op, t, ids, byApp)
	if err != nil {
		return nil, err
	}
	// Wave 3: resource service principals not cached yet.
	if err := c.fetchResources(ctx, op, t, entryResources(entries)); err != nil {
		return nil, err
	}
	out := make([]ServicePrincipalPermissions, 0, len(entries))
	for _, e := range entries {
		if e.gone {
			continue
		}
		perms, err := c.resolve(ctx, t, e.grants, e.assignments)
		if err != nil {
			return nil, err
		}
		out = append(out, ServicePrincipalPermissions{ServicePrincipal: e.sp.servicePrincipal(), Permissions: perms,
			DelegatedUnavailable: e.noDelegated})
	}
	return out, nil
}

// distinctAppIDs checks that every ID is a GUID and returns them without
// repeats (case-insensitive), in order.
func distinctAppIDs(op string, appIDs []string) ([]string, error) {
	var ids []string
	seen := map[string]bool{}
	for _, id := range appIDs {
		if _, err := uuid.Parse(id); err != nil {
			return nil, badInput(op, "app id %q is not a GUID", id)
		}
		if k := strings.ToLower(id); !seen[k] {
			seen[k] = true
			ids = append(ids, id)
		}
	}
	return ids, nil
}

// lookupServicePrincipals returns the service principals of the
// application IDs, by lower-cased app ID, maxInValues IDs a request.
func (c *Client) lookupServicePrincipals(ctx context.Context, op string, t *tenantClient, ids []string) (map[string]wireSP, error) {
	byApp := map[string]wireSP{}
	var lookups []*batchRequest
	for chunk := range slices.Chunk(ids, maxInValues) {
		quoted := make([]string, len(chunk))
		for i, id := range chunk {
			quoted[i] = quoteOData(id)
		}
		lookups = append(lookups, &batchRequest{
			url: relativeURL("/servicePrincipals",
				[2]string{"$filter", "appId in (" + strings.Join(quoted, ",") + ")"},
				[2]string{"$select", strings.Join(spSelect, ",")}),
			handle: func(body []byte) (string, error) {
				var sps []wireSP
				next, err := collection(body, &sps)
				for _, sp := range sps {
					byApp[strings.ToLower(sp.AppID)] = sp
				}
				return next, err
			},
		})
	}
	if err := c.runBatch(ctx, op, t, lookups); err != nil {
		return nil, err
	}
	return byApp, nil
}

// spEntry is a service principal being read, with its delegated grants
// and application permission assignments.
type spEntry struct {
	sp          wireSP
	grants      []wireGrant
	assignments []wireAssignment
	// noDelegated: Graph refused its delegated grants (403).
	noDelegated bool
	// gone: it was deleted during the read (404).
	gone bool
}

// readGrantsAndAssignments reads the delegated grants and application
// permission assignments of the service principal of each ID that has
// one, in the order of ids.
func (c *Client) readGrantsAndAssignments(ctx context.Context, op string, t *tenantClient, ids []string, byApp map[string]wireSP) ([]*spEntry, error) {
	var entries []*spEntry
	var reqs []*batchRequest
	for _, id := range ids {
		sp, ok := byApp[strings.ToLower(id)]
		if !ok {
			continue
		}
		if _, err := uuid.Parse(sp.ID); err != nil {
			return nil, &Error{Op: op, kind: ErrTransport, Message: "service principal with an invalid id"}
		}
		e := &spEntry{sp: sp}
		entries = append(entries, e)
		base := "/servicePrincipals/" + url.PathEscape(sp.ID)
		reqs = append(reqs,
			&batchRequest{
				url:    base + "/oauth2PermissionGrants",
				handle: func(body []byte) (string, error) { return collection(body, &e.grants) },
				fail: func(err *Error) error {
					if errors.Is(err, ErrForbidden) {
						e.noDelegated = true
						return nil
					}
					return e.goneOn(err)
				},
			},
			&batchRequest{
				url:    base + "/appRoleAssignments",
				handle: func(body []byte) (string, error) { return collection(body, &e.assignments) },
				fail:   e.goneOn,
			})
	}
	if err := c.runBatch(ctx, op, t, reqs); err != nil {
		return nil, err
	}
	return entries, nil
}

// goneOn marks the entry gone on a 404 (and swallows it); it returns any
// other error.
func (e *spEntry) goneOn(err *Error) error {
	if errors.Is(err, ErrNotFound) {
		e.gone = true
		return nil
	}
	return err
}

// entryResources yields the resource IDs of the entries' grants and
// assignments.
func entryResources(entries []*spEntry) func(yield func(string)) {
	return func(yield func(string)) {
		for _, e := range entries {
			for _, g := range e.grants {
				yield(g.ResourceID)
			}
			for _, a := range e.assignments {
				yield(a.ResourceID)
			}
		}
	}
}

// fetchResources caches, in one batched wave, the resource service
// principals named by ids that the tenant's cache lacks. A resource that
// no longer exists is cached under a placeholder name, so that one stale
// grant does not fail a whole audit.
func (c *Client) fetchResources(ctx context.Context, op string, t *tenantClient, ids func(yield func(string))) error {
	rc := t.resources
	seen := map[string]bool{}
	var reqs []*batchRequest
	rc.mu.Lock()
	ids(func(id string) {
		key := strings.ToLower(id)
		if id == "" || seen[key] {
			return
		}
		seen[key] = true
		if _, ok := rc.byID[key]; ok {
			return
		}
		if _, err := uuid.Parse(id); err != nil {
			return // resourceByID reports it
		}
		reqs = append(reqs, &batchRequest{
			url: relativeURL("/servicePrincipals/"+url.PathEscape(id), [2]string{"$select", strings.Join(resourceSelect, ",")}),
			handle: func(body []byte) (string, error) {
				var sp wireSP
				if err := json.Unmarshal(body, &sp); err != nil {
					return "", err
				}
				rc.mu.Lock()
				rc.byID[key] = sp.resource()
				rc.mu.Unlock()
				return "", nil
			},
			fail: func(err *Error) error {
				if !errors.Is(err, ErrNotFound) {
					return err
				}
				rc.mu.Lock()
				rc.byID[key] = &resource{name: "Deleted resource " + id, roles: map[string]string{}}
				rc.mu.Unlock()
				return nil
			},
		})
	})
	rc.mu.Unlock()
	if len(reqs) == 0 {
		return nil
	}
	return c.runBatch(ctx, op, t, reqs)
}
