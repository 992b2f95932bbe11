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

func TestGCPercentFor(t *testing.T) {
	const mib = 1 << 20
	tests := []struct {
		live int64
		want int
	}{
		{0, 1000},
		{2 * mib, 1000},  // capped
		{6 * mib, 433},   // the sample catalog after its load: goal 32 MiB
		{13 * mib, 146},  // the sample under load
		{16 * mib, 100},  // half the floor: Go's default
		{46 * mib, 100},  // the 13k set
		{200 * mib, 100}, // never below the default
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, gcPercentFor(tt.live), "live %d MiB", tt.live/mib)
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
	require.Equal(t, 100, debug.SetGCPercent(100), "the GC percentage is left alone")

	gc := memoryLimit{gc: true, log: quiet}
	limit := debug.SetMemoryLimit(-1)
	gc.settle()
	require.Equal(t, limit, debug.SetMemoryLimit(-1), "the memory limit is left alone")
	require.Equal(t, gcPercentFor(liveHeap()), debug.SetGCPercent(100))
}
