package notify_test

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/internal/redistest"
	"github.com/attestbot/attestbot/notify"
	"github.com/attestbot/attestbot/notify/notifytest"
	"github.com/attestbot/attestbot/store"
)

// frozenLease stops renewing and releasing the lease once frozen, as a
// replica that hangs would: it still believes it leads.
type frozenLease struct {
	notify.Lease
	frozen atomic.Bool
}

func (l *frozenLease) Renew(ctx context.Context, f notify.Fence) error {
	if l.frozen.Load() {
		return nil
	}
	return l.Lease.Renew(ctx, f)
}

func (l *frozenLease) Release(ctx context.Context, f notify.Fence) error {
	if l.frozen.Load() {
		return nil
	}
	return l.Lease.Release(ctx, f)
}

// save is one cursor write attempt, made between start and end.
type save struct {
	replica    string
	fence      notify.Fence
	cursor     string // the source cursor written: a commit hash
	err        error
	start, end time.Time
}

// cursorLog records cursor writes of both replicas.
type cursorLog struct {
	mu    sync.Mutex
	saves []save
}

type loggedCursors struct {
	notify.CursorStore
	replica string
	log     *cursorLog
}

func (c loggedCursors) SaveCursor(ctx context.Context, f notify.Fence, id string, st []byte) error {
	var state struct {
		Cursor string `json:"cursor"`
	}
	_ = json.Unmarshal(st, &state)
	start := time.Now()
	err := c.CursorStore.SaveCursor(ctx, f, id, st)
	c.log.mu.Lock()
	c.log.saves = append(c.log.saves, save{c.replica, f, state.Cursor, err, start, time.Now()})
	c.log.mu.Unlock()
	return err
}

func (c *cursorLog) snapshot() []save {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]save(nil), c.saves...)
}

// requireFenced checks the fencing guarantee: once a cursor write with
// some fence succeeded, no write with a lower fence that started after it
// ended succeeded. (Write order by the clock is known only between writes
// that do not overlap.)
func requireFenced(t *testing.T, saves []save) {
	t.Helper()
	for _, later := range saves {
		if later.err != nil {
			continue
		}
		for _, earlier := range saves {
			if earlier.err == nil && earlier.fence > later.fence && later.start.After(earlier.end) {
				t.Fatalf("replica %s wrote with fence %d after replica %s had written with fence %d",
					later.replica, later.fence, earlier.replica, earlier.fence)
			}
		}
	}
}

// leaderNow is the replica of the latest successful cursor write.
func leaderNow(saves []save) string {
	leader := ""
	for _, s := range saves {
		if s.err == nil {
			leader = s.replica
		}
	}
	return leader
}

// waitLong bounds the waits of the replica test: generous, because the
// race detector on a loaded machine slows the sync and delivery loops many
// times over; a passing run returns as soon as each condition holds.
const waitLong = time.Minute

// TestReplicas_OneSyncLeader_SharedDelivery runs two replicas on one
// Redis: one syncs at a time, the lease passes over when the leader stops
// renewing (and its late cursor writes are fenced off), both deliver, and
// nobody is notified twice.
func TestReplicas_OneSyncLeader_SharedDelivery(t *testing.T) {
	ctx := ctxT(t)
	srv := redistest.Start(t)
	hist := sampleHistory(t)
	repo := newRepo(t)
	spec := "git+file://" + repo.dir + "#master:Apps"
	log := &cursorLog{}
	recorder := &subsRecorder{seen: map[string][]notify.Recipient{}}

	stA, stB := openRedis(t, srv), openRedis(t, srv)
	leaseA := &frozenLease{Lease: store.NewSyncLease(stA, time.Second)}
	rlA := store.NewSyncLease(stA, time.Second)
	rlB := store.NewSyncLease(stB, time.Second)
	// The admin gets 9 notifications, next to Graph's 10 a minute per
	// user; a delivery interrupted by the replica stop below or by a
	// claim take-over reserves its rate slots again, which would hold the
	// admin's last notification for a minute. Per-user pacing has tests of
	// its own; here it is lifted.
	userRate := notify.Rate{Limit: 1000, Per: time.Minute}
	a := newPipeline(t, stA, pipelineOpts{specs: []string{spec}, consumer: "replica-a", workers: 2, claimTTL: time.Second,
		lease: leaseA, cursors: loggedCursors{rlA, "a", log}, recorder: recorder, userRate: userRate})
	b := newPipeline(t, stB, pipelineOpts{specs: []string{spec}, consumer: "replica-b", workers: 2, claimTTL: time.Second,
		lease: rlB, cursors: loggedCursors{rlB, "b", log}, recorder: recorder, userRate: userRate})
	subscribeTestUsers(t, a.subs)
	// Many subscribers, so that both replicas have deliveries to make.
	for i := range 300 {
		u := notify.User{TenantID: "tenant-c", ID: "29:c" + jsonInt(int64(i)), AADObjectID: "aad-c" + jsonInt(int64(i))}
		_, err := a.subs.Subscribe(ctx, u, []string{"plumm-health-ltd", "cisco-webex-call", "ringcentral-inc"}[i%3])
		require.NoError(t, err)
	}
	slow := func(ctx context.Context, _ notifytest.Request) error {
		select {
		case <-time.After(5 * time.Millisecond):
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	a.feed.Hook, b.feed.Hook = slow, slow

	runCtxA, stopA := context.WithCancel(ctx)
	runCtxB, stopB := context.WithCancel(ctx)
	var wg sync.WaitGroup
	for _, r := range []struct {
		ctx context.Context
		p   *pipeline
	}{{runCtxA, a}, {runCtxB, b}} {
		wg.Add(2)
		go func() { defer wg.Done(); _ = r.p.syncer.Run(r.ctx, 50*time.Millisecond) }()
		go func() { defer wg.Done(); _ = r.p.deliverer.Run(r.ctx) }()
	}

	var head string // the last commit
	commitDate := func(c historyCommit) {
		when, err := time.Parse(time.DateOnly, c.Date)
		require.NoError(t, err)
		head = repo.commit("commit translated contents "+c.Date, when, c.Files)
	}
	// waitSynced waits until the leader has synced up to the last commit.
	waitSynced := func() {
		t.Helper()
		require.Eventually(t, func() bool {
			for _, s := range log.snapshot() {
				if s.err == nil && s.cursor == head {
					return true
				}
			}
			return false
		}, waitLong, 20*time.Millisecond)
	}
	// First half of the history with both replicas running.
	for _, c := range hist[:6] {
		commitDate(c)
		waitSynced()
	}
	// One replica syncs at a time: the lease normally stays with one; if a
	// stall on the loaded machine let it pass over, the fences keep the
	// writes apart.
	requireFenced(t, log.snapshot())
	leader := leaderNow(log.snapshot())

	// The leader hangs: make sure A leads, then freeze its lease.
	if leader == "b" {
		stopB()
		require.Eventually(t, func() bool {
			s := log.snapshot()
			commitDate(historyCommit{Date: "2022-01-01", Files: map[string][]byte{"Apps/teams/nudge.md": []byte("not a page\n")}})
			return leaderNow(s) == "a"
		}, waitLong, 300*time.Millisecond)
		runCtxB, stopB = context.WithCancel(ctx)
		b.feed.Hook = slow
		wg.Add(2)
		go func() { defer wg.Done(); _ = b.syncer.Run(runCtxB, 50*time.Millisecond) }()
		go func() { defer wg.Done(); _ = b.deliverer.Run(runCtxB) }()
	}
	leaseA.frozen.Store(true)
	frozenAt := time.Now()
	for _, c := range hist[6:] {
		commitDate(c)
		time.Sleep(150 * time.Millisecond)
	}
	nudge := 0
	require.Eventually(t, func() bool {
		for _, s := range log.snapshot() {
			if s.replica == "b" && s.err == nil && s.start.After(frozenAt) {
				return true
			}
		}
		nudge++ // a commit without pages, so that the leader has a cursor to write
		commitDate(historyCommit{Date: "2022-08-01", Files: map[string][]byte{"Apps/teams/nudge.md": []byte(jsonInt(int64(nudge)))}})
		return false
	}, waitLong, 200*time.Millisecond, "B takes the lease over")
	waitSynced()

	// Fencing: after B's first write, no write of A succeeded.
	var bFirst time.Time
	for _, s := range log.snapshot() {
		if s.replica == "b" && s.err == nil && s.start.After(frozenAt) {
			bFirst = s.end
			break
		}
	}
	lostA := 0
	for _, s := range log.snapshot() {
		if s.replica == "a" && s.start.After(bFirst) {
			require.Error(t, s.err, "a stale leader's cursor write must be refused")
			require.True(t, errors.Is(s.err, notify.ErrLeaseLost))
			lostA++
		}
	}
	requireFenced(t, log.snapshot())
	t.Logf("stale cursor writes refused: %d", lostA)

	// Every alerted event reaches each subscriber once, across replicas.
	// The subscribers are those found when each event was dispatched
	// (filter matches depend on the record at that time).
	// The leader dispatches a step's events after writing its cursor:
	// wait until it has dispatched them all.
	var events []notify.Event
	require.Eventually(t, func() bool {
		events = nil
		for _, slug := range []string{"plumm-health-ltd", "cisco-webex-call", "ringcentral-inc"} {
			h, err := a.syncer.History(ctx, slug)
			require.NoError(t, err)
			events = append(events, h...)
		}
		return recorder.dispatched(events)
	}, waitLong, 20*time.Millisecond, "every event is dispatched")
	want := recorder.want(t, dedupEvents(events))
	require.NotEmpty(t, want)
	require.Eventually(t, func() bool {
		return len(merge(a.feed.Recipients(), b.feed.Recipients())) >= len(want)
	}, waitLong, 50*time.Millisecond)
	time.Sleep(300 * time.Millisecond)
	stopA()
	stopB()
	wg.Wait()
	requireSameDeliveries(t, want, merge(a.feed.Recipients(), b.feed.Recipients()))
	require.NotEmpty(t, a.feed.Requests(), "replica A delivered")
	require.NotEmpty(t, b.feed.Requests(), "replica B delivered")
	t.Logf("deliveries: A %d calls, B %d calls, %d notifications", len(a.feed.Requests()), len(b.feed.Requests()), len(want))
}

func dedupEvents(evs []notify.Event) []notify.Event {
	seen := map[string]bool{}
	var out []notify.Event
	for _, e := range evs {
		if !seen[e.ID] {
			seen[e.ID] = true
			out = append(out, e)
		}
	}
	return out
}

// subsRecorder records the recipients found when each event is dispatched.
type subsRecorder struct {
	mu   sync.Mutex
	seen map[string][]notify.Recipient
}

type recordingSubs struct {
	notify.SubscriberSource
	r *subsRecorder
}

func (s recordingSubs) Subscribers(ctx context.Context, ev notify.Event) ([]notify.Recipient, error) {
	recips, err := s.SubscriberSource.Subscribers(ctx, ev)
	if err == nil {
		s.r.mu.Lock()
		if _, ok := s.r.seen[ev.ID]; !ok {
			s.r.seen[ev.ID] = recips
		}
		s.r.mu.Unlock()
	}
	return recips, err
}

// dispatched reports whether every event was dispatched.
func (s *subsRecorder) dispatched(events []notify.Event) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, ev := range events {
		if _, ok := s.seen[ev.ID]; !ok {
			return false
		}
	}
	return true
}

func (s *subsRecorder) want(t *testing.T, events []notify.Event) map[string]int {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	want := map[string]int{}
	for _, ev := range events {
		recips, ok := s.seen[ev.ID]
		require.True(t, ok, "event %s was never dispatched", ev.ID)
		for _, r := range recips {
			for _, u := range r.Users {
				want[r.TenantID+"/"+u.AADObjectID+"#"+jsonInt(ev.ChainID())]++
			}
		}
	}
	return want
}
