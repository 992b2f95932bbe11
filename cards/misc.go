package cards

import (
	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/internal/logtext"
	"github.com/attestbot/attestbot/l10n"
)

// Command is one thing a user can say to the bot. Its example and
// description are the catalog messages help.<ID>.example and
// help.<ID>.text, in every language.
type Command struct {
	// ID names the command's catalog messages.
	ID string
}

// Commands lists every command, in the order of the help card.
var Commands = []Command{
	{"name"}, {"section"}, {"question"}, {"compare"}, {"search"}, {"permission"}, {"storage"},
	{"link"}, {"appsource_id"}, {"subscribe"}, {"changes"}, {"subscriptions"}, {"tenant"}, {"audit"}, {"help"},
}

// Welcome builds the card sent when the bot is installed or a user first
// writes.
func (b *Builder) Welcome() *AdaptiveCard {
	loc := b.loc
	c := NewCard().WithFallbackText(loc.T("welcome.title"))
	head := NewColumnSet()
	if b.iconURL != "" {
		head.Add(NewColumn(WidthAuto, NewImage(b.iconURL, "attestbot").WithSize(ImageSmall)).WithVerticalAlignment(AlignMiddle))
	}
	head.Add(NewColumn(WidthStretch,
		NewTextBlock(loc.T("welcome.title")).WithSize(SizeLarge).Bold().Heading(),
		NewTextBlock(loc.T("welcome.subtitle")).Subtle().WithSpacing(SpacingNone),
	).WithVerticalAlignment(AlignMiddle))
	c.Add(head,
		NewTextBlock(loc.T("welcome.intro")),
		NewTextBlock(loc.T("welcome.ask")).WithSpacing(SpacingSmall),
		NewTextBlock(loc.T("welcome.sources")).Subtle().WithSize(SizeSmall),
	)
	name, search := loc.T("help.name.example"), loc.T("welcome.example_search")
	c.AddActions(
		NewIMBack(loc.F("common.try", l10n.Args{"Example": name}), name),
		NewIMBack(loc.F("common.try", l10n.Args{"Example": search}), search),
		NewExecute(loc.T("common.help"), ActionData{Verb: VerbHelp}).WithoutInputs(),
	)
	return c
}

// Help builds the help card: every command with an example, and buttons
// that send an example as if typed.
func (b *Builder) Help() *AdaptiveCard {
	loc := b.loc
	c := NewCard().WithFallbackText(loc.T("help.fallback"))
	c.Add(NewTextBlock(loc.T("help.title")).WithSize(SizeLarge).Bold().Heading())
	for _, cmd := range Commands {
		c.Add(NewContainer(
			NewRichTextBlock(NewTextRun(loc.T("help."+cmd.ID+".example")).Monospace().Bold()),
			NewTextBlock(loc.T("help."+cmd.ID+".text")).Subtle().WithSpacing(SpacingNone),
		).WithSpacing(SpacingSmall))
	}
	c.Add(NewTextBlock(loc.T("help.languages")).Subtle().WithSize(SizeSmall).WithSeparator())
	c.Add(NewTextBlock(loc.T("help.extension")).Subtle().WithSize(SizeSmall).WithSpacing(SpacingSmall))
	for _, id := range []string{"name", "section", "permission"} {
		ex := loc.T("help." + id + ".example")
		c.AddActions(NewIMBack(loc.F("common.try", l10n.Args{"Example": ex}), ex))
	}
	return c
}

// ErrorMessage is what an error card says. Never put internal error text
// in it: it is shown to the user.
type ErrorMessage struct {
	// Title is the short headline ("App not found"), in the user's
	// language.
	Title string
	// Detail says what to do next.
	Detail string
	// Retry, when set, adds a "Try again" button carrying this data.
	Retry *ActionData
}

// Error builds an error card.
func (b *Builder) Error(m ErrorMessage) *AdaptiveCard {
	loc := b.loc
	title := logtext.Runes(m.Title, 120)
	if title == "" {
		title = loc.T("error.generic")
	}
	c := NewCard().WithFallbackText(title)
	c.Add(NewContainer(
		NewTextBlock("⚠️ " + title).WithSize(SizeMedium).Bold().WithColor(ColorAttention).Heading(),
	).WithStyle(StyleAttention).WithBleed())
	if m.Detail != "" {
		c.Add(NewTextBlock(logtext.Runes(m.Detail, 1000)).WithSpacing(SpacingMedium))
	}
	if m.Retry != nil {
		c.AddActions(NewExecute(loc.T("error.try_again"), *m.Retry).WithoutInputs())
	}
	c.AddActions(NewExecute(loc.T("common.help"), ActionData{Verb: VerbHelp}).WithoutInputs())
	return c
}

// Notice builds a short confirmation card about an app, such as
// "Subscribed to Plumm". With undo set, a button runs it (for example
// VerbUnsubscribe after a subscription).
func (b *Builder) Notice(r *attestation.Record, title, text string, undo *ActionData) *AdaptiveCard {
	loc := b.loc
	c := NewCard().WithFallbackText(logtext.Runes(title, 120))
	c.Add(NewTextBlock(logtext.Runes(title, 120)).WithSize(SizeMedium).Bold().Heading())
	if text != "" {
		c.Add(NewTextBlock(logtext.Runes(text, 1000)).WithSpacing(SpacingSmall))
	}
	if undo != nil {
		label := loc.T("notice.undo")
		switch undo.Verb {
		case VerbUnsubscribe:
			label = loc.T("notice.unsubscribe")
		case VerbSubscribe:
			label = loc.T("notice.subscribe_again")
		}
		c.AddActions(NewExecute(label, *undo).WithoutInputs())
	}
	if r != nil {
		c.AddActions(NewExecute(loc.F("common.open", l10n.Args{"Name": b.displayName(r)}), appData(r, VerbApp)).WithoutInputs())
	}
	return c
}
