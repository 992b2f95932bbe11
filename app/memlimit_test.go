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
		{0, 150 * mib},
		{12 * mib, 150 * mib},  // the sample catalog
		{59 * mib, 150 * mib},  // 2×59+32 = 150
		{60 * mib, 152 * mib},  // the public catalog
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
