package store

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/attestbot/attestbot/attestation"
)

// SetRedisLogger sends go-redis's own log lines (sentinel failovers, pool
// and cluster notices) to l at warn level, instead of plain text on stderr
// that would break a JSON log. go-redis has one logger per process, so the
// last call wins; cmd calls it once, with the process logger.
func SetRedisLogger(l *slog.Logger) {
	if l == nil {
		l = slog.New(slog.DiscardHandler)
	}
	redis.SetLogger(redisLogger{l: l})
}

// redisLogger adapts slog to go-redis's Printf logger.
type redisLogger struct{ l *slog.Logger }

// Printf implements go-redis's internal.Logging.
func (r redisLogger) Printf(ctx context.Context, format string, v ...any) {
	r.l.WarnContext(ctx, "redis client", "detail", strings.TrimSpace(fmt.Sprintf(format, v...)))
}

// DefaultKeyPrefix is the default prefix of every Redis key.
const DefaultKeyPrefix = "attestbot:"

// scanCount is the COUNT hint of SSCAN and HSCAN.
const scanCount = 1000

// putRecordScript stores a record revision atomically on its one key:
// unchanged if the hash matches, otherwise the current revision (if any)
// becomes the previous one. It returns 0 unchanged, 1 added, 2 updated.
var putRecordScript = `
local h = redis.call('HGET', KEYS[1], 'hash')
if h == ARGV[1] then return 0 end
local cur = redis.call('HGET', KEYS[1], 'cur')
if cur then
  redis.call('HSET', KEYS[1], 'prev', cur, 'cur', ARGV[2], 'hash', ARGV[1])
  return 2
end
redis.call('HSET', KEYS[1], 'cur', ARGV[2], 'hash', ARGV[1])
return 1
`

// deleteRecordScript moves the current revision to the previous one. It
// returns 0 if there was no current revision, else 1.
var deleteRecordScript = `
local cur = redis.call('HGET', KEYS[1], 'cur')
if not cur then return 0 end
redis.call('HSET', KEYS[1], 'prev', cur)
redis.call('HDEL', KEYS[1], 'cur', 'hash')
return 1
`

// RedisOptions configures [NewRedis].
type RedisOptions struct {
	// KeyPrefix prefixes every key. Default "attestbot:" ([DefaultKeyPrefix]).
	KeyPrefix string
	// Now returns the current time. Default time.Now.
	Now func() time.Time
}

// RedisStore is the [Store] on Redis (single server, Sentinel or Cluster),
// shared by several replicas. It is safe for concurrent use.
type RedisStore struct {
	rdb    redis.UniversalClient
	prefix string
	now    func() time.Time

	closeOnce sync.Once
	closeErr  error
}

var _ Store = (*RedisStore)(nil)

// NewRedis returns a store on client. The store owns the client: Close
// closes it.
func NewRedis(client redis.UniversalClient, opts RedisOptions) *RedisStore {
	if opts.KeyPrefix == "" {
		opts.KeyPrefix = DefaultKeyPrefix
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &RedisStore{rdb: client, prefix: opts.KeyPrefix, now: opts.Now}
}

// OpenRedis parses rawURL with [ParseRedisURL], connects and pings the
// server under ctx.
func OpenRedis(ctx context.Context, rawURL string) (*RedisStore, error) {
	cfg, err := ParseRedisURL(rawURL)
	if err != nil {
		return nil, err
	}
	client := redis.NewUniversalClient(&cfg.Options)
	s := NewRedis(client, RedisOptions{KeyPrefix: cfg.KeyPrefix})
	if err := s.Ping(ctx); err != nil {
		_ = client.Close()
		return nil, fmt.Errorf("open redis store (%s, %s): %w", cfg.Mode, strings.Join(cfg.Options.Addrs, ","), err)
	}
	return s, nil
}

// Client returns the underlying client, for features that need more than
// the store contract (leases, pub/sub).
func (s *RedisStore) Client() redis.UniversalClient { return s.rdb }

// KeyPrefix returns the prefix of every key of the store.
func (s *RedisStore) KeyPrefix() string { return s.prefix }

func (s *RedisStore) recKey(id string) string        { return s.prefix + "rec:" + id }
func (s *RedisStore) idxKey() string                 { return s.prefix + "idx:records" }
func (s *RedisStore) convKey(tenantID string) string { return s.prefix + "conv:" + tenantID }
func (s *RedisStore) seenKey(key string) string      { return s.prefix + "seen:" + key }
func (s *RedisStore) kvKey(bucket string) string     { return s.prefix + "kv:" + bucket }
func isNil(err error) bool                           { return errors.Is(err, redis.Nil) }
func ctxErr(ctx context.Context, op string) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return nil
}

// Ping implements [Store].
func (s *RedisStore) Ping(ctx context.Context) error {
	if err := s.rdb.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("ping redis: %w", err)
	}
	return nil
}

// Close closes the client. Later calls return the first call's result.
func (s *RedisStore) Close() error {
	s.closeOnce.Do(func() {
		if err := s.rdb.Close(); err != nil {
			s.closeErr = fmt.Errorf("close redis store: %w", err)
		}
	})
	return s.closeErr
}

// PutRecords implements [RecordStore]. Per [BatchSize] records it reads
// the stored hashes in one pipeline, then sends only the changed records,
// each through a script that re-checks the hash atomically, in a second
// pipeline.
func (s *RedisStore) PutRecords(ctx context.Context, recs []*attestation.Record) (PutResult, error) {
	var res PutResult
	if err := validateRecords(recs); err != nil {
		return res, fmt.Errorf("put records: %w", err)
	}
	for start := 0; start < len(recs); start += BatchSize {
		if err := ctxErr(ctx, "put records"); err != nil {
			return res, err
		}
		if err := s.putChunk(ctx, recs[start:min(start+BatchSize, len(recs))], &res); err != nil {
			return res, fmt.Errorf("put records: %w", err)
		}
	}
	return res, nil
}

func (s *RedisStore) putChunk(ctx context.Context, recs []*attestation.Record, res *PutResult) error {
	chunk, err := encodeRecords(recs)
	if err != nil {
		return err
	}
	hashes := make([]*redis.StringCmd, len(chunk))
	_, err = s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i := range chunk {
			hashes[i] = p.HGet(ctx, s.recKey(chunk[i].id), "hash")
		}
		return nil
	})
	if err != nil && !isNil(err) {
		return fmt.Errorf("read record hashes: %w", err)
	}
	known := make(map[string]string, len(chunk))
	for i, c := range hashes {
		if _, ok := known[chunk[i].id]; !ok {
			known[chunk[i].id] = c.Val() // "" when absent
		}
	}
	type sent struct {
		id  string
		cmd *redis.Cmd
	}
	var order []any // string (unchanged id) or sent, in input order
	var ids []any
	for i := range chunk {
		e := &chunk[i]
		sum := hex.EncodeToString(e.sum[:])
		if known[e.id] == sum {
			order = append(order, e.id)
			continue
		}
		known[e.id] = sum
		order = append(order, sent{id: e.id})
		ids = append(ids, e.id)
	}
	if len(ids) > 0 {
		err := compressRecords(chunk, func(i int) bool { _, ok := order[i].(sent); return ok })
		if err != nil {
			return err
		}
		_, err = s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
			for i := range chunk {
				sn, ok := order[i].(sent)
				if !ok {
					continue
				}
				e := &chunk[i]
				sn.cmd = p.Eval(ctx, putRecordScript, []string{s.recKey(e.id)}, hex.EncodeToString(e.sum[:]), e.blob)
				order[i] = sn
			}
			p.SAdd(ctx, s.idxKey(), ids...)
			return nil
		})
		if err != nil {
			return fmt.Errorf("write records: %w", err)
		}
	}
	for _, o := range order {
		switch v := o.(type) {
		case string:
			res.add(v, outcomeUnchanged)
		case sent:
			n, err := v.cmd.Int()
			if err != nil {
				return fmt.Errorf("write record %s: %w", v.id, err)
			}
			switch n {
			case 1:
				res.add(v.id, outcomeAdded)
			case 2:
				res.add(v.id, outcomeUpdated)
			default:
				res.add(v.id, outcomeUnchanged)
			}
		}
	}
	return nil
}

// GetRecord implements [RecordStore].
func (s *RedisStore) GetRecord(ctx context.Context, id string) (*attestation.Record, error) {
	return s.getRecord(ctx, "cur", id)
}

// PreviousRecord implements [RecordStore].
func (s *RedisStore) PreviousRecord(ctx context.Context, id string) (*attestation.Record, error) {
	return s.getRecord(ctx, "prev", id)
}

func (s *RedisStore) getRecord(ctx context.Context, field, id string) (*attestation.Record, error) {
	if err := checkID(id); err != nil {
		return nil, err
	}
	if err := ctxErr(ctx, "get record "+id); err != nil {
		return nil, err
	}
	b, err := s.rdb.HGet(ctx, s.recKey(id), field).Bytes()
	if isNil(err) {
		return nil, fmt.Errorf("get record %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("get record %s: %w", id, err)
	}
	return decodeBlob(id, b)
}

// Records implements [RecordStore]. It reads the ID index with SSCAN,
// sorts it and fetches the records in pipelines of 256.
func (s *RedisStore) Records(ctx context.Context, fn func(*attestation.Record) error) error {
	if err := ctxErr(ctx, "list records"); err != nil {
		return err
	}
	ids, err := s.sscanAll(ctx, s.idxKey())
	if err != nil {
		return fmt.Errorf("list records: %w", err)
	}
	for start := 0; start < len(ids); start += scanPage {
		page := ids[start:min(start+scanPage, len(ids))]
		cmds := make([]*redis.StringCmd, len(page))
		_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
			for i, id := range page {
				cmds[i] = p.HGet(ctx, s.recKey(id), "cur")
			}
			return nil
		})
		if err != nil && !isNil(err) {
			return fmt.Errorf("list records: %w", err)
		}
		for i, c := range cmds {
			b, err := c.Bytes()
			if isNil(err) {
				continue // deleted since the index was read
			}
			if err != nil {
				return fmt.Errorf("list records: %w", err)
			}
			rec, err := decodeBlob(page[i], b)
			if err != nil {
				return err
			}
			if err := fn(rec); err != nil {
				return err
			}
		}
	}
	return nil
}

func (s *RedisStore) sscanAll(ctx context.Context, key string) ([]string, error) {
	seen := map[string]struct{}{}
	var cursor uint64
	for {
		members, next, err := s.rdb.SScan(ctx, key, cursor, "", scanCount).Result()
		if err != nil {
			return nil, err
		}
		for _, m := range members {
			seen[m] = struct{}{}
		}
		if next == 0 {
			break
		}
		cursor = next
	}
	out := make([]string, 0, len(seen))
	for m := range seen {
		out = append(out, m)
	}
	slices.Sort(out)
	return out, nil
}

// DeleteRecord implements [RecordStore].
func (s *RedisStore) DeleteRecord(ctx context.Context, id string) error {
	if err := checkID(id); err != nil {
		return err
	}
	if err := ctxErr(ctx, "delete record "+id); err != nil {
		return err
	}
	n, err := s.rdb.Eval(ctx, deleteRecordScript, []string{s.recKey(id)}).Int()
	if err != nil {
		return fmt.Errorf("delete record %s: %w", id, err)
	}
	if err := s.rdb.SRem(ctx, s.idxKey(), id).Err(); err != nil {
		return fmt.Errorf("delete record %s from index: %w", id, err)
	}
	if n == 0 {
		return fmt.Errorf("delete record %s: %w", id, ErrNotFound)
	}
	return nil
}

// CountRecords implements [RecordStore].
func (s *RedisStore) CountRecords(ctx context.Context) (int, error) {
	if err := ctxErr(ctx, "count records"); err != nil {
		return 0, err
	}
	n, err := s.rdb.SCard(ctx, s.idxKey()).Result()
	if err != nil {
		return 0, fmt.Errorf("count records: %w", err)
	}
	return int(n), nil
}

// PutConversation implements [ConversationStore].
func (s *RedisStore) PutConversation(ctx context.Context, ref ConversationRef) error {
	b, err := prepareConversation(ref, s.now)
	if err != nil {
		return fmt.Errorf("put conversation: %w", err)
	}
	if err := ctxErr(ctx, "put conversation"); err != nil {
		return err
	}
	if err := s.rdb.HSet(ctx, s.convKey(ref.TenantID), ref.UserID, b).Err(); err != nil {
		return fmt.Errorf("put conversation of tenant %s: %w", ref.TenantID, err)
	}
	return nil
}

// GetConversation implements [ConversationStore].
func (s *RedisStore) GetConversation(ctx context.Context, tenantID, userID string) (ConversationRef, error) {
	if err := checkConversationKey(tenantID, userID); err != nil {
		return ConversationRef{}, fmt.Errorf("get conversation: %w", err)
	}
	if err := ctxErr(ctx, "get conversation"); err != nil {
		return ConversationRef{}, err
	}
	b, err := s.rdb.HGet(ctx, s.convKey(tenantID), userID).Bytes()
	if isNil(err) {
		return ConversationRef{}, fmt.Errorf("get conversation of tenant %s: %w", tenantID, ErrNotFound)
	}
	if err != nil {
		return ConversationRef{}, fmt.Errorf("get conversation of tenant %s: %w", tenantID, err)
	}
	return decodeConversation(tenantID, userID, b)
}

// DeleteConversation implements [ConversationStore].
func (s *RedisStore) DeleteConversation(ctx context.Context, tenantID, userID string) error {
	if err := checkConversationKey(tenantID, userID); err != nil {
		return fmt.Errorf("delete conversation: %w", err)
	}
	if err := ctxErr(ctx, "delete conversation"); err != nil {
		return err
	}
	if err := s.rdb.HDel(ctx, s.convKey(tenantID), userID).Err(); err != nil {
		return fmt.Errorf("delete conversation of tenant %s: %w", tenantID, err)
	}
	return nil
}

// Conversations implements [ConversationStore].
func (s *RedisStore) Conversations(ctx context.Context, tenantID string, fn func(ConversationRef) error) error {
	if err := checkTenant(tenantID); err != nil {
		return fmt.Errorf("list conversations: %w", err)
	}
	return s.hscanSorted(ctx, s.convKey(tenantID), "", func(user string, v []byte) error {
		ref, err := decodeConversation(tenantID, user, v)
		if err != nil {
			return err
		}
		return fn(ref)
	})
}

// MarkSeen implements [Deduper] with SET NX PX.
func (s *RedisStore) MarkSeen(ctx context.Context, key string, ttl time.Duration) (bool, error) {
	if err := checkSeen(key, ttl); err != nil {
		return false, fmt.Errorf("mark seen: %w", err)
	}
	if err := ctxErr(ctx, "mark seen"); err != nil {
		return false, err
	}
	first, err := s.rdb.SetNX(ctx, s.seenKey(key), "1", ttl).Result()
	if err != nil {
		return false, fmt.Errorf("mark seen: %w", err)
	}
	return first, nil
}

// Get implements [KV].
func (s *RedisStore) Get(ctx context.Context, bucket, key string) ([]byte, error) {
	if err := checkKV(bucket, key); err != nil {
		return nil, fmt.Errorf("kv get: %w", err)
	}
	if err := ctxErr(ctx, "kv get"); err != nil {
		return nil, err
	}
	b, err := s.rdb.HGet(ctx, s.kvKey(bucket), key).Bytes()
	if isNil(err) {
		return nil, fmt.Errorf("kv get %s/%s: %w", bucket, key, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("kv get %s/%s: %w", bucket, key, err)
	}
	return b, nil
}

// Put implements [KV].
func (s *RedisStore) Put(ctx context.Context, bucket, key string, value []byte) error {
	if err := checkKV(bucket, key); err != nil {
		return fmt.Errorf("kv put: %w", err)
	}
	if err := ctxErr(ctx, "kv put"); err != nil {
		return err
	}
	if value == nil {
		value = []byte{}
	}
	if err := s.rdb.HSet(ctx, s.kvKey(bucket), key, value).Err(); err != nil {
		return fmt.Errorf("kv put %s/%s: %w", bucket, key, err)
	}
	return nil
}

// Delete implements [KV].
func (s *RedisStore) Delete(ctx context.Context, bucket, key string) error {
	if err := checkKV(bucket, key); err != nil {
		return fmt.Errorf("kv delete: %w", err)
	}
	if err := ctxErr(ctx, "kv delete"); err != nil {
		return err
	}
	if err := s.rdb.HDel(ctx, s.kvKey(bucket), key).Err(); err != nil {
		return fmt.Errorf("kv delete %s/%s: %w", bucket, key, err)
	}
	return nil
}

// Scan implements [KV] with HSCAN MATCH.
func (s *RedisStore) Scan(ctx context.Context, bucket, prefix string, fn func(key string, value []byte) error) error {
	if err := checkBucket(bucket); err != nil {
		return fmt.Errorf("kv scan: %w", err)
	}
	return s.hscanSorted(ctx, s.kvKey(bucket), prefix, fn)
}

// hscanSorted reads every field of hash key starting with prefix (HSCAN
// may return a field twice; the map dedupes it), then calls fn in field
// order.
func (s *RedisStore) hscanSorted(ctx context.Context, key, prefix string, fn func(string, []byte) error) error {
	if err := ctxErr(ctx, "scan "+key); err != nil {
		return err
	}
	match := ""
	if prefix != "" {
		match = globEscape(prefix) + "*"
	}
	entries := map[string]string{}
	var cursor uint64
	for {
		kvs, next, err := s.rdb.HScan(ctx, key, cursor, match, scanCount).Result()
		if err != nil {
			return fmt.Errorf("scan %s: %w", key, err)
		}
		for i := 0; i+1 < len(kvs); i += 2 {
			if strings.HasPrefix(kvs[i], prefix) {
				entries[kvs[i]] = kvs[i+1]
			}
		}
		if next == 0 {
			break
		}
		cursor = next
	}
	keys := make([]string, 0, len(entries))
	for k := range entries {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if err := fn(k, []byte(entries[k])); err != nil {
			return err
		}
	}
	return nil
}

// globEscape escapes the glob metacharacters of Redis MATCH patterns.
func globEscape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '*', '?', '[', ']', '\\', '^', '-':
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
