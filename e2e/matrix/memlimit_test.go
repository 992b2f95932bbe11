package matrix

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/internal/binarytest"
)

// TestServeMemoryLimit: without GOMEMLIMIT, serve sets its own soft memory
// limit once the catalog is loaded (at least 128 MiB), and without GOGC its
// GC percentage (at least 100), and says so; what the operator sets is left
// alone.
func TestServeMemoryLimit(t *testing.T) {
	settings := func(env ...string) []map[string]any {
		srv := binarytest.Start(t, append([]string{"ATTESTBOT_LOG_FORMAT=json"}, env...), binarytest.Options{})
		status, _, err := srv.Ready(t.Context())
		require.NoError(t, err)
		require.Equal(t, 200, status)
		require.NoError(t, srv.Stop())
		var out []map[string]any
		for _, r := range srv.LogRecords() {
			if r["msg"] == "memory settings" {
				out = append(out, r)
			}
		}
		return out
	}
	own := settings()
	require.Len(t, own, 1, "one catalog load, one line")
	require.GreaterOrEqual(t, own[0]["limit_mib"], float64(128))
	require.GreaterOrEqual(t, own[0]["gc_percent"], float64(100))
	require.Contains(t, own[0], "live_heap_mib")

	limit := settings("GOMEMLIMIT=300MiB")
	require.Len(t, limit, 1)
	require.NotContains(t, limit[0], "limit_mib", "the operator's limit stands")
	require.Contains(t, limit[0], "gc_percent")

	gc := settings("GOGC=150")
	require.Len(t, gc, 1)
	require.NotContains(t, gc[0], "gc_percent", "the operator's GOGC stands")
	require.Contains(t, gc[0], "limit_mib")

	require.Empty(t, settings("GOMEMLIMIT=300MiB", "GOGC=150"), "nothing to set, nothing said")
}
