package schema

import (
	"bytes"

	"github.com/attestbot/attestbot/internal/jsonw"
)

// The reply path encodes an activity for every turn. encoding/json encodes
// the accounts through their MarshalJSON methods and then validates and
// compacts what they return; appendActivity writes the common shape of a
// reply (strings, accounts, attachments) directly, byte for byte what the
// reflection path writes (TestAppendActivityMatchesReflection). Anything
// else (entities, raw channel data or value, extra fields...) goes the
// reflection way.

// appendField appends "name":"value" (with a leading comma unless first),
// or nothing when value is empty and omitEmpty; the value as encoding/json
// writes it (HTML escaping on, json.Marshal's default).
func appendField(b []byte, name, value string, omitEmpty bool) []byte {
	return jsonw.Field(b, name, value, omitEmpty, true)
}

// fastAccount reports whether an account can be encoded by appendAccount.
func fastAccount(c *ChannelAccount) bool { return c == nil || len(c.Extra) == 0 }

func appendAccount(b []byte, name string, c *ChannelAccount) []byte {
	if c == nil {
		return b
	}
	b = append(jsonw.Key(b, name), '{')
	b = appendField(b, "id", c.ID, true)
	b = appendField(b, "name", c.Name, true)
	b = appendField(b, "aadObjectId", c.AADObjectID, true)
	b = appendField(b, "role", c.Role, true)
	b = appendField(b, "objectId", c.ObjectID, true)
	b = appendField(b, "givenName", c.GivenName, true)
	b = appendField(b, "surname", c.Surname, true)
	b = appendField(b, "email", c.Email, true)
	b = appendField(b, "userPrincipalName", c.UserPrincipalName, true)
	b = appendField(b, "tenantId", c.TenantID, true)
	b = appendField(b, "userRole", c.UserRole, true)
	return append(b, '}')
}

func appendConversation(b []byte, c *ConversationAccount) []byte {
	if c == nil {
		return b
	}
	b = append(jsonw.Key(b, "conversation"), '{')
	b = appendField(b, "id", c.ID, true)
	b = appendField(b, "name", c.Name, true)
	b = appendField(b, "conversationType", c.ConversationType, true)
	b = jsonw.Bool(b, "isGroup", c.IsGroup)
	b = appendField(b, "tenantId", c.TenantID, true)
	b = appendField(b, "aadObjectId", c.AADObjectID, true)
	b = appendField(b, "role", c.Role, true)
	return append(b, '}')
}

// appendActivity appends the encoding of a, or reports false when a has a
// part only the reflection path encodes.
func appendActivity(b []byte, a *Activity) ([]byte, bool) {
	if len(a.Extra) > 0 || len(a.MembersAdded) > 0 || len(a.MembersRemoved) > 0 || len(a.Entities) > 0 ||
		len(a.SuggestedActions) > 0 || len(a.ChannelData) > 0 || len(a.Value) > 0 || a.RelatesTo != nil ||
		!fastAccount(a.From) || !fastAccount(a.Recipient) || (a.Conversation != nil && len(a.Conversation.Extra) > 0) {
		return b, false
	}
	b = append(b, '{')
	b = appendField(b, "type", a.Type, false)
	b = appendField(b, "id", a.ID, true)
	b = appendField(b, "name", a.Name, true)
	b = appendField(b, "timestamp", a.Timestamp, true)
	b = appendField(b, "localTimestamp", a.LocalTimestamp, true)
	b = appendField(b, "localTimezone", a.LocalTimezone, true)
	b = appendField(b, "serviceUrl", a.ServiceURL, true)
	b = appendField(b, "channelId", a.ChannelID, true)
	b = appendAccount(b, "from", a.From)
	b = appendConversation(b, a.Conversation)
	b = appendAccount(b, "recipient", a.Recipient)
	b = appendField(b, "textFormat", a.TextFormat, true)
	b = appendField(b, "attachmentLayout", a.AttachmentLayout, true)
	b = appendField(b, "topicName", a.TopicName, true)
	b = appendField(b, "locale", a.Locale, true)
	b = appendField(b, "text", a.Text, true)
	b = appendField(b, "summary", a.Summary, true)
	b = appendField(b, "inputHint", a.InputHint, true)
	b = appendField(b, "action", a.Action, true)
	b = appendField(b, "replyToId", a.ReplyToID, true)
	b = appendField(b, "label", a.Label, true)
	b = appendField(b, "valueType", a.ValueType, true)
	b = appendField(b, "code", a.Code, true)
	b = appendField(b, "importance", a.Importance, true)
	b = appendField(b, "deliveryMode", a.DeliveryMode, true)
	b = appendField(b, "callerId", a.CallerID, true)
	if len(a.Attachments) == 0 {
		return append(b, '}'), true
	}
	b = append(b, `,"attachments":[`...)
	for i, at := range a.Attachments {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '{')
		b = appendField(b, "contentType", at.ContentType, false)
		b = appendField(b, "contentUrl", at.ContentURL, true)
		b = appendField(b, "name", at.Name, true)
		b = appendField(b, "thumbnailUrl", at.ThumbnailURL, true)
		if content := bytes.TrimSpace(at.Content); len(content) > 0 {
			if !looksLikeJSONValue(content) {
				return b, false // the reflection path reports the error
			}
			b = append(b, `,"content":`...)
			b = append(b, content...)
		}
		b = append(b, '}')
	}
	return append(b, ']', '}'), true
}
