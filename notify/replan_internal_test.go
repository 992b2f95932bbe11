package notify

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/attestation"
)

// TestReplanEvent re-plans an app event and a bulk event against a record
// the vote settled: the changes it no longer shows leave, an event left
// with none is dropped, a bulk event keeps its other apps.
func TestReplanEvent(t *testing.T) {
	settled := &attestation.Record{Slug: "a", Locale: "fr-FR", Path: "Apps/teams/a.md", Type: attestation.PageApp,
		Answers: []attestation.Answer{{Key: "comp.hipaa", Value: attestation.ValueUnknown}, {Key: "comp.soc1", Value: attestation.ValueYes}}}
	byID := map[string]*attestation.Record{settled.ID(): settled}
	ch := func(app, field, old, nw string) attestation.Change {
		return attestation.Change{App: app, Locale: "fr-FR", Field: field, Kind: attestation.ChangeChanged, Old: old, New: nw}
	}
	tests := []struct {
		name    string
		ev      Event
		changed bool
		want    []attestation.Change
		apps    []string
	}{
		{"app event, one change repaired", Event{ID: "e1", Kind: EventApp, RecordID: settled.ID(),
			Changes: []attestation.Change{ch("a", "comp.hipaa", "yes", "no"), ch("a", "comp.soc1", "no", "yes")}},
			true, []attestation.Change{ch("a", "comp.soc1", "no", "yes")}, nil},
		{"app event, all repaired", Event{ID: "e2", Kind: EventApp, RecordID: settled.ID(),
			Changes: []attestation.Change{ch("a", "comp.hipaa", "yes", "no")}}, true, []attestation.Change{}, nil},
		{"app event of another record", Event{ID: "e3", Kind: EventApp, RecordID: "fr-FR/Apps/teams/b.md",
			Changes: []attestation.Change{ch("b", "comp.hipaa", "yes", "no")}}, false, []attestation.Change{ch("b", "comp.hipaa", "yes", "no")}, nil},
		{"bulk event keeps the other apps", Event{ID: "e4", Kind: EventBulk, Apps: []string{"a", "b"},
			RecordIDs: map[string]string{"a": settled.ID(), "b": "fr-FR/Apps/teams/b.md"},
			Changes:   []attestation.Change{ch("a", "comp.hipaa", "yes", "no"), ch("b", "comp.hipaa", "yes", "no")}},
			true, []attestation.Change{ch("b", "comp.hipaa", "yes", "no")}, []string{"b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, changed := replanEvent(tt.ev, byID)
			require.Equal(t, tt.changed, changed)
			require.Equal(t, tt.want, got.Changes)
			if tt.apps != nil {
				require.Equal(t, tt.apps, got.Apps)
				require.Len(t, got.RecordIDs, len(tt.apps))
			}
		})
	}
	// replannedEvents drops and replaces events of a pass.
	kept := Event{ID: "e1", Changes: []attestation.Change{ch("a", "comp.soc1", "no", "yes")}}
	out := replannedEvents([]Event{{ID: "e1"}, {ID: "e2"}, {ID: "e3"}}, map[string]*Event{"e1": &kept, "e2": nil})
	require.Equal(t, []Event{kept, {ID: "e3"}}, out)
}
