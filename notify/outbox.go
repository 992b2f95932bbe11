package notify

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/attestbot/attestbot/store"
)

// Message is one outbox entry: an event for a group of at most
// MaxBulkRecipients users of one tenant.
type Message struct {
	// ID is stable: a hash of (event, tenant, users), so that dispatching
	// the same event again enqueues nothing new.
	ID string `json:"id"`
	// TenantID is the recipients' tenant.
	TenantID string `json:"tenant_id"`
	// Users are the recipients.
	Users []User `json:"users"`
	// Event is the event to tell.
	Event Event `json:"event"`
	// Attempts counts failed delivery attempts (throttling excluded).
	Attempts int `json:"attempts,omitempty"`
	// Throttled counts throttled attempts.
	Throttled int `json:"throttled,omitempty"`
	// NotBefore is when the next attempt may start.
	NotBefore time.Time `json:"not_before,omitzero"`
	// LastError is the last attempt's error.
	LastError string `json:"last_error,omitempty"`
	// Enqueued is when the message was first enqueued.
	Enqueued time.Time `json:"enqueued"`
}

// Claim is a message taken by one consumer until it acks, retries or
// dead-letters it, or until its lease lapses and another consumer takes
// it over.
type Claim struct {
	// Message is the claimed message.
	Message Message
	ref     string // stream entry ID (Redis) or message ID (KV)
}

// DeadLetter is a message given up on.
type DeadLetter struct {
	// Message is the message, with its attempt count and last error.
	Message Message `json:"message"`
	// Reason says why it was given up on.
	Reason string `json:"reason"`
	// At is when.
	At time.Time `json:"at"`
}

// Outbox is the durable queue between dispatch and delivery. Delivery is
// at least once: a claim not acked in time goes to another consumer.
type Outbox interface {
	// Enqueue adds messages; a message whose ID was enqueued before (even
	// if since delivered) is skipped.
	Enqueue(ctx context.Context, msgs ...Message) error
	// Claim takes up to max due messages for consumer, including messages
	// whose previous consumer's lease lapsed. It does not block.
	Claim(ctx context.Context, consumer string, max int) ([]Claim, error)
	// Extend renews the lease of a claim being worked on.
	Extend(ctx context.Context, consumer string, c Claim) error
	// Ack removes a delivered message.
	Ack(ctx context.Context, c Claim) error
	// Retry puts the message back, as m (with its attempt count, error
	// and NotBefore updated).
	Retry(ctx context.Context, c Claim, m Message) error
	// DeadLetter moves the message, as m, to its tenant's dead letters.
	DeadLetter(ctx context.Context, c Claim, m Message, reason string) error
	// DeadLetters lists one tenant's dead letters, oldest first.
	DeadLetters(ctx context.Context, tenantID string) ([]DeadLetter, error)
}

// DefaultClaimTTL is how long a claim lasts without Extend.
const DefaultClaimTTL = time.Minute

// enqueueMarkTTL is how long an enqueued message ID is remembered.
const enqueueMarkTTL = 30 * 24 * time.Hour

// KV buckets of the KV outbox.
const (
	bucketOutbox     = "notify.outbox"
	bucketOutboxDone = "notify.outbox.done"
	bucketDead       = "notify.dead"
)

// KVOutbox is the outbox in the store's KV area, for bbolt: entries carry
// a lease (owner and expiry) instead of a consumer group.
type KVOutbox struct {
	kv       store.KV
	clock    Clock
	ttl      time.Duration
	instance string
	single   bool

	mu sync.Mutex
}

type kvEntry struct {
	Message    Message   `json:"message"`
	Owner      string    `json:"owner,omitempty"`
	LeaseUntil time.Time `json:"lease_until,omitzero"`
}

var _ Outbox = (*KVOutbox)(nil)

// NewKVOutbox returns an outbox in kv. singleProcess tells that no other
// process uses the store (bbolt holds a file lock), so that leases held by
// an earlier, killed run of this process are void at once. ttl 0 means
// DefaultClaimTTL; clock nil the system clock.
func NewKVOutbox(kv store.KV, clock Clock, ttl time.Duration, singleProcess bool) *KVOutbox {
	if ttl <= 0 {
		ttl = DefaultClaimTTL
	}
	if clock == nil {
		clock = SystemClock{}
	}
	var b [8]byte
	_, _ = rand.Read(b[:])
	return &KVOutbox{kv: kv, clock: clock, ttl: ttl, instance: hex.EncodeToString(b[:]), single: singleProcess}
}

// Enqueue implements Outbox.
func (o *KVOutbox) Enqueue(ctx context.Context, msgs ...Message) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, m := range msgs {
		if m.ID == "" {
			return fmt.Errorf("enqueue: message without ID: %w", store.ErrInvalid)
		}
		if _, err := o.kv.Get(ctx, bucketOutboxDone, m.ID); err == nil {
			continue
		} else if !errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("enqueue %s: %w", m.ID, err)
		}
		if _, err := o.kv.Get(ctx, bucketOutbox, m.ID); err == nil {
			continue
		} else if !errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("enqueue %s: %w", m.ID, err)
		}
		if err := putJSON(ctx, o.kv, bucketOutbox, m.ID, kvEntry{Message: m}); err != nil {
			return fmt.Errorf("enqueue %s: %w", m.ID, err)
		}
	}
	return nil
}

// Claim implements Outbox.
func (o *KVOutbox) Claim(ctx context.Context, consumer string, max int) ([]Claim, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	now := o.clock.Now()
	var due []kvEntry
	err := o.kv.Scan(ctx, bucketOutbox, "", func(_ string, v []byte) error {
		var e kvEntry
		if err := json.Unmarshal(v, &e); err != nil {
			return nil
		}
		leased := e.Owner != "" && now.Before(e.LeaseUntil)
		if leased && o.single && !strings.HasPrefix(e.Owner, o.instance+"/") {
			leased = false // held by an earlier run of this process
		}
		if !leased && !now.Before(e.Message.NotBefore) {
			due = append(due, e)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("claim: %w", err)
	}
	slices.SortFunc(due, func(a, b kvEntry) int {
		return cmp.Or(a.Message.NotBefore.Compare(b.Message.NotBefore), a.Message.Enqueued.Compare(b.Message.Enqueued), cmp.Compare(a.Message.ID, b.Message.ID))
	})
	if len(due) > max {
		due = due[:max]
	}
	out := make([]Claim, 0, len(due))
	for _, e := range due {
		e.Owner, e.LeaseUntil = o.instance+"/"+consumer, now.Add(o.ttl)
		if err := putJSON(ctx, o.kv, bucketOutbox, e.Message.ID, e); err != nil {
			return out, fmt.Errorf("claim %s: %w", e.Message.ID, err)
		}
		out = append(out, Claim{Message: e.Message, ref: e.Message.ID})
	}
	return out, nil
}

// Extend implements Outbox.
func (o *KVOutbox) Extend(ctx context.Context, consumer string, c Claim) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	var e kvEntry
	if err := getJSON(ctx, o.kv, bucketOutbox, c.ref, &e); err != nil {
		return fmt.Errorf("extend claim %s: %w", c.ref, err)
	}
	if e.Owner != o.instance+"/"+consumer {
		return fmt.Errorf("extend claim %s: taken over by another consumer: %w", c.ref, ErrLeaseLost)
	}
	e.LeaseUntil = o.clock.Now().Add(o.ttl)
	return putJSON(ctx, o.kv, bucketOutbox, c.ref, e)
}

// Ack implements Outbox.
func (o *KVOutbox) Ack(ctx context.Context, c Claim) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.finish(ctx, c)
}

func (o *KVOutbox) finish(ctx context.Context, c Claim) error {
	if err := o.kv.Put(ctx, bucketOutboxDone, c.ref, []byte(o.clock.Now().UTC().Format(time.RFC3339))); err != nil {
		return fmt.Errorf("ack %s: %w", c.ref, err)
	}
	if err := o.kv.Delete(ctx, bucketOutbox, c.ref); err != nil {
		return fmt.Errorf("ack %s: %w", c.ref, err)
	}
	return nil
}

// Retry implements Outbox.
func (o *KVOutbox) Retry(ctx context.Context, c Claim, m Message) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if err := putJSON(ctx, o.kv, bucketOutbox, c.ref, kvEntry{Message: m}); err != nil {
		return fmt.Errorf("retry %s: %w", c.ref, err)
	}
	return nil
}

// DeadLetter implements Outbox.
func (o *KVOutbox) DeadLetter(ctx context.Context, c Claim, m Message, reason string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	dl := DeadLetter{Message: m, Reason: reason, At: o.clock.Now().UTC()}
	if err := putJSON(ctx, o.kv, bucketDead, m.TenantID+"/"+m.ID, dl); err != nil {
		return fmt.Errorf("dead-letter %s: %w", m.ID, err)
	}
	return o.finish(ctx, c)
}

// DeadLetters implements Outbox.
func (o *KVOutbox) DeadLetters(ctx context.Context, tenantID string) ([]DeadLetter, error) {
	if tenantID == "" || strings.Contains(tenantID, "/") {
		return nil, fmt.Errorf("dead letters: bad tenant ID: %w", store.ErrInvalid)
	}
	var out []DeadLetter
	err := o.kv.Scan(ctx, bucketDead, tenantID+"/", func(_ string, v []byte) error {
		var dl DeadLetter
		if err := json.Unmarshal(v, &dl); err != nil {
			return fmt.Errorf("decode dead letter: %w", err)
		}
		if dl.Message.TenantID == tenantID {
			out = append(out, dl)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("dead letters: %w", err)
	}
	slices.SortFunc(out, func(a, b DeadLetter) int { return a.At.Compare(b.At) })
	return out, nil
}

// RedisOutbox is the outbox on Redis Streams with a consumer group:
//
//	<prefix>{notify}:outbox        stream, field m = message JSON; group "deliver"
//	<prefix>{notify}:delayed       sorted set of retried messages by due time (ms)
//	<prefix>{notify}:enq:<id>      enqueue mark (30 days)
//	<prefix>{notify}:dead:<tenant> hash: message ID -> DeadLetter JSON
//
// Claim promotes due retries into the stream (Lua, atomic), takes over
// entries idle longer than the claim TTL (XAUTOCLAIM), then reads new ones
// (XREADGROUP); Ack is XACK + XDEL. A killed consumer's entries stay
// pending and are taken over; nothing is lost.
type RedisOutbox struct {
	rdb     redis.UniversalClient
	clock   Clock
	ttl     time.Duration
	stream  string
	delayed string
	prefix  string
	group   string

	groupOnce sync.Mutex
	groupOK   bool
}

var _ Outbox = (*RedisOutbox)(nil)

// NewRedisOutbox returns the outbox on rdb under the key prefix. ttl 0
// means DefaultClaimTTL; clock nil the system clock.
func NewRedisOutbox(rdb redis.UniversalClient, prefix string, clock Clock, ttl time.Duration) *RedisOutbox {
	if ttl <= 0 {
		ttl = DefaultClaimTTL
	}
	if clock == nil {
		clock = SystemClock{}
	}
	p := prefix + "{notify}:"
	return &RedisOutbox{rdb: rdb, clock: clock, ttl: ttl, stream: p + "outbox", delayed: p + "delayed", prefix: p, group: "deliver"}
}

func (o *RedisOutbox) ensureGroup(ctx context.Context, force bool) error {
	o.groupOnce.Lock()
	defer o.groupOnce.Unlock()
	if o.groupOK && !force {
		return nil
	}
	err := o.rdb.XGroupCreateMkStream(ctx, o.stream, o.group, "0").Err()
	if err != nil && !strings.Contains(err.Error(), "BUSYGROUP") {
		return fmt.Errorf("create consumer group: %w", err)
	}
	o.groupOK = true
	return nil
}

var enqueueScript = redis.NewScript(`
local n = 0
for i = 2, #ARGV, 2 do
  if redis.call('SET', KEYS[2] .. ARGV[i], '1', 'NX', 'PX', ARGV[1]) then
    redis.call('XADD', KEYS[1], '*', 'm', ARGV[i+1])
    n = n + 1
  end
end
return n`)

// Enqueue implements Outbox.
func (o *RedisOutbox) Enqueue(ctx context.Context, msgs ...Message) error {
	if len(msgs) == 0 {
		return nil
	}
	if err := o.ensureGroup(ctx, false); err != nil {
		return err
	}
	for chunk := range slices.Chunk(msgs, 100) {
		args := make([]any, 0, 1+2*len(chunk))
		args = append(args, enqueueMarkTTL.Milliseconds())
		for _, m := range chunk {
			if m.ID == "" {
				return fmt.Errorf("enqueue: message without ID: %w", store.ErrInvalid)
			}
			b, err := json.Marshal(m)
			if err != nil {
				return fmt.Errorf("encode message %s: %w", m.ID, err)
			}
			args = append(args, m.ID, b)
		}
		// The enqueue marks are built from KEYS[2] inside the script; they
		// share the {notify} hash tag, hence the slot, of the stream.
		err := enqueueScript.Run(ctx, o.rdb, []string{o.stream, o.prefix + "enq:"}, args...).Err()
		if err != nil {
			return fmt.Errorf("enqueue: %w", err)
		}
	}
	return nil
}

var promoteScript = redis.NewScript(`
local due = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1], 'LIMIT', 0, ARGV[2])
for _, m in ipairs(due) do
  redis.call('ZREM', KEYS[2], m)
  redis.call('XADD', KEYS[1], '*', 'm', m)
end
return #due`)

// Claim implements Outbox.
func (o *RedisOutbox) Claim(ctx context.Context, consumer string, max int) ([]Claim, error) {
	if err := o.ensureGroup(ctx, false); err != nil {
		return nil, err
	}
	now := o.clock.Now().UnixMilli()
	if err := promoteScript.Run(ctx, o.rdb, []string{o.stream, o.delayed}, now, 100).Err(); err != nil {
		return nil, fmt.Errorf("promote retries: %w", err)
	}
	var out []Claim
	msgs, _, err := o.rdb.XAutoClaim(ctx, &redis.XAutoClaimArgs{
		Stream: o.stream, Group: o.group, Consumer: consumer, MinIdle: o.ttl, Start: "0-0", Count: int64(max),
	}).Result()
	if isNoGroup(err) {
		if err := o.ensureGroup(ctx, true); err != nil {
			return nil, err
		}
		msgs, _, err = nil, "", nil
	}
	if err != nil {
		return nil, fmt.Errorf("take over stale claims: %w", err)
	}
	out = o.decode(ctx, msgs, out)
	if len(out) < max {
		streams, err := o.rdb.XReadGroup(ctx, &redis.XReadGroupArgs{
			Group: o.group, Consumer: consumer, Streams: []string{o.stream, ">"}, Count: int64(max - len(out)), Block: -1,
		}).Result()
		if isNoGroup(err) {
			o.groupOnce.Lock()
			o.groupOK = false
			o.groupOnce.Unlock()
			return out, nil
		}
		if err != nil && !errors.Is(err, redis.Nil) {
			return out, fmt.Errorf("read outbox: %w", err)
		}
		for _, s := range streams {
			out = o.decode(ctx, s.Messages, out)
		}
	}
	return out, nil
}

func isNoGroup(err error) bool { return err != nil && strings.Contains(err.Error(), "NOGROUP") }

// decode turns stream entries into claims; an undecodable entry is
// acknowledged and dropped (it can never be delivered).
func (o *RedisOutbox) decode(ctx context.Context, msgs []redis.XMessage, out []Claim) []Claim {
	for _, x := range msgs {
		raw, _ := x.Values["m"].(string)
		var m Message
		if err := json.Unmarshal([]byte(raw), &m); err != nil || m.ID == "" {
			_ = o.rdb.XAck(ctx, o.stream, o.group, x.ID).Err()
			_ = o.rdb.XDel(ctx, o.stream, x.ID).Err()
			continue
		}
		out = append(out, Claim{Message: m, ref: x.ID})
	}
	return out
}

// Extend implements Outbox.
func (o *RedisOutbox) Extend(ctx context.Context, consumer string, c Claim) error {
	ids, err := o.rdb.XClaimJustID(ctx, &redis.XClaimArgs{
		Stream: o.stream, Group: o.group, Consumer: consumer, MinIdle: 0, Messages: []string{c.ref},
	}).Result()
	if err != nil {
		return fmt.Errorf("extend claim %s: %w", c.Message.ID, err)
	}
	if len(ids) == 0 {
		return fmt.Errorf("extend claim %s: no longer pending: %w", c.Message.ID, ErrLeaseLost)
	}
	return nil
}

var ackScript = redis.NewScript(`
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
redis.call('XDEL', KEYS[1], ARGV[2])
return 1`)

// Ack implements Outbox.
func (o *RedisOutbox) Ack(ctx context.Context, c Claim) error {
	if err := ackScript.Run(ctx, o.rdb, []string{o.stream}, o.group, c.ref).Err(); err != nil {
		return fmt.Errorf("ack %s: %w", c.Message.ID, err)
	}
	return nil
}

var retryScript = redis.NewScript(`
if redis.call('XACK', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
redis.call('XDEL', KEYS[1], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
return 1`)

// Retry implements Outbox.
func (o *RedisOutbox) Retry(ctx context.Context, c Claim, m Message) error {
	b, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("encode message %s: %w", m.ID, err)
	}
	due := max(m.NotBefore.UnixMilli(), 0)
	if err := retryScript.Run(ctx, o.rdb, []string{o.stream, o.delayed}, o.group, c.ref, due, b).Err(); err != nil {
		return fmt.Errorf("retry %s: %w", m.ID, err)
	}
	return nil
}

var deadScript = redis.NewScript(`
redis.call('HSET', KEYS[2], ARGV[3], ARGV[4])
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
redis.call('XDEL', KEYS[1], ARGV[2])
return 1`)

// DeadLetter implements Outbox.
func (o *RedisOutbox) DeadLetter(ctx context.Context, c Claim, m Message, reason string) error {
	b, err := json.Marshal(DeadLetter{Message: m, Reason: reason, At: o.clock.Now().UTC()})
	if err != nil {
		return fmt.Errorf("encode dead letter %s: %w", m.ID, err)
	}
	if err := deadScript.Run(ctx, o.rdb, []string{o.stream, o.prefix + "dead:" + m.TenantID}, o.group, c.ref, m.ID, b).Err(); err != nil {
		return fmt.Errorf("dead-letter %s: %w", m.ID, err)
	}
	return nil
}

// DeadLetters implements Outbox.
func (o *RedisOutbox) DeadLetters(ctx context.Context, tenantID string) ([]DeadLetter, error) {
	if tenantID == "" {
		return nil, fmt.Errorf("dead letters: empty tenant ID: %w", store.ErrInvalid)
	}
	vals, err := o.rdb.HGetAll(ctx, o.prefix+"dead:"+tenantID).Result()
	if err != nil {
		return nil, fmt.Errorf("dead letters: %w", err)
	}
	out := make([]DeadLetter, 0, len(vals))
	for _, v := range vals {
		var dl DeadLetter
		if err := json.Unmarshal([]byte(v), &dl); err != nil {
			return nil, fmt.Errorf("decode dead letter: %w", err)
		}
		if dl.Message.TenantID == tenantID {
			out = append(out, dl)
		}
	}
	slices.SortFunc(out, func(a, b DeadLetter) int { return cmp.Or(a.At.Compare(b.At), cmp.Compare(a.Message.ID, b.Message.ID)) })
	return out, nil
}
