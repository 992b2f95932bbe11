package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/attestbot/attestbot/store"
)

// ActivityNotification is the body of a Teams activity feed notification,
// as Microsoft Graph takes it (graph-msal-manifest.md §1.2). Its JSON is
// the request body of the single endpoint; BulkBody adds the recipients.
type ActivityNotification struct {
	Topic              ActivityTopic  `json:"topic"`
	ActivityType       string         `json:"activityType"`
	PreviewText        ItemBody       `json:"previewText"`
	TemplateParameters []KeyValuePair `json:"templateParameters"`
	ChainID            int64          `json:"chainId,omitempty"`
	TeamsAppID         string         `json:"teamsAppId,omitempty"`
}

// ActivityTopic is the notification topic: source "text" with a value
// and a webUrl on teams.microsoft.com.
type ActivityTopic struct {
	Source string `json:"source"`
	Value  string `json:"value"`
	WebURL string `json:"webUrl,omitempty"`
}

// ItemBody is Graph's itemBody.
type ItemBody struct {
	Content string `json:"content"`
}

// KeyValuePair is a template parameter.
type KeyValuePair struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type bulkRecipient struct {
	ODataType string `json:"@odata.type"`
	UserID    string `json:"userId"`
}

// SingleBody returns the JSON body of
// POST /users/{userId}/teamwork/sendActivityNotification.
func (n ActivityNotification) SingleBody() ([]byte, error) { return json.Marshal(n) }

// BulkBody returns the JSON body of
// POST /teamwork/sendActivityNotificationToRecipients for userIDs (Entra
// object IDs), with the recipients written as the Graph Go SDK writes them.
func (n ActivityNotification) BulkBody(userIDs []string) ([]byte, error) {
	type bulk struct {
		ActivityNotification
		Recipients []bulkRecipient `json:"recipients"`
	}
	b := bulk{ActivityNotification: n}
	for _, u := range userIDs {
		b.Recipients = append(b.Recipients, bulkRecipient{ODataType: "#microsoft.graph.aadUserNotificationRecipient", UserID: u})
	}
	return json.Marshal(b)
}

// ActivitySender sends activity feed notifications through Microsoft
// Graph (graphclient implements it). userID and userIDs are Entra object
// IDs. Errors should be (or wrap) the typed errors below, so that the
// deliverer can tell a retry from a give-up.
type ActivitySender interface {
	// SendActivity is POST /users/{userID}/teamwork/sendActivityNotification
	// with n.SingleBody().
	SendActivity(ctx context.Context, tenantID, userID string, n ActivityNotification) error
	// SendActivityBulk is POST /teamwork/sendActivityNotificationToRecipients
	// with n.BulkBody(userIDs); at most MaxBulkRecipients users.
	SendActivityBulk(ctx context.Context, tenantID string, userIDs []string, n ActivityNotification) error
}

// Installer installs the Teams app for a user (POST
// /users/{id}/teamwork/installedApps); an app already installed (409) is
// success.
type Installer interface {
	InstallForUser(ctx context.Context, tenantID, userID string) error
}

// Card is an Adaptive Card to post in a user's bot chat.
type Card struct {
	// Summary is the activity's text (notification and accessibility
	// fallback).
	Summary string
	// Content is the Adaptive Card JSON.
	Content json.RawMessage
}

// CardBuilder builds the diff card of an event in a subscriber's
// language (a catalog locale such as fr-FR; en-US for a subscription made
// before languages were kept).
type CardBuilder interface {
	ChangeCard(ctx context.Context, ev Event, locale string) (Card, error)
}

// ProactiveSender posts a card into a stored conversation (the bot
// connector implements it).
type ProactiveSender interface {
	SendCard(ctx context.Context, ref store.ConversationRef, card Card) error
}

// ConversationGetter reads stored conversation references
// (store.ConversationStore satisfies it).
type ConversationGetter interface {
	GetConversation(ctx context.Context, tenantID, userID string) (store.ConversationRef, error)
}

// MaxBulkRecipients is the most recipients of one bulk notification.
const MaxBulkRecipients = 100

// NotInstalledError is Graph's 403 "not authorized to generate custom
// text notifications … Ensure that the expected Teams app is installed":
// the app is not installed for the recipient. UserIDs names them when
// known (a bulk call may not tell).
type NotInstalledError struct {
	UserIDs []string
	Err     error
}

func (e *NotInstalledError) Error() string {
	return fmt.Sprintf("teams app not installed for %d user(s): %v", len(e.UserIDs), e.Err)
}

// Unwrap returns the cause.
func (e *NotInstalledError) Unwrap() error { return e.Err }

// ThrottledError is a 429 (or 503) with the Retry-After to honour.
type ThrottledError struct {
	RetryAfter time.Duration
	Err        error
}

func (e *ThrottledError) Error() string {
	return fmt.Sprintf("throttled, retry after %s: %v", e.RetryAfter, e.Err)
}

// Unwrap returns the cause.
func (e *ThrottledError) Unwrap() error { return e.Err }

// ConflictError is a 409: several apps share the Entra app ID in the
// recipient's scope. It needs an admin; retrying does not help.
type ConflictError struct{ Err error }

func (e *ConflictError) Error() string { return fmt.Sprintf("conflict: %v", e.Err) }

// Unwrap returns the cause.
func (e *ConflictError) Unwrap() error { return e.Err }

// PreconditionError is a 412 of the bulk endpoint: the token expires
// within 45 minutes. A retry with a fresh token succeeds.
type PreconditionError struct{ Err error }

func (e *PreconditionError) Error() string { return fmt.Sprintf("precondition failed: %v", e.Err) }

// Unwrap returns the cause.
func (e *PreconditionError) Unwrap() error { return e.Err }

// PermanentError is any error a retry cannot fix (400, missing
// permission, unknown user): the message goes to the dead letters.
type PermanentError struct{ Err error }

func (e *PermanentError) Error() string { return fmt.Sprintf("permanent failure: %v", e.Err) }

// Unwrap returns the cause.
func (e *PermanentError) Unwrap() error { return e.Err }

func isNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }
