package notify_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/internal/redistest"
	"github.com/attestbot/attestbot/notify"
	"github.com/attestbot/attestbot/notify/notifytest"
	"github.com/attestbot/attestbot/store"
)

// TestSync_FirstLocaleShiftedNoAlert syncs three locales of a sample page
// to a new source hash where the first source synced is the shifted one
// (its HIPAA cell reads otherwise than in the other locales): its change
// event is planned before the siblings arrive to outvote it. The vote of
// the next locale settles the stored page, and the pending event is
// re-planned and dropped before the pass dispatches: no subscriber gets
// the false alert, on bbolt and on Redis, with and without second-locale
// confirmation; with it, also when the siblings come a pass later. The
// same shifted page synced alone does alert, and a real change in every
// locale still does.
func TestSync_FirstLocaleShiftedNoAlert(t *testing.T) {
	fr := samplePage(t, "fr-FR/teams/plumm-health-ltd.md")
	de := samplePage(t, "de-DE/teams/plumm-health-ltd.md")
	ja := samplePage(t, "ja-JP/teams/plumm-health-ltd.md")
	hipaa := map[string][2]string{
		"fr": {"Accounting Act) ? | Oui |", "Accounting Act) ? | Non |"},
		"de": {"(HIPAA)? | Ja |", "(HIPAA)? | Nein |"},
		"ja": {"(HIPAA) に準拠していますか? | はい |", "(HIPAA) に準拠していますか? | いいえ |"},
	}
	flip := func(t *testing.T, page []byte, loc string) []byte {
		t.Helper()
		yes, no := hipaa[loc][0], hipaa[loc][1]
		require.Contains(t, string(page), yes, loc)
		return bytes.Replace(page, []byte(yes), []byte(no), 1)
	}
	stores := map[string]func(t *testing.T) store.Store{
		"bbolt": func(t *testing.T) store.Store { return openBolt(t, true) },
		"redis": func(t *testing.T) store.Store { return openRedis(t, redistest.Start(t)) },
	}
	const h2 = "0123456789abcdef0123456789abcdef01234567"
	day := func(d int) time.Time { return time.Date(2022, 3, d, 0, 0, 0, 0, time.UTC) }
	for _, name := range []string{"bbolt", "redis"} {
		for _, confirm := range []bool{false, true} {
			t.Run(name+map[bool]string{false: "", true: "/confirm"}[confirm], func(t *testing.T) {
				ctx := ctxT(t)
				st := stores[name](t)
				frRepo, deRepo, jaRepo := newRepo(t), newRepo(t), newRepo(t)
				p := newPipeline(t, st, pipelineOpts{
					specs:   []string{"git+file://" + frRepo.dir + "#:Apps", "git+file://" + deRepo.dir + "#:Apps", "git+file://" + jaRepo.dir + "#:Apps"},
					clock:   notifytest.NewClock(day(1)),
					confirm: confirm,
				})
				u := notify.User{TenantID: "tenant-a", ID: "29:u", AADObjectID: "aad-u"}
				_, err := p.subs.Subscribe(ctx, u, "plumm-health-ltd")
				require.NoError(t, err)
				sync := func() notify.SyncResult {
					t.Helper()
					res, err := p.syncer.Sync(ctx)
					require.NoError(t, err)
					_, err = p.deliverer.DeliverPending(ctx)
					require.NoError(t, err)
					return res
				}
				frRepo.commit("fr", day(1), map[string][]byte{plummPath: fr})
				deRepo.commit("de", day(1), map[string][]byte{plummPath: de})
				jaRepo.commit("ja", day(1), map[string][]byte{plummPath: ja})
				sync()

				// fr-FR, synced first, reaches the new hash shifted.
				frRepo.commit("fr", day(2), map[string][]byte{plummPath: rehash(t, flip(t, fr, "fr"), h2)})
				deRepo.commit("de", day(2), map[string][]byte{plummPath: rehash(t, de, h2)})
				jaRepo.commit("ja", day(2), map[string][]byte{plummPath: rehash(t, ja, h2)})
				res := sync()
				require.Equal(t, 1, res.Sources[0].Events, "the shifted locale raised its change first")
				require.Empty(t, res.Events, "the vote re-planned it away")
				require.Empty(t, p.feed.Requests(), "no subscriber gets the false alert")
				hist, err := p.syncer.History(ctx, "plumm-health-ltd")
				require.NoError(t, err)
				require.Empty(t, hist)
				got, err := st.GetRecord(ctx, "fr-FR/"+plummPath)
				require.NoError(t, err)
				a, ok := got.Answer("comp.hipaa")
				require.True(t, ok)
				require.Equal(t, attestation.ValueUnknown, a.Value, "the stored page is settled too")
				for _, loc := range []string{"de-DE", "ja-JP"} {
					got, err := st.GetRecord(ctx, loc+"/"+plummPath)
					require.NoError(t, err)
					a, _ := got.Answer("comp.hipaa")
					require.Equal(t, attestation.ValueYes, a.Value, "%s reads yes, as an import of the three gives", loc)
				}

				// A real change, in every locale, still alerts.
				const h3 = "89abcdef0123456789abcdef0123456789abcdef"
				frRepo.commit("fr", day(3), map[string][]byte{plummPath: rehash(t, flip(t, fr, "fr"), h3)})
				deRepo.commit("de", day(3), map[string][]byte{plummPath: rehash(t, flip(t, de, "de"), h3)})
				jaRepo.commit("ja", day(3), map[string][]byte{plummPath: rehash(t, flip(t, ja, "ja"), h3)})
				res = sync()
				require.NotEmpty(t, res.Events)
				require.NotEmpty(t, p.feed.Requests(), "the real change is alerted")
				hist, err = p.syncer.History(ctx, "plumm-health-ltd")
				require.NoError(t, err)
				require.NotEmpty(t, hist)
				for _, ev := range hist {
					require.Contains(t, fieldsOf(ev), "comp.hipaa")
				}
			})
		}
	}

	// With second-locale confirmation the shifted locale's event waits
	// across passes: its siblings arrive a pass later and outvote it.
	t.Run("siblings a pass later", func(t *testing.T) {
		ctx := ctxT(t)
		st := openBolt(t, true)
		frRepo, deRepo, jaRepo := newRepo(t), newRepo(t), newRepo(t)
		p := newPipeline(t, st, pipelineOpts{
			specs:   []string{"git+file://" + frRepo.dir + "#:Apps", "git+file://" + deRepo.dir + "#:Apps", "git+file://" + jaRepo.dir + "#:Apps"},
			clock:   notifytest.NewClock(day(1)),
			confirm: true,
		})
		u := notify.User{TenantID: "tenant-a", ID: "29:u", AADObjectID: "aad-u"}
		_, err := p.subs.Subscribe(ctx, u, "plumm-health-ltd")
		require.NoError(t, err)
		sync := func() notify.SyncResult {
			t.Helper()
			res, err := p.syncer.Sync(ctx)
			require.NoError(t, err)
			_, err = p.deliverer.DeliverPending(ctx)
			require.NoError(t, err)
			return res
		}
		frRepo.commit("fr", day(1), map[string][]byte{plummPath: fr})
		deRepo.commit("de", day(1), map[string][]byte{plummPath: de})
		jaRepo.commit("ja", day(1), map[string][]byte{plummPath: ja})
		sync()
		frRepo.commit("fr", day(2), map[string][]byte{plummPath: rehash(t, flip(t, fr, "fr"), h2)})
		res := sync()
		require.Len(t, res.Events, 1)
		require.Equal(t, notify.StateAwaiting, res.Events[0].State)
		deRepo.commit("de", day(3), map[string][]byte{plummPath: rehash(t, de, h2)})
		jaRepo.commit("ja", day(3), map[string][]byte{plummPath: rehash(t, ja, h2)})
		sync()
		require.Empty(t, p.feed.Requests(), "no subscriber gets the false alert")
		hist, err := p.syncer.History(ctx, "plumm-health-ltd")
		require.NoError(t, err)
		require.Empty(t, hist, "the awaiting event was dropped")
	})

	// The same shifted page with no other locale to outvote it alerts.
	t.Run("alone", func(t *testing.T) {
		ctx := ctxT(t)
		st := openBolt(t, true)
		repo := newRepo(t)
		p := newPipeline(t, st, pipelineOpts{specs: []string{"git+file://" + repo.dir + "#:Apps"}, clock: notifytest.NewClock(day(1))})
		u := notify.User{TenantID: "tenant-a", ID: "29:u", AADObjectID: "aad-u"}
		_, err := p.subs.Subscribe(ctx, u, "plumm-health-ltd")
		require.NoError(t, err)
		repo.commit("fr", day(1), map[string][]byte{plummPath: fr})
		_, err = p.syncer.Sync(ctx)
		require.NoError(t, err)
		repo.commit("fr", day(2), map[string][]byte{plummPath: rehash(t, flip(t, fr, "fr"), h2)})
		res, err := p.syncer.Sync(ctx)
		require.NoError(t, err)
		require.Len(t, res.Events, 1)
		require.Contains(t, fieldsOf(res.Events[0]), "comp.hipaa")
		_, err = p.deliverer.DeliverPending(ctx)
		require.NoError(t, err)
		require.NotEmpty(t, p.feed.Requests())
	})
}

// fieldsOf lists the fields an event changes.
func fieldsOf(ev notify.Event) []string {
	var out []string
	for _, c := range ev.Changes {
		out = append(out, c.Field)
	}
	return out
}
