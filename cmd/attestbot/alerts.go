package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/bot"
	"github.com/attestbot/attestbot/bot/auth"
	"github.com/attestbot/attestbot/bot/connector"
	"github.com/attestbot/attestbot/bot/schema"
	"github.com/attestbot/attestbot/cards"
	"github.com/attestbot/attestbot/chat"
	"github.com/attestbot/attestbot/graphclient"
	"github.com/attestbot/attestbot/manifest"
	"github.com/attestbot/attestbot/notify"
	"github.com/attestbot/attestbot/store"
)

// alertDeps are what the alerts need from the rest of serve.
type alertDeps struct {
	store     store.Store
	connector bot.Connector // nil: no proactive cards (sync --once)
	onSync    func()        // called after a periodic sync applied changes
	// tenantApps lets "subscribe tenant" follow each tenant's catalog
	// (the tenant audit); nil in local mode.
	tenantApps notify.TenantApps
	// admins gate "subscribe all" and filters (nil: ATTESTBOT_ADMINS as
	// notify reads it).
	admins notify.AdminChecker
}

// newAlerts builds the sync and alert pipeline: activity feed
// notifications through Graph when the bot is registered with a Teams app
// ID, proactive cards in the bot chat otherwise (and in local mode).
func newAlerts(ctx context.Context, a *app, deps alertDeps) (*notify.Service, error) {
	cfg := a.cfg
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
	if deps.onSync != nil {
		ncfg.OnSync = func(notify.SyncResult) { deps.onSync() }
	}
	nd := notify.Deps{Store: deps.store, Logger: a.logger, Cards: changeCards{st: deps.store, b: cards.New()}, TenantApps: deps.tenantApps,
		Admins: deps.admins}
	if deps.connector != nil {
		nd.Proactive = proactiveSender{conn: deps.connector}
	}
	if cfg.ActivityFeed() {
		// Each notification goes through Graph in the tenant of its
		// subscription: a token per tenant, no home tenant.
		ncfg.Mode = notify.ModeGraph
		gc, err := appGraphClient(a, graphHomeTenant(cfg))
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
	return s.reach.Reachable(ctx, notifyUser(u))
}

func notifyUser(u chat.User) notify.User {
	return notify.User{TenantID: u.TenantID, ID: u.ID, AADObjectID: u.AADObjectID, Locale: u.Locale}
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
	_, err := s.subs.Subscribe(ctx, notifyUser(u), notifyTarget(target))
	return err
}

func (s alertSubscriptions) Unsubscribe(ctx context.Context, u chat.User, target string) error {
	return s.subs.Unsubscribe(ctx, notifyUser(u), notifyTarget(target))
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

// newSyncCmd runs the catalog sync once (or on its interval) outside serve.
func newSyncCmd(a *app) *cobra.Command {
	var once, asJSON bool
	var storeURL string
	cmd := &cobra.Command{
		Use:   "sync [--once] [--json]",
		Short: "Sync the catalog from ATTESTBOT_SOURCE, raise change events and deliver alerts",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if len(a.cfg.Sources) == 0 {
				return errors.New("ATTESTBOT_SOURCE is empty: name the directories or git repositories to sync")
			}
			st, err := openStore(ctx, a, storeURL)
			if err != nil {
				return err
			}
			defer st.Close()
			conn, err := standaloneConnector(a)
			if err != nil {
				return err
			}
			svc, err := newAlerts(ctx, a, alertDeps{store: st, connector: conn})
			if err != nil {
				return err
			}
			defer svc.Close()
			if !once {
				return svc.Run(ctx)
			}
			start := time.Now()
			res, err := svc.RunOnce(ctx)
			if asJSON {
				if jerr := writeJSON(a.stdout, res); jerr != nil {
					return jerr
				}
			} else {
				for _, s := range res.Sources {
					fmt.Fprintf(a.stdout, "%s: %d steps, %d pages\n", s.Source, s.Steps, s.Pages)
				}
				fmt.Fprintf(a.stdout, "%d events, %d dispatched in %d ms\n", len(res.Events), res.Dispatched, time.Since(start).Milliseconds())
				for _, ev := range res.Events {
					fmt.Fprintf(a.stdout, "  %s %s: %s\n", ev.Locale, strings.Join(ev.Apps, ","), ev.Summary)
				}
			}
			return err
		},
	}
	cmd.Flags().BoolVar(&once, "once", false, "sync once, deliver what is due, and exit")
	cmd.Flags().BoolVar(&asJSON, "json", false, "with --once, print the result as JSON")
	cmd.Flags().StringVar(&storeURL, "store", "", "store URL (default $ATTESTBOT_STORE)")
	return cmd
}

// standaloneConnector is a Bot Connector client for commands that run
// without the server (sync): loopback serviceUrls in local mode, the Teams
// hosts and ATTESTBOT_TRUSTED_SERVICE_URLS with the bot's token otherwise.
func standaloneConnector(a *app) (bot.Connector, error) {
	cfg := a.cfg
	if cfg.LocalMode() {
		trust, err := connector.NewTrustedURLs(connector.TrustConfig{LocalMode: true})
		if err != nil {
			return nil, err
		}
		return connector.New(trust, connector.WithLogger(a.logger))
	}
	trust, err := connector.NewTrustedURLs(connector.TrustConfig{
		Allowlist: append(append([]string(nil), connector.DefaultTrustedServiceURLs...), cfg.TrustedServiceURLs...),
	})
	if err != nil {
		return nil, err
	}
	tokens, err := auth.NewTokenSource(cfg.Credentials, auth.TokenSourceOptions{Logger: a.logger})
	if err != nil {
		return nil, err
	}
	return connector.New(trust, connector.WithLogger(a.logger), connector.WithTokenSource(tokens))
}

// newHistoryCmd prints an app's change events.
func newHistoryCmd(a *app, open storeOpener) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "history SLUG [--json]",
		Short: "Show the change events of an app, newest first",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			st, err := open(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			events, err := notify.History(ctx, st, args[0])
			if err != nil {
				return err
			}
			if asJSON {
				if events == nil {
					events = []notify.Event{}
				}
				return writeJSON(a.stdout, map[string]any{"app": args[0], "events": events})
			}
			if len(events) == 0 {
				fmt.Fprintf(a.stdout, "no change events for %s\n", args[0])
				return nil
			}
			for _, ev := range events {
				fmt.Fprintf(a.stdout, "%s %s %s: %s\n", ev.Time.Format(time.DateOnly), ev.Locale, ev.Step, ev.Summary)
				for _, c := range ev.Changes {
					fmt.Fprintf(a.stdout, "    %s: %s %s → %s\n", orDash(c.Label), c.Kind, orDash(c.Old), orDash(c.New))
				}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the events as JSON")
	return cmd
}
