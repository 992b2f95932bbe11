package notify

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/store"
)

// siblings returns the stored records of rec's page in the other synced
// locales that are at rec's source hash: the locales a cross-locale vote
// compares it with.
func (s *Syncer) siblings(ctx context.Context, rec *attestation.Record, locales []string) ([]*attestation.Record, error) {
	if rec.Type != attestation.PageApp || rec.Meta.SourceHash == "" {
		return nil, nil
	}
	var out []*attestation.Record
	for _, loc := range locales {
		if loc == rec.Locale {
			continue
		}
		o, err := s.cfg.Records.GetRecord(ctx, loc+"/"+rec.Path)
		switch {
		case errors.Is(err, store.ErrNotFound):
			continue
		case err != nil:
			return nil, fmt.Errorf("read stored record %s/%s: %w", loc, rec.Path, err)
		}
		if o.Type == attestation.PageApp && o.Meta.SourceHash == rec.Meta.SourceHash {
			out = append(out, o)
		}
	}
	return out, nil
}

// reconcile settles the step's pages by their other locales at the same
// source hash, as catalog import does (attestation.ReconcileStored): a
// shifted page is re-keyed or marked unknown by the vote, a lost date or
// a translated scope name is taken from the siblings, before the page is
// diffed, so that it never raises a flipped answer. It returns the stored
// siblings the vote changed, to be written again with the step.
func (s *Syncer) reconcile(ctx context.Context, pages []parsed, stats *stepStats) ([]*attestation.Record, error) {
	var fresh, stored []*attestation.Record
	seen := map[string]bool{}
	for _, p := range pages {
		if p.sibErr != nil {
			return nil, p.sibErr
		}
		if o := p.old; o != nil && len(p.rec.Listings) == 0 && p.rec.AppSourceID != "" && strings.EqualFold(o.AppSourceID, p.rec.AppSourceID) {
			// The other listings of the same app, as the import found them.
			p.rec.Listings = append([]string(nil), o.Listings...)
		}
		fresh = append(fresh, p.rec)
		for _, o := range p.siblings {
			if id := o.ID(); !seen[id] {
				seen[id] = true
				stored = append(stored, o)
			}
		}
	}
	if len(stored) == 0 {
		return nil, nil
	}
	ls, changed := attestation.ReconcileStored(fresh, stored)
	n := ls.Vote.Rekeyed + ls.Vote.Confirmed + ls.Vote.Unknown + ls.Vote.Dropped + ls.DatesRestored + ls.ScopesRestored
	stats.repaired += n
	if n > 0 {
		s.logger.InfoContext(ctx, "pages settled by their other locales", "rekeyed", ls.Vote.Rekeyed,
			"confirmed", ls.Vote.Confirmed, "marked_unknown", ls.Vote.Unknown, "rows_filled", ls.Vote.Filled, "rows_dropped", ls.Vote.Dropped, "dates_restored", ls.DatesRestored,
			"scopes_restored", ls.ScopesRestored, "siblings_updated", len(changed))
	}
	return changed, nil
}
