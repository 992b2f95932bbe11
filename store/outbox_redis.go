package store

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/redis/go-redis/v9"
)

// RedisOutbox is the [Outbox] on Redis Streams with a consumer group:
//
//	<prefix>{notify}:outbox        stream, field m = message JSON; group "deliver"
//	<prefix>{notify}:delayed       sorted set of retried messages by due time (ms)
//	<prefix>{notify}:enq:<id>      enqueue mark (30 days)
//	<prefix>{notify}:dead:<tenant> hash: message ID -> DeadLetter JSON
//
// Claim promotes due retries into the stream (Lua, atomic), takes over
// entries idle longer than the claim TTL (XAUTOCLAIM), then reads new ones
// (XREADGROUP); Ack is XACK + XDEL. A killed consumer's entries stay
// pending and are taken over; nothing is lost. The claim TTL runs on the
// server's clock (idle time), the due times on OutboxOptions.Now.
type RedisOutbox[M OutboxMessage] struct {
	rdb     redis.UniversalClient
	opts    OutboxOptions
	stream  string
	delayed string
	prefix  string
	group   string

	groupMu sync.Mutex
	groupOK bool
}

var _ Outbox[OutboxMessage] = (*RedisOutbox[OutboxMessage])(nil)

// NewRedisOutbox returns the outbox on s's server under its key prefix.
func NewRedisOutbox[M OutboxMessage](s *RedisStore, opts OutboxOptions) *RedisOutbox[M] {
	p := s.prefix + "{notify}:"
	return &RedisOutbox[M]{rdb: s.rdb, opts: opts.withDefaults(), stream: p + "outbox", delayed: p + "delayed", prefix: p, group: "deliver"}
}

func (o *RedisOutbox[M]) ensureGroup(ctx context.Context, force bool) error {
	o.groupMu.Lock()
	defer o.groupMu.Unlock()
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

// Enqueue implements [Outbox].
func (o *RedisOutbox[M]) Enqueue(ctx context.Context, msgs ...M) error {
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
			id := m.OutboxID()
			if id == "" {
				return fmt.Errorf("enqueue: message without ID: %w", ErrInvalid)
			}
			b, err := json.Marshal(m)
			if err != nil {
				return fmt.Errorf("encode message %s: %w", id, err)
			}
			args = append(args, id, b)
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

// Claim implements [Outbox].
func (o *RedisOutbox[M]) Claim(ctx context.Context, consumer string, max int) ([]Claim[M], error) {
	if err := o.ensureGroup(ctx, false); err != nil {
		return nil, err
	}
	now := o.opts.Now().UnixMilli()
	if err := promoteScript.Run(ctx, o.rdb, []string{o.stream, o.delayed}, now, 100).Err(); err != nil {
		return nil, fmt.Errorf("promote retries: %w", err)
	}
	out, err := o.takeOver(ctx, consumer, max)
	if err != nil || len(out) >= max {
		return out, err
	}
	return o.readNew(ctx, consumer, max, out)
}

// takeOver claims entries idle longer than the claim TTL (XAUTOCLAIM).
func (o *RedisOutbox[M]) takeOver(ctx context.Context, consumer string, max int) ([]Claim[M], error) {
	msgs, _, err := o.rdb.XAutoClaim(ctx, &redis.XAutoClaimArgs{
		Stream: o.stream, Group: o.group, Consumer: consumer, MinIdle: o.opts.ClaimTTL, Start: "0-0", Count: int64(max),
	}).Result()
	if isNoGroup(err) {
		return nil, o.ensureGroup(ctx, true)
	}
	if err != nil {
		return nil, fmt.Errorf("take over stale claims: %w", err)
	}
	return o.decode(ctx, consumer, msgs, nil), nil
}

// readNew reads entries never delivered to a consumer (XREADGROUP).
func (o *RedisOutbox[M]) readNew(ctx context.Context, consumer string, max int, out []Claim[M]) ([]Claim[M], error) {
	streams, err := o.rdb.XReadGroup(ctx, &redis.XReadGroupArgs{
		Group: o.group, Consumer: consumer, Streams: []string{o.stream, ">"}, Count: int64(max - len(out)), Block: -1,
	}).Result()
	if isNoGroup(err) {
		o.groupMu.Lock()
		o.groupOK = false
		o.groupMu.Unlock()
		return out, nil
	}
	if err != nil && !errors.Is(err, redis.Nil) {
		return out, fmt.Errorf("read outbox: %w", err)
	}
	for _, s := range streams {
		out = o.decode(ctx, consumer, s.Messages, out)
	}
	return out, nil
}

func isNoGroup(err error) bool { return err != nil && strings.Contains(err.Error(), "NOGROUP") }

// decode turns stream entries into claims; an undecodable entry is
// acknowledged and dropped (it can never be delivered).
func (o *RedisOutbox[M]) decode(ctx context.Context, consumer string, msgs []redis.XMessage, out []Claim[M]) []Claim[M] {
	for _, x := range msgs {
		raw, _ := x.Values["m"].(string)
		var m M
		if err := json.Unmarshal([]byte(raw), &m); err != nil || m.OutboxID() == "" {
			_ = o.rdb.XAck(ctx, o.stream, o.group, x.ID).Err()
			_ = o.rdb.XDel(ctx, o.stream, x.ID).Err()
			continue
		}
		out = append(out, Claim[M]{Message: m, ref: x.ID, consumer: consumer})
	}
	return out
}

// pendingFor is the Lua test that entry ARGV[2] of group ARGV[1] is still
// pending for consumer ARGV[3]: the scripts below act only on a claim the
// consumer still holds (a plain XCLAIM or XACK would act on an entry
// another consumer took over).
const pendingFor = `
local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[2], ARGV[2], 1, ARGV[3])
if #p == 0 then return 0 end
`

// extendScript renews a claim: XCLAIM resets the idle time.
var extendScript = redis.NewScript(pendingFor + `
redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[3], 0, ARGV[2], 'JUSTID')
return 1`)

// Extend implements [Outbox].
func (o *RedisOutbox[M]) Extend(ctx context.Context, consumer string, c Claim[M]) error {
	return o.settle(ctx, "extend claim", extendScript, []string{o.stream}, c, consumer)
}

// settle runs one of the scripts that start with pendingFor, with the
// group, the entry and consumer as ARGV[1..3] and args after them.
func (o *RedisOutbox[M]) settle(ctx context.Context, op string, script *redis.Script, keys []string, c Claim[M], consumer string, args ...any) error {
	n, err := script.Run(ctx, o.rdb, keys, append([]any{o.group, c.ref, consumer}, args...)...).Int64()
	if err != nil {
		return fmt.Errorf("%s %s: %w", op, c.Message.OutboxID(), err)
	}
	if n == 0 {
		return fmt.Errorf("%s %s: no longer pending for %s: %w", op, c.Message.OutboxID(), consumer, ErrLeaseLost)
	}
	return nil
}

var ackScript = redis.NewScript(pendingFor + `
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
redis.call('XDEL', KEYS[1], ARGV[2])
return 1`)

// Ack implements [Outbox].
func (o *RedisOutbox[M]) Ack(ctx context.Context, c Claim[M]) error {
	return o.settle(ctx, "ack", ackScript, []string{o.stream}, c, c.consumer)
}

var retryScript = redis.NewScript(pendingFor + `
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
redis.call('XDEL', KEYS[1], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[5])
return 1`)

// Retry implements [Outbox].
func (o *RedisOutbox[M]) Retry(ctx context.Context, c Claim[M], m M) error {
	b, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("encode message %s: %w", m.OutboxID(), err)
	}
	due := max(m.OutboxNotBefore().UnixMilli(), 0)
	return o.settle(ctx, "retry", retryScript, []string{o.stream, o.delayed}, c, c.consumer, due, b)
}

var deadScript = redis.NewScript(pendingFor + `
redis.call('HSET', KEYS[2], ARGV[4], ARGV[5])
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
redis.call('XDEL', KEYS[1], ARGV[2])
return 1`)

// DeadLetter implements [Outbox].
func (o *RedisOutbox[M]) DeadLetter(ctx context.Context, c Claim[M], m M, reason string) error {
	id := m.OutboxID()
	b, err := json.Marshal(DeadLetter[M]{Message: m, Reason: reason, At: o.opts.Now().UTC()})
	if err != nil {
		return fmt.Errorf("encode dead letter %s: %w", id, err)
	}
	return o.settle(ctx, "dead-letter", deadScript, []string{o.stream, o.prefix + "dead:" + m.OutboxTenant()}, c, c.consumer, id, b)
}

// DeadLetters implements [Outbox].
func (o *RedisOutbox[M]) DeadLetters(ctx context.Context, tenantID string) ([]DeadLetter[M], error) {
	if tenantID == "" {
		return nil, fmt.Errorf("dead letters: empty tenant ID: %w", ErrInvalid)
	}
	vals, err := o.rdb.HGetAll(ctx, o.prefix+"dead:"+tenantID).Result()
	if err != nil {
		return nil, fmt.Errorf("dead letters: %w", err)
	}
	out := make([]DeadLetter[M], 0, len(vals))
	for _, v := range vals {
		var dl DeadLetter[M]
		if err := json.Unmarshal([]byte(v), &dl); err != nil {
			return nil, fmt.Errorf("decode dead letter: %w", err)
		}
		if dl.Message.OutboxTenant() == tenantID {
			out = append(out, dl)
		}
	}
	slices.SortFunc(out, func(a, b DeadLetter[M]) int {
		return cmp.Or(a.At.Compare(b.At), cmp.Compare(a.Message.OutboxID(), b.Message.OutboxID()))
	})
	return out, nil
}
