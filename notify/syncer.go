package notify

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/notify/source"
	"github.com/attestbot/attestbot/store"
)

// KV buckets of the event log.
const (
	// bucketPending holds step records whose events are not all
	// dispatched yet, keyed by <source ID>/<step ID>.
	bucketPending = "notify.pending"
	// bucketEvents holds dispatched step records (the change history),
	// keyed the same way.
	bucketEvents = "notify.events"
	// bucketConfirm maps the confirm key of a dispatched event to it.
	bucketConfirm = "notify.confirm"
)

// Defaults of SyncerConfig.
const (
	DefaultBulkThreshold  = 10
	DefaultConfirmTimeout = 6 * time.Hour
	DefaultRenewEvery     = 10 * time.Second
)

// RecordStore is the part of the store the syncer reads and writes
// records through (store.RecordStore satisfies it).
type RecordStore interface {
	PutRecords(ctx context.Context, recs []*attestation.Record) (store.PutResult, error)
	GetRecord(ctx context.Context, id string) (*attestation.Record, error)
	PreviousRecord(ctx context.Context, id string) (*attestation.Record, error)
	DeleteRecord(ctx context.Context, id string) error
}

// SyncerConfig configures NewSyncer. Records, KV, Lease, Cursors and
// Sources are required.
type SyncerConfig struct {
	// Records is the catalog.
	Records RecordStore
	// KV holds the event log (pending and dispatched steps).
	KV store.KV
	// Lease elects the syncing replica.
	Lease Lease
	// Cursors keeps each source's cursor, written under the lease's fence.
	Cursors CursorStore
	// Sources are the catalog sources, synced in order.
	Sources []source.Source
	// Dispatcher, when set, runs after every step that raised events and
	// at the end of each Sync, to turn ready events into outbox messages.
	Dispatcher *Dispatcher
	// Diff tunes attestation.Diff (free-text and publisher changes are
	// off by default).
	Diff attestation.DiffOptions
	// BulkThreshold is the number of apps from which one change of the same
	// field and kind in one step is reported as one bulk event. Default 10
	// (DefaultBulkThreshold); negative disables grouping.
	BulkThreshold int
	// ConfirmSecondLocale makes an alert wait until a second locale of the
	// same page reaches the same source hash (or ConfirmTimeout passes).
	// It takes effect only when the sources cover two locales or more.
	ConfirmSecondLocale bool
	// ConfirmTimeout is how long an alert waits for confirmation. Default
	// 6 h (DefaultConfirmTimeout).
	ConfirmTimeout time.Duration
	// InitialEvents raises events on the first read of a source (the
	// baseline) instead of storing its pages silently. Default false.
	InitialEvents bool
	// IgnoreRemovals stores page removals without raising events. Default
	// false.
	IgnoreRemovals bool
	// RenewEvery is the lease renewal period during a sync. Default 10 s.
	RenewEvery time.Duration
	// Clock defaults to the system clock.
	Clock Clock
	// Logger defaults to slog.Default().
	Logger *slog.Logger
	// OnSync, when set, is called after each successful sync that applied
	// at least one step (for example to reload a search index).
	OnSync func(SyncResult)
}

// Syncer syncs the catalog sources into the store and raises change
// events. It is safe for concurrent use; syncs are serialized.
type Syncer struct {
	cfg    SyncerConfig
	clock  Clock
	logger *slog.Logger

	mu sync.Mutex // serializes Sync

	leadMu sync.Mutex
	fence  Fence // held by Run between syncs; 0 when not leading
}

// SyncResult tells what a Sync did.
type SyncResult struct {
	// Sources has one entry per source, in order.
	Sources []SourceResult `json:"sources"`
	// Events lists the events raised, in order (including those awaiting
	// confirmation and confirmations).
	Events []Event `json:"events"`
	// Dispatched counts the events turned into outbox messages.
	Dispatched int `json:"dispatched"`
}

// applied reports whether the sync applied any step of any source.
func (r SyncResult) applied() bool {
	for _, s := range r.Sources {
		if s.Steps > 0 {
			return true
		}
	}
	return false
}

// SourceResult tells what a Sync did with one source.
type SourceResult struct {
	// Source is the source's redacted spec.
	Source string `json:"source"`
	// From and To are the cursors before and after (commit hashes for
	// git).
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
	// Steps counts the steps applied; Pages the pages parsed; Removed the
	// pages deleted.
	Steps   int `json:"steps"`
	Pages   int `json:"pages"`
	Removed int `json:"removed"`
	// Events counts the events raised.
	Events int `json:"events"`
	// Warnings counts parser warnings.
	Warnings int `json:"warnings"`
	// Repaired counts what the other locales at the same source hash
	// settled on the synced pages: answers re-keyed, confirmed or marked
	// unknown, dates and scope names restored.
	Repaired int `json:"repaired,omitempty"`
	// Err is the error that stopped this source, if any.
	Err string `json:"err,omitempty"`
}

// sourceState is what the syncer keeps per source: the source cursor, the
// learnt locale and the record ID of every page file.
type sourceState struct {
	Cursor string            `json:"cursor"`
	Locale string            `json:"locale,omitempty"`
	Pages  map[string]string `json:"pages"`
	At     time.Time         `json:"at"`
	Step   string            `json:"step,omitempty"`
}

// stepRecord is the event log entry of one step.
type stepRecord struct {
	Key    string    `json:"key"`
	Source string    `json:"source"`
	Locale string    `json:"locale"`
	Step   string    `json:"step"`
	Time   time.Time `json:"time"`
	Events []Event   `json:"events"`
	// Done lists the IDs of events already dispatched.
	Done []string `json:"done,omitempty"`
}

// NewSyncer returns a syncer.
func NewSyncer(cfg SyncerConfig) (*Syncer, error) {
	var errs []error
	if cfg.Records == nil {
		errs = append(errs, errors.New("notify: SyncerConfig.Records is required"))
	}
	if cfg.KV == nil {
		errs = append(errs, errors.New("notify: SyncerConfig.KV is required"))
	}
	if cfg.Lease == nil || cfg.Cursors == nil {
		errs = append(errs, errors.New("notify: SyncerConfig.Lease and Cursors are required"))
	}
	seen := map[string]bool{}
	for _, s := range cfg.Sources {
		if id := s.Spec().ID(); seen[id] {
			errs = append(errs, fmt.Errorf("notify: source %s is listed twice", s.Spec()))
		} else {
			seen[id] = true
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if cfg.BulkThreshold == 0 {
		cfg.BulkThreshold = DefaultBulkThreshold
	}
	if cfg.ConfirmTimeout <= 0 {
		cfg.ConfirmTimeout = DefaultConfirmTimeout
	}
	if cfg.RenewEvery <= 0 {
		cfg.RenewEvery = DefaultRenewEvery
	}
	if cfg.Clock == nil {
		cfg.Clock = SystemClock{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return &Syncer{cfg: cfg, clock: cfg.Clock, logger: cfg.Logger}, nil
}

// Sync syncs every source once: it takes the sync lease (or uses the one
// Run holds), applies every step since each source's cursor and
// dispatches ready events. It returns ErrNotLeader when another replica
// holds the lease. An error of one source does not stop the others; they
// are joined in the returned error.
func (s *Syncer) Sync(ctx context.Context) (SyncResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fence, release, err := s.lead(ctx)
	if err != nil {
		return SyncResult{}, err
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	stopRenew := s.keepRenewing(ctx, fence, cancel)
	defer func() {
		stopRenew()
		release()
	}()

	var res SyncResult
	var errs []error
	locales, err := s.locales(ctx)
	if err != nil {
		return res, err
	}
	pass := syncPass{fence: fence, locales: locales, confirm: s.cfg.ConfirmSecondLocale && len(locales) >= 2, replanned: map[string]*Event{}}
	for _, src := range s.cfg.Sources {
		sr, evs, err := s.syncSource(ctx, pass, src)
		res.Sources = append(res.Sources, sr)
		res.Events = append(res.Events, evs...)
		if learnt, lerr := s.locales(ctx); lerr == nil {
			// A first sync learns each source's locale from its pages: the
			// next sources vote their pages against it too.
			pass.locales = learnt
		}
		if err != nil {
			if cause := context.Cause(ctx); cause != nil && errors.Is(cause, ErrLeaseLost) {
				err = fmt.Errorf("%w (%w)", err, cause)
			}
			errs = append(errs, fmt.Errorf("sync %s: %w", src.Spec(), err))
			if ctx.Err() != nil {
				break
			}
		}
	}
	res.Events = replannedEvents(res.Events, pass.replanned)
	if s.cfg.Dispatcher != nil && ctx.Err() == nil {
		// A replica that lost the lease (it paused, say) leaves the
		// dispatch to the new leader: dispatched later, an event may find
		// other subscribers.
		if err := s.cfg.Lease.Check(ctx, fence); err != nil {
			errs = append(errs, fmt.Errorf("before dispatching: %w", err))
			return res, errors.Join(errs...)
		}
		n, err := s.cfg.Dispatcher.Dispatch(ctx)
		res.Dispatched += n
		if err != nil {
			errs = append(errs, err)
		}
	}
	return res, errors.Join(errs...)
}

// lead returns the fence to sync under: the one Run holds, or a fresh
// acquisition released by the returned func.
func (s *Syncer) lead(ctx context.Context) (Fence, func(), error) {
	s.leadMu.Lock()
	f := s.fence
	s.leadMu.Unlock()
	if f != 0 {
		return f, func() {}, nil
	}
	f, err := s.cfg.Lease.TryAcquire(ctx)
	if err != nil {
		return 0, nil, err
	}
	return f, func() {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if err := s.cfg.Lease.Release(rctx, f); err != nil {
			s.logger.WarnContext(ctx, "release sync lease", "err", err)
		}
	}, nil
}

// keepRenewing renews the lease every RenewEvery until the returned func
// is called; a lost lease cancels ctx with ErrLeaseLost.
func (s *Syncer) keepRenewing(ctx context.Context, f Fence, cancel context.CancelCauseFunc) func() {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		rctx, stop := context.WithCancel(ctx)
		defer stop()
		go func() {
			select {
			case <-done:
				stop()
			case <-rctx.Done():
			}
		}()
		for {
			// Real time: the lease's TTL runs on the store's clock, not on
			// an injected one.
			if err := (SystemClock{}).Sleep(rctx, s.cfg.RenewEvery); err != nil {
				return
			}
			if err := s.cfg.Lease.Renew(rctx, f); err != nil {
				if rctx.Err() != nil {
					return
				}
				if errors.Is(err, ErrLeaseLost) {
					s.logger.ErrorContext(ctx, "sync lease lost; stopping the sync", "fence", int64(f))
					cancel(ErrLeaseLost)
					return
				}
				s.logger.WarnContext(ctx, "renew sync lease", "err", err)
			}
		}
	}()
	return func() {
		close(done)
		wg.Wait()
	}
}

// locales returns the distinct locales of the sources: the spec's, or the
// one learnt from the pages of an earlier sync.
func (s *Syncer) locales(ctx context.Context) ([]string, error) {
	var out []string
	for _, src := range s.cfg.Sources {
		loc := src.Spec().Locale
		if loc == "" {
			st, err := s.loadState(ctx, src)
			if err != nil {
				return nil, err
			}
			loc = st.Locale
		}
		if loc != "" && !slices.Contains(out, loc) {
			out = append(out, loc)
		}
	}
	return out, nil
}

func (s *Syncer) loadState(ctx context.Context, src source.Source) (sourceState, error) {
	st := sourceState{Pages: map[string]string{}}
	b, err := s.cfg.Cursors.LoadCursor(ctx, src.Spec().ID())
	if err != nil {
		return st, err
	}
	if len(b) > 0 {
		if err := json.Unmarshal(b, &st); err != nil {
			return st, fmt.Errorf("decode sync state of %s: %w", src.Spec(), err)
		}
		if st.Pages == nil {
			st.Pages = map[string]string{}
		}
	}
	if st.Locale == "" {
		st.Locale = src.Spec().Locale
	}
	return st, nil
}

func (s *Syncer) syncSource(ctx context.Context, pass syncPass, src source.Source) (SourceResult, []Event, error) {
	spec := src.Spec()
	sr := SourceResult{Source: spec.String()}
	st, err := s.loadState(ctx, src)
	if err != nil {
		sr.Err = err.Error()
		return sr, nil, err
	}
	sr.From = shortCursor(st.Cursor)
	var events []Event
	err = src.Steps(ctx, st.Cursor, func(step source.Step) error {
		evs, stats, err := s.applyStep(ctx, pass, spec, &st, step)
		if err != nil {
			return fmt.Errorf("step %s: %w", step.ID, err)
		}
		sr.Steps++
		sr.Pages += stats.pages
		sr.Removed += stats.removed
		sr.Warnings += stats.warnings
		sr.Repaired += stats.repaired
		sr.Events += len(evs)
		// Events are dispatched once every source is synced (Sync): a
		// page's other locales at the same source hash may still come and
		// outvote a shifted locale, and re-plan its pending events.
		events = append(events, evs...)
		return nil
	})
	sr.To = shortCursor(st.Cursor)
	if err != nil {
		sr.Err = err.Error()
	}
	return sr, events, err
}

func shortCursor(c string) string {
	if len(c) > 64 || strings.HasPrefix(c, "{") {
		return "(directory listing)"
	}
	return c
}

type stepStats struct{ pages, removed, warnings, repaired int }

// parsed is one page of a step.
type parsed struct {
	file source.File
	rec  *attestation.Record
	old  *attestation.Record // the stored revision to diff against
	err  error               // reading the stored revision failed
	// siblings are the stored records of the page in other locales at
	// the same source hash; sibErr tells that reading them failed.
	siblings []*attestation.Record
	sibErr   error
}

type bulkKey struct {
	field string
	kind  attestation.ChangeKind
}

// parseFiles parses the step's files concurrently, reads the stored
// revision of each app page when withOld is set and its stored records in
// the other locales at the same source hash, and returns the pages that
// could be keyed, in path order.
func (s *Syncer) parseFiles(ctx context.Context, spec source.Spec, st *sourceState, files []source.File, withOld bool, locales []string, stats *stepStats) []parsed {
	out := make([]parsed, len(files))
	var wg sync.WaitGroup
	jobs := make(chan int)
	workers := min(runtime.GOMAXPROCS(0), max(1, len(files)))
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				f := files[i]
				rec, err := attestation.ParseSource(attestation.Source{File: f.Name, Path: pagePath(f.Path), Locale: spec.Locale}, f.Data)
				if err != nil {
					if !errors.Is(err, attestation.ErrNotPage) {
						s.logger.WarnContext(ctx, "page not read", "file", f.Name, "err", err)
					}
					continue
				}
				if rec.Locale == "" {
					rec.Locale = st.Locale
				}
				p := parsed{file: f, rec: rec}
				if withOld && rec.Type == attestation.PageApp && rec.Locale != "" && rec.Path != "" {
					p.old, p.err = s.storedRevision(ctx, rec.ID())
				}
				if rec.Path != "" {
					p.siblings, p.sibErr = s.siblings(ctx, rec, locales)
				}
				out[i] = p
			}
		}()
	}
	for i, f := range files {
		if f.Deleted {
			continue
		}
		select {
		case jobs <- i:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
	}
	close(jobs)
	wg.Wait()
	pages := out[:0]
	for _, p := range out {
		if p.rec == nil {
			continue
		}
		if p.rec.Locale == "" || p.rec.Path == "" {
			s.logger.WarnContext(ctx, "page has no locale or path; skipped (set the locale in the source spec: fr-FR=...)", "file", p.file.Name)
			continue
		}
		if st.Locale == "" {
			st.Locale = p.rec.Locale
		}
		stats.pages++
		stats.warnings += len(p.rec.Warnings)
		pages = append(pages, p)
	}
	return pages
}

// storedRevision returns the record to diff a new page against: the
// current revision, or for a page deleted and added again its last
// revision (so that the round trip is silent), or nil.
func (s *Syncer) storedRevision(ctx context.Context, id string) (*attestation.Record, error) {
	old, err := s.cfg.Records.GetRecord(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		old, err = s.cfg.Records.PreviousRecord(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return nil, nil
		}
	}
	return old, err
}

// pagePath returns the Apps/<host>/<file>.md tail of a repository path,
// or "" to let the parser infer it from the file name.
func pagePath(p string) string {
	parts := strings.Split(p, "/")
	for i := len(parts) - 3; i >= 0; i-- {
		if parts[i] == "Apps" {
			return strings.Join(parts[i:i+3], "/")
		}
	}
	return ""
}

// pendingRef points at one event of a pending step record.
type pendingRef struct {
	rec *stepRecord
	idx int
}

// confirm sets the confirmation state of new events (second-locale
// confirmation, corpus.md §5) against the pending step records recs and
// returns those of other locales whose events it confirmed, for the
// commit to write.
func (s *Syncer) confirm(ctx context.Context, recs []*stepRecord, events []Event, locales []string) ([]*stepRecord, error) {
	others := confirmable(recs)
	changed := map[*stepRecord]bool{}
	now := s.clock.Now().UTC()
	for i := range events {
		ev := &events[i]
		ev.ConfirmKey = confirmKey(*ev)
		if ev.ConfirmKey == "" {
			continue
		}
		if rec, found := confirmByPending(ev, others, locales); found {
			if rec != nil {
				changed[rec] = true
			}
			continue
		}
		found, err := s.confirmByStore(ctx, ev, locales)
		if err != nil {
			return nil, err
		}
		if !found {
			ev.State, ev.ConfirmBy = StateAwaiting, now.Add(s.cfg.ConfirmTimeout)
		}
	}
	var touched []*stepRecord
	for _, r := range recs {
		if changed[r] {
			touched = append(touched, r)
		}
	}
	return touched, nil
}

// loadPending reads the pending step records.
func (s *Syncer) loadPending(ctx context.Context) ([]*stepRecord, error) {
	var recs []*stepRecord
	err := s.cfg.KV.Scan(ctx, bucketPending, "", func(_ string, v []byte) error {
		var r stepRecord
		if err := json.Unmarshal(v, &r); err != nil {
			return nil // a broken entry is skipped (and reported by the dispatcher)
		}
		recs = append(recs, &r)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read pending events: %w", err)
	}
	return recs, nil
}

// confirmable indexes the confirmable events of pending step records by
// locale and confirm key.
func confirmable(recs []*stepRecord) map[string]pendingRef {
	others := map[string]pendingRef{}
	for _, r := range recs {
		for i, e := range r.Events {
			if e.ConfirmKey != "" && e.State != StateConfirmation {
				others[e.Locale+"\x00"+e.ConfirmKey] = pendingRef{r, i}
			}
		}
	}
	return others
}

// confirmByPending matches ev with a pending event of another locale: ev
// becomes a confirmation of it, and an awaiting one becomes ready. It
// reports whether it found one, and returns the step record it changed,
// if any.
func confirmByPending(ev *Event, others map[string]pendingRef, locales []string) (*stepRecord, bool) {
	for _, loc := range locales {
		if loc == ev.Locale {
			continue
		}
		ref, ok := others[loc+"\x00"+ev.ConfirmKey]
		if !ok {
			continue
		}
		other := &ref.rec.Events[ref.idx]
		ev.State, ev.DuplicateOf = StateConfirmation, other.ID
		if other.State == StateAwaiting {
			other.State, other.ConfirmedBy = StateReady, ev.Locale
			return ref.rec, true
		}
		return nil, true
	}
	return nil, false
}

// confirmByStore confirms ev from the stored side: an event of another
// locale already dispatched with the same confirm key makes ev a
// confirmation; a stored page of another locale at the same source hash
// confirms it. It reports whether ev is settled.
func (s *Syncer) confirmByStore(ctx context.Context, ev *Event, locales []string) (bool, error) {
	var mark confirmMark
	err := getJSON(ctx, s.cfg.KV, bucketConfirm, eventID(ev.ConfirmKey), &mark)
	switch {
	case err == nil && mark.Locale != ev.Locale:
		ev.State, ev.DuplicateOf = StateConfirmation, mark.EventID
		return true, nil
	case err != nil && !errors.Is(err, store.ErrNotFound):
		return false, fmt.Errorf("read confirmation mark: %w", err)
	}
	if ev.Kind != EventApp {
		return false, nil
	}
	for _, loc := range locales {
		if loc == ev.Locale {
			continue
		}
		r, err := s.cfg.Records.GetRecord(ctx, loc+"/"+ev.Path)
		if err == nil && r.Meta.SourceHash != "" && r.Meta.SourceHash == ev.SourceHash {
			ev.ConfirmedBy = loc
			return true, nil
		}
	}
	return false, nil
}

// confirmMark records that an event with a confirm key was dispatched.
type confirmMark struct {
	EventID string `json:"event_id"`
	Locale  string `json:"locale"`
}

// confirmKey identifies the same change in every locale: the page path and
// its new source hash (app events), or the field, kind and the pages with
// their hashes (bulk events). "" means no confirmation is possible.
func confirmKey(e Event) string {
	switch e.Kind {
	case EventApp:
		if e.SourceHash == "" {
			return ""
		}
		return "app|" + e.Path + "|" + e.SourceHash
	case EventBulk:
		apps := slices.Clone(e.Apps)
		slices.Sort(apps)
		return "bulk|" + e.Field + "|" + string(e.ChangeKind) + "|" + strings.Join(apps, ",")
	}
	return ""
}

// Run keeps the sync lease while it can and syncs every interval; when
// another replica leads, it retries the lease every interval (at most
// every lease renewal period). It returns when ctx is done, releasing the
// lease.
func (s *Syncer) Run(ctx context.Context, interval time.Duration) error {
	if interval <= 0 {
		return errors.New("notify: sync interval must be positive")
	}
	retry := min(interval, s.cfg.RenewEvery)
	for {
		f, err := s.cfg.Lease.TryAcquire(ctx)
		switch {
		case err == nil:
			s.logger.InfoContext(ctx, "sync lease acquired", "fence", int64(f))
			s.leadLoop(ctx, f, interval)
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			_ = s.cfg.Lease.Release(rctx, f)
			cancel()
		case errors.Is(err, ErrNotLeader):
		default:
			if ctx.Err() == nil {
				s.logger.WarnContext(ctx, "acquire sync lease", "err", err)
			}
		}
		if err := s.clock.Sleep(ctx, retry); err != nil {
			return nil
		}
	}
}

// leadLoop syncs every interval while the lease holds, renewing it between
// syncs. It returns when ctx is done or the lease is lost.
func (s *Syncer) leadLoop(ctx context.Context, f Fence, interval time.Duration) {
	s.leadMu.Lock()
	s.fence = f
	s.leadMu.Unlock()
	defer func() {
		s.leadMu.Lock()
		s.fence = 0
		s.leadMu.Unlock()
	}()
	next := s.clock.Now()
	for {
		if !s.clock.Now().Before(next) {
			res, err := s.Sync(ctx)
			next = s.clock.Now().Add(interval)
			if err != nil {
				if errors.Is(err, ErrLeaseLost) {
					s.logger.WarnContext(ctx, "sync lease lost", "err", err)
					return
				}
				if ctx.Err() != nil {
					return
				}
				s.logger.ErrorContext(ctx, "sync failed", "err", err)
			} else {
				s.logger.DebugContext(ctx, "sync done", "events", len(res.Events), "dispatched", res.Dispatched)
				if s.cfg.OnSync != nil && res.applied() {
					s.cfg.OnSync(res)
				}
			}
		}
		wait := min(s.cfg.RenewEvery, next.Sub(s.clock.Now()))
		if err := s.clock.Sleep(ctx, wait); err != nil {
			return
		}
		if err := s.cfg.Lease.Renew(ctx, f); err != nil {
			if ctx.Err() == nil {
				s.logger.WarnContext(ctx, "sync lease not renewed; stepping down", "err", err)
			}
			return
		}
	}
}

// RunOnce is "attestbot sync --once": one Sync (taking the lease for its
// duration) followed by the dispatch of ready events.
func (s *Syncer) RunOnce(ctx context.Context) (SyncResult, error) {
	return s.Sync(ctx)
}

// History returns the events of one app (including bulk events that list
// it), newest first. Confirmations (another locale's view of an event
// already listed) are left out.
func History(ctx context.Context, kv store.KV, slug string) ([]Event, error) {
	byID := map[string]Event{}
	for _, bucket := range []string{bucketEvents, bucketPending} {
		err := kv.Scan(ctx, bucket, "", func(_ string, v []byte) error {
			var r stepRecord
			if err := json.Unmarshal(v, &r); err != nil {
				return nil
			}
			for _, e := range r.Events {
				if e.State == StateConfirmation || !slices.Contains(e.Apps, slug) {
					continue
				}
				if _, ok := byID[e.ID]; !ok {
					byID[e.ID] = e
				}
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("read history of %s: %w", slug, err)
		}
	}
	out := make([]Event, 0, len(byID))
	for _, e := range byID {
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b Event) int {
		return cmp.Or(b.Time.Compare(a.Time), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}

// EventByID returns a stored event (pending or dispatched) by ID, or
// store.ErrNotFound.
func EventByID(ctx context.Context, kv store.KV, id string) (Event, error) {
	var found *Event
	errFound := errors.New("found")
	for _, bucket := range []string{bucketEvents, bucketPending} {
		err := kv.Scan(ctx, bucket, "", func(_ string, v []byte) error {
			var r stepRecord
			if err := json.Unmarshal(v, &r); err != nil {
				return nil
			}
			for _, e := range r.Events {
				if e.ID == id {
					found = &e
					return errFound
				}
			}
			return nil
		})
		if found != nil {
			return *found, nil
		}
		if err != nil {
			return Event{}, fmt.Errorf("read event %s: %w", id, err)
		}
	}
	return Event{}, fmt.Errorf("event %s: %w", id, store.ErrNotFound)
}

// History returns the events of one app, newest first (see the History
// function).
func (s *Syncer) History(ctx context.Context, slug string) ([]Event, error) {
	return History(ctx, s.cfg.KV, slug)
}

func putJSON(ctx context.Context, kv store.KV, bucket, key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s/%s: %w", bucket, key, err)
	}
	return kv.Put(ctx, bucket, key, b)
}

func getJSON(ctx context.Context, kv store.KV, bucket, key string, v any) error {
	b, err := kv.Get(ctx, bucket, key)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("decode %s/%s: %w", bucket, key, err)
	}
	return nil
}
