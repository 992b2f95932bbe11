package notify_test

import (
	"bytes"
	"fmt"
	"io/fs"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/notify"
	"github.com/attestbot/attestbot/notify/notifytest"
	"github.com/attestbot/attestbot/sample"
)

func historyPage(t testing.TB, slug, rev string) []byte {
	t.Helper()
	matches, err := fs.Glob(sample.FS(), "history/fr-FR/"+slug+"/*_"+rev+".md")
	require.NoError(t, err)
	require.Len(t, matches, 1)
	b, err := fs.ReadFile(sample.FS(), matches[0])
	require.NoError(t, err)
	return b
}

// TestSync_BulkBackfill_OneEventPerKey commits the same source-side
// backfill (plumm d738f23d → ab1574e9) for 12 apps in one commit: it must
// yield one event per (commit, key) listing the apps, not 12 app events.
func TestSync_BulkBackfill_OneEventPerKey(t *testing.T) {
	ctx := ctxT(t)
	repo := newRepo(t)
	st := openBolt(t, true)
	clock := notifytest.NewClock(time.Date(2022, 8, 1, 0, 0, 0, 0, time.UTC))
	p := newPipeline(t, st, pipelineOpts{specs: []string{"git+file://" + repo.dir + "#:Apps"}, clock: clock})
	u := notify.User{TenantID: "tenant-a", ID: "29:u", AADObjectID: "aad-u"}
	_, err := p.subs.Subscribe(ctx, u, "bulk-app-03")
	require.NoError(t, err)

	before, after := historyPage(t, "plumm-health-ltd", "d738f23d"), historyPage(t, "plumm-health-ltd", "ab1574e9")
	files := func(page []byte) map[string][]byte {
		m := map[string][]byte{}
		for i := range 12 {
			m[fmt.Sprintf("Apps/teams/bulk-app-%02d.md", i)] = page
		}
		return m
	}
	repo.commit("baseline", time.Date(2022, 3, 1, 0, 0, 0, 0, time.UTC), files(before))
	_, err = p.syncer.Sync(ctx)
	require.NoError(t, err)

	changed := files(after)
	// One app also gets a change of its own, outside the backfill.
	const dateLine = "Last updated by the developer on: August 18, 2021"
	require.True(t, bytes.Contains(after, []byte(dateLine)), "the date line must exist")
	changed["Apps/teams/bulk-app-03.md"] = bytes.Replace(after, []byte(dateLine), []byte("Last updated by the developer on: March 1, 2022"), 1)
	repo.commit("commit translated contents", time.Date(2022, 3, 20, 0, 0, 0, 0, time.UTC), changed)
	res, err := p.syncer.Sync(ctx)
	require.NoError(t, err)

	var bulk, apps []notify.Event
	for _, ev := range res.Events {
		if ev.Kind == notify.EventBulk {
			bulk = append(bulk, ev)
		} else {
			apps = append(apps, ev)
		}
	}
	require.Len(t, bulk, 4, "app info URL, cloud providers, retention, stores customer data")
	for _, ev := range bulk {
		require.Len(t, ev.Apps, 12)
		require.Len(t, ev.Changes, 12)
	}
	fields := make([]string, len(bulk))
	for i, ev := range bulk {
		fields[i] = ev.Field
	}
	require.Equal(t, []string{"data.retention_after_termination", "data.stores_customer_data", "gen.app_info_page_url", "gen.hosting_cloud_providers"}, fields)
	require.Equal(t, attestation.ChangeWithdrawn, bulk[1].ChangeKind)
	require.Equal(t, "Stores customer data: withdrawn in 12 apps", bulk[1].Summary)
	require.Len(t, apps, 1, "only the app with its own change gets an app event")
	require.Equal(t, []string{"bulk-app-03"}, apps[0].Apps)
	requireChange(t, apps[0], attestation.FieldUpdated, attestation.ChangeChanged, "2021-08-18", "2022-03-01")

	_, err = p.deliverer.DeliverPending(ctx)
	require.NoError(t, err)
	require.Len(t, p.feed.Requests(), 5, "the subscriber of bulk-app-03 gets the 4 bulk events and its own")
	checkDeliveredOnce(t, p.feed, res.Events, p.subs)
}

// TestSync_SecondLocaleConfirmation syncs two locales of the same page:
// an alert waits for the second locale at the same source hash, goes out
// once when confirmed, and goes out anyway after the timeout.
func TestSync_SecondLocaleConfirmation(t *testing.T) {
	ctx := ctxT(t)
	fr, de := newRepo(t), newRepo(t)
	st := openBolt(t, true)
	clock := notifytest.NewClock(time.Date(2022, 8, 1, 0, 0, 0, 0, time.UTC))
	p := newPipeline(t, st, pipelineOpts{
		specs: []string{"git+file://" + fr.dir + "#:Apps", "git+file://" + de.dir + "#:Apps"}, clock: clock, confirm: true,
	})
	u := notify.User{TenantID: "tenant-a", ID: "29:u", AADObjectID: "aad-u"}
	_, err := p.subs.Subscribe(ctx, u, "plumm-health-ltd")
	require.NoError(t, err)
	page := func(rev, locale string) map[string][]byte {
		b := bytes.Replace(historyPage(t, "plumm-health-ltd", rev), []byte("ms.contentlocale: fr-FR"), []byte("ms.contentlocale: "+locale), 1)
		return map[string][]byte{"Apps/teams/plumm-health-ltd.md": b}
	}
	day := func(d int) time.Time { return time.Date(2022, 3, d, 0, 0, 0, 0, time.UTC) }
	sync := func() notify.SyncResult {
		t.Helper()
		res, err := p.syncer.Sync(ctx)
		require.NoError(t, err)
		_, err = p.deliverer.DeliverPending(ctx)
		require.NoError(t, err)
		return res
	}
	fr.commit("fr baseline", day(1), page("d738f23d", "fr-FR"))
	de.commit("de baseline", day(1), page("d738f23d", "de-DE"))
	sync()

	// fr-FR changes first: the alert waits.
	fr.commit("fr change", day(20), page("ab1574e9", "fr-FR"))
	res := sync()
	require.Len(t, res.Events, 1)
	require.Equal(t, notify.StateAwaiting, res.Events[0].State)
	require.Empty(t, p.feed.Requests(), "not confirmed yet")

	// de-DE reaches the same hash: the fr-FR alert goes out, once.
	de.commit("de change", day(21), page("ab1574e9", "de-DE"))
	res = sync()
	require.Len(t, res.Events, 1)
	require.Equal(t, notify.StateConfirmation, res.Events[0].State)
	require.Len(t, p.feed.Requests(), 1)
	hist, err := p.syncer.History(ctx, "plumm-health-ltd")
	require.NoError(t, err)
	require.Len(t, hist, 1)
	require.Equal(t, "fr-FR", hist[0].Locale)
	require.Equal(t, "de-DE", hist[0].ConfirmedBy)

	// fr-FR changes again and de-DE stays behind: after the timeout the
	// alert goes out anyway; when de-DE catches up, nothing more.
	fr.commit("fr change 2", day(22), page("2f1bd999", "fr-FR"))
	sync()
	require.Len(t, p.feed.Requests(), 1)
	clock.Advance(2 * time.Hour)
	sync()
	require.Len(t, p.feed.Requests(), 2)
	de.commit("de change 2", day(23), page("2f1bd999", "de-DE"))
	res = sync()
	require.Len(t, res.Events, 1)
	require.Equal(t, notify.StateConfirmation, res.Events[0].State)
	require.Len(t, p.feed.Requests(), 2)
	hist, err = p.syncer.History(ctx, "plumm-health-ltd")
	require.NoError(t, err)
	require.Len(t, hist, 2)
	require.Equal(t, "timeout", hist[0].ConfirmedBy)
}

// TestSync_ConfirmationOffWithOneLocale checks that confirmation needs two
// locales.
func TestSync_ConfirmationOffWithOneLocale(t *testing.T) {
	ctx := ctxT(t)
	fr := newRepo(t)
	st := openBolt(t, true)
	p := newPipeline(t, st, pipelineOpts{specs: []string{"git+file://" + fr.dir + "#:Apps"}, confirm: true})
	fr.commit("baseline", time.Date(2022, 3, 1, 0, 0, 0, 0, time.UTC), map[string][]byte{"Apps/teams/plumm-health-ltd.md": historyPage(t, "plumm-health-ltd", "d738f23d")})
	_, err := p.syncer.Sync(ctx)
	require.NoError(t, err)
	fr.commit("change", time.Date(2022, 3, 20, 0, 0, 0, 0, time.UTC), map[string][]byte{"Apps/teams/plumm-health-ltd.md": historyPage(t, "plumm-health-ltd", "ab1574e9")})
	res, err := p.syncer.Sync(ctx)
	require.NoError(t, err)
	require.Len(t, res.Events, 1)
	require.Equal(t, notify.StateReady, res.Events[0].State)
	require.Empty(t, res.Events[0].ConfirmKey)
}
