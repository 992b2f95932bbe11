package store_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/internal/redistest"
	"github.com/attestbot/attestbot/store"
)

// syncBuffer is a log sink safe for go-redis's background goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Finding 7 of issue 10: go-redis's own lines go through slog, so a JSON
// log has no plain-text line.
func TestSetRedisLogger_JSONOnly(t *testing.T) {
	srv := redistest.Start(t)
	var out syncBuffer
	store.SetRedisLogger(slog.New(slog.NewJSONHandler(&out, nil)))
	t.Cleanup(func() { store.SetRedisLogger(nil) })

	// A plain server is no sentinel: go-redis logs the failed lookup.
	c := redis.NewFailoverClient(&redis.FailoverOptions{MasterName: "mymaster", SentinelAddrs: []string{srv.Addr()}, MaxRetries: -1})
	require.Error(t, c.Ping(t.Context()).Err())
	require.NoError(t, c.Close())

	logged := strings.TrimSpace(out.String())
	require.NotEmpty(t, logged, "go-redis logged through slog")
	for _, line := range strings.Split(logged, "\n") {
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &m), "plain line in the JSON log: %s", line)
		require.Equal(t, "redis client", m["msg"])
		require.Contains(t, m["detail"], "sentinel")
	}
}
