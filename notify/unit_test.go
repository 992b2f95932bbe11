package notify_test

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/notify"
	"github.com/attestbot/attestbot/notify/notifytest"
	"github.com/attestbot/attestbot/store"
)

func TestParseTarget(t *testing.T) {
	tests := []struct {
		in      string
		kind    notify.TargetKind
		canon   string
		wantErr bool
	}{
		{in: "plumm-health-ltd", kind: notify.TargetApp, canon: "plumm-health-ltd"},
		{in: "Aimful", kind: notify.TargetApp, canon: "aimful"},
		{in: "all", kind: notify.TargetAll, canon: "all"},
		{in: "permission=Mail.*", kind: notify.TargetFilter, canon: "permission=mail.*"},
		{in: "hipaa=*", kind: notify.TargetFilter, canon: "hipaa=*"},
		{in: "hipaa", kind: notify.TargetFilter, canon: "comp.hipaa=yes"},
		{in: "soc2=yes hipaa=no", kind: notify.TargetFilter, canon: "comp.hipaa=no comp.soc2=yes"},
		{in: "nosuchkey=*", wantErr: true},
		{in: "bogus=1", wantErr: true},
		{in: "", wantErr: true},
		{in: strings.Repeat("a=", 400), wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			kind, canon, err := notify.ParseTarget(tt.in)
			if tt.wantErr {
				require.ErrorIs(t, err, notify.ErrBadTarget)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.kind, kind)
			require.Equal(t, tt.canon, canon)
			k2, c2, err := notify.ParseTarget(canon)
			require.NoError(t, err, "the canonical form parses")
			require.Equal(t, kind, k2)
			require.Equal(t, canon, c2)
		})
	}
}

func FuzzParseTarget(f *testing.F) {
	for _, s := range []string{"all", "plumm-health-ltd", "permission=Mail.*", "hipaa=*", "hipaa", "a=b c=d", "publisher=\"x y\""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		kind, canon, err := notify.ParseTarget(s)
		if err != nil {
			return
		}
		if kind == notify.TargetFilter {
			if _, _, err := notify.ParseTarget(canon); err != nil {
				t.Fatalf("canonical %q of %q does not parse: %v", canon, s, err)
			}
		}
	})
}

func TestSubscriptions_TenantsAdminsAndFilters(t *testing.T) {
	ctx := ctxT(t)
	st := openBolt(t, true)
	subs := notify.NewSubscriptions(st, st, testAdmins)
	alice := notify.User{TenantID: "tenant-a", ID: "29:alice", AADObjectID: "aad-alice"}
	admin := notify.User{TenantID: "tenant-a", ID: "29:admin", AADObjectID: "aad-admin"}
	bob := notify.User{TenantID: "tenant-b", ID: "29:bob", AADObjectID: "aad-bob"}
	hipaaAdmin := notify.User{TenantID: "tenant-b", ID: "29:h", AADObjectID: "aad-hipaa"}

	_, err := subs.Subscribe(ctx, alice, "all")
	require.ErrorIs(t, err, notify.ErrAdminOnly)
	_, err = subs.Subscribe(ctx, alice, "hipaa=*")
	require.ErrorIs(t, err, notify.ErrAdminOnly)
	// A tenant-scoped admin entry does not make the same ID admin elsewhere.
	_, err = subs.Subscribe(ctx, notify.User{TenantID: "tenant-a", ID: "29:x", AADObjectID: "aad-hipaa"}, "all")
	require.ErrorIs(t, err, notify.ErrAdminOnly)

	for _, s := range []struct {
		u notify.User
		t string
	}{{alice, "plumm-health-ltd"}, {alice, "plumm-health-ltd"}, {admin, "permission=Mail.*"}, {bob, "plumm-health-ltd"}, {hipaaAdmin, "hipaa=*"}} {
		_, err := subs.Subscribe(ctx, s.u, s.t)
		require.NoError(t, err)
	}
	list, err := subs.List(ctx, "tenant-a", "29:alice")
	require.NoError(t, err)
	require.Len(t, list, 1, "subscribing twice keeps one subscription")
	tb, err := subs.ListTenant(ctx, "tenant-b")
	require.NoError(t, err)
	require.Len(t, tb, 2)
	for _, s := range tb {
		require.Equal(t, "tenant-b", s.User.TenantID, "no cross-tenant read")
	}

	plumm := notify.Event{ID: "e1", Kind: notify.EventApp, Apps: []string{"plumm-health-ltd"}, Changes: []attestation.Change{
		{App: "plumm-health-ltd", Field: "comp.hipaa", Kind: attestation.ChangeChanged, Old: "yes", New: "no"}}}
	recips, err := subs.Subscribers(ctx, plumm)
	require.NoError(t, err)
	require.Equal(t, []notify.Recipient{
		{TenantID: "tenant-a", Users: []notify.User{alice}},
		{TenantID: "tenant-b", Users: []notify.User{bob, hipaaAdmin}},
	}, recips)

	mail := notify.Event{ID: "e2", Kind: notify.EventApp, Apps: []string{"other-app"}, Changes: []attestation.Change{
		{App: "other-app", Field: "permission:Mail.Read", Kind: attestation.ChangeRemoved, Old: "application"}}}
	recips, err = subs.Subscribers(ctx, mail)
	require.NoError(t, err)
	require.Equal(t, []notify.Recipient{{TenantID: "tenant-a", Users: []notify.User{admin}}}, recips,
		"a removed Mail.Read touches permission=Mail.*")

	require.NoError(t, subs.Unsubscribe(ctx, bob, "plumm-health-ltd"))
	require.NoError(t, subs.Unsubscribe(ctx, bob, "plumm-health-ltd"), "unsubscribing twice is fine")
	recips, err = subs.Subscribers(ctx, plumm)
	require.NoError(t, err)
	require.Len(t, recips, 2)
	require.Equal(t, []notify.User{hipaaAdmin}, recips[1].Users)

	_, err = subs.Subscribe(ctx, notify.User{TenantID: "a/b", ID: "x"}, "all")
	require.ErrorIs(t, err, store.ErrInvalid)
}

// TestSubscriptions_FilterMatchesRecord checks the record side of a
// filter: a hipaa=yes watcher hears of any change of an app whose record
// says HIPAA yes.
func TestSubscriptions_FilterMatchesRecord(t *testing.T) {
	ctx := ctxT(t)
	st := openBolt(t, true)
	rec, err := attestation.Parse("fr-FR/teams/plumm-health-ltd.md", historyPage(t, "plumm-health-ltd", "ab1574e9"))
	require.NoError(t, err)
	_, err = st.PutRecords(ctx, []*attestation.Record{rec})
	require.NoError(t, err)
	subs := notify.NewSubscriptions(st, st, testAdmins)
	admin := notify.User{TenantID: "tenant-a", ID: "29:admin", AADObjectID: "aad-admin"}
	_, err = subs.Subscribe(ctx, admin, "permission=User.Read")
	require.NoError(t, err)
	require.NotEmpty(t, rec.Permissions)
	ev := notify.Event{ID: "e", Kind: notify.EventApp, Apps: []string{rec.Slug}, RecordID: rec.ID(), Changes: []attestation.Change{
		{App: rec.Slug, Field: "updated", Kind: attestation.ChangeChanged}}}
	recips, err := subs.Subscribers(ctx, ev)
	require.NoError(t, err)
	hasUserRead := attestation.MatchFilters(rec, mustFilters(t, "permission=User.Read"))
	require.Equal(t, hasUserRead, len(recips) == 1)
}

func mustFilters(t *testing.T, s string) []attestation.Filter {
	t.Helper()
	fs, err := attestation.ParseFilters(s)
	require.NoError(t, err)
	return fs
}

func TestDeepLink(t *testing.T) {
	link := notify.DeepLink(testTeamsAppID, "662a29638c4561fb848f8358")
	require.True(t, strings.HasPrefix(link, "https://teams.microsoft.com/l/entity/"+testTeamsAppID+"/conversations?context="))
	require.Less(t, len(link), 1024)
	u, err := url.Parse(link)
	require.NoError(t, err)
	require.JSONEq(t, `{"subEntityId":"event:662a29638c4561fb848f8358"}`, u.Query().Get("context"))
}

// errSender fails sends with a scripted sequence of errors.
type errSender struct {
	notifytest.ActivitySender
	errs  []error
	calls atomic.Int64
}

func (s *errSender) next() error {
	i := s.calls.Add(1) - 1
	if int(i) < len(s.errs) {
		return s.errs[i]
	}
	return nil
}

func (s *errSender) SendActivity(ctx context.Context, tenantID, userID string, n notify.ActivityNotification) error {
	if err := s.next(); err != nil {
		return err
	}
	return s.ActivitySender.SendActivity(ctx, tenantID, userID, n)
}

func (s *errSender) SendActivityBulk(ctx context.Context, tenantID string, userIDs []string, n notify.ActivityNotification) error {
	if err := s.next(); err != nil {
		return err
	}
	return s.ActivitySender.SendActivityBulk(ctx, tenantID, userIDs, n)
}

type fakeInstaller struct{ installed []string }

func (f *fakeInstaller) InstallForUser(_ context.Context, _ string, userID string) error {
	f.installed = append(f.installed, userID)
	return nil
}

func TestDeliverer_ErrorHandling(t *testing.T) {
	boom := errors.New("boom")
	tests := []struct {
		name        string
		errs        []error
		install     bool
		users       int
		wantDead    bool
		wantSent    int // users notified
		wantUnreach int
		wantInstall int
	}{
		{name: "ok, transient errors then success", errs: []error{boom, boom}, users: 1, wantSent: 1},
		{name: "ok, throttled then success", errs: []error{&notify.ThrottledError{RetryAfter: 3 * time.Second, Err: boom}}, users: 3, wantSent: 3},
		{name: "ok, precondition then success", errs: []error{&notify.PreconditionError{Err: boom}}, users: 2, wantSent: 2},
		{name: "nok, too many failures", errs: []error{boom, boom, boom, boom}, users: 1, wantDead: true},
		{name: "nok, permanent", errs: []error{&notify.PermanentError{Err: boom}}, users: 2, wantDead: true},
		{name: "nok, conflict", errs: []error{&notify.ConflictError{Err: boom}}, users: 1, wantDead: true},
		{name: "not installed, recorded for the admin", errs: []error{&notify.NotInstalledError{UserIDs: []string{"aad-001"}, Err: boom}},
			users: 3, wantSent: 2, wantUnreach: 1},
		{name: "not installed in bulk without names: one by one", errs: []error{&notify.NotInstalledError{Err: boom}, nil, &notify.NotInstalledError{Err: boom}},
			users: 3, wantSent: 2, wantUnreach: 1},
		{name: "not installed, installed and retried", errs: []error{&notify.NotInstalledError{Err: boom}}, install: true,
			users: 1, wantSent: 1, wantInstall: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := ctxT(t)
			st := openBolt(t, true)
			clock := notifytest.NewClock(time.Date(2022, 8, 1, 0, 0, 0, 0, time.UTC))
			sender := &errSender{errs: tt.errs}
			inst := &fakeInstaller{}
			outbox := store.NewOutbox[notify.Message](st, store.OutboxOptions{Now: clock.Now})
			cfg := notify.DelivererConfig{
				Outbox: outbox, Delivered: store.NewDeliveredLog(st, clock.Now), KV: st,
				Activity: sender, TeamsAppID: testTeamsAppID, MaxAttempts: 3, Clock: clock, Logger: quietLogger(),
				Jitter: func() float64 { return 0 },
			}
			if tt.install {
				cfg.Installer, cfg.InstallApp = inst, true
			}
			d, err := notify.NewDeliverer(cfg)
			require.NoError(t, err)
			ev := notify.Event{ID: "000000000000000000000abc", Kind: notify.EventApp, Apps: []string{"x"}, AppName: "X", Summary: "HIPAA: Yes → No"}
			r := notify.Recipient{TenantID: "tenant-a"}
			for i := range tt.users {
				id := []string{"000", "001", "002"}[i]
				r.Users = append(r.Users, notify.User{TenantID: "tenant-a", ID: "29:" + id, AADObjectID: "aad-" + id})
			}
			require.NoError(t, outbox.Enqueue(ctx, notify.Messages(ev, []notify.Recipient{r}, clock.Now())...))
			for range 10 { // retries become due as the virtual clock moves
				_, err := d.DeliverPending(ctx)
				require.NoError(t, err)
				clock.Advance(time.Hour)
			}
			dead, err := d.DeadLetters(ctx, "tenant-a")
			require.NoError(t, err)
			require.Equal(t, tt.wantDead, len(dead) == 1, "dead letters: %v", dead)
			if tt.wantDead {
				require.NotEmpty(t, dead[0].Reason)
				none, err := d.DeadLetters(ctx, "tenant-b")
				require.NoError(t, err)
				require.Empty(t, none, "dead letters are per tenant")
			}
			require.Len(t, sender.Recipients(), tt.wantSent)
			for _, n := range sender.Recipients() {
				require.Equal(t, 1, n)
			}
			unreach, err := d.Unreachable(ctx, "tenant-a")
			require.NoError(t, err)
			require.Len(t, unreach, tt.wantUnreach)
			require.Len(t, inst.installed, tt.wantInstall)
		})
	}
}

// TestDeliverer_LocalMode posts the diff card to the stored conversations
// (the Playground's) instead of calling Graph.
func TestDeliverer_LocalMode(t *testing.T) {
	ctx := ctxT(t)
	st := openBolt(t, true)
	p := newPipeline(t, st, pipelineOpts{local: true})
	require.NoError(t, st.PutConversation(ctx, store.ConversationRef{TenantID: "tenant-a", UserID: "29:alice", ConversationID: "a:1", ServiceURL: "http://127.0.0.1:56150/"}))
	ev := notify.Event{ID: "000000000000000000000def", Kind: notify.EventApp, Apps: []string{"x"}, AppName: "X", Summary: "HIPAA: Yes → No"}
	r := notify.Recipient{TenantID: "tenant-a", Users: []notify.User{{TenantID: "tenant-a", ID: "29:alice"}, {TenantID: "tenant-a", ID: "29:nobody"}}}
	require.NoError(t, p.outbox.Enqueue(ctx, notify.Messages(ev, []notify.Recipient{r}, time.Now())...))
	_, err := p.deliverer.DeliverPending(ctx)
	require.NoError(t, err)
	sent := p.cards.Sent()
	require.Len(t, sent, 1)
	require.Equal(t, "a:1", sent[0].ConversationID)
	require.Equal(t, "X: HIPAA: Yes → No", sent[0].Summary)
	require.Empty(t, p.feed.Requests())
	unreach, err := p.deliverer.Unreachable(ctx, "tenant-a")
	require.NoError(t, err)
	require.Len(t, unreach, 1)
	require.Equal(t, "no_conversation", unreach[0].Reason)
	// Enqueueing the same message again delivers nothing more.
	require.NoError(t, p.outbox.Enqueue(ctx, notify.Messages(ev, []notify.Recipient{r}, time.Now())...))
	_, err = p.deliverer.DeliverPending(ctx)
	require.NoError(t, err)
	require.Len(t, p.cards.Sent(), 1)
}

func TestNewDeliverer_Validates(t *testing.T) {
	st := openBolt(t, true)
	_, err := notify.NewDeliverer(notify.DelivererConfig{})
	require.Error(t, err)
	_, err = notify.NewDeliverer(notify.DelivererConfig{Outbox: store.NewOutbox[notify.Message](st, store.OutboxOptions{}), Delivered: store.NewDeliveredLog(st, nil), KV: st,
		Activity: &notifytest.ActivitySender{}})
	require.ErrorContains(t, err, "Teams app ID")
}

// TestSubscriptions_Listings checks that one app listed twice (pages with
// one AppSource ID, issue 13: MGR360 and Manager360) is one app for
// subscribers: following either listing hears of a change of the other.
func TestSubscriptions_Listings(t *testing.T) {
	ctx := ctxT(t)
	st := openBolt(t, true)
	mk := func(slug string, listings ...string) *attestation.Record {
		return &attestation.Record{Slug: slug, Kind: "teams", Type: attestation.PageApp, Locale: "fr-FR",
			Path: "Apps/teams/" + slug + ".md", Name: slug, AppSourceID: "WA200003329", Listings: listings}
	}
	_, err := st.PutRecords(ctx, []*attestation.Record{mk("mgr360", "teams/manager360"), mk("manager360", "teams/mgr360"), mk("other")})
	require.NoError(t, err)
	subs := notify.NewSubscriptions(st, st, testAdmins)
	alice := notify.User{TenantID: "tenant-a", ID: "29:alice", AADObjectID: "aad-alice"}
	_, err = subs.Subscribe(ctx, alice, "mgr360")
	require.NoError(t, err)
	ev := func(slug string) notify.Event {
		return notify.Event{ID: "e-" + slug, Kind: notify.EventApp, Apps: []string{slug}, RecordID: "fr-FR/Apps/teams/" + slug + ".md",
			Changes: []attestation.Change{{App: slug, Field: "comp.hipaa", Kind: attestation.ChangeChanged, Old: "yes", New: "no"}}}
	}
	for _, tt := range []struct {
		slug string
		want int
	}{{"mgr360", 1}, {"manager360", 1}, {"other", 0}} {
		recips, err := subs.Subscribers(ctx, ev(tt.slug))
		require.NoError(t, err)
		require.Len(t, recips, tt.want, tt.slug)
	}
}
