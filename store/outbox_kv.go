package store

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
)

// KV buckets of the KV outbox (their names predate the move from notify).
const (
	bucketOutbox     = "notify.outbox"
	bucketOutboxDone = "notify.outbox.done"
	bucketDead       = "notify.dead"
)

// KVOutbox is the [Outbox] in a store's KV area, for bbolt: entries carry a
// claim (owner and expiry) instead of a consumer group. It serializes its
// own calls; several KVOutbox values on one store in one process are safe
// only with distinct consumers, as on one file only one process runs.
type KVOutbox[M OutboxMessage] struct {
	kv       KV
	opts     OutboxOptions
	instance string

	mu sync.Mutex
}

// kvEntry is one queued message and its claim.
type kvEntry[M OutboxMessage] struct {
	Message    M         `json:"message"`
	Owner      string    `json:"owner,omitempty"`
	LeaseUntil time.Time `json:"lease_until,omitzero"`
}

var _ Outbox[OutboxMessage] = (*KVOutbox[OutboxMessage])(nil)

// NewKVOutbox returns an outbox in kv.
func NewKVOutbox[M OutboxMessage](kv KV, opts OutboxOptions) *KVOutbox[M] {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return &KVOutbox[M]{kv: kv, opts: opts.withDefaults(), instance: hex.EncodeToString(b[:])}
}

// Enqueue implements [Outbox].
func (o *KVOutbox[M]) Enqueue(ctx context.Context, msgs ...M) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, m := range msgs {
		id := m.OutboxID()
		if id == "" {
			return fmt.Errorf("enqueue: message without ID: %w", ErrInvalid)
		}
		known, err := o.known(ctx, id)
		if err != nil {
			return fmt.Errorf("enqueue %s: %w", id, err)
		}
		if known {
			continue
		}
		if err := putJSON(ctx, o.kv, bucketOutbox, id, kvEntry[M]{Message: m}); err != nil {
			return fmt.Errorf("enqueue %s: %w", id, err)
		}
	}
	return nil
}

// known reports whether the message ID is queued or was acknowledged.
func (o *KVOutbox[M]) known(ctx context.Context, id string) (bool, error) {
	for _, bucket := range []string{bucketOutboxDone, bucketOutbox} {
		_, err := o.kv.Get(ctx, bucket, id)
		if err == nil {
			return true, nil
		}
		if !errors.Is(err, ErrNotFound) {
			return false, err
		}
	}
	return false, nil
}

// Claim implements [Outbox].
func (o *KVOutbox[M]) Claim(ctx context.Context, consumer string, max int) ([]Claim[M], error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	now := o.opts.Now()
	due, err := o.due(ctx, now)
	if err != nil {
		return nil, fmt.Errorf("claim: %w", err)
	}
	if len(due) > max {
		due = due[:max]
	}
	out := make([]Claim[M], 0, len(due))
	for _, e := range due {
		id := e.Message.OutboxID()
		e.Owner, e.LeaseUntil = o.instance+"/"+consumer, now.Add(o.opts.ClaimTTL)
		if err := putJSON(ctx, o.kv, bucketOutbox, id, e); err != nil {
			return out, fmt.Errorf("claim %s: %w", id, err)
		}
		out = append(out, Claim[M]{Message: e.Message, ref: id, consumer: e.Owner})
	}
	return out, nil
}

// due returns the entries that are due and not claimed, in due order. A
// claim of an earlier run of this process is void when SingleProcess is
// set. An entry that cannot be decoded is skipped.
func (o *KVOutbox[M]) due(ctx context.Context, now time.Time) ([]kvEntry[M], error) {
	var due []kvEntry[M]
	err := o.kv.Scan(ctx, bucketOutbox, "", func(_ string, v []byte) error {
		var e kvEntry[M]
		if err := json.Unmarshal(v, &e); err != nil {
			return nil
		}
		leased := e.Owner != "" && now.Before(e.LeaseUntil)
		if leased && o.opts.SingleProcess && !strings.HasPrefix(e.Owner, o.instance+"/") {
			leased = false // held by an earlier run of this process
		}
		if !leased && !now.Before(e.Message.OutboxNotBefore()) {
			due = append(due, e)
		}
		return nil
	})
	slices.SortFunc(due, func(a, b kvEntry[M]) int {
		return cmp.Or(a.Message.OutboxNotBefore().Compare(b.Message.OutboxNotBefore()),
			a.Message.OutboxEnqueued().Compare(b.Message.OutboxEnqueued()),
			cmp.Compare(a.Message.OutboxID(), b.Message.OutboxID()))
	})
	return due, err
}

// Extend implements [Outbox].
func (o *KVOutbox[M]) Extend(ctx context.Context, consumer string, c Claim[M]) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	e, err := o.held(ctx, c, o.instance+"/"+consumer)
	if err != nil {
		return fmt.Errorf("extend claim %s: %w", c.ref, err)
	}
	e.LeaseUntil = o.opts.Now().Add(o.opts.ClaimTTL)
	return putJSON(ctx, o.kv, bucketOutbox, c.ref, e)
}

// held returns the entry of c if owner still holds it, or ErrLeaseLost.
// An entry whose claim lapsed is still held until another consumer claims
// it.
func (o *KVOutbox[M]) held(ctx context.Context, c Claim[M], owner string) (kvEntry[M], error) {
	var e kvEntry[M]
	err := getJSON(ctx, o.kv, bucketOutbox, c.ref, &e)
	switch {
	case errors.Is(err, ErrNotFound):
		return e, fmt.Errorf("already settled: %w", ErrLeaseLost)
	case err != nil:
		return e, err
	case e.Owner != owner:
		return e, fmt.Errorf("taken over by another consumer: %w", ErrLeaseLost)
	}
	return e, nil
}

// Ack implements [Outbox].
func (o *KVOutbox[M]) Ack(ctx context.Context, c Claim[M]) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if _, err := o.held(ctx, c, c.consumer); err != nil {
		return fmt.Errorf("ack %s: %w", c.ref, err)
	}
	return o.finish(ctx, c)
}

// finish marks the message done and removes it from the queue.
func (o *KVOutbox[M]) finish(ctx context.Context, c Claim[M]) error {
	if err := o.kv.Put(ctx, bucketOutboxDone, c.ref, []byte(o.opts.Now().UTC().Format(time.RFC3339))); err != nil {
		return fmt.Errorf("ack %s: %w", c.ref, err)
	}
	if err := o.kv.Delete(ctx, bucketOutbox, c.ref); err != nil {
		return fmt.Errorf("ack %s: %w", c.ref, err)
	}
	return nil
}

// Retry implements [Outbox].
func (o *KVOutbox[M]) Retry(ctx context.Context, c Claim[M], m M) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if _, err := o.held(ctx, c, c.consumer); err != nil {
		return fmt.Errorf("retry %s: %w", c.ref, err)
	}
	if err := putJSON(ctx, o.kv, bucketOutbox, c.ref, kvEntry[M]{Message: m}); err != nil {
		return fmt.Errorf("retry %s: %w", c.ref, err)
	}
	return nil
}

// DeadLetter implements [Outbox].
func (o *KVOutbox[M]) DeadLetter(ctx context.Context, c Claim[M], m M, reason string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if _, err := o.held(ctx, c, c.consumer); err != nil {
		return fmt.Errorf("dead-letter %s: %w", c.ref, err)
	}
	dl := DeadLetter[M]{Message: m, Reason: reason, At: o.opts.Now().UTC()}
	if err := putJSON(ctx, o.kv, bucketDead, m.OutboxTenant()+"/"+m.OutboxID(), dl); err != nil {
		return fmt.Errorf("dead-letter %s: %w", m.OutboxID(), err)
	}
	return o.finish(ctx, c)
}

// DeadLetters implements [Outbox].
func (o *KVOutbox[M]) DeadLetters(ctx context.Context, tenantID string) ([]DeadLetter[M], error) {
	if tenantID == "" || strings.Contains(tenantID, "/") {
		return nil, fmt.Errorf("dead letters: bad tenant ID: %w", ErrInvalid)
	}
	var out []DeadLetter[M]
	err := o.kv.Scan(ctx, bucketDead, tenantID+"/", func(_ string, v []byte) error {
		var dl DeadLetter[M]
		if err := json.Unmarshal(v, &dl); err != nil {
			return fmt.Errorf("decode dead letter: %w", err)
		}
		if dl.Message.OutboxTenant() == tenantID {
			out = append(out, dl)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("dead letters: %w", err)
	}
	slices.SortFunc(out, func(a, b DeadLetter[M]) int { return a.At.Compare(b.At) })
	return out, nil
}

// putJSON stores v as JSON under bucket/key.
func putJSON(ctx context.Context, kv KV, bucket, key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s/%s: %w", bucket, key, err)
	}
	return kv.Put(ctx, bucket, key, b)
}

// getJSON decodes the JSON value of bucket/key into v.
func getJSON(ctx context.Context, kv KV, bucket, key string, v any) error {
	b, err := kv.Get(ctx, bucket, key)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("decode %s/%s: %w", bucket, key, err)
	}
	return nil
}
