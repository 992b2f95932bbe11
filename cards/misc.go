package cards

import "github.com/attestbot/attestbot/attestation"

// Command is one thing a user can say to the bot.
type Command struct {
	// Example is what the user types.
	Example string
	// Description tells what the bot answers.
	Description string
}

// Commands lists every command with an example, in the order of the help
// card.
var Commands = []Command{
	{"plumm", "Show an app's compliance summary (typos and accents are fine)"},
	{"show plumm security", "Show one section: general, data, security, compliance, privacy, zerotrust, identity, certification"},
	{"is plumm hipaa compliant?", "Answer one compliance question"},
	{"compare plumm and reach", "Compare two or three apps side by side"},
	{"apps with hipaa and iso 27001", "Find apps by what their record says"},
	{"who requests Mail.ReadWrite", "Find apps by Microsoft Graph permission"},
	{"https://appsource.microsoft.com/product/office/WA200003326", "Paste an AppSource, Teams store or docs link"},
	{"WA200003326", "Look an app up by its AppSource ID (or Teams app ID)"},
	{"subscribe plumm", "Get an activity feed alert when the app's record changes"},
	{"what changed for plumm", "Show the changes to an app's record"},
	{"my subscriptions", "List what you follow; unsubscribe plumm stops an alert"},
	{"subscribe tenant", "Admins: follow every app of your tenant's catalog (also subscribe all, subscribe permission=Mail.*)"},
	{"audit", "Admins: your tenant's apps against their records, riskiest first, with permission drift"},
	{"help", "Show this list"},
}

// Welcome builds the card sent when the bot is installed or a user first
// writes.
func (b *Builder) Welcome() *AdaptiveCard {
	c := NewCard().WithFallbackText("Welcome to attestbot")
	head := NewColumnSet()
	if b.iconURL != "" {
		head.Add(NewColumn(WidthAuto, NewImage(b.iconURL, "attestbot").WithSize(ImageSmall)).WithVerticalAlignment(AlignMiddle))
	}
	head.Add(NewColumn(WidthStretch,
		NewTextBlock("Welcome to attestbot").WithSize(SizeLarge).Bold().Heading(),
		NewTextBlock("Is this third-party app safe to allow?").Subtle().WithSpacing(SpacingNone),
	).WithVerticalAlignment(AlignMiddle))
	c.Add(head,
		NewTextBlock("I know the public Microsoft 365 App Compliance record of every app: Publisher Attestation and Microsoft 365 Certification answers on data handling, security, compliance, privacy and identity, and the Microsoft Graph permissions each app requests."),
		NewTextBlock("Ask me about an app by name, AppSource ID or link, compare apps, search by attribute, and subscribe to be told when a record changes.").WithSpacing(SpacingSmall),
		NewTextBlock("Answers come from the publishers' own statements, machine translated by Microsoft; the original text is one click away.").Subtle().WithSize(SizeSmall),
	)
	c.AddActions(
		NewIMBack("Try: plumm", "plumm"),
		NewIMBack("Try: apps with hipaa", "apps with hipaa"),
		NewExecute("Help", ActionData{Verb: VerbHelp}).WithoutInputs(),
	)
	return c
}

// Help builds the help card: every command with an example, and buttons
// that send an example as if typed.
func (b *Builder) Help() *AdaptiveCard {
	c := NewCard().WithFallbackText("attestbot help")
	c.Add(NewTextBlock("What you can ask").WithSize(SizeLarge).Bold().Heading())
	for _, cmd := range Commands {
		c.Add(NewContainer(
			NewRichTextBlock(NewTextRun(cmd.Example).Monospace().Bold()),
			NewTextBlock(cmd.Description).Subtle().WithSpacing(SpacingNone),
		).WithSpacing(SpacingSmall))
	}
	c.Add(NewTextBlock("In any chat, use the attestbot message extension to search apps and insert a summary card; pasted links unfurl into one.").Subtle().WithSize(SizeSmall).WithSeparator())
	c.AddActions(
		NewIMBack("Try: plumm", "plumm"),
		NewIMBack("Try: show plumm security", "show plumm security"),
		NewIMBack("Try: who requests Mail.ReadWrite", "who requests Mail.ReadWrite"),
	)
	return c
}

// ErrorMessage is what an error card says. Never put internal error text
// in it: it is shown to the user.
type ErrorMessage struct {
	// Title is the short English headline ("App not found").
	Title string
	// Detail says what to do next.
	Detail string
	// Retry, when set, adds a "Try again" button carrying this data.
	Retry *ActionData
}

// Error builds an error card.
func (b *Builder) Error(m ErrorMessage) *AdaptiveCard {
	title := clip(m.Title, 120)
	if title == "" {
		title = "Something went wrong"
	}
	c := NewCard().WithFallbackText(title)
	c.Add(NewContainer(
		NewTextBlock("⚠️ " + title).WithSize(SizeMedium).Bold().WithColor(ColorAttention).Heading(),
	).WithStyle(StyleAttention).WithBleed())
	if m.Detail != "" {
		c.Add(NewTextBlock(clip(m.Detail, 1000)).WithSpacing(SpacingMedium))
	}
	if m.Retry != nil {
		c.AddActions(NewExecute("Try again", *m.Retry).WithoutInputs())
	}
	c.AddActions(NewExecute("Help", ActionData{Verb: VerbHelp}).WithoutInputs())
	return c
}

// Notice builds a short confirmation card about an app, such as
// "Subscribed to Plumm". With undo set, a button runs it (for example
// VerbUnsubscribe after a subscription).
func (b *Builder) Notice(r *attestation.Record, title, text string, undo *ActionData) *AdaptiveCard {
	c := NewCard().WithFallbackText(clip(title, 120))
	c.Add(NewTextBlock(clip(title, 120)).WithSize(SizeMedium).Bold().Heading())
	if text != "" {
		c.Add(NewTextBlock(clip(text, 1000)).WithSpacing(SpacingSmall))
	}
	if undo != nil {
		label := "Undo"
		switch undo.Verb {
		case VerbUnsubscribe:
			label = "Unsubscribe"
		case VerbSubscribe:
			label = "Subscribe again"
		}
		c.AddActions(NewExecute(label, *undo).WithoutInputs())
	}
	if r != nil {
		c.AddActions(NewExecute("Open "+displayName(r), appData(r, VerbApp)).WithoutInputs())
	}
	return c
}
