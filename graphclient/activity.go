package graphclient

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"sort"

	"github.com/attestbot/attestbot/internal/retry"
	"github.com/microsoftgraph/msgraph-sdk-go/models"
	"github.com/microsoftgraph/msgraph-sdk-go/teamwork"
	"github.com/microsoftgraph/msgraph-sdk-go/users"
)

// TopicSource says what a notification's topic is.
type TopicSource string

// The topic sources of §1.2.
const (
	// TopicEntityURL: Value is a Graph URL of a resource (for the bulk
	// route only a teamsCatalogApp,
	// https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/{id}).
	TopicEntityURL TopicSource = "entityUrl"
	// TopicText: Value is free text and WebURL the Teams deep link the
	// notification opens (required).
	TopicText TopicSource = "text"
)

// Topic is what a notification is about.
type Topic struct {
	// Source is TopicEntityURL or TopicText.
	Source TopicSource
	// Value is the entity URL or the text.
	Value string
	// WebURL is the Teams deep link (TopicText only); it must be an https
	// link to a Teams domain such as teams.microsoft.com.
	WebURL string
}

// Notification is an activity feed notification (§1.2).
type Notification struct {
	// Topic is what the notification is about.
	Topic Topic
	// ActivityType is an activity type declared in the app manifest, or
	// "systemDefault" (not declared) with the text in the template
	// parameter "systemDefaultText".
	ActivityType string
	// PreviewText is the notification text (Teams shows 150 characters).
	PreviewText string
	// TemplateParameters fill the {placeholders} of the activity type's
	// templateText; they are sent sorted by name.
	TemplateParameters map[string]string
	// ChainID, when not zero, makes this notification replace an earlier
	// one with the same chain ID.
	ChainID int64
	// TeamsAppID, when set, names the Teams app sending the notification
	// when several installed apps share one Entra app ID.
	TeamsAppID string
	// IconID, when set, is a custom activity icon (manifest ≥ 1.22).
	IconID string
}

// validate reports what would make Graph refuse n.
func (n Notification) validate(op string) error {
	if n.ActivityType == "" {
		return badInput(op, "activity type is required")
	}
	if n.Topic.Value == "" {
		return badInput(op, "topic value is required")
	}
	switch n.Topic.Source {
	case TopicEntityURL:
		u, err := url.Parse(n.Topic.Value)
		if err != nil || u.Scheme != "https" || u.Host == "" {
			return badInput(op, "entityUrl topic must be an https Graph URL")
		}
	case TopicText:
		u, err := url.Parse(n.Topic.WebURL)
		if err != nil || u.Scheme != "https" || u.Host == "" {
			return badInput(op, "text topic needs an https Teams webUrl")
		}
	default:
		return badInput(op, "topic source must be %q or %q", TopicEntityURL, TopicText)
	}
	return nil
}

// sdkTopic builds the SDK topic.
func (n Notification) sdkTopic() models.TeamworkActivityTopicable {
	t := models.NewTeamworkActivityTopic()
	src := models.ENTITYURL_TEAMWORKACTIVITYTOPICSOURCE
	if n.Topic.Source == TopicText {
		src = models.TEXT_TEAMWORKACTIVITYTOPICSOURCE
		t.SetWebUrl(ptr(n.Topic.WebURL))
	}
	t.SetSource(&src)
	t.SetValue(ptr(n.Topic.Value))
	return t
}

// sdkPreview builds the preview text, or nil.
func (n Notification) sdkPreview() models.ItemBodyable {
	if n.PreviewText == "" {
		return nil
	}
	b := models.NewItemBody()
	b.SetContent(ptr(n.PreviewText))
	return b
}

// sdkParams builds the template parameters sorted by name.
func (n Notification) sdkParams() []models.KeyValuePairable {
	if len(n.TemplateParameters) == 0 {
		return nil
	}
	names := make([]string, 0, len(n.TemplateParameters))
	for k := range n.TemplateParameters {
		names = append(names, k)
	}
	sort.Strings(names)
	out := make([]models.KeyValuePairable, 0, len(names))
	for _, k := range names {
		kv := models.NewKeyValuePair()
		kv.SetName(ptr(k))
		kv.SetValue(ptr(n.TemplateParameters[k]))
		out = append(out, kv)
	}
	return out
}

func ptr[T any](v T) *T { return &v }

// SendActivityNotification sends n to one user's activity feed:
// POST /users/{userID}/teamwork/sendActivityNotification (204), with the
// app-only token of tenantID. The app must be installed for the user
// (ErrNotInstalled otherwise). The request is sent once: retries are the
// caller's, guided by IsRetryable.
func (c *Client) SendActivityNotification(ctx context.Context, tenantID, userID string, n Notification) error {
	const op = "send activity notification"
	if err := checkID(op, "user id", userID); err != nil {
		return err
	}
	if err := n.validate(op); err != nil {
		return err
	}
	t, err := c.tenant(tenantID)
	if err != nil {
		return err
	}
	body := users.NewItemTeamworkSendActivityNotificationPostRequestBody()
	n.fill(body)
	return c.call(ctx, op, func(ctx context.Context) error {
		return t.users.ByUserId(userID).Teamwork().SendActivityNotification().Post(ctx, body, nil)
	})
}

// BulkError reports a bulk notification that was only partly sent: the
// recipients of the requests Graph accepted, and those of the failed
// request and of the requests not attempted after it.
type BulkError struct {
	// Sent are the recipients whose request Graph accepted (202).
	Sent []string
	// Unsent are the remaining recipients; send to them again.
	Unsent []string
	// Err is the error of the failed request.
	Err error
}

// Error implements error.
func (e *BulkError) Error() string {
	return fmt.Sprintf("bulk activity notification sent to %d of %d recipients: %v", len(e.Sent), len(e.Sent)+len(e.Unsent), e.Err)
}

// Unwrap returns the failed request's error.
func (e *BulkError) Unwrap() error { return e.Err }

// Delivered returns Sent, for callers matching interface{ Delivered()
// []string } through errors.As without importing this package.
func (e *BulkError) Delivered() []string { return e.Sent }

// Undelivered returns Unsent (see Delivered).
func (e *BulkError) Undelivered() []string { return e.Unsent }

// SendActivityNotificationToRecipients sends n to many users of tenantID:
// POST /teamwork/sendActivityNotificationToRecipients (202), at most 100
// recipients per request, so longer lists are split (duplicates dropped)
// and the requests spaced by Config.BulkInterval. The topic must be a
// teamsCatalogApp entityUrl or text. The token is asked for with at least
// 45 minutes left, as the route requires (412 otherwise).
//
// It stops at the first failed request and returns a [*BulkError] listing
// who got the notification and who did not; errors.Is and IsRetryable see
// the failed request's error through it.
func (c *Client) SendActivityNotificationToRecipients(ctx context.Context, tenantID string, userIDs []string, n Notification) error {
	const op = "send bulk activity notification"
	if err := n.validate(op); err != nil {
		return err
	}
	ids := make([]string, 0, len(userIDs))
	seen := make(map[string]bool, len(userIDs))
	for _, id := range userIDs {
		if err := checkID(op, "user id", id); err != nil {
			return err
		}
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return badInput(op, "at least one recipient is required")
	}
	t, err := c.tenant(tenantID)
	if err != nil {
		return err
	}
	tctx := withMinTokenLifetime(ctx, bulkTokenLifetime)
	chunks := slices.Collect(slices.Chunk(ids, MaxBulkRecipients))
	for i, chunk := range chunks {
		if i > 0 && c.cfg.BulkInterval > 0 {
			if err := retry.Sleep(ctx, c.cfg.BulkInterval); err != nil {
				return &BulkError{Sent: slices.Clone(ids[:i*MaxBulkRecipients]), Unsent: slices.Clone(ids[i*MaxBulkRecipients:]),
					Err: &Error{Op: op, kind: ErrTransport, cause: err}}
			}
		}
		body := teamwork.NewSendActivityNotificationToRecipientsPostRequestBody()
		n.fill(body)
		rs := make([]models.TeamworkNotificationRecipientable, 0, len(chunk))
		for _, id := range chunk {
			r := models.NewAadUserNotificationRecipient()
			r.SetUserId(ptr(id))
			rs = append(rs, r)
		}
		body.SetRecipients(rs)
		err := c.call(tctx, op, func(ctx context.Context) error {
			return t.teamwork.SendActivityNotificationToRecipients().Post(ctx, body, nil)
		})
		if err != nil {
			return &BulkError{Sent: slices.Clone(ids[:i*MaxBulkRecipients]), Unsent: slices.Clone(ids[i*MaxBulkRecipients:]), Err: err}
		}
		c.logger.Debug("bulk activity notification accepted", slog.String("tenant_id", tenantID),
			slog.Int("recipients", len(chunk)), slog.Int("request", i+1), slog.Int("requests", len(chunks)))
	}
	return nil
}

// activityBody is what the single and the bulk request bodies share.
type activityBody interface {
	SetTopic(models.TeamworkActivityTopicable)
	SetActivityType(*string)
	SetPreviewText(models.ItemBodyable)
	SetTemplateParameters([]models.KeyValuePairable)
	SetChainId(*int64)
	SetTeamsAppId(*string)
	SetIconId(*string)
}

// fill writes the notification into a request body.
func (n Notification) fill(body activityBody) {
	body.SetTopic(n.sdkTopic())
	body.SetActivityType(ptr(n.ActivityType))
	if p := n.sdkPreview(); p != nil {
		body.SetPreviewText(p)
	}
	if ps := n.sdkParams(); ps != nil {
		body.SetTemplateParameters(ps)
	}
	if n.ChainID != 0 {
		body.SetChainId(ptr(n.ChainID))
	}
	if n.TeamsAppID != "" {
		body.SetTeamsAppId(ptr(n.TeamsAppID))
	}
	if n.IconID != "" {
		body.SetIconId(ptr(n.IconID))
	}
}
