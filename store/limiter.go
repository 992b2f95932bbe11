package store

import (
	"context"
	"sync"
	"time"
)

// Rate is a request rate: at most Limit requests in any window of length
// Per (a sliding window: a burst of Limit, then one more each time the
// oldest leaves the window).
type Rate struct {
	Limit int
	Per   time.Duration
}

// Limiter paces requests. Reserve takes one slot of rate on every key and
// returns how long the caller must wait (from now) before using them all.
// Slots are reserved even when a wait is returned, so that callers queue
// fairly. A zero or negative rate, or no key, means no limit.
type Limiter interface {
	Reserve(ctx context.Context, now time.Time, rate Rate, keys ...string) (time.Duration, error)
}

// MemoryLimiter is a [Limiter] for one process: per key, the times of its
// last Limit reservations.
type MemoryLimiter struct {
	mu    sync.Mutex
	slots map[string][]time.Time
}

var _ Limiter = (*MemoryLimiter)(nil)

// NewMemoryLimiter returns an empty in-process limiter.
func NewMemoryLimiter() *MemoryLimiter { return &MemoryLimiter{slots: map[string][]time.Time{}} }

// maxLimiterKeys triggers a sweep of idle keys.
const maxLimiterKeys = 100000

// Reserve implements [Limiter]. The slot is the earliest time at which
// every key has room; it is recorded on every key, so that the window
// holds for the time the request is really sent.
func (l *MemoryLimiter) Reserve(_ context.Context, now time.Time, rate Rate, keys ...string) (time.Duration, error) {
	if rate.Limit <= 0 || rate.Per <= 0 || len(keys) == 0 {
		return 0, nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.slots) > maxLimiterKeys {
		l.sweep(now, rate.Per)
	}
	slot := now
	for _, k := range keys {
		if ts := l.slots[k]; len(ts) >= rate.Limit {
			if t := ts[len(ts)-rate.Limit].Add(rate.Per); t.After(slot) {
				slot = t
			}
		}
	}
	for _, k := range keys {
		ts := append(l.slots[k], slot)
		if len(ts) > rate.Limit {
			ts = ts[len(ts)-rate.Limit:]
		}
		l.slots[k] = ts
	}
	return slot.Sub(now), nil
}

// sweep forgets the keys whose last reservation left the window.
func (l *MemoryLimiter) sweep(now time.Time, per time.Duration) {
	for k, ts := range l.slots {
		if len(ts) == 0 || ts[len(ts)-1].Add(per).Before(now) {
			delete(l.slots, k)
		}
	}
}
