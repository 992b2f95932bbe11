package schema

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Activity types sent by Microsoft Teams and the Agents Playground.
const (
	ActivityTypeMessage            = "message"
	ActivityTypeConversationUpdate = "conversationUpdate"
	ActivityTypeInstallationUpdate = "installationUpdate"
	ActivityTypeInvoke             = "invoke"
	ActivityTypeTyping             = "typing"
	ActivityTypeMessageReaction    = "messageReaction"
	ActivityTypeMessageUpdate      = "messageUpdate"
	ActivityTypeMessageDelete      = "messageDelete"
	ActivityTypeEvent              = "event"
	ActivityTypeEndOfConversation  = "endOfConversation"
)

// Invoke names the bot understands.
const (
	InvokeAdaptiveCardAction            = "adaptiveCard/action"
	InvokeComposeExtensionQuery         = "composeExtension/query"
	InvokeComposeExtensionQueryLink     = "composeExtension/queryLink"
	InvokeComposeExtensionAnonQueryLink = "composeExtension/anonymousQueryLink"
)

// installationUpdate actions (compare case-insensitively, botframework.md §4.3).
const (
	InstallActionAdd           = "add"
	InstallActionRemove        = "remove"
	InstallActionAddUpgrade    = "add-upgrade"
	InstallActionRemoveUpgrade = "remove-upgrade"
)

// Activity is a Bot Framework activity. Unknown top-level fields are kept in
// Extra; ChannelData and Value stay raw JSON and are decoded on demand by the
// typed accessors.
type Activity struct {
	Type             string                 `json:"type"`
	ID               string                 `json:"id,omitempty"`
	Name             string                 `json:"name,omitempty"`
	Timestamp        string                 `json:"timestamp,omitempty"`
	LocalTimestamp   string                 `json:"localTimestamp,omitempty"`
	LocalTimezone    string                 `json:"localTimezone,omitempty"`
	ServiceURL       string                 `json:"serviceUrl,omitempty"`
	ChannelID        string                 `json:"channelId,omitempty"`
	From             *ChannelAccount        `json:"from,omitempty"`
	Conversation     *ConversationAccount   `json:"conversation,omitempty"`
	Recipient        *ChannelAccount        `json:"recipient,omitempty"`
	TextFormat       string                 `json:"textFormat,omitempty"`
	AttachmentLayout string                 `json:"attachmentLayout,omitempty"`
	MembersAdded     []ChannelAccount       `json:"membersAdded,omitempty"`
	MembersRemoved   []ChannelAccount       `json:"membersRemoved,omitempty"`
	TopicName        string                 `json:"topicName,omitempty"`
	Locale           string                 `json:"locale,omitempty"`
	Text             string                 `json:"text,omitempty"`
	Summary          string                 `json:"summary,omitempty"`
	InputHint        string                 `json:"inputHint,omitempty"`
	SuggestedActions json.RawMessage        `json:"suggestedActions,omitempty"`
	Attachments      []Attachment           `json:"attachments,omitempty"`
	Entities         []Entity               `json:"entities,omitempty"`
	ChannelData      json.RawMessage        `json:"channelData,omitempty"`
	Action           string                 `json:"action,omitempty"`
	ReplyToID        string                 `json:"replyToId,omitempty"`
	Label            string                 `json:"label,omitempty"`
	ValueType        string                 `json:"valueType,omitempty"`
	Value            json.RawMessage        `json:"value,omitempty"`
	RelatesTo        *ConversationReference `json:"relatesTo,omitempty"`
	Code             string                 `json:"code,omitempty"`
	Importance       string                 `json:"importance,omitempty"`
	DeliveryMode     string                 `json:"deliveryMode,omitempty"`
	CallerID         string                 `json:"callerId,omitempty"`

	// Extra holds the top-level fields this type does not model, so that an
	// activity survives a decode/encode round trip.
	Extra map[string]json.RawMessage `json:"-"`
}

type activityFields Activity

var activityKnown = newKnownFields(activityFields{})

// UnmarshalJSON decodes an activity and keeps its unknown fields in Extra.
// JSON null yields the zero activity.
func (a *Activity) UnmarshalJSON(data []byte) error {
	var v Activity
	if err := activityCodec.decodeDocument(data, &v, &v.Extra); err != nil {
		return err
	}
	*a = v
	return nil
}

// MarshalJSON encodes an activity with its Extra fields.
func (a Activity) MarshalJSON() ([]byte, error) {
	size := 512
	for _, at := range a.Attachments {
		size += len(at.Content) + 128
	}
	return a.AppendJSON(make([]byte, 0, size))
}

// AppendJSON appends a's JSON, the bytes MarshalJSON returns, to dst.
func (a *Activity) AppendJSON(dst []byte) ([]byte, error) {
	if b, ok := appendActivity(dst, a); ok {
		return b, nil
	}
	b, err := a.marshalReflect()
	if err != nil {
		return dst, err
	}
	return append(dst, b...), nil
}

// marshalReflect encodes a through encoding/json (the general path).
func (a Activity) marshalReflect() ([]byte, error) {
	f := activityFields(a)
	f.Attachments = nil
	b, err := json.Marshal(f)
	if err != nil {
		return nil, err
	}
	if b, err = appendAttachments(b, a.Attachments); err != nil {
		return nil, err
	}
	return appendExtra(b, a.Extra, activityKnown)
}

// looksLikeJSONValue reports whether b starts and ends like a JSON object,
// array or string.
func looksLikeJSONValue(b []byte) bool {
	if len(b) < 2 {
		return false
	}
	switch b[0] {
	case '{':
		return b[len(b)-1] == '}'
	case '[':
		return b[len(b)-1] == ']'
	case '"':
		return b[len(b)-1] == '"'
	}
	return false
}

// appendAttachments adds "attachments" to the encoded object obj. Each
// attachment's content is copied as it is: json.Marshal would validate and
// rewrite it compactly, which for a large card costs more than the rest of
// the activity.
func appendAttachments(obj []byte, atts []Attachment) ([]byte, error) {
	if len(atts) == 0 {
		return obj, nil
	}
	if len(obj) < 2 || obj[len(obj)-1] != '}' {
		return nil, fmt.Errorf("encode attachments: not a JSON object")
	}
	size := len(obj) + 16
	for _, at := range atts {
		size += len(at.Content) + 128
	}
	out := make([]byte, 0, size)
	out = append(out, obj[:len(obj)-1]...)
	if len(obj) > 2 {
		out = append(out, ',')
	}
	out = append(out, `"attachments":[`...)
	for i, at := range atts {
		if i > 0 {
			out = append(out, ',')
		}
		content := bytes.TrimSpace(at.Content)
		at.Content = nil
		head, err := json.Marshal(at)
		if err != nil {
			return nil, fmt.Errorf("encode attachment %d: %w", i, err)
		}
		if len(content) == 0 {
			out = append(out, head...)
			continue
		}
		// A raw message is valid JSON by contract (cards come from
		// cards.Encode); scanning a large card once more for every send
		// costs as much as the rest of the reply. Only its shape is
		// checked, and the connector refuses a broken body with a 400.
		if !looksLikeJSONValue(content) {
			return nil, fmt.Errorf("encode attachment %d: content is not a JSON object, array or string", i)
		}
		out = append(out, head[:len(head)-1]...)
		out = append(out, `,"content":`...)
		out = append(out, content...)
		out = append(out, '}')
	}
	out = append(out, ']', '}')
	return out, nil
}

// IsInvoke reports whether the activity is an invoke (answered in the HTTP
// response rather than through the connector).
func (a *Activity) IsInvoke() bool { return a != nil && a.Type == ActivityTypeInvoke }

// ConversationID returns conversation.id, or "" when there is no conversation.
func (a *Activity) ConversationID() string {
	if a == nil || a.Conversation == nil {
		return ""
	}
	return a.Conversation.ID
}

// TeamsChannelData decodes channelData as Teams channel data. An activity
// without channelData yields the zero value.
func (a *Activity) TeamsChannelData() (TeamsChannelData, error) {
	var cd TeamsChannelData
	if a == nil || len(a.ChannelData) == 0 || string(a.ChannelData) == "null" {
		return cd, nil
	}
	if err := json.Unmarshal(a.ChannelData, &cd); err != nil {
		return TeamsChannelData{}, fmt.Errorf("decode channelData: %w", err)
	}
	return cd, nil
}

// Mentions returns the mention entities of the activity.
func (a *Activity) Mentions() []Mention {
	if a == nil {
		return nil
	}
	var out []Mention
	for _, e := range a.Entities {
		if m, ok := e.Mention(); ok {
			out = append(out, m)
		}
	}
	return out
}

// TextWithoutMentionOf returns the text with every mention of the account id
// (its "<at>Name</at>" markup) removed and surrounding space trimmed.
func (a *Activity) TextWithoutMentionOf(id string) string {
	if a == nil {
		return ""
	}
	text := a.Text
	for _, m := range a.Mentions() {
		if m.Mentioned.ID == id && m.Text != "" {
			text = strings.ReplaceAll(text, m.Text, "")
		}
	}
	return strings.TrimSpace(text)
}

// MembersAddedInclude reports whether the account id is among membersAdded.
func (a *Activity) MembersAddedInclude(id string) bool {
	if a == nil {
		return false
	}
	for _, m := range a.MembersAdded {
		if m.ID == id {
			return true
		}
	}
	return false
}

// HasValueObject reports whether value is a JSON object (for example the data
// of an Adaptive Card Action.Submit).
func (a *Activity) HasValueObject() bool {
	return a != nil && IsJSONObject(a.Value)
}

// IsJSONObject reports whether data starts, after JSON white space, with
// '{': the cheap check before decoding a body or a value as an object.
func IsJSONObject(data []byte) bool {
	for _, c := range data {
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		case '{':
			return true
		default:
			return false
		}
	}
	return false
}

// AdaptiveCardInvokeValue decodes the value of an adaptiveCard/action invoke.
func (a *Activity) AdaptiveCardInvokeValue() (AdaptiveCardInvokeValue, error) {
	var v AdaptiveCardInvokeValue
	if err := decodeValue(a, &v); err != nil {
		return AdaptiveCardInvokeValue{}, err
	}
	return v, nil
}

// MessagingExtensionQuery decodes the value of a composeExtension/query invoke.
func (a *Activity) MessagingExtensionQuery() (MessagingExtensionQuery, error) {
	var v MessagingExtensionQuery
	if err := decodeValue(a, &v); err != nil {
		return MessagingExtensionQuery{}, err
	}
	return v, nil
}

// AppBasedLinkQuery decodes the value of a composeExtension/queryLink invoke.
func (a *Activity) AppBasedLinkQuery() (AppBasedLinkQuery, error) {
	var v AppBasedLinkQuery
	if err := decodeValue(a, &v); err != nil {
		return AppBasedLinkQuery{}, err
	}
	return v, nil
}

// ErrNoValue is returned when an activity that needs a value has none.
var ErrNoValue = errors.New("activity has no value")

func decodeValue(a *Activity, v any) error {
	if a == nil || len(a.Value) == 0 || string(a.Value) == "null" {
		return ErrNoValue
	}
	if err := json.Unmarshal(a.Value, v); err != nil {
		return fmt.Errorf("decode value: %w", err)
	}
	return nil
}

// ConversationReference returns the reference needed to message this
// conversation later: the bot is the recipient, the user the sender.
func (a *Activity) ConversationReference() ConversationReference {
	if a == nil {
		return ConversationReference{}
	}
	return ConversationReference{
		ActivityID:   a.ID,
		User:         a.From,
		Bot:          a.Recipient,
		Conversation: a.Conversation,
		ChannelID:    a.ChannelID,
		ServiceURL:   a.ServiceURL,
		Locale:       a.Locale,
	}
}

// NewReply returns a message activity answering a: from and recipient swapped,
// same conversation, replyToId set to a.id.
func (a *Activity) NewReply(text string, attachments ...Attachment) *Activity {
	r := &Activity{Type: ActivityTypeMessage, Text: text, Attachments: attachments}
	if a == nil {
		return r
	}
	r.From = a.Recipient
	r.Recipient = a.From
	r.Conversation = a.Conversation
	r.ReplyToID = a.ID
	r.ChannelID = a.ChannelID
	r.ServiceURL = a.ServiceURL
	r.Locale = a.Locale
	return r
}
