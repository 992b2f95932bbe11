package app

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/bot"
	"github.com/attestbot/attestbot/bot/schema"
	"github.com/attestbot/attestbot/chat"
)

// Finding 1 of issue 10: who the conversation thinks it talks to comes
// from bot.IdentityOf only: a from.id equal to an admin's object ID, or
// another channel, is nobody.
func TestIdentity_OnlyWhatTeamsVouchesFor(t *testing.T) {
	const tenant, admin = "66666666-6666-4666-8666-666666666666", "55555555-5555-4555-8555-555555555555"
	mk := func(channel string, from schema.ChannelAccount) *bot.Turn {
		return bot.NewTurn(&schema.Activity{Type: "message", ChannelID: channel, From: &from,
			Conversation: &schema.ConversationAccount{ID: "a:1", ConversationType: "personal", TenantID: tenant}}, nil, nil)
	}
	tests := []struct {
		name   string
		turn   *bot.Turn
		expect chat.User
	}{
		{name: "ok, Teams user", turn: mk("msteams", schema.ChannelAccount{ID: "29:x", AADObjectID: admin, Name: "Alex"}),
			expect: chat.User{TenantID: tenant, ID: admin, AADObjectID: admin, Name: "Alex"}},
		{name: "nok, from.id is not an identity", turn: mk("msteams", schema.ChannelAccount{ID: admin}),
			expect: chat.User{TenantID: tenant}},
		{name: "nok, emulator", turn: mk("emulator", schema.ChannelAccount{ID: "29:x", AADObjectID: admin})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.expect, tt.turn.Identity())
		})
	}
}
