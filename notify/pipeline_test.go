package notify_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/notify"
	"github.com/attestbot/attestbot/notify/notifytest"
	"github.com/attestbot/attestbot/notify/source"
	"github.com/attestbot/attestbot/store"
)

const testTeamsAppID = "5e3f1a2b-0000-4000-8000-a77e57b07000"

// pipeline is one replica: syncer, dispatcher and deliverer on a store.
type pipeline struct {
	st        store.Store
	subs      *notify.Subscriptions
	outbox    notify.Outbox
	syncer    *notify.Syncer
	deliverer *notify.Deliverer
	feed      *notifytest.ActivitySender
	cards     *notifytest.ProactiveSender
	lease     notify.Lease
	cursors   notify.CursorStore
}

type pipelineOpts struct {
	specs         []string
	clock         notify.Clock
	confirm       bool
	consumer      string
	claimTTL      time.Duration
	lease         notify.Lease // overrides the default lease
	cursors       notify.CursorStore
	workers       int
	cardInChat    bool
	installer     notify.Installer
	local         bool
	bulkThreshold int
	recorder      *subsRecorder
	records       notify.RecordStore // overrides the store's records
	userRate      notify.Rate        // overrides notify.RateUser
}

var testAdmins = notify.AdminList{"aad-admin", "aad-cal", "tenant-b/aad-hipaa"}

func newPipeline(t testing.TB, st store.Store, o pipelineOpts) *pipeline {
	t.Helper()
	ctx := context.Background()
	if o.clock == nil {
		o.clock = notify.SystemClock{}
	}
	p := &pipeline{st: st, feed: &notifytest.ActivitySender{}, cards: &notifytest.ProactiveSender{}}
	// The store's capabilities: shared through Redis on a RedisStore,
	// process-local on bbolt.
	syncLease := store.NewSyncLease(st, time.Second)
	p.lease, p.cursors = syncLease, syncLease
	p.outbox = store.NewOutbox[notify.Message](st, store.OutboxOptions{Now: o.clock.Now, ClaimTTL: o.claimTTL})
	dlog := store.NewDeliveredLog(st, o.clock.Now)
	limiter := store.NewRateLimiter(st)
	if o.lease != nil {
		p.lease = o.lease
	}
	if o.cursors != nil {
		p.cursors = o.cursors
	}
	var sources []source.Source
	for _, s := range o.specs {
		sp, err := source.ParseSpec(s)
		require.NoError(t, err)
		src, err := source.Open(ctx, sp, source.Options{CacheDir: t.TempDir(), Logger: quietLogger(), Now: o.clock.Now})
		require.NoError(t, err)
		sources = append(sources, src)
	}
	p.subs = notify.NewSubscriptions(st, st, testAdmins)
	var subs notify.SubscriberSource = p.subs
	if o.recorder != nil {
		subs = recordingSubs{p.subs, o.recorder}
	}
	disp := notify.NewDispatcher(st, subs, p.outbox, o.clock, quietLogger())
	var records notify.RecordStore = st
	if o.records != nil {
		records = o.records
	}
	var err error
	p.syncer, err = notify.NewSyncer(notify.SyncerConfig{
		Records: records, KV: st, Lease: p.lease, Cursors: p.cursors, Sources: sources, Dispatcher: disp,
		ConfirmSecondLocale: o.confirm, ConfirmTimeout: time.Hour, BulkThreshold: o.bulkThreshold,
		RenewEvery: 200 * time.Millisecond, Clock: o.clock, Logger: quietLogger(),
	})
	require.NoError(t, err)
	cfg := notify.DelivererConfig{
		Outbox: p.outbox, Delivered: dlog, KV: st, Limiter: limiter,
		Activity: p.feed, TeamsAppID: testTeamsAppID,
		Proactive: p.cards, Cards: notifytest.SimpleCards, Conversations: st, CardInChat: o.cardInChat,
		Installer: o.installer, InstallApp: o.installer != nil,
		Consumer: o.consumer, Workers: o.workers, ClaimTTL: o.claimTTL, PollInterval: 20 * time.Millisecond,
		MaxAttempts: 3, BackoffBase: time.Millisecond, BackoffMax: 5 * time.Millisecond, UserRate: o.userRate,
		Clock: o.clock, Logger: quietLogger(), Jitter: func() float64 { return 0.5 },
	}
	if o.local {
		cfg.Mode, cfg.Activity = notify.ModeLocal, nil
	}
	p.deliverer, err = notify.NewDeliverer(cfg)
	require.NoError(t, err)
	return p
}

// testUsers are the subscribers of the end-to-end tests.
var testUsers = []struct {
	user   notify.User
	target string
}{
	{notify.User{TenantID: "tenant-a", ID: "29:plumm", AADObjectID: "aad-plumm"}, "plumm-health-ltd"},
	{notify.User{TenantID: "tenant-a", ID: "29:ring", AADObjectID: "aad-ring"}, "ringcentral-inc"},
	{notify.User{TenantID: "tenant-a", ID: "29:admin", AADObjectID: "aad-admin"}, "all"},
	{notify.User{TenantID: "tenant-a", ID: "29:cal", AADObjectID: "aad-cal"}, "permission=Calendars.*"},
	{notify.User{TenantID: "tenant-b", ID: "29:cisco", AADObjectID: "aad-cisco"}, "cisco-webex-call"},
	{notify.User{TenantID: "tenant-b", ID: "29:hipaa", AADObjectID: "aad-hipaa"}, "stores_customer_data=*"},
}

func subscribeTestUsers(t testing.TB, subs *notify.Subscriptions) {
	t.Helper()
	for _, u := range testUsers {
		_, err := subs.Subscribe(context.Background(), u.user, u.target)
		require.NoError(t, err, u.target)
	}
}
