package notify

import (
	"context"

	"github.com/attestbot/attestbot/store"
)

// Fence is a fencing token: it grows with every acquisition of the sync
// lease, and a cursor write carrying a token that no longer holds the lease
// is refused.
type Fence = store.Fence

// ErrNotLeader is returned when another replica holds the sync lease.
var ErrNotLeader = store.ErrNotLeader

// ErrLeaseLost is returned (wrapped) when the lease expired or passed to
// another replica: the caller must stop syncing.
var ErrLeaseLost = store.ErrLeaseLost

// Lease elects the one replica that syncs (store.NewSyncLease picks the
// one of a store).
type Lease interface {
	// TryAcquire takes the lease if it is free and returns a new fence, or
	// ErrNotLeader.
	TryAcquire(ctx context.Context) (Fence, error)
	// Renew extends the lease held with f, or returns ErrLeaseLost.
	Renew(ctx context.Context, f Fence) error
	// Release gives the lease up if f still holds it.
	Release(ctx context.Context, f Fence) error
	// Check returns ErrLeaseLost unless f still holds the lease. The syncer
	// checks before every write of a step, so that a replica that lost the
	// lease without noticing (a long pause) stops before writing.
	Check(ctx context.Context, f Fence) error
}

// CursorStore keeps each source's sync state (its cursor), written only by
// the lease holder.
type CursorStore interface {
	// LoadCursor returns the state saved for sourceID, or nil if none.
	LoadCursor(ctx context.Context, sourceID string) ([]byte, error)
	// SaveCursor saves the state of sourceID if f still holds the lease,
	// atomically with that check; otherwise it returns ErrLeaseLost.
	SaveCursor(ctx context.Context, f Fence, sourceID string, state []byte) error
}
