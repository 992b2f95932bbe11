package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/attestbot/attestbot/bot/connector"
	"github.com/attestbot/attestbot/bot/schema"
	"github.com/attestbot/attestbot/internal/logtext"
	"github.com/attestbot/attestbot/l10n"
)

// Bot serves the Bot Framework messaging endpoint. Build it with New, then
// call Run (or Serve) once.
type Bot struct {
	cfg      Config
	router   *Router
	auth     Authenticator
	tokens   connector.TokenSource
	dedup    Deduper
	store    ConversationStore
	pinger   Pinger
	log      *slog.Logger
	now      func() time.Time
	registry *prometheus.Registry
	metrics  *metrics
	trust    *connector.TrustedURLs
	conn     Connector
	connOpts []connector.Option
	builtins []Middleware
	inflight *limiter // bounded: requests on /api/messages
	refs     *refCache
	workers  *pool // bounded: asynchronous turns
	invokes  *pool // unbounded: invoke handlers (bounded by HTTP concurrency)
	workCtx  context.Context
	stopWork context.CancelFunc
	draining atomic.Bool
	features []string // listed by /readyz
	runOnce  sync.Once
	handler  http.Handler
}

// Option configures a Bot.
type Option func(*Bot)

// WithAuthenticator sets the inbound JWT validator; required unless in local
// mode, where it is not called.
func WithAuthenticator(a Authenticator) Option { return func(b *Bot) { b.auth = a } }

// WithTokenSource sets the outbound Bot Connector token source (nil in local
// mode: no Authorization header).
func WithTokenSource(ts connector.TokenSource) Option { return func(b *Bot) { b.tokens = ts } }

// WithDeduper sets the redelivery filter. Default: a MemoryDeduper.
func WithDeduper(d Deduper) Option { return func(b *Bot) { b.dedup = d } }

// WithConversationStore stores the 1:1 conversation reference of each
// (tenant, user) on installationUpdate and conversationUpdate.
func WithConversationStore(s ConversationStore) Option { return func(b *Bot) { b.store = s } }

// WithFeatures names the optional features that are on; /readyz lists
// them.
func WithFeatures(names []string) Option {
	return func(b *Bot) { b.features = append([]string{}, names...) }
}

// WithPinger sets the readiness check of /readyz (the store).
func WithPinger(p Pinger) Option { return func(b *Bot) { b.pinger = p } }

// WithLogger sets the logger. Default: discard.
func WithLogger(l *slog.Logger) Option { return func(b *Bot) { b.log = l } }

// WithConnectorOptions passes options (HTTP client, retry policy, ...) to the
// connector client the bot builds.
func WithConnectorOptions(opts ...connector.Option) Option {
	return func(b *Bot) { b.connOpts = append(b.connOpts, opts...) }
}

// New validates cfg and builds a bot serving router. In local mode (no app
// ID) a non-loopback listen address is refused with ErrLocalModeNotLoopback.
func New(cfg Config, router *Router, opts ...Option) (*Bot, error) {
	if router == nil {
		return nil, errors.New("bot: router required")
	}
	cfg = cfg.withDefaults()
	b := &Bot{cfg: cfg, router: router, now: time.Now}
	for _, o := range opts {
		o(b)
	}
	b.log = discardLogger(b.log)
	if b.now == nil {
		b.now = time.Now
	}
	if b.dedup == nil {
		b.dedup = NewMemoryDeduper()
	}
	local := cfg.LocalMode()
	if local {
		if err := checkLocalListenAddr(cfg.ListenAddr); err != nil {
			return nil, fmt.Errorf("bot: %w", err)
		}
	} else if b.auth == nil {
		return nil, errors.New("bot: an app id is configured but no authenticator: refusing to run with inbound auth off")
	}
	trust, err := connector.NewTrustedURLs(connector.TrustConfig{
		LocalMode: local,
		Allowlist: allowlistFor(local, cfg.TrustedServiceURLs),
		TTL:       cfg.ServiceURLTTL,
	})
	if err != nil {
		return nil, fmt.Errorf("bot: %w", err)
	}
	b.trust = trust
	if b.registry == nil {
		b.registry = prometheus.NewRegistry()
		b.registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	}
	if b.metrics, err = newMetrics(b.registry); err != nil {
		return nil, fmt.Errorf("bot: register metrics: %w", err)
	}
	if b.conn == nil {
		copts := []connector.Option{connector.WithLogger(b.log), connector.WithObserver(b.metrics)}
		if b.tokens != nil && !local {
			copts = append(copts, connector.WithTokenSource(b.tokens))
		}
		c, err := connector.New(trust, append(copts, b.connOpts...)...)
		if err != nil {
			return nil, fmt.Errorf("bot: %w", err)
		}
		b.conn = c
	}
	b.builtins = []Middleware{Logging(), Recover(), TenantAllowlist(cfg.AllowedTenants), Dedup(b.dedup, cfg.DedupTTL)}
	b.inflight = newLimiter(cfg.MaxInFlight)
	b.refs = newRefCache(refCacheSize, refRewriteAfter)
	b.workers = newPool(cfg.Workers)
	b.invokes = newPool(0)
	b.workCtx, b.stopWork = context.WithCancel(context.Background())
	b.handler = b.newEcho()
	if local {
		b.log.Warn("LOCAL MODE: no app id configured, inbound authentication is OFF; "+
			"listening on loopback only and calling only loopback serviceUrls. Never expose this port.",
			"listen_addr", cfg.ListenAddr)
	}
	return b, nil
}

func allowlistFor(local bool, urls []string) []string {
	if local {
		return nil
	}
	return urls
}

// Connector returns the client turns reply through, for proactive messages.
func (b *Bot) Connector() Connector { return b.conn }

// Registry returns the Prometheus registry /metrics serves.
func (b *Bot) Registry() *prometheus.Registry { return b.registry }

// ServeHTTP serves /api/messages, /healthz, /readyz and /metrics (the Echo
// instance): Serve's HTTP server calls it, and a test may call it in
// process.
func (b *Bot) ServeHTTP(w http.ResponseWriter, r *http.Request) { b.handler.ServeHTTP(w, r) }

// genericError is the body of a 500 answer; details stay in the log.
var genericError = map[string]any{"error": map[string]string{"code": "InternalError", "message": "internal error"}}

// serveMessages is POST /api/messages (botframework.md §1.1). The order
// matters: a request takes an in-flight slot (503 when none is free), its
// token is verified from the header before the body is read, so an
// unauthenticated client never makes the bot hold its body; then the body
// is read (capped), decoded and bound to the token (channel, serviceUrl).
func (b *Bot) serveMessages(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		w.WriteHeader(http.StatusMethodNotAllowed)
		return
	}
	release, ok := b.inflight.acquire()
	if !ok {
		b.metrics.dropped.WithLabelValues("over_capacity").Inc()
		w.Header().Set("Retry-After", retryAfterSeconds)
		w.Header().Set("Connection", "close")
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	defer release()
	if r.ContentLength > b.cfg.MaxBodyBytes {
		w.Header().Set("Connection", "close")
		w.WriteHeader(http.StatusRequestEntityTooLarge)
		return
	}
	local := b.cfg.LocalMode()
	var checkActivity func(channelID, serviceURL string) error
	if !local {
		if checkActivity, ok = b.authenticate(w, r); !ok {
			return
		}
	}
	a, ok := b.readActivity(w, r)
	if !ok || !b.admit(w, a, local, checkActivity) {
		return
	}
	b.metrics.activities.WithLabelValues(typeLabel(a.Type)).Inc()
	b.dispatch(r.Context(), w, a)
}

// authenticate verifies the request's token from its header alone and
// returns the check its activity must then pass (channel, serviceUrl);
// it answers 401 and returns false when the token is refused.
func (b *Bot) authenticate(w http.ResponseWriter, r *http.Request) (func(channelID, serviceURL string) error, bool) {
	authHeader := r.Header.Get("Authorization")
	check, err := b.auth.AuthenticateHeader(r.Context(), authHeader)
	if err == nil && check == nil {
		err = errors.New("authenticator returned no activity check")
	}
	if err != nil {
		b.refuse(w, authReason(authHeader, err), err, nil)
		return nil, false
	}
	return check, true
}

// readBody reads the request body whole, at most limit bytes: into one
// buffer of the declared length when there is one, rather than growing and
// copying as io.ReadAll does.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	body := http.MaxBytesReader(w, r.Body, limit)
	if n := r.ContentLength; n > 0 && n <= limit {
		b := make([]byte, n)
		if _, err := io.ReadFull(body, b); err != nil {
			return nil, err
		}
		return b, nil
	}
	return io.ReadAll(body)
}

// readActivity reads the body (capped) and decodes it as an activity; it
// answers 413 or 400 and returns false when it cannot.
func (b *Bot) readActivity(w http.ResponseWriter, r *http.Request) (*schema.Activity, bool) {
	body, err := readBody(w, r, b.cfg.MaxBodyBytes)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			w.WriteHeader(http.StatusRequestEntityTooLarge)
			return nil, false
		}
		w.WriteHeader(http.StatusBadRequest)
		return nil, false
	}
	if !schema.IsJSONObject(body) {
		w.WriteHeader(http.StatusBadRequest)
		return nil, false
	}
	a := new(schema.Activity)
	// Directly: json.Unmarshal would first scan the whole body once more
	// only to hand it to the same method.
	if err := a.UnmarshalJSON(body); err != nil {
		b.log.Debug("malformed activity", "err", err)
		w.WriteHeader(http.StatusBadRequest)
		return nil, false
	}
	if a.Type == "" {
		w.WriteHeader(http.StatusBadRequest)
		return nil, false
	}
	return a, true
}

// admit checks that a is served: its channel, its binding to the token
// (then its serviceUrl is trusted for replies), its conversation and
// sender. It answers 401 or 400 and returns false otherwise.
func (b *Bot) admit(w http.ResponseWriter, a *schema.Activity, local bool, checkActivity func(channelID, serviceURL string) error) bool {
	if !servedChannel(a.ChannelID, local) {
		b.refuse(w, "channel_not_served", fmt.Errorf("channel %q not served", logtext.Clip(a.ChannelID)), a)
		return false
	}
	if checkActivity != nil {
		if err := checkActivity(a.ChannelID, a.ServiceURL); err != nil {
			b.refuse(w, authReason("-", err), err, a)
			return false
		}
		// The serviceurl claim matched a.ServiceURL: replies may go there.
		b.trust.Record(a.ServiceURL)
	}
	if a.Conversation == nil || a.Conversation.ID == "" || a.From == nil {
		// Every Teams activity names its conversation and sender; without
		// them nothing can be answered or attributed.
		b.log.Debug("activity without conversation or from", "activity_type", logtext.Clip(a.Type))
		w.WriteHeader(http.StatusBadRequest)
		return false
	}
	return true
}

// dispatch routes an admitted activity: an invoke is answered in the
// request, any other activity runs on a worker after 200 (503 when none
// takes it).
func (b *Bot) dispatch(ctx context.Context, w http.ResponseWriter, a *schema.Activity) {
	route, ok := b.selectRoute(a)
	t := b.newTurn(a, route.Name)
	if a.IsInvoke() {
		b.serveInvoke(ctx, w, t, route.Handler, ok)
		return
	}
	if !ok {
		t.Log.Debug("activity ignored: no route")
		w.WriteHeader(http.StatusOK)
		return
	}
	h := chain(route.Handler, b.builtins, b.router.middleware)
	if err := b.workers.Go(ctx, func() { b.runAsync(t, h) }); err != nil {
		reason := "shutting_down"
		if !errors.Is(err, errPoolClosed) {
			reason = "client_gone"
		}
		b.metrics.dropped.WithLabelValues(reason).Inc()
		t.Log.Warn("activity not processed", "reason", reason)
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// maxLoggedError bounds the error text of a refusal in the log; the
// attacker text it embeds (kid, channel) is already clipped shorter.
const maxLoggedError = 256

// retryAfterSeconds is the Retry-After of a 503 when every in-flight slot
// is taken.
const retryAfterSeconds = "1"

// refuse answers 401 and logs why, with attacker text clipped. a is nil
// when the body was not read; the connection is then closed rather than
// drained.
func (b *Bot) refuse(w http.ResponseWriter, reason string, err error, a *schema.Activity) {
	b.metrics.authFailures.WithLabelValues(reason).Inc()
	attrs := []any{"reason", reason, "err", logtext.ClipTo(err.Error(), maxLoggedError)}
	if a != nil {
		attrs = append(attrs, "activity_type", logtext.Clip(a.Type), "channel_id", logtext.Clip(a.ChannelID))
	} else {
		w.Header().Set("Connection", "close")
	}
	b.log.Warn("inbound activity refused", attrs...)
	w.WriteHeader(http.StatusUnauthorized)
}

func (b *Bot) newTurn(a *schema.Activity, route string) *Turn {
	t := NewTurn(a, b.conn, nil)
	t.route = route
	t.Log = newTurnLogger(b.log, a, t.TenantID())
	return t
}

// runAsync runs a non-invoke turn on a worker.
func (b *Bot) runAsync(t *Turn, h HandlerFunc) {
	ctx, cancel := context.WithTimeout(b.workCtx, b.cfg.TurnTimeout)
	defer cancel()
	start := time.Now()
	defer func() {
		// Recover already handles handler panics; this guards the rest.
		if r := recover(); r != nil {
			t.Log.Error("turn panicked outside handler", "panic", fmt.Sprint(r))
		}
		b.metrics.turnLatency.WithLabelValues(typeLabel(t.Activity.Type)).Observe(time.Since(start).Seconds())
	}()
	_, _ = h(ctx, t) // errors are logged by the Logging middleware
}

type invokeResult struct {
	resp *schema.InvokeResponse
	err  error
}

// serveInvoke runs an invoke handler within the invoke budget and writes
// its answer.
func (b *Bot) serveInvoke(ctx context.Context, w http.ResponseWriter, t *Turn, h HandlerFunc, routed bool) {
	if !routed {
		h = notImplemented
	}
	h = chain(h, b.builtins, b.router.middleware)
	ctx, cancel := context.WithTimeout(ctx, b.cfg.InvokeTimeout)
	defer cancel()
	start := time.Now()
	done := make(chan invokeResult, 1)
	err := b.invokes.Go(ctx, func() {
		defer func() {
			if r := recover(); r != nil {
				t.Log.Error("invoke panicked outside handler", "panic", fmt.Sprint(r))
				done <- invokeResult{err: &PanicError{Value: r}}
			}
		}()
		resp, err := h(ctx, t)
		done <- invokeResult{resp: resp, err: err}
	})
	if err != nil {
		b.metrics.dropped.WithLabelValues("shutting_down").Inc()
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	var res invokeResult
	select {
	case res = <-done:
	case <-ctx.Done():
		b.metrics.dropped.WithLabelValues("invoke_timeout").Inc()
		t.Log.Warn("invoke timed out", "budget", b.cfg.InvokeTimeout)
		res = invokeResult{resp: timeoutResponse(t.Activity)}
	}
	b.metrics.turnLatency.WithLabelValues("invoke").Observe(time.Since(start).Seconds())
	if res.err != nil {
		writeJSON(w, http.StatusInternalServerError, errorBody(t.Activity))
		return
	}
	status := statusOf(res.resp)
	if res.resp == nil || res.resp.Body == nil {
		w.WriteHeader(status)
		return
	}
	writeJSON(w, status, res.resp.Body)
}

// notImplemented answers an invoke no route handles (botframework.md §4.7).
func notImplemented(context.Context, *Turn) (*schema.InvokeResponse, error) {
	return &schema.InvokeResponse{Status: http.StatusNotImplemented}, nil
}

// errorBody is the body of a 500 answer to an invoke.
func errorBody(a *schema.Activity) any {
	if a.Name == schema.InvokeAdaptiveCardAction {
		return schema.NewErrorInvokeResponse(500, "InternalError", l10n.For(a.Locale).T("error.action_failed"))
	}
	return genericError
}

// timeoutResponse answers an invoke whose handler missed the budget with
// something the client can show.
func timeoutResponse(a *schema.Activity) *schema.InvokeResponse {
	switch a.Name {
	case schema.InvokeAdaptiveCardAction:
		return &schema.InvokeResponse{Status: 200,
			Body: schema.NewErrorInvokeResponse(504, "Timeout", l10n.For(a.Locale).T("error.too_slow"))}
	case schema.InvokeComposeExtensionQuery, schema.InvokeComposeExtensionQueryLink, schema.InvokeComposeExtensionAnonQueryLink:
		return &schema.InvokeResponse{Status: 200,
			Body: schema.NewSearchMessageResponse(l10n.For(a.Locale).T("error.too_slow"))}
	}
	return &schema.InvokeResponse{Status: http.StatusGatewayTimeout,
		Body: map[string]any{"error": map[string]string{"code": "Timeout", "message": "timed out"}}}
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	data, err := json.Marshal(body)
	if err != nil {
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(data)
}

// selectRoute adds the bot's system step to every personal-chat activity
// and to conversation and installation updates: storing (refreshing, or
// forgetting) the conversation reference, before the router's handlers. A
// user who subscribes by message is thus reachable even if the bot never
// saw the installation, and a changed serviceUrl is followed.
func (b *Bot) selectRoute(a *schema.Activity) (Route, bool) {
	route, ok := b.router.Select(a)
	update := a.Type == schema.ActivityTypeConversationUpdate || a.Type == schema.ActivityTypeInstallationUpdate
	if b.store == nil || (!update && !a.Conversation.IsPersonal()) {
		return route, ok
	}
	next := route.Handler
	if !ok {
		route.Name = a.Type
		if a.IsInvoke() {
			next = notImplemented
		}
	}
	route.Handler = func(ctx context.Context, t *Turn) (*schema.InvokeResponse, error) {
		b.saveReference(ctx, t)
		if next == nil {
			return nil, nil
		}
		return next(ctx, t)
	}
	return route, true
}

// saveReference stores the reference of a personal chat when it changed,
// or forgets it when the bot is uninstalled or removed. Failures are
// logged, never fatal.
func (b *Bot) saveReference(ctx context.Context, t *Turn) {
	a := t.Activity
	now := b.now()
	ref, ok := ConversationRefFromActivity(a, now)
	if !ok {
		return
	}
	removed := false
	switch a.Type {
	case schema.ActivityTypeInstallationUpdate:
		removed = strings.EqualFold(a.Action, schema.InstallActionRemove) ||
			strings.EqualFold(a.Action, schema.InstallActionRemoveUpgrade)
	case schema.ActivityTypeConversationUpdate:
		for _, m := range a.MembersRemoved {
			if a.Recipient != nil && m.ID == a.Recipient.ID {
				removed = true
			}
		}
	}
	if removed {
		b.refs.forget(ref.TenantID, ref.UserID)
		if rm, ok := b.store.(ConversationRemover); ok {
			if err := rm.DeleteConversation(ctx, ref.TenantID, ref.UserID); err != nil {
				t.Log.Error("forget conversation reference", "err", err)
			}
		}
		return
	}
	if b.refs.unchanged(ref, now) {
		return
	}
	if err := b.store.PutConversation(ctx, ref); err != nil {
		t.Log.Error("store conversation reference", "err", err)
		return
	}
	b.refs.stored(ref, now)
}
