package notify

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/notify/source"
	"github.com/attestbot/attestbot/store"
)

// syncPass is what every step of one Sync shares: the fence it writes
// under and the locales it confirms across.
type syncPass struct {
	fence   Fence
	locales []string
	confirm bool // second-locale confirmation is on and possible
	// replanned maps the ID of each pending event a step of the pass
	// re-planned to what is left of it (nil: dropped).
	replanned map[string]*Event
}

// appDiff is the change of one app page in a step.
type appDiff struct {
	rec     *attestation.Record // the new record, or the old one for a removal
	changes []attestation.Change
}

// stepPlan is what applying a step writes, decided before anything is
// written.
type stepPlan struct {
	// recs are the records to put: other locales' records the step's
	// pages settled (reconcile), then the parsed ones.
	recs []*attestation.Record
	// removed are the IDs of the records whose page was deleted.
	removed []string
	// events are the step's events.
	events []Event
	// pending are the pending step records (of earlier steps) to write
	// again: their events were re-planned after the step's vote settled
	// their records, or confirmed by the step's events.
	pending []*stepRecord
	// replanned maps the pending events re-planned to what is left of
	// them (nil: dropped).
	replanned map[string]*Event
	// pages counts the parsed pages.
	pages int
}

// stepHeader is what every event of a step carries.
type stepHeader struct {
	source string // source ID
	locale string // the source's locale
	step   source.Step
}

// applyStep parses, diffs and stores one step: planStep decides what to
// write, commitStep writes it. The order of the writes makes it
// idempotent: the events (keyed by stable IDs) are written first, then
// the records, then the cursor; a crash before the records are written
// replays the step with the same events, and after it yields none.
func (s *Syncer) applyStep(ctx context.Context, pass syncPass, spec source.Spec, st *sourceState, step source.Step) ([]Event, stepStats, error) {
	var stats stepStats
	start := s.clock.Now()
	plan, err := s.planStep(ctx, pass, spec, st, step, &stats)
	if err != nil {
		return nil, stats, err
	}
	planned := s.clock.Now()
	if err := s.commitStep(ctx, pass.fence, spec, st, step, plan); err != nil {
		return nil, stats, err
	}
	for id, ev := range plan.replanned {
		pass.replanned[id] = ev
	}
	stats.removed = len(plan.removed)
	if len(plan.events) > 0 || len(step.Files) > 0 {
		s.logger.InfoContext(ctx, "synced step", "source", spec.String(), "step", step.ID, "files", len(step.Files),
			"pages", plan.pages, "events", len(plan.events), "baseline", step.Baseline,
			"parse_diff_ms", planned.Sub(start).Milliseconds(), "total_ms", s.clock.Now().Sub(start).Milliseconds())
	}
	return plan.events, stats, nil
}

// planStep parses the step's pages, diffs them against the stored
// records and builds the events. It reads the store but writes nothing.
func (s *Syncer) planStep(ctx context.Context, pass syncPass, spec source.Spec, st *sourceState, step source.Step, stats *stepStats) (stepPlan, error) {
	silent := step.Baseline && !s.cfg.InitialEvents
	pages := s.parseFiles(ctx, spec, st, step.Files, !silent, pass.locales, stats)
	if err := ctx.Err(); err != nil {
		return stepPlan{}, err
	}
	resettled, err := s.reconcile(ctx, pages, stats)
	if err != nil {
		return stepPlan{}, err
	}
	plan := stepPlan{pages: len(pages), recs: make([]*attestation.Record, 0, len(pages)+len(resettled))}
	plan.recs = append(plan.recs, resettled...)
	diffs, err := s.pageDiffs(pages, st, silent, &plan)
	if err != nil {
		return stepPlan{}, err
	}
	removals, err := s.removals(ctx, st, step.Files, silent, &plan)
	if err != nil {
		return stepPlan{}, err
	}
	diffs = append(diffs, removals...)
	plan.events = buildEvents(stepHeader{source: spec.ID(), locale: st.Locale, step: step}, diffs, s.cfg.BulkThreshold)
	if plan.pending, plan.replanned, err = s.settlePending(ctx, pass, resettled, plan.events); err != nil {
		return stepPlan{}, err
	}
	return plan, nil
}

// pageDiffs adds the parsed pages to the plan and the page map, and diffs
// each app page against its stored revision (unless silent).
func (s *Syncer) pageDiffs(pages []parsed, st *sourceState, silent bool, plan *stepPlan) ([]appDiff, error) {
	var diffs []appDiff
	for _, p := range pages {
		id := p.rec.ID()
		plan.recs = append(plan.recs, p.rec)
		st.Pages[p.file.Path] = id
		if silent || p.rec.Type != attestation.PageApp {
			continue
		}
		if p.err != nil {
			return nil, fmt.Errorf("read stored record %s: %w", id, p.err)
		}
		if ch := attestation.Diff(p.old, p.rec, s.cfg.Diff); len(ch) > 0 {
			diffs = append(diffs, appDiff{rec: p.rec, changes: ch})
		}
	}
	return diffs, nil
}

// removals adds the records of deleted pages to the plan and returns
// their "page removed" diffs (unless silent or removals are ignored).
func (s *Syncer) removals(ctx context.Context, st *sourceState, files []source.File, silent bool, plan *stepPlan) ([]appDiff, error) {
	var diffs []appDiff
	for _, f := range files {
		if !f.Deleted {
			continue
		}
		id := st.Pages[f.Path]
		if id == "" {
			continue
		}
		old, err := s.cfg.Records.GetRecord(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			delete(st.Pages, f.Path) // already removed by an earlier, interrupted run
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("read stored record %s: %w", id, err)
		}
		plan.removed = append(plan.removed, id)
		if !silent && !s.cfg.IgnoreRemovals && old.Type == attestation.PageApp {
			diffs = append(diffs, appDiff{rec: old, changes: attestation.Diff(old, nil, s.cfg.Diff)})
		}
	}
	return diffs, nil
}

// buildEvents turns a step's diffs into events: one bulk event per
// (field, kind) changed in at least threshold apps (threshold <= 0: none),
// and one event per app for what is left. It is pure.
func buildEvents(h stepHeader, diffs []appDiff, threshold int) []Event {
	bulk := bulkPatterns(diffs, threshold)
	var events []Event
	for _, d := range diffs {
		var own []attestation.Change
		for _, c := range d.changes {
			k := bulkKey{c.Field, c.Kind}
			if _, ok := bulk[k]; ok {
				bulk[k] = append(bulk[k], c)
				continue
			}
			own = append(own, c)
		}
		if len(own) > 0 {
			events = append(events, appEvent(h, d.rec, own))
		}
	}
	return append(events, bulkEvents(h, diffs, bulk)...)
}

// bulkPatterns returns the (field, kind) pairs changed in at least
// threshold apps, each with no change yet.
func bulkPatterns(diffs []appDiff, threshold int) map[bulkKey][]attestation.Change {
	bulk := map[bulkKey][]attestation.Change{}
	if threshold <= 0 {
		return bulk
	}
	apps := map[bulkKey]map[string]bool{}
	for _, d := range diffs {
		for _, c := range d.changes {
			k := bulkKey{c.Field, c.Kind}
			if apps[k] == nil {
				apps[k] = map[string]bool{}
			}
			apps[k][d.rec.Slug] = true
		}
	}
	for k, set := range apps {
		if len(set) >= threshold {
			bulk[k] = nil
		}
	}
	return bulk
}

// appEvent is the event of one app's own changes.
func appEvent(h stepHeader, rec *attestation.Record, own []attestation.Change) Event {
	loc := cmp.Or(rec.Locale, h.locale)
	ev := Event{
		ID: eventID(loc, h.step.ID, "app", rec.Path), Kind: EventApp, State: StateReady,
		Source: h.source, Locale: loc, Step: h.step.ID, Time: h.step.Time,
		Apps: []string{rec.Slug}, AppName: rec.Name, AppKind: rec.Kind, Path: rec.Path, RecordID: rec.ID(),
		Changes: own, Summary: attestation.Summary(own),
	}
	if len(own) != 1 || own[0].Field != attestation.FieldPage || own[0].Kind != attestation.ChangeRemoved {
		ev.SourceHash = rec.Meta.SourceHash
	}
	return ev
}

// bulkEvents builds one event per bulk pattern, in (field, kind) order.
func bulkEvents(h stepHeader, diffs []appDiff, bulk map[bulkKey][]attestation.Change) []Event {
	keys := make([]bulkKey, 0, len(bulk))
	for k := range bulk {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b bulkKey) int { return cmp.Or(cmp.Compare(a.field, b.field), cmp.Compare(a.kind, b.kind)) })
	events := make([]Event, 0, len(keys))
	for _, k := range keys {
		changes := bulk[k]
		slices.SortFunc(changes, func(a, b attestation.Change) int { return cmp.Compare(a.App, b.App) })
		var apps []string
		for _, c := range changes {
			if !slices.Contains(apps, c.App) {
				apps = append(apps, c.App)
			}
		}
		ids := make(map[string]string, len(apps))
		for _, d := range diffs {
			if slices.Contains(apps, d.rec.Slug) {
				ids[d.rec.Slug] = d.rec.ID()
			}
		}
		events = append(events, Event{
			ID: eventID(h.locale, h.step.ID, "bulk", k.field, string(k.kind)), Kind: EventBulk, State: StateReady,
			Source: h.source, Locale: h.locale, Step: h.step.ID, Time: h.step.Time,
			Apps: apps, RecordIDs: ids, Field: k.field, ChangeKind: k.kind, Changes: changes, Summary: bulkSummary(changes, len(apps)),
		})
	}
	return events
}

// commitStep writes a planned step, unless the lease passed to another
// replica meanwhile: the pending events of earlier steps it re-planned or confirmed,
// the step's events, the records, then the cursor under the fence.
func (s *Syncer) commitStep(ctx context.Context, fence Fence, spec source.Spec, st *sourceState, step source.Step, plan stepPlan) error {
	if err := s.cfg.Lease.Check(ctx, fence); err != nil {
		return fmt.Errorf("before writing: %w", err)
	}
	for _, r := range plan.pending {
		if err := putJSON(ctx, s.cfg.KV, bucketPending, r.Key, r); err != nil {
			return fmt.Errorf("update pending events: %w", err)
		}
	}
	// 1. Events (idempotent: stable key and IDs).
	if len(plan.events) > 0 {
		rec := stepRecord{Key: spec.ID() + "/" + step.ID, Source: spec.ID(), Locale: st.Locale, Step: step.ID, Time: step.Time, Events: plan.events}
		if err := putJSON(ctx, s.cfg.KV, bucketPending, rec.Key, rec); err != nil {
			return fmt.Errorf("write events: %w", err)
		}
	}
	// 2. Records.
	if err := s.writeRecords(ctx, plan); err != nil {
		return err
	}
	for _, f := range step.Files {
		if f.Deleted {
			delete(st.Pages, f.Path)
		}
	}
	// 3. Cursor, under the fence.
	st.Cursor, st.At, st.Step = step.Cursor, s.clock.Now().UTC(), step.ID
	b, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("encode sync state: %w", err)
	}
	return s.cfg.Cursors.SaveCursor(ctx, fence, spec.ID(), b)
}

// writeRecords puts the step's records and deletes the removed ones.
func (s *Syncer) writeRecords(ctx context.Context, plan stepPlan) error {
	if len(plan.recs) > 0 {
		if _, err := s.cfg.Records.PutRecords(ctx, plan.recs); err != nil {
			return fmt.Errorf("store records: %w", err)
		}
	}
	for _, id := range plan.removed {
		if err := s.cfg.Records.DeleteRecord(ctx, id); err != nil && !errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("delete record %s: %w", id, err)
		}
	}
	return nil
}
