package notify

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/attestbot/attestbot/internal/logtext"
	"github.com/attestbot/attestbot/internal/retry"
	"github.com/attestbot/attestbot/l10n"
	"github.com/attestbot/attestbot/store"
)

// Mode says how alerts reach users.
type Mode string

// Delivery modes.
const (
	// ModeGraph sends Teams activity feed notifications through Graph
	// (and, with CardInChat, the diff card into the bot chat they open).
	ModeGraph Mode = "graph"
	// ModeLocal posts the diff card into each user's stored conversation
	// (a proactive message in the bot chat): without an app registration
	// (the Agents Playground), and for a registered bot without the Teams
	// app ID that the activity feed's deep link needs.
	ModeLocal Mode = "local"
)

// Defaults of DelivererConfig.
const (
	DefaultActivityType = "systemDefault"
	DefaultMaxAttempts  = 8
	DefaultMaxThrottled = 50
	DefaultBackoffBase  = 2 * time.Second
	DefaultBackoffMax   = 15 * time.Minute
	DefaultPollInterval = time.Second
	DefaultWorkers      = 2
)

// DefaultCardRate paces proactive cards per tenant.
var DefaultCardRate = Rate{Limit: 20, Per: time.Second}

// bucketNotInstalled records users the app could not reach:
// <tenant>/<user> -> Unreachable.
const bucketNotInstalled = "notify.unreachable"

// DelivererConfig configures NewDeliverer.
type DelivererConfig struct {
	// Outbox and Delivered are required.
	Outbox    Outbox
	Delivered DeliveredLog
	// KV records the users the app could not reach (required).
	KV store.KV
	// Limiter paces Graph and card calls. Default an in-process limiter;
	// use store.NewRateLimiter when several replicas deliver.
	Limiter Limiter
	// Mode is graph or local. Default graph when Activity is set, else
	// local.
	Mode Mode
	// Activity sends activity feed notifications (graph mode, required).
	Activity ActivitySender
	// Installer installs the app for a user who does not have it, when
	// InstallApp is set; otherwise such users are recorded for the admin.
	Installer  Installer
	InstallApp bool
	// Proactive, Cards and Conversations post the diff card (local mode,
	// required; graph mode with CardInChat).
	Proactive     ProactiveSender
	Cards         CardBuilder
	Conversations ConversationGetter
	// CardInChat also posts the diff card into the bot chat in graph mode,
	// where the notification's deep link lands. Only users with a stored
	// conversation get it.
	CardInChat bool
	// TeamsAppID is the Teams app ID of the deep link (graph mode,
	// required).
	TeamsAppID string
	// ActivityType is the manifest activity type. Default "systemDefault"
	// (needs no manifest declaration). Another type must be declared in
	// the manifest with templateText using {appName}.
	ActivityType string
	// Consumer names this replica in the consumer group. Default
	// <hostname>-<random>.
	Consumer string
	// Workers is the number of concurrent deliveries. Default 2.
	Workers int
	// MaxAttempts is the number of failed attempts after which a message
	// goes to the dead letters. Default 8.
	MaxAttempts int
	// MaxThrottled bounds the throttled attempts. Default 50.
	MaxThrottled int
	// BackoffBase and BackoffMax bound the exponential backoff (with
	// jitter). Defaults 2 s and 15 min.
	BackoffBase, BackoffMax time.Duration
	// ClaimTTL is the outbox claim lifetime, renewed every third of it
	// while a message is worked on. Default DefaultClaimTTL.
	ClaimTTL time.Duration
	// PollInterval is the wait when the outbox is empty. Default 1 s.
	PollInterval time.Duration
	// SingleRate, BulkRate, UserRate and CardRate are the limits. Defaults
	// RateSingle, RateBulk, RateUser and DefaultCardRate.
	SingleRate, BulkRate, UserRate, CardRate Rate
	// Clock defaults to the system clock; Logger to slog.Default().
	Clock  Clock
	Logger *slog.Logger
	// Jitter returns a number in [0, 1). Default crypto/rand.
	Jitter func() float64
}

// Deliverer delivers outbox messages.
type Deliverer struct {
	cfg    DelivererConfig
	clock  Clock
	logger *slog.Logger
	// failures schedules the retries of failed sends: MaxAttempts,
	// BackoffBase doubling up to BackoffMax, up to half of it taken off at
	// random. throttles schedules the throttled ones: MaxThrottled times,
	// after the Retry-After (at least 1 s) plus up to 10 % at random.
	failures, throttles retry.Policy
}

// Unreachable is a user the app could not notify: the app is not
// installed for them, they have no Entra object ID, or no conversation.
type Unreachable struct {
	User    User      `json:"user"`
	EventID string    `json:"event_id"`
	Reason  string    `json:"reason"`
	At      time.Time `json:"at"`
}

// NewDeliverer returns a deliverer.
func NewDeliverer(cfg DelivererConfig) (*Deliverer, error) {
	if cfg.Mode == "" {
		cfg.Mode = ModeLocal
		if cfg.Activity != nil {
			cfg.Mode = ModeGraph
		}
	}
	var errs []error
	if cfg.Outbox == nil || cfg.Delivered == nil || cfg.KV == nil {
		errs = append(errs, errors.New("notify: DelivererConfig.Outbox, Delivered and KV are required"))
	}
	switch cfg.Mode {
	case ModeGraph:
		if cfg.Activity == nil {
			errs = append(errs, errors.New("notify: graph mode needs an ActivitySender"))
		}
		if strings.TrimSpace(cfg.TeamsAppID) == "" {
			errs = append(errs, errors.New("notify: graph mode needs the Teams app ID (ATTESTBOT_TEAMS_APP_ID) for the deep link"))
		}
		if cfg.CardInChat && (cfg.Proactive == nil || cfg.Cards == nil || cfg.Conversations == nil) {
			errs = append(errs, errors.New("notify: CardInChat needs Proactive, Cards and Conversations"))
		}
		if cfg.InstallApp && cfg.Installer == nil {
			errs = append(errs, errors.New("notify: InstallApp needs an Installer"))
		}
	case ModeLocal:
		if cfg.Proactive == nil || cfg.Cards == nil || cfg.Conversations == nil {
			errs = append(errs, errors.New("notify: local mode needs Proactive, Cards and Conversations"))
		}
	default:
		errs = append(errs, fmt.Errorf("notify: unknown delivery mode %q (want graph or local)", cfg.Mode))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if cfg.Limiter == nil {
		cfg.Limiter = store.NewMemoryLimiter()
	}
	if cfg.ActivityType == "" {
		cfg.ActivityType = DefaultActivityType
	}
	if cfg.Consumer == "" {
		host, _ := os.Hostname()
		var b [4]byte
		_, _ = rand.Read(b[:])
		cfg.Consumer = strings.Trim(host+"-"+hex.EncodeToString(b[:]), "-")
	}
	cfg.Workers = cmpOr(cfg.Workers, DefaultWorkers)
	cfg.MaxAttempts = cmpOr(cfg.MaxAttempts, DefaultMaxAttempts)
	cfg.MaxThrottled = cmpOr(cfg.MaxThrottled, DefaultMaxThrottled)
	cfg.BackoffBase = cmpOr(cfg.BackoffBase, DefaultBackoffBase)
	cfg.BackoffMax = cmpOr(cfg.BackoffMax, DefaultBackoffMax)
	cfg.ClaimTTL = cmpOr(cfg.ClaimTTL, DefaultClaimTTL)
	cfg.PollInterval = cmpOr(cfg.PollInterval, DefaultPollInterval)
	if cfg.SingleRate.Limit == 0 {
		cfg.SingleRate = RateSingle
	}
	if cfg.BulkRate.Limit == 0 {
		cfg.BulkRate = RateBulk
	}
	if cfg.UserRate.Limit == 0 {
		cfg.UserRate = RateUser
	}
	if cfg.CardRate.Limit == 0 {
		cfg.CardRate = DefaultCardRate
	}
	if cfg.Clock == nil {
		cfg.Clock = SystemClock{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Jitter == nil {
		cfg.Jitter = cryptoJitter
	}
	d := &Deliverer{cfg: cfg, clock: cfg.Clock, logger: cfg.Logger.With("consumer", cfg.Consumer)}
	d.failures, d.throttles = retryPolicies(cfg)
	return d, nil
}

// storeWriteRetry paces the retries of an outbox write: 50 ms doubling up
// to 5 s, until the write succeeds or the context ends.
var storeWriteRetry = retry.Policy{Base: 50 * time.Millisecond, Max: 5 * time.Second}

// retryPolicies returns the retry policies of failed and of throttled
// sends for cfg (defaults applied).
func retryPolicies(cfg DelivererConfig) (failures, throttles retry.Policy) {
	failures = retry.Policy{Attempts: cfg.MaxAttempts, Base: cfg.BackoffBase, Max: cfg.BackoffMax,
		Jitter: 0.5, JitterDown: true}
	throttles = retry.Policy{Attempts: cfg.MaxThrottled + 1, MinRetryAfter: time.Second, RetryAfterJitter: 0.1}
	return failures, throttles
}

func cmpOr[T int | time.Duration](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}

func cryptoJitter() float64 {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return float64(binary.BigEndian.Uint64(b[:])>>11) / (1 << 53)
}

// Run delivers until ctx is done, with cfg.Workers workers. A message
// being sent when ctx ends is neither acked nor retried: its claim lapses
// and it is delivered again (minus the users already marked delivered).
func (d *Deliverer) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	for i := range d.cfg.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d.worker(ctx, fmt.Sprintf("%s-%d", d.cfg.Consumer, i))
		}()
	}
	wg.Wait()
	return nil
}

func (d *Deliverer) worker(ctx context.Context, consumer string) {
	var lastErr string
	for ctx.Err() == nil {
		claims, err := d.cfg.Outbox.Claim(ctx, consumer, 1)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			if err.Error() != lastErr { // log a repeated failure once
				d.logger.WarnContext(ctx, "claim outbox messages", "err", err)
				lastErr = err.Error()
			}
		} else {
			lastErr = ""
		}
		if len(claims) == 0 {
			if d.clock.Sleep(ctx, d.cfg.PollInterval) != nil {
				return
			}
			continue
		}
		for _, c := range claims {
			d.process(ctx, consumer, c)
		}
	}
}

// DeliverPending claims and delivers due messages until none is left, on
// the calling goroutine, and returns how many it handled. For "sync
// --once" and tests.
func (d *Deliverer) DeliverPending(ctx context.Context) (int, error) {
	n := 0
	for {
		claims, err := d.cfg.Outbox.Claim(ctx, d.cfg.Consumer+"-once", 1)
		if err != nil {
			return n, err
		}
		if len(claims) == 0 {
			return n, nil
		}
		for _, c := range claims {
			d.process(ctx, d.cfg.Consumer+"-once", c)
			n++
		}
		if err := ctx.Err(); err != nil {
			return n, err
		}
	}
}

// process delivers one claimed message and acks, retries or dead-letters
// it.
func (d *Deliverer) process(ctx context.Context, consumer string, c Claim) {
	m := c.Message
	log := d.logger.With("message_id", m.ID, "event_id", m.Event.ID, "tenant_id", m.TenantID)
	hctx, stop := context.WithCancelCause(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // keep the claim while working on it (in real time, as Redis counts idle time)
		defer wg.Done()
		d.keepClaim(hctx, log, consumer, c, stop)
	}()
	err := d.deliver(hctx, log, m)
	lost := errors.Is(context.Cause(hctx), ErrLeaseLost)
	stop(nil)
	wg.Wait()
	if ctx.Err() != nil {
		return // shutting down or killed: the claim lapses and is taken over
	}
	if lost {
		log.WarnContext(ctx, "outbox claim lost to another consumer; it delivers the rest of the message")
		return
	}
	if err == nil {
		if m.Attempts > 0 || m.Throttled > 0 {
			log.InfoContext(ctx, "message delivered after retries", "attempts", m.Attempts+1)
		} else {
			log.DebugContext(ctx, "message delivered")
		}
		d.persist(ctx, log, "ack", func() error { return d.cfg.Outbox.Ack(ctx, c) })
		return
	}
	m.LastError = redactError(err)
	now := d.clock.Now().UTC()
	var thr *ThrottledError
	var perm *PermanentError
	var conf *ConflictError
	switch {
	case errors.As(err, &perm), errors.As(err, &conf):
		log.ErrorContext(ctx, "message given up on", "err", err)
		d.persist(ctx, log, "dead-letter", func() error { return d.cfg.Outbox.DeadLetter(ctx, c, m, m.LastError) })
		return
	case errors.As(err, &thr):
		m.Throttled++
		wait, ok := d.throttles.Next(m.Throttled, thr.RetryAfter, true, d.cfg.Jitter())
		if !ok {
			d.persist(ctx, log, "dead-letter", func() error {
				return d.cfg.Outbox.DeadLetter(ctx, c, m, "throttled too often: "+m.LastError)
			})
			return
		}
		m.NotBefore = now.Add(wait)
		log.InfoContext(ctx, "throttled; retrying later", "retry_after", wait)
	default:
		m.Attempts++
		wait, ok := d.failures.Next(m.Attempts, 0, false, d.cfg.Jitter())
		if !ok {
			log.ErrorContext(ctx, "message given up on after retries", "attempts", m.Attempts, "err", err)
			d.persist(ctx, log, "dead-letter", func() error {
				return d.cfg.Outbox.DeadLetter(ctx, c, m, fmt.Sprintf("%d attempts failed: %s", m.Attempts, m.LastError))
			})
			return
		}
		m.NotBefore = now.Add(wait)
		log.WarnContext(ctx, "delivery failed; retrying later", "attempts", m.Attempts, "not_before", m.NotBefore, "err", err)
	}
	d.persist(ctx, log, "retry", func() error { return d.cfg.Outbox.Retry(ctx, c, m) })
}

// keepClaim extends the claim c every third of its lifetime until ctx
// ends. When another consumer took the claim over (this one stalled past
// it), it cancels ctx with ErrLeaseLost: the delivery stops, and the
// message is left to the new holder.
func (d *Deliverer) keepClaim(ctx context.Context, log *slog.Logger, consumer string, c Claim, cancel context.CancelCauseFunc) {
	for (SystemClock{}).Sleep(ctx, d.cfg.ClaimTTL/3) == nil {
		err := d.cfg.Outbox.Extend(ctx, consumer, c)
		switch {
		case errors.Is(err, ErrLeaseLost):
			cancel(err)
			return
		case err != nil && ctx.Err() == nil:
			log.WarnContext(ctx, "extend outbox claim", "err", err)
		}
	}
}

// persist runs a store write until it succeeds or ctx ends (the store may
// be restarting): losing an ack or a delivery mark would mean a duplicate.
// An outbox write refused because another consumer took the claim over
// (ErrLeaseLost) is not retried.
func (d *Deliverer) persist(ctx context.Context, log *slog.Logger, what string, fn func() error) bool {
	var last string
	for attempt := 1; ; attempt++ {
		err := fn()
		if err == nil {
			return true
		}
		if ctx.Err() != nil {
			return false
		}
		if errors.Is(err, ErrLeaseLost) {
			log.WarnContext(ctx, "outbox claim lost to another consumer", "op", what, "err", err)
			return false
		}
		if err.Error() != last {
			log.WarnContext(ctx, "outbox write failed; retrying", "op", what, "err", err)
			last = err.Error()
		}
		if d.clock.Sleep(ctx, storeWriteRetry.Backoff(attempt, 0)) != nil {
			return false
		}
	}
}

// deliver sends one message on its channels; users already served are
// skipped.
func (d *Deliverer) deliver(ctx context.Context, log *slog.Logger, m Message) error {
	if d.cfg.Mode == ModeLocal || d.cfg.CardInChat {
		if err := d.sendCards(ctx, log, m); err != nil {
			return err
		}
	}
	if d.cfg.Mode == ModeGraph {
		return d.sendFeed(ctx, log, m)
	}
	return nil
}

func userIDs(us []User) []string {
	out := make([]string, len(us))
	for i, u := range us {
		out[i] = u.ID
	}
	return out
}

// mark records deliveries, retrying through store outages. The sends
// happened: when the claim was lost meanwhile (ctx is cancelled with
// ErrLeaseLost), they are recorded all the same, within a few seconds, so
// that the consumer that took the message over skips these users.
func (d *Deliverer) mark(ctx context.Context, log *slog.Logger, m Message, channel string, ids []string) error {
	if errors.Is(context.Cause(ctx), ErrLeaseLost) {
		mctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		ctx = mctx
	}
	if !d.persist(ctx, log, "mark delivered", func() error {
		return d.cfg.Delivered.MarkDelivered(ctx, m.TenantID, m.Event.ID, channel, m.ID, ids)
	}) {
		return ctx.Err()
	}
	return nil
}

// sendCards posts the diff card to each user's stored conversation.
func (d *Deliverer) sendCards(ctx context.Context, log *slog.Logger, m Message) error {
	pending, err := d.cfg.Delivered.Undelivered(ctx, m.TenantID, m.Event.ID, ChannelCard, userIDs(m.Users))
	if err != nil {
		return err
	}
	built := map[string]*Card{} // by catalog language
	for _, id := range pending {
		u := findUser(m.Users, id)
		ref, err := d.cfg.Conversations.GetConversation(ctx, m.TenantID, id)
		if isNotFound(err) {
			if d.cfg.Mode == ModeLocal {
				d.unreachable(ctx, log, m, u, "no_conversation")
			}
			if err := d.mark(ctx, log, m, ChannelCard, []string{id}); err != nil {
				return err
			}
			continue
		}
		if err != nil {
			return fmt.Errorf("read conversation: %w", err)
		}
		lang := l10n.Match(u.Locale)
		card := built[lang]
		if card == nil {
			c, err := d.cfg.Cards.ChangeCard(ctx, m.Event, lang)
			if err != nil {
				return &PermanentError{Err: fmt.Errorf("build diff card: %w", err)}
			}
			card = &c
			built[lang] = card
		}
		if err := d.pace(ctx, d.cfg.CardRate, "card:"+m.TenantID); err != nil {
			return err
		}
		err = d.cfg.Proactive.SendCard(ctx, ref, *card)
		var perm *PermanentError
		switch {
		case errors.As(err, &perm):
			// This user cannot be reached (the bot was removed or blocked);
			// the others still get their card.
			d.unreachable(ctx, log, m, u, "card: "+redactError(err))
		case err != nil:
			return fmt.Errorf("post diff card: %w", err)
		}
		if err := d.mark(ctx, log, m, ChannelCard, []string{id}); err != nil {
			return err
		}
	}
	return nil
}

// Reachable reports whether an alert can reach u at all: in graph mode
// through the activity feed (which needs the user's Entra object ID), in
// local mode through the stored reference of the user's personal chat with
// the bot. A subscription of an unreachable user would end in the log as
// "user not reachable".
func (d *Deliverer) Reachable(ctx context.Context, u User) (bool, error) {
	if d.cfg.Mode == ModeGraph {
		return u.AADObjectID != "", nil
	}
	_, err := d.cfg.Conversations.GetConversation(ctx, u.TenantID, u.ID)
	switch {
	case err == nil:
		return true, nil
	case isNotFound(err):
		return false, nil
	}
	return false, fmt.Errorf("read conversation: %w", err)
}

func findUser(us []User, id string) User {
	for _, u := range us {
		if u.ID == id {
			return u
		}
	}
	return User{ID: id}
}

// pace reserves one slot of rate on each key and sleeps until it is due.
func (d *Deliverer) pace(ctx context.Context, rate Rate, keys ...string) error {
	wait, err := d.cfg.Limiter.Reserve(ctx, d.clock.Now(), rate, keys...)
	if err != nil {
		return err
	}
	return d.clock.Sleep(ctx, wait)
}

// sendFeed sends the activity feed notification: one call for a single
// user, bulk calls of up to 100 users otherwise.
func (d *Deliverer) sendFeed(ctx context.Context, log *slog.Logger, m Message) error {
	pending, err := d.cfg.Delivered.Undelivered(ctx, m.TenantID, m.Event.ID, ChannelFeed, userIDs(m.Users))
	if err != nil {
		return err
	}
	var targets []User
	for _, id := range pending {
		u := findUser(m.Users, id)
		if u.AADObjectID == "" {
			d.unreachable(ctx, log, m, u, "no_aad_object_id")
			if err := d.mark(ctx, log, m, ChannelFeed, []string{id}); err != nil {
				return err
			}
			continue
		}
		targets = append(targets, u)
	}
	if len(targets) == 0 {
		return nil
	}
	if len(targets) == 1 {
		return d.sendSingle(ctx, log, m, targets[0], d.Notification(m.Event, targets[0].Locale), true)
	}
	// One notification text a language: each subscriber reads it in the
	// language they subscribed in.
	for _, byLang := range byLanguage(targets) {
		n := d.Notification(m.Event, byLang[0].Locale)
		for group := range slices.Chunk(byLang, MaxBulkRecipients) {
			if err := d.sendBulk(ctx, log, m, group, n); err != nil {
				return err
			}
		}
	}
	return nil
}

func (d *Deliverer) userKeys(tenantID string, us []User) []string {
	keys := make([]string, len(us))
	for i, u := range us {
		keys[i] = "user:" + tenantID + ":" + u.AADObjectID
	}
	return keys
}

func (d *Deliverer) sendSingle(ctx context.Context, log *slog.Logger, m Message, u User, n ActivityNotification, mayInstall bool) error {
	if err := d.pace(ctx, d.cfg.UserRate, d.userKeys(m.TenantID, []User{u})...); err != nil {
		return err
	}
	if err := d.pace(ctx, d.cfg.SingleRate, "single:"+m.TenantID); err != nil {
		return err
	}
	err := d.cfg.Activity.SendActivity(ctx, m.TenantID, u.AADObjectID, n)
	var ni *NotInstalledError
	if errors.As(err, &ni) {
		return d.notInstalled(ctx, log, m, u, n, mayInstall)
	}
	if err != nil {
		return fmt.Errorf("send activity notification: %w", err)
	}
	return d.mark(ctx, log, m, ChannelFeed, []string{u.ID})
}

func (d *Deliverer) sendBulk(ctx context.Context, log *slog.Logger, m Message, us []User, n ActivityNotification) error {
	if len(us) == 1 {
		return d.sendSingle(ctx, log, m, us[0], n, true)
	}
	if err := d.pace(ctx, d.cfg.UserRate, d.userKeys(m.TenantID, us)...); err != nil {
		return err
	}
	if err := d.pace(ctx, d.cfg.BulkRate, "bulk:"+m.TenantID); err != nil {
		return err
	}
	aads := make([]string, len(us))
	for i, u := range us {
		aads[i] = u.AADObjectID
	}
	err := d.cfg.Activity.SendActivityBulk(ctx, m.TenantID, aads, n)
	var ni *NotInstalledError
	if errors.As(err, &ni) {
		if len(ni.UserIDs) == 0 {
			// The bulk call does not say who: find out one by one.
			for _, u := range us {
				if err := d.sendSingle(ctx, log, m, u, n, true); err != nil {
					return err
				}
			}
			return nil
		}
		var rest []User
		for _, u := range us {
			if slices.Contains(ni.UserIDs, u.AADObjectID) {
				if err := d.notInstalled(ctx, log, m, u, n, true); err != nil {
					return err
				}
			} else {
				rest = append(rest, u)
			}
		}
		if len(rest) == len(us) {
			return fmt.Errorf("send bulk notification: %w", err)
		}
		return d.sendBulk(ctx, log, m, rest, n)
	}
	if err != nil {
		return fmt.Errorf("send bulk notification: %w", err)
	}
	return d.mark(ctx, log, m, ChannelFeed, userIDs(us))
}

// notInstalled installs the app for the user and retries once, when
// allowed; otherwise it records the user for the admin.
func (d *Deliverer) notInstalled(ctx context.Context, log *slog.Logger, m Message, u User, n ActivityNotification, mayInstall bool) error {
	if mayInstall && d.cfg.InstallApp && d.cfg.Installer != nil {
		err := d.cfg.Installer.InstallForUser(ctx, m.TenantID, u.AADObjectID)
		var perm *PermanentError
		switch {
		case err == nil:
			log.InfoContext(ctx, "installed the app for a user", "user_id", u.ID)
			return d.sendSingle(ctx, log, m, u, n, false)
		case errors.As(err, &perm):
			d.unreachable(ctx, log, m, u, "not_installed: install failed: "+redactError(err))
			return d.mark(ctx, log, m, ChannelFeed, []string{u.ID})
		default:
			return fmt.Errorf("install the app for a user: %w", err)
		}
	}
	d.unreachable(ctx, log, m, u, "not_installed")
	return d.mark(ctx, log, m, ChannelFeed, []string{u.ID})
}

// unreachable records a user the app could not notify, for the admin.
func (d *Deliverer) unreachable(ctx context.Context, log *slog.Logger, m Message, u User, reason string) {
	rec := Unreachable{User: u, EventID: m.Event.ID, Reason: reason, At: d.clock.Now().UTC()}
	rec.User.TenantID = m.TenantID
	log.WarnContext(ctx, "user not reachable", "user_id", u.ID, "reason", reason)
	d.persist(ctx, log, "record unreachable user", func() error {
		return putJSON(ctx, d.cfg.KV, bucketNotInstalled, m.TenantID+"/"+u.ID, rec)
	})
}

// Unreachable lists one tenant's users that could not be notified (app
// not installed, no conversation, no Entra object ID), for the admin.
func (d *Deliverer) Unreachable(ctx context.Context, tenantID string) ([]Unreachable, error) {
	if tenantID == "" || strings.Contains(tenantID, "/") {
		return nil, fmt.Errorf("unreachable users: bad tenant ID: %w", store.ErrInvalid)
	}
	var out []Unreachable
	err := d.cfg.KV.Scan(ctx, bucketNotInstalled, tenantID+"/", func(_ string, v []byte) error {
		var u Unreachable
		if err := json.Unmarshal(v, &u); err != nil {
			return fmt.Errorf("decode unreachable user: %w", err)
		}
		if u.User.TenantID == tenantID {
			out = append(out, u)
		}
		return nil
	})
	return out, err
}

// DeadLetters lists one tenant's messages given up on.
func (d *Deliverer) DeadLetters(ctx context.Context, tenantID string) ([]DeadLetter, error) {
	return d.cfg.Outbox.DeadLetters(ctx, tenantID)
}

// redactError shortens an error for storage; senders must not put tokens
// in errors, and URLs are cut at their query.
func redactError(err error) string {
	s := err.Error()
	if i := strings.Index(s, "?"); i >= 0 && strings.Contains(s[:i], "://") {
		s = s[:i] + "?…"
	}
	return logtext.Runes(s, 500)
}
