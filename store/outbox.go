package store

import (
	"context"
	"time"
)

// OutboxMessage is what an outbox needs to know of a message; the message
// itself is stored as its JSON encoding.
type OutboxMessage interface {
	// OutboxID is the message's stable ID: a message whose ID was enqueued
	// before is not enqueued again.
	OutboxID() string
	// OutboxTenant is the tenant whose dead letters the message joins.
	OutboxTenant() string
	// OutboxNotBefore is when the message may be claimed (zero: at once).
	OutboxNotBefore() time.Time
	// OutboxEnqueued is when the message was first enqueued; due messages
	// are claimed oldest first.
	OutboxEnqueued() time.Time
}

// Outbox is a durable queue of messages of type M between a producer and
// consumers. Delivery is at least once: a claim not acknowledged in time
// goes to another consumer.
type Outbox[M OutboxMessage] interface {
	// Enqueue adds messages; a message whose ID was enqueued before (even
	// if since acknowledged) is skipped. A message without ID is
	// ErrInvalid.
	Enqueue(ctx context.Context, msgs ...M) error
	// Claim takes up to max due messages for consumer, including messages
	// whose previous consumer's claim lapsed. It does not block.
	Claim(ctx context.Context, consumer string, max int) ([]Claim[M], error)
	// Extend renews a claim being worked on, or returns ErrLeaseLost
	// (wrapped) when another consumer took it over.
	Extend(ctx context.Context, consumer string, c Claim[M]) error
	// Ack removes a handled message.
	Ack(ctx context.Context, c Claim[M]) error
	// Retry puts the message back as m (its attempt count, error and due
	// time updated).
	Retry(ctx context.Context, c Claim[M], m M) error
	// DeadLetter moves the message, as m, to its tenant's dead letters.
	//
	// Ack, Retry and DeadLetter settle a claim only while it is still the
	// claiming consumer's: for a claim taken over by another consumer (or
	// already settled) they change nothing and return ErrLeaseLost
	// (wrapped), so that a consumer that stalled past its claim cannot
	// requeue or drop a message another consumer is working on.
	DeadLetter(ctx context.Context, c Claim[M], m M, reason string) error
	// DeadLetters lists one tenant's dead letters, oldest first.
	DeadLetters(ctx context.Context, tenantID string) ([]DeadLetter[M], error)
}

// Claim is a message taken by one consumer until it acknowledges, retries
// or dead-letters it, or until its claim lapses and another consumer
// takes it over.
type Claim[M OutboxMessage] struct {
	// Message is the claimed message.
	Message  M
	ref      string // stream entry ID (Redis) or message ID (KV)
	consumer string // the claiming consumer (as stored)
}

// DeadLetter is a message given up on.
type DeadLetter[M OutboxMessage] struct {
	// Message is the message, as last retried or dead-lettered.
	Message M `json:"message"`
	// Reason says why it was given up on.
	Reason string `json:"reason"`
	// At is when.
	At time.Time `json:"at"`
}

// DefaultClaimTTL is how long an outbox claim lasts without Extend.
const DefaultClaimTTL = time.Minute

// enqueueMarkTTL is how long an enqueued message ID is remembered.
const enqueueMarkTTL = 30 * 24 * time.Hour

// OutboxOptions configures an outbox.
type OutboxOptions struct {
	// ClaimTTL is how long a claim lasts without Extend. Default
	// DefaultClaimTTL.
	ClaimTTL time.Duration
	// Now returns the current time, for due times and, on the KV outbox,
	// claim expiry. Default time.Now.
	Now func() time.Time
	// SingleProcess tells the KV outbox that no other process uses the
	// store (bbolt holds a file lock), so that claims held by an earlier,
	// killed run of this process are void at once. NewOutbox sets it for
	// a BoltStore.
	SingleProcess bool
}

func (o OutboxOptions) withDefaults() OutboxOptions {
	if o.ClaimTTL <= 0 {
		o.ClaimTTL = DefaultClaimTTL
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}
