package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/bot"
	"github.com/attestbot/attestbot/bot/connector"
	"github.com/attestbot/attestbot/bot/schema"
	"github.com/attestbot/attestbot/cards"
	"github.com/attestbot/attestbot/chat"
	"github.com/attestbot/attestbot/graphclient"
	"github.com/attestbot/attestbot/internal/config"
	"github.com/attestbot/attestbot/manifest"
	"github.com/attestbot/attestbot/notify"
	"github.com/attestbot/attestbot/store"
)

// AlertDeps are what the alerts need from the rest of serve.
type AlertDeps struct {
	Store     store.Store
	Connector bot.Connector // nil: no proactive cards
	OnSync    func()        // called after a periodic sync applied changes
	// TenantApps lets "subscribe tenant" follow each tenant's catalog
	// (the tenant audit); nil in local mode.
	TenantApps notify.TenantApps
	// Admins gate "subscribe all" and filters (nil: ATTESTBOT_ADMINS as
	// notify reads it).
	Admins notify.AdminChecker
}

// NewAlerts builds the sync and alert pipeline: activity feed
// notifications through Graph when the bot is registered with a Teams app
// ID, proactive cards in the bot chat otherwise (and in local mode).
func NewAlerts(ctx context.Context, cfg config.Config, log *slog.Logger, clients Clients, deps AlertDeps) (*notify.Service, error) {
	ncfg := notify.Config{
		Sources:             cfg.Sources,
		CacheDir:            cfg.Alerts.SourceCache,
		SyncInterval:        cfg.SyncInterval,
		BulkThreshold:       cfg.Alerts.BulkThreshold,
		ConfirmSecondLocale: cfg.Alerts.ConfirmLocales,
		ConfirmTimeout:      cfg.Alerts.ConfirmTimeout,
		InitialEvents:       cfg.Alerts.InitialEvents,
		IncludeTextChanges:  cfg.Alerts.IncludeTextChanges,
		TeamsAppID:          cfg.TeamsAppID,
		ActivityType:        manifest.ActivityRecordChanged,
		InstallApp:          cfg.Alerts.InstallApp,
		CardInChat:          cfg.Alerts.CardInChat,
		Workers:             cfg.Alerts.Workers,
		MaxAttempts:         cfg.Alerts.MaxAttempts,
		Replica:             cfg.Alerts.Replica,
		Admins:              cfg.Admins,
	}
	if deps.OnSync != nil {
		ncfg.OnSync = func(notify.SyncResult) { deps.OnSync() }
	}
	nd := notify.Deps{Store: deps.Store, Logger: log, Cards: changeCards{st: deps.Store, b: cards.New()}, TenantApps: deps.TenantApps,
		Admins: deps.Admins}
	if deps.Connector != nil {
		nd.Proactive = proactiveSender{conn: deps.Connector}
	}
	if cfg.ActivityFeed() {
		// Each notification goes through Graph in the tenant of its
		// subscription: a token per tenant, no home tenant.
		ncfg.Mode = notify.ModeGraph
		gc, err := NewGraphClient(cfg, log, clients, GraphHomeTenant(cfg))
		if err != nil {
			return nil, fmt.Errorf("alerts: %w", err)
		}
		g := graphSender{gc: gc, teamsAppID: cfg.TeamsAppID}
		nd.Activity, nd.Installer = g, g
	} else {
		// Local mode, or no Teams app ID (the activity feed's deep link
		// needs it): the diff card is posted into each subscriber's bot
		// chat, a proactive message.
		ncfg.Mode = notify.ModeLocal
		ncfg.InstallApp = false
	}
	return notify.New(ctx, ncfg, nd)
}

// graphSender adapts graphclient to notify's senders and typed errors.
type graphSender struct {
	gc         *graphclient.Client
	teamsAppID string
}

func toGraphNotification(n notify.ActivityNotification) graphclient.Notification {
	g := graphclient.Notification{
		Topic:        graphclient.Topic{Source: graphclient.TopicText, Value: n.Topic.Value, WebURL: n.Topic.WebURL},
		ActivityType: n.ActivityType,
		PreviewText:  n.PreviewText.Content,
		ChainID:      n.ChainID,
		TeamsAppID:   n.TeamsAppID,
	}
	if n.Topic.Source == "entityUrl" {
		g.Topic.Source = graphclient.TopicEntityURL
	}
	if len(n.TemplateParameters) > 0 {
		g.TemplateParameters = map[string]string{}
		for _, p := range n.TemplateParameters {
			g.TemplateParameters[p.Name] = p.Value
		}
	}
	return g
}

// alertError turns a graphclient error into notify's typed errors.
func alertError(err error, users []string) error {
	if err == nil {
		return nil
	}
	var undelivered interface{ Undelivered() []string }
	switch {
	case errors.Is(err, graphclient.ErrNotInstalled):
		if errors.As(err, &undelivered) {
			users = undelivered.Undelivered()
		}
		return &notify.NotInstalledError{UserIDs: users, Err: err}
	case errors.Is(err, graphclient.ErrThrottled):
		_, after := graphclient.IsRetryable(err)
		return &notify.ThrottledError{RetryAfter: after, Err: err}
	case errors.Is(err, graphclient.ErrConflict):
		return &notify.ConflictError{Err: err}
	case errors.Is(err, graphclient.ErrPreconditionFailed):
		return &notify.PreconditionError{Err: err}
	}
	if retry, _ := graphclient.IsRetryable(err); !retry {
		return &notify.PermanentError{Err: err}
	}
	return err
}

func (g graphSender) SendActivity(ctx context.Context, tenantID, userID string, n notify.ActivityNotification) error {
	return alertError(g.gc.SendActivityNotification(ctx, tenantID, userID, toGraphNotification(n)), []string{userID})
}

func (g graphSender) SendActivityBulk(ctx context.Context, tenantID string, userIDs []string, n notify.ActivityNotification) error {
	return alertError(g.gc.SendActivityNotificationToRecipients(ctx, tenantID, userIDs, toGraphNotification(n)), userIDs)
}

func (g graphSender) InstallForUser(ctx context.Context, tenantID, userID string) error {
	app, err := g.gc.FindAppByExternalID(ctx, tenantID, g.teamsAppID)
	if err != nil {
		return alertError(err, []string{userID})
	}
	return alertError(g.gc.InstallForUser(ctx, tenantID, userID, app.ID), []string{userID})
}

// proactiveSender posts a card into a stored conversation.
type proactiveSender struct{ conn bot.Connector }

func (p proactiveSender) SendCard(ctx context.Context, ref store.ConversationRef, card notify.Card) error {
	a := &schema.Activity{
		Type:        schema.ActivityTypeMessage,
		Summary:     card.Summary,
		Attachments: []schema.Attachment{schema.NewAdaptiveCardAttachment(card.Content)},
	}
	_, err := p.conn.SendToConversation(ctx, ref.ServiceURL, ref.ConversationID, a)
	return proactiveError(err)
}

// proactiveError marks the errors of a proactive card that say this user
// cannot be reached now, whatever the retries: the user blocked or removed
// the bot (403, Teams' MessageWritesBlocked among them), the conversation is
// gone (404) or was refused as written (400), or its serviceUrl is not one
// the bot may call. notify then records the user as unreachable and goes on
// with the others; any other error (throttling and server errors the
// connector client already retried, a token failure) fails the delivery,
// which is tried again later.
func proactiveError(err error) error {
	var apiErr *connector.APIError
	switch {
	case err == nil:
		return nil
	case errors.Is(err, connector.ErrUntrustedServiceURL):
		return &notify.PermanentError{Err: err}
	case errors.As(err, &apiErr):
		switch apiErr.StatusCode {
		case http.StatusBadRequest, http.StatusForbidden, http.StatusNotFound:
			return &notify.PermanentError{Err: err}
		}
	}
	return err
}

// changeCards builds the diff card of an event.
type changeCards struct {
	st store.RecordStore
	b  *cards.Builder
}

// ChangeCard implements notify.CardBuilder: the diff card and its text in
// the subscriber's language.
func (c changeCards) ChangeCard(ctx context.Context, ev notify.Event, locale string) (notify.Card, error) {
	var rec *attestation.Record
	if ev.RecordID != "" {
		if r, err := c.st.GetRecord(ctx, ev.RecordID); err == nil {
			rec = r
		} else if !errors.Is(err, store.ErrNotFound) {
			return notify.Card{}, err
		}
	}
	b := c.b.For(locale)
	raw, err := cards.Encode(b.Changes(rec, ev.Changes, 0))
	if err != nil {
		return notify.Card{}, err
	}
	_, summary := notify.EventTexts(ev, b.Localizer())
	return notify.Card{Summary: summary, Content: json.RawMessage(raw)}, nil
}

// alertSubscriptions adapts notify's subscriptions to the conversation;
// reach, when set, tells whether an alert can reach the subscriber.
type alertSubscriptions struct {
	subs  *notify.Subscriptions
	reach *notify.Service
}

// Reachable implements chat.Reachability.
func (s alertSubscriptions) Reachable(ctx context.Context, u chat.User) (bool, error) {
	if s.reach == nil {
		return true, nil
	}
	return s.reach.Reachable(ctx, u)
}

// notifyTarget turns a card's kind/slug reference into notify's slug
// target; "all" and filters pass through.
func notifyTarget(target string) string {
	if _, slug, ok := cards.ParseRef(target); ok {
		return slug
	}
	return target
}

func (s alertSubscriptions) Subscribe(ctx context.Context, u chat.User, target string) error {
	_, err := s.subs.Subscribe(ctx, u, notifyTarget(target))
	return err
}

func (s alertSubscriptions) Unsubscribe(ctx context.Context, u chat.User, target string) error {
	return s.subs.Unsubscribe(ctx, u, notifyTarget(target))
}

func (s alertSubscriptions) List(ctx context.Context, u chat.User) ([]string, error) {
	list, err := s.subs.List(ctx, u.TenantID, u.ID)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(list))
	for _, sub := range list {
		out = append(out, sub.Target)
	}
	return out, nil
}

// alertHistory answers "what changed" from the alert events, and from the
// previous stored revision when no event names the app yet.
type alertHistory struct {
	svc      *notify.Service
	fallback chat.History
}

func (h alertHistory) Changes(ctx context.Context, kind, slug, locale string) ([]attestation.Change, error) {
	events, err := h.svc.History(ctx, slug)
	if err != nil {
		return nil, err
	}
	var out []attestation.Change
	for _, ev := range events {
		for _, c := range ev.Changes {
			if c.App == slug && (locale == "" || c.Locale == "" || c.Locale == locale) {
				out = append(out, c)
			}
		}
	}
	if len(out) == 0 {
		return h.fallback.Changes(ctx, kind, slug, locale)
	}
	return out, nil
}
