package schema

import (
	"encoding/json"
)

// ChannelAccount is a user or bot in a conversation. Teams member listings
// add the profile fields (objectId, givenName, email, ...).
type ChannelAccount struct {
	ID                string `json:"id,omitempty"`
	Name              string `json:"name,omitempty"`
	AADObjectID       string `json:"aadObjectId,omitempty"`
	Role              string `json:"role,omitempty"`
	ObjectID          string `json:"objectId,omitempty"`
	GivenName         string `json:"givenName,omitempty"`
	Surname           string `json:"surname,omitempty"`
	Email             string `json:"email,omitempty"`
	UserPrincipalName string `json:"userPrincipalName,omitempty"`
	TenantID          string `json:"tenantId,omitempty"`
	UserRole          string `json:"userRole,omitempty"`

	// Extra holds fields this type does not model.
	Extra map[string]json.RawMessage `json:"-"`
}

type channelAccountFields ChannelAccount

var channelAccountKnown = newKnownFields(channelAccountFields{})

// UnmarshalJSON decodes an account and keeps its unknown fields in Extra.
// JSON null leaves it unchanged.
func (c *ChannelAccount) UnmarshalJSON(data []byte) error {
	var v ChannelAccount
	if err := channelAccountCodec.decodeDocument(data, &v, &v.Extra); err != nil || isNull(data) {
		return err
	}
	*c = v
	return nil
}

// MarshalJSON encodes an account with its Extra fields.
func (c ChannelAccount) MarshalJSON() ([]byte, error) {
	b, err := json.Marshal(channelAccountFields(c))
	if err != nil {
		return nil, err
	}
	return appendExtra(b, c.Extra, channelAccountKnown)
}

// EntraObjectID returns the Entra (AAD) object id of the account: aadObjectId,
// or objectId as member listings spell it.
func (c *ChannelAccount) EntraObjectID() string {
	if c == nil {
		return ""
	}
	if c.AADObjectID != "" {
		return c.AADObjectID
	}
	return c.ObjectID
}

// ConversationAccount identifies a conversation.
type ConversationAccount struct {
	ID               string `json:"id,omitempty"`
	Name             string `json:"name,omitempty"`
	ConversationType string `json:"conversationType,omitempty"`
	IsGroup          bool   `json:"isGroup,omitempty"`
	TenantID         string `json:"tenantId,omitempty"`
	AADObjectID      string `json:"aadObjectId,omitempty"`
	Role             string `json:"role,omitempty"`

	// Extra holds fields this type does not model.
	Extra map[string]json.RawMessage `json:"-"`
}

type conversationAccountFields ConversationAccount

var conversationAccountKnown = newKnownFields(conversationAccountFields{})

// UnmarshalJSON decodes a conversation and keeps its unknown fields in Extra.
// JSON null leaves it unchanged.
func (c *ConversationAccount) UnmarshalJSON(data []byte) error {
	var v ConversationAccount
	if err := conversationAccountCodec.decodeDocument(data, &v, &v.Extra); err != nil || isNull(data) {
		return err
	}
	*c = v
	return nil
}

// MarshalJSON encodes a conversation with its Extra fields.
func (c ConversationAccount) MarshalJSON() ([]byte, error) {
	b, err := json.Marshal(conversationAccountFields(c))
	if err != nil {
		return nil, err
	}
	return appendExtra(b, c.Extra, conversationAccountKnown)
}

// IsPersonal reports whether the conversation is a 1:1 chat with the bot.
func (c *ConversationAccount) IsPersonal() bool {
	if c == nil {
		return false
	}
	return c.ConversationType == "personal" || (c.ConversationType == "" && !c.IsGroup)
}
