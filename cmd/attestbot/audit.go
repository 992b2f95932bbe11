package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/audit"
	"github.com/attestbot/attestbot/chat"
	"github.com/attestbot/attestbot/graphclient"
	"github.com/attestbot/attestbot/sample"
)

// auditGraph adapts graphclient to the audit's Graph: the organization
// apps, the store apps in use and the service principals holding grants.
type auditGraph struct{ gc *graphclient.Client }

// newAuditGraph returns the audit's view of gc.
func newAuditGraph(gc *graphclient.Client) audit.Graph { return auditGraph{gc: gc} }

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

// memRecords is a RecordSource over records in memory.
type memRecords []*attestation.Record

// Records implements chat.RecordSource.
func (m memRecords) Records(_ context.Context, fn func(*attestation.Record) error) error {
	for _, r := range m {
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

// sampleRecords parses the bundled sample pages.
func sampleRecords() (memRecords, error) {
	var recs memRecords
	for _, p := range sample.CurrentPages() {
		data, err := fs.ReadFile(sample.FS(), p)
		if err != nil {
			return nil, err
		}
		r, err := attestation.Parse(p, data)
		if errors.Is(err, attestation.ErrNotPage) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("sample page %s: %w", p, err)
		}
		recs = append(recs, r)
	}
	attestation.Reconcile(recs)
	return recs, nil
}

// newAuditCmd audits a tenant's Teams apps against their compliance
// records, through Graph with the bot's app-only credentials.
func newAuditCmd(a *app) *cobra.Command {
	var tenant, storeURL, locale string
	var asJSON bool
	var top int
	cmd := &cobra.Command{
		Use:   "audit --tenant ID [--json]",
		Short: "Audit a tenant's Teams apps against their compliance records and granted Graph permissions",
		Long: "audit reads, through Microsoft Graph (app-only, with the bot's credentials), the tenant's own Teams apps and its " +
			"service principals holding grants, matches each app to its compliance record (by Teams app ID or Entra app ID), " +
			"and compares the Graph permissions the tenant granted each app with what its publisher attested. It prints the " +
			"counts and the riskiest apps first, or with --json the whole audit.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if tenant == "" {
				tenant = a.cfg.Credentials.TenantID
			}
			if tenant == "" {
				return errors.New("--tenant (or MicrosoftAppTenantId) is required: the tenant to audit")
			}
			cat, err := auditCatalog(ctx, a, storeURL)
			if err != nil {
				return err
			}
			gc, err := appGraphClient(a, tenant)
			if err != nil {
				return err
			}
			svc := audit.New(newAuditGraph(gc), cat, audit.WithLocale(locale), audit.WithLogger(a.logger))
			res, err := svc.Audit(ctx, tenant, true)
			if err != nil {
				return auditFailure(err)
			}
			if asJSON {
				enc := json.NewEncoder(a.stdout)
				enc.SetIndent("", "  ")
				enc.SetEscapeHTML(false)
				return enc.Encode(res)
			}
			printAudit(a.stdout, res, top)
			return nil
		},
	}
	cmd.Flags().StringVar(&tenant, "tenant", "", "tenant ID or domain to audit (default $MicrosoftAppTenantId)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the whole audit as JSON")
	cmd.Flags().StringVar(&storeURL, "store", "", "store URL of the records (default $ATTESTBOT_STORE or data/attestbot.db; the bundled sample when empty)")
	cmd.Flags().StringVar(&locale, "locale", audit.DefaultLocale, "locale to read records in (else their first locale)")
	cmd.Flags().IntVar(&top, "top", 20, "how many apps the text output lists (0: all)")
	return cmd
}

// auditCatalog loads the records: the store's, or the bundled sample when
// the store is empty.
func auditCatalog(ctx context.Context, a *app, storeURL string) (*chat.Catalog, error) {
	st, err := openStore(ctx, a, storeURL)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	n, err := st.CountRecords(ctx)
	if err != nil {
		return nil, fmt.Errorf("count records: %w", err)
	}
	var src chat.RecordSource = st
	if n == 0 {
		recs, err := sampleRecords()
		if err != nil {
			return nil, err
		}
		fmt.Fprintln(a.stderr, "the store holds no records: auditing against the bundled sample pages (import the catalog for a real audit)")
		src = recs
	}
	cat := chat.NewCatalog(src)
	if _, err := cat.Reload(ctx); err != nil {
		return nil, err
	}
	return cat, nil
}

// auditFailure explains a Graph failure of the audit.
func auditFailure(err error) error {
	switch audit.Reason(err) {
	case graphclient.ReasonForbidden, graphclient.ReasonUnauthorized:
		return fmt.Errorf("%w\nthe app registration needs admin consent for the Graph application permissions "+
			"AppCatalog.Read.All and Application.Read.All (Directory.Read.All to compare delegated grants)", err)
	case graphclient.ReasonThrottled:
		return fmt.Errorf("%w\nMicrosoft Graph is throttling this app: try again in %s", err, max(audit.RetryAfter(err), time.Second))
	}
	return err
}

// printAudit writes the text report: counts, notes and the top apps.
func printAudit(w io.Writer, r *audit.Result, top int) {
	s := r.Summary
	fmt.Fprintf(w, "Tenant audit of %s at %s\n", r.TenantID, r.GeneratedAt.Format("2006-01-02 15:04 UTC"))
	var dist []string
	for k, v := range s.ByDistribution {
		dist = append(dist, fmt.Sprintf("%s %d", k, v))
	}
	sort.Strings(dist)
	fmt.Fprintf(w, "Apps: %d (%d certified, %d attested, %d without a record); %s\n", s.Apps, s.Certified, s.Attested, s.NoRecord,
		strings.Join(dist, ", "))
	fmt.Fprintf(w, "Service principals: %d found; %d apps with a record not consented\n", s.ServicePrincipals, s.NotConsented)
	fmt.Fprintf(w, "Drift: %d permissions granted beyond attestations, %d attested permissions never granted, in %d apps\n",
		s.GrantedBeyond, s.NeverGranted, s.AppsWithDrift)
	fmt.Fprintf(w, "Broad application permissions granted to %d apps\n", s.BroadGranted)
	for _, n := range r.Notes {
		fmt.Fprintf(w, "Note: %s\n", n)
	}
	apps := r.Apps
	if top > 0 && len(apps) > top {
		apps = apps[:top]
	}
	if len(apps) == 0 {
		return
	}
	fmt.Fprintf(w, "\nRiskiest apps first (%d of %d):\n", len(apps), len(r.Apps))
	for _, app := range apps {
		ref := "no record"
		if app.Record != nil {
			ref = app.Record.Ref
		}
		fmt.Fprintf(w, "%5d  %-10s %s  [%s, %s]\n", app.Risk, app.Status, app.Name, app.Distribution, ref)
		if len(app.Drift.Beyond) > 0 {
			var names []string
			for _, g := range app.Drift.Beyond {
				names = append(names, g.Name+" ("+string(g.Type)+")")
			}
			fmt.Fprintf(w, "       + granted beyond the attestation: %s\n", strings.Join(names, ", "))
		}
		if len(app.Drift.NeverGranted) > 0 {
			var names []string
			for _, p := range app.Drift.NeverGranted {
				names = append(names, p.Name)
			}
			fmt.Fprintf(w, "       - attested, never granted: %s\n", strings.Join(names, ", "))
		}
		for _, reason := range app.Reasons {
			fmt.Fprintf(w, "       • %s\n", reason)
		}
	}
}
