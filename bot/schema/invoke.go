package schema

import (
	"bytes"
	"encoding/json"
)

// InvokeResponse is the HTTP answer to an invoke activity: the status and the
// JSON body of the response to the inbound POST (botframework.md §4.7).
type InvokeResponse struct {
	// Status is the HTTP status; 0 means 200.
	Status int `json:"status"`
	// Body is encoded as the JSON response body; nil means no body.
	Body any `json:"body,omitempty"`
}

// Adaptive Card invoke response types (botframework.md §4.5).
const (
	InvokeResponseTypeAdaptiveCard = "application/vnd.microsoft.card.adaptive"
	InvokeResponseTypeMessage      = "application/vnd.microsoft.activity.message"
	InvokeResponseTypeError        = "application/vnd.microsoft.error"
	InvokeResponseTypeLoginRequest = "application/vnd.microsoft.activity.loginRequest"
)

// ActionTypeExecute is the Adaptive Card action that sends adaptiveCard/action.
const ActionTypeExecute = "Action.Execute"

// AdaptiveCardInvokeValue is the value of an adaptiveCard/action invoke.
type AdaptiveCardInvokeValue struct {
	Action         AdaptiveCardAction `json:"action"`
	Authentication json.RawMessage    `json:"authentication,omitempty"`
	State          string             `json:"state,omitempty"`
	Trigger        string             `json:"trigger,omitempty"`
}

// AdaptiveCardAction is the Action.Execute that was clicked (or the refresh
// action), with the card inputs merged into Data.
type AdaptiveCardAction struct {
	Type  string          `json:"type"`
	ID    string          `json:"id,omitempty"`
	Title string          `json:"title,omitempty"`
	Verb  string          `json:"verb,omitempty"`
	Data  json.RawMessage `json:"data,omitempty"`
}

// AdaptiveCardInvokeResponse is the body answering adaptiveCard/action:
// a replacement card, a message, or an error. The HTTP status stays 200; the
// outcome is in StatusCode.
type AdaptiveCardInvokeResponse struct {
	StatusCode int    `json:"statusCode"`
	Type       string `json:"type"`
	Value      any    `json:"value,omitempty"`
}

// InvokeError is the value of an error invoke response.
type InvokeError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// NewCardInvokeResponse answers an Action.Execute with a card that replaces
// the one clicked. card is any value encoding to an Adaptive Card.
func NewCardInvokeResponse(card any) *AdaptiveCardInvokeResponse {
	return &AdaptiveCardInvokeResponse{StatusCode: 200, Type: InvokeResponseTypeAdaptiveCard, Value: card}
}

// NewErrorInvokeResponse answers an Action.Execute with an error.
func NewErrorInvokeResponse(status int, code, message string) *AdaptiveCardInvokeResponse {
	return &AdaptiveCardInvokeResponse{StatusCode: status, Type: InvokeResponseTypeError,
		Value: InvokeError{Code: code, Message: message}}
}

// MessagingExtensionQuery is the value of a composeExtension/query invoke.
type MessagingExtensionQuery struct {
	CommandID    string                          `json:"commandId,omitempty"`
	Parameters   []MessagingExtensionParameter   `json:"parameters,omitempty"`
	QueryOptions *MessagingExtensionQueryOptions `json:"queryOptions,omitempty"`
	State        string                          `json:"state,omitempty"`
}

// MessagingExtensionParameter is one named query parameter.
type MessagingExtensionParameter struct {
	Name  string          `json:"name"`
	Value json.RawMessage `json:"value,omitempty"`
}

// MessagingExtensionQueryOptions pages the results.
type MessagingExtensionQueryOptions struct {
	Skip  int `json:"skip"`
	Count int `json:"count"`
}

// Param returns the value of the named parameter as text: a JSON string is
// unquoted, any other JSON value is returned as written. ok is false when the
// parameter is absent.
func (q MessagingExtensionQuery) Param(name string) (value string, ok bool) {
	for _, p := range q.Parameters {
		if p.Name != name {
			continue
		}
		var s string
		if err := json.Unmarshal(p.Value, &s); err == nil {
			return s, true
		}
		return string(bytes.TrimSpace(p.Value)), true
	}
	return "", false
}

// AppBasedLinkQuery is the value of a composeExtension/queryLink invoke.
type AppBasedLinkQuery struct {
	URL   string `json:"url"`
	State string `json:"state,omitempty"`
}

// Messaging extension result types.
const (
	MessagingExtensionResultTypeResult  = "result"
	MessagingExtensionResultTypeAuth    = "auth"
	MessagingExtensionResultTypeConfig  = "config"
	MessagingExtensionResultTypeMessage = "message"
)

// MessagingExtensionResponse is the body answering composeExtension/query and
// composeExtension/queryLink.
type MessagingExtensionResponse struct {
	ComposeExtension *MessagingExtensionResult `json:"composeExtension,omitempty"`
	CacheInfo        *CacheInfo                `json:"cacheInfo,omitempty"`
}

// MessagingExtensionResult lists the results (or an auth/config/message answer).
type MessagingExtensionResult struct {
	Type             string                             `json:"type"`
	AttachmentLayout string                             `json:"attachmentLayout,omitempty"`
	Attachments      []MessagingExtensionAttachment     `json:"attachments,omitzero"`
	SuggestedActions *MessagingExtensionSuggestedAction `json:"suggestedActions,omitempty"`
	Text             string                             `json:"text,omitempty"`
}

// MessagingExtensionAttachment is a result card with the hero or thumbnail
// preview Teams shows in the result list (Adaptive Card results need one).
type MessagingExtensionAttachment struct {
	Attachment
	Preview *Attachment `json:"preview,omitempty"`
}

// MessagingExtensionSuggestedAction holds the actions of an auth or config result.
type MessagingExtensionSuggestedAction struct {
	Actions []CardAction `json:"actions,omitempty"`
}

// CacheInfo lets Teams cache a messaging extension response.
type CacheInfo struct {
	CacheType     string `json:"cacheType,omitempty"`
	CacheDuration int    `json:"cacheDuration,omitempty"`
}

// NewSearchMessageResponse builds a "message" response showing text in the
// compose box results area.
func NewSearchMessageResponse(text string) *MessagingExtensionResponse {
	return &MessagingExtensionResponse{ComposeExtension: &MessagingExtensionResult{
		Type: MessagingExtensionResultTypeMessage, Text: text}}
}
