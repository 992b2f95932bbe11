package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/audit"
	"github.com/attestbot/attestbot/bot"
	"github.com/attestbot/attestbot/bot/auth"
	"github.com/attestbot/attestbot/bot/schema"
	"github.com/attestbot/attestbot/cards"
	"github.com/attestbot/attestbot/chat"
	"github.com/attestbot/attestbot/internal/config"
	"github.com/attestbot/attestbot/internal/outbound"
	"github.com/attestbot/attestbot/internal/roles"
	"github.com/attestbot/attestbot/manifest"
	"github.com/attestbot/attestbot/notify"
	"github.com/attestbot/attestbot/store"
)

// runServe wires the store, the catalog, the conversation and the Bot
// Framework server, and runs until ctx is cancelled.
func runServe(ctx context.Context, a *app) error {
	cfg, log := a.cfg, a.logger
	st, err := openStore(ctx, a, "")
	if err != nil {
		return err
	}
	defer st.Close()

	logFeatures(log, cfg)
	if err := bootstrapCatalog(ctx, a, st); err != nil {
		return err
	}
	cat := chat.NewCatalog(st, chat.WithCatalogLogger(log))
	n, err := cat.Reload(ctx)
	if err != nil {
		return err
	}
	releaseMemory()
	log.Info("catalog loaded", "records", n, "apps", cat.Index().Len())

	// The conversation needs the alerts (subscriptions, history) and the
	// alerts need the bot's connector: build the bot around a service
	// whose dependencies are filled in just below.
	svcOpts := []chat.Option{chat.WithLogger(log), chat.WithLocale(cfg.Locale)}
	var tenantApps notify.TenantApps
	var admins *roles.Checker // admins by directory role (roles.go)
	if cfg.GraphAvailable() {
		// The tenant audit reads the app catalog and service principals of
		// the tenant of the conversation it answers, with the bot's app-only
		// credential: a token per tenant, no home tenant.
		gc, err := appGraphClient(a, graphHomeTenant(cfg))
		if err != nil {
			return fmt.Errorf("audit: %w", err)
		}
		aud := audit.New(newAuditGraph(gc), cat, audit.WithLogger(log))
		svcOpts = append(svcOpts, chat.WithAuditor(aud))
		tenantApps = aud
		admins = newRoles(a, gc)
	} else {
		admins = newRoles(a, nil)
	}
	svcOpts = append(svcOpts, chat.WithRoles(chatRoles{admins}))
	var svc *chat.Service
	router := newRouter(func() *chat.Service { return svc }, log)
	opts := []bot.Option{
		bot.WithLogger(log),
		bot.WithFeatures(cfg.FeaturesOn()),
		bot.WithDeduper(st),
		bot.WithConversationStore(conversationStore{st}),
		bot.WithPinger(store.NewReadiness(st, 0)), // /readyz: ping and a write probe
	}
	if !cfg.LocalMode() {
		keys, err := auth.NewKeyCache(auth.KeyCacheConfig{MetadataURL: cfg.OpenIDMetadataURL}, outboundClients.openid, log)
		if err != nil {
			return err
		}
		validator := auth.NewValidator(auth.ValidatorConfig{AppID: cfg.AppID, Issuer: cfg.ChannelIssuer}, keys, log)
		tokens, err := auth.NewTokenSource(cfg.Credentials, auth.TokenSourceOptions{Logger: log, HTTPClient: outboundClients.entra})
		if err != nil {
			return err
		}
		opts = append(opts, bot.WithAuthenticator(validator), bot.WithTokenSource(tokens))
	}
	b, err := bot.New(bot.Config{
		AppID:              cfg.AppID,
		ListenAddr:         cfg.Listen,
		AllowedTenants:     cfg.AllowedTenants,
		TrustedServiceURLs: cfg.TrustedServiceURLs,
	}, router, opts...)
	if err != nil {
		return err
	}
	if err := b.Registry().Register(outbound.Default); err != nil {
		return fmt.Errorf("register outbound metrics: %w", err)
	}
	reload := make(chan struct{}, 1)
	alerts, err := newAlerts(ctx, a, alertDeps{store: st, connector: b.Connector(), tenantApps: tenantApps, admins: notifyAdmins{admins}, onSync: func() {
		select {
		case reload <- struct{}{}:
		default:
		}
	}})
	if err != nil {
		return err
	}
	defer alerts.Close()
	svc = chat.NewService(cat, cards.New(), append(svcOpts,
		chat.WithSubscriptions(alertSubscriptions{subs: alerts.Subscriptions(), reach: alerts}),
		chat.WithHistory(alertHistory{svc: alerts, fallback: chat.NewRevisionHistory(st)}))...)

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	alertsDone := make(chan error, 1)
	go func() {
		alertsDone <- alerts.Run(ctx)
	}()
	// Reload the catalog index after each sync.
	go reloadCatalog(ctx, a, st, cat, reload)
	err = b.Run(ctx)
	cancel()
	if aerr := <-alertsDone; aerr != nil && !errors.Is(aerr, context.Canceled) {
		log.Error("alerts stopped", "err", aerr)
	}
	return err
}

// graphHomeTenant is the home tenant of serve's Graph credential: none for
// a MultiTenant bot (MicrosoftAppTenantId is ignored, even "common"), whose
// every Graph call names the tenant of the conversation or subscription it
// serves; the bot's tenant for SingleTenant and UserAssignedMSI.
func graphHomeTenant(cfg config.Config) string {
	switch t, _ := auth.ParseAppType(string(cfg.Credentials.AppType)); t {
	case auth.AppTypeSingleTenant, auth.AppTypeUserAssignedMSI:
		return cfg.Credentials.TenantID
	}
	return ""
}

// logFeatures logs one warning for each optional feature that is off
// because its setting is missing, then the features that are on.
func logFeatures(log *slog.Logger, cfg config.Config) {
	for _, f := range cfg.Features() {
		if f.Warning != "" {
			log.Warn(f.Warning, "feature", f.Name)
		}
	}
	log.Info("features", "on", cfg.FeaturesOn(), "tenants", tenantsServed(cfg.AllowedTenants))
}

// tenantsServed describes ATTESTBOT_ALLOWED_TENANTS for the startup log.
func tenantsServed(allowed []string) any {
	if len(allowed) == 0 {
		return "all"
	}
	return allowed
}

// reloadCatalog rebuilds the catalog index after each sync this replica
// ran (reload), when another replica's sync changed the number of records
// (checked every 30 s), and every 15 minutes in any case.
func reloadCatalog(ctx context.Context, a *app, st store.Store, cat *chat.Catalog, reload <-chan struct{}) {
	poll := time.NewTicker(30 * time.Second)
	defer poll.Stop()
	full := time.NewTicker(15 * time.Minute)
	defer full.Stop()
	last, _ := st.CountRecords(ctx)
	for {
		select {
		case <-ctx.Done():
			return
		case <-reload:
		case <-full.C:
		case <-poll.C:
			n, err := st.CountRecords(ctx)
			if err != nil || n == last {
				continue
			}
		}
		n, err := cat.Reload(ctx)
		if err != nil {
			a.logger.Warn("catalog reload", "err", err)
			continue
		}
		releaseMemory()
		last = n
		a.logger.Info("catalog reloaded", "records", n, "apps", cat.Index().Len())
	}
}

// releaseMemory returns to the system the memory a catalog load used and
// freed (decoded records, the previous index), which the Go runtime would
// otherwise hand back only over minutes. A load runs at start and after a
// sync, so the forced collection is rare.
func releaseMemory() { debug.FreeOSMemory() }

// bootstrapCatalog fills an empty store: from the bundled sample pages when
// no source is configured (local mode and first runs), plus attestbot's own
// compliance page.
func bootstrapCatalog(ctx context.Context, a *app, st store.Store) error {
	count, err := st.CountRecords(ctx)
	if err != nil {
		return fmt.Errorf("count records: %w", err)
	}
	if count > 0 || len(a.cfg.Sources) > 0 {
		return nil
	}
	recs, err := sampleRecords()
	if err != nil {
		return err
	}
	own, err := attestation.ParseSource(attestation.Source{File: "attestbot.md", Path: "Apps/teams/attestbot.md", Locale: "en-US"},
		manifest.CompliancePage(manifest.Config{AppID: a.cfg.TeamsAppID, BotID: a.cfg.AppID, PublicURL: a.cfg.PublicURL}))
	if err == nil {
		recs = append(recs, own)
	}
	res, err := st.PutRecords(ctx, recs)
	if err != nil {
		return fmt.Errorf("import the bundled sample: %w", err)
	}
	a.logger.Info("empty catalog: imported the bundled sample pages", "records", res.Added)
	return nil
}

// conversationStore adapts the store to the bot's conversation references.
type conversationStore struct{ st store.Store }

func (c conversationStore) PutConversation(ctx context.Context, ref bot.ConversationRef) error {
	return c.st.PutConversation(ctx, store.ConversationRef{
		TenantID: ref.TenantID, UserID: ref.UserID, UserName: ref.UserName, ConversationID: ref.ConversationID,
		ServiceURL: ref.ServiceURL, ChannelID: ref.ChannelID, BotID: ref.BotID, BotName: ref.BotName, UpdatedAt: ref.UpdatedAt,
	})
}

func (c conversationStore) DeleteConversation(ctx context.Context, tenantID, userID string) error {
	return c.st.DeleteConversation(ctx, tenantID, userID)
}

// userOf tells who sent an activity: the identity Teams vouches for
// (bot.IdentityOf), never a from.id.
func userOf(t *bot.Turn) chat.User {
	id := t.Identity()
	return chat.User{TenantID: id.TenantID, ID: id.UserID, AADObjectID: id.UserID, Name: id.Name, Locale: t.Activity.Locale}
}

// newRouter routes every activity attestbot answers to the conversation.
func newRouter(service func() *chat.Service, log *slog.Logger) *bot.Router {
	r := bot.NewRouter()
	r.Use(upnLookup) // the admin check may read the user's UPN from Teams
	reply := func(ctx context.Context, t *bot.Turn, c *cards.AdaptiveCard) error {
		att, err := cardAttachment(cards.NewAttachment(c))
		if err != nil {
			return err
		}
		_, err = t.Reply(ctx, "", att)
		return err
	}
	r.OnDefaultMessage(func(ctx context.Context, t *bot.Turn) error {
		return reply(ctx, t, service().Text(ctx, userOf(t), t.Text()))
	})
	r.OnDefaultSubmit(func(ctx context.Context, t *bot.Turn) error {
		d, err := cards.DecodeActionData(t.Activity.Value)
		if err != nil {
			return reply(ctx, t, cards.New().Error(cards.ErrorMessage{Title: "That button sent something I cannot read", Detail: "Type help to start again."}))
		}
		return reply(ctx, t, service().Action(ctx, userOf(t), d))
	})
	r.OnDefaultCardAction(func(ctx context.Context, t *bot.Turn, act schema.AdaptiveCardAction) (*schema.AdaptiveCardInvokeResponse, error) {
		d, err := cards.DecodeActionData(act.Data)
		if err != nil {
			return schema.NewErrorInvokeResponse(400, "BadRequest", "the action data cannot be read"), nil
		}
		if d.Verb == "" {
			d.Verb = cards.Verb(act.Verb)
		}
		card := service().Action(ctx, userOf(t), d)
		raw, err := cards.Encode(card)
		if err != nil {
			return nil, err
		}
		return schema.NewCardInvokeResponse(json.RawMessage(raw)), nil
	})
	r.OnQuery(func(ctx context.Context, t *bot.Turn, q schema.MessagingExtensionQuery) (*schema.MessagingExtensionResponse, error) {
		text, _ := q.Param(manifest.SearchParameter)
		limit := 10
		if q.QueryOptions != nil && q.QueryOptions.Count > 0 {
			limit = q.QueryOptions.Count
		}
		var atts []schema.MessagingExtensionAttachment
		for _, c := range service().Query(ctx, userOf(t), text, limit) {
			ma, err := extensionAttachment(c)
			if err != nil {
				log.Warn("search result left out", "err", err)
				continue
			}
			atts = append(atts, ma)
		}
		return &schema.MessagingExtensionResponse{ComposeExtension: &schema.MessagingExtensionResult{
			Type: schema.MessagingExtensionResultTypeResult, AttachmentLayout: "list", Attachments: atts,
		}}, nil
	})
	r.OnQueryLink(func(ctx context.Context, t *bot.Turn, q schema.AppBasedLinkQuery) (*schema.MessagingExtensionResponse, error) {
		c, ok := service().Unfurl(ctx, userOf(t), q.URL)
		if !ok {
			return &schema.MessagingExtensionResponse{}, nil
		}
		ma, err := extensionAttachment(c)
		if err != nil {
			return nil, err
		}
		return &schema.MessagingExtensionResponse{ComposeExtension: &schema.MessagingExtensionResult{
			Type: schema.MessagingExtensionResultTypeResult, AttachmentLayout: "list", Attachments: []schema.MessagingExtensionAttachment{ma},
		}}, nil
	})
	r.OnWelcome(func(ctx context.Context, t *bot.Turn) error {
		return reply(ctx, t, service().Welcome(chat.User{Locale: t.Activity.Locale}))
	})
	return r
}

// cardAttachment encodes a card attachment, refusing one over Teams' size
// limit.
func cardAttachment(a cards.Attachment) (schema.Attachment, error) {
	raw, err := encoded.get(a.Content)
	if err != nil {
		return schema.Attachment{}, err
	}
	return schema.Attachment{ContentType: a.ContentType, Content: raw}, nil
}

// encoded remembers the JSON of the cards sent last: the conversation
// hands out the same card for the same app on the same day (its summary
// cache), and encoding a summary card costs more than finding the app.
var encoded = &encodeCache{}

type encodeCache struct {
	mu sync.Mutex
	m  map[*cards.AdaptiveCard]json.RawMessage
}

const encodeCacheSize = 256

func (c *encodeCache) get(content cards.AttachmentContent) (json.RawMessage, error) {
	card, ok := content.(*cards.AdaptiveCard)
	if !ok {
		return cards.Encode(content) // previews are small
	}
	c.mu.Lock()
	raw, ok := c.m[card]
	c.mu.Unlock()
	if ok {
		return raw, nil
	}
	b, err := cards.Encode(card)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.m == nil || len(c.m) >= encodeCacheSize {
		c.m = make(map[*cards.AdaptiveCard]json.RawMessage, encodeCacheSize)
	}
	c.m[card] = b
	c.mu.Unlock()
	return b, nil
}

func extensionAttachment(a cards.Attachment) (schema.MessagingExtensionAttachment, error) {
	main, err := cardAttachment(a)
	if err != nil {
		return schema.MessagingExtensionAttachment{}, err
	}
	ma := schema.MessagingExtensionAttachment{Attachment: main}
	if a.Preview != nil {
		p, err := cardAttachment(*a.Preview)
		if err != nil {
			return schema.MessagingExtensionAttachment{}, err
		}
		ma.Preview = &p
	}
	return ma, nil
}
