package graphclient

import (
	"context"
	"errors"
	"net/url"
	"sort"

	abs "github.com/microsoft/kiota-abstractions-go"
	"github.com/microsoft/kiota-abstractions-go/serialization"
	"github.com/microsoftgraph/msgraph-sdk-go/appcatalogs"
	"github.com/microsoftgraph/msgraph-sdk-go/models"
	"github.com/microsoftgraph/msgraph-sdk-go/models/odataerrors"
	"github.com/microsoftgraph/msgraph-sdk-go/users"
)

// InstallForUser installs the catalog app teamsAppID (the catalog ID, not
// the manifest ID) in userID's personal scope:
// POST /users/{userID}/teamwork/installedApps (201). An app that is already
// installed (409) counts as success.
func (c *Client) InstallForUser(ctx context.Context, tenantID, userID, teamsAppID string) error {
	const op = "install teams app"
	if err := checkID(op, "user id", userID); err != nil {
		return err
	}
	if err := checkID(op, "teams app id", teamsAppID); err != nil {
		return err
	}
	t, err := c.tenant(tenantID)
	if err != nil {
		return err
	}
	inst := models.NewUserScopeTeamsAppInstallation()
	inst.SetAdditionalData(map[string]any{
		"teamsApp@odata.bind": c.graphURL + "/v1.0/appCatalogs/teamsApps/" + url.PathEscape(teamsAppID),
	})
	err = c.call(ctx, op, func(ctx context.Context) error {
		_, err := t.users.ByUserId(userID).Teamwork().InstalledApps().Post(ctx, inst, nil)
		return err
	})
	if errors.Is(err, ErrConflict) {
		return nil
	}
	return err
}

// InstalledForUser reports whether the catalog app teamsAppID is installed
// in userID's personal scope:
// GET /users/{userID}/teamwork/installedApps?$filter=teamsApp/id eq '…'.
func (c *Client) InstalledForUser(ctx context.Context, tenantID, userID, teamsAppID string) (bool, error) {
	const op = "list installed apps"
	if err := checkID(op, "user id", userID); err != nil {
		return false, err
	}
	if err := checkID(op, "teams app id", teamsAppID); err != nil {
		return false, err
	}
	t, err := c.tenant(tenantID)
	if err != nil {
		return false, err
	}
	filter := "teamsApp/id eq " + quoteOData(teamsAppID)
	var found bool
	err = c.call(ctx, op, func(ctx context.Context) error {
		res, err := t.users.ByUserId(userID).Teamwork().InstalledApps().Get(ctx,
			&users.ItemTeamworkInstalledAppsRequestBuilderGetRequestConfiguration{
				QueryParameters: &users.ItemTeamworkInstalledAppsRequestBuilderGetQueryParameters{
					Filter: &filter, Expand: []string{"teamsApp"}}})
		if err != nil {
			return err
		}
		for _, in := range res.GetValue() {
			if app := in.GetTeamsApp(); app == nil || deref(app.GetId()) == teamsAppID {
				found = true // the filter matched; the expansion is a check
			}
		}
		return nil
	})
	return found, err
}

// CatalogApp is an app of a tenant's Teams app catalog.
type CatalogApp struct {
	// ID is the catalog ID (teamsApp id), used to install the app and in
	// entityUrl topics.
	ID string
	// ExternalID is the manifest id (organization apps only).
	ExternalID string
	// DisplayName is the app name.
	DisplayName string
	// DistributionMethod is "organization", "store" or "sideloaded".
	DistributionMethod string
	// Version is the manifest version of the newest app definition.
	Version string
	// PublishingState of the newest definition: "published", "submitted"
	// (awaiting admin review) or "rejected".
	PublishingState string
	// ClientAppID is the Entra app ID of the newest definition
	// (authorization.clientAppId, from the manifest's webApplicationInfo),
	// when the app has one: the join key to its service principal.
	ClientAppID string
}

// PublishOptions are the options of PublishApp and UpdateApp.
type PublishOptions struct {
	// RequiresReview submits the app for an admin's review instead of
	// publishing it (needs only AppCatalog.Submit).
	RequiresReview bool
}

// catalogAppFrom converts an SDK teamsApp; the newest definition (by
// lastModifiedDateTime, else the last listed) gives Version and state.
func catalogAppFrom(a models.TeamsAppable) CatalogApp {
	out := CatalogApp{ID: deref(a.GetId()), ExternalID: deref(a.GetExternalId()), DisplayName: deref(a.GetDisplayName())}
	if d := a.GetDistributionMethod(); d != nil {
		out.DistributionMethod = d.String()
	}
	defs := a.GetAppDefinitions()
	if len(defs) == 0 {
		return out
	}
	sorted := append([]models.TeamsAppDefinitionable(nil), defs...)
	sort.SliceStable(sorted, func(i, j int) bool {
		ti, tj := sorted[i].GetLastModifiedDateTime(), sorted[j].GetLastModifiedDateTime()
		return ti != nil && tj != nil && ti.Before(*tj)
	})
	newest := sorted[len(sorted)-1]
	out.Version = deref(newest.GetVersion())
	if s := newest.GetPublishingState(); s != nil {
		out.PublishingState = s.String()
	}
	if a := newest.GetAuthorization(); a != nil {
		out.ClientAppID = deref(a.GetClientAppId())
	}
	return out
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// listCatalog pages through GET /appCatalogs/teamsApps with filter.
func (c *Client) listCatalog(ctx context.Context, op, tenantID string, filter *string) ([]CatalogApp, error) {
	t, err := c.tenant(tenantID)
	if err != nil {
		return nil, err
	}
	var out []CatalogApp
	cfg := &appcatalogs.TeamsAppsRequestBuilderGetRequestConfiguration{
		QueryParameters: &appcatalogs.TeamsAppsRequestBuilderGetQueryParameters{Filter: filter, Expand: []string{"appDefinitions"}}}
	err = c.pages(ctx, op, func(ctx context.Context, next string) (string, error) {
		var (
			res models.TeamsAppCollectionResponseable
			err error
		)
		if next == "" {
			res, err = t.catalogs.TeamsApps().Get(ctx, cfg)
		} else {
			res, err = t.catalogs.TeamsApps().WithUrl(next).Get(ctx, nil)
		}
		if err != nil {
			return "", err
		}
		for _, a := range res.GetValue() {
			out = append(out, catalogAppFrom(a))
		}
		return deref(res.GetOdataNextLink()), nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// pages runs fetch for each page of a collection: fetch gets the
// @odata.nextLink of the previous page ("" for the first) and returns the
// next one. Each page is one call (with its retries); a nextLink to
// another host is refused.
func (c *Client) pages(ctx context.Context, op string, fetch func(ctx context.Context, next string) (string, error)) error {
	next := ""
	for {
		err := c.call(ctx, op, func(ctx context.Context) error {
			n, err := fetch(ctx, next)
			if err != nil {
				return err
			}
			next = n
			return nil
		})
		if err != nil {
			return err
		}
		if next == "" {
			return nil
		}
		if err := c.checkNextLink(op, next); err != nil {
			return err
		}
	}
}

// checkNextLink refuses an @odata.nextLink to another host, which would
// otherwise receive the tenant's token.
func (c *Client) checkNextLink(op, next string) error {
	u, err := url.Parse(next)
	if err != nil || u.Scheme+"://"+u.Host != c.graphURL {
		return &Error{Op: op, kind: ErrTransport, Message: "refusing @odata.nextLink to another host"}
	}
	return nil
}

// ListCatalogApps lists every app of tenantID's Teams app catalog (store,
// organization and sideloaded), following @odata.nextLink.
func (c *Client) ListCatalogApps(ctx context.Context, tenantID string) ([]CatalogApp, error) {
	return c.listCatalog(ctx, "list catalog apps", tenantID, nil)
}

// ListOrganizationApps lists the apps of tenantID's own catalog
// (GET /appCatalogs/teamsApps?$filter=distributionMethod eq 'organization'
// with their definitions), following @odata.nextLink: the custom apps the
// tenant uploaded, without the thousands of store apps the unfiltered
// listing returns. AppCatalog.Read.All.
func (c *Client) ListOrganizationApps(ctx context.Context, tenantID string) ([]CatalogApp, error) {
	f := "distributionMethod eq 'organization'"
	return c.listCatalog(ctx, "list organization apps", tenantID, &f)
}

// FindAppByExternalID returns the organization catalog app whose manifest
// id is externalID, or an error wrapping ErrNotFound.
func (c *Client) FindAppByExternalID(ctx context.Context, tenantID, externalID string) (CatalogApp, error) {
	const op = "find catalog app"
	if err := checkID(op, "external id", externalID); err != nil {
		return CatalogApp{}, err
	}
	f := "externalId eq " + quoteOData(externalID) + " and distributionMethod eq 'organization'"
	apps, err := c.listCatalog(ctx, op, tenantID, &f)
	if err != nil {
		return CatalogApp{}, err
	}
	for _, a := range apps {
		if a.ExternalID == externalID {
			return a, nil
		}
	}
	return CatalogApp{}, &Error{Op: op, kind: ErrNotFound, Message: "no organization app with external id " + externalID}
}

// PublishApp publishes an app package (the zip) to the tenant app catalog:
// POST /appCatalogs/teamsApps with Content-Type application/zip (201).
// Graph has no application permission for this: build the Client with a
// [*DeviceCodeCredential]. tenantID may be empty (the signed-in user's
// tenant). An app with the same manifest id already in the catalog gives
// ErrConflict: use UpdateApp.
func (c *Client) PublishApp(ctx context.Context, tenantID string, zip []byte, opts PublishOptions) (CatalogApp, error) {
	const op = "publish catalog app"
	u := c.graphURL + "/v1.0/appCatalogs/teamsApps"
	if opts.RequiresReview {
		u += "?requiresReview=true"
	}
	var out CatalogApp
	err := c.postZip(ctx, op, tenantID, u, zip, models.CreateTeamsAppFromDiscriminatorValue, func(p any) {
		if a, ok := p.(models.TeamsAppable); ok {
			out = catalogAppFrom(a)
		}
	})
	return out, err
}

// UpdateApp uploads a new version of the catalog app appID:
// POST /appCatalogs/teamsApps/{appID}/appDefinitions with the zip (201).
// The result carries the new definition's version and publishing state.
func (c *Client) UpdateApp(ctx context.Context, tenantID, appID string, zip []byte, opts PublishOptions) (CatalogApp, error) {
	const op = "update catalog app"
	if err := checkID(op, "teams app id", appID); err != nil {
		return CatalogApp{}, err
	}
	u := c.graphURL + "/v1.0/appCatalogs/teamsApps/" + url.PathEscape(appID) + "/appDefinitions"
	if opts.RequiresReview {
		u += "?requiresReview=true"
	}
	out := CatalogApp{ID: appID, DistributionMethod: "organization"}
	err := c.postZip(ctx, op, tenantID, u, zip, models.CreateTeamsAppDefinitionFromDiscriminatorValue, func(p any) {
		if d, ok := p.(models.TeamsAppDefinitionable); ok {
			out.DisplayName = deref(d.GetDisplayName())
			out.Version = deref(d.GetVersion())
			if s := d.GetPublishingState(); s != nil {
				out.PublishingState = s.String()
			}
			if id := deref(d.GetTeamsAppId()); id != "" {
				out.ID = id
			}
		}
	})
	return out, err
}

// postZip sends an app package through the SDK request adapter (the
// generated builders only take JSON models).
func (c *Client) postZip(ctx context.Context, op, tenantID, rawURL string, zip []byte,
	factory serialization.ParsableFactory, done func(any)) error {
	if len(zip) == 0 {
		return badInput(op, "app package is empty")
	}
	t, err := c.tenant(tenantID)
	if err != nil {
		return err
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return badInput(op, "bad url: %v", err)
	}
	return c.call(ctx, op, func(ctx context.Context) error {
		ri := abs.NewRequestInformation()
		ri.Method = abs.POST
		ri.SetUri(*u)
		ri.Headers.TryAdd("Accept", "application/json")
		ri.SetStreamContentAndContentType(zip, "application/zip")
		res, err := t.adapter.Send(ctx, ri, factory, abs.ErrorMappings{"XXX": odataerrors.CreateODataErrorFromDiscriminatorValue})
		if err != nil {
			return err
		}
		if res != nil {
			done(res)
		}
		return nil
	})
}
