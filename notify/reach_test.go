package notify_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/notify"
	"github.com/attestbot/attestbot/notify/notifytest"
	"github.com/attestbot/attestbot/store"
)

// Finding 3 of issue 10: whether an alert can reach a subscriber, so that
// the subscription card can say when it cannot.
func TestDeliverer_Reachable(t *testing.T) {
	ctx := ctxT(t)
	st := openBolt(t, true)
	clock := notifytest.NewClock(time.Date(2022, 8, 1, 0, 0, 0, 0, time.UTC))
	base := notify.DelivererConfig{
		Outbox: store.NewOutbox[notify.Message](st, store.OutboxOptions{Now: clock.Now}), Delivered: store.NewDeliveredLog(st, clock.Now), KV: st,
		Proactive: &notifytest.ProactiveSender{}, Cards: notifytest.SimpleCards, Conversations: st,
		TeamsAppID: testTeamsAppID, Clock: clock, Logger: quietLogger(),
	}
	local := base
	local.Mode = notify.ModeLocal
	dl, err := notify.NewDeliverer(local)
	require.NoError(t, err)
	graph := base
	graph.Mode, graph.Activity = notify.ModeGraph, &errSender{}
	dg, err := notify.NewDeliverer(graph)
	require.NoError(t, err)

	u := notify.User{TenantID: "tenant-a", ID: "aad-1", AADObjectID: "aad-1"}
	tests := []struct {
		name   string
		given  func()
		d      *notify.Deliverer
		user   notify.User
		expect bool
	}{
		{name: "nok, local mode without a stored chat", d: dl, user: u},
		{name: "ok, local mode with the user's chat", d: dl, user: u, given: func() {
			require.NoError(t, st.PutConversation(ctx, store.ConversationRef{TenantID: "tenant-a", UserID: "aad-1", ConversationID: "a:1", ServiceURL: "http://127.0.0.1:1/"}))
		}, expect: true},
		{name: "nok, local mode, same user in another tenant", d: dl, user: notify.User{TenantID: "tenant-b", ID: "aad-1", AADObjectID: "aad-1"}},
		{name: "ok, graph mode: the activity feed", d: dg, user: notify.User{TenantID: "tenant-b", ID: "aad-2", AADObjectID: "aad-2"}, expect: true},
		{name: "nok, graph mode without an Entra object ID", d: dg, user: notify.User{TenantID: "tenant-b", ID: "29:x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.given != nil {
				tt.given()
			}
			got, err := tt.d.Reachable(ctx, tt.user)
			require.NoError(t, err)
			require.Equal(t, tt.expect, got)
		})
	}
}
