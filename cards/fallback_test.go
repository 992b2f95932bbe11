package cards

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/attestation"
)

// TestExecuteFallbackIsItsSubmit: the fallback NewExecute gives an
// Action.Execute is written, by Encode and by encoding/json, as the
// Action.Submit with the same title, data and associated inputs, also
// when the action changes after it was made or lends its fallback to
// another.
func TestExecuteFallbackIsItsSubmit(t *testing.T) {
	d := ActionData{Verb: VerbSection, Slug: "plumm", Kind: "teams", Locale: "fr-FR", Section: attestation.SectionSecurity,
		Compare: []string{"teams/a"}, Query: `<a href="x">&</a> "\` + "\u2028"}
	submit := func(title string, d *ActionData, in AssociatedInputs) *SubmitAction {
		return &SubmitAction{Type: "Action.Submit", Data: &SubmitData{ActionData: d}, AssociatedInputs: in, actionBase: actionBase{Title: title}}
	}
	tests := []struct {
		name string
		give func() *ExecuteAction
		want func(a *ExecuteAction) Action // the fallback as a plain Action.Submit
	}{
		{"ok, made", func() *ExecuteAction { return NewExecute("Sécurité <b>", d) },
			func(a *ExecuteAction) Action { return submit("Sécurité <b>", a.Data, "") }},
		{"ok, without inputs", func() *ExecuteAction { return NewExecute("S", d).WithoutInputs() },
			func(a *ExecuteAction) Action { return submit("S", a.Data, InputsNone) }},
		{"ok, untitled", func() *ExecuteAction { return NewExecute("", ActionData{Verb: VerbHelp}) },
			func(a *ExecuteAction) Action { return submit("", a.Data, "") }},
		{"ok, retitled with an ID and a style", func() *ExecuteAction {
			a := NewExecute("S", d).WithID("x").WithStyle(ActionPositive)
			a.Title = "T"
			return a
		}, func(a *ExecuteAction) Action { return submit("T", a.Data, "") }},
		{"ok, data dropped", func() *ExecuteAction {
			a := NewExecute("S", d)
			a.Data = nil
			return a
		}, func(*ExecuteAction) Action { return submit("S", nil, "") }},
		{"ok, another action's fallback", func() *ExecuteAction {
			a := NewExecute("A", ActionData{Verb: VerbHelp})
			a.Fallback = NewExecute("B", d).WithoutInputs().Fallback
			return a
		}, func(*ExecuteAction) Action { return submit("B", &d, InputsNone) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tt.give()
			card := NewCard().AddActions(a)
			got, err := Encode(card)
			require.NoError(t, err)
			require.Equal(t, string(stdEncode(t, card)), string(got))

			plain := *a
			plain.Fallback = tt.want(a)
			require.Equal(t, string(stdEncode(t, NewCard().AddActions(&plain))), string(got))
		})
	}
}
