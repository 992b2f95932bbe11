package cards

import (
	"bytes"
	"encoding/json"
)

// actionBase holds the properties every action shares.
type actionBase struct {
	Title     string      `json:"title,omitempty"`
	ID        string      `json:"id,omitempty"`
	IconURL   string      `json:"iconUrl,omitempty"`
	Style     ActionStyle `json:"style,omitempty"`
	Tooltip   string      `json:"tooltip,omitempty"`
	Mode      ActionMode  `json:"mode,omitempty"`
	IsEnabled *bool       `json:"isEnabled,omitempty"`
}

// ExecuteAction is an Action.Execute (Universal Actions, 1.4+). Teams sends
// it to the bot as an adaptiveCard/action invoke whose value.action.data is
// Data merged with the card's inputs (botframework.md §4.5).
type ExecuteAction struct {
	Type             string           `json:"type"`
	Verb             Verb             `json:"verb,omitempty"`
	Data             *ActionData      `json:"data,omitempty"`
	AssociatedInputs AssociatedInputs `json:"associatedInputs,omitempty"`
	actionBase
	// Fallback is used by clients that do not know Action.Execute.
	Fallback Action `json:"fallback,omitempty"`
}

// NewExecute returns an Action.Execute carrying d; its verb is d.Verb. It
// falls back to an Action.Submit with the same title, data and associated
// inputs on clients older than 1.4, as the Universal Actions docs advise;
// the bot routes both on data.verb.
func NewExecute(title string, d ActionData) *ExecuteAction {
	// One allocation for the action and its data.
	return new(executeBundle).init(title, d)
}

// executeBundle holds an Action.Execute with its data.
type executeBundle struct {
	exec ExecuteAction
	data ActionData
}

// init fills x as NewExecute(title, d) and returns its Action.Execute.
func (x *executeBundle) init(title string, d ActionData) *ExecuteAction {
	x.data = d
	x.exec = ExecuteAction{
		Type:       "Action.Execute",
		Verb:       d.Verb,
		Data:       &x.data,
		actionBase: actionBase{Title: title},
	}
	x.exec.Fallback = (*submitFallback)(&x.exec)
	return &x.exec
}

// submitFallback is the Action.Submit fallback of an Action.Execute made
// by NewExecute, read from the action itself: the same title, data and
// associated inputs. A card has one button of this kind per Action.Execute
// (twenty on an app's summary card), so it holds no copy of them.
type submitFallback ExecuteAction

func (*submitFallback) isAction()       {}
func (*submitFallback) isSelectAction() {}

// submit returns the Action.Submit f stands for.
func (f *submitFallback) submit() *SubmitAction {
	return &SubmitAction{Type: "Action.Submit", Data: &SubmitData{ActionData: f.Data}, AssociatedInputs: f.AssociatedInputs,
		actionBase: actionBase{Title: f.Title}}
}

// MarshalJSON writes f as its Action.Submit, for encoding/json (Encode
// writes it without building one). The outer encoder escapes HTML or not,
// as it does for every string.
func (f *submitFallback) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(f.submit()); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func (*ExecuteAction) isAction()       {}
func (*ExecuteAction) isSelectAction() {}

// WithoutInputs stops the action (and a fallback made by NewExecute) from
// gathering the card's inputs.
func (a *ExecuteAction) WithoutInputs() *ExecuteAction {
	a.AssociatedInputs = InputsNone
	if s, ok := a.Fallback.(*SubmitAction); ok {
		s.AssociatedInputs = InputsNone
	}
	return a
}

// WithoutFallback drops the Action.Submit fallback (used where a fallback is
// not allowed, such as a card's refresh action).
func (a *ExecuteAction) WithoutFallback() *ExecuteAction { a.Fallback = nil; return a }

// WithStyle sets the button style.
func (a *ExecuteAction) WithStyle(s ActionStyle) *ExecuteAction { a.Style = s; return a }

// WithID sets the action ID.
func (a *ExecuteAction) WithID(id string) *ExecuteAction { a.ID = id; return a }

// SubmitAction is an Action.Submit. In a bot message Teams sends it as a
// message activity whose value is Data merged with the inputs (§4.4).
type SubmitAction struct {
	Type             string           `json:"type"`
	Data             *SubmitData      `json:"data,omitempty"`
	AssociatedInputs AssociatedInputs `json:"associatedInputs,omitempty"`
	actionBase
	Fallback Action `json:"fallback,omitempty"`
}

// SubmitData is the data of an Action.Submit: the action data contract,
// plus the Teams msteams extension (imBack, messageBack).
type SubmitData struct {
	*ActionData
	MSTeams *SubmitMSTeams `json:"msteams,omitempty"`
}

// SubmitMSTeams changes how Teams delivers an Action.Submit
// (cards-actions.md): imBack posts Value as if the user typed it.
type SubmitMSTeams struct {
	Type        string `json:"type"`
	Value       string `json:"value,omitempty"`
	Text        string `json:"text,omitempty"`
	DisplayText string `json:"displayText,omitempty"`
}

// NewIMBack returns an Action.Submit that posts text into the chat as if
// the user had typed it, so the bot receives it as a normal message.
func NewIMBack(title, text string) *SubmitAction {
	return &SubmitAction{
		Type:       "Action.Submit",
		Data:       &SubmitData{MSTeams: &SubmitMSTeams{Type: "imBack", Value: text}},
		actionBase: actionBase{Title: title},
	}
}

func (*SubmitAction) isAction()       {}
func (*SubmitAction) isSelectAction() {}

// WithoutInputs stops the action from gathering the card's inputs.
func (a *SubmitAction) WithoutInputs() *SubmitAction { a.AssociatedInputs = InputsNone; return a }

// OpenURLAction is an Action.OpenUrl.
type OpenURLAction struct {
	Type string `json:"type"`
	URL  string `json:"url"`
	actionBase
}

// NewOpenURL returns an Action.OpenUrl.
func NewOpenURL(title, url string) *OpenURLAction {
	return &OpenURLAction{Type: "Action.OpenUrl", URL: url, actionBase: actionBase{Title: title}}
}

func (*OpenURLAction) isAction()       {}
func (*OpenURLAction) isSelectAction() {}

// ShowCardAction is an Action.ShowCard: it unfolds a sub-card.
type ShowCardAction struct {
	Type string        `json:"type"`
	Card *AdaptiveCard `json:"card"`
	actionBase
}

// NewShowCard returns an Action.ShowCard unfolding card (build it with
// NewSubCard).
func NewShowCard(title string, card *AdaptiveCard) *ShowCardAction {
	return &ShowCardAction{Type: "Action.ShowCard", Card: card, actionBase: actionBase{Title: title}}
}

func (*ShowCardAction) isAction() {}

// ToggleVisibilityAction is an Action.ToggleVisibility.
type ToggleVisibilityAction struct {
	Type           string          `json:"type"`
	TargetElements []TargetElement `json:"targetElements"`
	actionBase
}

// TargetElement names an element an Action.ToggleVisibility shows or hides.
type TargetElement struct {
	ElementID string `json:"elementId"`
	// IsVisible forces the state; nil toggles it.
	IsVisible *bool `json:"isVisible,omitempty"`
}

// MarshalJSON writes a target that only toggles as its bare element ID,
// the short form of the schema (and the one the renderer writes back).
func (t TargetElement) MarshalJSON() ([]byte, error) {
	if t.IsVisible == nil {
		return json.Marshal(t.ElementID)
	}
	type plain TargetElement
	return json.Marshal(plain(t))
}

// NewToggleVisibility returns an action toggling the given element IDs.
func NewToggleVisibility(title string, ids ...string) *ToggleVisibilityAction {
	t := make([]TargetElement, len(ids))
	for i, id := range ids {
		t[i] = TargetElement{ElementID: id}
	}
	return &ToggleVisibilityAction{Type: "Action.ToggleVisibility", TargetElements: t, actionBase: actionBase{Title: title}}
}

func (*ToggleVisibilityAction) isAction()       {}
func (*ToggleVisibilityAction) isSelectAction() {}
