package matrix

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/internal/binarytest"
)

// TestServeMemoryLimit: without GOMEMLIMIT, serve sets its own soft memory
// limit once the catalog is loaded (at least 128 MiB) and says so; an
// operator's GOMEMLIMIT is left alone.
func TestServeMemoryLimit(t *testing.T) {
	limitLines := func(env ...string) []map[string]any {
		srv := binarytest.Start(t, append([]string{"ATTESTBOT_LOG_FORMAT=json"}, env...), binarytest.Options{})
		status, _, err := srv.Ready(t.Context())
		require.NoError(t, err)
		require.Equal(t, 200, status)
		require.NoError(t, srv.Stop())
		var out []map[string]any
		for _, r := range srv.LogRecords() {
			if r["msg"] == "memory limit" {
				out = append(out, r)
			}
		}
		return out
	}
	own := limitLines()
	require.Len(t, own, 1, "one catalog load, one limit")
	require.GreaterOrEqual(t, own[0]["limit_mib"], float64(128))
	require.Contains(t, own[0], "live_heap_mib")
	require.Empty(t, limitLines("GOMEMLIMIT=300MiB"), "the operator's limit stands")
}
