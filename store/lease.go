package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// Fence is a fencing token: it grows with every acquisition of a lease,
// and a write carrying a token that no longer holds the lease is refused.
type Fence int64

// ErrNotLeader is returned by [SyncLease.TryAcquire] when another holder
// has the lease.
var ErrNotLeader = errors.New("store: the sync lease is held by another replica")

// ErrLeaseLost is returned (wrapped) when a lease or an outbox claim
// expired or passed to another holder: the caller must stop writing.
var ErrLeaseLost = errors.New("store: the lease was lost")

// SyncLease elects the one replica that syncs the catalog and keeps each
// source's cursor, written only under the lease.
type SyncLease interface {
	// TryAcquire takes the lease if it is free and returns a new fence,
	// or ErrNotLeader.
	TryAcquire(ctx context.Context) (Fence, error)
	// Renew extends the lease held with f, or returns ErrLeaseLost.
	Renew(ctx context.Context, f Fence) error
	// Release gives the lease up if f still holds it.
	Release(ctx context.Context, f Fence) error
	// Check returns ErrLeaseLost unless f still holds the lease.
	Check(ctx context.Context, f Fence) error
	// LoadCursor returns the state saved for sourceID, or nil if none.
	LoadCursor(ctx context.Context, sourceID string) ([]byte, error)
	// SaveCursor saves the state of sourceID if f still holds the lease,
	// atomically with that check; otherwise it returns ErrLeaseLost
	// (wrapped).
	SaveCursor(ctx context.Context, f Fence, sourceID string, state []byte) error
}

// bucketSync holds the sync state of each source in the KV area.
const bucketSync = "notify.sync"

// LocalLease is the [SyncLease] of a single process (the bbolt store, which
// one process holds): a mutex-guarded token that never expires; cursors
// are kept in the store's KV area. Share one LocalLease between the
// syncers of a process.
type LocalLease struct {
	kv KV

	mu     sync.Mutex
	held   bool
	fence  Fence
	issued Fence
}

var _ SyncLease = (*LocalLease)(nil)

// NewLocalLease returns a process-local lease keeping cursors in kv.
func NewLocalLease(kv KV) *LocalLease { return &LocalLease{kv: kv} }

// TryAcquire implements [SyncLease].
func (l *LocalLease) TryAcquire(ctx context.Context) (Fence, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if l.held {
		return 0, ErrNotLeader
	}
	l.issued++
	l.held, l.fence = true, l.issued
	return l.fence, nil
}

// Renew implements [SyncLease].
func (l *LocalLease) Renew(_ context.Context, f Fence) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.held || l.fence != f {
		return ErrLeaseLost
	}
	return nil
}

// Check implements [SyncLease].
func (l *LocalLease) Check(ctx context.Context, f Fence) error { return l.Renew(ctx, f) }

// Release implements [SyncLease].
func (l *LocalLease) Release(_ context.Context, f Fence) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.held && l.fence == f {
		l.held = false
	}
	return nil
}

// LoadCursor implements [SyncLease].
func (l *LocalLease) LoadCursor(ctx context.Context, sourceID string) ([]byte, error) {
	b, err := l.kv.Get(ctx, bucketSync, sourceID)
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load cursor of %s: %w", sourceID, err)
	}
	return b, nil
}

// SaveCursor implements [SyncLease].
func (l *LocalLease) SaveCursor(ctx context.Context, f Fence, sourceID string, state []byte) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.held || l.fence != f {
		return fmt.Errorf("save cursor of %s with fence %d: %w", sourceID, f, ErrLeaseLost)
	}
	if err := l.kv.Put(ctx, bucketSync, sourceID, state); err != nil {
		return fmt.Errorf("save cursor of %s: %w", sourceID, err)
	}
	return nil
}
