package notify

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/store"
)

type fakeTenantApps map[string][]string

func (f fakeTenantApps) TenantApps(_ context.Context, tenantID string) ([]string, error) {
	if tenantID == "broken" {
		return nil, errors.New("graph down")
	}
	return f[tenantID], nil
}

// TestSubscribers_Tenant checks "tenant" subscriptions: they fire for the
// apps of the subscriber's own tenant catalog only, admins only.
func TestSubscribers_Tenant(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "s.db"))
	require.NoError(t, err)
	defer st.Close()
	apps := fakeTenantApps{"t1": {"teams/plumm-health-ltd"}, "t2": {"teams/saberr"}}
	subs := NewSubscriptions(st, st, AdminList{"admin1", "admin2", "admin3"}).WithTenantApps(apps, nil)
	for _, u := range []User{{TenantID: "t1", ID: "admin1"}, {TenantID: "t2", ID: "admin2"}, {TenantID: "broken", ID: "admin3"}} {
		_, err := subs.Subscribe(ctx, u, "tenant")
		require.NoError(t, err)
	}
	_, err = subs.Subscribe(ctx, User{TenantID: "t1", ID: "someone"}, "tenant")
	require.ErrorIs(t, err, ErrAdminOnly)

	rs, err := subs.Subscribers(ctx, Event{Apps: []string{"plumm-health-ltd"}, AppKind: "teams"})
	require.NoError(t, err)
	require.Len(t, rs, 1)
	require.Equal(t, "t1", rs[0].TenantID)
	require.Equal(t, "admin1", rs[0].Users[0].ID)

	rs, err = subs.Subscribers(ctx, Event{Apps: []string{"plumm-health-ltd"}, AppKind: "saas"})
	require.NoError(t, err)
	require.Empty(t, rs, "a saas page of the same slug is another app")

	list, err := subs.List(ctx, "t2", "admin2")
	require.NoError(t, err)
	require.Equal(t, TargetTenant, list[0].Kind)
}
