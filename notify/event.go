package notify

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/internal/logtext"
)

// EventKind says what an event is about.
type EventKind string

// Event kinds.
const (
	// EventApp is one app's changes in one source step (commit).
	EventApp EventKind = "app"
	// EventBulk is one change of the same field and kind across many apps
	// in one commit: a source-side backfill, reported once (corpus.md §5).
	EventBulk EventKind = "bulk"
)

// EventState says whether an event is to be alerted.
type EventState string

// Event states.
const (
	// StateReady events are alerted to subscribers.
	StateReady EventState = "ready"
	// StateAwaiting events wait for a second locale to reach the same
	// source hash, or for the confirmation timeout.
	StateAwaiting EventState = "awaiting_confirmation"
	// StateConfirmation events are a second locale's view of a change
	// already alerted (or about to be) from another locale: they confirm
	// it and are never alerted themselves.
	StateConfirmation EventState = "confirmation"
)

// Event is a change of the catalog worth telling subscribers about.
type Event struct {
	// ID is stable: a hash of (locale, step, path) for an app event and
	// of (locale, step, field, kind) for a bulk event, so that a step
	// re-run after a crash yields the same IDs.
	ID string `json:"id"`
	// Kind is app or bulk.
	Kind EventKind `json:"kind"`
	// State tells whether the event is alerted.
	State EventState `json:"state"`
	// Source is the ID of the catalog source (source.Spec.ID).
	Source string `json:"source"`
	// Locale is the locale of the pages compared.
	Locale string `json:"locale"`
	// Step is the commit hash (git) or directory step ID.
	Step string `json:"step"`
	// Time is the commit time (git) or read time (directory).
	Time time.Time `json:"time"`
	// Apps lists the slugs of the apps concerned, sorted.
	Apps []string `json:"apps"`
	// AppName is the app's name (app events).
	AppName string `json:"app_name,omitempty"`
	// AppKind is the app's host kind, such as teams (app events).
	AppKind string `json:"app_kind,omitempty"`
	// Path is the page path, such as Apps/teams/plumm-health-ltd.md (app
	// events).
	Path string `json:"path,omitempty"`
	// RecordID is the store ID of the record (app events).
	RecordID string `json:"record_id,omitempty"`
	// RecordIDs maps each app of a bulk event to its record's store ID.
	RecordIDs map[string]string `json:"record_ids,omitempty"`
	// SourceHash is the new English source hash (ms.openlocfilehash) of the
	// page (app events).
	SourceHash string `json:"source_hash,omitempty"`
	// Field and ChangeKind name the grouped change (bulk events).
	Field      string                 `json:"field,omitempty"`
	ChangeKind attestation.ChangeKind `json:"change_kind,omitempty"`
	// Changes lists the semantic changes (for a bulk event, one per app).
	Changes []attestation.Change `json:"changes"`
	// Summary states the change in one English line.
	Summary string `json:"summary"`
	// ConfirmKey identifies the same change in every locale (page path and
	// new source hash); set when second-locale confirmation is on.
	ConfirmKey string `json:"confirm_key,omitempty"`
	// ConfirmBy is when an awaiting event goes out unconfirmed.
	ConfirmBy time.Time `json:"confirm_by,omitzero"`
	// ConfirmedBy is the locale that confirmed the event, or "timeout".
	ConfirmedBy string `json:"confirmed_by,omitempty"`
	// DuplicateOf is, for a confirmation event, the ID of the event it
	// confirms.
	DuplicateOf string `json:"duplicate_of,omitempty"`
}

// Preview is the notification preview text: "<app>: <summary>" for an app
// event, the summary for a bulk event, at most 150 characters (Teams shows
// no more).
func (e Event) Preview() string {
	s := e.Summary
	if e.Kind == EventApp && e.AppName != "" {
		s = e.AppName + ": " + s
	}
	return logtext.Runes(s, previewMaxRunes)
}

// Title is the notification topic: the app name, or "N apps".
func (e Event) Title() string {
	if e.Kind == EventApp && e.AppName != "" {
		return logtext.Runes(e.AppName, 60)
	}
	if len(e.Apps) == 1 {
		return e.Apps[0]
	}
	return fmt.Sprintf("%d apps", len(e.Apps))
}

// ChainID is the activity feed chainId of the event: a later notification
// with the same chainId replaces the earlier one in the feed, so that a
// notification re-sent after a crash shows once.
func (e Event) ChainID() int64 {
	sum := sha256.Sum256([]byte(e.ID))
	return int64(binary.BigEndian.Uint64(sum[:8]) >> 1)
}

// previewMaxRunes is how much preview text Teams shows.
const previewMaxRunes = 150

// eventID hashes parts into a 24-hex-digit ID.
func eventID(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}

// bulkSummary writes the summary of a bulk event, such as "Stores customer
// data: withdrawn in 41 apps".
func bulkSummary(changes []attestation.Change, apps int) string {
	if len(changes) == 0 {
		return ""
	}
	first := attestation.Summary(changes[:1])
	name := first
	if i := strings.Index(first, ": "); i > 0 {
		name = first[:i]
	}
	c := changes[0]
	switch {
	case strings.HasPrefix(c.Field, attestation.FieldPermissionPrefix):
		return fmt.Sprintf("permission %s %s in %d apps", strings.TrimPrefix(c.Field, attestation.FieldPermissionPrefix), kindWord(c.Kind), apps)
	case c.Field == attestation.FieldUpdated:
		name = "developer update"
	}
	return fmt.Sprintf("%s: %s in %d apps", name, kindWord(c.Kind), apps)
}

func kindWord(k attestation.ChangeKind) string {
	if k == attestation.ChangeTypeChanged {
		return "type changed"
	}
	return string(k)
}
