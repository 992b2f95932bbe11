package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/notify/source"
	"github.com/attestbot/attestbot/store"
)

// Config is the notify part of attestbot's configuration. Environment
// names are given for cmd/attestbot to map.
type Config struct {
	// Sources are the catalog source specs (ATTESTBOT_SOURCE, comma
	// separated; see source.Spec for the syntax).
	Sources []string
	// CacheDir holds clones of remote repositories
	// (ATTESTBOT_SOURCE_CACHE, default data/sources).
	CacheDir string
	// SyncInterval is the period of Run's sync (ATTESTBOT_SYNC_INTERVAL,
	// default 1h; 0 disables syncing in Run).
	SyncInterval time.Duration
	// BulkThreshold groups one change of the same key and kind across this
	// many apps in one commit into one event (ATTESTBOT_BULK_THRESHOLD,
	// default 10; negative disables).
	BulkThreshold int
	// ConfirmSecondLocale holds alerts until a second locale of the page
	// reaches the same source hash, at most ConfirmTimeout
	// (ATTESTBOT_CONFIRM_TIMEOUT, default 6h); it takes effect with sources
	// of two or more locales (ATTESTBOT_CONFIRM_LOCALES, true unless set to
	// false).
	ConfirmSecondLocale bool
	ConfirmTimeout      time.Duration
	// InitialEvents raises events on a source's first read
	// (ATTESTBOT_SYNC_INITIAL_EVENTS, default false).
	InitialEvents bool
	// IncludeTextChanges reports free-text answer changes
	// (ATTESTBOT_ALERT_TEXT_CHANGES, default false: mostly MT variance).
	IncludeTextChanges bool
	// Mode is graph or local (default: graph when an ActivitySender is
	// given, else local).
	Mode Mode
	// TeamsAppID is the Teams app ID for deep links (ATTESTBOT_TEAMS_APP_ID).
	TeamsAppID string
	// ActivityType is the activity type (ATTESTBOT_ACTIVITY_TYPE, default
	// systemDefault).
	ActivityType string
	// InstallApp installs the app for users who lack it
	// (ATTESTBOT_INSTALL_APP, default false: they are listed for the
	// admin instead).
	InstallApp bool
	// CardInChat posts the diff card into the bot chat in graph mode, where
	// the notification's deep link lands (ATTESTBOT_CARD_IN_CHAT; the
	// zero value is false, and cmd should default it to true).
	CardInChat bool
	// Workers, MaxAttempts: see DelivererConfig (ATTESTBOT_NOTIFY_WORKERS,
	// ATTESTBOT_NOTIFY_MAX_ATTEMPTS).
	Workers     int
	MaxAttempts int
	// Replica names this replica in the consumer group
	// (ATTESTBOT_REPLICA, default hostname plus a random suffix).
	Replica string
	// LeaseTTL is the sync lease lifetime on Redis (default 30s).
	LeaseTTL time.Duration
	// Admins may subscribe to all apps and to filters (ATTESTBOT_ADMINS).
	Admins []string
	// OnSync is called after each periodic sync that applied changes.
	OnSync func(SyncResult)
}

// Deps are the collaborators of a Service.
type Deps struct {
	// Store is required: *store.BoltStore or *store.RedisStore (any
	// store.Store works, with a process-local lease and a KV outbox; see
	// New).
	Store store.Store
	// Activity sends activity feed notifications (graphclient); nil means
	// local mode.
	Activity  ActivitySender
	Installer Installer
	// Proactive and Cards post the diff card (bot connector, cards).
	Proactive ProactiveSender
	Cards     CardBuilder
	// Admins overrides Config.Admins.
	Admins AdminChecker
	// TenantApps lists each tenant's catalog apps for "tenant"
	// subscriptions (the tenant audit); nil leaves them silent.
	TenantApps TenantApps
	Clock      Clock
	Logger     *slog.Logger
}

// Service is the notify pipeline wired for cmd/attestbot.
type Service struct {
	cfg        Config
	syncer     *Syncer
	dispatcher *Dispatcher
	deliverer  *Deliverer
	subs       *Subscriptions
	sources    []source.Source
	kv         store.KV
	logger     *slog.Logger
}

// New builds the pipeline on the storage capabilities of deps.Store
// (store.NewSyncLease, NewOutbox, NewDeliveredLog, NewRateLimiter): on a
// Redis store a lease, outbox (Streams), delivery log and limiter shared
// by replicas; otherwise a process-local lease, the KV outbox and delivery
// log, and an in-memory limiter.
func New(ctx context.Context, cfg Config, deps Deps) (*Service, error) {
	if deps.Store == nil {
		return nil, errors.New("notify: Deps.Store is required")
	}
	if deps.Clock == nil {
		deps.Clock = SystemClock{}
	}
	if deps.Logger == nil {
		deps.Logger = slog.Default()
	}
	logger := deps.Logger.With("component", "notify")
	specs, err := source.ParseSpecs(cfg.Sources...)
	if err != nil {
		return nil, fmt.Errorf("notify: %w", err)
	}
	var sources []source.Source
	for _, sp := range specs {
		src, err := source.Open(ctx, sp, source.Options{CacheDir: cfg.CacheDir, Logger: logger})
		if err != nil {
			return nil, fmt.Errorf("notify: %w", err)
		}
		sources = append(sources, src)
	}
	st := deps.Store
	syncLease := store.NewSyncLease(st, cfg.LeaseTTL)
	outbox := store.NewOutbox[Message](st, store.OutboxOptions{Now: deps.Clock.Now})
	admins := deps.Admins
	if admins == nil {
		admins = AdminList(cfg.Admins)
	}
	subs := NewSubscriptions(st, st, admins).WithTenantApps(deps.TenantApps, logger)
	disp := NewDispatcher(st, subs, outbox, deps.Clock, logger)
	syncer, err := NewSyncer(SyncerConfig{
		Records: st, KV: st, Lease: syncLease, Cursors: syncLease, Sources: sources, Dispatcher: disp,
		Diff:          attestation.DiffOptions{IncludeText: cfg.IncludeTextChanges},
		BulkThreshold: cfg.BulkThreshold, ConfirmSecondLocale: cfg.ConfirmSecondLocale, ConfirmTimeout: cfg.ConfirmTimeout,
		InitialEvents: cfg.InitialEvents, Clock: deps.Clock, Logger: logger, OnSync: cfg.OnSync,
	})
	if err != nil {
		return nil, err
	}
	deliverer, err := NewDeliverer(DelivererConfig{
		Outbox: outbox, Delivered: store.NewDeliveredLog(st, deps.Clock.Now), KV: st, Limiter: store.NewRateLimiter(st), Mode: cfg.Mode,
		Activity: deps.Activity, Installer: deps.Installer, InstallApp: cfg.InstallApp,
		Proactive: deps.Proactive, Cards: deps.Cards, Conversations: st, CardInChat: cfg.CardInChat,
		TeamsAppID: cfg.TeamsAppID, ActivityType: cfg.ActivityType, Consumer: cfg.Replica,
		Workers: cfg.Workers, MaxAttempts: cfg.MaxAttempts, Clock: deps.Clock, Logger: logger,
	})
	if err != nil {
		return nil, err
	}
	return &Service{cfg: cfg, syncer: syncer, dispatcher: disp, deliverer: deliverer, subs: subs, sources: sources, kv: st, logger: logger}, nil
}

// Run is serve's part: the periodic sync on whichever replica holds the
// lease (unless SyncInterval is 0 or there is no source) and delivery on
// every replica, until ctx is done.
func (s *Service) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	if s.cfg.SyncInterval > 0 && len(s.sources) > 0 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = s.syncer.Run(ctx, s.cfg.SyncInterval)
		}()
	}
	err := s.deliverer.Run(ctx)
	wg.Wait()
	return err
}

// RunOnce is "attestbot sync --once": one sync and dispatch, then the
// delivery of every due message.
func (s *Service) RunOnce(ctx context.Context) (SyncResult, error) {
	res, err := s.syncer.RunOnce(ctx)
	if _, derr := s.deliverer.DeliverPending(ctx); derr != nil {
		err = errors.Join(err, derr)
	}
	return res, err
}

// Syncer returns the syncer.
func (s *Service) Syncer() *Syncer { return s.syncer }

// Deliverer returns the deliverer.
func (s *Service) Deliverer() *Deliverer { return s.deliverer }

// Reachable reports whether an alert can reach u (Deliverer.Reachable).
func (s *Service) Reachable(ctx context.Context, u User) (bool, error) {
	return s.deliverer.Reachable(ctx, u)
}

// Subscriptions returns the subscription store.
func (s *Service) Subscriptions() *Subscriptions { return s.subs }

// History returns an app's events, newest first.
func (s *Service) History(ctx context.Context, slug string) ([]Event, error) {
	return History(ctx, s.kv, slug)
}

// Event returns a stored event by ID (for the deep link's subEntityId),
// or store.ErrNotFound.
func (s *Service) Event(ctx context.Context, id string) (Event, error) {
	return EventByID(ctx, s.kv, id)
}

// Close releases the sources.
func (s *Service) Close() error {
	var errs []error
	for _, src := range s.sources {
		errs = append(errs, src.Close())
	}
	return errors.Join(errs...)
}
