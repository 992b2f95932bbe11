package bot

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/bot/schema"
	"github.com/attestbot/attestbot/store"
)

// Identity comes only from what Teams vouches for (finding 1 of issue 10).
func TestIdentityOf(t *testing.T) {
	msg := func(mod func(a *schema.Activity)) *schema.Activity {
		a := fixtureActivity(t, "message.json")
		if mod != nil {
			mod(a)
		}
		return a
	}
	// teams is an identity Teams vouches for, in the fixture's locale.
	teams := func(tenant, oid, name string) store.User {
		return store.User{TenantID: tenant, ID: oid, AADObjectID: oid, Name: name, Locale: "en-US"}
	}
	tests := []struct {
		name   string
		given  *schema.Activity
		expect store.User
	}{
		{name: "ok, Teams message", given: msg(nil),
			expect: teams(playgroundTen, playgroundUser, "Alex Wilber")},
		{name: "ok, tenant from the conversation alone", given: msg(func(a *schema.Activity) { a.ChannelData = nil }),
			expect: teams(playgroundTen, playgroundUser, "Alex Wilber")},
		{name: "nok, from.id equal to an admin ID is no user", given: msg(func(a *schema.Activity) {
			a.From = &schema.ChannelAccount{ID: "11111111-1111-1111-1111-111111111111"}
		}), expect: teams(playgroundTen, "", "")},
		{name: "nok, objectId is not aadObjectId", given: msg(func(a *schema.Activity) {
			a.From = &schema.ChannelAccount{ID: "29:x", ObjectID: "11111111-1111-1111-1111-111111111111"}
		}), expect: teams(playgroundTen, "", "")},
		{name: "nok, webchat activity claiming a tenant and an admin", given: msg(func(a *schema.Activity) { a.ChannelID = "webchat" })},
		{name: "nok, emulator activity", given: msg(func(a *schema.Activity) { a.ChannelID = "emulator" })},
		{name: "nok, tenants disagree", given: msg(func(a *schema.Activity) {
			a.ChannelData = json.RawMessage(`{"tenant":{"id":"other-tenant"}}`)
		}), expect: teams("", playgroundUser, "Alex Wilber")},
		{name: "ok, unreadable channelData: the conversation's tenant", given: msg(func(a *schema.Activity) {
			a.ChannelData = json.RawMessage(`[1]`)
		}), expect: teams(playgroundTen, playgroundUser, "Alex Wilber")},
		{name: "nok, nil", given: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := IdentityOf(tt.given)
			require.Equal(t, tt.expect, got)
			if tt.given != nil {
				require.Equal(t, got, NewTurn(tt.given, nil, nil).Identity(), "the turn uses the same function")
			}
		})
	}
}
