package main

import (
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/audit"
	"github.com/attestbot/attestbot/graphclient"
	"github.com/attestbot/attestbot/graphclient/graphtest"
	"github.com/attestbot/attestbot/sample"
)

// runAudit runs "attestbot audit args…".
func runAudit(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	return runCmd(t, append([]string{"audit"}, args...)...)
}

// sampleRecord returns the record of kind/slug the audit reads (en-US, else
// the first locale).
func sampleRecord(t *testing.T, kind, slug string) *attestation.Record {
	t.Helper()
	recs, err := sample.ParseRecords()
	require.NoError(t, err)
	ix := attestation.NewIndex(recs)
	for _, res := range ix.Lookup(kind + "/" + slug) {
		return res.Record(audit.DefaultLocale)
	}
	t.Fatalf("no sample record %s/%s", kind, slug)
	return nil
}

func TestAuditCmd(t *testing.T) {
	s := graphEnv(t)
	store := filepath.Join(t.TempDir(), "empty.db")
	tenant := s.Tenant(testTenant)
	graphID := tenant.GraphServicePrincipalID()

	// Three store apps with sample records (only Plumm in use), an
	// organization app without one, and 300 generated apps and service
	// principals holding grants (Entra apps without a record).
	plumm := sampleRecord(t, "teams", "plumm-health-ltd")
	tenant.AddCatalogApp(graphtest.CatalogApp{ID: plumm.TeamsAppID, DisplayName: "Plumm", DistributionMethod: "store"})
	tenant.AddCatalogApp(graphtest.CatalogApp{ID: "72bb25c7-3644-4318-8249-a08e5493a520", DisplayName: "Q", DistributionMethod: "store"})
	tenant.AddCatalogApp(graphtest.CatalogApp{ID: "d3a07709-eb0e-421c-8609-b61b0600e645", DisplayName: "Saberr", DistributionMethod: "store"})
	tenant.AddCatalogApp(graphtest.CatalogApp{ExternalID: "com.contoso.expenses", DisplayName: "Contoso Expenses"})
	graphtest.GenerateTenant(s, testTenant, 300)

	// Plumm: every attested delegated permission but the first granted,
	// plus Mail.ReadWrite as an application permission it never attested.
	entra := plumm.EntraAppIDs()[0]
	sp := tenant.AddServicePrincipal(graphtest.ServicePrincipal{AppID: entra, DisplayName: "Plumm"})
	var scopes []string
	var first string
	for _, p := range plumm.Permissions {
		if p.Type != attestation.Delegated {
			continue
		}
		if first == "" {
			first = p.Name
			continue
		}
		scopes = append(scopes, p.Name)
	}
	require.NotEmpty(t, first)
	tenant.AddGrant(graphtest.PermissionGrant{ClientID: sp.ID, ResourceID: graphID, Scope: strings.Join(scopes, " ")})
	tenant.AddAppRoleAssignment(graphtest.AppRoleAssignment{PrincipalID: sp.ID, ResourceID: graphID, AppRoleID: graphtest.GraphRoleID("Mail.ReadWrite")})
	s.ResetRequests()

	out, stderr, code := runAudit(t, "--store", store, "--json")
	require.Equal(t, 0, code, stderr)
	require.Contains(t, stderr, "bundled sample")
	require.NotContains(t, out+stderr, "not-a-real-secret")
	var res audit.Result
	require.NoError(t, json.Unmarshal([]byte(out), &res))
	require.Equal(t, testTenant, res.TenantID)
	// 241 organization apps, Plumm (the store app in use) and the 300
	// generated Entra apps holding grants; Q and Saberr are store apps
	// nobody consented to here, so they are not read.
	require.Equal(t, 542, res.Summary.Apps)
	require.Equal(t, 541, res.Summary.NoRecord)
	require.Equal(t, 0, res.Summary.Certified)
	require.Equal(t, 1, res.Summary.Attested)
	require.Equal(t, 301, res.Summary.ServicePrincipals)
	require.Equal(t, map[string]int{"organization": 241, "store": 1, audit.DistributionEntra: 300}, res.Summary.ByDistribution)

	var top audit.App
	for _, a := range res.Apps {
		if a.Name == "Plumm" {
			top = a
		}
	}
	require.Equal(t, "store", top.Distribution, "Plumm, reached through its grants, is a store app in use")
	require.Equal(t, plumm.TeamsAppID, top.CatalogID)
	require.Equal(t, "teams/plumm-health-ltd", top.Record.Ref)
	require.Equal(t, audit.ConsentGranted, top.Consent)
	require.Len(t, top.Drift.Beyond, 1)
	require.Equal(t, audit.Grant{Name: "Mail.ReadWrite", Type: audit.Application, Resource: "Microsoft Graph",
		ResourceAppID: graphclient.MicrosoftGraphAppID, AllPrincipals: true, AppID: entra, Broad: true}, top.Drift.Beyond[0])
	var never []string
	for _, p := range top.Drift.NeverGranted {
		never = append(never, p.Name)
	}
	require.Contains(t, never, first)
	require.Contains(t, top.Reasons, "Broad application permissions granted: Mail.ReadWrite", "the findings in English")
	require.Len(t, top.Reasons, len(top.Findings))
	for _, a := range res.Apps {
		require.NotContains(t, []string{"Q", "Saberr"}, a.Name, "store apps not in use are not listed")
	}

	// Graph calls: 3 pages of organization apps; 4 batches for the
	// service principals (one page of 999) and the delegated grants (4
	// pages of 100); 16 batches of app role assignments (301 service
	// principals not Microsoft's); 1 for the Graph resource; 1 store
	// lookup. The 3 store apps and the thousands a real catalog lists are
	// never paged through.
	calls, _ := s.Counts()
	require.Equal(t, 3+4+16+1+1, calls)

	// The text report.
	out, stderr, code = runAudit(t, "--store", store, "--top", "3")
	require.Equal(t, 0, code, stderr)
	require.Contains(t, out, "Tenant audit of "+testTenant)
	require.Contains(t, out, "Apps: 542 (0 certified, 1 attested, 541 without a record)")
	require.Contains(t, out, "Riskiest apps first (3 of 542)")
	require.Contains(t, out, "80  no_record  App 0002  [entra, no record]")
	out, stderr, code = runAudit(t, "--store", store, "--top", "0")
	require.Equal(t, 0, code, stderr)
	require.Contains(t, out, "Plumm  [store, teams/plumm-health-ltd]\n       + granted beyond the attestation: Mail.ReadWrite (application)")
	require.Contains(t, out, "       • Broad application permissions granted: Mail.ReadWrite\n")

	// Another tenant's audit shows none of this tenant's apps.
	out, stderr, code = runAudit(t, "--store", store, "--json", "--tenant", "44444444-4444-4444-8444-444444444444")
	require.Equal(t, 0, code, stderr)
	require.NoError(t, json.Unmarshal([]byte(out), &res))
	require.Empty(t, res.Apps)
}

func TestAuditCmd_Errors(t *testing.T) {
	s := graphEnv(t)
	store := filepath.Join(t.TempDir(), "empty.db")
	s.Fail(graphtest.Failure{Status: http.StatusForbidden, Code: "Forbidden", Message: "Missing role permissions on the request."}.
		On(http.MethodGet, "/appCatalogs/teamsApps"))
	_, stderr, code := runAudit(t, "--store", store)
	require.Equal(t, 1, code)
	require.Contains(t, stderr, "admin consent")
	require.Contains(t, stderr, "Directory.Read.All")

	s.Fail(graphtest.Throttled("300").On(http.MethodGet, "/appCatalogs/teamsApps"))
	_, stderr, code = runAudit(t, "--store", store)
	require.Equal(t, 1, code)
	require.Contains(t, stderr, "try again in 5m0s")

	t.Setenv("MicrosoftAppTenantId", "")
	_, stderr, code = runAudit(t, "--store", store)
	require.Equal(t, 1, code)
	require.Contains(t, stderr, "--tenant")
}
