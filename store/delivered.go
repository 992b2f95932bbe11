package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"
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

// KVDeliveredLog is the [DeliveredLog] in a store's KV area, for bbolt: one
// entry per (tenant, event, channel, message), so that marking a group of
// 100 users is one write. Expire deletes old marks.
type KVDeliveredLog struct {
	kv  KV
	now func() time.Time
}

type kvMarks struct {
	Users []string  `json:"users"`
	At    time.Time `json:"at"`
}

var _ DeliveredLog = (*KVDeliveredLog)(nil)

// NewKVDeliveredLog returns a delivery log in kv; now nil means time.Now.
func NewKVDeliveredLog(kv KV, now func() time.Time) *KVDeliveredLog {
	if now == nil {
		now = time.Now
	}
	return &KVDeliveredLog{kv: kv, now: now}
}

func deliveredPrefix(tenantID, eventID, channel string) string {
	return tenantID + "/" + eventID + "/" + channel + "/"
}

// Undelivered implements [DeliveredLog].
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

// MarkDelivered implements [DeliveredLog].
func (l *KVDeliveredLog) MarkDelivered(ctx context.Context, tenantID, eventID, channel, msgID string, userIDs []string) error {
	if len(userIDs) == 0 {
		return nil
	}
	key := deliveredPrefix(tenantID, eventID, channel) + msgID
	var m kvMarks
	if err := getJSON(ctx, l.kv, bucketDelivered, key, &m); err != nil && !errors.Is(err, ErrNotFound) {
		return fmt.Errorf("read delivery marks: %w", err)
	}
	for _, u := range userIDs {
		if !slices.Contains(m.Users, u) {
			m.Users = append(m.Users, u)
		}
	}
	m.At = l.now().UTC()
	if err := putJSON(ctx, l.kv, bucketDelivered, key, m); err != nil {
		return fmt.Errorf("write delivery marks: %w", err)
	}
	return nil
}

// Expire deletes marks older than ttl; it returns how many entries went.
func (l *KVDeliveredLog) Expire(ctx context.Context, ttl time.Duration) (int, error) {
	cutoff := l.now().Add(-ttl)
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
