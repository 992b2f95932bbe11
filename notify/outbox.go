package notify

import (
	"context"
	"time"

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

// OutboxID implements store.OutboxMessage.
func (m Message) OutboxID() string { return m.ID }

// OutboxTenant implements store.OutboxMessage.
func (m Message) OutboxTenant() string { return m.TenantID }

// OutboxNotBefore implements store.OutboxMessage.
func (m Message) OutboxNotBefore() time.Time { return m.NotBefore }

// OutboxEnqueued implements store.OutboxMessage.
func (m Message) OutboxEnqueued() time.Time { return m.Enqueued }

// Claim is a message taken by one consumer until it acks, retries or
// dead-letters it, or until its claim lapses and another consumer takes
// it over.
type Claim = store.Claim[Message]

// DeadLetter is a message given up on, with the reason and time.
type DeadLetter = store.DeadLetter[Message]

// DefaultClaimTTL is how long a claim lasts without Extend.
const DefaultClaimTTL = store.DefaultClaimTTL

// Outbox is the durable queue between dispatch and delivery (see
// store.Outbox; store.NewOutbox picks the one of a store). Delivery is at
// least once: a claim not acked in time goes to another consumer.
type Outbox interface {
	// Enqueue adds messages; a message whose ID was enqueued before (even
	// if since delivered) is skipped.
	Enqueue(ctx context.Context, msgs ...Message) error
	// Claim takes up to max due messages for consumer, including messages
	// whose previous consumer's claim lapsed. It does not block.
	Claim(ctx context.Context, consumer string, max int) ([]Claim, error)
	// Extend renews the claim of a message being worked on.
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

var _ Outbox = store.Outbox[Message](nil)
