package cards

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/internal/logtext"
)

// Verb names what an Action.Execute asks the bot to do. The bot routes the
// adaptiveCard/action invoke on value.action.verb (and an Action.Submit
// fallback message on value.verb) to the builder named below.
type Verb string

// The verbs of the action data contract. The ActionData fields each verb
// reads are listed after it; the builder that answers is in brackets.
const (
	// VerbApp shows an app: Slug, Kind, Locale [Builder.Summary].
	VerbApp Verb = "app"
	// VerbSection shows one section: Slug, Kind, Locale, Section, Page,
	// Original [Builder.Section].
	VerbSection Verb = "section"
	// VerbPermissions shows the Graph permissions: Slug, Kind, Locale, Page
	// [Builder.Permissions].
	VerbPermissions Verb = "permissions"
	// VerbCompare compares apps: Compare (app refs, kind/slug), Locale, and
	// CompareWith, the free text the user typed in the summary card's
	// compare box, to be resolved by the bot and added to Compare
	// [Builder.Compare].
	VerbCompare Verb = "compare"
	// VerbSearch runs a search: Query, Page, Locale [Builder.Search]. It is
	// also the search card's refresh verb.
	VerbSearch Verb = "search"
	// VerbSubscribe subscribes the user to an app's changes: Slug, Kind,
	// Locale [Builder.Notice].
	VerbSubscribe Verb = "subscribe"
	// VerbUnsubscribe ends a subscription: Slug, Kind, Locale [Builder.Notice].
	VerbUnsubscribe Verb = "unsubscribe"
	// VerbChanges shows what changed for an app: Slug, Kind, Locale, Page
	// [Builder.Changes].
	VerbChanges Verb = "changes"
	// VerbHelp shows the help card [Builder.Help].
	VerbHelp Verb = "help"
	// VerbAudit shows the tenant audit of the user's tenant (admins
	// only): Page, Force [Builder.Audit]. It is also the audit card's
	// refresh verb; the tenant is always the invoking user's, never data.
	VerbAudit Verb = "audit"
	// VerbAsk answers a question again about a confirmed app: Query (the
	// question as typed), Slug, Kind, Locale. The did-you-mean card's
	// buttons carry it, so one click answers the question about the app
	// the user picked [Builder.NoMatch].
	VerbAsk Verb = "ask"
)

// Verbs lists every verb of the contract.
var Verbs = []Verb{VerbApp, VerbSection, VerbPermissions, VerbCompare, VerbSearch,
	VerbSubscribe, VerbUnsubscribe, VerbChanges, VerbHelp, VerbAudit, VerbAsk}

// ActionData is the data of every Action.Execute and Action.Submit the
// cards carry: the whole state of a card's view. The bot keeps no state
// between invokes: it decodes value.action.data with DecodeActionData,
// loads the record named by (Locale, Kind, Slug) and calls the builder of
// the verb. Inputs of the card are merged into the data by Teams under
// their IDs; the only input IDs the cards use are "query" and
// "compareWith", which are fields here.
type ActionData struct {
	// Verb repeats the action's verb so that an Action.Submit fallback
	// (a message activity, whose value is this data) routes the same way.
	Verb Verb `json:"verb,omitempty"`
	// Slug is the app's slug (file name of its page, English).
	Slug string `json:"slug,omitempty"`
	// Kind is the app's host folder (teams, saas, outlook...): a slug is
	// unique only within a kind.
	Kind string `json:"kind,omitempty"`
	// Locale is the locale of the record shown, such as fr-FR.
	Locale string `json:"locale,omitempty"`
	// Section is the record section (VerbSection).
	Section attestation.Section `json:"section,omitempty"`
	// Page is the 0-based page of a paged card.
	Page int `json:"page,omitempty"`
	// Query is the search text (VerbSearch; also the search box input ID).
	Query string `json:"query,omitempty"`
	// Original asks for the publisher's original text (VerbSection).
	Original bool `json:"original,omitempty"`
	// Compare lists the apps to compare as kind/slug refs (see Ref).
	Compare []string `json:"compare,omitempty"`
	// CompareWith is the compare box input of the summary card: an app name,
	// ID or link the bot must resolve.
	CompareWith string `json:"compareWith,omitempty"`
	// Force asks for fresh data rather than a cached result (VerbAudit's
	// refresh).
	Force bool `json:"force,omitempty"`
}

// Input IDs used by the cards; Teams merges input values into the action
// data under these names.
const (
	InputQuery       = "query"
	InputCompareWith = "compareWith"
)

// Limits DecodeActionData enforces.
const (
	MaxQueryRunes  = 200
	MaxCompareApps = 3
	MaxPage        = 1000
)

// ErrBadActionData is wrapped by every DecodeActionData error.
var ErrBadActionData = errors.New("bad action data")

// Ref returns the kind/slug reference of an app used in ActionData.Compare.
func Ref(kind, slug string) string { return kind + "/" + slug }

// ParseRef splits a kind/slug reference.
func ParseRef(ref string) (kind, slug string, ok bool) {
	kind, slug, ok = strings.Cut(ref, "/")
	if !ok || kind == "" || slug == "" || strings.Contains(slug, "/") {
		return "", "", false
	}
	return kind, slug, true
}

// DecodeActionData decodes and checks the data of an Action.Execute
// (value.action.data) or an Action.Submit message (value). Unknown fields
// are ignored; a known verb, a known section, a page in [0, MaxPage], a
// query of at most MaxQueryRunes runes and at most MaxCompareApps valid
// refs are required. Strings are trimmed. Errors wrap ErrBadActionData.
func DecodeActionData(raw []byte) (ActionData, error) {
	var d ActionData
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '{' {
		return ActionData{}, fmt.Errorf("%w: not a JSON object", ErrBadActionData)
	}
	if err := json.Unmarshal(raw, &d); err != nil {
		return ActionData{}, fmt.Errorf("%w: %w", ErrBadActionData, err)
	}
	if err := d.Validate(); err != nil {
		return ActionData{}, err
	}
	return d, nil
}

// Validate trims d's strings in place and checks it as DecodeActionData
// does.
func (d *ActionData) Validate() error {
	d.Slug = strings.TrimSpace(d.Slug)
	d.Kind = strings.TrimSpace(d.Kind)
	d.Locale = strings.TrimSpace(d.Locale)
	d.Query = strings.TrimSpace(d.Query)
	d.CompareWith = strings.TrimSpace(d.CompareWith)
	if len(d.Compare) == 0 {
		d.Compare = nil
	}
	if !knownVerb(d.Verb) {
		return fmt.Errorf("%w: unknown verb %q", ErrBadActionData, logtext.Runes(string(d.Verb), 40))
	}
	if d.Section != "" && !knownSection(d.Section) {
		return fmt.Errorf("%w: unknown section %q", ErrBadActionData, logtext.Runes(string(d.Section), 40))
	}
	if d.Page < 0 || d.Page > MaxPage {
		return fmt.Errorf("%w: page %d out of range", ErrBadActionData, d.Page)
	}
	if !utf8.ValidString(d.Query) || utf8.RuneCountInString(d.Query) > MaxQueryRunes {
		return fmt.Errorf("%w: query too long or not UTF-8", ErrBadActionData)
	}
	if !utf8.ValidString(d.CompareWith) || utf8.RuneCountInString(d.CompareWith) > MaxQueryRunes {
		return fmt.Errorf("%w: compareWith too long or not UTF-8", ErrBadActionData)
	}
	if len(d.Compare) > MaxCompareApps {
		return fmt.Errorf("%w: %d apps to compare, at most %d", ErrBadActionData, len(d.Compare), MaxCompareApps)
	}
	for _, r := range d.Compare {
		if _, _, ok := ParseRef(r); !ok {
			return fmt.Errorf("%w: bad app ref %q", ErrBadActionData, logtext.Runes(r, 80))
		}
	}
	for _, s := range []string{d.Slug, d.Kind, d.Locale} {
		if len(s) > 200 || strings.ContainsAny(s, "\x00/\\") {
			return fmt.Errorf("%w: bad slug, kind or locale", ErrBadActionData)
		}
	}
	switch d.Verb {
	case VerbApp, VerbPermissions, VerbSubscribe, VerbUnsubscribe, VerbChanges, VerbAsk:
		if d.Slug == "" {
			return fmt.Errorf("%w: verb %s needs a slug", ErrBadActionData, d.Verb)
		}
	case VerbSection:
		if d.Slug == "" || d.Section == "" {
			return fmt.Errorf("%w: verb section needs a slug and a section", ErrBadActionData)
		}
	}
	return nil
}

func knownVerb(v Verb) bool {
	for _, k := range Verbs {
		if v == k {
			return true
		}
	}
	return false
}

func knownSection(s attestation.Section) bool {
	for _, k := range attestation.Sections {
		if s == k {
			return true
		}
	}
	return false
}
