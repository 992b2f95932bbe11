package audit

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/attestbot/attestbot/attestation"
)

// guid returns a deterministic GUID for (kind, i).
func guid(kind byte, i int) string {
	return fmt.Sprintf("%08x-%04x-4000-8000-%012x", i, kind, i*7919+int(kind))
}

// perm is an attested permission row.
func perm(name string, typ attestation.PermissionType, entra string) attestation.Permission {
	return attestation.Permission{Name: name, Type: typ, EntraAppID: entra}
}

// rec builds a Teams record.
func rec(slug, name, teamsID string, cert attestation.Certification, perms []attestation.Permission, yes ...string) *attestation.Record {
	r := &attestation.Record{Slug: slug, Kind: "teams", Type: attestation.PageApp, Locale: "en-US",
		Path: "Apps/teams/" + slug + ".md", Name: name, TeamsAppID: teamsID, Publisher: name + " Ltd",
		Certification: cert, Updated: attestation.Date{Year: 2025, Month: time.March, Day: 3}, Permissions: perms}
	for _, k := range yes {
		r.Answers = append(r.Answers, attestation.Answer{Key: k, Value: attestation.ValueYes, Section: attestation.SectionCompliance})
	}
	return r
}

// grant is a Microsoft Graph grant.
func grant(name string, typ GrantType) Grant {
	return Grant{Name: name, Type: typ, Resource: "Microsoft Graph", ResourceAppID: MicrosoftGraphAppID, AllPrincipals: true}
}

// staticCatalog serves a fixed index, swappable.
type staticCatalog struct {
	mu sync.Mutex
	ix *attestation.Index
}

func (c *staticCatalog) Index() *attestation.Index {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ix
}

func (c *staticCatalog) set(ix *attestation.Index) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ix = ix
}

// tenantData is what the fake Graph holds for one tenant.
type tenantData struct {
	apps []CatalogApp
	sps  []ServicePrincipal
}

// fakeGraph is an in-memory Graph with call counters, per tenant.
type fakeGraph struct {
	mu       sync.Mutex
	tenants  map[string]tenantData
	catalogs int
	lookups  int
	asked    []string // store app IDs of the last StoreApps call
	err      error    // returned by the next call, then cleared
	block    chan struct{}
}

func newFakeGraph() *fakeGraph { return &fakeGraph{tenants: map[string]tenantData{}} }

func (g *fakeGraph) set(tenant string, d tenantData) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.tenants[tenant] = d
}

func (g *fakeGraph) calls() (catalogs, lookups int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.catalogs, g.lookups
}

func (g *fakeGraph) OrganizationApps(ctx context.Context, tenantID string) ([]CatalogApp, error) {
	if g.block != nil {
		select {
		case <-g.block:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.catalogs++
	if err := g.err; err != nil {
		g.err = nil
		return nil, err
	}
	var out []CatalogApp
	for _, a := range g.tenants[tenantID].apps {
		if a.DistributionMethod != "store" {
			out = append(out, a)
		}
	}
	return out, nil
}

func (g *fakeGraph) StoreApps(_ context.Context, tenantID string, ids []string) ([]CatalogApp, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.asked = append([]string(nil), ids...)
	var out []CatalogApp
	for _, a := range g.tenants[tenantID].apps {
		if a.DistributionMethod == "store" && slices.ContainsFunc(ids, func(id string) bool { return strings.EqualFold(id, a.ID) }) {
			out = append(out, a)
		}
	}
	return out, nil
}

func (g *fakeGraph) ServicePrincipals(_ context.Context, tenantID string) ([]ServicePrincipal, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.lookups++
	var out []ServicePrincipal
	for _, sp := range g.tenants[tenantID].sps {
		if len(sp.Grants) > 0 {
			out = append(out, sp)
		}
	}
	return out, nil
}

// graphError is an error shaped like graphclient's.
type graphError struct {
	reason string
	after  time.Duration
}

func (e *graphError) Error() string             { return "graph: " + e.reason }
func (e *graphError) Reason() string            { return e.reason }
func (e *graphError) RetryAfter() time.Duration { return e.after }

// bigTenant builds a tenant of n catalog apps and the records of most of
// them: every fifth app is a store app (matched by catalog ID), the others
// organization apps (matched by manifest ID); one app in five has no
// record, one in four is certified, one in seven is not consented, and
// one in three has drift (an extra broad grant and a missing attested
// one).
func bigTenant(n int) (tenantData, []*attestation.Record) {
	var d tenantData
	var recs []*attestation.Record
	scopes := []string{"User.Read", "Calendars.Read", "Files.Read.All", "Team.ReadBasic.All", "Chat.Read.All", "Mail.Send"}
	for i := range n {
		teamsID := guid('t', i)
		app := CatalogApp{ID: guid('c', i), ExternalID: teamsID, DisplayName: fmt.Sprintf("App %04d", i),
			DistributionMethod: "organization", Version: "1.0.0", PublishingState: "published"}
		if i%5 == 4 {
			app = CatalogApp{ID: teamsID, DisplayName: app.DisplayName, DistributionMethod: "store", Version: "2.0.0"}
		}
		d.apps = append(d.apps, app)
		if i%5 == 3 {
			continue // no record
		}
		entra := guid('e', i)
		perms := []attestation.Permission{
			perm(scopes[i%len(scopes)], attestation.Delegated, entra),
			perm(scopes[(i+1)%len(scopes)], attestation.Delegated, entra),
			perm(scopes[(i+2)%len(scopes)], attestation.Application, entra),
		}
		cert := attestation.Attested
		if i%4 == 0 {
			cert = attestation.Certified
		}
		recs = append(recs, rec(fmt.Sprintf("app-%04d", i), app.DisplayName, teamsID, cert, perms, "comp.hipaa", "comp.soc2"))
		if i%7 == 6 {
			continue // not consented
		}
		sp := ServicePrincipal{ID: guid('s', i), AppID: entra, DisplayName: app.DisplayName}
		for k, p := range perms {
			if i%3 == 0 && k == 1 {
				continue // attested, never granted
			}
			typ := Delegated
			if p.Type == attestation.Application {
				typ = Application
			}
			sp.Grants = append(sp.Grants, grant(p.Name, typ))
		}
		if i%3 == 0 {
			sp.Grants = append(sp.Grants, grant("Mail.ReadWrite", Application), grant("openid", Delegated))
		}
		d.sps = append(d.sps, sp)
	}
	return d, recs
}
