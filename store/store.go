package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/attestbot/attestbot/attestation"
)

// ErrNotFound is returned when a record, revision, conversation or key does
// not exist. Test it with errors.Is.
var ErrNotFound = errors.New("store: not found")

// ErrInvalid is returned (wrapped) for a bad argument: an empty ID, tenant,
// bucket or key, a nil record, a non-positive TTL.
var ErrInvalid = errors.New("store: invalid argument")

// ErrLocked is returned (wrapped) by [OpenBolt] when another process holds
// the bbolt file lock longer than the lock timeout.
var ErrLocked = errors.New("store: database file is locked by another process")

// Store is the whole storage contract. Both [BoltStore] and [RedisStore]
// implement it; consumers should depend on the smallest of the interfaces
// below that they need.
type Store interface {
	RecordStore
	ConversationStore
	Deduper
	KV
	// Ping checks that the store answers (for /readyz).
	Ping(ctx context.Context) error
	// Close releases the store. It is safe to call more than once.
	Close() error
}

// RecordStore holds the catalog: the current revision of every record and
// the revision before it.
type RecordStore interface {
	// PutRecords stores recs. A record whose JSON is identical to the stored
	// current revision is left alone (counted Unchanged); a changed record
	// becomes the current revision and the old current one becomes the
	// previous revision (Updated); a new ID is Added. Records are written in
	// transactions (bbolt) or pipelines (Redis) of up to [BatchSize]; on
	// error, earlier batches stay written and the result counts them.
	PutRecords(ctx context.Context, recs []*attestation.Record) (PutResult, error)
	// GetRecord returns the current revision of the record with the given
	// ID, or ErrNotFound.
	GetRecord(ctx context.Context, id string) (*attestation.Record, error)
	// PreviousRecord returns the revision before the current one (for a
	// deleted record, its last revision), or ErrNotFound if there is none.
	PreviousRecord(ctx context.Context, id string) (*attestation.Record, error)
	// Records calls fn for every current record, in ID order, until fn
	// returns an error, which Records returns unchanged. fn may call other
	// store methods.
	Records(ctx context.Context, fn func(*attestation.Record) error) error
	// DeleteRecord removes the current revision and keeps it as the
	// previous one, so that "page removed" can be diffed. It returns
	// ErrNotFound if the record has no current revision.
	DeleteRecord(ctx context.Context, id string) error
	// CountRecords returns the number of current records.
	CountRecords(ctx context.Context) (int, error)
}

// ConversationStore holds the bot's conversation references. Every method
// takes a tenant ID, which is part of every key: no query crosses tenants.
type ConversationStore interface {
	// PutConversation creates or replaces the reference of
	// (ref.TenantID, ref.UserID). A zero UpdatedAt is set to now (UTC).
	PutConversation(ctx context.Context, ref ConversationRef) error
	// GetConversation returns the reference of (tenantID, userID), or
	// ErrNotFound.
	GetConversation(ctx context.Context, tenantID, userID string) (ConversationRef, error)
	// DeleteConversation removes the reference of (tenantID, userID); it is
	// not an error if there is none.
	DeleteConversation(ctx context.Context, tenantID, userID string) error
	// Conversations calls fn for every reference of one tenant, in user ID
	// order, until fn returns an error, which it returns unchanged.
	Conversations(ctx context.Context, tenantID string, fn func(ConversationRef) error) error
}

// Deduper remembers inbound activity keys for idempotency.
type Deduper interface {
	// MarkSeen records key for ttl and reports whether this is the first
	// time it is seen within that window. Concurrent calls with the same
	// key (also from several replicas on Redis) get true exactly once.
	MarkSeen(ctx context.Context, key string, ttl time.Duration) (firstTime bool, err error)
}

// KV is a small generic key/value area in named buckets, for subscriptions,
// the outbox, sync state and leases. Buckets need no creation.
type KV interface {
	// Get returns the value of key in bucket, or ErrNotFound.
	Get(ctx context.Context, bucket, key string) ([]byte, error)
	// Put sets the value of key in bucket (a nil value is stored as empty).
	Put(ctx context.Context, bucket, key string, value []byte) error
	// Delete removes key from bucket; it is not an error if it is absent.
	Delete(ctx context.Context, bucket, key string) error
	// Scan calls fn for every key of bucket that starts with prefix ("" for
	// all), in byte order of the keys, until fn returns an error, which it
	// returns unchanged. The value passed to fn belongs to fn. fn may call
	// other store methods. Scan reads the matching entries in pages and is
	// meant for small buckets.
	Scan(ctx context.Context, bucket, prefix string, fn func(key string, value []byte) error) error
}

// BatchSize is the number of records PutRecords writes per bbolt
// transaction or Redis pipeline.
const BatchSize = 500

// PutResult counts what PutRecords did.
type PutResult struct {
	// Added counts records whose ID had no current revision.
	Added int `json:"added"`
	// Updated counts records whose content changed.
	Updated int `json:"updated"`
	// Unchanged counts records equal in content to the current revision.
	Unchanged int `json:"unchanged"`
	// AddedIDs lists the IDs of added records, in input order.
	AddedIDs []string `json:"added_ids,omitempty"`
	// UpdatedIDs lists the IDs of updated records, in input order.
	UpdatedIDs []string `json:"updated_ids,omitempty"`
}

func (r *PutResult) add(id string, o outcome) {
	switch o {
	case outcomeAdded:
		r.Added++
		r.AddedIDs = append(r.AddedIDs, id)
	case outcomeUpdated:
		r.Updated++
		r.UpdatedIDs = append(r.UpdatedIDs, id)
	default:
		r.Unchanged++
	}
}

type outcome int

const (
	outcomeUnchanged outcome = iota
	outcomeAdded
	outcomeUpdated
)

// ConversationRef is what the bot needs to message a user proactively: the
// reference of the user's 1:1 chat with the bot (bot.ConversationRef is
// this type).
type ConversationRef struct {
	// TenantID is the Entra tenant ID (required).
	TenantID string `json:"tenant_id"`
	// UserID is the user's Entra object ID, the identity Teams vouches
	// for (required).
	UserID string `json:"user_id"`
	// ChannelUserID is the bot-specific user ID (29:…) used to create the
	// conversation again.
	ChannelUserID string `json:"channel_user_id,omitempty"`
	// UserName is the user's display name.
	UserName string `json:"user_name,omitempty"`
	// ConversationID is the 1:1 conversation ID.
	ConversationID string `json:"conversation_id"`
	// ServiceURL is the serviceUrl of the authenticated activity.
	ServiceURL string `json:"service_url"`
	// ChannelID is the Bot Framework channel, usually msteams.
	ChannelID string `json:"channel_id,omitempty"`
	// BotID is the bot's ID in the conversation (28:<app id>).
	BotID string `json:"bot_id,omitempty"`
	// BotName is the bot's display name.
	BotName string `json:"bot_name,omitempty"`
	// Locale is the user's client locale, when known.
	Locale string `json:"locale,omitempty"`
	// UpdatedAt is when the reference was last stored.
	UpdatedAt time.Time `json:"updated_at"`
}

func decodeConversation(tenantID, userID string, b []byte) (ConversationRef, error) {
	var ref ConversationRef
	if err := json.Unmarshal(b, &ref); err != nil {
		return ConversationRef{}, fmt.Errorf("decode conversation of tenant %s user %s: %w", tenantID, userID, err)
	}
	return ref, nil
}

func checkID(id string) error {
	if id == "" {
		return fmt.Errorf("empty record ID: %w", ErrInvalid)
	}
	return nil
}

func checkTenant(tenantID string) error {
	if tenantID == "" {
		return fmt.Errorf("empty tenant ID: %w", ErrInvalid)
	}
	return nil
}

func checkConversationKey(tenantID, userID string) error {
	if err := checkTenant(tenantID); err != nil {
		return err
	}
	if userID == "" {
		return fmt.Errorf("empty user ID: %w", ErrInvalid)
	}
	return nil
}

// prepareConversation validates ref and encodes it, setting a zero
// UpdatedAt to now.
func prepareConversation(ref ConversationRef, now func() time.Time) ([]byte, error) {
	if err := checkConversationKey(ref.TenantID, ref.UserID); err != nil {
		return nil, err
	}
	if ref.UpdatedAt.IsZero() {
		ref.UpdatedAt = now().UTC()
	}
	b, err := json.Marshal(ref)
	if err != nil {
		return nil, fmt.Errorf("encode conversation: %w", err)
	}
	return b, nil
}

func checkSeen(key string, ttl time.Duration) error {
	if key == "" {
		return fmt.Errorf("empty idempotency key: %w", ErrInvalid)
	}
	if ttl <= 0 {
		return fmt.Errorf("idempotency TTL %s is not positive: %w", ttl, ErrInvalid)
	}
	return nil
}

func checkBucket(bucket string) error {
	if bucket == "" {
		return fmt.Errorf("empty bucket name: %w", ErrInvalid)
	}
	return nil
}

func checkKV(bucket, key string) error {
	if err := checkBucket(bucket); err != nil {
		return err
	}
	if key == "" {
		return fmt.Errorf("empty key in bucket %s: %w", bucket, ErrInvalid)
	}
	return nil
}
