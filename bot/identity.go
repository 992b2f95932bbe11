package bot

import (
	"github.com/attestbot/attestbot/bot/schema"
	"github.com/attestbot/attestbot/store"
)

// Channel IDs the bot serves.
const (
	// ChannelMSTeams is Microsoft Teams (and the Agents Playground, which
	// plays Teams): the only channel served when inbound auth is on.
	ChannelMSTeams = "msteams"
	// ChannelEmulator is the Bot Framework Emulator, also served in local
	// mode. Its activities carry no identity Teams vouches for.
	ChannelEmulator = "emulator"
)

// servedChannel reports whether activities of channelID are served: only
// Teams, plus the emulator in local mode. Any other channel (Direct Line,
// Web Chat...) lets its client write the tenant and user it likes, so it
// is refused like a bad token.
func servedChannel(channelID string, local bool) bool {
	return channelID == ChannelMSTeams || (local && channelID == ChannelEmulator)
}

// IdentityOf returns who sent a, as far as Microsoft Teams vouches for it:
// the one source of tenant and user identity for authorization (tenant
// allowlist, admin checks, subscriptions, conversation references). Only
// an msteams activity has one: its tenant from channelData.tenant.id and
// conversation.tenantId (empty when the two disagree), its user (ID and
// AADObjectID) from from.aadObjectId, with the display name and the
// activity's locale. There is no from.id fallback, in local mode either: a
// channel user ID is not an Entra identity.
func IdentityOf(a *schema.Activity) store.User {
	if a == nil || a.ChannelID != ChannelMSTeams {
		return store.User{}
	}
	id := store.User{Locale: a.Locale}
	if a.From != nil {
		id.ID, id.AADObjectID = a.From.AADObjectID, a.From.AADObjectID
		id.Name = a.From.Name
	}
	var fromData, fromConv string
	if tenant, err := a.ChannelDataTenantID(); err == nil {
		fromData = tenant
	}
	if a.Conversation != nil {
		fromConv = a.Conversation.TenantID
	}
	switch {
	case fromData != "" && fromConv != "" && fromData != fromConv:
		// Teams sets both to the same tenant; a mismatch is not Teams.
	case fromData != "":
		id.TenantID = fromData
	default:
		id.TenantID = fromConv
	}
	return id
}
