package notify

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/attestbot/attestbot/store"
)

// Delivery channels: the idempotency key of a delivery is (event, tenant,
// user, channel).
const (
	// ChannelFeed is the Teams activity feed (Graph).
	ChannelFeed = "feed"
	// ChannelCard is the diff card in the user's bot chat.
	ChannelCard = "card"
)

// DeliveredLog remembers which users got which event on which channel, so
// that a retried or re-claimed message never notifies anyone twice.
type DeliveredLog interface {
	// Undelivered returns the users of userIDs who did not get eventID on
	// channel yet, in input order.
	Undelivered(ctx context.Context, tenantID, eventID, channel string, userIDs []string) ([]string, error)
	// MarkDelivered records that userIDs got eventID on channel, through
	// message msgID.
	MarkDelivered(ctx context.Context, tenantID, eventID, channel, msgID string, userIDs []string) error
}

// DefaultDeliveredTTL is how long delivery marks are kept.
const DefaultDeliveredTTL = 30 * 24 * time.Hour

// bucketDelivered holds the KV delivery marks:
// <tenant>/<event>/<channel>/<message> -> {users, at}.
const bucketDelivered = "notify.delivered"

// KVDeliveredLog keeps delivery marks in the KV area, one entry per
// (tenant, event, channel, message), so that marking a group of 100 users
// is one write.
type KVDeliveredLog struct {
	kv    store.KV
	clock Clock
}

type kvMarks struct {
	Users []string  `json:"users"`
	At    time.Time `json:"at"`
}

var _ DeliveredLog = (*KVDeliveredLog)(nil)

// NewKVDeliveredLog returns a delivery log in kv.
func NewKVDeliveredLog(kv store.KV, clock Clock) *KVDeliveredLog {
	if clock == nil {
		clock = SystemClock{}
	}
	return &KVDeliveredLog{kv: kv, clock: clock}
}

func deliveredPrefix(tenantID, eventID, channel string) string {
	return tenantID + "/" + eventID + "/" + channel + "/"
}

// Undelivered implements DeliveredLog.
func (l *KVDeliveredLog) Undelivered(ctx context.Context, tenantID, eventID, channel string, userIDs []string) ([]string, error) {
	done := map[string]bool{}
	err := l.kv.Scan(ctx, bucketDelivered, deliveredPrefix(tenantID, eventID, channel), func(_ string, v []byte) error {
		var m kvMarks
		if err := json.Unmarshal(v, &m); err != nil {
			return fmt.Errorf("decode delivery marks: %w", err)
		}
		for _, u := range m.Users {
			done[u] = true
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read delivery marks: %w", err)
	}
	out := make([]string, 0, len(userIDs))
	for _, u := range userIDs {
		if !done[u] {
			out = append(out, u)
		}
	}
	return out, nil
}

// MarkDelivered implements DeliveredLog.
func (l *KVDeliveredLog) MarkDelivered(ctx context.Context, tenantID, eventID, channel, msgID string, userIDs []string) error {
	if len(userIDs) == 0 {
		return nil
	}
	key := deliveredPrefix(tenantID, eventID, channel) + msgID
	var m kvMarks
	if err := getJSON(ctx, l.kv, bucketDelivered, key, &m); err != nil && !isNotFound(err) {
		return fmt.Errorf("read delivery marks: %w", err)
	}
	for _, u := range userIDs {
		if !slices.Contains(m.Users, u) {
			m.Users = append(m.Users, u)
		}
	}
	m.At = l.clock.Now().UTC()
	if err := putJSON(ctx, l.kv, bucketDelivered, key, m); err != nil {
		return fmt.Errorf("write delivery marks: %w", err)
	}
	return nil
}

// Expire deletes marks older than ttl; it returns how many entries went.
func (l *KVDeliveredLog) Expire(ctx context.Context, ttl time.Duration) (int, error) {
	cutoff := l.clock.Now().Add(-ttl)
	var old []string
	err := l.kv.Scan(ctx, bucketDelivered, "", func(k string, v []byte) error {
		var m kvMarks
		if err := json.Unmarshal(v, &m); err != nil || m.At.Before(cutoff) {
			old = append(old, k)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("expire delivery marks: %w", err)
	}
	for _, k := range old {
		if err := l.kv.Delete(ctx, bucketDelivered, k); err != nil {
			return 0, fmt.Errorf("expire delivery marks: %w", err)
		}
	}
	return len(old), nil
}

// RedisDeliveredLog keeps delivery marks in Redis sets
// <prefix>{notify}:dlv:<tenant>:<event>:<channel>, expiring after the TTL.
type RedisDeliveredLog struct {
	rdb    redis.UniversalClient
	prefix string
	ttl    time.Duration
}

var _ DeliveredLog = (*RedisDeliveredLog)(nil)

// NewRedisDeliveredLog returns a delivery log on rdb under the key
// prefix; ttl 0 means DefaultDeliveredTTL.
func NewRedisDeliveredLog(rdb redis.UniversalClient, prefix string, ttl time.Duration) *RedisDeliveredLog {
	if ttl <= 0 {
		ttl = DefaultDeliveredTTL
	}
	return &RedisDeliveredLog{rdb: rdb, prefix: prefix + "{notify}:dlv:", ttl: ttl}
}

func (l *RedisDeliveredLog) key(tenantID, eventID, channel string) string {
	return l.prefix + strings.Join([]string{tenantID, eventID, channel}, ":")
}

// Undelivered implements DeliveredLog.
func (l *RedisDeliveredLog) Undelivered(ctx context.Context, tenantID, eventID, channel string, userIDs []string) ([]string, error) {
	if len(userIDs) == 0 {
		return nil, nil
	}
	members := make([]any, len(userIDs))
	for i, u := range userIDs {
		members[i] = u
	}
	got, err := l.rdb.SMIsMember(ctx, l.key(tenantID, eventID, channel), members...).Result()
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

// MarkDelivered implements DeliveredLog.
func (l *RedisDeliveredLog) MarkDelivered(ctx context.Context, tenantID, eventID, channel, _ string, userIDs []string) error {
	if len(userIDs) == 0 {
		return nil
	}
	members := make([]any, len(userIDs))
	for i, u := range userIDs {
		members[i] = u
	}
	key := l.key(tenantID, eventID, channel)
	_, err := l.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.SAdd(ctx, key, members...)
		p.PExpire(ctx, key, l.ttl)
		return nil
	})
	if err != nil {
		return fmt.Errorf("write delivery marks: %w", err)
	}
	return nil
}
