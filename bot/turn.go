package bot

import (
	"context"
	"errors"
	"log/slog"

	"github.com/attestbot/attestbot/bot/schema"
	"github.com/attestbot/attestbot/store"
)

// Turn is the context of one inbound activity: the activity, the connector
// to answer through, and a logger scoped to the activity. A Turn is not safe
// for concurrent use by several goroutines.
type Turn struct {
	// Activity is the inbound activity.
	Activity *schema.Activity
	// Connector sends replies and other Bot Connector calls.
	Connector Connector
	// Log is scoped with the activity id, type and tenant; it never carries
	// tokens.
	Log *slog.Logger

	identity store.User
	route    string
}

// NewTurn builds a turn; the bot builds one per activity, and handler tests
// can build their own with a fake Connector.
func NewTurn(a *schema.Activity, c Connector, log *slog.Logger) *Turn {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if a == nil {
		a = &schema.Activity{}
	}
	return &Turn{Activity: a, Connector: c, Log: log, identity: IdentityOf(a)}
}

// Identity returns who sent the activity, as Teams vouches for it
// (IdentityOf): authorize with it, never with other activity fields.
func (t *Turn) Identity() store.User { return t.identity }

// TenantID returns the tenant of the sender (Identity().TenantID).
func (t *Turn) TenantID() string { return t.identity.TenantID }

// Text returns the message text without the mention of the bot, trimmed.
func (t *Turn) Text() string {
	botID := ""
	if t.Activity.Recipient != nil {
		botID = t.Activity.Recipient.ID
	}
	return t.Activity.TextWithoutMentionOf(botID)
}

// ErrNoConnector is returned when a turn has no connector to reply through.
var ErrNoConnector = errors.New("turn has no connector")

// Reply answers the activity with a message made of text and attachments
// (either may be empty).
func (t *Turn) Reply(ctx context.Context, text string, attachments ...schema.Attachment) (*schema.ResourceResponse, error) {
	return t.ReplyActivity(ctx, t.Activity.NewReply(text, attachments...))
}

// ReplyActivity sends a as a reply. Empty from, recipient, conversation and
// replyToId are filled from the inbound activity; it is sent as a threaded
// reply when the inbound activity has an id, else to the conversation.
func (t *Turn) ReplyActivity(ctx context.Context, a *schema.Activity) (*schema.ResourceResponse, error) {
	if t.Connector == nil {
		return nil, ErrNoConnector
	}
	in := t.Activity
	if a.Type == "" {
		a.Type = schema.ActivityTypeMessage
	}
	if a.From == nil {
		a.From = in.Recipient
	}
	if a.Recipient == nil {
		a.Recipient = in.From
	}
	if a.Conversation == nil {
		a.Conversation = in.Conversation
	}
	if a.ReplyToID == "" {
		a.ReplyToID = in.ID
	}
	if in.ID != "" {
		return t.Connector.ReplyToActivity(ctx, in.ServiceURL, in.ConversationID(), in.ID, a)
	}
	return t.Connector.SendToConversation(ctx, in.ServiceURL, in.ConversationID(), a)
}
