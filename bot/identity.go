package bot

import "github.com/attestbot/attestbot/bot/schema"

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

// Identity is who sent an activity, as far as Microsoft Teams vouches for
// it. It is the one source of tenant and user identity for authorization
// (tenant allowlist, admin checks, subscriptions, conversation references).
type Identity struct {
	// TenantID is the user's Entra tenant: channelData.tenant.id and
	// conversation.tenantId of a Teams activity. Empty when the activity
	// is not from Teams or the two disagree.
	TenantID string
	// UserID is the user's Entra object ID: from.aadObjectId of a Teams
	// activity, never from.id. Empty when absent.
	UserID string
	// ChannelUserID is the bot-specific channel user ID ("29:..."), used to
	// address the user, never to authorize.
	ChannelUserID string
	// Name is the user's display name, when known.
	Name string
}

// Known reports whether both the tenant and the user are known.
func (i Identity) Known() bool { return i.TenantID != "" && i.UserID != "" }

// IdentityOf returns the identity of the sender of a. Only an msteams
// activity has one: its tenant from channelData.tenant.id and
// conversation.tenantId (which must agree when both are set), its user from
// from.aadObjectId. There is no from.id fallback, in local mode either: a
// channel user ID is not an Entra identity.
func IdentityOf(a *schema.Activity) Identity {
	if a == nil || a.ChannelID != ChannelMSTeams {
		return Identity{}
	}
	var id Identity
	if a.From != nil {
		id.UserID = a.From.AADObjectID
		id.ChannelUserID = a.From.ID
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
