package app

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"sync"

	"github.com/attestbot/attestbot/bot"
	"github.com/attestbot/attestbot/bot/schema"
	"github.com/attestbot/attestbot/cards"
	"github.com/attestbot/attestbot/chat"
	"github.com/attestbot/attestbot/internal/roles"
	"github.com/attestbot/attestbot/l10n"
	"github.com/attestbot/attestbot/manifest"
)

// Routes sends every activity attestbot answers to the conversation and
// turns its cards into Bot Framework replies.
type Routes struct {
	svc *chat.Service
	log *slog.Logger
	enc *cardEncoder
}

// NewRoutes returns the routes of svc. They keep the JSON of the last
// cardCache cards sent (the service's summary cards, shared), none when 0.
func NewRoutes(svc *chat.Service, log *slog.Logger, cardCache int) *Routes {
	return &Routes{svc: svc, log: log, enc: &cardEncoder{size: max(cardCache, 0)}}
}

// Register adds the routes, and the middleware that lets the admin check
// read the user's UPN, to r.
func (rt *Routes) Register(r *bot.Router) {
	r.Use(upnLookup) // the admin check may read the user's UPN from Teams
	r.OnDefaultMessage(func(ctx context.Context, t *bot.Turn) error {
		return rt.reply(ctx, t, rt.svc.Text(ctx, t.Identity(), t.Text()))
	})
	r.OnDefaultSubmit(func(ctx context.Context, t *bot.Turn) error {
		d, err := cards.DecodeActionData(t.Activity.Value)
		if err != nil {
			loc := l10n.For(t.Activity.Locale)
			return rt.reply(ctx, t, cards.New().For(t.Activity.Locale).Error(cards.ErrorMessage{Title: loc.T("error.bad_button"), Detail: loc.T("error.start_again")}))
		}
		return rt.reply(ctx, t, rt.svc.Action(ctx, t.Identity(), d))
	})
	r.OnDefaultCardAction(rt.cardAction)
	r.OnQuery(rt.query)
	r.OnQueryLink(func(ctx context.Context, t *bot.Turn, q schema.AppBasedLinkQuery) (*schema.MessagingExtensionResponse, error) {
		c, ok := rt.svc.Unfurl(ctx, t.Identity(), q.URL)
		if !ok {
			return &schema.MessagingExtensionResponse{}, nil
		}
		ma, err := rt.extensionAttachment(c)
		if err != nil {
			return nil, err
		}
		return &schema.MessagingExtensionResponse{ComposeExtension: &schema.MessagingExtensionResult{
			Type: schema.MessagingExtensionResultTypeResult, AttachmentLayout: "list", Attachments: []schema.MessagingExtensionAttachment{ma},
		}}, nil
	})
	r.OnWelcome(func(ctx context.Context, t *bot.Turn) error {
		return rt.reply(ctx, t, rt.svc.Welcome(chat.User{Locale: t.Activity.Locale}))
	})
}

// reply posts a card in the turn's conversation.
func (rt *Routes) reply(ctx context.Context, t *bot.Turn, c *cards.AdaptiveCard) error {
	att, err := rt.cardAttachment(cards.NewAttachment(c))
	if err != nil {
		return err
	}
	_, err = t.Reply(ctx, "", att)
	return err
}

// cardAction answers an Action.Execute with the card that replaces the
// one clicked.
func (rt *Routes) cardAction(ctx context.Context, t *bot.Turn, act schema.AdaptiveCardAction) (*schema.AdaptiveCardInvokeResponse, error) {
	d, err := cards.DecodeActionData(act.Data)
	if err != nil {
		return schema.NewErrorInvokeResponse(400, "BadRequest", l10n.For(t.Activity.Locale).T("error.bad_button")), nil
	}
	if d.Verb == "" {
		d.Verb = cards.Verb(act.Verb)
	}
	card := rt.svc.Action(ctx, t.Identity(), d)
	raw, err := cards.Encode(card)
	if err != nil {
		return nil, err
	}
	return schema.NewCardInvokeResponse(json.RawMessage(raw)), nil
}

// query answers a message extension search.
func (rt *Routes) query(ctx context.Context, t *bot.Turn, q schema.MessagingExtensionQuery) (*schema.MessagingExtensionResponse, error) {
	text, _ := q.Param(manifest.SearchParameter)
	limit := 10
	if q.QueryOptions != nil && q.QueryOptions.Count > 0 {
		limit = q.QueryOptions.Count
	}
	var atts []schema.MessagingExtensionAttachment
	for _, c := range rt.svc.Query(ctx, t.Identity(), text, limit) {
		ma, err := rt.extensionAttachment(c)
		if err != nil {
			rt.log.Warn("search result left out", "err", err)
			continue
		}
		atts = append(atts, ma)
	}
	return &schema.MessagingExtensionResponse{ComposeExtension: &schema.MessagingExtensionResult{
		Type: schema.MessagingExtensionResultTypeResult, AttachmentLayout: "list", Attachments: atts,
	}}, nil
}

// cardAttachment encodes a card attachment.
func (rt *Routes) cardAttachment(a cards.Attachment) (schema.Attachment, error) {
	raw, err := rt.enc.get(a.Content)
	if err != nil {
		return schema.Attachment{}, err
	}
	return schema.Attachment{ContentType: a.ContentType, Content: raw}, nil
}

func (rt *Routes) extensionAttachment(a cards.Attachment) (schema.MessagingExtensionAttachment, error) {
	main, err := rt.cardAttachment(a)
	if err != nil {
		return schema.MessagingExtensionAttachment{}, err
	}
	ma := schema.MessagingExtensionAttachment{Attachment: main}
	if a.Preview != nil {
		p, err := rt.cardAttachment(*a.Preview)
		if err != nil {
			return schema.MessagingExtensionAttachment{}, err
		}
		ma.Preview = &p
	}
	return ma, nil
}

// cardEncoder remembers the JSON of the cards sent last: the conversation
// hands out the same card for the same app on the same day (its summary
// cache), and encoding a summary card costs more than finding the app.
type cardEncoder struct {
	size int // entries kept; 0 keeps none
	mu   sync.Mutex
	m    map[*cards.AdaptiveCard]json.RawMessage
}

func (c *cardEncoder) get(content cards.AttachmentContent) (json.RawMessage, error) {
	card, ok := content.(*cards.AdaptiveCard)
	if !ok || c.size == 0 {
		return cards.Encode(content) // previews are small; 0 keeps none
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
	if c.m == nil || len(c.m) >= c.size {
		c.m = make(map[*cards.AdaptiveCard]json.RawMessage, min(c.size, 256))
	}
	c.m[card] = b
	c.mu.Unlock()
	return b, nil
}

// errNoMember is returned when the conversation does not list the user.
var errNoMember = errors.New("the user is not a member of the conversation")

// upnLookup is the middleware that lets the admin check read the asking
// user's UPN from Teams (the Bot Connector's member list of the
// conversation, the member whose aadObjectId is the activity's), only
// when an ATTESTBOT_ADMINS entry is a UPN.
func upnLookup(next bot.HandlerFunc) bot.HandlerFunc {
	return func(ctx context.Context, t *bot.Turn) (*schema.InvokeResponse, error) {
		a := t.Activity
		if t.Connector == nil || a == nil || a.Conversation == nil {
			return next(ctx, t)
		}
		oid := t.Identity().ID // the identity the admin check is asked about
		if oid == "" {
			return next(ctx, t)
		}
		ctx = roles.WithUPNLookup(ctx, func(ctx context.Context) (string, error) {
			members, err := t.Connector.GetConversationMembers(ctx, a.ServiceURL, a.Conversation.ID)
			if err != nil {
				return "", err
			}
			for _, m := range members {
				if strings.EqualFold(m.EntraObjectID(), oid) {
					return m.UserPrincipalName, nil
				}
			}
			return "", errNoMember
		})
		return next(ctx, t)
	}
}
