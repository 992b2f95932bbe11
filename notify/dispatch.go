package notify

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/attestbot/attestbot/store"
)

// SubscriberSource finds the subscribers of an event (*Subscriptions).
type SubscriberSource interface {
	Subscribers(ctx context.Context, ev Event) ([]Recipient, error)
}

// Dispatcher turns ready events of the event log into outbox messages:
// one per tenant and group of at most MaxBulkRecipients subscribers. It
// is idempotent (message IDs are stable), so a dispatch interrupted at
// any point is simply run again.
type Dispatcher struct {
	kv     store.KV
	subs   SubscriberSource
	outbox Outbox
	clock  Clock
	logger *slog.Logger
}

// NewDispatcher returns a dispatcher reading the event log in kv. clock
// and logger may be nil.
func NewDispatcher(kv store.KV, subs SubscriberSource, outbox Outbox, clock Clock, logger *slog.Logger) *Dispatcher {
	if clock == nil {
		clock = SystemClock{}
	}
	if logger == nil {
		logger = slog.Default()
	}
	return &Dispatcher{kv: kv, subs: subs, outbox: outbox, clock: clock, logger: logger}
}

// Dispatch enqueues the messages of every ready event not dispatched yet,
// releases events whose confirmation timed out, and moves fully
// dispatched steps to the history. It returns the number of events
// dispatched.
func (d *Dispatcher) Dispatch(ctx context.Context) (int, error) {
	var recs []stepRecord
	var errs []error
	err := d.kv.Scan(ctx, bucketPending, "", func(k string, v []byte) error {
		var r stepRecord
		if err := json.Unmarshal(v, &r); err != nil {
			errs = append(errs, fmt.Errorf("decode pending step %s: %w", k, err))
			return nil
		}
		recs = append(recs, r)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("read pending events: %w", err)
	}
	slices.SortFunc(recs, func(a, b stepRecord) int { return cmp.Or(a.Time.Compare(b.Time), cmp.Compare(a.Key, b.Key)) })
	n := 0
	now := d.clock.Now().UTC()
	for _, r := range recs {
		changed, waiting := false, false
		for i := range r.Events {
			ev := &r.Events[i]
			if slices.Contains(r.Done, ev.ID) {
				continue
			}
			switch ev.State {
			case StateConfirmation:
				r.Done = append(r.Done, ev.ID)
				changed = true
				continue
			case StateAwaiting:
				if now.Before(ev.ConfirmBy) {
					waiting = true
					continue
				}
				d.logger.InfoContext(ctx, "no second locale confirmed the change in time; alerting anyway", "event_id", ev.ID, "apps", strings.Join(ev.Apps, ","))
				ev.State, ev.ConfirmedBy = StateReady, "timeout"
			}
			if err := d.dispatchEvent(ctx, *ev); err != nil {
				errs = append(errs, err)
				waiting = true
				continue
			}
			r.Done = append(r.Done, ev.ID)
			changed = true
			n++
		}
		switch {
		case !waiting:
			if err := putJSON(ctx, d.kv, bucketEvents, r.Key, r); err != nil {
				errs = append(errs, fmt.Errorf("write history: %w", err))
				continue
			}
			if err := d.kv.Delete(ctx, bucketPending, r.Key); err != nil {
				errs = append(errs, fmt.Errorf("clear pending step: %w", err))
			}
		case changed:
			if err := putJSON(ctx, d.kv, bucketPending, r.Key, r); err != nil {
				errs = append(errs, fmt.Errorf("update pending step: %w", err))
			}
		}
	}
	return n, errors.Join(errs...)
}

// dispatchEvent enqueues one event's messages and records its confirm key.
func (d *Dispatcher) dispatchEvent(ctx context.Context, ev Event) error {
	recips, err := d.subs.Subscribers(ctx, ev)
	if err != nil {
		return fmt.Errorf("subscribers of event %s: %w", ev.ID, err)
	}
	msgs := Messages(ev, recips, d.clock.Now().UTC())
	if err := d.outbox.Enqueue(ctx, msgs...); err != nil {
		return fmt.Errorf("enqueue event %s: %w", ev.ID, err)
	}
	if ev.ConfirmKey != "" {
		if err := putJSON(ctx, d.kv, bucketConfirm, eventID(ev.ConfirmKey), confirmMark{EventID: ev.ID, Locale: ev.Locale}); err != nil {
			return fmt.Errorf("record confirmation mark: %w", err)
		}
	}
	if len(msgs) > 0 {
		d.logger.InfoContext(ctx, "event dispatched", "event_id", ev.ID, "apps", strings.Join(ev.Apps, ","), "messages", len(msgs))
	}
	return nil
}

// Messages splits an event's recipients into outbox messages of at most
// MaxBulkRecipients users of one tenant. The message ID hashes the event,
// the tenant and the users.
func Messages(ev Event, recips []Recipient, now time.Time) []Message {
	var out []Message
	for _, r := range recips {
		for group := range slices.Chunk(r.Users, MaxBulkRecipients) {
			ids := make([]string, len(group))
			for i, u := range group {
				ids[i] = u.ID
			}
			out = append(out, Message{
				ID:       eventID(ev.ID, r.TenantID, strings.Join(ids, ",")),
				TenantID: r.TenantID, Users: slices.Clone(group), Event: ev, Enqueued: now,
			})
		}
	}
	return out
}
