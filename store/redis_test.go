package store_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/internal/redistest"
	"github.com/attestbot/attestbot/store"
	"github.com/attestbot/attestbot/store/storetest"
)

var prefixSeq atomic.Int64

// redisFactory returns a factory of stores on one server, each with its own
// key prefix so that subtests do not see each other's keys.
func redisFactory(url string) func(t *testing.T) store.Store {
	return func(t *testing.T) store.Store {
		sep := "?"
		if containsQuery(url) {
			sep = "&"
		}
		s, err := store.Open(t.Context(), fmt.Sprintf("%s%sprefix=test%d:", url, sep, prefixSeq.Add(1)))
		require.NoError(t, err)
		t.Cleanup(func() { require.NoError(t, s.Close()) })
		return s
	}
}

func containsQuery(url string) bool {
	for i := range len(url) {
		if url[i] == '?' {
			return true
		}
	}
	return false
}

func TestRedis_Contract(t *testing.T) {
	srv := redistest.Start(t)
	storetest.Run(t, redisFactory(srv.URL()))
}

func TestRedisCluster_Contract(t *testing.T) {
	srv := redistest.StartCluster(t)
	storetest.Run(t, redisFactory(srv.URL()))
}

func TestRedisSentinel_Contract(t *testing.T) {
	master := redistest.Start(t)
	sentinel := redistest.StartSentinel(t, master, "mymaster")
	storetest.Run(t, redisFactory(sentinel.URL()))
}

func TestRedis_KeyLayout(t *testing.T) {
	srv := redistest.Start(t)
	ctx := t.Context()
	s, err := store.OpenRedis(ctx, srv.URL()+"/2")
	require.NoError(t, err)
	defer s.Close()
	require.Equal(t, store.DefaultKeyPrefix, s.KeyPrefix())

	rec := storetest.Record("fr-FR", 1)
	_, err = s.PutRecords(ctx, []*attestation.Record{rec})
	require.NoError(t, err)
	require.NoError(t, s.PutConversation(ctx, store.ConversationRef{TenantID: "t", UserID: "u"}))
	_, err = s.MarkSeen(ctx, "act", time.Minute)
	require.NoError(t, err)
	require.NoError(t, s.Put(ctx, "subs", "k", []byte("v")))

	raw := redis.NewClient(&redis.Options{Addr: srv.Addr(), DB: 2})
	defer raw.Close()
	keys, _, err := raw.Scan(ctx, 0, "*", 100).Result()
	require.NoError(t, err)
	require.ElementsMatch(t, []string{
		"attestbot:rec:" + rec.ID(), "attestbot:idx:records", "attestbot:conv:t",
		"attestbot:seen:act", "attestbot:kv:subs",
	}, keys, "every key has the prefix; the URL path selects db 2")
	ttl, err := raw.PTTL(ctx, "attestbot:seen:act").Result()
	require.NoError(t, err)
	require.Greater(t, ttl, 50*time.Second)
}

func TestRedis_Restart(t *testing.T) {
	srv := redistest.Start(t)
	ctx := t.Context()
	s, err := store.Open(ctx, srv.URL()+"?dial_timeout=200ms&max_retries=0")
	require.NoError(t, err)
	defer s.Close()
	require.NoError(t, s.Put(ctx, "b", "k", []byte("v")))

	srv.Stop()
	pctx, cancel := context.WithTimeout(ctx, time.Second)
	require.Error(t, s.Ping(pctx), "Ping reports a server that is down (/readyz)")
	cancel()

	srv.Restart(t)
	require.Eventually(t, func() bool { return s.Ping(ctx) == nil }, 5*time.Second, 20*time.Millisecond,
		"the store reconnects by itself")
	_, err = s.Get(ctx, "b", "k")
	require.ErrorIs(t, err, store.ErrNotFound, "the test server keeps nothing across a restart")
	require.NoError(t, s.Put(ctx, "b", "k", []byte("v2")))
}

func TestRedis_OpenUnreachable(t *testing.T) {
	srv := redistest.Start(t)
	url := srv.URL() + "?dial_timeout=200ms&max_retries=0"
	srv.Stop()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
	defer cancel()
	_, err := store.Open(ctx, url)
	require.ErrorContains(t, err, "open redis store (single, "+srv.Addr()+")")
}

func TestRedis_AuthPasswordNotLeaked(t *testing.T) {
	srv := redistest.Start(t)
	_, err := redistest.Do(srv.Addr(), "CONFIG", "SET", "requirepass", "s3cret-pw")
	require.NoError(t, err)
	ctx := t.Context()

	s, err := store.Open(ctx, "redis://:s3cret-pw@"+srv.Addr())
	require.NoError(t, err)
	require.NoError(t, s.Put(ctx, "b", "k", nil))
	require.NoError(t, s.Close())

	_, err = store.Open(ctx, "redis://:wrong-pw@"+srv.Addr())
	require.Error(t, err)
	require.NotContains(t, err.Error(), "wrong-pw")
}
