package store

import "time"

// The notify pipeline needs four capabilities beyond the [Store] contract:
// an [Outbox], a [SyncLease], a [Limiter] and a [DeliveredLog]. Each has a
// Redis implementation, shared by the replicas of one Redis, and one for a
// single process (the KV area of the store, or memory), used with bbolt.
// The functions below pick the implementation that fits a store, so that
// callers need not know the backend.

// NewOutbox returns the outbox of s: Redis Streams on a [RedisStore], a
// [KVOutbox] otherwise (with SingleProcess set on a [BoltStore]).
func NewOutbox[M OutboxMessage](s KV, opts OutboxOptions) Outbox[M] {
	switch b := s.(type) {
	case *RedisStore:
		return NewRedisOutbox[M](b, opts)
	case *BoltStore:
		opts.SingleProcess = true
	}
	return NewKVOutbox[M](s, opts)
}

// NewSyncLease returns the sync lease of s: a [RedisLease] of lifetime ttl
// (0: DefaultLeaseTTL) on a [RedisStore], a process-local [LocalLease]
// otherwise. Every syncer of one process must share the local lease.
func NewSyncLease(s KV, ttl time.Duration) SyncLease {
	if rs, ok := s.(*RedisStore); ok {
		return NewRedisLease(rs, ttl)
	}
	return NewLocalLease(s)
}

// NewRateLimiter returns the limiter of s: a [RedisLimiter] shared by the
// replicas of a [RedisStore], an in-process [MemoryLimiter] otherwise.
func NewRateLimiter(s KV) Limiter {
	if rs, ok := s.(*RedisStore); ok {
		return NewRedisLimiter(rs)
	}
	return NewMemoryLimiter()
}

// NewDeliveredLog returns the delivery log of s: Redis sets on a
// [RedisStore], a [KVDeliveredLog] otherwise. now (nil: time.Now) stamps
// the KV marks.
func NewDeliveredLog(s KV, now func() time.Time) DeliveredLog {
	if rs, ok := s.(*RedisStore); ok {
		return NewRedisDeliveredLog(rs, 0)
	}
	return NewKVDeliveredLog(s, now)
}
