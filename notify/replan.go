package notify

import (
	"context"
	"slices"

	"github.com/attestbot/attestbot/attestation"
)

// settlePending brings the pending events of earlier steps up to date with
// a step: those of records the step's vote settled again (resettled) are
// re-planned, and, with second-locale confirmation, the step's events are
// matched with them. It returns the pending step records to write again
// and the re-planned events (see replanPending).
func (s *Syncer) settlePending(ctx context.Context, pass syncPass, resettled []*attestation.Record, events []Event) ([]*stepRecord, map[string]*Event, error) {
	confirm := pass.confirm && len(events) > 0
	if len(resettled) == 0 && !confirm {
		return nil, nil, nil
	}
	recs, err := s.loadPending(ctx)
	if err != nil {
		return nil, nil, err
	}
	touched := map[*stepRecord]bool{}
	changed, replanned := s.replanPending(ctx, recs, resettled)
	for _, r := range changed {
		touched[r] = true
	}
	if confirm {
		confirmed, err := s.confirm(ctx, recs, events, pass.locales)
		if err != nil {
			return nil, nil, err
		}
		for _, r := range confirmed {
			touched[r] = true
		}
	}
	var out []*stepRecord
	for _, r := range recs {
		if touched[r] {
			out = append(out, r)
		}
	}
	return out, replanned, nil
}

// replanPending re-plans the pending events that are not dispatched yet
// about records the vote settled again: a locale that reached a new source
// hash first, shifted, raised changes before its siblings came to outvote
// it. Only the changes the settled record still shows are kept
// (attestation.Replan); an event left with none is dropped, so the shift
// the vote repaired never reaches a subscriber. It returns the step
// records it changed, and what is left of each re-planned event by ID
// (nil: dropped).
func (s *Syncer) replanPending(ctx context.Context, recs []*stepRecord, resettled []*attestation.Record) ([]*stepRecord, map[string]*Event) {
	if len(resettled) == 0 {
		return nil, nil
	}
	replanned := map[string]*Event{}
	byID := make(map[string]*attestation.Record, len(resettled))
	for _, r := range resettled {
		byID[r.ID()] = r
	}
	var changed []*stepRecord
	for _, r := range recs {
		kept := r.Events[:0:0]
		touched := false
		for _, ev := range r.Events {
			if slices.Contains(r.Done, ev.ID) || ev.State == StateConfirmation {
				kept = append(kept, ev)
				continue
			}
			nev, ok := replanEvent(ev, byID)
			if !ok {
				kept = append(kept, ev)
				continue
			}
			touched = true
			s.logger.InfoContext(ctx, "pending alert re-planned after the other locales settled its page",
				"event_id", ev.ID, "changes_before", len(ev.Changes), "changes_after", len(nev.Changes))
			replanned[ev.ID] = nil
			if len(nev.Changes) > 0 {
				kept = append(kept, nev)
				replanned[ev.ID] = &nev
			}
		}
		if touched {
			r.Events = kept
			changed = append(changed, r)
		}
	}
	return changed, replanned
}

// replannedEvents returns a pass's events as the later steps of the pass
// left them: re-planned, or dropped.
func replannedEvents(events []Event, replanned map[string]*Event) []Event {
	if len(replanned) == 0 {
		return events
	}
	out := events[:0:0]
	for _, ev := range events {
		nev, ok := replanned[ev.ID]
		switch {
		case !ok:
			out = append(out, ev)
		case nev != nil:
			out = append(out, *nev)
		}
	}
	return out
}

// replanEvent re-plans one event against the settled records it is about.
// It reports false when none of them was settled or every change holds.
func replanEvent(ev Event, byID map[string]*attestation.Record) (Event, bool) {
	changes := ev.Changes
	switch ev.Kind {
	case EventApp:
		rec := byID[ev.RecordID]
		if rec == nil {
			return ev, false
		}
		changes = attestation.Replan(changes, rec)
	case EventBulk:
		for _, id := range ev.RecordIDs {
			if rec := byID[id]; rec != nil {
				changes = attestation.Replan(changes, rec)
			}
		}
	}
	if len(changes) == len(ev.Changes) {
		return ev, false
	}
	ev.Changes = changes
	switch ev.Kind {
	case EventApp:
		ev.Summary = attestation.Summary(changes)
	case EventBulk:
		var apps []string
		for _, c := range changes {
			if !slices.Contains(apps, c.App) {
				apps = append(apps, c.App)
			}
		}
		ids := map[string]string{}
		for _, a := range apps {
			ids[a] = ev.RecordIDs[a]
		}
		ev.Apps, ev.RecordIDs = apps, ids
		ev.Summary = bulkSummary(changes, len(apps))
	}
	return ev, true
}
