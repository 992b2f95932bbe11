package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// RedisDeliveredLog is the [DeliveredLog] on Redis: sets
// <prefix>{notify}:dlv:<tenant>:<event>:<channel>, expiring after the TTL.
type RedisDeliveredLog struct {
	rdb    redis.UniversalClient
	prefix string
	ttl    time.Duration
}

var _ DeliveredLog = (*RedisDeliveredLog)(nil)

// NewRedisDeliveredLog returns a delivery log on s's server under its key
// prefix; ttl 0 means DefaultDeliveredTTL.
func NewRedisDeliveredLog(s *RedisStore, ttl time.Duration) *RedisDeliveredLog {
	if ttl <= 0 {
		ttl = DefaultDeliveredTTL
	}
	return &RedisDeliveredLog{rdb: s.rdb, prefix: s.prefix + "{notify}:dlv:", ttl: ttl}
}

func (l *RedisDeliveredLog) key(tenantID, eventID, channel string) string {
	return l.prefix + strings.Join([]string{tenantID, eventID, channel}, ":")
}

// Undelivered implements [DeliveredLog].
func (l *RedisDeliveredLog) Undelivered(ctx context.Context, tenantID, eventID, channel string, userIDs []string) ([]string, error) {
	if len(userIDs) == 0 {
		return nil, nil
	}
	got, err := l.rdb.SMIsMember(ctx, l.key(tenantID, eventID, channel), members(userIDs)...).Result()
	if err != nil {
		return nil, fmt.Errorf("read delivery marks: %w", err)
	}
	out := make([]string, 0, len(userIDs))
	for i, u := range userIDs {
		if i < len(got) && !got[i] {
			out = append(out, u)
		}
	}
	return out, nil
}

// MarkDelivered implements [DeliveredLog].
func (l *RedisDeliveredLog) MarkDelivered(ctx context.Context, tenantID, eventID, channel, _ string, userIDs []string) error {
	if len(userIDs) == 0 {
		return nil
	}
	key := l.key(tenantID, eventID, channel)
	_, err := l.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.SAdd(ctx, key, members(userIDs)...)
		p.PExpire(ctx, key, l.ttl)
		return nil
	})
	if err != nil {
		return fmt.Errorf("write delivery marks: %w", err)
	}
	return nil
}

func members(ids []string) []any {
	out := make([]any, len(ids))
	for i, u := range ids {
		out[i] = u
	}
	return out
}
