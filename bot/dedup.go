package bot

import (
	"context"
	"sync"
	"time"
)

// defaultMaxDedupKeys bounds a MemoryDeduper.
const defaultMaxDedupKeys = 100000

// MemoryDeduper is an in-process Deduper for tests and local mode. Several
// replicas need the store's shared implementation instead.
type MemoryDeduper struct {
	mu   sync.Mutex
	seen map[string]time.Time // key → expiry
	max  int
	now  func() time.Time
}

// NewMemoryDeduper returns an empty deduper holding at most 100 000 keys.
func NewMemoryDeduper() *MemoryDeduper {
	return &MemoryDeduper{seen: map[string]time.Time{}, max: defaultMaxDedupKeys, now: time.Now}
}

var _ Deduper = (*MemoryDeduper)(nil)

// MarkSeen records key for ttl and reports whether it was new. When full, it
// drops expired keys, then the keys expiring first.
func (d *MemoryDeduper) MarkSeen(_ context.Context, key string, ttl time.Duration) (bool, error) {
	now := d.now()
	d.mu.Lock()
	defer d.mu.Unlock()
	if exp, ok := d.seen[key]; ok && now.Before(exp) {
		return false, nil
	}
	if len(d.seen) >= d.max {
		d.evictLocked(now)
	}
	d.seen[key] = now.Add(ttl)
	return true, nil
}

func (d *MemoryDeduper) evictLocked(now time.Time) {
	for k, exp := range d.seen {
		if !now.Before(exp) {
			delete(d.seen, k)
		}
	}
	if len(d.seen) < d.max {
		return
	}
	// Still full of live keys: drop those expiring no later than the mean
	// expiry (at least the earliest one).
	var earliest time.Time
	n := 0
	for _, exp := range d.seen {
		if n == 0 || exp.Before(earliest) {
			earliest = exp
		}
		n++
	}
	var offset time.Duration
	for _, exp := range d.seen {
		offset += exp.Sub(earliest) / time.Duration(n)
	}
	mean := earliest.Add(offset)
	for k, exp := range d.seen {
		if !exp.After(mean) {
			delete(d.seen, k)
		}
	}
}
