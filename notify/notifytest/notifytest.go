// Package notifytest holds fakes for notify's senders and a virtual clock,
// for notify's tests and for integration tests that swap a fake for the
// real graphclient or bot connector.
package notifytest

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	"github.com/attestbot/attestbot/notify"
	"github.com/attestbot/attestbot/store"
)

// Graph request paths recorded by ActivitySender.
const (
	PathBulk = "/teamwork/sendActivityNotificationToRecipients"
)

// PathSingle returns the request path of a single notification.
func PathSingle(userID string) string {
	return "/users/" + userID + "/teamwork/sendActivityNotification"
}

// Request is one Graph call an ActivitySender received.
type Request struct {
	Method   string          `json:"method"`
	Path     string          `json:"path"`
	TenantID string          `json:"tenant_id"`
	Body     json.RawMessage `json:"body"`
}

// ActivitySender is a fake notify.ActivitySender that records the exact
// request bodies Graph would receive.
type ActivitySender struct {
	// Hook, when set, runs before a request is recorded; a non-nil error is
	// returned to the caller and the request is not recorded (it did not
	// reach Graph). It may block until ctx is done.
	Hook func(ctx context.Context, r Request) error

	mu   sync.Mutex
	reqs []Request
}

var _ notify.ActivitySender = (*ActivitySender)(nil)

// SendActivity implements notify.ActivitySender.
func (f *ActivitySender) SendActivity(ctx context.Context, tenantID, userID string, n notify.ActivityNotification) error {
	b, err := n.SingleBody()
	if err != nil {
		return err
	}
	return f.record(ctx, Request{Method: "POST", Path: PathSingle(userID), TenantID: tenantID, Body: b})
}

// SendActivityBulk implements notify.ActivitySender.
func (f *ActivitySender) SendActivityBulk(ctx context.Context, tenantID string, userIDs []string, n notify.ActivityNotification) error {
	b, err := n.BulkBody(userIDs)
	if err != nil {
		return err
	}
	return f.record(ctx, Request{Method: "POST", Path: PathBulk, TenantID: tenantID, Body: b})
}

func (f *ActivitySender) record(ctx context.Context, r Request) error {
	if f.Hook != nil {
		if err := f.Hook(ctx, r); err != nil {
			return err
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reqs = append(f.reqs, r)
	return nil
}

// Requests returns the recorded requests in order.
func (f *ActivitySender) Requests() []Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Request(nil), f.reqs...)
}

// Recipients returns, per (event chainId, Entra user ID), how many
// notifications were recorded.
func (f *ActivitySender) Recipients() map[string]int {
	out := map[string]int{}
	for _, r := range f.Requests() {
		var body struct {
			ChainID    int64 `json:"chainId"`
			Recipients []struct {
				UserID string `json:"userId"`
			} `json:"recipients"`
		}
		_ = json.Unmarshal(r.Body, &body)
		key := func(u string) string { return r.TenantID + "/" + u + "#" + itoa(body.ChainID) }
		if r.Path == PathBulk {
			for _, rc := range body.Recipients {
				out[key(rc.UserID)]++
			}
			continue
		}
		u := r.Path[len("/users/") : len(r.Path)-len("/teamwork/sendActivityNotification")]
		out[key(u)]++
	}
	return out
}

func itoa(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// SentCard is one card a ProactiveSender received.
type SentCard struct {
	TenantID       string          `json:"tenant_id"`
	UserID         string          `json:"user_id"`
	ConversationID string          `json:"conversation_id"`
	Summary        string          `json:"summary"`
	Content        json.RawMessage `json:"content"`
}

// ProactiveSender is a fake notify.ProactiveSender.
type ProactiveSender struct {
	// Hook works as ActivitySender.Hook.
	Hook func(ctx context.Context, c SentCard) error

	mu   sync.Mutex
	sent []SentCard
}

var _ notify.ProactiveSender = (*ProactiveSender)(nil)

// SendCard implements notify.ProactiveSender.
func (f *ProactiveSender) SendCard(ctx context.Context, ref store.ConversationRef, card notify.Card) error {
	c := SentCard{TenantID: ref.TenantID, UserID: ref.UserID, ConversationID: ref.ConversationID, Summary: card.Summary, Content: card.Content}
	if f.Hook != nil {
		if err := f.Hook(ctx, c); err != nil {
			return err
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sent = append(f.sent, c)
	return nil
}

// Sent returns the cards received in order.
func (f *ProactiveSender) Sent() []SentCard {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]SentCard(nil), f.sent...)
}

// SimpleCards builds a minimal diff card naming the event, for tests.
var SimpleCards notify.CardBuilder = simpleCards{}

type simpleCards struct{}

func (simpleCards) ChangeCard(_ context.Context, ev notify.Event, _ string) (notify.Card, error) {
	body, err := json.Marshal(map[string]any{
		"type": "AdaptiveCard", "version": "1.5",
		"body":    []map[string]any{{"type": "TextBlock", "text": ev.Preview(), "wrap": true}},
		"msteams": map[string]any{"entities": []any{}}, "event_id": ev.ID,
	})
	return notify.Card{Summary: ev.Preview(), Content: body}, err
}

// Clock is a virtual notify.Clock: Sleep returns at once and moves the
// clock forward. With several goroutines sleeping at once the clock moves
// by the sum of their sleeps, so measure pacing with one worker.
type Clock struct {
	mu    sync.Mutex
	now   time.Time
	slept time.Duration
}

var _ notify.Clock = (*Clock)(nil)

// NewClock returns a virtual clock at t.
func NewClock(t time.Time) *Clock { return &Clock{now: t} }

// Now implements notify.Clock.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Sleep implements notify.Clock.
func (c *Clock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if d > 0 {
		c.mu.Lock()
		c.now = c.now.Add(d)
		c.slept += d
		c.mu.Unlock()
	}
	return nil
}

// Advance moves the clock forward.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Slept returns the total time slept.
func (c *Clock) Slept() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.slept
}
