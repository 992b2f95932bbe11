package storetest

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/store"
)

// NewLeasesFunc returns two replicas' views of one fresh sync lease (for a
// process-local lease, the same value twice) and registers their cleanup.
type NewLeasesFunc func(t *testing.T) (a, b store.SyncLease)

// RunSyncLease runs the contract suite of store.SyncLease. Expiry is
// backend-specific (a Redis lease has a TTL, a local one none) and tested
// apart.
func RunSyncLease(t *testing.T, newLeases NewLeasesFunc) {
	tests := []struct {
		name string
		run  func(t *testing.T, a, b store.SyncLease)
	}{
		{"ExclusiveAndFenced", testLeaseFenced},
		{"CursorMissing", testLeaseCursorMissing},
		{"ConcurrentAcquire", testLeaseConcurrent},
		{"CanceledAcquireTakesNothing", testLeaseCanceled},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, b := newLeases(t)
			tc.run(t, a, b)
		})
	}
}

func testLeaseFenced(t *testing.T, a, b store.SyncLease) {
	ctx := t.Context()
	fa, err := a.TryAcquire(ctx)
	require.NoError(t, err)
	_, err = b.TryAcquire(ctx)
	require.ErrorIs(t, err, store.ErrNotLeader)
	require.NoError(t, a.Check(ctx, fa))
	require.NoError(t, a.Renew(ctx, fa))
	require.NoError(t, a.SaveCursor(ctx, fa, "src", []byte("c1")))
	require.NoError(t, a.Release(ctx, fa))

	fb, err := b.TryAcquire(ctx)
	require.NoError(t, err)
	require.Greater(t, fb, fa, "fences grow")
	require.ErrorIs(t, a.SaveCursor(ctx, fa, "src", []byte("stale")), store.ErrLeaseLost, "a stale fence cannot write")
	require.ErrorIs(t, a.Renew(ctx, fa), store.ErrLeaseLost)
	require.ErrorIs(t, a.Check(ctx, fa), store.ErrLeaseLost)
	require.NoError(t, b.SaveCursor(ctx, fb, "src", []byte("c2")))
	got, err := a.LoadCursor(ctx, "src")
	require.NoError(t, err)
	require.Equal(t, "c2", string(got), "every replica reads the leader's cursor")
	require.NoError(t, a.Release(ctx, fa), "releasing a lost lease is a no-op")
	require.NoError(t, b.Check(ctx, fb), "and leaves the holder alone")
	require.NoError(t, b.Release(ctx, fb))
	fa2, err := a.TryAcquire(ctx)
	require.NoError(t, err)
	require.Greater(t, fa2, fb)
	require.NoError(t, a.Release(ctx, fa2))
}

func testLeaseCursorMissing(t *testing.T, a, _ store.SyncLease) {
	got, err := a.LoadCursor(t.Context(), "never-saved")
	require.NoError(t, err)
	require.Nil(t, got)
}

func testLeaseConcurrent(t *testing.T, a, b store.SyncLease) {
	ctx := t.Context()
	var wins atomic.Int32
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := range 8 {
		l := a
		if i%2 == 1 {
			l = b
		}
		wg.Go(func() {
			_, err := l.TryAcquire(ctx)
			switch {
			case err == nil:
				wins.Add(1)
			case !errors.Is(err, store.ErrNotLeader):
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	require.Equal(t, int32(1), wins.Load(), "exactly one replica leads")
}

func testLeaseCanceled(t *testing.T, a, b store.SyncLease) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := a.TryAcquire(ctx)
	require.Error(t, err)
	f, err := b.TryAcquire(t.Context())
	require.NoError(t, err, "a failed acquisition holds nothing")
	require.NoError(t, b.Release(t.Context(), f))
}
