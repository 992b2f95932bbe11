package store

import (
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.etcd.io/bbolt"

	"github.com/attestbot/attestbot/attestation"
)

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func seenKeys(t *testing.T, s *BoltStore) []string {
	t.Helper()
	require.NoError(t, s.flushSeen())
	var keys []string
	require.NoError(t, s.db.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(bktSeen).ForEach(func(k, _ []byte) error {
			keys = append(keys, string(k))
			return nil
		})
	}))
	return keys
}

func TestBolt_MarkSeenSweepsExpired(t *testing.T) {
	ctx := t.Context()
	clock := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	s, err := OpenBolt(filepath.Join(t.TempDir(), "s.db"), BoltOptions{Now: clock.now, SweepInterval: time.Minute})
	require.NoError(t, err)
	defer s.Close()

	for _, k := range []string{"a", "b", "c"} {
		first, err := s.MarkSeen(ctx, k, 10*time.Second)
		require.NoError(t, err)
		require.True(t, first)
	}
	first, err := s.MarkSeen(ctx, "long", time.Hour)
	require.NoError(t, err)
	require.True(t, first)
	require.NoError(t, s.flushSeen()) // the first commit sweeps (nothing yet)

	clock.add(30 * time.Second) // a, b, c expired; sweep not yet due
	first, err = s.MarkSeen(ctx, "d", time.Hour)
	require.NoError(t, err)
	require.True(t, first)
	require.ElementsMatch(t, []string{"a", "b", "c", "d", "long"}, seenKeys(t, s))

	first, err = s.MarkSeen(ctx, "a", time.Second) // expired counts as absent
	require.NoError(t, err)
	require.True(t, first)

	clock.add(time.Minute) // sweep due; a expired again
	first, err = s.MarkSeen(ctx, "e", time.Hour)
	require.NoError(t, err)
	require.True(t, first)
	require.ElementsMatch(t, []string{"d", "e", "long"}, seenKeys(t, s))
}

func TestBolt_MarkSeenWriteBehind(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "s.db")
	s, err := OpenBolt(path, BoltOptions{})
	require.NoError(t, err)

	// Many goroutines mark the same keys at once: each key is first once.
	const workers, keys = 8, 50
	var mu sync.Mutex
	firsts := map[string]int{}
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < keys; i++ {
				k := fmt.Sprintf("activity-%d", i)
				first, err := s.MarkSeen(ctx, k, time.Hour)
				if err != nil {
					t.Error(err)
					return
				}
				if first {
					mu.Lock()
					firsts[k]++
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	require.Len(t, firsts, keys)
	for k, n := range firsts {
		require.Equal(t, 1, n, "key %s reported first %d times", k, n)
	}

	// Close commits what is pending: after a restart every mark holds.
	require.NoError(t, s.Close())
	_, err = s.MarkSeen(ctx, "after-close", time.Hour)
	require.Error(t, err)
	s, err = OpenBolt(path, BoltOptions{})
	require.NoError(t, err)
	defer s.Close()
	require.Len(t, seenKeys(t, s), keys)
	for i := 0; i < keys; i++ {
		first, err := s.MarkSeen(ctx, fmt.Sprintf("activity-%d", i), time.Hour)
		require.NoError(t, err)
		require.False(t, first, "activity-%d marked before the restart", i)
	}
}

// TestBolt_RecordCountKept: the count of records is kept in the meta
// bucket by every put and delete, and a file written before it was kept
// gets it counted once when opened.
func TestBolt_RecordCountKept(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "a.db")
	s, err := OpenBolt(path, BoltOptions{NoSync: true})
	require.NoError(t, err)
	var recs []*attestation.Record
	for i := range 5 {
		recs = append(recs, &attestation.Record{Locale: "fr-FR", Kind: "teams", Slug: fmt.Sprintf("app-%d", i),
			Path: fmt.Sprintf("Apps/teams/app-%d.md", i), Name: "App"})
	}
	_, err = s.PutRecords(ctx, recs)
	require.NoError(t, err)
	_, err = s.PutRecords(ctx, recs[:2]) // unchanged: no change to the count
	require.NoError(t, err)
	require.NoError(t, s.DeleteRecord(ctx, recs[4].ID()))
	count := func() int {
		n, err := s.CountRecords(ctx)
		require.NoError(t, err)
		return n
	}
	require.Equal(t, 4, count())
	var stats int
	require.NoError(t, s.db.View(func(tx *bbolt.Tx) error { stats = tx.Bucket(bktRecords).Stats().KeyN; return nil }))
	require.Equal(t, stats, count(), "the kept count is the bucket's")

	// A file of an older version: no count kept.
	require.NoError(t, s.db.Update(func(tx *bbolt.Tx) error { return tx.Bucket(bktMeta).Delete(metaRecords) }))
	require.NoError(t, s.Close())
	s, err = OpenBolt(path, BoltOptions{NoSync: true})
	require.NoError(t, err)
	defer s.Close()
	require.Equal(t, 4, count())
}
