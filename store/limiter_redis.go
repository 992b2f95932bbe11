package store

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// RedisLimiter is a [Limiter] shared by replicas: per limited resource, a
// list <prefix>{notify}:rl:<key> of its last Limit reservation times (Unix
// microseconds), updated by one Lua script.
type RedisLimiter struct {
	rdb    redis.UniversalClient
	prefix string
}

var _ Limiter = (*RedisLimiter)(nil)

// NewRedisLimiter returns a limiter on s's server under its key prefix.
func NewRedisLimiter(s *RedisStore) *RedisLimiter {
	return &RedisLimiter{rdb: s.rdb, prefix: s.prefix + "{notify}:rl:"}
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

// Reserve implements [Limiter].
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
