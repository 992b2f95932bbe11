// Package store is the storage contract of attestbot and its two backends.
//
// [Store] covers four areas:
//
//   - catalog records (attestation.Record), keyed by Record.ID()
//     (locale + "/" + path), with the previous revision of every changed or
//     deleted record kept so that a diff can be taken;
//   - conversation references of the bot, keyed by (tenant ID, user ID);
//     every key carries the tenant and no method reads across tenants;
//   - idempotency marks for inbound activities ([Store.MarkSeen]);
//   - a small generic key/value area in named buckets ([KV]) for
//     subscriptions, the outbox, sync state and the like.
//
// Beyond [Store], four capabilities serve the notify pipeline, each an
// interface with a Redis implementation shared by replicas and one for a
// single process (the store's KV area, or memory) used with bbolt:
//
//   - [Outbox]: the durable, at-least-once queue between dispatch and
//     delivery ([RedisOutbox] on Streams with a consumer group,
//     [KVOutbox] with claims in the KV area), with dead letters per tenant;
//   - [SyncLease]: the fenced lease that elects the one syncing replica and
//     keeps each source's cursor ([RedisLease], [LocalLease]);
//   - [Limiter]: a sliding-window rate limiter ([RedisLimiter],
//     [MemoryLimiter]);
//   - [DeliveredLog]: who got which event on which channel
//     ([RedisDeliveredLog], [KVDeliveredLog]).
//
// [NewOutbox], [NewSyncLease], [NewRateLimiter] and [NewDeliveredLog] pick
// the implementation that fits a store, so that callers never name a
// backend. Each capability has its contract suite in store/storetest
// (RunOutbox, RunSyncLease, RunLimiter, RunDeliveredLog), run against
// bbolt, Redis and Redis Cluster.
//
// Errors: a missing record, revision, conversation or key is reported as
// [ErrNotFound]; a bad argument (empty ID, empty tenant, non-positive TTL)
// as [ErrInvalid]. Callers never need to import a backend package to test
// errors.
//
// # Backends
//
// [BoltStore] (go.etcd.io/bbolt) is the embedded default: one file, created
// with its parent directories, locked against other processes. [RedisStore]
// (github.com/redis/go-redis/v9) lets several replicas share one store; it
// works with a single server, Sentinel or Cluster through
// redis.UniversalClient.
//
// # Store URLs
//
// [Open] picks the backend from a URL:
//
//	data/attestbot.db                     bbolt file (any value without "://")
//	bolt://data/attestbot.db              bbolt, relative path
//	bolt:///var/lib/attestbot/store.db    bbolt, absolute path
//	file:///var/lib/attestbot/store.db    bbolt, absolute path
//	bolt://data/a.db?lock_timeout=5s      bbolt, wait up to 5 s for the file lock (default 1 s)
//
//	redis://[user:password@]host[:port][/db][?options]       one server (port 6379, db 0 by default)
//	rediss://...                                               the same over TLS
//	redis+sentinel://[user:password@]s1:26379,s2:26379[/db]?master=mymaster[&options]
//	rediss+sentinel://...                                      Sentinel, TLS to sentinels and servers
//	redis+cluster://[user:password@]h1:6379,h2:6379[?options]  Cluster (seed nodes; one is enough)
//	rediss+cluster://...                                       Cluster over TLS
//	redis://h1:6379,h2:6379[?options]                          several hosts on redis:// also mean Cluster
//
// Hosts are separated by commas; a host without a port gets 6379 (26379
// for Sentinel). The user and password of the URL authenticate to the Redis
// servers (for Sentinel, to the master and replicas; the sentinels take
// sentinel_username and sentinel_password). A database number is refused
// with Cluster, which has only database 0.
//
// Options (query parameters; an unknown one is an error):
//
//	prefix=attestbot:     key prefix (default "attestbot:"), to share one Redis between deployments
//	master=name           Sentinel master name (required with redis+sentinel; alias master_name)
//	db=N                  database number (overrides the path)
//	sentinel_username=u, sentinel_password=p
//	client_name=name      CLIENT SETNAME on every connection
//	protocol=2|3          RESP version
//	dial_timeout, read_timeout, write_timeout, pool_timeout=duration (Go syntax, or seconds; 0 or less: none)
//	pool_size=N, max_retries=N, min_idle_conns=N
//	skip_verify=true      TLS without certificate verification (rediss only; for tests)
//
// Every other option of redis.ParseURL is accepted too (max_idle_conns,
// conn_max_lifetime, pool_fifo…), and with Cluster those of
// redis.ParseClusterURL (read_only, route_by_latency…): go-redis reads the
// options and the database, this package the host list, the user info and
// the options above that go-redis does not know.
//
// # Redis key layout
//
// With the default prefix P = "attestbot:":
//
//	P rec:<id>            hash: cur (current revision), hash (hex SHA-256 of its JSON), prev (previous revision)
//	P idx:records         set of current record IDs (CountRecords, Records; never KEYS)
//	P conv:<tenant>       hash: user ID -> ConversationRef JSON
//	P seen:<key>          string with TTL (SET NX PX)
//	P kv:<bucket>         hash: key -> value
//	P {notify}:...        the capabilities: outbox stream, delayed retries, enqueue marks and dead
//	                      letters; the sync lease, fence counter and cursors; rate-limit lists;
//	                      delivery sets (see RedisOutbox, RedisLease, RedisLimiter, RedisDeliveredLog)
//
// Records and conversations are changed with single-key commands or Lua
// scripts over one key, and the capabilities' scripts touch only keys of
// the {notify} hash tag, so the layout works unchanged on Cluster. The ID
// index is updated right after the record key: a replica that dies between
// the two can leave an index entry without a current revision, which
// Records skips and CountRecords counts until that ID is put or deleted
// again. Iteration uses SSCAN and HSCAN, never KEYS.
//
// A stored revision is one format byte (1) followed by the record's JSON
// compressed with raw DEFLATE (compress/flate): records are about 15 KB of
// repetitive JSON, and compression cuts disk writes, file size and Redis
// memory about fivefold. Whether a put changes a record is decided on the
// SHA-256 of the uncompressed JSON. Conversation references and KV values
// are stored as given (JSON for conversations).
//
// # bbolt layout
//
// Buckets records (id -> SHA-256 of the JSON, then the revision), previous
// (same encoding), conversations/<tenant>/<user> (JSON), seen (key ->
// expiry in Unix nanoseconds, swept lazily), kv/<bucket>/<key> and meta
// (schema version). The KV capabilities keep their entries in the KV
// buckets notify.outbox, notify.outbox.done, notify.dead, notify.sync and
// notify.delivered (names kept from when they lived in notify).
//
// # Adding a backend
//
// Implement [Store] (add `var _ Store = (*XStore)(nil)`), convert the
// backend's "missing" errors to [ErrNotFound], give [Open] a URL scheme
// for it, and run the contract suite store/storetest.Run against it in a
// test; storetest.BenchmarkPutRecords measures the catalog import. The
// capabilities work on any [KV] through their KV and memory
// implementations; a backend shared by processes needs its own, picked in
// NewOutbox and its siblings and run through the capability suites.
package store
