package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/internal/redistest"
	"github.com/attestbot/attestbot/store"
)

// Finding 7 of issue 10: a store that answers PING but refuses writes is
// not ready. Redis with maxmemory exhausted under noeviction refuses every
// write with OOM while PING still answers, as a full disk does to bbolt.
func TestReadiness_FailingWriteIsNotReady(t *testing.T) {
	ctx := t.Context()
	srv := redistest.Start(t)
	st, err := store.Open(ctx, srv.URL())
	require.NoError(t, err)
	t.Cleanup(func() { _ = st.Close() })
	r := store.NewReadiness(st, time.Nanosecond)
	require.NoError(t, r.Ping(ctx))

	admin := redis.NewClient(&redis.Options{Addr: srv.Addr()})
	t.Cleanup(func() { _ = admin.Close() })
	require.NoError(t, admin.ConfigSet(ctx, "maxmemory-policy", "noeviction").Err())
	require.NoError(t, admin.ConfigSet(ctx, "maxmemory", "1").Err())

	require.NoError(t, st.Ping(ctx), "the store still answers PING")
	err = r.Ping(ctx)
	require.Error(t, err, "but cannot write: not ready")
	require.Contains(t, err.Error(), "write probe")

	require.NoError(t, admin.ConfigSet(ctx, "maxmemory", "0").Err())
	require.NoError(t, r.Ping(ctx), "ready again once writes work")
}

// The result is reused within the interval: a busy /readyz does not write
// on every call.
func TestReadiness_CachedWithinInterval(t *testing.T) {
	ctx := context.Background()
	st := newBolt(t)
	r := store.NewReadiness(st, time.Hour)
	require.NoError(t, r.Ping(ctx))
	require.NoError(t, st.Close())
	require.NoError(t, r.Ping(ctx), "cached")
	r2 := store.NewReadiness(st, time.Hour)
	require.Error(t, r2.Ping(ctx), "a fresh check sees the closed store")
}
