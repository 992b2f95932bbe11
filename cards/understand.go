package cards

import (
	"strings"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/internal/logtext"
	"github.com/attestbot/attestbot/l10n"
)

// This file holds the cards of the conversation's misses: the
// did-you-mean card that confirms an app before answering, small talk,
// and the note a search card carries about what it could not filter.

// NoMatch is a message that named no app the bot is sure of.
type NoMatch struct {
	// Name is the app name read from the message ("" when none was).
	Name string
	// Question is the message as typed: the buttons carry it so one click
	// answers it about the app picked.
	Question string
	// Locale is the user's locale.
	Locale string
	// Candidates are apps the name may mean, best first.
	Candidates []attestation.Result
	// Confirm asks to confirm the first candidate, a close match (a typo
	// of its name), rather than saying no app has the name.
	Confirm bool
	// Unfiltered is a question about many apps the bot cannot filter on
	// ("which apps handle health data"): the card says so and names the
	// filters it has.
	Unfiltered string
}

// NoMatch builds the did-you-mean card: never an answer about an app the
// bot is not sure of. Each candidate is a button (Action.Execute with an
// Action.Submit fallback) carrying the question (VerbAsk); the card also
// names what the bot can filter on.
func (b *Builder) NoMatch(m NoMatch) *AdaptiveCard {
	name := logtext.Runes(strings.TrimSpace(m.Name), 80)
	locale := cleanLocale(m.Locale)
	question := logtext.Runes(strings.TrimSpace(m.Question), MaxQueryRunes)
	c := NewCard()
	switch {
	case m.Unfiltered != "":
		title := b.loc.F("understand.nofilter.title", l10n.Args{"Words": EscapeMarkdown(logtext.Runes(m.Unfiltered, 120))})
		c.WithFallbackText(title)
		c.Add(NewTextBlock(title).WithSize(SizeMedium).Bold().Heading())
	case m.Confirm && len(m.Candidates) > 0:
		cand, _ := b.resultName(&m.Candidates[0], locale)
		c.WithFallbackText(b.loc.F("understand.confirm.fallback", l10n.Args{"Name": cand}))
		c.Add(NewTextBlock(b.loc.F("understand.confirm.title", l10n.Args{"Name": EscapeMarkdown(cand)})).WithSize(SizeMedium).Bold().Heading())
		c.Add(NewTextBlock(b.loc.F("understand.confirm.text", l10n.Args{"Typed": EscapeMarkdown(name)})).WithSpacing(SpacingSmall))
	case name != "":
		c.WithFallbackText(b.loc.F("didyoumean.fallback", l10n.Args{"Query": name}))
		c.Add(NewTextBlock(b.loc.F("didyoumean.title", l10n.Args{"Query": EscapeMarkdown(name)})).WithSize(SizeMedium).Bold().Heading())
	default:
		title := b.loc.T("understand.nomatch.untitled")
		c.WithFallbackText(title)
		c.Add(NewTextBlock(title).WithSize(SizeMedium).Bold().Heading())
	}
	if len(m.Candidates) == 0 {
		c.Add(NewTextBlock(b.loc.T("understand.nomatch.nothing")).WithSpacing(SpacingSmall))
	} else {
		if !m.Confirm {
			c.Add(NewTextBlock(b.loc.T("understand.nomatch.prompt")).WithSpacing(SpacingSmall))
		}
		set := NewActionSet()
		for i := range m.Candidates[:min(5, len(m.Candidates))] {
			res := &m.Candidates[i]
			title, publisher := b.resultName(res, locale)
			if publisher != "" {
				title += " — " + logtext.Runes(publisher, 40)
			}
			d := ActionData{Verb: VerbAsk, Query: question, Kind: res.Kind, Slug: res.Slug, Locale: locale}
			if r := res.Record(locale); r != nil {
				d.Locale = cleanLocale(r.Locale)
			}
			set.Add(NewExecute(title, d).WithoutInputs())
		}
		c.Add(set)
	}
	c.Add(NewTextBlock(b.loc.T("understand.nomatch.filters")).Subtle().WithSize(SizeSmall).WithSeparator())
	if name != "" && !m.Confirm {
		c.AddActions(NewExecute(b.loc.F("didyoumean.search", l10n.Args{"Query": logtext.Runes(name, 40)}),
			ActionData{Verb: VerbSearch, Query: name, Locale: locale}).WithoutInputs())
	}
	c.AddActions(NewExecute(b.loc.T("common.help"), ActionData{Verb: VerbHelp}).WithoutInputs())
	return c
}

// SmallTalk kinds.
const (
	SmallTalkThanks   = "thanks"
	SmallTalkHello    = "hello"
	SmallTalkBye      = "bye"
	SmallTalkAck      = "ack"
	SmallTalkAbout    = "about"
	SmallTalkOffTopic = "offtopic"
	// SmallTalkCertification explains attestation and certification.
	SmallTalkCertification = "certification"
)

// SmallTalk answers thanks, greetings, emoji and off-topic messages
// briefly, with what the bot is for and examples to try.
func (b *Builder) SmallTalk(kind string) *AdaptiveCard {
	line := b.loc.T("understand.smalltalk.ack")
	if id := "understand.smalltalk." + kind; b.loc.Has(id) {
		line = b.loc.T(id)
	}
	c := NewCard().WithFallbackText(line)
	c.Add(NewTextBlock(line).Bold())
	c.Add(NewTextBlock(b.loc.T("understand.about")).WithSpacing(SpacingSmall))
	for _, id := range []string{"understand.try.lookup", "understand.try.claim", "understand.try.search"} {
		ex := b.loc.F(id, nil)
		c.AddActions(NewIMBack(b.loc.F("common.try", l10n.Args{"Example": ex}), ex))
	}
	return c
}

// WithNote adds a short note under a card's heading and subtitle (such as
// the words a search could not filter on). It returns c.
func WithNote(c *AdaptiveCard, note string) *AdaptiveCard {
	if c == nil || note == "" {
		return c
	}
	at := min(2, len(c.Body))
	tb := NewTextBlock(logtext.Runes(note, 500)).WithColor(ColorWarning).WithSize(SizeSmall)
	c.Body = append(c.Body[:at], append([]Element{tb}, c.Body[at:]...)...)
	return c
}

// UnansweredNote is the note of an app's card shown for a question its
// record cannot answer.
func (b *Builder) UnansweredNote(words string) string {
	return b.loc.F("understand.unanswered", l10n.Args{"Words": EscapeMarkdown(logtext.Runes(words, 120))})
}

// UnfilteredNote is the note of a search that could not filter on words.
func (b *Builder) UnfilteredNote(words string) string {
	return b.loc.F("understand.unfiltered", l10n.Args{"Words": EscapeMarkdown(logtext.Runes(words, 120))})
}
