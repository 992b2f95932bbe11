package cards

import (
	"strings"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/internal/logtext"
	"github.com/attestbot/attestbot/l10n"
)

// maxChangeRows is the most changes a page shows.
const maxChangeRows = 30

// Change groups outside the record's sections, in display order after
// them.
const (
	groupPermissions = 20
	groupLinks       = 21
	groupRecord      = 22
)

// changeGroup returns the group of a change: the index of its section in
// attestation.Sections, or one of the groups outside the sections.
func changeGroup(ch attestation.Change) int {
	switch {
	case strings.HasPrefix(ch.Field, attestation.FieldPermissionPrefix), ch.Field == attestation.FieldEntraAppID:
		return groupPermissions
	case strings.HasPrefix(ch.Field, "link:"):
		return groupLinks
	case ch.Section != "":
		for i, s := range attestation.Sections {
			if s == ch.Section {
				return i
			}
		}
	}
	return groupRecord
}

// groupTitle returns the title of a change group.
func groupTitle(loc *l10n.Localizer, ch attestation.Change, g int) string {
	switch g {
	case groupPermissions:
		return loc.T("permission.title")
	case groupLinks:
		return loc.T("changes.links")
	case groupRecord:
		if ch.Section == "" {
			return loc.T("changes.record")
		}
	}
	return sectionTitle(loc, ch.Section)
}

// changeValue renders an old or new value: normalized values get their
// label; blank is "(blank)".
func changeValue(loc *l10n.Localizer, s string) string {
	if s == "" {
		return loc.T("changes.blank")
	}
	switch attestation.Value(s) {
	case attestation.ValueYes, attestation.ValueNo, attestation.ValueNotApplicable, attestation.ValueUnanswered,
		attestation.ValueInScope, attestation.ValuePass, attestation.ValueFail, attestation.ValueUnknown:
		return valueLabel(loc, attestation.Value(s))
	}
	switch t := attestation.PermissionType(s); t {
	case attestation.Delegated, attestation.Application, attestation.Both:
		return permissionTypeLabel(loc, t)
	}
	return logtext.Runes(s, maxJustificationRunes)
}

var kindIDsChange = map[attestation.ChangeKind]string{
	attestation.ChangeChanged:     "changes.kind_changed",
	attestation.ChangeAnswered:    "changes.kind_answered",
	attestation.ChangeWithdrawn:   "changes.kind_withdrawn",
	attestation.ChangeAdded:       "changes.kind_added",
	attestation.ChangeRemoved:     "changes.kind_removed",
	attestation.ChangeTypeChanged: "changes.kind_type_changed",
}

// changeRow renders one change: label and kind, then old → new with the
// old value struck through. Values are shown without markdown.
func changeRow(loc *l10n.Localizer, ch attestation.Change) *Container {
	label := QuestionLabel(loc, ch.Field, ch.Label)
	if label == "" {
		label = ch.Field
	}
	kind := logtext.Runes(string(ch.Kind), 20)
	if id, ok := kindIDsChange[ch.Kind]; ok {
		kind = loc.T(id)
	}
	head := NewRichTextBlock(
		NewTextRun(logtext.Runes(label, maxLabelRunes)).Bold(),
		NewTextRun("  "+kind).Subtle().WithSize(SizeSmall),
	)
	rt := NewRichTextBlock().WithSpacing(SpacingNone)
	switch ch.Kind {
	case attestation.ChangeAdded, attestation.ChangeAnswered:
		rt.Add(NewTextRun(changeValue(loc, ch.New)).WithColor(ColorGood))
	case attestation.ChangeRemoved, attestation.ChangeWithdrawn:
		rt.Add(NewTextRun(changeValue(loc, ch.Old)).Strike().WithColor(ColorAttention))
	default:
		rt.Add(
			NewTextRun(changeValue(loc, ch.Old)).Strike().WithColor(ColorAttention),
			NewTextRun(" → "),
			NewTextRun(changeValue(loc, ch.New)).WithColor(ColorGood),
		)
	}
	return NewContainer(head, rt).WithSpacing(SpacingSmall)
}

// Changes builds the "what changed" card of an app: each change as old →
// new, grouped by section. app may be nil (the slug of the changes is then
// shown). Long lists page (page is 0-based).
func (b *Builder) Changes(app *attestation.Record, changes []attestation.Change, page int) *AdaptiveCard {
	loc := b.loc
	name, slug, kind, locale := "", "", "", ""
	if app != nil {
		name, slug, kind, locale = b.displayName(app), app.Slug, app.Kind, cleanLocale(app.Locale)
	} else if len(changes) > 0 {
		name, slug, locale = logtext.Runes(changes[0].App, 120), changes[0].App, cleanLocale(changes[0].Locale)
	}
	if name == "" {
		name = loc.T("changes.this_app")
	}
	// Stable grouping: by group order, keeping the input order inside one.
	groups := make([]int, len(changes))
	for i, ch := range changes {
		groups[i] = changeGroup(ch)
	}
	order := make([]int, 0, len(changes))
	for g := 0; g <= groupRecord; g++ {
		for i := range changes {
			if groups[i] == g {
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
		items[i] = item{groupTitle(loc, changes[idx], groups[idx]), changeRow(loc, changes[idx])}
		sizes[i] = elementSize(items[i].row) + 120
	}
	pages := paginate(sizes, rowBudget, maxChangeRows)
	page = clampPage(page, len(pages))

	title := loc.F("changes.title", l10n.Args{"Name": name})
	c := NewCard().WithFallbackText(title)
	c.Add(NewTextBlock(title).WithSize(SizeLarge).Bold().Heading())
	sub := loc.N("changes.count", len(changes), nil)
	if locale != "" {
		sub += " · " + loc.F("changes.locale_record", l10n.Args{"Locale": locale})
	}
	if len(pages) > 1 {
		sub += " · " + b.pageLabel(page, len(pages))
	}
	c.Add(NewTextBlock(sub).Subtle().WithSpacing(SpacingNone))
	if len(changes) == 0 {
		c.Add(NewTextBlock(loc.T("changes.none")).WithSpacing(SpacingMedium))
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
		if set := b.pager(page, len(pages), mk); set != nil {
			c.Add(set)
		}
		c.AddActions(NewExecute(loc.F("common.open", l10n.Args{"Name": name}), ActionData{Verb: VerbApp, Slug: slug, Kind: kind, Locale: locale}).WithoutInputs())
	}
	return c
}
