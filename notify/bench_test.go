package notify_test

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/notify"
	"github.com/attestbot/attestbot/notify/notifytest"
	"github.com/attestbot/attestbot/sample"
	"github.com/attestbot/attestbot/store"
)

// BenchmarkDeliver_10kSubscribersOneTenant notifies 10,000 subscribers of
// one tenant of one event: 100 bulk calls, paced at 2 rps per tenant on a
// virtual clock. It reports Graph calls and the simulated duration.
func BenchmarkDeliver_10kSubscribersOneTenant(b *testing.B) {
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		st := openBolt(b, true)
		clock := notifytest.NewClock(time.Date(2022, 8, 1, 0, 0, 0, 0, time.UTC))
		p := newPipeline(b, st, pipelineOpts{clock: clock, workers: 1})
		ev := notify.Event{ID: "00000000000000000000bench", Kind: notify.EventApp, State: notify.StateReady, Apps: []string{"plumm-health-ltd"},
			AppName: "Plumm", Summary: "HIPAA: Yes → No; new application permission Mail.Read"}
		r := notify.Recipient{TenantID: "tenant-a"}
		for i := range 10000 {
			r.Users = append(r.Users, notify.User{TenantID: "tenant-a", ID: fmt.Sprintf("29:u%05d", i), AADObjectID: fmt.Sprintf("aad-%05d", i)})
		}
		require.NoError(b, p.outbox.Enqueue(ctx, notify.Messages(ev, []notify.Recipient{r}, clock.Now())...))
		start := clock.Now()
		b.StartTimer()
		_, err := p.deliverer.DeliverPending(ctx)
		b.StopTimer()
		require.NoError(b, err)
		calls := p.feed.Requests()
		require.LessOrEqual(b, len(calls), 100)
		require.Len(b, p.feed.Recipients(), 10000)
		b.ReportMetric(float64(len(calls)), "graph_calls/op")
		b.ReportMetric(clock.Now().Sub(start).Seconds(), "simulated_s/op")
		b.StartTimer()
	}
}

var reHash = regexp.MustCompile(`ms\.openlocfilehash: [0-9a-f]+`)

// sixtyPages returns 60 distinct app pages built from the sample (copied
// under distinct slugs), before and after a commit that changes each
// one's source hash and, for half of them, a Graph permission.
func sixtyPages(tb testing.TB) (before, after map[string][]byte) {
	tb.Helper()
	var pages [][]byte
	for _, p := range sample.CurrentPages() {
		if strings.Contains(p, "-index/") || strings.Contains(p, "azure-id/") {
			continue
		}
		b, err := fs.ReadFile(sample.FS(), p)
		require.NoError(tb, err)
		pages = append(pages, b)
	}
	require.GreaterOrEqual(tb, len(pages), 30)
	before, after = map[string][]byte{}, map[string][]byte{}
	for i := range 60 {
		pg := pages[i%len(pages)]
		name := fmt.Sprintf("Apps/teams/%s-%02d.md", strings.TrimSuffix(path.Base(sample.CurrentPages()[0]), ".md"), i)
		before[name] = pg
		changed := reHash.ReplaceAll(pg, []byte(fmt.Sprintf("ms.openlocfilehash: %040x", i+1)))
		if i%2 == 0 {
			changed = bytes.Replace(changed, []byte("User.Read"), []byte("Mail.Read"), 1)
		}
		if bytes.Equal(changed, pg) { // a page without a source hash: touch it anyway
			changed = append(bytes.Clone(pg), '\n')
		}
		after[name] = changed
	}
	return before, after
}

// BenchmarkSync_CommitTouching60Pages syncs one commit that modifies 60
// pages (parse, diff against the stored records, events, records, cursor)
// on a bbolt store with fsync.
func BenchmarkSync_CommitTouching60Pages(b *testing.B) {
	ctx := context.Background()
	before, after := sixtyPages(b)
	for b.Loop() {
		b.StopTimer()
		p, timed := syncedBaseline(b, before, after)
		b.StartTimer()
		res, err := p.syncer.Sync(ctx)
		b.StopTimer()
		require.NoError(b, err)
		require.Equal(b, 60, res.Sources[0].Pages)
		b.ReportMetric(float64(len(res.Events)), "events/op")
		b.ReportMetric(float64(timed.put.Microseconds())/1000, "store_put_ms/op")
		b.StartTimer()
	}
}

// timedRecords measures the time spent in the store's PutRecords.
type timedRecords struct {
	notify.RecordStore
	put time.Duration
}

func (r *timedRecords) PutRecords(ctx context.Context, recs []*attestation.Record) (store.PutResult, error) {
	start := time.Now()
	res, err := r.RecordStore.PutRecords(ctx, recs)
	r.put += time.Since(start)
	return res, err
}

// syncedBaseline makes a repository whose first commit holds before, syncs
// it into a fresh bbolt store, then commits after, ready for the sync being
// measured; the store's PutRecords time is counted from there.
func syncedBaseline(tb testing.TB, before, after map[string][]byte) (*pipeline, *timedRecords) {
	tb.Helper()
	repo := newRepo(tb)
	repo.commit("baseline", time.Date(2022, 3, 1, 0, 0, 0, 0, time.UTC), before)
	st := openBolt(tb, false)
	timed := &timedRecords{RecordStore: st}
	p := newPipeline(tb, st, pipelineOpts{specs: []string{"git+file://" + repo.dir + "#:Apps"}, records: timed})
	_, err := p.syncer.Sync(context.Background())
	require.NoError(tb, err)
	repo.commit("sixty pages", time.Date(2022, 3, 2, 0, 0, 0, 0, time.UTC), after)
	timed.put = 0
	return p, timed
}

// TestSync_CommitTouching60Pages syncs a 60-page commit after a baseline:
// every page is read and the changes raise events. The time it takes is
// logged with the share of the store's own PutRecords transaction;
// BenchmarkSync_CommitTouching60Pages measures it (speed is never asserted
// in a test: the machine is shared).
func TestSync_CommitTouching60Pages(t *testing.T) {
	ctx := ctxT(t)
	before, after := sixtyPages(t)
	p, timed := syncedBaseline(t, before, after)
	start := time.Now()
	res, err := p.syncer.Sync(ctx)
	took := time.Since(start)
	require.NoError(t, err)
	require.Equal(t, 60, res.Sources[0].Pages)
	require.NotEmpty(t, res.Events)
	t.Logf("synced a 60-page commit in %s, of which store.PutRecords %s (%d events)", took, timed.put, len(res.Events))
}
