package storetest

import (
	"cmp"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/internal/testclock"
	"github.com/attestbot/attestbot/store"
)

// Msg is the message type of the outbox suite.
type Msg struct {
	ID        string    `json:"id"`
	Tenant    string    `json:"tenant"`
	Body      string    `json:"body"`
	Attempts  int       `json:"attempts,omitempty"`
	NotBefore time.Time `json:"not_before,omitzero"`
	Enqueued  time.Time `json:"enqueued"`
}

// OutboxID implements store.OutboxMessage.
func (m Msg) OutboxID() string { return m.ID }

// OutboxTenant implements store.OutboxMessage.
func (m Msg) OutboxTenant() string { return m.Tenant }

// OutboxNotBefore implements store.OutboxMessage.
func (m Msg) OutboxNotBefore() time.Time { return m.NotBefore }

// OutboxEnqueued implements store.OutboxMessage.
func (m Msg) OutboxEnqueued() time.Time { return m.Enqueued }

// Clock is the settable clock of the capability suites.
type Clock = testclock.Clock

// NewClock returns a clock at t.
func NewClock(t time.Time) *Clock { return testclock.New(t) }

// suiteStart is the clock's start in the capability suites.
var suiteStart = time.Date(2022, 8, 1, 9, 0, 0, 0, time.UTC)

// outboxClaimTTL is the claim lifetime of the take-over test: short, since
// Redis counts it in real idle time.
const outboxClaimTTL = 100 * time.Millisecond

// NewOutboxFunc returns a fresh, empty outbox with opts (the suite sets
// Now and ClaimTTL) and registers its cleanup.
type NewOutboxFunc func(t *testing.T, opts store.OutboxOptions) store.Outbox[Msg]

// RunOutbox runs the contract suite of store.Outbox.
func RunOutbox(t *testing.T, newOutbox NewOutboxFunc) {
	tests := []struct {
		name string
		run  func(t *testing.T, o store.Outbox[Msg], clock *Clock)
		ttl  time.Duration // claim lifetime; 0: a minute (no claim lapses)
	}{
		{"ClaimOrderAndAck", testOutboxClaimAck, 0},
		{"EnqueueIdempotent", testOutboxIdempotent, 0},
		{"EnqueueInvalid", testOutboxInvalid, 0},
		{"RetryNotBefore", testOutboxRetry, 0},
		{"DeadLetters_TenantIsolation", testOutboxDeadLetters, 0},
		{"LapsedClaimTakenOver", testOutboxTakeOver, outboxClaimTTL},
		{"ConcurrentConsumers", testOutboxConcurrent, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clock := NewClock(suiteStart)
			o := newOutbox(t, store.OutboxOptions{Now: clock.Now, ClaimTTL: cmp.Or(tc.ttl, time.Minute)})
			tc.run(t, o, clock)
		})
	}
}

// msgs returns n messages of tenant, enqueued a second apart from clock.
func msgs(clock *Clock, tenant string, n int) []Msg {
	out := make([]Msg, n)
	for i := range out {
		out[i] = Msg{ID: fmt.Sprintf("%s-m%02d", tenant, i), Tenant: tenant, Body: fmt.Sprintf("body %d", i),
			Enqueued: clock.Now().Add(time.Duration(i) * time.Second)}
	}
	return out
}

func claimedIDs(cs []store.Claim[Msg]) []string {
	ids := make([]string, len(cs))
	for i, c := range cs {
		ids[i] = c.Message.ID
	}
	return ids
}

func testOutboxClaimAck(t *testing.T, o store.Outbox[Msg], clock *Clock) {
	ctx := t.Context()
	ms := msgs(clock, "tenant-a", 3)
	require.NoError(t, o.Enqueue(ctx, ms...))
	first, err := o.Claim(ctx, "c1", 2)
	require.NoError(t, err)
	require.Equal(t, []string{ms[0].ID, ms[1].ID}, claimedIDs(first), "oldest first, at most max")
	require.Equal(t, ms[0], first[0].Message, "the message comes back as enqueued")
	rest, err := o.Claim(ctx, "c2", 5)
	require.NoError(t, err)
	require.Equal(t, []string{ms[2].ID}, claimedIDs(rest), "a claimed message is not claimed again")
	none, err := o.Claim(ctx, "c2", 5)
	require.NoError(t, err)
	require.Empty(t, none)
	for _, c := range append(first, rest...) {
		require.NoError(t, o.Ack(ctx, c))
	}
	clock.Advance(time.Hour)
	none, err = o.Claim(ctx, "c3", 5)
	require.NoError(t, err)
	require.Empty(t, none, "an acked message is gone")
	require.NoError(t, o.Enqueue(ctx))
}

func testOutboxIdempotent(t *testing.T, o store.Outbox[Msg], clock *Clock) {
	ctx := t.Context()
	m := msgs(clock, "tenant-a", 1)[0]
	require.NoError(t, o.Enqueue(ctx, m))
	require.NoError(t, o.Enqueue(ctx, m), "a queued ID is skipped")
	cs, err := o.Claim(ctx, "c1", 5)
	require.NoError(t, err)
	require.Len(t, cs, 1)
	require.NoError(t, o.Ack(ctx, cs[0]))
	require.NoError(t, o.Enqueue(ctx, m), "an acked ID is skipped too")
	cs, err = o.Claim(ctx, "c1", 5)
	require.NoError(t, err)
	require.Empty(t, cs)
}

func testOutboxInvalid(t *testing.T, o store.Outbox[Msg], clock *Clock) {
	ctx := t.Context()
	require.ErrorIs(t, o.Enqueue(ctx, Msg{Tenant: "tenant-a", Enqueued: clock.Now()}), store.ErrInvalid)
	_, err := o.DeadLetters(ctx, "")
	require.ErrorIs(t, err, store.ErrInvalid)
}

func testOutboxRetry(t *testing.T, o store.Outbox[Msg], clock *Clock) {
	ctx := t.Context()
	m := msgs(clock, "tenant-a", 1)[0]
	require.NoError(t, o.Enqueue(ctx, m))
	cs, err := o.Claim(ctx, "c1", 1)
	require.NoError(t, err)
	require.Len(t, cs, 1)
	retried := cs[0].Message
	retried.Attempts, retried.NotBefore = 1, clock.Now().Add(time.Minute)
	require.NoError(t, o.Retry(ctx, cs[0], retried))
	cs, err = o.Claim(ctx, "c1", 1)
	require.NoError(t, err)
	require.Empty(t, cs, "not due before NotBefore")
	clock.Advance(time.Minute)
	cs, err = o.Claim(ctx, "c2", 1)
	require.NoError(t, err)
	require.Len(t, cs, 1)
	require.Equal(t, retried, cs[0].Message, "the message comes back as retried")
	require.NoError(t, o.Ack(ctx, cs[0]))
}

func testOutboxDeadLetters(t *testing.T, o store.Outbox[Msg], clock *Clock) {
	ctx := t.Context()
	a, b := msgs(clock, "tenant-a", 2), msgs(clock, "tenant-b", 1)
	require.NoError(t, o.Enqueue(ctx, append(a, b...)...))
	cs, err := o.Claim(ctx, "c1", 10)
	require.NoError(t, err)
	require.Len(t, cs, 3)
	at := map[string]time.Time{}
	for _, c := range cs {
		clock.Advance(time.Second)
		m := c.Message
		m.Attempts = 8
		at[m.ID] = clock.Now()
		require.NoError(t, o.DeadLetter(ctx, c, m, "reason of "+m.ID))
	}
	clock.Advance(time.Hour)
	none, err := o.Claim(ctx, "c2", 10)
	require.NoError(t, err)
	require.Empty(t, none, "a dead letter is not claimed again")

	dl, err := o.DeadLetters(ctx, "tenant-a")
	require.NoError(t, err)
	require.Len(t, dl, 2)
	require.True(t, dl[0].At.Before(dl[1].At), "oldest first")
	for _, d := range dl {
		require.Equal(t, "tenant-a", d.Message.Tenant)
		require.Equal(t, 8, d.Message.Attempts, "kept as dead-lettered")
		require.Equal(t, "reason of "+d.Message.ID, d.Reason)
		require.Equal(t, at[d.Message.ID], d.At)
	}
	dl, err = o.DeadLetters(ctx, "tenant-b")
	require.NoError(t, err)
	require.Len(t, dl, 1)
	require.Equal(t, b[0].ID, dl[0].Message.ID)
	dl, err = o.DeadLetters(ctx, "tenant")
	require.NoError(t, err)
	require.Empty(t, dl, "a tenant ID that prefixes others sees nothing of theirs")
}

func testOutboxTakeOver(t *testing.T, o store.Outbox[Msg], clock *Clock) {
	ctx := t.Context()
	require.NoError(t, o.Enqueue(ctx, msgs(clock, "tenant-a", 1)...))
	held, err := o.Claim(ctx, "c1", 1)
	require.NoError(t, err)
	require.Len(t, held, 1)
	require.NoError(t, o.Extend(ctx, "c1", held[0]), "the holder extends its claim")
	none, err := o.Claim(ctx, "c2", 1)
	require.NoError(t, err)
	require.Empty(t, none, "a live claim is not taken over")

	// c1 stops extending: once the claim lapses (on the outbox's clock
	// for the KV outbox, in idle time on Redis), c2 takes it over.
	var taken []store.Claim[Msg]
	require.Eventually(t, func() bool {
		clock.Advance(outboxClaimTTL)
		taken, err = o.Claim(ctx, "c2", 1)
		require.NoError(t, err)
		return len(taken) == 1
	}, 10*time.Second, outboxClaimTTL/4)
	require.Equal(t, held[0].Message, taken[0].Message)
	require.ErrorIs(t, o.Extend(ctx, "c1", held[0]), store.ErrLeaseLost, "the former holder lost its claim")
	// Nor can it settle the message that c2 works on.
	stale := held[0].Message
	stale.Attempts = 1
	require.ErrorIs(t, o.Retry(ctx, held[0], stale), store.ErrLeaseLost)
	require.ErrorIs(t, o.DeadLetter(ctx, held[0], stale, "stale"), store.ErrLeaseLost)
	require.ErrorIs(t, o.Ack(ctx, held[0]), store.ErrLeaseLost)
	dl, err := o.DeadLetters(ctx, stale.Tenant)
	require.NoError(t, err)
	require.Empty(t, dl)
	require.NoError(t, o.Extend(ctx, "c2", taken[0]))
	require.NoError(t, o.Ack(ctx, taken[0]))
	require.ErrorIs(t, o.Ack(ctx, taken[0]), store.ErrLeaseLost, "a settled claim is settled once")
}

func testOutboxConcurrent(t *testing.T, o store.Outbox[Msg], clock *Clock) {
	ctx := t.Context()
	ms := msgs(clock, "tenant-a", 40)
	require.NoError(t, o.Enqueue(ctx, ms...))
	const workers = 4
	var mu sync.Mutex
	var got []string
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Go(func() {
			for {
				cs, err := o.Claim(ctx, fmt.Sprintf("c%d", w), 1)
				if err != nil {
					errs <- err
					return
				}
				if len(cs) == 0 {
					return
				}
				mu.Lock()
				got = append(got, cs[0].Message.ID)
				mu.Unlock()
				if err := o.Ack(ctx, cs[0]); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	want := make([]string, len(ms))
	for i, m := range ms {
		want[i] = m.ID
	}
	slices.Sort(got)
	require.Equal(t, want, got, "every message claimed exactly once")
}
