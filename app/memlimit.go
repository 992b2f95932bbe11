package app

import (
	"log/slog"
	"runtime/debug"
	"runtime/metrics"
)

// Serve's own soft memory limit, used when the operator sets no GOMEMLIMIT
// (WithAutoMemoryLimit). Go's collector alone lets the heap grow to twice
// what is live and keeps freed pages for minutes: with the public catalog
// (about 60 MB live) that is over 250 MiB while the catalog loads and over
// 200 MiB under load. A soft limit makes the runtime collect and return
// memory sooner as it nears the limit; it never fails an allocation.
const (
	// minMemoryLimit is the limit during the first catalog load and the
	// least one. On the 13k set it holds serve at 165-174 MiB under the
	// harness load (183-192 MiB at 150 MiB) at the same CPU a reply: with a
	// live heap of 46 MB the collector's own goal is below it, so the limit
	// mostly makes the runtime return freed pages sooner.
	minMemoryLimit = 128 << 20
	// memoryHeadroom is added to twice the live heap for the work of turns.
	memoryHeadroom = 32 << 20
	// heapGoalFloor is the heap goal WithAutoGC aims at for the live heap a
	// catalog load leaves; as the turns' caches fill, the live heap and the
	// goal grow with it, up to the soft memory limit. With GOGC=100 the
	// goal is twice the live heap: 28 MB for the sample catalog (13 MB live
	// under load), a cycle every 170 ms at 3,000 replies a second, 5 % of
	// the core, most of it the fixed cost of a cycle. A floor of 64 MiB
	// (844 % after the sample's load) ran a cycle every 0.7 s but let the
	// heap reach the memory limit: 163-205 MiB RSS under load against
	// 74-101. A catalog whose live heap is half the floor or more is left
	// at GOGC=100 (the public one's is about 35 MiB after its load).
	heapGoalFloor = 32 << 20
	// maxGCPercent bounds the percentage heapGoalFloor asks for.
	maxGCPercent = 1000
)

// memoryLimit sets the runtime's soft memory limit from the live heap a
// catalog load leaves: max(128 MiB, twice the live heap + 32 MiB).
type memoryLimit struct {
	on  bool // set the soft memory limit (GOMEMLIMIT unset)
	gc  bool // set the GC percentage (GOGC unset): see heapGoalFloor
	log *slog.Logger
}

// start sets the limit for the first catalog load.
func (m *memoryLimit) start() {
	if m.on {
		debug.SetMemoryLimit(minMemoryLimit)
	}
}

// settle returns to the system the memory a catalog load used and freed
// (decoded records, the previous index), which the runtime would otherwise
// hand back only over minutes, and, when on, sets the limit from the live
// heap that stays. A load runs at start, after a sync and every
// ATTESTBOT_CATALOG_RELOAD, so the forced collection is rare.
func (m *memoryLimit) settle() {
	debug.FreeOSMemory() // a full collection: the live heap is now current
	if !m.on && !m.gc {
		return
	}
	live := liveHeap()
	attrs := []any{"live_heap_mib", live >> 20}
	if m.on {
		limit := limitFor(live)
		debug.SetMemoryLimit(limit)
		attrs = append(attrs, "limit_mib", limit>>20)
	}
	if m.gc {
		p := gcPercentFor(live)
		debug.SetGCPercent(p)
		attrs = append(attrs, "gc_percent", p)
	}
	m.log.Info("memory settings", attrs...)
}

// limitFor returns the soft memory limit for a live heap of live bytes.
func limitFor(live int64) int64 { return max(minMemoryLimit, 2*live+memoryHeadroom) }

// gcPercentFor returns the GC percentage that puts the heap goal of a live
// heap of live bytes at heapGoalFloor, at least 100 (Go's default) and at
// most maxGCPercent. The soft memory limit, when set, still bounds the heap
// if the live heap grows under load.
func gcPercentFor(live int64) int {
	if live <= 0 {
		return maxGCPercent
	}
	return int(min(max(heapGoalFloor*100/live-100, 100), maxGCPercent))
}

// liveHeap returns the heap bytes the last collection marked live.
func liveHeap() int64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return int64(s[0].Value.Uint64())
}
