package audit

import (
	"errors"
	"strings"
	"time"

	"github.com/attestbot/attestbot/attestation"
)

// The fixtures of the external tests (report_test.go), which render
// audits as cards.

// TestNow is the tests' clock.
var TestNow = testNow

// SmallResult is the audit of the small tenant of helpers_test.go.
func SmallResult() *Result {
	d, ix := small()
	return evaluate("contoso", join(d.apps, ix, "en-US"), d.sps, testNow)
}

// BenchTenant is a tenant of catalog apps with their records, split as the
// Graph reads them: the organization apps, and the store apps.
type BenchTenant struct {
	org, store []CatalogApp
	sps        []ServicePrincipal
	ix         *attestation.Index
}

// NewBenchTenant returns a tenant of n catalog apps (bigTenant).
func NewBenchTenant(n int) *BenchTenant {
	d, recs := bigTenant(n)
	t := &BenchTenant{sps: d.sps, ix: attestation.NewIndex(recs)}
	for _, a := range d.apps {
		if a.DistributionMethod == "store" {
			t.store = append(t.store, a)
		} else {
			t.org = append(t.org, a)
		}
	}
	return t
}

// Audit is the audit's own work for t, Graph aside: the join with the
// record index, the apps reached through the grants with their store
// entries, the drift and the ranking.
func (t *BenchTenant) Audit() (*Result, error) {
	js := join(t.org, t.ix, DefaultLocale)
	more, storeIDs := fromPrincipals(js, t.sps, t.ix, DefaultLocale)
	if len(storeIDs) == 0 {
		return nil, errors.New("no store app in use")
	}
	attachStore(more, t.store)
	return evaluate("contoso", append(js, more...), t.sps, testNow), nil
}

// AuditArbitrary audits a tenant built from arbitrary catalog fields, grant
// names and record permissions; apps is how many apps it joined.
func AuditArbitrary(teamsID, dist, grantName, grantType, attested, attestedType, entra string) (res *Result, apps int) {
	r := rec("fuzz", "Fuzz", teamsID, attestation.Attested,
		[]attestation.Permission{perm(attested, attestation.PermissionType(attestedType), entra), perm("User.Read", attestation.Delegated, entra)})
	ix := attestation.NewIndex([]*attestation.Record{r, rec("plain", "Plain", "bbbbbbbb-0000-4000-8000-000000000001", attestation.Certified, nil)})
	catalog := []CatalogApp{
		{ID: teamsID, ExternalID: teamsID, DisplayName: grantName, DistributionMethod: dist},
		{ID: "bbbbbbbb-0000-4000-8000-000000000001", DisplayName: "Plain", DistributionMethod: "store"},
		{ID: teamsID, DistributionMethod: "store"},
	}
	sps := []ServicePrincipal{{ID: "sp", AppID: strings.ToLower(entra), DelegatedUnavailable: len(grantName)%2 == 1,
		Grants: []Grant{grant(grantName, GrantType(grantType)), {Name: attested, Type: Application, ResourceAppID: strings.ToUpper(MicrosoftGraphAppID)}}}}
	js := join(catalog, ix, "en-US")
	more, _ := fromPrincipals(js, sps, ix, "en-US")
	attachStore(more, catalog)
	js = append(js, more...)
	_ = entraAppIDs(js)
	return evaluate("contoso", js, sps, testNow), len(js)
}

// entraAppIDs returns the distinct, lower-cased Entra app IDs of the apps,
// in first-seen order.
func entraAppIDs(js []joined) []string {
	var out []string
	seen := map[string]bool{}
	for _, j := range js {
		for _, id := range j.entra {
			if !seen[id] {
				seen[id] = true
				out = append(out, id)
			}
		}
	}
	return out
}

// Options only the tests set: production runs with the defaults.

// WithTTL sets how long audits are cached (default DefaultTTL).
func WithTTL(d time.Duration) Option {
	return func(s *Service) {
		if d > 0 {
			s.ttl = d
		}
	}
}

// WithMinRefresh sets the youngest audit a forced refresh replaces
// (default DefaultMinRefresh; 0 or less: every forced refresh fetches).
func WithMinRefresh(d time.Duration) Option { return func(s *Service) { s.minRefresh = max(d, 0) } }

// WithMaxTenants bounds the cache (default DefaultMaxTenants).
func WithMaxTenants(n int) Option {
	return func(s *Service) {
		if n > 0 {
			s.maxTenants = n
		}
	}
}

// WithFetchTimeout bounds one tenant's Graph reads (default
// DefaultFetchTimeout).
func WithFetchTimeout(d time.Duration) Option {
	return func(s *Service) {
		if d > 0 {
			s.timeout = d
		}
	}
}

// WithClock sets the clock (default time.Now).
func WithClock(now func() time.Time) Option {
	return func(s *Service) {
		if now != nil {
			s.now = now
		}
	}
}
