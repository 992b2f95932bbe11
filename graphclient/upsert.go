package graphclient

import (
	"context"
	"errors"
	"fmt"
)

// PublishOrUpdate uploads an app package to the tenant's app catalog, or
// updates the app whose manifest ID is externalID when the catalog has it
// already; updated says which.
func (c *Client) PublishOrUpdate(ctx context.Context, tenantID, externalID string, zip []byte, opts PublishOptions) (app CatalogApp, updated bool, err error) {
	existing, err := c.FindAppByExternalID(ctx, tenantID, externalID)
	switch {
	case err == nil:
		app, err = c.UpdateApp(ctx, tenantID, existing.ID, zip, opts)
		if err != nil {
			return CatalogApp{}, false, fmt.Errorf("update %s in the app catalog: %w", existing.ID, err)
		}
		return app, true, nil
	case errors.Is(err, ErrNotFound):
		app, err = c.PublishApp(ctx, tenantID, zip, opts)
		if err != nil {
			return CatalogApp{}, false, fmt.Errorf("publish to the app catalog: %w", err)
		}
		return app, false, nil
	}
	return CatalogApp{}, false, fmt.Errorf("look up the app catalog: %w", err)
}
