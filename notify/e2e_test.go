package notify_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/notify"
	"github.com/attestbot/attestbot/notify/notifytest"
)

// commitEvents is the golden record of one synced commit.
type commitEvents struct {
	Date      string         `json:"date"`
	Revisions []string       `json:"revisions"`
	Events    []notify.Event `json:"events"`
}

// TestSync_GitHistory_EndToEnd commits the real fr-FR revisions of the
// sample history into a git repository one date at a time, syncs after
// each commit, delivers, and checks the events and the exact Graph
// requests against golden files.
func TestSync_GitHistory_EndToEnd(t *testing.T) {
	ctx := ctxT(t)
	hist := sampleHistory(t)
	require.Len(t, hist, 12)
	repo := newRepo(t)
	st := openBolt(t, true)
	clock := notifytest.NewClock(time.Date(2022, 8, 1, 9, 0, 0, 0, time.UTC))
	p := newPipeline(t, st, pipelineOpts{specs: []string{"git+file://" + repo.dir + "#master:Apps"}, clock: clock})
	subscribeTestUsers(t, p.subs)

	var got []commitEvents
	byRevision := map[string][]notify.Event{} // "<slug>@<short>" -> events about slug
	for _, c := range hist {
		when, err := time.Parse(time.DateOnly, c.Date)
		require.NoError(t, err)
		var revs []string
		for slug, short := range c.Short {
			revs = append(revs, slug+"@"+short)
		}
		slices.Sort(revs)
		repo.commit("commit translated contents "+strings.Join(revs, " "), when.Add(12*time.Hour), c.Files)
		res, err := p.syncer.Sync(ctx)
		require.NoError(t, err)
		require.Len(t, res.Sources, 1)
		require.Equal(t, 1, res.Sources[0].Steps, "one commit, one step")
		_, err = p.deliverer.DeliverPending(ctx)
		require.NoError(t, err)
		evs := []notify.Event{}
		for _, ev := range res.Events {
			ev.Source = "(temp repository)" // the source ID hashes the temporary path
			evs = append(evs, ev)
		}
		got = append(got, commitEvents{Date: c.Date, Revisions: revs, Events: evs})
		for slug, short := range c.Short {
			for _, ev := range res.Events {
				if slices.Contains(ev.Apps, slug) {
					byRevision[slug+"@"+short] = append(byRevision[slug+"@"+short], ev)
				}
			}
		}
		clock.Advance(time.Hour)
	}
	golden(t, "e2e/events.json", got)
	golden(t, "e2e/requests.json", p.feed.Requests())

	// The baseline commit raises nothing; noise stays silent.
	require.Empty(t, got[0].Events, "the first sync is the baseline")
	for _, rev := range []string{
		"ringcentral-inc@ae4772ad", // 9bcf6cc3 → ae4772ad: re-translation, same source hash
		"plumm-health-ltd@ae4772ad",
		"cisco-webex-call@d738f23d", // the Entra app ID column appeared: format only
		"plumm-health-ltd@d738f23d",
		"ringcentral-inc@a30d7e56",
	} {
		require.Empty(t, byRevision[rev], rev)
	}
	// Real changes.
	plumm := byRevision["plumm-health-ltd@ab1574e9"]
	require.Len(t, plumm, 1)
	requireChange(t, plumm[0], "data.stores_customer_data", attestation.ChangeWithdrawn, "yes", "")
	ring := byRevision["ringcentral-inc@bd414b61"]
	require.Len(t, ring, 1)
	requireChange(t, ring[0], attestation.FieldUpdated, attestation.ChangeChanged, "2021-05-18", "2022-06-15")
	requireChange(t, ring[0], "permission:Calendars.ReadWrite", attestation.ChangeRemoved, "delegated", "")
	requireChange(t, ring[0], "permission:offline_access", attestation.ChangeRemoved, "delegated", "")
	requireChange(t, ring[0], "zt.integrates_ms_identity_platform", attestation.ChangeChanged, "no", "yes")
	require.Contains(t, ring[0].Summary, "developer update: 2021-05-18 → 2022-06-15")
	cisco := byRevision["cisco-webex-call@9748b8d7"]
	require.Len(t, cisco, 1)
	requireChange(t, cisco[0], "data.stores_customer_data", attestation.ChangeChanged, "yes", "no")

	// History is newest first and includes every event of the app.
	hp, err := p.syncer.History(ctx, "plumm-health-ltd")
	require.NoError(t, err)
	require.NotEmpty(t, hp)
	require.Equal(t, plumm[0].ID, hp[1].ID, "ab1574e9 is the second newest plumm event")
	for i := 1; i < len(hp); i++ {
		require.False(t, hp[i].Time.After(hp[i-1].Time), "newest first")
	}
	ev, err := notify.EventByID(ctx, st, plumm[0].ID)
	require.NoError(t, err)
	require.Equal(t, plumm[0].Changes, ev.Changes)

	// Deliveries: every subscriber of every event exactly once, by bulk
	// when a tenant has several recipients.
	checkDeliveredOnce(t, p.feed, allEvents(got), p.subs)
	ringReqs := requestsFor(t, p.feed.Requests(), ring[0].ChainID(), "tenant-a")
	require.Len(t, ringReqs, 1)
	require.Equal(t, notifytest.PathBulk, ringReqs[0].Path, "ringcentral, admin and the Calendars.* watcher of tenant-a: one bulk call")
	var body struct {
		PreviewText struct{ Content string }  `json:"previewText"`
		Topic       struct{ WebURL string }   `json:"topic"`
		Recipients  []struct{ UserID string } `json:"recipients"`
	}
	require.NoError(t, json.Unmarshal(ringReqs[0].Body, &body))
	require.Len(t, body.Recipients, 3)
	require.True(t, strings.HasPrefix(body.PreviewText.Content, "RingCentral: developer update: 2021-05-18 → 2022-06-15;"), body.PreviewText.Content)
	require.LessOrEqual(t, len([]rune(body.PreviewText.Content)), 150)
	require.Equal(t, notify.DeepLink(testTeamsAppID, ring[0].ID), body.Topic.WebURL)

	// Nothing left to deliver, nothing dead.
	n, err := p.deliverer.DeliverPending(ctx)
	require.NoError(t, err)
	require.Zero(t, n)
	for _, tenant := range []string{"tenant-a", "tenant-b"} {
		dl, err := p.deliverer.DeadLetters(ctx, tenant)
		require.NoError(t, err)
		require.Empty(t, dl)
	}
	// Syncing again finds nothing.
	res, err := p.syncer.Sync(ctx)
	require.NoError(t, err)
	require.Empty(t, res.Events)
	require.Zero(t, res.Sources[0].Steps)
}

func allEvents(cs []commitEvents) []notify.Event {
	var out []notify.Event
	for _, c := range cs {
		out = append(out, c.Events...)
	}
	return out
}

func requireChange(t *testing.T, ev notify.Event, field string, kind attestation.ChangeKind, old, new string) {
	t.Helper()
	for _, c := range ev.Changes {
		if c.Field == field {
			require.Equal(t, kind, c.Kind, field)
			require.Equal(t, old, c.Old, field)
			require.Equal(t, new, c.New, field)
			return
		}
	}
	require.Failf(t, "change not found", "%s in event %s (%s)", field, ev.ID, ev.Summary)
}

func requestsFor(t *testing.T, reqs []notifytest.Request, chainID int64, tenantID string) []notifytest.Request {
	t.Helper()
	var out []notifytest.Request
	for _, r := range reqs {
		var b struct {
			ChainID int64 `json:"chainId"`
		}
		require.NoError(t, json.Unmarshal(r.Body, &b))
		if b.ChainID == chainID && r.TenantID == tenantID {
			out = append(out, r)
		}
	}
	return out
}

// checkDeliveredOnce checks that every subscriber of every alerted event
// got exactly one notification, and nobody else got any.
func checkDeliveredOnce(t *testing.T, feed *notifytest.ActivitySender, events []notify.Event, subs *notify.Subscriptions) {
	t.Helper()
	want := map[string]int{}
	for _, ev := range events {
		if ev.State == notify.StateConfirmation {
			continue
		}
		recips, err := subs.Subscribers(t.Context(), ev)
		require.NoError(t, err)
		for _, r := range recips {
			for _, u := range r.Users {
				want[r.TenantID+"/"+u.AADObjectID+"#"+jsonInt(ev.ChainID())]++
			}
		}
	}
	requireSameDeliveries(t, want, feed.Recipients())
}

func jsonInt(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}
