package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/bot"
	"github.com/attestbot/attestbot/bot/auth"
	"github.com/attestbot/attestbot/bot/schema"
	"github.com/attestbot/attestbot/cards"
	"github.com/attestbot/attestbot/internal/chat"
	"github.com/attestbot/attestbot/manifest"
	"github.com/attestbot/attestbot/sample"
	"github.com/attestbot/attestbot/store"
)

// runServe wires the store, the catalog, the conversation and the Bot
// Framework server, and runs until ctx is cancelled.
func runServe(ctx context.Context, a *app) error {
	cfg, log := a.cfg, a.logger
	st, err := store.Open(ctx, cfg.Store)
	if err != nil {
		return fmt.Errorf("open store %s: %w", store.RedactURL(cfg.Store), err)
	}
	defer st.Close()

	if err := bootstrapCatalog(ctx, a, st); err != nil {
		return err
	}
	cat := chat.NewCatalog(st)
	n, err := cat.Reload(ctx)
	if err != nil {
		return err
	}
	log.Info("catalog loaded", "records", n, "apps", cat.Index().Len())

	svc := chat.NewService(cat, cards.New(),
		chat.WithHistory(chat.NewRevisionHistory(st)),
		chat.WithSubscriptions(newSubscriptions(st)),
		chat.WithAdmins(cfg.Admins),
		chat.WithLogger(log))

	router := newRouter(svc, log)
	opts := []bot.Option{
		bot.WithLogger(log),
		bot.WithDeduper(st),
		bot.WithConversationStore(conversationStore{st}),
		bot.WithPinger(st),
	}
	if !cfg.LocalMode() {
		keys, err := auth.NewKeyCache(auth.KeyCacheConfig{MetadataURL: cfg.OpenIDMetadataURL}, nil, log)
		if err != nil {
			return err
		}
		validator := auth.NewValidator(auth.ValidatorConfig{AppID: cfg.AppID, Issuer: cfg.ChannelIssuer}, keys, log)
		tokens, err := auth.NewTokenSource(cfg.Credentials, auth.TokenSourceOptions{Logger: log})
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
	return b.Run(ctx)
}

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
	var recs []*attestation.Record
	for _, p := range sample.CurrentPages() {
		data, err := fs.ReadFile(sample.FS(), p)
		if err != nil {
			return err
		}
		r, err := attestation.Parse(p, data)
		if errors.Is(err, attestation.ErrNotPage) {
			continue
		}
		if err != nil {
			return fmt.Errorf("sample page %s: %w", p, err)
		}
		recs = append(recs, r)
	}
	own, err := attestation.ParseSource(attestation.Source{File: "attestbot.md", Path: "Apps/teams/attestbot.md", Locale: "en-US"},
		manifest.CompliancePage(manifest.Config{AppID: a.cfg.TeamsAppID, BotID: a.cfg.AppID, PublicURL: a.cfg.PublicURL}))
	if err == nil {
		recs = append(recs, own)
	}
	attestation.Reconcile(recs)
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

// userOf tells who sent an activity.
func userOf(t *bot.Turn) chat.User {
	a := t.Activity
	u := chat.User{TenantID: t.TenantID(), Locale: a.Locale}
	if a.From != nil {
		u.ID = a.From.EntraObjectID()
		if u.ID == "" {
			u.ID = a.From.ID
		}
		u.Name = a.From.Name
	}
	return u
}

// newRouter routes every activity attestbot answers to the conversation.
func newRouter(svc *chat.Service, log *slog.Logger) *bot.Router {
	r := bot.NewRouter()
	reply := func(ctx context.Context, t *bot.Turn, c *cards.AdaptiveCard) error {
		att, err := cardAttachment(cards.NewAttachment(c))
		if err != nil {
			return err
		}
		_, err = t.Reply(ctx, "", att)
		return err
	}
	r.OnDefaultMessage(func(ctx context.Context, t *bot.Turn) error {
		_ = t.SendTyping(ctx)
		return reply(ctx, t, svc.Text(ctx, userOf(t), t.Text()))
	})
	r.OnDefaultSubmit(func(ctx context.Context, t *bot.Turn) error {
		d, err := cards.DecodeActionData(t.Activity.Value)
		if err != nil {
			return reply(ctx, t, cards.New().Error(cards.ErrorMessage{Title: "That button sent something I cannot read", Detail: "Type help to start again."}))
		}
		return reply(ctx, t, svc.Action(ctx, userOf(t), d))
	})
	r.OnDefaultCardAction(func(ctx context.Context, t *bot.Turn, act schema.AdaptiveCardAction) (*schema.AdaptiveCardInvokeResponse, error) {
		d, err := cards.DecodeActionData(act.Data)
		if err != nil {
			return schema.NewErrorInvokeResponse(400, "BadRequest", "the action data cannot be read"), nil
		}
		if d.Verb == "" {
			d.Verb = cards.Verb(act.Verb)
		}
		card := svc.Action(ctx, userOf(t), d)
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
		for _, c := range svc.Query(ctx, userOf(t), text, limit) {
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
		c, ok := svc.Unfurl(ctx, userOf(t), q.URL)
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
		return reply(ctx, t, cards.New().Welcome())
	})
	return r
}

// cardAttachment encodes a card attachment, refusing one over Teams' size
// limit.
func cardAttachment(a cards.Attachment) (schema.Attachment, error) {
	raw, err := cards.Encode(a.Content)
	if err != nil {
		return schema.Attachment{}, err
	}
	return schema.Attachment{ContentType: a.ContentType, Content: raw}, nil
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

// subscriptions keeps chat subscriptions in the store's key/value area, per
// tenant and user, until the change alerts take them over.
type subscriptions struct{ st store.KV }

func newSubscriptions(st store.KV) *subscriptions { return &subscriptions{st: st} }

const subscriptionsBucket = "subscriptions"

func subKey(tenantID, userID string) string { return tenantID + "/" + userID }

func (s *subscriptions) List(ctx context.Context, tenantID, userID string) ([]string, error) {
	b, err := s.st.Get(ctx, subscriptionsBucket, subKey(tenantID, userID))
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var list []string
	if err := json.Unmarshal(b, &list); err != nil {
		return nil, fmt.Errorf("decode subscriptions: %w", err)
	}
	return list, nil
}

func (s *subscriptions) save(ctx context.Context, tenantID, userID string, list []string) error {
	b, err := json.Marshal(list)
	if err != nil {
		return err
	}
	return s.st.Put(ctx, subscriptionsBucket, subKey(tenantID, userID), b)
}

func (s *subscriptions) Subscribe(ctx context.Context, tenantID, userID, target string) error {
	list, err := s.List(ctx, tenantID, userID)
	if err != nil {
		return err
	}
	for _, t := range list {
		if t == target {
			return nil
		}
	}
	return s.save(ctx, tenantID, userID, append(list, target))
}

func (s *subscriptions) Unsubscribe(ctx context.Context, tenantID, userID, target string) error {
	list, err := s.List(ctx, tenantID, userID)
	if err != nil {
		return err
	}
	out := list[:0]
	for _, t := range list {
		if t != target {
			out = append(out, t)
		}
	}
	return s.save(ctx, tenantID, userID, out)
}
