package store_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/internal/redistest"
	"github.com/attestbot/attestbot/store"
	"github.com/attestbot/attestbot/store/storetest"
)

// replicas opens n stores on the server at url sharing one fresh key
// prefix: the replicas of one deployment.
func replicas(t *testing.T, url string, n int) []store.Store {
	t.Helper()
	sep := "?"
	if containsQuery(url) {
		sep = "&"
	}
	prefix := fmt.Sprintf("cap%d:", prefixSeq.Add(1))
	out := make([]store.Store, n)
	for i := range out {
		s, err := store.Open(t.Context(), url+sep+"prefix="+prefix)
		require.NoError(t, err)
		t.Cleanup(func() { require.NoError(t, s.Close()) })
		out[i] = s
	}
	return out
}

// runCapabilities runs the four capability suites on the stores that
// newStores returns (two replicas of one store; for bbolt, the same store
// twice), through the store's own pick of implementation.
func runCapabilities(t *testing.T, newStores func(t *testing.T) (a, b store.Store)) {
	t.Run("Outbox", func(t *testing.T) {
		storetest.RunOutbox(t, func(t *testing.T, opts store.OutboxOptions) store.Outbox[storetest.Msg] {
			a, _ := newStores(t)
			return store.NewOutbox[storetest.Msg](a, opts)
		})
	})
	t.Run("SyncLease", func(t *testing.T) {
		storetest.RunSyncLease(t, func(t *testing.T) (store.SyncLease, store.SyncLease) {
			a, b := newStores(t)
			if a == b { // one process: its syncers share one local lease
				l := store.NewSyncLease(a, 0)
				return l, l
			}
			return store.NewSyncLease(a, 0), store.NewSyncLease(b, 0)
		})
	})
	t.Run("Limiter", func(t *testing.T) {
		storetest.RunLimiter(t, func(t *testing.T) (store.Limiter, store.Limiter) {
			a, b := newStores(t)
			if a == b {
				l := store.NewRateLimiter(a)
				return l, l
			}
			return store.NewRateLimiter(a), store.NewRateLimiter(b)
		})
	})
	t.Run("DeliveredLog", func(t *testing.T) {
		storetest.RunDeliveredLog(t, func(t *testing.T) store.DeliveredLog {
			a, _ := newStores(t)
			return store.NewDeliveredLog(a, nil)
		})
	})
}

func TestBolt_Capabilities(t *testing.T) {
	runCapabilities(t, func(t *testing.T) (store.Store, store.Store) {
		s := newBolt(t)
		return s, s
	})
}

func TestRedis_Capabilities(t *testing.T) {
	srv := redistest.Start(t)
	runCapabilities(t, func(t *testing.T) (store.Store, store.Store) {
		r := replicas(t, srv.URL(), 2)
		return r[0], r[1]
	})
}

// TestRedisCluster_Capabilities shows that the Lua scripts of every
// capability touch keys of one hash slot ({notify}).
func TestRedisCluster_Capabilities(t *testing.T) {
	srv := redistest.StartCluster(t)
	runCapabilities(t, func(t *testing.T) (store.Store, store.Store) {
		r := replicas(t, srv.URL(), 2)
		return r[0], r[1]
	})
}

// TestKVOutbox_OnAnyKV runs the outbox suite on the KV outbox over a
// Redis store's KV area: the outbox of a store that is neither bbolt nor
// Redis.
func TestKVOutbox_OnAnyKV(t *testing.T) {
	srv := redistest.Start(t)
	storetest.RunOutbox(t, func(t *testing.T, opts store.OutboxOptions) store.Outbox[storetest.Msg] {
		return store.NewKVOutbox[storetest.Msg](replicas(t, srv.URL(), 1)[0], opts)
	})
}

// TestKVOutbox_RestartVoidsOwnClaims: on bbolt only one process uses the
// file, so the claims of an earlier run (a killed process) are void at
// once for the next run's outbox.
func TestKVOutbox_RestartVoidsOwnClaims(t *testing.T) {
	ctx := t.Context()
	s := newBolt(t)
	clock := storetest.NewClock(time.Date(2022, 8, 1, 0, 0, 0, 0, time.UTC))
	opts := store.OutboxOptions{Now: clock.Now}
	first := store.NewOutbox[storetest.Msg](s, opts)
	m := storetest.Msg{ID: "m1", Tenant: "tenant-a", Enqueued: clock.Now()}
	require.NoError(t, first.Enqueue(ctx, m))
	held, err := first.Claim(ctx, "c1", 1)
	require.NoError(t, err)
	require.Len(t, held, 1)
	none, err := first.Claim(ctx, "c2", 1)
	require.NoError(t, err)
	require.Empty(t, none, "the running process respects its own claim")

	second := store.NewOutbox[storetest.Msg](s, opts)
	again, err := second.Claim(ctx, "c1", 1)
	require.NoError(t, err)
	require.Len(t, again, 1, "the next run takes the killed run's claim at once")
	require.Equal(t, m, again[0].Message)

	shared := store.NewKVOutbox[storetest.Msg](s, opts) // SingleProcess unset: claims hold
	none, err = shared.Claim(ctx, "c3", 1)
	require.NoError(t, err)
	require.Empty(t, none)
}

// TestRedisOutbox_DropsUndecodable: a stream entry that is not a message
// is acknowledged and dropped instead of blocking the queue.
func TestRedisOutbox_DropsUndecodable(t *testing.T) {
	srv := redistest.Start(t)
	ctx := t.Context()
	s := replicas(t, srv.URL(), 1)[0]
	rs, ok := s.(*store.RedisStore)
	require.True(t, ok)
	o := store.NewOutbox[storetest.Msg](s, store.OutboxOptions{})
	good := storetest.Msg{ID: "good", Tenant: "tenant-a"}
	require.NoError(t, o.Enqueue(ctx, good))
	stream := rs.KeyPrefix() + "{notify}:outbox"
	require.NoError(t, rs.Client().XAdd(ctx, &redis.XAddArgs{Stream: stream, Values: []string{"m", "not json"}}).Err())
	cs, err := o.Claim(ctx, "c1", 10)
	require.NoError(t, err)
	require.Len(t, cs, 1)
	require.Equal(t, good, cs[0].Message)
	require.NoError(t, o.Ack(ctx, cs[0]))
	n, err := rs.Client().XLen(ctx, stream).Result()
	require.NoError(t, err)
	require.Zero(t, n, "both entries are gone")
}

// TestRedisLease_Expires: a holder that stops renewing loses the lease
// after its TTL (on the server's clock), and its fence can no longer
// write.
func TestRedisLease_Expires(t *testing.T) {
	srv := redistest.Start(t)
	ctx := t.Context()
	r := replicas(t, srv.URL(), 2)
	const ttl = 200 * time.Millisecond
	a, b := store.NewSyncLease(r[0], ttl), store.NewSyncLease(r[1], ttl)
	fa, err := a.TryAcquire(ctx)
	require.NoError(t, err)
	require.NoError(t, a.SaveCursor(ctx, fa, "src", []byte("c1")))
	var fb store.Fence
	require.Eventually(t, func() bool {
		fb, err = b.TryAcquire(ctx)
		return err == nil
	}, 10*time.Second, ttl/4, "the lease expires without renewal")
	require.Greater(t, fb, fa)
	require.ErrorIs(t, a.SaveCursor(ctx, fa, "src", []byte("stale")), store.ErrLeaseLost)
	require.ErrorIs(t, a.Renew(ctx, fa), store.ErrLeaseLost)
	got, err := b.LoadCursor(ctx, "src")
	require.NoError(t, err)
	require.Equal(t, "c1", string(got))
}

// TestKVDeliveredLog_Expire deletes marks older than the TTL.
func TestKVDeliveredLog_Expire(t *testing.T) {
	ctx := t.Context()
	clock := storetest.NewClock(time.Date(2022, 8, 1, 0, 0, 0, 0, time.UTC))
	l := store.NewKVDeliveredLog(newBolt(t), clock.Now)
	require.NoError(t, l.MarkDelivered(ctx, "tenant-a", "ev1", "feed", "m1", []string{"29:u1"}))
	clock.Advance(time.Hour)
	require.NoError(t, l.MarkDelivered(ctx, "tenant-a", "ev2", "feed", "m2", []string{"29:u1"}))
	n, err := l.Expire(ctx, 30*time.Minute)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	got, err := l.Undelivered(ctx, "tenant-a", "ev1", "feed", []string{"29:u1"})
	require.NoError(t, err)
	require.Equal(t, []string{"29:u1"}, got, "the old mark is gone")
	got, err = l.Undelivered(ctx, "tenant-a", "ev2", "feed", []string{"29:u1"})
	require.NoError(t, err)
	require.Empty(t, got, "the recent mark stays")
}
