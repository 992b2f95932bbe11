package bot

import (
	"context"
	"time"

	"github.com/attestbot/attestbot/bot/schema"
	"github.com/attestbot/attestbot/store"
)

// Authenticator validates the Authorization header of an inbound activity
// (the Bot Framework JWT, botframework.md §1); *auth.Validator implements
// it. Any error, of either step, means 401. The error
// text is logged, so it must never contain the token. An error may implement
// Reason() string to give a short snake_case metric label
// ("expired", "bad_signature", ...).
type Authenticator interface {
	// AuthenticateHeader verifies the token of the Authorization header
	// before the body is read. It returns the check of the activity the
	// token came with (channel endorsed, serviceurl claim equal to the
	// activity's serviceUrl), which the bot runs once the body is read.
	AuthenticateHeader(ctx context.Context, authHeader string) (checkActivity func(channelID, serviceURL string) error, err error)
}

// Deduper remembers activity keys so a redelivered activity is processed
// once. MarkSeen returns first=true the first time a key is seen within ttl.
type Deduper interface {
	MarkSeen(ctx context.Context, key string, ttl time.Duration) (first bool, err error)
}

// ConversationStore keeps the 1:1 conversation reference of each (tenant,
// user), for proactive messages.
type ConversationStore interface {
	PutConversation(ctx context.Context, ref ConversationRef) error
}

// ConversationRemover is optionally implemented by a ConversationStore to
// forget a reference when the user uninstalls the bot.
type ConversationRemover interface {
	DeleteConversation(ctx context.Context, tenantID, userID string) error
}

// Pinger reports whether a dependency (the store) is ready; /readyz calls it.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Connector is the Bot Connector client a turn replies through;
// *connector.Client implements it.
type Connector interface {
	ReplyToActivity(ctx context.Context, serviceURL, conversationID, activityID string, a *schema.Activity) (*schema.ResourceResponse, error)
	SendToConversation(ctx context.Context, serviceURL, conversationID string, a *schema.Activity) (*schema.ResourceResponse, error)
	GetConversationMembers(ctx context.Context, serviceURL, conversationID string) ([]schema.ChannelAccount, error)
}

// ConversationRef is the stored reference of a user's 1:1 chat with the
// bot, keyed by (TenantID, UserID): the store's type, which store.Store
// persists as it is.
type ConversationRef = store.ConversationRef

// ConversationRefFromActivity extracts the reference of a personal chat
// activity from Teams. ok is false for group chats and channels, other
// channels, or when the tenant, the user (Entra object ID) or the
// conversation is unknown.
func ConversationRefFromActivity(a *schema.Activity, now time.Time) (ref ConversationRef, ok bool) {
	if a == nil || a.From == nil || a.Conversation == nil || !a.Conversation.IsPersonal() {
		return ConversationRef{}, false
	}
	id := IdentityOf(a)
	ref = ConversationRef{
		TenantID:       id.TenantID,
		UserID:         id.ID,
		ChannelUserID:  a.From.ID,
		UserName:       id.Name,
		ConversationID: a.Conversation.ID,
		ServiceURL:     a.ServiceURL,
		ChannelID:      a.ChannelID,
		Locale:         a.Locale,
		UpdatedAt:      now,
	}
	if a.Recipient != nil {
		ref.BotID, ref.BotName = a.Recipient.ID, a.Recipient.Name
	}
	if id.TenantID == "" || id.ID == "" || ref.ConversationID == "" || ref.ServiceURL == "" {
		return ConversationRef{}, false
	}
	return ref, true
}
