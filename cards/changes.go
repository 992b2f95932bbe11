package cards

import (
	"strings"

	"github.com/attestbot/attestbot/attestation"
)

// maxChangeRows is the most changes a page shows.
const maxChangeRows = 30

// changeGroup returns the group title of a change: its section, or a
// group for fields outside the sections.
func changeGroup(ch attestation.Change) string {
	switch {
	case strings.HasPrefix(ch.Field, attestation.FieldPermissionPrefix), ch.Field == attestation.FieldEntraAppID:
		return "Microsoft Graph permissions"
	case strings.HasPrefix(ch.Field, "link:"):
		return "Links"
	case ch.Section != "":
		return SectionTitle(ch.Section)
	}
	return "Record"
}

// changeValue renders an old or new value: normalized values get their
// English label; blank is "(blank)".
func changeValue(s string) string {
	if s == "" {
		return "(blank)"
	}
	switch attestation.Value(s) {
	case attestation.ValueYes, attestation.ValueNo, attestation.ValueNotApplicable, attestation.ValueUnanswered,
		attestation.ValueInScope, attestation.ValuePass, attestation.ValueFail, attestation.ValueUnknown:
		return ValueLabel(attestation.Value(s))
	}
	switch t := attestation.PermissionType(s); t {
	case attestation.Delegated, attestation.Application, attestation.Both:
		return permissionTypeLabel(t)
	}
	return clip(s, maxJustificationRunes)
}

var kindLabelsChange = map[attestation.ChangeKind]string{
	attestation.ChangeChanged:     "changed",
	attestation.ChangeAnswered:    "answered",
	attestation.ChangeWithdrawn:   "withdrawn",
	attestation.ChangeAdded:       "added",
	attestation.ChangeRemoved:     "removed",
	attestation.ChangeTypeChanged: "type changed",
}

// changeRow renders one change: label and kind, then old → new with the
// old value struck through. Values are shown without markdown.
func changeRow(ch attestation.Change) *Container {
	label := ch.Label
	if label == "" {
		label = ch.Field
	}
	kind := kindLabelsChange[ch.Kind]
	if kind == "" {
		kind = clip(string(ch.Kind), 20)
	}
	head := NewRichTextBlock(
		NewTextRun(clip(label, maxLabelRunes)).Bold(),
		NewTextRun("  "+kind).Subtle().WithSize(SizeSmall),
	)
	rt := NewRichTextBlock().WithSpacing(SpacingNone)
	switch ch.Kind {
	case attestation.ChangeAdded, attestation.ChangeAnswered:
		rt.Add(NewTextRun(changeValue(ch.New)).WithColor(ColorGood))
	case attestation.ChangeRemoved, attestation.ChangeWithdrawn:
		rt.Add(NewTextRun(changeValue(ch.Old)).Strike().WithColor(ColorAttention))
	default:
		rt.Add(
			NewTextRun(changeValue(ch.Old)).Strike().WithColor(ColorAttention),
			NewTextRun(" → "),
			NewTextRun(changeValue(ch.New)).WithColor(ColorGood),
		)
	}
	return NewContainer(head, rt).WithSpacing(SpacingSmall)
}

// groupOrder sorts change groups: sections in display order, then
// permissions, links and the record's own fields.
func groupOrder(g string) int {
	for i, s := range attestation.Sections {
		if SectionTitle(s) == g {
			return i
		}
	}
	switch g {
	case "Microsoft Graph permissions":
		return 20
	case "Links":
		return 21
	}
	return 22
}

// Changes builds the "what changed" card of an app: each change as old →
// new, grouped by section. app may be nil (the slug of the changes is then
// shown). Long lists page (page is 0-based).
func (b *Builder) Changes(app *attestation.Record, changes []attestation.Change, page int) *AdaptiveCard {
	name, slug, kind, locale := "", "", "", ""
	if app != nil {
		name, slug, kind, locale = displayName(app), app.Slug, app.Kind, cleanLocale(app.Locale)
	} else if len(changes) > 0 {
		name, slug, locale = clip(changes[0].App, 120), changes[0].App, cleanLocale(changes[0].Locale)
	}
	if name == "" {
		name = "this app"
	}
	// Stable grouping: by group order, keeping the input order inside one.
	order := make([]int, 0, len(changes))
	for g := 0; g <= 22; g++ {
		for i, ch := range changes {
			if groupOrder(changeGroup(ch)) == g {
				order = append(order, i)
			}
		}
	}
	type item struct {
		group string
		row   *Container
	}
	items := make([]item, len(order))
	sizes := make([]int, len(order))
	for i, idx := range order {
		items[i] = item{changeGroup(changes[idx]), changeRow(changes[idx])}
		sizes[i] = elementSize(items[i].row) + 120
	}
	pages := paginate(sizes, rowBudget, maxChangeRows)
	page = clampPage(page, len(pages))

	c := NewCard().WithFallbackText("What changed for " + name)
	c.Add(NewTextBlock("What changed for " + name).WithSize(SizeLarge).Bold().Heading())
	sub := plural(len(changes), "change")
	if locale != "" {
		sub += " · " + locale + " record"
	}
	if len(pages) > 1 {
		sub += " · " + pageLabel(page, len(pages))
	}
	c.Add(NewTextBlock(sub).Subtle().WithSpacing(SpacingNone))
	if len(changes) == 0 {
		c.Add(NewTextBlock("No data changes recorded. Translation and metadata updates are not changes.").WithSpacing(SpacingMedium))
	} else {
		p := pages[page]
		last := ""
		for _, it := range items[p[0]:p[1]] {
			if it.group != last {
				c.Add(NewTextBlock(it.group).Bold().WithColor(ColorAccent).WithSeparator().WithSpacing(SpacingMedium))
				last = it.group
			}
			c.Add(it.row)
		}
	}
	if slug != "" {
		mk := func(p int) ActionData {
			return ActionData{Verb: VerbChanges, Slug: slug, Kind: kind, Locale: locale, Page: p}
		}
		if set := pager(page, len(pages), mk); set != nil {
			c.Add(set)
		}
		c.AddActions(NewExecute("Open "+name, ActionData{Verb: VerbApp, Slug: slug, Kind: kind, Locale: locale}).WithoutInputs())
	}
	return c
}
