package chat

import (
	"context"
	"errors"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/store"
)

// RevisionStore reads the current and previous revisions of a record
// (store.Store does).
type RevisionStore interface {
	GetRecord(ctx context.Context, id string) (*attestation.Record, error)
	PreviousRecord(ctx context.Context, id string) (*attestation.Record, error)
}

// RevisionHistory answers "what changed" with the semantic diff between a
// record's previous and current revisions. The change alerts keep a longer
// history; this one needs nothing but the store.
type RevisionHistory struct {
	st RevisionStore
}

// NewRevisionHistory returns a History over st.
func NewRevisionHistory(st RevisionStore) *RevisionHistory { return &RevisionHistory{st: st} }

// Changes implements History.
func (h *RevisionHistory) Changes(ctx context.Context, kind, slug, locale string) ([]attestation.Change, error) {
	id := locale + "/Apps/" + kind + "/" + slug + ".md"
	cur, err := h.st.GetRecord(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		cur = nil
	} else if err != nil {
		return nil, err
	}
	prev, err := h.st.PreviousRecord(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return attestation.Diff(prev, cur, attestation.DiffOptions{}), nil
}
