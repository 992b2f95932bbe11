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
)

// memoryLimit sets the runtime's soft memory limit from the live heap a
// catalog load leaves: max(128 MiB, twice the live heap + 32 MiB).
type memoryLimit struct {
	on  bool
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
	if !m.on {
		return
	}
	live := liveHeap()
	limit := limitFor(live)
	debug.SetMemoryLimit(limit)
	m.log.Info("memory limit", "limit_mib", limit>>20, "live_heap_mib", live>>20)
}

// limitFor returns the soft memory limit for a live heap of live bytes.
func limitFor(live int64) int64 { return max(minMemoryLimit, 2*live+memoryHeadroom) }

// liveHeap returns the heap bytes the last collection marked live.
func liveHeap() int64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return int64(s[0].Value.Uint64())
}
