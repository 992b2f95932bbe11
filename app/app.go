// Package app owns attestbot serve's lifecycle: New builds every
// dependency in order (store, catalog, Graph, admin check, Bot Framework
// server, alerts, conversation, routes), Run starts the HTTP server, the
// catalog sync and alert delivery and the catalog reload loop under one
// errgroup, and shutdown runs the named cleanups in reverse order under one
// deadline. cmd/attestbot keeps the flags and the output; the commands that
// run without the server (sync, audit, install) take their pieces from here
// too (NewAlerts, NewGraphClient, NewConnector).
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/attestbot/attestbot/audit"
	"github.com/attestbot/attestbot/bot"
	"github.com/attestbot/attestbot/bot/auth"
	"github.com/attestbot/attestbot/bot/connector"
	"github.com/attestbot/attestbot/cards"
	"github.com/attestbot/attestbot/chat"
	"github.com/attestbot/attestbot/graphclient"
	"github.com/attestbot/attestbot/internal/config"
	"github.com/attestbot/attestbot/internal/outbound"
	"github.com/attestbot/attestbot/notify"
	"github.com/attestbot/attestbot/store"
)

// App is attestbot serve: what New built, Run runs.
type App struct {
	cfg     config.Config
	log     *slog.Logger
	version string
	clients Clients
	pprof   string
	mem     memoryLimit

	store   store.Store
	catalog *chat.Catalog
	bot     *bot.Bot
	alerts  *notify.Service
	// reload is signalled after each sync this replica applied.
	reload chan struct{}

	// cleanups run in reverse order at shutdown.
	cleanups []cleanup
}

// cleanup is a named step of the shutdown.
type cleanup struct {
	name string
	fn   func(ctx context.Context) error
}

// Option configures New.
type Option func(*App)

// WithClients sets the outbound HTTP clients (tests point them at fakes);
// the default is NewClients().
func WithClients(c Clients) Option { return func(a *App) { a.clients = c } }

// WithPprof serves Go's profiling endpoints on addr, a loopback host:port.
func WithPprof(addr string) Option { return func(a *App) { a.pprof = addr } }

// WithAutoMemoryLimit sets the Go runtime's soft memory limit from the
// catalog: 128 MiB for the first load, then max(128 MiB, twice the live
// heap a load leaves + 32 MiB). serve uses it when GOMEMLIMIT is not set.
func WithAutoMemoryLimit() Option { return func(a *App) { a.mem.on = true } }

// WithAutoGC sets the collector's percentage (GOGC) after each catalog load
// so that the heap goal for the live heap the load left is at least 32 MiB
// (100 to 1000 %): a small catalog's live heap would otherwise make a
// collection run every few megabytes of turns. serve uses it when GOGC is
// not set.
func WithAutoGC() Option { return func(a *App) { a.mem.gc = true } }

// New builds serve's dependencies in order. On error, what was already
// built is closed.
func New(ctx context.Context, cfg config.Config, logger *slog.Logger, version string, opts ...Option) (_ *App, err error) {
	a := &App{cfg: cfg, log: logger, version: version, reload: make(chan struct{}, 1)}
	for _, o := range opts {
		o(a)
	}
	a.mem.log = logger
	a.mem.start()
	if a.clients == (Clients{}) {
		a.clients = NewClients()
	}
	defer func() {
		if err != nil {
			a.shutdown(context.WithoutCancel(ctx), time.Now())
		}
	}()
	logger.Info("attestbot starting", "version", version, "config", cfg)
	if a.pprof != "" {
		stop, err := startPprof(ctx, a.pprof, logger)
		if err != nil {
			return nil, err
		}
		a.onShutdown("pprof", stop)
	}
	if err := a.openStore(ctx); err != nil {
		return nil, err
	}
	logFeatures(logger, cfg)
	if err := a.loadCatalog(ctx); err != nil {
		return nil, err
	}
	if err := a.wire(ctx); err != nil {
		return nil, err
	}
	return a, nil
}

// openStore opens the configured store and registers its close.
func (a *App) openStore(ctx context.Context) error {
	st, err := OpenStore(ctx, a.cfg.Store, a.log)
	if err != nil {
		return err
	}
	a.store = st
	a.onShutdown("store", func(context.Context) error { return st.Close() })
	return nil
}

// wire builds Graph, the admin check, the server, the alerts, the
// conversation and its routes, in that order: the routes are registered
// on the server's router once the conversation exists, before Run.
func (a *App) wire(ctx context.Context) error {
	cfg, log := a.cfg, a.log
	var gc *graphclient.Client
	if cfg.GraphAvailable() {
		// The tenant audit and the admin check read the tenant of the
		// conversation they answer, with the bot's app-only credential: a
		// token per tenant, no home tenant.
		c, err := NewGraphClient(cfg, log, a.clients, GraphHomeTenant(cfg))
		if err != nil {
			return fmt.Errorf("audit: %w", err)
		}
		gc = c
	}
	admins := NewRoles(cfg, log, gc)
	var tenantApps notify.TenantApps
	svcOpts := []chat.Option{chat.WithLogger(log), chat.WithLocale(cfg.Locale), chat.WithRoles(adminCheck{admins})}
	if gc != nil {
		aud := audit.New(NewAuditGraph(gc), a.catalog, audit.WithLogger(log))
		svcOpts = append(svcOpts, chat.WithAuditor(aud))
		tenantApps = aud
	}

	router := bot.NewRouter()
	b, err := a.newBot(router)
	if err != nil {
		return err
	}
	a.bot = b
	alerts, err := NewAlerts(ctx, cfg, log, a.clients, AlertDeps{Store: a.store, Connector: b.Connector(), TenantApps: tenantApps,
		Admins: adminCheck{admins}, OnSync: a.signalReload})
	if err != nil {
		return err
	}
	a.alerts = alerts
	a.onShutdown("alerts", func(context.Context) error { return alerts.Close() })
	svc := chat.NewService(a.catalog, cards.New(), append(svcOpts,
		chat.WithSummaryCache(cfg.CardCache),
		chat.WithSubscriptions(alertSubscriptions{subs: alerts.Subscriptions(), reach: alerts}),
		chat.WithHistory(alertHistory{svc: alerts, fallback: chat.NewRevisionHistory(a.store)}))...)
	NewRoutes(svc, log, cfg.CardCache).Register(router)
	return nil
}

// newBot builds the Bot Framework server: inbound token validation and the
// outbound token source unless in local mode.
func (a *App) newBot(router *bot.Router) (*bot.Bot, error) {
	cfg, log := a.cfg, a.log
	opts := []bot.Option{
		bot.WithLogger(log),
		bot.WithFeatures(cfg.FeaturesOn()),
		bot.WithDeduper(a.store),
		bot.WithConversationStore(a.store),
		bot.WithPinger(store.NewReadiness(a.store, 0)), // /readyz: ping and a write probe
	}
	if a.clients.Connector != nil {
		opts = append(opts, bot.WithConnectorOptions(connector.WithHTTPClient(a.clients.Connector)))
	}
	if !cfg.LocalMode() {
		keys, err := auth.NewKeyCache(auth.KeyCacheConfig{MetadataURL: cfg.OpenIDMetadataURL}, a.clients.OpenID, log)
		if err != nil {
			return nil, err
		}
		validator := auth.NewValidator(auth.ValidatorConfig{AppID: cfg.AppID, Issuer: cfg.ChannelIssuer}, keys, log)
		tokens, err := auth.NewTokenSource(cfg.Credentials, auth.TokenSourceOptions{Logger: log, HTTPClient: a.clients.Entra})
		if err != nil {
			return nil, err
		}
		opts = append(opts, bot.WithAuthenticator(validator), bot.WithTokenSource(tokens))
	}
	b, err := bot.New(bot.Config{
		AppID:              cfg.AppID,
		ListenAddr:         cfg.Listen,
		AllowedTenants:     cfg.AllowedTenants,
		TrustedServiceURLs: cfg.TrustedServiceURLs,
		ShutdownTimeout:    cfg.ShutdownTimeout,
	}, router, opts...)
	if err != nil {
		return nil, err
	}
	if err := b.Registry().Register(outbound.Default); err != nil {
		return nil, fmt.Errorf("register outbound metrics: %w", err)
	}
	return b, nil
}

// signalReload asks the reload loop to rebuild the catalog index.
func (a *App) signalReload() {
	select {
	case a.reload <- struct{}{}:
	default:
	}
}

// onShutdown registers a named cleanup; shutdown runs them in reverse.
func (a *App) onShutdown(name string, fn func(ctx context.Context) error) {
	a.cleanups = append(a.cleanups, cleanup{name: name, fn: fn})
}

// Run serves until ctx is cancelled or one of its loops fails: the HTTP
// server, the catalog sync and alert delivery, and the catalog reload.
// Then it runs the cleanups, and returns the server's error, if any.
func (a *App) Run(ctx context.Context) error {
	var stopped atomic.Pointer[time.Time]
	g, gctx := errgroup.WithContext(ctx)
	stop := context.AfterFunc(gctx, func() {
		now := time.Now()
		stopped.Store(&now)
	})
	defer stop()
	g.Go(func() error { return a.bot.Run(gctx) })
	g.Go(func() error {
		// An alert pipeline that stops is logged; the bot keeps answering.
		if err := a.alerts.Run(gctx); err != nil && !errors.Is(err, context.Canceled) {
			a.log.Error("alerts stopped", "err", err)
		}
		return nil
	})
	g.Go(func() error {
		a.reloadCatalog(gctx)
		return nil
	})
	err := g.Wait()
	start := time.Now()
	if t := stopped.Load(); t != nil {
		start = *t
	}
	a.shutdown(context.WithoutCancel(ctx), start)
	return err
}

// shutdown runs the cleanups in reverse order, all within one deadline:
// ShutdownTimeout after the stop began. A cleanup still running at the
// deadline is logged with its name and left behind; the ones after it are
// started with the expired context and not waited for.
func (a *App) shutdown(ctx context.Context, began time.Time) {
	ctx, cancel := context.WithDeadline(ctx, began.Add(a.shutdownTimeout()))
	defer cancel()
	for i := len(a.cleanups) - 1; i >= 0; i-- {
		c := a.cleanups[i]
		done := make(chan error, 1)
		go func() { done <- c.fn(ctx) }()
		select {
		case err := <-done:
			a.logStep(c.name, err)
		case <-ctx.Done():
			select {
			case err := <-done:
				a.logStep(c.name, err)
			default:
				a.log.Error("shutdown step abandoned: deadline passed", "step", c.name, "timeout", a.shutdownTimeout())
			}
		}
	}
	a.cleanups = nil
}

// logStep logs the end of a shutdown step.
func (a *App) logStep(name string, err error) {
	if err != nil {
		a.log.Warn("shutdown step failed", "step", name, "err", err)
		return
	}
	a.log.Info("shutdown step done", "step", name)
}

func (a *App) shutdownTimeout() time.Duration {
	if a.cfg.ShutdownTimeout > 0 {
		return a.cfg.ShutdownTimeout
	}
	return config.DefaultShutdownTimeout
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

// OpenStore opens the store at url (a bbolt path or a Redis URL), with
// go-redis's own log lines sent to logger.
func OpenStore(ctx context.Context, url string, logger *slog.Logger) (store.Store, error) {
	store.SetRedisLogger(logger)
	st, err := store.Open(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", store.RedactURL(url), err)
	}
	return st, nil
}
