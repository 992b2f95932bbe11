package storetest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/store"
)

// NewLimitersFunc returns two replicas' views of one fresh limiter (for a
// process-local limiter, the same value twice) and registers their
// cleanup.
type NewLimitersFunc func(t *testing.T) (a, b store.Limiter)

// RunLimiter runs the contract suite of store.Limiter.
func RunLimiter(t *testing.T, newLimiters NewLimitersFunc) {
	tests := []struct {
		name string
		run  func(t *testing.T, a, b store.Limiter)
	}{
		{"SlidingWindow", testLimiterWindow},
		{"SharedByReplicas", testLimiterShared},
		{"NoLimit", testLimiterNoLimit},
		{"KeysIndependent", testLimiterKeys},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, b := newLimiters(t)
			tc.run(t, a, b)
		})
	}
}

func testLimiterWindow(t *testing.T, a, _ store.Limiter) {
	ctx := t.Context()
	perMinute := store.Rate{Limit: 10, Per: time.Minute}
	var waits []time.Duration
	for range 12 {
		w, err := a.Reserve(ctx, suiteStart, perMinute, "user:t:u")
		require.NoError(t, err)
		waits = append(waits, w)
	}
	for _, w := range waits[:10] {
		require.Zero(t, w, "a burst of 10 per minute")
	}
	require.Equal(t, time.Minute, waits[10])
	require.Equal(t, time.Minute, waits[11])
	// The slot is recorded on every key: a key that was free waits too.
	w, err := a.Reserve(ctx, suiteStart, perMinute, "user:t:v", "user:t:u")
	require.NoError(t, err)
	require.Equal(t, time.Minute, w)
	// Once the window has passed, there is room again.
	w, err = a.Reserve(ctx, suiteStart.Add(3*time.Minute), perMinute, "user:t:u")
	require.NoError(t, err)
	require.Zero(t, w)
}

func testLimiterShared(t *testing.T, a, b store.Limiter) {
	ctx := t.Context()
	var waits []time.Duration
	for i := range 6 {
		l := a
		if i%2 == 1 {
			l = b
		}
		w, err := l.Reserve(ctx, suiteStart, store.Rate{Limit: 2, Per: time.Second}, "bulk:tenant")
		require.NoError(t, err)
		waits = append(waits, w)
	}
	// 2 per second across both replicas.
	require.Equal(t, []time.Duration{0, 0, time.Second, time.Second, 2 * time.Second, 2 * time.Second}, waits)
}

func testLimiterNoLimit(t *testing.T, a, _ store.Limiter) {
	ctx := t.Context()
	for range 3 {
		w, err := a.Reserve(ctx, suiteStart, store.Rate{}, "k")
		require.NoError(t, err)
		require.Zero(t, w)
		w, err = a.Reserve(ctx, suiteStart, store.Rate{Limit: 1, Per: time.Hour})
		require.NoError(t, err)
		require.Zero(t, w, "no key, no limit")
	}
}

func testLimiterKeys(t *testing.T, a, _ store.Limiter) {
	ctx := t.Context()
	oneAMinute := store.Rate{Limit: 1, Per: time.Minute}
	for _, k := range []string{"single:tenant-a", "single:tenant-b"} {
		w, err := a.Reserve(ctx, suiteStart, oneAMinute, k)
		require.NoError(t, err)
		require.Zero(t, w, k)
	}
	w, err := a.Reserve(ctx, suiteStart, oneAMinute, "single:tenant-a")
	require.NoError(t, err)
	require.Equal(t, time.Minute, w)
}
