package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/bot/schema"
)

func TestMemoryDeduper(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	d := NewMemoryDeduper()
	d.now = func() time.Time { return now }
	ctx := t.Context()
	first, err := d.MarkSeen(ctx, "k", time.Minute)
	require.NoError(t, err)
	require.True(t, first)
	first, _ = d.MarkSeen(ctx, "k", time.Minute)
	require.False(t, first)
	now = now.Add(time.Minute)
	first, _ = d.MarkSeen(ctx, "k", time.Minute)
	require.True(t, first, "expired keys are new again")
}

func TestMemoryDeduper_Bounded(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	d := NewMemoryDeduper()
	d.now = func() time.Time { return now }
	d.max = 10
	for i := range 25 {
		now = now.Add(time.Second)
		first, err := d.MarkSeen(t.Context(), fmt.Sprint(i), time.Hour)
		require.NoError(t, err)
		require.True(t, first)
		require.LessOrEqual(t, len(d.seen), 10)
	}
	first, _ := d.MarkSeen(t.Context(), "24", time.Hour)
	require.False(t, first, "the newest key survives eviction")
}

func TestPool_BoundedAndClosed(t *testing.T) {
	p := newPool(1)
	hold := make(chan struct{})
	require.NoError(t, p.Go(t.Context(), func() { <-hold }))
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	require.ErrorIs(t, p.Go(ctx, func() {}), context.Canceled, "no free slot")
	close(hold)
	require.NoError(t, p.Close(t.Context()))
	require.ErrorIs(t, p.Go(t.Context(), func() {}), errPoolClosed)
}

func TestTurn_Reply(t *testing.T) {
	conn := newFakeConn()
	in := fixtureActivity(t, "channel-message-with-mention.json")
	turn := NewTurn(in, conn, nil)
	require.Equal(t, playgroundTen, turn.TenantID())
	require.Equal(t, "hi channel", turn.Text())

	_, err := turn.Reply(t.Context(), "pong")
	require.NoError(t, err)
	c := conn.next(t)
	require.Equal(t, "reply", c.Op)
	require.Equal(t, in.ServiceURL, c.ServiceURL)
	require.Equal(t, "team-id;messageid=1795782527901", c.ConversationID)
	require.Equal(t, in.ID, c.ActivityID)
	require.Equal(t, playgroundBot, c.Activity.From.ID)
	require.Equal(t, "user-id-0", c.Activity.Recipient.ID)

	noID := *in
	noID.ID = ""
	_, err = NewTurn(&noID, conn, nil).Reply(t.Context(), "x")
	require.NoError(t, err)
	require.Equal(t, "send", conn.next(t).Op, "no id to reply to: sent to the conversation")

	_, err = NewTurn(in, nil, nil).Reply(t.Context(), "x")
	require.ErrorIs(t, err, ErrNoConnector)
}

func TestConversationRefFromActivity(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		give     *schema.Activity
		expectOK bool
		expectID string
	}{
		{name: "ok, personal install", give: fixtureActivity(t, "installationUpdate.json"), expectOK: true, expectID: playgroundUser},
		{name: "nok, channel", give: fixtureActivity(t, "channel-message-with-mention.json")},
		{name: "nok, nil", give: nil},
		{name: "nok, no aad id: no from.id fallback", give: func() *schema.Activity {
			a := fixtureActivity(t, "installationUpdate.json")
			a.From = &schema.ChannelAccount{ID: "29:u"}
			return a
		}()},
		{name: "nok, not msteams", give: func() *schema.Activity {
			a := fixtureActivity(t, "installationUpdate.json")
			a.ChannelID = "webchat"
			return a
		}()},
		{name: "nok, no tenant", give: func() *schema.Activity {
			a := fixtureActivity(t, "installationUpdate.json")
			a.ChannelData = json.RawMessage(`{}`)
			a.Conversation.TenantID = ""
			return a
		}()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ref, ok := ConversationRefFromActivity(tt.give, now)
			require.Equal(t, tt.expectOK, ok)
			require.Equal(t, tt.expectID, ref.UserID)
		})
	}
}

func TestConfigDefaults(t *testing.T) {
	c := Config{}.withDefaults()
	require.Equal(t, DefaultListenAddr, c.ListenAddr)
	require.Equal(t, int64(256<<10), c.MaxBodyBytes)
	require.Equal(t, 4500*time.Millisecond, c.InvokeTimeout)
	require.NotEmpty(t, c.TrustedServiceURLs)
	require.True(t, c.LocalMode())
	require.False(t, Config{AppID: "x"}.LocalMode())
}
