package app

import (
	"io"
	"log/slog"
	"runtime/debug"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestLimitFor(t *testing.T) {
	const mib = 1 << 20
	tests := []struct {
		live, want int64
	}{
		{0, 128 * mib},
		{12 * mib, 128 * mib},  // the sample catalog
		{46 * mib, 128 * mib},  // the 13k set: 2×46+32 = 124
		{48 * mib, 128 * mib},  // 2×48+32 = 128
		{60 * mib, 152 * mib},  // a catalog a quarter larger
		{200 * mib, 432 * mib}, // a catalog three times its size
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, limitFor(tt.live), "live %d MiB", tt.live/mib)
	}
}

// TestMemoryLimitSettle: off, the runtime's limit is left alone; on, it is
// set at start and from the live heap after a load.
func TestMemoryLimitSettle(t *testing.T) {
	prev := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetMemoryLimit(prev) })
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))

	off := memoryLimit{log: quiet}
	off.start()
	off.settle()
	require.Equal(t, prev, debug.SetMemoryLimit(-1))

	on := memoryLimit{on: true, log: quiet}
	on.start()
	require.EqualValues(t, minMemoryLimit, debug.SetMemoryLimit(-1))
	on.settle()
	require.Equal(t, limitFor(liveHeap()), debug.SetMemoryLimit(-1))
	require.Positive(t, liveHeap())
}
