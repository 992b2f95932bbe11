package chat

import (
	"context"
	"errors"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/cards"
	"github.com/attestbot/attestbot/l10n"
	"github.com/attestbot/attestbot/store"
)

// User is who is talking to the bot: the tenant and Entra object ID Teams
// vouches for, their name and client locale (the type notify's subscribers
// are too).
type User = store.User

// History answers "what changed for this app".
type History interface {
	// Changes returns the recent changes of kind/slug in locale, newest
	// first.
	Changes(ctx context.Context, kind, slug, locale string) ([]attestation.Change, error)
}

// Subscriptions stores who watches what, per tenant and user.
type Subscriptions interface {
	// Subscribe adds target ("kind/slug", "all" or a filter such as
	// permission=Mail.*) to the user's subscriptions.
	Subscribe(ctx context.Context, u User, target string) error
	// Unsubscribe removes it; removing an absent subscription is no error.
	Unsubscribe(ctx context.Context, u User, target string) error
	// List returns the user's subscriptions in order: app refs (kind/slug
	// or slug), "all" or filters.
	List(ctx context.Context, u User) ([]string, error)
}

// ErrNotAdmin is returned for admin-only requests from other users.
var ErrNotAdmin = errors.New("admins only")

// Service answers the conversation.
type Service struct {
	cat    *Catalog
	cards  *cards.Builder
	hist   History
	subs   Subscriptions
	admins map[string]bool
	log    *slog.Logger

	summaries *summaryCache

	// auditor answers the tenant audit (audit.go).
	auditor Auditor
	// roles tell admins by their directory roles (audit.go).
	roles Roles

	// loc writes the replies of a turn (set by speaking).
	loc *l10n.Localizer
	// locale, when set, replaces every user's client locale (WithLocale).
	locale string
}

// WithLocale answers every user as if their Teams client said locale
// (fr-FR...), whatever the activity says: for local demos, since the
// Agents Playground always sends en-US. Empty keeps the client's locale.
func WithLocale(locale string) Option {
	return func(s *Service) { s.locale = strings.TrimSpace(locale) }
}

// userLocale returns u with the locale the service answers it in.
func (s *Service) userLocale(u User) User {
	if s.locale != "" {
		u.Locale = s.locale
	}
	return u
}

// Welcome builds the card sent when the bot is installed, in the user's
// language.
func (s *Service) Welcome(u User) *cards.AdaptiveCard {
	return s.speaking(s.userLocale(u).Locale).cards.Welcome()
}

// Option configures a Service.
type Option func(*Service)

// WithHistory answers "what changed" from h.
func WithHistory(h History) Option { return func(s *Service) { s.hist = h } }

// WithSubscriptions stores subscriptions in subs.
func WithSubscriptions(subs Subscriptions) Option { return func(s *Service) { s.subs = subs } }

// WithLogger logs through l.
func WithLogger(l *slog.Logger) Option { return func(s *Service) { s.log = l } }

// NewService returns the conversation over a catalog, building cards with b.
func NewService(cat *Catalog, b *cards.Builder, opts ...Option) *Service {
	s := &Service{cat: cat, cards: b, admins: map[string]bool{}, log: slog.Default(), summaries: &summaryCache{size: summaryCacheSize}}
	for _, o := range opts {
		o(s)
	}
	return s
}

// speaking returns a copy of s whose cards and replies are written in the
// catalog language of a Teams client locale (fr-CA writes French; an
// unknown locale English). The copy shares everything else with s.
func (s *Service) speaking(locale string) *Service {
	if s.locale != "" {
		locale = s.locale
	}
	c := *s
	c.cards = s.cards.For(locale)
	c.loc = c.cards.Localizer()
	return &c
}

func (s *Service) summary(res attestation.Result, locale string) *cards.AdaptiveCard {
	r := res.Record(pickLocale(res, locale))
	if r == nil {
		return s.cards.Error(cards.ErrorMessage{Title: s.loc.T("error.app_not_found")})
	}
	b := s.cards.WithLocales(res.Locales).WithListings(res.Listings)
	// Keyed by the indexed record; the card is built from the record's
	// summary facts, without a store read.
	return s.summaries.get(s.cat.Index(), r, b.Localizer().Locale(), func() *cards.AdaptiveCard {
		return s.cat.summaryCard(context.Background(), r, b.Summary)
	})
}

// summaryCache keeps the summary cards of the most asked apps. Records are
// never changed once indexed (a reload indexes new ones), and a card says
// how old the record is, so an entry is valid for its record and day. The
// cached cards are shared: callers must not change them.
type summaryCache struct {
	size int // entries kept; 0 keeps none
	mu   sync.Mutex
	m    map[summaryKey]*cards.AdaptiveCard
	// ix is the index the keys' records are of: a reload empties the
	// cache, whose keys would otherwise keep the previous catalog in
	// memory (a slim record holds all its catalog's blocks).
	ix *attestation.Index
}

type summaryKey struct {
	rec  *attestation.Record
	day  int64
	lang string
}

// summaryCacheSize is the default number of summary cards kept.
const summaryCacheSize = 512

// WithSummaryCache keeps up to n summary cards (512 by default; the cache
// starts over when full); 0 builds every summary card anew.
func WithSummaryCache(n int) Option {
	return func(s *Service) { s.summaries = &summaryCache{size: max(n, 0)} }
}

func (c *summaryCache) get(ix *attestation.Index, r *attestation.Record, lang string, build func() *cards.AdaptiveCard) *cards.AdaptiveCard {
	if c.size == 0 {
		return build()
	}
	k := summaryKey{rec: r, day: time.Now().Unix() / 86400, lang: lang}
	c.mu.Lock()
	if c.ix != ix {
		c.m, c.ix = nil, ix
	}
	card, ok := c.m[k]
	c.mu.Unlock()
	if ok {
		return card
	}
	card = build()
	c.mu.Lock()
	if c.m == nil || len(c.m) >= c.size {
		c.m = make(map[summaryKey]*cards.AdaptiveCard, min(c.size, summaryCacheSize))
	}
	c.m[k] = card
	c.mu.Unlock()
	return card
}

func (s *Service) changes(ctx context.Context, res attestation.Result, locale string, page int) *cards.AdaptiveCard {
	r := s.cat.Full(ctx, res.Record(locale))
	if s.hist == nil {
		return s.cards.Changes(r, nil, page)
	}
	chs, err := s.hist.Changes(ctx, res.Kind, res.Slug, r.Locale)
	if err != nil {
		s.log.Error("change history", "app", res.Key, "err", err)
		return s.cards.Error(cards.ErrorMessage{Title: s.loc.T("chat.history_unavailable"), Detail: s.loc.T("chat.try_in_a_minute")})
	}
	return s.cards.Changes(r, chs, page)
}

// Action answers an Action.Execute (or Action.Submit) of a card.
func (s *Service) Action(ctx context.Context, u User, d cards.ActionData) *cards.AdaptiveCard {
	u = s.userLocale(u)
	s = s.speaking(u.Locale)
	locale := d.Locale
	if locale == "" {
		locale = u.Locale
	}
	// app loads the button's app, quoting the locale the button names, else
	// the one a message would quote for this user (pickLocale): never
	// just the first record, so that every card of an answer quotes the
	// same page.
	app := func() (attestation.Result, *attestation.Record, *cards.AdaptiveCard) {
		res, ok := s.cat.App(d.Kind, d.Slug)
		if !ok {
			return res, nil, s.cards.Error(cards.ErrorMessage{Title: s.loc.T("error.app_not_found"), Detail: s.loc.T("chat.app_gone")})
		}
		return res, s.cat.Full(ctx, res.Record(pickLocale(res, d.Locale, u.Locale))), nil
	}
	switch d.Verb {
	case cards.VerbHelp:
		return s.cards.Help()
	case cards.VerbAudit:
		return s.auditPage(ctx, u, d.Page, d.Force)
	case cards.VerbSearch:
		if strings.TrimSpace(d.Query) == "" {
			return s.cards.Help()
		}
		return s.searchCard(d.Query, locale, d.Page).card
	case cards.VerbApp:
		res, ok := s.cat.App(d.Kind, d.Slug)
		if !ok {
			return s.cards.Error(cards.ErrorMessage{Title: s.loc.T("error.app_not_found"), Detail: s.loc.T("chat.app_gone")})
		}
		return s.cat.summaryCard(ctx, res.Record(pickLocale(res, d.Locale, u.Locale)), s.cards.WithLocales(res.Locales).WithListings(res.Listings).Summary)
	case cards.VerbSection:
		res, r, errCard := app()
		if errCard != nil {
			return errCard
		}
		return s.cards.WithLocales(res.Locales).Section(r, d.Section, cards.View{Page: d.Page, Original: d.Original})
	case cards.VerbPermissions:
		res, r, errCard := app()
		if errCard != nil {
			return errCard
		}
		return s.cards.WithLocales(res.Locales).Permissions(r, d.Page)
	case cards.VerbChanges:
		res, _, errCard := app()
		if errCard != nil {
			return errCard
		}
		return s.changes(ctx, res, pickLocale(res, locale), d.Page)
	case cards.VerbCompare:
		names := append([]string(nil), d.Compare...)
		if strings.TrimSpace(d.CompareWith) != "" {
			names = append(names, d.CompareWith)
		}
		return s.compareNames(User{Locale: u.Locale}, d.Query, names, nil).card
	case cards.VerbAsk:
		res, _, errCard := app()
		if errCard != nil {
			return errCard
		}
		return s.respond(ctx, u, d.Query, &res).card
	case cards.VerbSubscribe, cards.VerbUnsubscribe:
		res, r, errCard := app()
		if errCard != nil {
			return errCard
		}
		return s.subscribe(ctx, u, d.Verb == cards.VerbUnsubscribe, cards.Ref(res.Kind, res.Slug), r)
	}
	return s.cards.Error(cards.ErrorMessage{Title: s.loc.T("chat.unknown_button"), Detail: s.loc.T("chat.type_help")})
}

func (s *Service) subscribe(ctx context.Context, u User, un bool, target string, r *attestation.Record) *cards.AdaptiveCard {
	if s.subs == nil {
		return s.cards.Error(cards.ErrorMessage{Title: s.loc.T("chat.subscriptions_unavailable"), Detail: s.loc.T("chat.no_alerts")})
	}
	if u.TenantID == "" || u.ID == "" {
		return s.cards.Error(cards.ErrorMessage{Title: s.loc.T("chat.who_are_you"), Detail: s.loc.T("chat.needs_user")})
	}
	name := cards.EscapeMarkdown(target)
	switch {
	case r != nil:
		name = r.Name
	case target == "tenant":
		name = s.loc.T("chat.tenant_apps")
	case target == "all":
		name = s.loc.T("chat.every_app")
	}
	// Alerts are written in the language of this answer.
	u.Locale = s.loc.Locale()
	var err error
	if un {
		err = s.subs.Unsubscribe(ctx, u, target)
	} else {
		err = s.subs.Subscribe(ctx, u, target)
	}
	if err != nil {
		s.log.Error("subscription", "tenant_id", u.TenantID, "target", target, "err", err)
		return s.cards.Error(cards.ErrorMessage{Title: s.loc.T("chat.subscription_not_saved"), Detail: s.loc.T("chat.try_in_a_minute")})
	}
	if un {
		return s.cards.Notice(r, s.loc.F("chat.unsubscribed", l10n.Args{"Name": name}), s.loc.T("chat.unsubscribed_detail"), nil)
	}
	var undo *cards.ActionData
	if r != nil {
		undo = &cards.ActionData{Verb: cards.VerbUnsubscribe, Kind: r.Kind, Slug: r.Slug, Locale: r.Locale}
	}
	text := s.loc.T("chat.subscribed_detail")
	if !s.reachable(ctx, u) {
		text = s.loc.T("chat.subscribed_unreachable")
	}
	return s.cards.Notice(r, s.loc.F("chat.subscribed", l10n.Args{"Name": name}), text, undo)
}

// Reachability is optionally implemented by Subscriptions: whether an alert
// can reach the user at all (a stored personal chat, or the activity feed).
type Reachability interface {
	Reachable(ctx context.Context, u User) (bool, error)
}

// reachable reports whether alerts can reach u; true when it cannot be
// told (no Reachability, or an error, which is logged).
func (s *Service) reachable(ctx context.Context, u User) bool {
	r, ok := s.subs.(Reachability)
	if !ok {
		return true
	}
	yes, err := r.Reachable(ctx, u)
	if err != nil {
		s.log.Warn("delivery route unknown", "tenant_id", u.TenantID, "err", err)
		return true
	}
	return yes
}

func (s *Service) listSubscriptions(ctx context.Context, u User) *cards.AdaptiveCard {
	if s.subs == nil {
		return s.cards.Error(cards.ErrorMessage{Title: s.loc.T("chat.subscriptions_unavailable"), Detail: s.loc.T("chat.no_alerts")})
	}
	list, err := s.subs.List(ctx, u)
	if err != nil {
		s.log.Error("list subscriptions", "tenant_id", u.TenantID, "err", err)
		return s.cards.Error(cards.ErrorMessage{Title: s.loc.T("chat.subscriptions_not_read"), Detail: s.loc.T("chat.try_in_a_minute")})
	}
	if len(list) == 0 {
		return s.cards.Notice(nil, s.loc.T("chat.no_subscriptions"), s.loc.T("chat.no_subscriptions_detail"), nil)
	}
	var lines []string
	for _, t := range list {
		kind, slug, ok := cards.ParseRef(t)
		if !ok {
			slug = t
		}
		if res, found := s.cat.App(kind, slug); found {
			lines = append(lines, "- "+res.Name+" ("+cards.LocalizedKindLabel(s.loc, res.Kind)+")")
			continue
		}
		lines = append(lines, "- "+cards.EscapeMarkdown(t))
	}
	sort.Strings(lines)
	return s.cards.Notice(nil, s.loc.N("chat.subscriptions_count", len(list), nil), strings.Join(lines, "\n"), nil)
}

// Query answers a message-extension search: previews of the best apps.
func (s *Service) Query(ctx context.Context, u User, text string, limit int) []cards.Attachment {
	u = s.userLocale(u)
	s = s.speaking(u.Locale)
	if limit <= 0 || limit > 25 {
		limit = 10
	}
	text = strings.TrimSpace(text)
	var rs []attestation.Result
	if text != "" {
		if found := s.cat.Index().Lookup(text); len(found) > 0 {
			rs = found
		} else if q, err := attestation.ParseQuery(text); err == nil {
			rs = s.cat.Index().Search(q.Text, attestation.SearchOptions{Limit: limit, Filters: q.Filters, Locale: u.Locale})
		}
	} else {
		// The first run of the search box: Teams apps by name.
		teams, _ := attestation.ParseFilters("kind=teams")
		rs = s.cat.Index().Search("", attestation.SearchOptions{Limit: limit, Locale: u.Locale, Filters: teams})
	}
	if len(rs) > limit {
		rs = rs[:limit]
	}
	out := make([]cards.Attachment, 0, len(rs))
	for _, res := range rs {
		if r := s.cat.Full(ctx, res.Record(pickLocale(res, u.Locale))); r != nil {
			out = append(out, s.cards.SearchResultAttachment(r))
		}
	}
	return out
}

// Unfurl answers a pasted AppSource, Teams store or docs link with the
// app's summary card, or reports false when the link names no known app.
func (s *Service) Unfurl(ctx context.Context, u User, url string) (cards.Attachment, bool) {
	u = s.userLocale(u)
	s = s.speaking(u.Locale)
	if _, ok := attestation.ParseLink(url); !ok {
		return cards.Attachment{}, false
	}
	rs := s.cat.Index().Lookup(url)
	if len(rs) == 0 {
		return cards.Attachment{}, false
	}
	r := s.cat.Full(ctx, rs[0].Record(pickLocale(rs[0], u.Locale)))
	return s.cards.LinkUnfurlAttachment(r), true
}
