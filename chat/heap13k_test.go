package chat

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/internal/benchcpu"
	"github.com/attestbot/attestbot/store"
)

// TestCatalogHeap13k loads the bbolt store named by ATTESTBOT_13K_DB (the
// imported 13k set: scripts/bench-13k.sh; the file is copied first, never
// written) into a compact catalog, as serve does, and reports what the
// collector marks: live heap, heap objects, scannable bytes and the time
// and CPU of a forced collection. Without the variable it is skipped;
// ATTESTBOT_13K_HEAPPROFILE names a heap profile to write with the catalog
// loaded (run with -test.memprofilerate=4096 for a fine one).
func TestCatalogHeap13k(t *testing.T) {
	src := os.Getenv("ATTESTBOT_13K_DB")
	if src == "" {
		t.Skip("set ATTESTBOT_13K_DB to an imported 13k store (scripts/bench-13k.sh)")
	}
	data, err := os.ReadFile(src)
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "imp.db")
	require.NoError(t, os.WriteFile(path, data, 0o600))
	data = nil
	ctx := context.Background()
	st, err := store.Open(ctx, path)
	require.NoError(t, err)
	defer func() { require.NoError(t, st.Close()) }()

	before := heapFigures()
	cat := NewCatalog(st)
	t0 := time.Now()
	n, err := cat.Reload(ctx)
	require.NoError(t, err)
	load := time.Since(t0)
	after := heapFigures()
	t.Logf("%d records, %d apps, loaded in %v", n, cat.Index().Len(), load.Round(time.Millisecond))
	t.Logf("process: live %.1f MB, %d objects, scannable %.1f MB; forced GC %.2f ms wall, %.2f ms CPU (least %.2f)",
		after.live/1e6, after.objects, after.scan/1e6, after.gcWall*1e3, after.gcCPU*1e3, after.gcCPUMin*1e3)
	t.Logf("catalog: live %.1f MB, %d objects, scannable %.1f MB; forced GC +%.2f ms wall, +%.2f ms CPU (least +%.2f)",
		(after.live-before.live)/1e6, after.objects-before.objects, (after.scan-before.scan)/1e6,
		(after.gcWall-before.gcWall)*1e3, (after.gcCPU-before.gcCPU)*1e3, (after.gcCPUMin-before.gcCPUMin)*1e3)
	if out := os.Getenv("ATTESTBOT_13K_HEAPPROFILE"); out != "" {
		f, err := os.Create(out)
		require.NoError(t, err)
		require.NoError(t, pprof.WriteHeapProfile(f))
		require.NoError(t, f.Close())
	}
	runtime.KeepAlive(cat)
}

// heapMeasure is the heap after a forced collection and what the next
// forced collections cost: wall and process CPU time (medians, and the
// least CPU, the figure a busy machine disturbs least).
type heapMeasure struct {
	live, scan    float64 // bytes
	objects       uint64
	gcWall, gcCPU float64 // seconds
	gcCPUMin      float64
}

func heapFigures() heapMeasure {
	runtime.GC()
	runtime.GC()
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/gc/heap/objects:objects"},
		{Name: "/gc/scan/heap:bytes"}}
	metrics.Read(s)
	m := heapMeasure{live: float64(s[0].Value.Uint64()), objects: s[1].Value.Uint64(), scan: float64(s[2].Value.Uint64())}
	const rounds = 15
	walls, cpus := make([]float64, rounds), make([]float64, rounds)
	for i := range rounds {
		cpu := benchcpu.Start()
		t0 := time.Now()
		runtime.GC()
		walls[i] = time.Since(t0).Seconds()
		d, _ := cpu.Elapsed()
		cpus[i] = d.Seconds()
	}
	slices.Sort(walls)
	slices.Sort(cpus)
	m.gcWall, m.gcCPU, m.gcCPUMin = walls[rounds/2], cpus[rounds/2], cpus[0]
	return m
}
