package storetest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/store"
)

// RunDeliveredLog runs the contract suite of store.DeliveredLog. newLog
// returns a fresh, empty log and registers its cleanup.
func RunDeliveredLog(t *testing.T, newLog func(t *testing.T) store.DeliveredLog) {
	tests := []struct {
		name string
		run  func(t *testing.T, l store.DeliveredLog)
	}{
		{"MarkAndFilter", testDeliveredMark},
		{"KeyedByTenantEventChannel", testDeliveredKeys},
		{"Empty", testDeliveredEmpty},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.run(t, newLog(t))
		})
	}
}

func testDeliveredMark(t *testing.T, l store.DeliveredLog) {
	ctx := t.Context()
	users := []string{"29:u1", "29:u2", "29:u3", "29:u4"}
	got, err := l.Undelivered(ctx, "tenant-a", "ev1", "feed", users)
	require.NoError(t, err)
	require.Equal(t, users, got)
	require.NoError(t, l.MarkDelivered(ctx, "tenant-a", "ev1", "feed", "msg1", []string{"29:u3", "29:u1"}))
	got, err = l.Undelivered(ctx, "tenant-a", "ev1", "feed", users)
	require.NoError(t, err)
	require.Equal(t, []string{"29:u2", "29:u4"}, got, "in input order")
	// Marks add up, from the same message or another, and repeat safely.
	require.NoError(t, l.MarkDelivered(ctx, "tenant-a", "ev1", "feed", "msg1", []string{"29:u1", "29:u2"}))
	require.NoError(t, l.MarkDelivered(ctx, "tenant-a", "ev1", "feed", "msg2", []string{"29:u4"}))
	got, err = l.Undelivered(ctx, "tenant-a", "ev1", "feed", users)
	require.NoError(t, err)
	require.Empty(t, got)
}

func testDeliveredKeys(t *testing.T, l store.DeliveredLog) {
	ctx := t.Context()
	require.NoError(t, l.MarkDelivered(ctx, "tenant-a", "ev1", "feed", "msg1", []string{"29:u1"}))
	for _, k := range []struct{ tenant, event, channel string }{
		{"tenant-b", "ev1", "feed"},
		{"tenant", "ev1", "feed"},
		{"tenant-a", "ev2", "feed"},
		{"tenant-a", "ev1", "card"},
	} {
		got, err := l.Undelivered(ctx, k.tenant, k.event, k.channel, []string{"29:u1"})
		require.NoError(t, err)
		require.Equal(t, []string{"29:u1"}, got, "%+v", k)
	}
}

func testDeliveredEmpty(t *testing.T, l store.DeliveredLog) {
	ctx := t.Context()
	require.NoError(t, l.MarkDelivered(ctx, "tenant-a", "ev1", "feed", "msg1", nil))
	got, err := l.Undelivered(ctx, "tenant-a", "ev1", "feed", nil)
	require.NoError(t, err)
	require.Empty(t, got)
}
