package notify_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/l10n"
	"github.com/attestbot/attestbot/l10n/l10ntest"
	"github.com/attestbot/attestbot/notify"
	"github.com/attestbot/attestbot/notify/notifytest"
	"github.com/attestbot/attestbot/store"
)

// localeEvent is an app event with a claim withdrawn and a new
// application permission.
func localeEvent() notify.Event {
	changes := []attestation.Change{
		{Field: "comp.hipaa", Kind: attestation.ChangeChanged, Old: "yes", New: "no", Label: "HIPAA"},
		{Field: attestation.FieldPermissionPrefix + "Mail.Read", Kind: attestation.ChangeAdded, New: "application"},
		{Field: "data.stores_customer_data", Kind: attestation.ChangeChanged, Old: "no", New: "yes", Label: "Do you store customer data?"},
	}
	return notify.Event{ID: "0000000000000000000fe0d", Kind: notify.EventApp, Apps: []string{"plumm-health-ltd"}, AppName: "Plumm",
		Changes: changes, Summary: attestation.Summary(changes)}
}

// TestSubscriptions_KeepLanguage stores the language a user subscribed in
// and gives it back with the event's subscribers; a subscription without
// one (made before languages were kept) is stored as before and reads
// English.
func TestSubscriptions_KeepLanguage(t *testing.T) {
	ctx := ctxT(t)
	st := openBolt(t, true)
	subs := notify.NewSubscriptions(st, st, nil)
	fr := notify.User{TenantID: "tenant-a", ID: "29:fr", AADObjectID: "aad-fr", Locale: "fr-FR"}
	old := notify.User{TenantID: "tenant-a", ID: "29:old", AADObjectID: "aad-old"}
	for _, u := range []notify.User{fr, old} {
		_, err := subs.Subscribe(ctx, u, "plumm-health-ltd")
		require.NoError(t, err)
	}
	raw, err := json.Marshal(notify.Subscription{User: old, Kind: notify.TargetApp, Target: "plumm-health-ltd"})
	require.NoError(t, err)
	require.NotContains(t, string(raw), "locale", "a subscription without a language is stored as before")
	rs, err := subs.Subscribers(ctx, localeEvent())
	require.NoError(t, err)
	require.Len(t, rs, 1)
	require.Equal(t, []notify.User{fr, old}, rs[0].Users)
	require.Equal(t, l10n.English, l10n.Match(rs[0].Users[1].Locale))
}

// TestDeliverer_FeedInSubscriberLanguage sends each subscriber the
// activity feed notification in the language they subscribed in: the
// topic, preview text and {summary} template parameter.
func TestDeliverer_FeedInSubscriberLanguage(t *testing.T) {
	for _, activityType := range []string{"recordChanged", notify.DefaultActivityType} {
		t.Run(activityType, func(t *testing.T) {
			ctx := ctxT(t)
			st := openBolt(t, true)
			clock := notifytest.NewClock(time.Date(2022, 8, 1, 0, 0, 0, 0, time.UTC))
			sender := &notifytest.ActivitySender{}
			outbox := store.NewOutbox[notify.Message](st, store.OutboxOptions{Now: clock.Now})
			d, err := notify.NewDeliverer(notify.DelivererConfig{
				Outbox: outbox, Delivered: store.NewDeliveredLog(st, clock.Now), KV: st, ActivityType: activityType,
				Activity: sender, TeamsAppID: testTeamsAppID, MaxAttempts: 3, Clock: clock, Logger: quietLogger(),
				Jitter: func() float64 { return 0 },
			})
			require.NoError(t, err)
			r := notify.Recipient{TenantID: "tenant-a", Users: []notify.User{
				{TenantID: "tenant-a", ID: "29:de", AADObjectID: "aad-de", Locale: "de-CH"},
				{TenantID: "tenant-a", ID: "29:en", AADObjectID: "aad-en"},
				{TenantID: "tenant-a", ID: "29:fr1", AADObjectID: "aad-fr1", Locale: "fr-FR"},
				{TenantID: "tenant-a", ID: "29:fr2", AADObjectID: "aad-fr2", Locale: "fr-CA"},
				{TenantID: "tenant-a", ID: "29:ja", AADObjectID: "aad-ja", Locale: "ja-JP"},
			}}
			require.NoError(t, outbox.Enqueue(ctx, notify.Messages(localeEvent(), []notify.Recipient{r}, clock.Now())...))
			_, err = d.DeliverPending(ctx)
			require.NoError(t, err)
			texts := map[string]string{} // body text by recipient
			for _, req := range sender.Requests() {
				body := string(req.Body)
				for _, id := range []string{"aad-de", "aad-en", "aad-fr1", "aad-fr2", "aad-ja"} {
					if strings.Contains(req.Path, id) || strings.Contains(body, id) {
						require.NotContains(t, texts, id, "one notification a user")
						texts[id] = body
					}
				}
			}
			require.Len(t, texts, 5)
			require.Equal(t, 4, len(sender.Requests()), "the two French subscribers share one bulk request")
			for id, want := range map[string][]string{
				"aad-en":  {"Plumm: HIPAA: Yes → No; new application permission Mail.Read; Stores customer data: No → Yes"},
				"aad-fr1": {"Plumm : HIPAA : Oui → Non ; nouvelle autorisation Mail.Read (application) ; Stocke des données client : Non → Oui"},
				"aad-fr2": {"nouvelle autorisation Mail.Read (application)"},
				"aad-de":  {"Plumm: HIPAA: Ja → Nein; neue Berechtigung Mail.Read (Anwendung); Speichert Kundendaten: Nein → Ja"},
				"aad-ja":  {"Plumm: HIPAA: はい → いいえ、新しいアクセス許可 Mail.Read (アプリケーション)"},
			} {
				for _, w := range want {
					require.Contains(t, texts[id], w, id)
				}
			}
			if activityType == notify.DefaultActivityType {
				require.Contains(t, texts["aad-fr1"], "Plumm : le dossier de conformité a changé")
				require.Contains(t, texts["aad-en"], "Plumm: compliance record changed")
			}
		})
	}
}

// TestEventTexts_Bulk writes a change made to many apps once, in each
// language, and every catalog language writes a summary of its own.
func TestEventTexts_Bulk(t *testing.T) {
	ev := notify.Event{Kind: notify.EventBulk, Apps: []string{"a", "b", "c"},
		Changes: []attestation.Change{{Field: "data.stores_customer_data", Kind: attestation.ChangeWithdrawn, Old: "yes"}}}
	title, summary := notify.EventTexts(ev, l10n.Default())
	require.Equal(t, "3 apps", title)
	require.Equal(t, "Stores customer data: withdrawn in 3 apps", summary)
	title, summary = notify.EventTexts(ev, l10n.For("ru-RU"))
	require.Equal(t, "3 приложения", title)
	require.Equal(t, "Хранит данные клиентов: отозвано в 3 приложениях", summary)
	seen := map[string]string{}
	for _, locale := range l10n.Locales {
		_, s := notify.EventTexts(localeEvent(), l10n.For(locale))
		require.NotContains(t, s, "{{", locale)
		require.NotContains(t, seen, s, "%s writes the summary of %s", locale, seen[s])
		seen[s] = locale
	}
}

// TestNotificationInEachLanguage builds the activity feed notification of
// an app event, a page removal and a bulk event for a subscriber of each
// catalog language: the topic, preview and the recordChanged template's
// parameters ({appName}, {summary}, filled into the manifest's localized
// template) hold no English catalog text.
func TestNotificationInEachLanguage(t *testing.T) {
	st := openBolt(t, true)
	clock := notifytest.NewClock(time.Date(2022, 8, 1, 0, 0, 0, 0, time.UTC))
	d, err := notify.NewDeliverer(notify.DelivererConfig{
		Outbox: store.NewOutbox[notify.Message](st, store.OutboxOptions{Now: clock.Now}), Delivered: store.NewDeliveredLog(st, clock.Now), KV: st,
		ActivityType: "recordChanged", Activity: &notifytest.ActivitySender{}, TeamsAppID: testTeamsAppID, Clock: clock, Logger: quietLogger(),
	})
	require.NoError(t, err)
	removed := []attestation.Change{{Field: attestation.FieldPage, Kind: attestation.ChangeRemoved, Old: "teams/plumm.md", Label: "Page"}}
	bulk := []attestation.Change{{Field: attestation.FieldPermissionPrefix + "Files.Read.All", Kind: attestation.ChangeAdded, New: "delegated"}}
	events := []notify.Event{
		localeEvent(),
		{ID: "0000000000000000000fe0e", Kind: notify.EventApp, Apps: []string{"plumm-health-ltd"}, AppName: "Plumm", Changes: removed, Summary: attestation.Summary(removed)},
		{ID: "0000000000000000000fe0f", Kind: notify.EventBulk, Apps: []string{"a", "b", "c"}, Changes: bulk, Summary: attestation.Summary(bulk)},
	}
	for _, locale := range l10n.Locales[1:] {
		for _, ev := range events {
			n := d.Notification(ev, locale)
			raw, err := json.Marshal(n)
			require.NoError(t, err)
			require.Empty(t, l10ntest.Leaks(locale, string(raw)), "%s %s: %s", locale, ev.ID, raw)
			var names []string
			for _, p := range n.TemplateParameters {
				names = append(names, p.Name)
				require.NotEmpty(t, p.Value, "%s %s", locale, p.Name)
			}
			require.Equal(t, []string{"appName", "summary"}, names)
			require.NotEqual(t, d.Notification(ev, "en-US").PreviewText, n.PreviewText, "%s %s: the preview is translated", locale, ev.ID)
		}
	}
}
