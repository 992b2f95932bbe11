package chat

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/audit"
	"github.com/attestbot/attestbot/cards"
	"github.com/attestbot/attestbot/internal/roles"
)

// fakeAuditor serves one report per tenant and records its calls.
type fakeAuditor struct {
	mu      sync.Mutex
	reports map[string]*audit.Result
	err     error
	calls   []string // tenant|force
}

func (f *fakeAuditor) Audit(_ context.Context, tenantID string, force bool) (*audit.Result, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, fmt.Sprintf("%s|%v", tenantID, force))
	if f.err != nil {
		return nil, f.err
	}
	if r, ok := f.reports[tenantID]; ok {
		return r, nil
	}
	return &audit.Result{TenantID: tenantID}, nil
}

func (f *fakeAuditor) called() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.calls...)
}

// reasonError is a Graph failure as graphclient shapes it.
type reasonError struct {
	reason string
	after  time.Duration
}

func (e *reasonError) Error() string             { return "graph: " + e.reason }
func (e *reasonError) Reason() string            { return e.reason }
func (e *reasonError) RetryAfter() time.Duration { return e.after }

func auditService(t *testing.T, a Auditor) *Service {
	t.Helper()
	cat := NewCatalog(memRecords{})
	_, err := cat.Reload(t.Context())
	require.NoError(t, err)
	opts := []Option{WithAdmins([]string{"Admin-1"})}
	if a != nil {
		opts = append(opts, WithAuditor(a))
	}
	return NewService(cat, cards.New(), opts...)
}

func report(tenant string, n int) *audit.Result {
	r := &audit.Result{TenantID: tenant, Summary: audit.Summary{Apps: n, NoRecord: n}, GeneratedAt: time.Now()}
	for i := range n {
		r.Apps = append(r.Apps, audit.App{Name: fmt.Sprintf("%s app %d", tenant, i), Distribution: "store", Risk: 20})
	}
	return r
}

func TestService_AuditText(t *testing.T) {
	fa := &fakeAuditor{reports: map[string]*audit.Result{"t1": report("t1", 3), "t2": report("t2", 25)}}
	s := auditService(t, fa)
	admin1 := User{TenantID: "t1", ID: "admin-1", AADObjectID: "admin-1", Locale: "en-US"}
	admin2 := User{TenantID: "t2", ID: "ADMIN-1", AADObjectID: "ADMIN-1"}
	tests := []struct {
		name, text string
		user       User
		want       string
		wantCall   string
	}{
		{"audit", "audit", admin1, "t1 app 2", "t1|false"},
		{"audit my tenant", "Audit my tenant", admin1, "Tenant audit", "t1|false"},
		{"tenant audit", "  tenant   audit? ", admin1, "Tenant audit", "t1|false"},
		{"audit the tenant", "audit the tenant!", admin1, "Tenant audit", "t1|false"},
		{"another tenant sees its own apps", "audit", admin2, "t2 app 0", "t2|false"},
		{"not an admin", "audit", User{TenantID: "t1", ID: "someone"}, "Only admins can audit the tenant", ""},
		{"no tenant", "audit", User{ID: "admin-1", AADObjectID: "admin-1"}, "I cannot tell which tenant you are in", ""},
		{"a channel ID is no identity", "audit", User{TenantID: "t1", ID: "admin-1"}, "Only admins can audit the tenant", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := len(fa.called())
			raw := cardText(t, s.Text(t.Context(), tc.user, tc.text))
			require.Contains(t, raw, tc.want)
			calls := fa.called()[before:]
			if tc.wantCall == "" {
				require.Empty(t, calls)
				return
			}
			require.Equal(t, []string{tc.wantCall}, calls)
			if tc.user.TenantID == "t2" {
				require.NotContains(t, raw, "t1 app")
			}
		})
	}
	// "audit plumm" is no audit request.
	before := len(fa.called())
	s.Text(t.Context(), admin1, "audit plumm")
	require.Len(t, fa.called(), before)
}

func TestService_AuditAction(t *testing.T) {
	fa := &fakeAuditor{reports: map[string]*audit.Result{"t2": report("t2", 25)}}
	s := auditService(t, fa)
	admin := User{TenantID: "t2", ID: "admin-1", AADObjectID: "admin-1"}
	raw := cardText(t, s.Action(t.Context(), admin, cards.ActionData{Verb: cards.VerbAudit, Page: 1, Force: true}))
	require.Equal(t, []string{"t2|true"}, fa.called())
	require.Contains(t, raw, "page 2 of 3")
	require.Contains(t, raw, "t2 app 10")
	require.NotContains(t, raw, "t2 app 9\"")

	raw = cardText(t, s.Action(t.Context(), User{TenantID: "t2", ID: "other"}, cards.ActionData{Verb: cards.VerbAudit}))
	require.Contains(t, raw, "Only admins")
	require.Len(t, fa.called(), 1)
}

func TestService_AuditErrors(t *testing.T) {
	admin := User{TenantID: "t1", ID: "admin-1", AADObjectID: "admin-1"}
	tests := []struct {
		name string
		err  error
		want []string
	}{
		{"missing consent", fmt.Errorf("list catalog: %w", &reasonError{reason: "forbidden"}),
			[]string{"attestbot may not read your tenant", "Application.Read.All", "Directory.Read.All", "Try again"}},
		{"throttled", &reasonError{reason: "throttled", after: 2500 * time.Millisecond},
			[]string{"Microsoft Graph is busy", "Try again in 3 seconds"}},
		{"throttled without a wait", &reasonError{reason: "throttled"}, []string{"Try again in a minute"}},
		{"anything else", errors.New("boom: secret-ish detail"), []string{"The tenant audit failed"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := auditService(t, &fakeAuditor{err: tc.err})
			raw := cardText(t, s.Text(t.Context(), admin, "audit"))
			for _, w := range tc.want {
				require.Contains(t, raw, w)
			}
			require.NotContains(t, raw, "secret-ish")
			require.Contains(t, raw, `"verb":"audit"`, "a retry button")
		})
	}
	s := auditService(t, nil)
	require.Contains(t, cardText(t, s.Text(t.Context(), admin, "audit")), "The tenant audit is not available")
}

func cardText(t *testing.T, c *cards.AdaptiveCard) string {
	t.Helper()
	raw, err := cards.Encode(c)
	require.NoError(t, err)
	return string(raw)
}

// fakeRoles gives levels per tenant|object ID, or an error.
type fakeRoles struct {
	levels map[string]roles.Level
	err    error
}

func (f fakeRoles) Level(_ context.Context, u User) (roles.Level, error) {
	if f.err != nil {
		return roles.None, f.err
	}
	return f.levels[u.TenantID+"|"+u.AADObjectID], nil
}

// TestService_AdminsByRole: admins are recognised by their roles in their
// own tenant (finding 4); a Global Reader views the audit but takes no
// tenant-wide action; a failure to read the roles denies with a card that
// says so; the same person is nobody in another tenant.
func TestService_AdminsByRole(t *testing.T) {
	fa := &fakeAuditor{reports: map[string]*audit.Result{"ta": report("ta", 2), "tb": report("tb", 2)}}
	subs := &memSubs{subs: map[string][]string{}}
	r := fakeRoles{levels: map[string]roles.Level{"ta|alice": roles.Admin, "ta|gina": roles.Reader, "tb|bob": roles.Admin}}
	s := NewService(NewCatalog(memRecords{}), cards.New(), WithAuditor(fa), WithRoles(r), WithSubscriptions(subs),
		WithAdmins([]string{"mallory"})) // ignored: roles decide
	ctx := t.Context()
	alice := User{TenantID: "ta", ID: "alice", AADObjectID: "alice"}
	aliceInB := User{TenantID: "tb", ID: "alice", AADObjectID: "alice"}
	gina := User{TenantID: "ta", ID: "gina", AADObjectID: "gina"}
	tests := []struct {
		name string
		user User
		text string
		want string
	}{
		{"admin audits its tenant", alice, "audit", "ta app 1"},
		{"admin subscribes to all", alice, "subscribe all", "Subscribed"},
		{"admin of A is nobody in B", aliceInB, "audit", "Only admins can audit the tenant"},
		{"admin of A cannot act in B", aliceInB, "subscribe all", "Only admins can subscribe to all apps"},
		{"reader views the audit", gina, "audit", "ta app 0"},
		{"reader takes no tenant-wide action", gina, "subscribe all", "Global Reader gives the read-only views"},
		{"reader cannot follow the tenant", gina, "subscribe tenant", "Only admins can subscribe to the tenant"},
		{"static list ignored once roles decide", User{TenantID: "ta", ID: "mallory", AADObjectID: "mallory"}, "audit", "Only admins"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			raw := cardText(t, s.Text(ctx, tc.user, tc.text))
			require.Contains(t, raw, tc.want)
			if tc.user.TenantID == "tb" {
				require.NotContains(t, raw, "ta app")
			}
		})
	}
	require.True(t, s.IsAdmin(ctx, alice))
	require.False(t, s.IsAdmin(ctx, aliceInB))
	require.False(t, s.IsAdmin(ctx, gina))
	for _, c := range fa.called() {
		require.Contains(t, c, "ta|", "tenant B was never audited for tenant A's users")
	}

	failing := NewService(NewCatalog(memRecords{}), cards.New(), WithAuditor(fa),
		WithRoles(fakeRoles{err: fmt.Errorf("%w: forbidden", roles.ErrUnavailable)}), WithSubscriptions(subs))
	before := len(fa.called())
	for _, text := range []string{"audit", "subscribe all"} {
		raw := cardText(t, failing.Text(ctx, alice, text))
		require.Contains(t, raw, "I could not check your admin roles")
		require.Contains(t, raw, "RoleManagement.Read.Directory")
	}
	require.Len(t, fa.called(), before, "denied: no audit")
	require.False(t, failing.IsAdmin(ctx, alice))
}
