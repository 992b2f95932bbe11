package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// RedisLease is the [SyncLease] shared by replicas on one Redis:
//
//	<prefix>{notify}:lease:sync   string "<fence>" with a TTL (SET NX PX)
//	<prefix>{notify}:fence        counter of issued fences (INCR)
//	<prefix>{notify}:sync         hash: source ID -> sync state
//
// The keys share the {notify} hash tag, so that the fenced cursor write (a
// Lua script over the lease and the state) works on a Redis Cluster. The
// TTL runs on the server's clock.
type RedisLease struct {
	rdb      redis.UniversalClient
	lease    string
	fenceKey string
	state    string
	ttl      time.Duration
}

var _ SyncLease = (*RedisLease)(nil)

// DefaultLeaseTTL is how long the sync lease lives without renewal.
const DefaultLeaseTTL = 30 * time.Second

// NewRedisLease returns the lease on s's server under its key prefix. A ttl
// of 0 means DefaultLeaseTTL.
func NewRedisLease(s *RedisStore, ttl time.Duration) *RedisLease {
	if ttl <= 0 {
		ttl = DefaultLeaseTTL
	}
	return &RedisLease{
		rdb: s.rdb, ttl: ttl,
		lease:    s.prefix + "{notify}:lease:sync",
		fenceKey: s.prefix + "{notify}:fence",
		state:    s.prefix + "{notify}:sync",
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

// TryAcquire implements [SyncLease].
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

// Renew implements [SyncLease].
func (l *RedisLease) Renew(ctx context.Context, f Fence) error {
	n, err := renewScript.Run(ctx, l.rdb, []string{l.lease}, fenceArg(f), l.ttl.Milliseconds()).Int64()
	if err != nil {
		return fmt.Errorf("renew sync lease: %w", err)
	}
	if n == 0 {
		return ErrLeaseLost
	}
	return nil
}

// Release implements [SyncLease].
func (l *RedisLease) Release(ctx context.Context, f Fence) error {
	if err := releaseScript.Run(ctx, l.rdb, []string{l.lease}, fenceArg(f)).Err(); err != nil {
		return fmt.Errorf("release sync lease: %w", err)
	}
	return nil
}

// Check implements [SyncLease].
func (l *RedisLease) Check(ctx context.Context, f Fence) error {
	v, err := l.rdb.Get(ctx, l.lease).Result()
	if errors.Is(err, redis.Nil) || (err == nil && v != fenceArg(f)) {
		return ErrLeaseLost
	}
	if err != nil {
		return fmt.Errorf("check sync lease: %w", err)
	}
	return nil
}

// LoadCursor implements [SyncLease].
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

// SaveCursor implements [SyncLease].
func (l *RedisLease) SaveCursor(ctx context.Context, f Fence, sourceID string, state []byte) error {
	n, err := saveCursorScript.Run(ctx, l.rdb, []string{l.lease, l.state}, fenceArg(f), sourceID, state).Int64()
	if err != nil {
		return fmt.Errorf("save cursor of %s: %w", sourceID, err)
	}
	if n == 0 {
		return fmt.Errorf("save cursor of %s with fence %d: %w", sourceID, f, ErrLeaseLost)
	}
	return nil
}

func fenceArg(f Fence) string { return strconv.FormatInt(int64(f), 10) }
