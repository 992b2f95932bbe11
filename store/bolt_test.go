package store_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/store"
	"github.com/attestbot/attestbot/store/storetest"
)

// newBolt opens a fresh store without fsync: the contract suite makes
// hundreds of small write transactions, and TestBolt_ReopenKeepsData
// covers the synced default.
func newBolt(t testing.TB) *store.BoltStore {
	t.Helper()
	s, err := store.OpenBolt(filepath.Join(t.TempDir(), "sub", "dir", "attestbot.db"), store.BoltOptions{NoSync: true})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, s.Close()) })
	return s
}

func TestBolt_Contract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return newBolt(t) })
}

func TestBolt_ReopenKeepsData(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "data", "a.db")
	s, err := store.OpenBolt(path, store.BoltOptions{})
	require.NoError(t, err)
	rec := storetest.Record("fr-FR", 1)
	_, err = s.PutRecords(ctx, []*attestation.Record{rec})
	require.NoError(t, err)
	require.NoError(t, s.PutConversation(ctx, store.ConversationRef{TenantID: "t", UserID: "u", ConversationID: "c"}))
	require.NoError(t, s.Put(ctx, "sync", "cursor", []byte("abc")))
	require.NoError(t, s.Close())
	require.NoError(t, s.Close(), "Close is idempotent")
	require.Error(t, s.Ping(ctx), "a closed store does not answer")

	s, err = store.OpenBolt(path, store.BoltOptions{})
	require.NoError(t, err)
	defer s.Close()
	got, err := s.GetRecord(ctx, rec.ID())
	require.NoError(t, err)
	require.Equal(t, rec, got)
	ref, err := s.GetConversation(ctx, "t", "u")
	require.NoError(t, err)
	require.Equal(t, "c", ref.ConversationID)
	v, err := s.Get(ctx, "sync", "cursor")
	require.NoError(t, err)
	require.Equal(t, []byte("abc"), v)
	res, err := s.PutRecords(ctx, []*attestation.Record{storetest.Record("fr-FR", 1)})
	require.NoError(t, err)
	require.Equal(t, 1, res.Unchanged)
}

func TestBolt_LockTimeout(t *testing.T) {
	path := filepath.Join(t.TempDir(), "locked.db")
	s, err := store.OpenBolt(path, store.BoltOptions{})
	require.NoError(t, err)
	defer s.Close()

	start := time.Now()
	_, err = store.OpenBolt(path, store.BoltOptions{LockTimeout: 200 * time.Millisecond})
	require.ErrorIs(t, err, store.ErrLocked)
	require.ErrorContains(t, err, path)
	require.ErrorContains(t, err, "200ms")
	require.GreaterOrEqual(t, time.Since(start), 100*time.Millisecond, "OpenBolt waits for the lock")

	_, err = store.Open(t.Context(), "bolt://"+path+"?lock_timeout=100ms")
	require.ErrorIs(t, err, store.ErrLocked)
}

func TestBolt_OpenErrors(t *testing.T) {
	dir := t.TempDir()
	_, err := store.OpenBolt("", store.BoltOptions{})
	require.ErrorIs(t, err, store.ErrInvalid)
	// A directory is not a database file.
	_, err = store.OpenBolt(dir, store.BoltOptions{})
	require.ErrorContains(t, err, dir)
}
