package bot

import (
	"context"
	"fmt"
	"strings"

	"github.com/attestbot/attestbot/bot/schema"
)

// HandlerFunc handles a turn. For an invoke, the returned InvokeResponse is
// the HTTP answer (nil means 200 without body); for other activities it is
// ignored.
type HandlerFunc func(ctx context.Context, t *Turn) (*schema.InvokeResponse, error)

// Middleware wraps a HandlerFunc.
type Middleware func(next HandlerFunc) HandlerFunc

// MessageFunc handles a message, an Action.Submit or the bot's welcome; it
// answers through t.Reply.
type MessageFunc func(ctx context.Context, t *Turn) error

// CardActionFunc handles an Action.Execute (adaptiveCard/action invoke). It
// returns the invoke body: a card replacing the clicked one or an error
// (schema.NewCardInvokeResponse, NewErrorInvokeResponse). A nil response
// answers 200 without body.
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

// Router maps activities to handlers, in the spirit of the Teams SDK
// (style.md §2a). Register routes before the bot serves; registration panics
// on a nil handler, which is a programming error. Selecting a route is pure and safe for concurrent use.
type Router struct {
	middleware     []Middleware
	defaultMessage MessageFunc
	defaultSubmit  MessageFunc
	defaultCard    CardActionFunc
	query          QueryFunc
	queryLink      QueryLinkFunc
	welcome        MessageFunc
}

// NewRouter returns an empty router.
func NewRouter() *Router { return &Router{} }

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

// OnDefaultMessage handles text messages (the conversation parses them).
func (r *Router) OnDefaultMessage(h MessageFunc) {
	mustHandler("default message", h == nil)
	r.defaultMessage = h
}

// OnDefaultSubmit handles Action.Submit messages (a value object and no
// text); the handler reads the verb from value.verb, or else value.action.
func (r *Router) OnDefaultSubmit(h MessageFunc) {
	mustHandler("default submit", h == nil)
	r.defaultSubmit = h
}

// OnDefaultCardAction handles adaptiveCard/action invokes (Action.Execute);
// the handler switches on the verb.
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

// OnWelcome handles the bot being added to a conversation (it is among
// conversationUpdate.membersAdded): greet the user there.
func (r *Router) OnWelcome(h MessageFunc) {
	mustHandler("welcome", h == nil)
	r.welcome = h
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
		route, ok = r.selectWelcome(a)
	}
	return route, ok
}

// adapt turns a MessageFunc into a HandlerFunc.
func adapt(h MessageFunc) HandlerFunc {
	return func(ctx context.Context, t *Turn) (*schema.InvokeResponse, error) {
		return nil, h(ctx, t)
	}
}

func (r *Router) selectMessage(a *schema.Activity) (Route, bool) {
	if a.HasValueObject() && strings.TrimSpace(a.Text) == "" {
		if r.defaultSubmit != nil {
			return Route{Name: "submit.default", Handler: adapt(r.defaultSubmit)}, true
		}
		return Route{}, false
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
	h := r.defaultCard
	if h == nil {
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
	action := v.Action
	return Route{Name: "cardAction", Handler: func(ctx context.Context, t *Turn) (*schema.InvokeResponse, error) {
		res, err := h(ctx, t, action)
		if err != nil {
			return nil, err
		}
		return okBody(res), nil
	}}, true
}

// selectWelcome routes a conversationUpdate that adds the bot to the
// welcome handler; other updates have no route (the bot still stores the
// conversation reference).
func (r *Router) selectWelcome(a *schema.Activity) (Route, bool) {
	if r.welcome == nil || a.Recipient == nil || !a.MembersAddedInclude(a.Recipient.ID) {
		return Route{}, false
	}
	return Route{Name: "welcome", Handler: adapt(r.welcome)}, true
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
