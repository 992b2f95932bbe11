package notify

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// Rate is a request rate: at most Limit requests in any window of length
// Per (a sliding window: a burst of Limit, then one more each time the
// oldest leaves the window).
type Rate struct {
	Limit int
	Per   time.Duration
}

// Graph limits of graph-msal-manifest.md §1.4.
var (
	// RateSingle is the per-tenant limit of
	// POST /users/{id}/teamwork/sendActivityNotification: 5 rps.
	RateSingle = Rate{Limit: 5, Per: time.Second}
	// RateBulk is the per-tenant limit of
	// POST /teamwork/sendActivityNotificationToRecipients: 2 rps.
	RateBulk = Rate{Limit: 2, Per: time.Second}
	// RateUser is the per-user limit: 10 notifications a minute.
	RateUser = Rate{Limit: 10, Per: time.Minute}
)

// Limiter paces requests. Reserve takes one slot of rate on every key and
// returns how long the caller must wait (from now) before using them all.
// Slots are reserved even when a wait is returned, so that callers queue
// fairly.
type Limiter interface {
	Reserve(ctx context.Context, now time.Time, rate Rate, keys ...string) (time.Duration, error)
}

// MemoryLimiter is a Limiter for one process: per key, the times of its
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

// Reserve implements Limiter. The slot is the earliest time at which every
// key has room; it is recorded on every key, so that the window holds
// for the time the request is really sent.
func (l *MemoryLimiter) Reserve(_ context.Context, now time.Time, rate Rate, keys ...string) (time.Duration, error) {
	if rate.Limit <= 0 || rate.Per <= 0 || len(keys) == 0 {
		return 0, nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.slots) > maxLimiterKeys {
		for k, ts := range l.slots {
			if len(ts) == 0 || ts[len(ts)-1].Add(rate.Per).Before(now) {
				delete(l.slots, k)
			}
		}
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

// RedisLimiter is a Limiter shared by replicas: per limited resource, a
// list <prefix>{notify}:rl:<key> of its last Limit reservation times (Unix
// microseconds), updated by one Lua script.
type RedisLimiter struct {
	rdb    redis.UniversalClient
	prefix string
}

var _ Limiter = (*RedisLimiter)(nil)

// NewRedisLimiter returns a limiter on rdb under the key prefix.
func NewRedisLimiter(rdb redis.UniversalClient, prefix string) *RedisLimiter {
	return &RedisLimiter{rdb: rdb, prefix: prefix + "{notify}:rl:"}
}

var reserveScript = redis.NewScript(`
local now, limit, per = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local slot = now
for _, k in ipairs(KEYS) do
  local n = redis.call('LLEN', k)
  if n >= limit then
    local t = tonumber(redis.call('LINDEX', k, n - limit)) + per
    if t > slot then slot = t end
  end
end
for _, k in ipairs(KEYS) do
  redis.call('RPUSH', k, slot)
  redis.call('LTRIM', k, -limit, -1)
  redis.call('PEXPIRE', k, math.floor((slot - now + per) / 1000) + 1000)
end
return slot - now`)

// Reserve implements Limiter.
func (l *RedisLimiter) Reserve(ctx context.Context, now time.Time, rate Rate, keys ...string) (time.Duration, error) {
	if rate.Limit <= 0 || rate.Per <= 0 || len(keys) == 0 {
		return 0, nil
	}
	full := make([]string, len(keys))
	for i, k := range keys {
		full[i] = l.prefix + k
	}
	us, err := reserveScript.Run(ctx, l.rdb, full, now.UnixMicro(), rate.Limit, rate.Per.Microseconds()).Int64()
	if err != nil {
		return 0, fmt.Errorf("reserve rate slot: %w", err)
	}
	return time.Duration(us) * time.Microsecond, nil
}
