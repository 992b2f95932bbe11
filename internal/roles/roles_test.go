package roles

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/internal/testclock"
)

const (
	tenantA = "aaaaaaaa-0000-4000-8000-00000000000a"
	tenantB = "bbbbbbbb-0000-4000-8000-00000000000b"
	alice   = "a11ce000-0000-4000-8000-000000000001"
	bob     = "b0b00000-0000-4000-8000-000000000002"
	carol   = "ca401000-0000-4000-8000-000000000003"
)

// fakeDirectory holds role template IDs per tenant and user.
type fakeDirectory struct {
	mu    sync.Mutex
	roles map[string][]string // tenant|user → template IDs
	calls []string
	err   error
}

func (d *fakeDirectory) UserDirectoryRoles(_ context.Context, tenantID, userID string) ([]string, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.calls = append(d.calls, tenantID+"|"+userID)
	if d.err != nil {
		return nil, d.err
	}
	return d.roles[tenantID+"|"+userID], nil
}

func (d *fakeDirectory) callCount() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.calls)
}

func TestLevelOf(t *testing.T) {
	tests := []struct {
		name  string
		roles []string
		want  Level
	}{
		{"no role", nil, None},
		{"global administrator", []string{GlobalAdministrator}, Admin},
		{"teams administrator", []string{TeamsAdministrator}, Admin},
		{"application administrator", []string{ApplicationAdministrator}, Admin},
		{"cloud application administrator", []string{"158C047A-C907-4556-B7EF-446551A6B5F7"}, Admin},
		{"global reader", []string{GlobalReader}, Reader},
		{"reader and admin", []string{GlobalReader, TeamsAdministrator}, Admin},
		{"other roles", []string{"fe930be7-5e62-47db-91af-98c3a49a38b1", "1076ac91-f3d9-41a7-a339-dcdf5f480acc"}, None},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, LevelOf(tc.roles))
		})
	}
	require.Equal(t, "admin", Admin.String())
	require.Equal(t, "reader", Reader.String())
	require.Equal(t, "none", None.String())
}

func TestChecker_Level(t *testing.T) {
	dir := &fakeDirectory{roles: map[string][]string{
		tenantA + "|" + alice: {GlobalAdministrator},
		tenantA + "|" + bob:   {GlobalReader},
		tenantB + "|" + bob:   {TeamsAdministrator},
	}}
	c := New(dir, Config{Overrides: []string{"  " + carol + " ", tenantB + "/dave@fabrikam.example", "29:legacy-bot-id", "", "Erin@Contoso.Example"}})
	require.Equal(t, []string{"29:legacy-bot-id"}, c.Ignored())
	upn := func(v string) context.Context {
		return WithUPNLookup(t.Context(), func(context.Context) (string, error) { return v, nil })
	}
	tests := []struct {
		name string
		ctx  context.Context
		id   Identity
		want Level
	}{
		{"admin by role in its tenant", t.Context(), Identity{tenantA, alice}, Admin},
		{"the same user is nobody in another tenant", t.Context(), Identity{tenantB, alice}, None},
		{"global reader reads only", t.Context(), Identity{tenantA, bob}, Reader},
		{"bob administers tenant B only", t.Context(), Identity{tenantB, bob}, Admin},
		{"object ID override, any tenant, any case", t.Context(), Identity{tenantB, "CA401000-0000-4000-8000-000000000003"}, Admin},
		{"UPN override matches case-insensitively", upn("erin@contoso.EXAMPLE"), Identity{tenantA, "e0000000-0000-4000-8000-000000000005"}, Admin},
		{"tenant-scoped UPN override in its tenant", upn("Dave@Fabrikam.example"), Identity{tenantB, "d0000000-0000-4000-8000-000000000004"}, Admin},
		{"tenant-scoped UPN override elsewhere", upn("dave@fabrikam.example"), Identity{tenantA, "d0000000-0000-4000-8000-000000000006"}, None},
		{"another UPN", upn("mallory@contoso.example"), Identity{tenantA, "f0000000-0000-4000-8000-000000000007"}, None},
		{"no UPN lookup in the request", t.Context(), Identity{tenantA, "e0000000-0000-4000-8000-000000000008"}, None},
		{"no object ID", t.Context(), Identity{TenantID: tenantA}, None},
		{"a channel ID is no object ID", t.Context(), Identity{tenantA, "29:legacy-bot-id"}, None},
		{"no tenant", t.Context(), Identity{ObjectID: alice}, None},
		{"a tenant that is a path", t.Context(), Identity{tenantA + "/x", alice}, None},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := c.Level(tc.ctx, tc.id)
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}

func TestChecker_CachePerTenantAndUser(t *testing.T) {
	dir := &fakeDirectory{roles: map[string][]string{tenantA + "|" + alice: {GlobalAdministrator}}}
	clk := testclock.New(time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC))
	c := New(dir, Config{TTL: 5 * time.Minute, Now: clk.Now})
	ctx := t.Context()
	for range 3 {
		l, err := c.Level(ctx, Identity{tenantA, alice})
		require.NoError(t, err)
		require.Equal(t, Admin, l)
	}
	require.Equal(t, 1, dir.callCount(), "cached for the TTL")
	// Tenant B's answer is its own, never tenant A's cached one.
	l, err := c.Level(ctx, Identity{tenantB, alice})
	require.NoError(t, err)
	require.Equal(t, None, l)
	require.Equal(t, []string{tenantA + "|" + alice, tenantB + "|" + alice}, dir.calls)

	// A role removed takes effect after the TTL.
	dir.mu.Lock()
	delete(dir.roles, tenantA+"|"+alice)
	dir.mu.Unlock()
	clk.Advance(4 * time.Minute)
	l, _ = c.Level(ctx, Identity{tenantA, alice})
	require.Equal(t, Admin, l)
	clk.Advance(time.Minute)
	l, _ = c.Level(ctx, Identity{tenantA, alice})
	require.Equal(t, None, l)
	require.Equal(t, 3, dir.callCount())

	_, _ = c.Level(ctx, Identity{tenantB, alice}) // expired too: asked again
	require.Equal(t, 4, dir.callCount())
	c.Forget(tenantA)
	_, _ = c.Level(ctx, Identity{tenantA, alice})
	_, _ = c.Level(ctx, Identity{tenantB, alice})
	require.Equal(t, 5, dir.callCount(), "Forget drops one tenant only")
}

func TestChecker_GraphErrorDenies(t *testing.T) {
	graphErr := errors.New("list directory role assignments: forbidden")
	dir := &fakeDirectory{err: graphErr, roles: map[string][]string{tenantA + "|" + alice: {GlobalAdministrator}}}
	c := New(dir, Config{Overrides: []string{"erin@contoso.example"}})
	l, err := c.Level(t.Context(), Identity{tenantA, alice})
	require.Equal(t, None, l)
	require.ErrorIs(t, err, ErrUnavailable)
	require.ErrorIs(t, err, graphErr)

	// Not cached: the next question asks Graph again and succeeds.
	dir.mu.Lock()
	dir.err = nil
	dir.mu.Unlock()
	l, err = c.Level(t.Context(), Identity{tenantA, alice})
	require.NoError(t, err)
	require.Equal(t, Admin, l)
	require.Equal(t, 2, dir.callCount())

	// An override still makes an admin when Graph fails.
	dir.mu.Lock()
	dir.err = graphErr
	dir.mu.Unlock()
	ctx := WithUPNLookup(t.Context(), func(context.Context) (string, error) { return "erin@contoso.example", nil })
	l, err = c.Level(ctx, Identity{tenantA, "e0000000-0000-4000-8000-000000000005"})
	require.NoError(t, err)
	require.Equal(t, Admin, l)
	// A failing UPN lookup gives nothing.
	ctx = WithUPNLookup(t.Context(), func(context.Context) (string, error) { return "", fmt.Errorf("connector down") })
	dir.mu.Lock()
	dir.err = nil
	dir.mu.Unlock()
	l, err = c.Level(ctx, Identity{tenantA, "e0000000-0000-4000-8000-000000000009"})
	require.NoError(t, err)
	require.Equal(t, None, l)
}

func TestChecker_NoDirectory(t *testing.T) {
	c := New(nil, Config{Overrides: []string{alice}})
	l, err := c.Level(t.Context(), Identity{tenantA, alice})
	require.NoError(t, err)
	require.Equal(t, Admin, l)
	l, err = c.Level(t.Context(), Identity{tenantA, bob})
	require.NoError(t, err)
	require.Equal(t, None, l)
}

func TestChecker_MaxEntries(t *testing.T) {
	dir := &fakeDirectory{roles: map[string][]string{}}
	c := New(dir, Config{MaxEntries: 3})
	for i := range 10 {
		_, err := c.Level(t.Context(), Identity{tenantA, fmt.Sprintf("00000000-0000-4000-8000-%012d", i)})
		require.NoError(t, err)
	}
	c.mu.Lock()
	n := len(c.cache)
	c.mu.Unlock()
	require.LessOrEqual(t, n, 3)
}

func TestChecker_ConcurrentQuestionsShareOneCall(t *testing.T) {
	block := make(chan struct{})
	dir := &blockingDirectory{fakeDirectory: fakeDirectory{roles: map[string][]string{tenantA + "|" + alice: {TeamsAdministrator}}}, block: block}
	c := New(dir, Config{})
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			l, err := c.Level(context.Background(), Identity{tenantA, alice})
			require.NoError(t, err)
			require.Equal(t, Admin, l)
		})
	}
	time.Sleep(20 * time.Millisecond)
	close(block)
	wg.Wait()
	require.LessOrEqual(t, dir.callCount(), 2)
}

type blockingDirectory struct {
	fakeDirectory
	block chan struct{}
}

func (d *blockingDirectory) UserDirectoryRoles(ctx context.Context, tenantID, userID string) ([]string, error) {
	<-d.block
	return d.fakeDirectory.UserDirectoryRoles(ctx, tenantID, userID)
}

func BenchmarkChecker_CachedLevel(b *testing.B) {
	dir := &fakeDirectory{roles: map[string][]string{tenantA + "|" + alice: {GlobalAdministrator}}}
	c := New(dir, Config{Overrides: []string{"erin@contoso.example"}})
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if l, _ := c.Level(ctx, Identity{tenantA, alice}); l != Admin {
			b.Fatal(l)
		}
	}
}

// TestNew_WarnsIgnoredOverrides: overrides that identify nobody are logged
// once, cut to 80 characters.
func TestNew_WarnsIgnoredOverrides(t *testing.T) {
	var buf bytes.Buffer
	New(nil, Config{Overrides: []string{"29:legacy-bot-id", strings.Repeat("x", 100), "Erin@Contoso.Example"},
		Logger: slog.New(slog.NewTextHandler(&buf, nil))})
	out := buf.String()
	require.Equal(t, 1, strings.Count(out, "ATTESTBOT_ADMINS entries ignored"), out)
	require.Contains(t, out, "count=2")
	require.Contains(t, out, "29:legacy-bot-id,"+strings.Repeat("x", 80)+"…")
	require.NotContains(t, out, "Erin")
}
