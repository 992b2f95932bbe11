package notify_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
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

// killWorkload enqueues events for single, small bulk and large (two
// message) audiences and returns the expected deliveries.
func killWorkload(t testing.TB, ctx context.Context, outbox notify.Outbox) map[string]int {
	t.Helper()
	want := map[string]int{}
	now := time.Date(2022, 8, 1, 0, 0, 0, 0, time.UTC)
	for i, n := range []int{1, 3, 150, 2, 1, 7} {
		ev := notify.Event{
			ID: fmt.Sprintf("%024x", i+1), Kind: notify.EventApp, State: notify.StateReady, Locale: "fr-FR",
			Apps: []string{fmt.Sprintf("app-%d", i)}, AppName: fmt.Sprintf("App %d", i), Summary: "HIPAA: Yes → No", Time: now,
		}
		for _, tenant := range []string{"tenant-a", "tenant-b"} {
			r := notify.Recipient{TenantID: tenant}
			for u := range n {
				aad := fmt.Sprintf("aad-%s-%03d", tenant, u)
				r.Users = append(r.Users, notify.User{TenantID: tenant, ID: fmt.Sprintf("29:%s-%03d", tenant, u), AADObjectID: aad})
				want[tenant+"/"+aad+"#"+jsonInt(ev.ChainID())]++
			}
			require.NoError(t, outbox.Enqueue(ctx, notify.Messages(ev, []notify.Recipient{r}, now)...))
		}
	}
	return want
}

func merge(ms ...map[string]int) map[string]int {
	out := map[string]int{}
	for _, m := range ms {
		for k, v := range m {
			out[k] += v
		}
	}
	return out
}

// blockAt makes the n-th request block until its context ends (a send in
// flight when the process dies) and closes blocked when it starts.
func blockAt(n int64, blocked chan<- struct{}) func(ctx context.Context, r notifytest.Request) error {
	var calls atomic.Int64
	return func(ctx context.Context, _ notifytest.Request) error {
		if calls.Add(1) == n {
			close(blocked)
			<-ctx.Done()
			return ctx.Err()
		}
		return nil
	}
}

// TestDeliver_CancelledMidSend_Restart kills a delivery (its context is
// cancelled while the sender blocks), restarts it on the same bbolt file
// and checks that every notification arrives exactly once.
func TestDeliver_CancelledMidSend_Restart(t *testing.T) {
	ctx := ctxT(t)
	st := openBolt(t, false)
	p1 := newPipeline(t, st, pipelineOpts{workers: 2, claimTTL: time.Minute})
	want := killWorkload(t, ctx, p1.outbox)
	blocked := make(chan struct{})
	p1.feed.Hook = blockAt(5, blocked)
	runCtx, kill := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { _ = p1.deliverer.Run(runCtx); close(done) }()
	<-blocked
	kill()
	<-done
	first := p1.feed.Recipients()
	require.NotEmpty(t, first)
	require.Less(t, len(first), len(want), "the kill came before the end")

	// A new process: a new outbox instance on the same file.
	p2 := newPipeline(t, st, pipelineOpts{workers: 1})
	_, err := p2.deliverer.DeliverPending(ctx)
	require.NoError(t, err)
	requireSameDeliveries(t, want, merge(first, p2.feed.Recipients()))
}

const killChildEnv = "NOTIFY_KILL_CHILD_DB"

// TestDeliver_KilledProcess_Restart runs the delivery in a child process
// (this test binary again), SIGKILLs it while a send is in flight, and
// finishes the delivery in this process: every notification arrives
// exactly once.
func TestDeliver_KilledProcess_Restart(t *testing.T) {
	if db := os.Getenv(killChildEnv); db != "" {
		killChild(t, db)
		return
	}
	ctx := ctxT(t)
	dir := t.TempDir()
	db, sent := filepath.Join(dir, "attestbot.db"), filepath.Join(dir, "sent.jsonl")
	st, err := store.OpenBolt(db, store.BoltOptions{})
	require.NoError(t, err)
	want := killWorkload(t, ctx, store.NewOutbox[notify.Message](st, store.OutboxOptions{}))
	require.NoError(t, st.Close())

	cmd := exec.Command(os.Args[0], "-test.run=^TestDeliver_KilledProcess_Restart$", "-test.v")
	cmd.Env = append(os.Environ(), killChildEnv+"="+db)
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	sc := bufio.NewScanner(out)
	blocked := false
	for sc.Scan() {
		if strings.Contains(sc.Text(), "CHILD BLOCKED") {
			blocked = true
			break
		}
	}
	require.True(t, blocked, "the child never reached the blocking send")
	require.NoError(t, cmd.Process.Kill())
	_ = cmd.Wait()

	st2, err := store.OpenBolt(db, store.BoltOptions{})
	require.NoError(t, err)
	defer st2.Close()
	first := readSent(t, sent)
	require.NotEmpty(t, first)
	require.Less(t, len(first), len(want))
	p := newPipeline(t, st2, pipelineOpts{workers: 1})
	_, err = p.deliverer.DeliverPending(ctx)
	require.NoError(t, err)
	requireSameDeliveries(t, want, merge(first, p.feed.Recipients()))
}

// killChild is the child side: deliver, appending every completed send to
// sent.jsonl, and block forever on the 6th send.
func killChild(t *testing.T, db string) {
	st, err := store.OpenBolt(db, store.BoltOptions{})
	require.NoError(t, err)
	f, err := os.OpenFile(filepath.Join(filepath.Dir(db), "sent.jsonl"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	require.NoError(t, err)
	// One worker, so that the kill lands in the blocked send. (With more,
	// another worker may have finished a send and not yet marked it: the
	// at-least-once window, which the notification's chainId collapses in
	// Teams.)
	p := newPipeline(t, st, pipelineOpts{workers: 1})
	var mu sync.Mutex
	var calls atomic.Int64
	p.feed.Hook = func(_ context.Context, r notifytest.Request) error {
		if calls.Add(1) == 6 {
			fmt.Println("CHILD BLOCKED")
			select {} // the parent kills the process here
		}
		b, _ := json.Marshal(r)
		mu.Lock()
		defer mu.Unlock()
		_, _ = f.Write(append(b, '\n'))
		return f.Sync()
	}
	_ = p.deliverer.Run(context.Background())
}

func readSent(t *testing.T, path string) map[string]int {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	rec := &notifytest.ActivitySender{}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		if line == "" {
			continue
		}
		var r notifytest.Request
		require.NoError(t, json.Unmarshal([]byte(line), &r))
		var n notify.ActivityNotification
		require.NoError(t, json.Unmarshal(r.Body, &n))
		if r.Path == notifytest.PathBulk {
			var body struct {
				Recipients []struct{ UserID string } `json:"recipients"`
			}
			require.NoError(t, json.Unmarshal(r.Body, &body))
			ids := make([]string, len(body.Recipients))
			for i, rc := range body.Recipients {
				ids[i] = rc.UserID
			}
			require.NoError(t, rec.SendActivityBulk(context.Background(), r.TenantID, ids, n))
		} else {
			u := strings.TrimSuffix(strings.TrimPrefix(r.Path, "/users/"), "/teamwork/sendActivityNotification")
			require.NoError(t, rec.SendActivity(context.Background(), r.TenantID, u, n))
		}
	}
	return rec.Recipients()
}

func openRedis(t testing.TB, srv *redistest.Server) *store.RedisStore {
	t.Helper()
	st, err := store.OpenRedis(context.Background(), srv.URL()+"?max_retries=0&dial_timeout=200ms")
	require.NoError(t, err)
	t.Cleanup(func() { _ = st.Close() })
	return st
}

// deliverUntil runs DeliverPending until want is met or the deadline.
func deliverUntil(t *testing.T, ctx context.Context, p *pipeline, want map[string]int, others ...map[string]int) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		_, _ = p.deliverer.DeliverPending(ctx)
		if len(merge(append(others, p.feed.Recipients())...)) >= len(want) {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestDeliver_Redis_CancelledMidSend_TakenOver kills a consumer mid-send on
// Redis; another consumer takes the stale entry over (XAUTOCLAIM) and
// every notification arrives exactly once.
func TestDeliver_Redis_CancelledMidSend_TakenOver(t *testing.T) {
	ctx := ctxT(t)
	srv := redistest.Start(t)
	p1 := newPipeline(t, openRedis(t, srv), pipelineOpts{workers: 2, claimTTL: 300 * time.Millisecond, consumer: "replica-1"})
	want := killWorkload(t, ctx, p1.outbox)
	blocked := make(chan struct{})
	p1.feed.Hook = blockAt(5, blocked)
	runCtx, kill := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { _ = p1.deliverer.Run(runCtx); close(done) }()
	<-blocked
	kill()
	<-done
	first := p1.feed.Recipients()
	require.Less(t, len(first), len(want))

	p2 := newPipeline(t, openRedis(t, srv), pipelineOpts{workers: 1, claimTTL: 300 * time.Millisecond, consumer: "replica-2"})
	deliverUntil(t, ctx, p2, want, first)
	requireSameDeliveries(t, want, merge(first, p2.feed.Recipients()))
}

// TestDeliver_Redis_RestartDuringDelivery restarts Redis (SHUTDOWN SAVE,
// then the same port and directory) while deliveries run: the deliverer
// rides the outage out and every notification arrives exactly once.
func TestDeliver_Redis_RestartDuringDelivery(t *testing.T) {
	ctx := ctxT(t)
	srv := redistest.Start(t)
	p := newPipeline(t, openRedis(t, srv), pipelineOpts{workers: 2, claimTTL: time.Second, consumer: "replica-1"})
	want := killWorkload(t, ctx, p.outbox)
	down := make(chan struct{})
	var calls atomic.Int64
	p.feed.Hook = func(ctx context.Context, _ notifytest.Request) error {
		if calls.Add(1) == 4 {
			// The send succeeds, then Redis goes away before the
			// delivery is marked and acked.
			_, _ = redistest.Do(srv.Addr(), "SHUTDOWN", "SAVE")
			close(down)
		}
		return nil
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { _ = p.deliverer.Run(runCtx); close(done) }()
	<-down
	waitDown(t, srv.Addr())
	time.Sleep(300 * time.Millisecond) // deliveries fail meanwhile
	srv.Restart(t)
	deadline := time.Now().Add(20 * time.Second)
	for len(p.feed.Recipients()) < len(want) && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond) // a duplicate would show up now
	stop()
	<-done
	requireSameDeliveries(t, want, p.feed.Recipients())
}

func waitDown(t *testing.T, addr string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if _, err := redistest.Do(addr, "PING"); err != nil {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("redis did not shut down")
}
