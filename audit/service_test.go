package audit

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/internal/testclock"
)

// smallInUse is how many apps the audit of small() finds: its four
// organization and sideloaded apps, the store apps Clean and Partial
// (reached through their service principals' grants), and the Entra app
// holding Directory.ReadWrite.All with no record. The store apps nobody
// consented to (Unconsented, No Entra) are not in use.
const smallInUse = 7

func newTestService(t *testing.T, opts ...Option) (*Service, *fakeGraph, *staticCatalog, *testclock.Clock) {
	t.Helper()
	g := newFakeGraph()
	d, ix := small()
	g.set("contoso", d)
	cat := &staticCatalog{ix: ix}
	clk := testclock.New(testNow)
	s := New(g, cat, append([]Option{WithClock(clk.Now)}, opts...)...)
	return s, g, cat, clk
}

func TestService_Cache(t *testing.T) {
	s, g, cat, clk := newTestService(t)
	ctx := t.Context()
	steps := []struct {
		name          string
		advance       time.Duration
		force         bool
		newIndex      bool
		wantCatalogs  int
		wantGenerated time.Time
	}{
		{name: "first audit fetches", wantCatalogs: 1, wantGenerated: testNow},
		{name: "served from the cache", advance: 5 * time.Minute, wantCatalogs: 1, wantGenerated: testNow},
		{name: "forced refresh fetches", advance: 10 * time.Second, force: true, wantCatalogs: 2, wantGenerated: testNow.Add(5*time.Minute + 10*time.Second)},
		{name: "forced again within a minute: cached", advance: 30 * time.Second, force: true, wantCatalogs: 2, wantGenerated: testNow.Add(5*time.Minute + 10*time.Second)},
		{name: "expired after the TTL", advance: DefaultTTL, wantCatalogs: 3, wantGenerated: testNow.Add(5*time.Minute + 40*time.Second + DefaultTTL)},
		{name: "a new record index recomputes", advance: time.Second, newIndex: true, wantCatalogs: 4, wantGenerated: testNow.Add(5*time.Minute + 41*time.Second + DefaultTTL)},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			clk.Advance(st.advance)
			if st.newIndex {
				_, ix := small()
				cat.set(ix)
			}
			res, err := s.Audit(ctx, "contoso", st.force)
			require.NoError(t, err)
			catalogs, lookups := g.calls()
			require.Equal(t, st.wantCatalogs, catalogs)
			require.Equal(t, st.wantCatalogs, lookups)
			require.Equal(t, st.wantGenerated, res.GeneratedAt)
			require.Len(t, res.Apps, smallInUse)
		})
	}
}

func TestService_TenantIsolation(t *testing.T) {
	s, g, _, _ := newTestService(t)
	g.set("fabrikam", tenantData{apps: []CatalogApp{{ID: "f0000000-0000-4000-8000-000000000001", DisplayName: "Fabrikam only", DistributionMethod: "organization"}}})
	ctx := t.Context()

	a, err := s.Audit(ctx, "contoso", false)
	require.NoError(t, err)
	b, err := s.Audit(ctx, "fabrikam", false)
	require.NoError(t, err)
	require.Equal(t, "fabrikam", b.TenantID)
	require.Len(t, b.Apps, 1)
	require.Equal(t, "Fabrikam only", b.Apps[0].Name)
	for _, app := range b.Apps {
		for _, other := range a.Apps {
			require.NotEqual(t, other.CatalogID, app.CatalogID, "contoso's app leaked into fabrikam's audit")
		}
	}
	// Both cached, each under its own tenant; case does not make a new
	// tenant.
	again, err := s.Audit(ctx, "CONTOSO", false)
	require.NoError(t, err)
	require.Same(t, a, again)
	catalogs, _ := g.calls()
	require.Equal(t, 2, catalogs)

	refs, err := s.TenantApps(ctx, "fabrikam")
	require.NoError(t, err)
	require.Empty(t, refs)
	refs, err = s.TenantApps(ctx, "contoso")
	require.NoError(t, err)
	require.Equal(t, a.Refs(), refs)

	// A tenant with nothing in Graph gets an empty audit, not another's.
	empty, err := s.Audit(ctx, "11111111-2222-4333-8444-555555555555", false)
	require.NoError(t, err)
	require.Empty(t, empty.Apps)

	s.Forget("contoso")
	_, err = s.Audit(ctx, "contoso", false)
	require.NoError(t, err)
	catalogs, _ = g.calls()
	require.Equal(t, 4, catalogs)
}

func TestService_BadTenant(t *testing.T) {
	s, g, _, _ := newTestService(t)
	for _, id := range []string{"", "  ", "contoso/../fabrikam", "a b", "x?y", string(make([]byte, 300))} {
		_, err := s.Audit(t.Context(), id, false)
		require.ErrorIs(t, err, ErrBadTenant, "%q", id)
	}
	catalogs, _ := g.calls()
	require.Zero(t, catalogs)
}

func TestService_ErrorsAreNotCached(t *testing.T) {
	s, g, _, _ := newTestService(t)
	g.err = fmt.Errorf("list catalog apps: %w", &graphError{reason: "throttled", after: 30 * time.Second})
	_, err := s.Audit(t.Context(), "contoso", false)
	require.Error(t, err)
	require.Equal(t, "throttled", Reason(err))
	require.Equal(t, 30*time.Second, RetryAfter(err))
	require.Empty(t, Reason(errors.New("plain")))
	require.Zero(t, RetryAfter(errors.New("plain")))

	res, err := s.Audit(t.Context(), "contoso", false)
	require.NoError(t, err)
	require.Len(t, res.Apps, smallInUse)
	require.Equal(t, smallInUse, res.Summary.Apps)
}

func TestService_ConcurrentAuditsShareOneFetch(t *testing.T) {
	s, g, _, _ := newTestService(t)
	g.block = make(chan struct{})
	var wg sync.WaitGroup
	results := make([]*Result, 8)
	for i := range results {
		wg.Go(func() {
			res, err := s.Audit(context.Background(), "contoso", i%2 == 0)
			require.NoError(t, err)
			results[i] = res
		})
	}
	time.Sleep(50 * time.Millisecond)
	close(g.block)
	wg.Wait()
	catalogs, _ := g.calls()
	require.LessOrEqual(t, catalogs, 2, "concurrent audits share a fetch")
	for _, r := range results {
		require.Len(t, r.Apps, smallInUse)
	}
}

func TestService_MaxTenants(t *testing.T) {
	s, g, _, clk := newTestService(t, WithMaxTenants(2), WithTTL(time.Hour), WithMinRefresh(0), WithLocale("fr-FR"))
	for _, id := range []string{"t1", "t2", "t3"} {
		g.set(id, tenantData{})
		clk.Advance(time.Second)
		_, err := s.Audit(t.Context(), id, false)
		require.NoError(t, err)
	}
	s.mu.Lock()
	n := len(s.cache)
	_, oldest := s.cache["t1"]
	s.mu.Unlock()
	require.Equal(t, 2, n)
	require.False(t, oldest, "the oldest tenant is evicted")
	// With no minimum refresh, every forced audit fetches.
	before, _ := g.calls()
	_, err := s.Audit(t.Context(), "t3", true)
	require.NoError(t, err)
	after, _ := g.calls()
	require.Equal(t, before+1, after)
}

func TestService_BigTenant(t *testing.T) {
	g := newFakeGraph()
	d, recs := bigTenant(600)
	g.set("contoso", d)
	s := New(g, &staticCatalog{ix: attestation.NewIndex(recs)}, WithClock(func() time.Time { return testNow }))
	res, err := s.Audit(t.Context(), "contoso", false)
	require.NoError(t, err)
	// Every organization app (480), and the store apps whose record's
	// Entra app holds grants here (one in five, less the unconsented one
	// in seven); the 120 store catalog entries nobody uses are not read.
	storeInUse := 0
	for i := range 600 {
		if i%5 == 4 && i%7 != 6 {
			storeInUse++
		}
	}
	sum := res.Summary
	require.Equal(t, 480+storeInUse, sum.Apps)
	require.Equal(t, 120, sum.NoRecord)
	require.Equal(t, sum.Apps, sum.Certified+sum.Attested+sum.NoRecord)
	require.Equal(t, storeInUse, sum.ByDistribution["store"])
	require.Len(t, g.asked, storeInUse, "one store lookup per record reached through grants")
	require.Positive(t, sum.AppsWithDrift)
	require.Positive(t, sum.NotConsented)
	// Every drifting app got the broad extra grant, so it ranks above
	// every app without drift.
	seenClean := false
	for _, a := range res.Apps {
		if a.Drift.HasDrift() {
			require.False(t, seenClean, "%s ranks below an app without drift", a.Name)
			require.Equal(t, "Mail.ReadWrite", a.Drift.Beyond[0].Name)
		} else {
			seenClean = true
		}
	}
	require.Len(t, res.Refs(), 360+storeInUse)
}

func TestService_FetchOutlivesTheCaller(t *testing.T) {
	s, g, _, _ := newTestService(t)
	g.block = make(chan struct{})
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := s.Audit(ctx, "contoso", false)
	require.ErrorIs(t, err, context.Canceled)

	// The fetch goes on and fills the cache for the next request.
	close(g.block)
	require.Eventually(t, func() bool {
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.cache["contoso"] != nil
	}, 5*time.Second, 5*time.Millisecond)
	res, err := s.Audit(t.Context(), "contoso", false)
	require.NoError(t, err)
	require.Len(t, res.Apps, smallInUse)
	catalogs, _ := g.calls()
	require.Equal(t, 1, catalogs)
}

func TestService_FetchTimeout(t *testing.T) {
	s, g, _, _ := newTestService(t, WithFetchTimeout(20*time.Millisecond))
	g.block = make(chan struct{}) // never released: the fetch times out
	_, err := s.Audit(t.Context(), "contoso", false)
	require.ErrorIs(t, err, context.DeadlineExceeded)
}

// TestService_FromWhatTheTenantUses: the audit starts from the tenant's
// organization apps and its service principals holding grants. A custom
// app is joined to its grants by its definition's Entra app ID (finding 8:
// they stayed invisible when only the Teams app ID joined), a custom app
// built on a publisher's Entra app gets the publisher's record, store apps
// are read only when their record's Entra app holds grants here, several
// service principals of one record make one app, and an Entra app with
// grants and no record is listed too.
func TestService_FromWhatTheTenantUses(t *testing.T) {
	const (
		customEntra = "c1000000-0000-4000-8000-000000000001"
		pubEntra    = "c2000000-0000-4000-8000-000000000002"
		storeEntra  = "c3000000-0000-4000-8000-000000000003"
		storeEntra2 = "c3000000-0000-4000-8000-000000000004"
		loneEntra   = "c4000000-0000-4000-8000-000000000005"
		storeID     = "d3000000-0000-4000-8000-000000000003"
		unusedID    = "d5000000-0000-4000-8000-000000000005"
	)
	recs := []*attestation.Record{
		rec("publisher", "Publisher App", "d2000000-0000-4000-8000-000000000002", attestation.Attested,
			[]attestation.Permission{perm("User.Read", attestation.Delegated, pubEntra)}, "comp.hipaa"),
		rec("stored", "Stored App", storeID, attestation.Certified,
			[]attestation.Permission{perm("User.Read", attestation.Delegated, storeEntra), perm("Chat.Read.All", attestation.Application, storeEntra2)}),
		rec("unused", "Unused App", unusedID, attestation.Attested,
			[]attestation.Permission{perm("Mail.Read", attestation.Delegated, "c5000000-0000-4000-8000-000000000006")}),
	}
	g := newFakeGraph()
	g.set("contoso", tenantData{
		apps: []CatalogApp{
			{ID: "e1000000-0000-4000-8000-000000000001", ExternalID: "com.contoso.custom", DisplayName: "Contoso Custom",
				DistributionMethod: "organization", ClientAppID: strings.ToUpper(customEntra)},
			{ID: "e2000000-0000-4000-8000-000000000002", ExternalID: "com.contoso.repackaged", DisplayName: "Repackaged",
				DistributionMethod: "organization", ClientAppID: pubEntra},
			{ID: storeID, DisplayName: "Stored App", DistributionMethod: "store", Version: "3.1.0", ClientAppID: storeEntra},
			{ID: unusedID, DisplayName: "Unused App", DistributionMethod: "store"},
		},
		sps: []ServicePrincipal{
			{ID: "sp-custom", AppID: customEntra, DisplayName: "Contoso Custom API",
				Grants: []Grant{grant("Files.ReadWrite.All", Application), grant("User.Read", Delegated)}},
			{ID: "sp-pub", AppID: pubEntra, Grants: []Grant{grant("User.Read", Delegated), grant("Mail.Read", Delegated)}},
			{ID: "sp-store", AppID: storeEntra, Grants: []Grant{grant("User.Read", Delegated)}},
			{ID: "sp-store2", AppID: storeEntra2, Grants: []Grant{grant("Chat.Read.All", Application)}},
			{ID: "sp-lone", AppID: loneEntra, DisplayName: "Lone Daemon", Grants: []Grant{grant("Sites.ReadWrite.All", Application)}},
			{ID: "sp-idle", AppID: "c6000000-0000-4000-8000-000000000007", DisplayName: "Idle"},
		},
	})
	s := New(g, &staticCatalog{ix: attestation.NewIndex(recs)}, WithClock(func() time.Time { return testNow }))
	res, err := s.Audit(t.Context(), "contoso", false)
	require.NoError(t, err)
	require.Equal(t, []string{storeID}, g.asked, "only the store app in use is looked up")

	names := make([]string, len(res.Apps))
	for i, a := range res.Apps {
		names[i] = a.Name
	}
	require.ElementsMatch(t, []string{"Contoso Custom", "Repackaged", "Stored App", "Lone Daemon"}, names)

	custom := byName(res, "Contoso Custom")
	require.Equal(t, StatusNoRecord, custom.Status)
	require.Equal(t, ConsentGranted, custom.Consent)
	require.Equal(t, []string{"sp-custom"}, custom.ServicePrincipals)
	require.Len(t, custom.Granted, 2)
	require.Equal(t, RiskNoRecord+RiskBroadGranted, custom.Risk)
	require.Equal(t, Finding{ID: FindingBroadGranted, Items: []string{"Files.ReadWrite.All"}}, custom.Findings[0])

	repackaged := byName(res, "Repackaged")
	require.NotNil(t, repackaged.Record)
	require.Equal(t, "teams/publisher", repackaged.Record.Ref)
	require.Len(t, repackaged.Drift.Beyond, 1)
	require.Equal(t, "Mail.Read", repackaged.Drift.Beyond[0].Name)

	stored := byName(res, "Stored App")
	require.Equal(t, "store", stored.Distribution)
	require.Equal(t, storeID, stored.CatalogID)
	require.Equal(t, "3.1.0", stored.Version)
	require.Equal(t, StatusCertified, stored.Status)
	require.ElementsMatch(t, []string{"sp-store", "sp-store2"}, stored.ServicePrincipals, "both Entra apps of the record make one app")
	require.False(t, stored.Drift.HasDrift())

	lone := byName(res, "Lone Daemon")
	require.Equal(t, DistributionEntra, lone.Distribution)
	require.Empty(t, lone.CatalogID)
	require.Equal(t, []string{loneEntra}, lone.EntraAppIDs)
	require.True(t, lone.Granted[0].Broad)

	require.Equal(t, map[string]int{"organization": 2, "store": 1, DistributionEntra: 1}, res.Summary.ByDistribution)
	require.Equal(t, 5, res.Summary.ServicePrincipals, "the service principals holding grants")
	require.Equal(t, []string{"teams/publisher", "teams/stored"}, res.Refs())
	require.Len(t, res.Apps, 4)
}
