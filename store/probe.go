package store

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"time"
)

// DefaultProbeInterval is how long [Readiness] reuses its last result.
const DefaultProbeInterval = 5 * time.Second

// Readiness bucket and key of the write probe.
const (
	probeBucket = "readiness"
	probeKey    = "probe"
)

// Readiness is the /readyz check of a store: a ping and a tiny write, so
// that a store that still answers but can no longer write (a full disk, a
// Redis refusing writes) is reported not ready. The result is reused for an
// interval, so a busy /readyz costs at most one write per interval and
// replica. It is safe for concurrent use.
type Readiness struct {
	st       Store
	interval time.Duration
	now      func() time.Time

	mu      sync.Mutex
	checked time.Time
	err     error
}

// NewReadiness returns the readiness check of st, reusing a result for
// interval (DefaultProbeInterval when not positive).
func NewReadiness(st Store, interval time.Duration) *Readiness {
	if interval <= 0 {
		interval = DefaultProbeInterval
	}
	return &Readiness{st: st, interval: interval, now: time.Now}
}

// Ping pings the store and writes the probe key, or returns the result of
// a check made less than the interval ago.
func (r *Readiness) Ping(ctx context.Context) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	now := r.now()
	if !r.checked.IsZero() && now.Sub(r.checked) < r.interval {
		return r.err
	}
	r.err = r.probe(ctx, now)
	r.checked = now
	return r.err
}

func (r *Readiness) probe(ctx context.Context, now time.Time) error {
	if err := r.st.Ping(ctx); err != nil {
		return err
	}
	if err := r.st.Put(ctx, probeBucket, probeKey, strconv.AppendInt(nil, now.UnixMilli(), 10)); err != nil {
		return fmt.Errorf("store write probe: %w", err)
	}
	return nil
}
