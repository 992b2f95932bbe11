package attestation

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestReplan(t *testing.T) {
	rec := &Record{Slug: "app", Locale: "fr-FR", Updated: Date{2022, 3, 1},
		Answers: []Answer{
			{Key: "comp.hipaa", Section: SectionCompliance, Value: ValueUnknown, Text: "Non"},
			{Key: "comp.soc1", Section: SectionCompliance, Value: ValueYes, Text: "Oui"},
			{Key: "comp.soc2", Section: SectionCompliance, Value: ValueUnanswered},
			{Key: "gen.hq_location", Section: SectionGeneral, Value: ValueText, Text: "Paris"},
		},
		Permissions: []Permission{{Name: "User.Read", Type: Delegated, EntraAppID: "A"}},
	}
	tests := []struct {
		name  string
		c     Change
		holds bool
	}{
		{"answer now unknown", Change{Field: "comp.hipaa", Kind: ChangeChanged, Old: "yes", New: "no"}, false},
		{"answer still shown", Change{Field: "comp.soc1", Kind: ChangeChanged, Old: "no", New: "yes"}, true},
		{"answer back to old value", Change{Field: "comp.soc1", Kind: ChangeChanged, Old: "yes", New: "no"}, false},
		{"withdrawn still blank", Change{Field: "comp.soc2", Kind: ChangeWithdrawn, Old: "yes"}, true},
		{"withdrawn answer back", Change{Field: "comp.soc1", Kind: ChangeWithdrawn, Old: "yes"}, false},
		{"text same when folded", Change{Field: "gen.hq_location", Kind: ChangeChanged, Old: "Lyon", New: "paris"}, true},
		{"date restored otherwise", Change{Field: FieldUpdated, Kind: ChangeChanged, Old: "2022-02-01", New: "2022-03-02"}, false},
		{"date still shown", Change{Field: FieldUpdated, Kind: ChangeChanged, Old: "2022-02-01", New: "2022-03-01"}, true},
		{"permission removed, restored", Change{Field: "permission:User.Read", Kind: ChangeRemoved, Old: "delegated"}, false},
		{"permission removed, gone", Change{Field: "permission:Mail.Read", Kind: ChangeRemoved, Old: "delegated"}, true},
		{"permission added, there", Change{Field: "permission:user.read", Kind: ChangeAdded, New: "delegated"}, true},
		{"permission added, garbled name gone", Change{Field: "permission:Utilisateur.Lire", Kind: ChangeAdded, New: "delegated"}, false},
		{"type changed back", Change{Field: "permission:User.Read", Kind: ChangeTypeChanged, Old: "delegated", New: "application"}, false},
		{"certification kept", Change{Field: FieldCertification, Kind: ChangeChanged, Old: "attested", New: "certified"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.c
			c.App, c.Locale = "app", "fr-FR"
			other := c
			other.Locale = "de-DE"
			got := Replan([]Change{c, other}, rec)
			if tt.holds {
				require.Equal(t, []Change{c, other}, got)
			} else {
				require.Equal(t, []Change{other}, got, "another locale's change is kept")
			}
		})
	}
}
