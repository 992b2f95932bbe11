package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"github.com/attestbot/attestbot/attestation"
)

// Bucket names of the bbolt layout.
var (
	bktRecords       = []byte("records")
	bktPrevious      = []byte("previous")
	bktConversations = []byte("conversations")
	bktSeen          = []byte("seen")
	bktKV            = []byte("kv")
	bktMeta          = []byte("meta")

	metaSchema = []byte("schema")
	// metaRecords holds the number of keys of the records bucket (8 bytes,
	// big endian), kept by the transactions that add or delete one, so that
	// counting (serve polls it) reads one key, not every page of the bucket.
	metaRecords   = []byte("records")
	schemaVersion = []byte("1")
)

// A stored record value is the SHA-256 of the record's JSON followed by
// the blob (see blobFormat).
const (
	recordHeader = 32
	// scanPage is the number of entries read per read transaction when
	// iterating; fn is called outside the transaction.
	scanPage = 256
	// maxSweep bounds the expired idempotency keys removed per sweep.
	maxSweep = 10000
)

// Defaults of BoltOptions.
const (
	DefaultLockTimeout   = time.Second
	DefaultSweepInterval = time.Minute
)

// BoltOptions configures [OpenBolt]. The zero value uses the defaults.
type BoltOptions struct {
	// LockTimeout is how long OpenBolt waits for the file lock when another
	// process holds the file. Default 1 s ([DefaultLockTimeout]).
	LockTimeout time.Duration
	// SweepInterval is the least time between two sweeps of expired
	// idempotency keys; a sweep runs with a commit of new marks. Default 1 min.
	SweepInterval time.Duration
	// Now returns the current time. Default time.Now.
	Now func() time.Time
	// NoSync skips the fsync after each write transaction: faster, but a
	// crash of the machine can lose or corrupt data. For tests only.
	NoSync bool
}

// ErrCorrupt is returned (wrapped) by [OpenBolt] for a file that is not a
// consistent bbolt database: corrupted pages, a torn copy, another format.
var ErrCorrupt = errors.New("store: database file is corrupt")

// BoltStore is the embedded [Store]: one bbolt file. It is safe for
// concurrent use by several goroutines of one process; the file is locked
// against other processes.
type BoltStore struct {
	db         *bbolt.DB
	path       string
	now        func() time.Time
	sweepEvery time.Duration

	mu        sync.Mutex
	lastSweep time.Time

	seen *seenWriter

	closeOnce sync.Once
	closeErr  error
}

var _ Store = (*BoltStore)(nil)

// OpenBolt opens or creates the bbolt file at path, creating its parent
// directories and the buckets. If another process holds the file, it waits
// up to opts.LockTimeout and then fails with an error wrapping [ErrLocked].
func OpenBolt(path string, opts BoltOptions) (*BoltStore, error) {
	if path == "" {
		return nil, fmt.Errorf("open bolt store: empty path: %w", ErrInvalid)
	}
	if opts.LockTimeout <= 0 {
		opts.LockTimeout = DefaultLockTimeout
	}
	if opts.SweepInterval <= 0 {
		opts.SweepInterval = DefaultSweepInterval
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("open bolt store: create directory %s: %w", dir, err)
		}
	}
	db, err := openChecked(path, opts)
	if err != nil {
		return nil, err
	}
	s := &BoltStore{db: db, path: path, now: opts.Now, sweepEvery: opts.SweepInterval, seen: newSeenWriter()}
	go s.runSeenWriter()
	return s, nil
}

// openChecked opens the file, checks that every page is consistent and
// creates the buckets. bbolt panics on some corrupted pages ("assertion
// failed: Page expected to be ..."); such a panic during open becomes an
// error wrapping [ErrCorrupt] that names the file.
func openChecked(path string, opts BoltOptions) (db *bbolt.DB, err error) {
	defer func() {
		if r := recover(); r != nil {
			if db != nil {
				_ = db.Close()
			}
			db, err = nil, corruptError(path, fmt.Errorf("%v", r))
		}
	}()
	db, err = bbolt.Open(path, 0o600, &bbolt.Options{Timeout: opts.LockTimeout, NoSync: opts.NoSync})
	if err != nil {
		switch {
		case errors.Is(err, berrors.ErrTimeout):
			return nil, fmt.Errorf("open bolt store %s: waited %s for the file lock: %w", path, opts.LockTimeout, ErrLocked)
		case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrChecksum), errors.Is(err, berrors.ErrVersionMismatch):
			return nil, corruptError(path, err)
		}
		return nil, fmt.Errorf("open bolt store %s: %w", path, err)
	}
	// A full consistency check reads every page once: a few milliseconds
	// per megabyte, paid at start only.
	if err := db.View(func(tx *bbolt.Tx) error {
		var errs []error
		for e := range tx.Check() {
			if len(errs) < 5 {
				errs = append(errs, e)
			}
		}
		return errors.Join(errs...)
	}); err != nil {
		_ = db.Close()
		return nil, corruptError(path, err)
	}
	err = db.Update(func(tx *bbolt.Tx) error {
		for _, name := range [][]byte{bktRecords, bktPrevious, bktConversations, bktSeen, bktKV, bktMeta} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return fmt.Errorf("create bucket %s: %w", name, err)
			}
		}
		meta := tx.Bucket(bktMeta)
		switch v := meta.Get(metaSchema); {
		case v == nil:
			if err := meta.Put(metaSchema, schemaVersion); err != nil {
				return err
			}
		case !bytes.Equal(v, schemaVersion):
			return fmt.Errorf("unsupported schema version %q (want %q)", v, schemaVersion)
		}
		if meta.Get(metaRecords) == nil { // a file written before the count was kept
			return putRecordCount(tx, tx.Bucket(bktRecords).Stats().KeyN)
		}
		return nil
	})
	if err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("open bolt store %s: %w", path, err)
	}
	return db, nil
}

// corruptError tells the operator what is wrong and what to do.
func corruptError(path string, cause error) error {
	return fmt.Errorf("open bolt store %s: the file is corrupt (%v); restore it from a backup, "+
		"or move it away to start with an empty store (the catalog is imported again, subscriptions are lost): %w",
		path, cause, ErrCorrupt)
}

// Path returns the file path of the store.
func (s *BoltStore) Path() string { return s.path }

// Ping reports whether the database is open.
func (s *BoltStore) Ping(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := s.db.View(func(*bbolt.Tx) error { return nil }); err != nil {
		return fmt.Errorf("ping bolt store: %w", err)
	}
	return nil
}

// Close closes the file. Later calls return the first call's result.
func (s *BoltStore) Close() error {
	s.closeOnce.Do(func() {
		seenErr := s.closeSeen()
		if err := errors.Join(seenErr, s.db.Close()); err != nil {
			s.closeErr = fmt.Errorf("close bolt store: %w", err)
		}
	})
	return s.closeErr
}

// PutRecords implements [RecordStore]: one write transaction per
// [BatchSize] records. Records whose stored hash already matches are not
// compressed again.
func (s *BoltStore) PutRecords(ctx context.Context, recs []*attestation.Record) (PutResult, error) {
	var res PutResult
	if err := validateRecords(recs); err != nil {
		return res, fmt.Errorf("put records: %w", err)
	}
	for start := 0; start < len(recs); start += BatchSize {
		if err := ctx.Err(); err != nil {
			return res, fmt.Errorf("put records: %w", err)
		}
		if err := s.putChunk(recs[start:min(start+BatchSize, len(recs))], &res); err != nil {
			return res, fmt.Errorf("put records: %w", err)
		}
	}
	return res, nil
}

func (s *BoltStore) putChunk(recs []*attestation.Record, res *PutResult) error {
	chunk, err := encodeRecords(recs)
	if err != nil {
		return err
	}
	same := make([]bool, len(chunk))
	err = s.db.View(func(tx *bbolt.Tx) error {
		cur := tx.Bucket(bktRecords)
		for i := range chunk {
			v := cur.Get([]byte(chunk[i].id))
			same[i] = len(v) >= recordHeader && bytes.Equal(v[:recordHeader], chunk[i].sum[:])
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := compressRecords(chunk, func(i int) bool { return !same[i] }); err != nil {
		return err
	}
	var part PutResult
	err = s.db.Update(func(tx *bbolt.Tx) error {
		part = PutResult{}
		cur, prev := tx.Bucket(bktRecords), tx.Bucket(bktPrevious)
		for i := range chunk {
			e := &chunk[i]
			key := []byte(e.id)
			o := outcomeAdded
			if old := cur.Get(key); old != nil {
				if len(old) >= recordHeader && bytes.Equal(old[:recordHeader], e.sum[:]) {
					part.add(e.id, outcomeUnchanged)
					continue
				}
				if err := prev.Put(key, bytes.Clone(old)); err != nil {
					return fmt.Errorf("keep previous revision of %s: %w", e.id, err)
				}
				o = outcomeUpdated
			}
			if e.blob == nil { // changed since the hashes were read
				if err := compressRecord(e, nil, nil); err != nil {
					return err
				}
			}
			v := make([]byte, recordHeader+len(e.blob))
			copy(v, e.sum[:])
			copy(v[recordHeader:], e.blob)
			if err := cur.Put(key, v); err != nil {
				return fmt.Errorf("write record %s: %w", e.id, err)
			}
			part.add(e.id, o)
		}
		return addRecordCount(tx, part.Added)
	})
	if err != nil {
		return err
	}
	res.Added += part.Added
	res.Updated += part.Updated
	res.Unchanged += part.Unchanged
	res.AddedIDs = append(res.AddedIDs, part.AddedIDs...)
	res.UpdatedIDs = append(res.UpdatedIDs, part.UpdatedIDs...)
	return nil
}

// GetRecord implements [RecordStore].
func (s *BoltStore) GetRecord(ctx context.Context, id string) (*attestation.Record, error) {
	return s.getRecord(ctx, bktRecords, id)
}

// PreviousRecord implements [RecordStore].
func (s *BoltStore) PreviousRecord(ctx context.Context, id string) (*attestation.Record, error) {
	return s.getRecord(ctx, bktPrevious, id)
}

func (s *BoltStore) getRecord(ctx context.Context, bucket []byte, id string) (*attestation.Record, error) {
	if err := checkID(id); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("get record %s: %w", id, err)
	}
	var rec *attestation.Record
	err := s.db.View(func(tx *bbolt.Tx) error {
		v := tx.Bucket(bucket).Get([]byte(id))
		if v == nil {
			return ErrNotFound
		}
		var err error
		rec, err = decodeStoredRecord(id, v)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("get record %s: %w", id, err)
	}
	return rec, nil
}

func decodeStoredRecord(id string, v []byte) (*attestation.Record, error) {
	if len(v) < recordHeader {
		return nil, fmt.Errorf("decode record %s: unknown stored format", id)
	}
	return decodeBlob(id, v[recordHeader:])
}

// Records implements [RecordStore].
func (s *BoltStore) Records(ctx context.Context, fn func(*attestation.Record) error) error {
	// The scan reads the whole file through the map: each page of entries
	// lets the pages it read leave the resident set (they stay cached by
	// the kernel).
	return s.scanFrom(ctx, [][]byte{bktRecords}, nil, true, func(k, v []byte) error {
		rec, err := decodeStoredRecord(string(k), v)
		if err != nil {
			return err
		}
		return fn(rec)
	})
}

// DeleteRecord implements [RecordStore].
func (s *BoltStore) DeleteRecord(ctx context.Context, id string) error {
	if err := checkID(id); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("delete record %s: %w", id, err)
	}
	err := s.db.Update(func(tx *bbolt.Tx) error {
		cur := tx.Bucket(bktRecords)
		key := []byte(id)
		old := cur.Get(key)
		if old == nil {
			return ErrNotFound
		}
		if err := tx.Bucket(bktPrevious).Put(key, bytes.Clone(old)); err != nil {
			return err
		}
		if err := cur.Delete(key); err != nil {
			return err
		}
		return addRecordCount(tx, -1)
	})
	if err != nil {
		return fmt.Errorf("delete record %s: %w", id, err)
	}
	return nil
}

// CountRecords implements [RecordStore]: one key read.
func (s *BoltStore) CountRecords(ctx context.Context) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, fmt.Errorf("count records: %w", err)
	}
	var n int
	err := s.db.View(func(tx *bbolt.Tx) error {
		n = recordCount(tx)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("count records: %w", err)
	}
	return n, nil
}

// recordCount reads the kept number of records.
func recordCount(tx *bbolt.Tx) int {
	v := tx.Bucket(bktMeta).Get(metaRecords)
	if len(v) != 8 {
		return 0
	}
	return int(binary.BigEndian.Uint64(v))
}

func putRecordCount(tx *bbolt.Tx, n int) error {
	return tx.Bucket(bktMeta).Put(metaRecords, binary.BigEndian.AppendUint64(nil, uint64(max(n, 0))))
}

// addRecordCount changes the kept number of records by delta, in the
// transaction that added or deleted them.
func addRecordCount(tx *bbolt.Tx, delta int) error {
	if delta == 0 {
		return nil
	}
	return putRecordCount(tx, recordCount(tx)+delta)
}

// PutConversation implements [ConversationStore].
func (s *BoltStore) PutConversation(ctx context.Context, ref ConversationRef) error {
	b, err := prepareConversation(ref, s.now)
	if err != nil {
		return fmt.Errorf("put conversation: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("put conversation: %w", err)
	}
	err = s.db.Update(func(tx *bbolt.Tx) error {
		tb, err := tx.Bucket(bktConversations).CreateBucketIfNotExists([]byte(ref.TenantID))
		if err != nil {
			return err
		}
		return tb.Put([]byte(ref.UserID), b)
	})
	if err != nil {
		return fmt.Errorf("put conversation of tenant %s: %w", ref.TenantID, err)
	}
	return nil
}

// GetConversation implements [ConversationStore].
func (s *BoltStore) GetConversation(ctx context.Context, tenantID, userID string) (ConversationRef, error) {
	if err := checkConversationKey(tenantID, userID); err != nil {
		return ConversationRef{}, fmt.Errorf("get conversation: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return ConversationRef{}, fmt.Errorf("get conversation: %w", err)
	}
	var ref ConversationRef
	err := s.db.View(func(tx *bbolt.Tx) error {
		v := getIn(tx, [][]byte{bktConversations, []byte(tenantID)}, []byte(userID))
		if v == nil {
			return ErrNotFound
		}
		var err error
		ref, err = decodeConversation(tenantID, userID, v)
		return err
	})
	if err != nil {
		return ConversationRef{}, fmt.Errorf("get conversation of tenant %s: %w", tenantID, err)
	}
	return ref, nil
}

// DeleteConversation implements [ConversationStore].
func (s *BoltStore) DeleteConversation(ctx context.Context, tenantID, userID string) error {
	if err := checkConversationKey(tenantID, userID); err != nil {
		return fmt.Errorf("delete conversation: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("delete conversation: %w", err)
	}
	err := s.db.Update(func(tx *bbolt.Tx) error {
		tb := bucketAt(tx, [][]byte{bktConversations, []byte(tenantID)})
		if tb == nil {
			return nil
		}
		return tb.Delete([]byte(userID))
	})
	if err != nil {
		return fmt.Errorf("delete conversation of tenant %s: %w", tenantID, err)
	}
	return nil
}

// Conversations implements [ConversationStore].
func (s *BoltStore) Conversations(ctx context.Context, tenantID string, fn func(ConversationRef) error) error {
	if err := checkTenant(tenantID); err != nil {
		return fmt.Errorf("list conversations: %w", err)
	}
	return s.scan(ctx, [][]byte{bktConversations, []byte(tenantID)}, nil, func(k, v []byte) error {
		ref, err := decodeConversation(tenantID, string(k), v)
		if err != nil {
			return err
		}
		return fn(ref)
	})
}

func (s *BoltStore) sweepDue(now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if now.Sub(s.lastSweep) < s.sweepEvery {
		return false
	}
	s.lastSweep = now
	return true
}

// sweepSeen deletes up to maxSweep expired idempotency entries.
func sweepSeen(b *bbolt.Bucket, now time.Time) error {
	var expired [][]byte
	c := b.Cursor()
	for k, v := c.First(); k != nil && len(expired) < maxSweep; k, v = c.Next() {
		if len(v) != 8 || int64(binary.BigEndian.Uint64(v)) <= now.UnixNano() {
			expired = append(expired, bytes.Clone(k))
		}
	}
	for _, k := range expired {
		if err := b.Delete(k); err != nil {
			return fmt.Errorf("sweep expired keys: %w", err)
		}
	}
	return nil
}

// Get implements [KV].
func (s *BoltStore) Get(ctx context.Context, bucket, key string) ([]byte, error) {
	if err := checkKV(bucket, key); err != nil {
		return nil, fmt.Errorf("kv get: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("kv get: %w", err)
	}
	var out []byte
	err := s.db.View(func(tx *bbolt.Tx) error {
		b := bucketAt(tx, [][]byte{bktKV, []byte(bucket)})
		if b == nil {
			return ErrNotFound
		}
		k, v := b.Cursor().Seek([]byte(key))
		if k == nil || !bytes.Equal(k, []byte(key)) {
			return ErrNotFound
		}
		out = append([]byte{}, v...)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("kv get %s/%s: %w", bucket, key, err)
	}
	return out, nil
}

// Put implements [KV].
func (s *BoltStore) Put(ctx context.Context, bucket, key string, value []byte) error {
	if err := checkKV(bucket, key); err != nil {
		return fmt.Errorf("kv put: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("kv put: %w", err)
	}
	err := s.db.Update(func(tx *bbolt.Tx) error {
		b, err := tx.Bucket(bktKV).CreateBucketIfNotExists([]byte(bucket))
		if err != nil {
			return err
		}
		return b.Put([]byte(key), append([]byte{}, value...))
	})
	if err != nil {
		return fmt.Errorf("kv put %s/%s: %w", bucket, key, err)
	}
	return nil
}

// Delete implements [KV].
func (s *BoltStore) Delete(ctx context.Context, bucket, key string) error {
	if err := checkKV(bucket, key); err != nil {
		return fmt.Errorf("kv delete: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("kv delete: %w", err)
	}
	err := s.db.Update(func(tx *bbolt.Tx) error {
		b := bucketAt(tx, [][]byte{bktKV, []byte(bucket)})
		if b == nil {
			return nil
		}
		return b.Delete([]byte(key))
	})
	if err != nil {
		return fmt.Errorf("kv delete %s/%s: %w", bucket, key, err)
	}
	return nil
}

// Scan implements [KV].
func (s *BoltStore) Scan(ctx context.Context, bucket, prefix string, fn func(key string, value []byte) error) error {
	if err := checkBucket(bucket); err != nil {
		return fmt.Errorf("kv scan: %w", err)
	}
	return s.scan(ctx, [][]byte{bktKV, []byte(bucket)}, []byte(prefix), func(k, v []byte) error {
		return fn(string(k), v)
	})
}

// scan calls fn for every entry of the bucket at path whose key starts
// with prefix, in key order. It reads scanPage entries per read
// transaction and calls fn outside it with copies, so fn may write to the
// store (a write transaction that grows the file waits for open read
// transactions, which would deadlock if fn ran inside one).
func (s *BoltStore) scan(ctx context.Context, path [][]byte, prefix []byte, fn func(k, v []byte) error) error {
	return s.scanFrom(ctx, path, prefix, false, fn)
}

// scanFrom is scan; release drops the mapped pages read from the resident
// set after each page of entries is copied.
func (s *BoltStore) scanFrom(ctx context.Context, path [][]byte, prefix []byte, release bool, fn func(k, v []byte) error) error {
	type entry struct{ k, v []byte }
	var after []byte
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		page := make([]entry, 0, scanPage)
		err := s.db.View(func(tx *bbolt.Tx) error {
			b := bucketAt(tx, path)
			if b == nil {
				return nil
			}
			c := b.Cursor()
			var k, v []byte
			if after == nil {
				k, v = c.Seek(prefix)
			} else {
				k, v = c.Seek(after)
				if bytes.Equal(k, after) {
					k, v = c.Next()
				}
			}
			for ; k != nil && len(page) < scanPage; k, v = c.Next() {
				if !bytes.HasPrefix(k, prefix) {
					break
				}
				page = append(page, entry{bytes.Clone(k), append([]byte{}, v...)})
			}
			if release {
				releaseMapped(tx)
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("scan %s: %w", bytes.Join(path, []byte("/")), err)
		}
		for _, e := range page {
			if err := fn(e.k, e.v); err != nil {
				return err
			}
		}
		if len(page) < scanPage {
			return nil
		}
		after = page[len(page)-1].k
	}
}

// bucketAt returns the nested bucket at path, or nil.
func bucketAt(tx *bbolt.Tx, path [][]byte) *bbolt.Bucket {
	b := tx.Bucket(path[0])
	for _, name := range path[1:] {
		if b == nil {
			return nil
		}
		b = b.Bucket(name)
	}
	return b
}

// getIn returns the value of key in the bucket at path, or nil.
func getIn(tx *bbolt.Tx, path [][]byte, key []byte) []byte {
	b := bucketAt(tx, path)
	if b == nil {
		return nil
	}
	return b.Get(key)
}
