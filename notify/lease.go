package notify

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/attestbot/attestbot/store"
)

// Fence is a fencing token: it grows with every acquisition of the sync
// lease, and a cursor write carrying a token that no longer holds the lease
// is refused.
type Fence int64

// ErrNotLeader is returned when another replica holds the sync lease.
var ErrNotLeader = errors.New("notify: the sync lease is held by another replica")

// ErrLeaseLost is returned (wrapped) when the lease expired or passed to
// another replica: the caller must stop syncing.
var ErrLeaseLost = errors.New("notify: the sync lease was lost")

// Lease elects the one replica that syncs.
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

// bucketSync holds the sync state of each source in the KV area.
const bucketSync = "notify.sync"

// LocalLease is the lease of a single process (the bbolt store, which one
// process holds): a mutex-guarded token; the cursor is kept in the store's
// KV area.
type LocalLease struct {
	kv store.KV

	mu     sync.Mutex
	held   bool
	fence  Fence
	issued Fence
}

var (
	_ Lease       = (*LocalLease)(nil)
	_ CursorStore = (*LocalLease)(nil)
)

// NewLocalLease returns a process-local lease keeping cursors in kv.
func NewLocalLease(kv store.KV) *LocalLease { return &LocalLease{kv: kv} }

// TryAcquire implements Lease.
func (l *LocalLease) TryAcquire(ctx context.Context) (Fence, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.held {
		return 0, ErrNotLeader
	}
	l.issued++
	l.held, l.fence = true, l.issued
	return l.fence, ctx.Err()
}

// Renew implements Lease.
func (l *LocalLease) Renew(_ context.Context, f Fence) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.held || l.fence != f {
		return ErrLeaseLost
	}
	return nil
}

// Check implements Lease.
func (l *LocalLease) Check(ctx context.Context, f Fence) error { return l.Renew(ctx, f) }

// Release implements Lease.
func (l *LocalLease) Release(_ context.Context, f Fence) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.held && l.fence == f {
		l.held = false
	}
	return nil
}

// LoadCursor implements CursorStore.
func (l *LocalLease) LoadCursor(ctx context.Context, sourceID string) ([]byte, error) {
	b, err := l.kv.Get(ctx, bucketSync, sourceID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load cursor of %s: %w", sourceID, err)
	}
	return b, nil
}

// SaveCursor implements CursorStore.
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

// RedisLease is the sync lease shared by replicas on one Redis:
//
//	<prefix>{notify}:lease:sync   string "<fence>" with a TTL (SET NX PX)
//	<prefix>{notify}:fence        counter of issued fences (INCR)
//	<prefix>{notify}:sync         hash: source ID -> sync state
//
// The keys share the {notify} hash tag, so that the fenced cursor write (a
// Lua script over the lease and the state) works on a Redis Cluster.
type RedisLease struct {
	rdb      redis.UniversalClient
	lease    string
	fenceKey string
	state    string
	ttl      time.Duration
}

var (
	_ Lease       = (*RedisLease)(nil)
	_ CursorStore = (*RedisLease)(nil)
)

// DefaultLeaseTTL is how long the sync lease lives without renewal.
const DefaultLeaseTTL = 30 * time.Second

// NewRedisLease returns the lease on rdb under the key prefix (use
// store.RedisStore.KeyPrefix). A ttl of 0 means DefaultLeaseTTL.
func NewRedisLease(rdb redis.UniversalClient, prefix string, ttl time.Duration) *RedisLease {
	if ttl <= 0 {
		ttl = DefaultLeaseTTL
	}
	return &RedisLease{
		rdb: rdb, ttl: ttl,
		lease:    prefix + "{notify}:lease:sync",
		fenceKey: prefix + "{notify}:fence",
		state:    prefix + "{notify}:sync",
	}
}

// TTL returns the lease lifetime.
func (l *RedisLease) TTL() time.Duration { return l.ttl }

var acquireScript = redis.NewScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local f = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], f, 'PX', ARGV[1])
return f`)

var renewScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`)

var releaseScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`)

var saveCursorScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
return 1`)

// TryAcquire implements Lease.
func (l *RedisLease) TryAcquire(ctx context.Context) (Fence, error) {
	f, err := acquireScript.Run(ctx, l.rdb, []string{l.lease, l.fenceKey}, l.ttl.Milliseconds()).Int64()
	if err != nil {
		return 0, fmt.Errorf("acquire sync lease: %w", err)
	}
	if f == 0 {
		return 0, ErrNotLeader
	}
	return Fence(f), nil
}

// Renew implements Lease.
func (l *RedisLease) Renew(ctx context.Context, f Fence) error {
	n, err := renewScript.Run(ctx, l.rdb, []string{l.lease}, strconv.FormatInt(int64(f), 10), l.ttl.Milliseconds()).Int64()
	if err != nil {
		return fmt.Errorf("renew sync lease: %w", err)
	}
	if n == 0 {
		return ErrLeaseLost
	}
	return nil
}

// Release implements Lease.
func (l *RedisLease) Release(ctx context.Context, f Fence) error {
	if err := releaseScript.Run(ctx, l.rdb, []string{l.lease}, strconv.FormatInt(int64(f), 10)).Err(); err != nil {
		return fmt.Errorf("release sync lease: %w", err)
	}
	return nil
}

// Check implements Lease.
func (l *RedisLease) Check(ctx context.Context, f Fence) error {
	v, err := l.rdb.Get(ctx, l.lease).Result()
	if errors.Is(err, redis.Nil) || (err == nil && v != strconv.FormatInt(int64(f), 10)) {
		return ErrLeaseLost
	}
	if err != nil {
		return fmt.Errorf("check sync lease: %w", err)
	}
	return nil
}

// LoadCursor implements CursorStore.
func (l *RedisLease) LoadCursor(ctx context.Context, sourceID string) ([]byte, error) {
	b, err := l.rdb.HGet(ctx, l.state, sourceID).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load cursor of %s: %w", sourceID, err)
	}
	return b, nil
}

// SaveCursor implements CursorStore.
func (l *RedisLease) SaveCursor(ctx context.Context, f Fence, sourceID string, state []byte) error {
	n, err := saveCursorScript.Run(ctx, l.rdb, []string{l.lease, l.state}, strconv.FormatInt(int64(f), 10), sourceID, state).Int64()
	if err != nil {
		return fmt.Errorf("save cursor of %s: %w", sourceID, err)
	}
	if n == 0 {
		return fmt.Errorf("save cursor of %s with fence %d: %w", sourceID, f, ErrLeaseLost)
	}
	return nil
}
