package bot

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/attestbot/attestbot/bot/schema"
)

// HandlerFunc handles a turn. For an invoke, the returned InvokeResponse is
// the HTTP answer (nil means 200 without body); for other activities it is
// ignored.
type HandlerFunc func(ctx context.Context, t *Turn) (*schema.InvokeResponse, error)

// Middleware wraps a HandlerFunc.
type Middleware func(next HandlerFunc) HandlerFunc

// MessageFunc handles a message, an Action.Submit, a conversation or an
// installation update; it answers through t.Reply.
type MessageFunc func(ctx context.Context, t *Turn) error

// CardActionFunc handles an Action.Execute (adaptiveCard/action invoke). It
// returns the invoke body: a card replacing the clicked one (add a refresh
// with schema.WithRefresh), a message, or an error
// (schema.NewCardInvokeResponse, NewMessageInvokeResponse,
// NewErrorInvokeResponse). A nil response answers 200 without body.
type CardActionFunc func(ctx context.Context, t *Turn, action schema.AdaptiveCardAction) (*schema.AdaptiveCardInvokeResponse, error)

// QueryFunc handles a message extension search (composeExtension/query).
type QueryFunc func(ctx context.Context, t *Turn, q schema.MessagingExtensionQuery) (*schema.MessagingExtensionResponse, error)

// QueryLinkFunc handles link unfurling (composeExtension/queryLink and
// anonymousQueryLink). The result must carry a preview.
type QueryLinkFunc func(ctx context.Context, t *Turn, q schema.AppBasedLinkQuery) (*schema.MessagingExtensionResponse, error)

// Route is the handler selected for an activity, with a short, bounded name
// for logs and metrics.
type Route struct {
	Name    string
	Handler HandlerFunc
}

type messageRoute struct {
	pattern *regexp.Regexp
	handler MessageFunc
}

// Router maps activities to handlers, in the spirit of the Teams SDK
// (style.md §2a). Register routes before the bot serves; registration panics
// on a nil handler, an empty key or a duplicate key, which are programming
// errors. Selecting a route is pure and safe for concurrent use.
type Router struct {
	middleware     []Middleware
	messages       []messageRoute
	defaultMessage MessageFunc
	submits        map[string]MessageFunc
	defaultSubmit  MessageFunc
	cardActions    map[string]CardActionFunc
	defaultCard    CardActionFunc
	query          QueryFunc
	queryLink      QueryLinkFunc
	convUpdate     MessageFunc
	welcome        MessageFunc
	install        MessageFunc
	uninstall      MessageFunc
	invokes        map[string]HandlerFunc
	activities     map[string]HandlerFunc
}

// NewRouter returns an empty router.
func NewRouter() *Router {
	return &Router{
		submits:     map[string]MessageFunc{},
		cardActions: map[string]CardActionFunc{},
		invokes:     map[string]HandlerFunc{},
		activities:  map[string]HandlerFunc{},
	}
}

func mustHandler(kind string, isNil bool) {
	if isNil {
		panic(fmt.Sprintf("bot: nil %s handler", kind))
	}
}

// Use appends middleware; the first registered runs outermost (after the
// bot's built-in logging, recovery, tenant and dedup middleware).
func (r *Router) Use(mw ...Middleware) {
	for _, m := range mw {
		mustHandler("middleware", m == nil)
	}
	r.middleware = append(r.middleware, mw...)
}

// OnMessage routes text messages whose text (bot mention removed, trimmed)
// matches pattern. Patterns are tried in registration order; t.Matches()
// returns the submatches.
func (r *Router) OnMessage(pattern *regexp.Regexp, h MessageFunc) {
	mustHandler("message", h == nil)
	if pattern == nil {
		panic("bot: nil message pattern")
	}
	r.messages = append(r.messages, messageRoute{pattern: pattern, handler: h})
}

// OnDefaultMessage handles text messages no pattern matched.
func (r *Router) OnDefaultMessage(h MessageFunc) {
	mustHandler("default message", h == nil)
	r.defaultMessage = h
}

// OnSubmit routes Action.Submit messages (a value object and no text) whose
// value.verb, or else value.action, equals verb.
func (r *Router) OnSubmit(verb string, h MessageFunc) {
	mustHandler("submit", h == nil)
	if verb == "" {
		panic("bot: empty submit verb")
	}
	if _, dup := r.submits[verb]; dup {
		panic("bot: duplicate submit verb " + verb)
	}
	r.submits[verb] = h
}

// OnDefaultSubmit handles Action.Submit messages no OnSubmit verb matched.
func (r *Router) OnDefaultSubmit(h MessageFunc) {
	mustHandler("default submit", h == nil)
	r.defaultSubmit = h
}

// OnCardAction routes adaptiveCard/action invokes (Action.Execute) by verb.
func (r *Router) OnCardAction(verb string, h CardActionFunc) {
	mustHandler("card action", h == nil)
	if verb == "" {
		panic("bot: empty card action verb")
	}
	if _, dup := r.cardActions[verb]; dup {
		panic("bot: duplicate card action verb " + verb)
	}
	r.cardActions[verb] = h
}

// OnDefaultCardAction handles Action.Execute verbs with no OnCardAction route.
func (r *Router) OnDefaultCardAction(h CardActionFunc) {
	mustHandler("default card action", h == nil)
	r.defaultCard = h
}

// OnQuery handles composeExtension/query (every command; switch on q.CommandID).
func (r *Router) OnQuery(h QueryFunc) {
	mustHandler("query", h == nil)
	r.query = h
}

// OnQueryLink handles composeExtension/queryLink and anonymousQueryLink.
func (r *Router) OnQueryLink(h QueryLinkFunc) {
	mustHandler("query link", h == nil)
	r.queryLink = h
}

// OnConversationUpdate handles conversationUpdate activities (members added
// or removed, team and channel events in channelData.eventType). It runs
// after the welcome hook and after the bot stored the conversation reference.
func (r *Router) OnConversationUpdate(h MessageFunc) {
	mustHandler("conversation update", h == nil)
	r.convUpdate = h
}

// OnWelcome handles the bot being added to a conversation (it is among
// conversationUpdate.membersAdded): greet the user there.
func (r *Router) OnWelcome(h MessageFunc) {
	mustHandler("welcome", h == nil)
	r.welcome = h
}

// OnInstall handles installationUpdate "add" and "add-upgrade".
func (r *Router) OnInstall(h MessageFunc) {
	mustHandler("install", h == nil)
	r.install = h
}

// OnUninstall handles installationUpdate "remove" and "remove-upgrade".
func (r *Router) OnUninstall(h MessageFunc) {
	mustHandler("uninstall", h == nil)
	r.uninstall = h
}

// OnInvoke routes any other invoke by name; the handler's InvokeResponse is
// the HTTP answer.
func (r *Router) OnInvoke(name string, h HandlerFunc) {
	mustHandler("invoke", h == nil)
	if name == "" {
		panic("bot: empty invoke name")
	}
	if _, dup := r.invokes[name]; dup {
		panic("bot: duplicate invoke " + name)
	}
	r.invokes[name] = h
}

// OnActivity routes any activity type the typed routes do not cover (or did
// not match), e.g. messageReaction or event.
func (r *Router) OnActivity(activityType string, h HandlerFunc) {
	mustHandler("activity", h == nil)
	if activityType == "" {
		panic("bot: empty activity type")
	}
	if _, dup := r.activities[activityType]; dup {
		panic("bot: duplicate activity type " + activityType)
	}
	r.activities[activityType] = h
}

// Select returns the route for a; ok is false when nothing handles it (a
// non-invoke is then acknowledged and ignored, an invoke answered 501).
func (r *Router) Select(a *schema.Activity) (Route, bool) {
	if a == nil {
		return Route{}, false
	}
	var (
		route Route
		ok    bool
	)
	switch a.Type {
	case schema.ActivityTypeMessage:
		route, ok = r.selectMessage(a)
	case schema.ActivityTypeInvoke:
		route, ok = r.selectInvoke(a)
	case schema.ActivityTypeConversationUpdate:
		route, ok = r.selectConversationUpdate(a)
	case schema.ActivityTypeInstallationUpdate:
		route, ok = r.selectInstall(a)
	}
	if ok {
		return route, true
	}
	if a.Type == schema.ActivityTypeInvoke {
		if h, found := r.invokes[a.Name]; found {
			return Route{Name: "invoke", Handler: h}, true
		}
		return Route{}, false
	}
	if h, found := r.activities[a.Type]; found {
		return Route{Name: "activity", Handler: h}, true
	}
	return Route{}, false
}

// adapt turns a MessageFunc into a HandlerFunc.
func adapt(h MessageFunc) HandlerFunc {
	return func(ctx context.Context, t *Turn) (*schema.InvokeResponse, error) {
		return nil, h(ctx, t)
	}
}

func (r *Router) selectMessage(a *schema.Activity) (Route, bool) {
	if a.HasValueObject() && strings.TrimSpace(a.Text) == "" {
		if h, ok := r.submits[a.SubmitVerb()]; ok {
			return Route{Name: "submit", Handler: adapt(h)}, true
		}
		if r.defaultSubmit != nil {
			return Route{Name: "submit.default", Handler: adapt(r.defaultSubmit)}, true
		}
		return Route{}, false
	}
	botID := ""
	if a.Recipient != nil {
		botID = a.Recipient.ID
	}
	text := a.TextWithoutMentionOf(botID)
	for _, m := range r.messages {
		if sub := m.pattern.FindStringSubmatch(text); sub != nil {
			h := m.handler
			return Route{Name: "message", Handler: func(ctx context.Context, t *Turn) (*schema.InvokeResponse, error) {
				t.matches = sub
				return nil, h(ctx, t)
			}}, true
		}
	}
	if r.defaultMessage != nil {
		return Route{Name: "message.default", Handler: adapt(r.defaultMessage)}, true
	}
	return Route{}, false
}

// cardError answers an Action.Execute with an error the client shows; the
// HTTP status stays 200 (Universal Actions, botframework.md §4.5).
func cardError(status int, code, msg string) *schema.InvokeResponse {
	return &schema.InvokeResponse{Status: 200, Body: schema.NewErrorInvokeResponse(status, code, msg)}
}

func (r *Router) selectInvoke(a *schema.Activity) (Route, bool) {
	switch a.Name {
	case schema.InvokeAdaptiveCardAction:
		return r.selectCardAction(a)
	case schema.InvokeComposeExtensionQuery:
		if r.query == nil {
			return Route{}, false
		}
		h := r.query
		return Route{Name: "query", Handler: func(ctx context.Context, t *Turn) (*schema.InvokeResponse, error) {
			q, err := t.Activity.MessagingExtensionQuery()
			if err != nil {
				return &schema.InvokeResponse{Status: 400}, nil
			}
			res, err := h(ctx, t, q)
			if err != nil {
				return nil, err
			}
			return okBody(res), nil
		}}, true
	case schema.InvokeComposeExtensionQueryLink, schema.InvokeComposeExtensionAnonQueryLink:
		if r.queryLink == nil {
			return Route{}, false
		}
		h := r.queryLink
		return Route{Name: "queryLink", Handler: func(ctx context.Context, t *Turn) (*schema.InvokeResponse, error) {
			q, err := t.Activity.AppBasedLinkQuery()
			if err != nil || q.URL == "" {
				return &schema.InvokeResponse{Status: 400}, nil
			}
			res, err := h(ctx, t, q)
			if err != nil {
				return nil, err
			}
			return okBody(res), nil
		}}, true
	}
	return Route{}, false
}

// okBody answers 200 with v as the body, or without body when v is nil.
func okBody[T any](v *T) *schema.InvokeResponse {
	if v == nil {
		return &schema.InvokeResponse{Status: 200}
	}
	return &schema.InvokeResponse{Status: 200, Body: v}
}

func (r *Router) selectCardAction(a *schema.Activity) (Route, bool) {
	if len(r.cardActions) == 0 && r.defaultCard == nil {
		return Route{}, false
	}
	v, err := a.AdaptiveCardInvokeValue()
	if err != nil {
		return Route{Name: "cardAction", Handler: func(context.Context, *Turn) (*schema.InvokeResponse, error) {
			return cardError(400, "BadRequest", "missing or invalid action value"), nil
		}}, true
	}
	if v.Action.Type != schema.ActionTypeExecute {
		return Route{Name: "cardAction", Handler: func(context.Context, *Turn) (*schema.InvokeResponse, error) {
			return cardError(400, "NotSupported", "only Action.Execute is supported"), nil
		}}, true
	}
	h, ok := r.cardActions[v.Action.Verb]
	if !ok {
		h = r.defaultCard
	}
	if h == nil {
		return Route{}, false
	}
	action := v.Action
	return Route{Name: "cardAction", Handler: func(ctx context.Context, t *Turn) (*schema.InvokeResponse, error) {
		res, err := h(ctx, t, action)
		if err != nil {
			return nil, err
		}
		return okBody(res), nil
	}}, true
}

func (r *Router) selectConversationUpdate(a *schema.Activity) (Route, bool) {
	var welcome MessageFunc
	if r.welcome != nil && a.Recipient != nil && a.MembersAddedInclude(a.Recipient.ID) {
		welcome = r.welcome
	}
	update := r.convUpdate
	switch {
	case welcome == nil && update == nil:
		return Route{}, false
	case update == nil:
		return Route{Name: "welcome", Handler: adapt(welcome)}, true
	case welcome == nil:
		return Route{Name: "conversationUpdate", Handler: adapt(update)}, true
	}
	return Route{Name: "welcome", Handler: func(ctx context.Context, t *Turn) (*schema.InvokeResponse, error) {
		if err := welcome(ctx, t); err != nil {
			return nil, err
		}
		return nil, update(ctx, t)
	}}, true
}

func (r *Router) selectInstall(a *schema.Activity) (Route, bool) {
	switch strings.ToLower(a.Action) {
	case schema.InstallActionAdd, schema.InstallActionAddUpgrade:
		if r.install != nil {
			return Route{Name: "install", Handler: adapt(r.install)}, true
		}
	case schema.InstallActionRemove, schema.InstallActionRemoveUpgrade:
		if r.uninstall != nil {
			return Route{Name: "uninstall", Handler: adapt(r.uninstall)}, true
		}
	}
	return Route{}, false
}

// chain wraps h with mws, the first outermost.
func chain(h HandlerFunc, mws ...[]Middleware) HandlerFunc {
	var all []Middleware
	for _, m := range mws {
		all = append(all, m...)
	}
	for i := len(all) - 1; i >= 0; i-- {
		h = all[i](h)
	}
	return h
}
