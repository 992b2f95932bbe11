package app

import (
	"context"
	"fmt"
	"time"

	"github.com/attestbot/attestbot/audit"
	"github.com/attestbot/attestbot/chat"
	"github.com/attestbot/attestbot/graphclient"
	"github.com/attestbot/attestbot/sample"
	"github.com/attestbot/attestbot/store"
)

// auditGraph adapts graphclient to the audit's Graph: the organization
// apps, the store apps in use and the service principals holding grants.
type auditGraph struct{ gc *graphclient.Client }

// NewAuditGraph returns the audit's view of gc.
func NewAuditGraph(gc *graphclient.Client) audit.Graph { return auditGraph{gc: gc} }

func auditApps(apps []graphclient.CatalogApp) []audit.CatalogApp {
	out := make([]audit.CatalogApp, len(apps))
	for i, a := range apps {
		out[i] = audit.CatalogApp{ID: a.ID, ExternalID: a.ExternalID, DisplayName: a.DisplayName,
			DistributionMethod: a.DistributionMethod, Version: a.Version, PublishingState: a.PublishingState, ClientAppID: a.ClientAppID}
	}
	return out
}

// OrganizationApps implements audit.Graph.
func (g auditGraph) OrganizationApps(ctx context.Context, tenantID string) ([]audit.CatalogApp, error) {
	apps, err := g.gc.ListOrganizationApps(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	return auditApps(apps), nil
}

// StoreApps implements audit.Graph.
func (g auditGraph) StoreApps(ctx context.Context, tenantID string, ids []string) ([]audit.CatalogApp, error) {
	apps, err := g.gc.CatalogAppsByID(ctx, tenantID, ids)
	if err != nil {
		return nil, err
	}
	return auditApps(apps), nil
}

// ServicePrincipals implements audit.Graph through $batch.
func (g auditGraph) ServicePrincipals(ctx context.Context, tenantID string) ([]audit.ServicePrincipal, error) {
	tp, err := g.gc.TenantServicePrincipals(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	out := make([]audit.ServicePrincipal, len(tp.Principals))
	for i, sp := range tp.Principals {
		o := audit.ServicePrincipal{ID: sp.ID, AppID: sp.AppID, DisplayName: sp.DisplayName,
			DelegatedUnavailable: sp.DelegatedUnavailable, Grants: make([]audit.Grant, len(sp.Permissions))}
		for k, p := range sp.Permissions {
			typ := audit.Delegated
			if p.Type == graphclient.Application {
				typ = audit.Application
			}
			o.Grants[k] = audit.Grant{Name: p.Name, Type: typ, Resource: p.Resource, ResourceAppID: p.ResourceAppID,
				AllPrincipals: p.AllPrincipals, Users: p.Users}
		}
		out[i] = o
	}
	return out, nil
}

// AuditFailure explains a Graph failure of the audit: the consent it
// lacks, or how long Graph asked to wait.
func AuditFailure(err error) error {
	switch audit.Reason(err) {
	case graphclient.ReasonForbidden, graphclient.ReasonUnauthorized:
		return fmt.Errorf("%w\nthe app registration needs admin consent for the Graph application permissions "+
			"AppCatalog.Read.All and Application.Read.All (Directory.Read.All to compare delegated grants)", err)
	case graphclient.ReasonThrottled:
		return fmt.Errorf("%w\nMicrosoft Graph is throttling this app: try again in %s", err, max(audit.RetryAfter(err), time.Second))
	}
	return err
}

// AuditCatalog loads the records the audit command reads: the store's, or
// the bundled sample when the store is empty (sampled says so).
func AuditCatalog(ctx context.Context, st store.Store) (cat *chat.Catalog, sampled bool, err error) {
	n, err := st.CountRecords(ctx)
	if err != nil {
		return nil, false, fmt.Errorf("count records: %w", err)
	}
	var src chat.RecordSource = st
	if n == 0 {
		recs, err := sample.ParseRecords()
		if err != nil {
			return nil, false, err
		}
		src, sampled = recs, true
	}
	cat = chat.NewCatalog(src)
	if _, err := cat.Reload(ctx); err != nil {
		return nil, false, err
	}
	return cat, sampled, nil
}
