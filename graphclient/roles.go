package graphclient

import (
	"context"
	"net/url"
	"strings"

	abs "github.com/microsoft/kiota-abstractions-go"
	"github.com/microsoftgraph/msgraph-sdk-go/models/odataerrors"

	"github.com/attestbot/attestbot/internal/logtext"

	"github.com/google/uuid"
)

// wireRoleAssignment is the part of a unifiedRoleAssignment read here.
type wireRoleAssignment struct {
	RoleDefinitionID string `json:"roleDefinitionId"`
	DirectoryScopeID string `json:"directoryScopeId"`
}

// UserDirectoryRoles returns the role definition IDs (for built-in roles,
// their template IDs, lower-cased) of the directory roles assigned to the
// user userID over the whole tenant (directory scope "/"):
// GET /roleManagement/directory/roleAssignments?$filter=principalId eq '…'
// with the application permission RoleManagement.Read.Directory.
//
// Only the user's own active assignments are seen: a role held through a
// role-assignable group, or eligible but not activated in Privileged
// Identity Management, is not (Graph v1.0 has no transitive listing), and
// a role scoped to an administrative unit or an application does not
// count. tenantID must be a specific tenant: the roles of one tenant say
// nothing about another.
func (c *Client) UserDirectoryRoles(ctx context.Context, tenantID, userID string) ([]string, error) {
	const op = "list directory role assignments"
	if tenantID == "" {
		return nil, badInput(op, "tenant ID is required")
	}
	if _, err := uuid.Parse(userID); err != nil || len(userID) != 36 {
		return nil, badInput(op, "user id %q is not an Entra object ID", logtext.Bytes(userID, 64))
	}
	t, err := c.tenant(tenantID)
	if err != nil {
		return nil, err
	}
	first := c.graphURL + "/v1.0" + relativeURL("/roleManagement/directory/roleAssignments",
		[2]string{"$filter", "principalId eq " + quoteOData(strings.ToLower(userID))},
		[2]string{"$select", "id,roleDefinitionId,directoryScopeId"})
	var out []string
	seen := map[string]bool{}
	err = c.getPages(ctx, op, t, first, func(body []byte) (string, error) {
		var items []wireRoleAssignment
		next, err := collection(body, &items)
		for _, a := range items {
			id := strings.ToLower(a.RoleDefinitionID)
			if a.DirectoryScopeID == "/" && id != "" && !seen[id] {
				seen[id] = true
				out = append(out, id)
			}
		}
		return next, err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// getPages GETs rawURL and each @odata.nextLink after it through the
// tenant's request adapter, handing every JSON page to handle (which
// returns the page's nextLink).
func (c *Client) getPages(ctx context.Context, op string, t *tenantClient, rawURL string, handle func(body []byte) (string, error)) error {
	next := rawURL
	for next != "" {
		u, err := url.Parse(next)
		if err != nil {
			return badInput(op, "bad url: %v", err)
		}
		var page string
		err = c.call(ctx, op, func(ctx context.Context) error {
			ri := abs.NewRequestInformation()
			ri.Method = abs.GET
			ri.SetUri(*u)
			ri.Headers.TryAdd("Accept", "application/json")
			res, err := t.adapter.SendPrimitive(ctx, ri, "[]byte", abs.ErrorMappings{"XXX": odataerrors.CreateODataErrorFromDiscriminatorValue})
			if err != nil {
				return err
			}
			body, _ := res.([]byte)
			n, err := handle(body)
			if err != nil {
				return &Error{Op: op, kind: ErrTransport, Message: "unreadable response", cause: err}
			}
			page = n
			return nil
		})
		if err != nil {
			return err
		}
		if page != "" {
			if err := c.checkNextLink(op, page); err != nil {
				return err
			}
		}
		next = page
	}
	return nil
}
