package cards

import (
	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/internal/logtext"
	"github.com/attestbot/attestbot/l10n"
)

// maxPermissionRows is the most permissions a page shows.
const maxPermissionRows = 15

// permissionTypeLabel returns the label of a permission type.
func permissionTypeLabel(loc *l10n.Localizer, t attestation.PermissionType) string {
	switch t {
	case attestation.Delegated:
		return loc.T("permission.delegated")
	case attestation.Application:
		return loc.T("permission.application")
	case attestation.Both:
		return loc.T("permission.both")
	}
	return loc.T("permission.not_stated")
}

// sharedEntraAppID returns the Entra app ID every permission of ps names,
// or "" when they name none or several.
func sharedEntraAppID(ps []attestation.Permission) string {
	id := ""
	for _, p := range ps {
		switch {
		case p.EntraAppID == "":
			return ""
		case id == "":
			id = p.EntraAppID
		case id != p.EntraAppID:
			return ""
		}
	}
	return id
}

// permissionItem renders one permission as a full-width block: the scope
// on its own line (a table column broke scope names mid-word on a narrow
// card), then its type, then the justifications as the publisher wrote
// them. Broad application scopes are flagged. The Entra app ID is shown
// here only when withApp (when the permissions name different apps).
func (b *Builder) permissionItem(p attestation.Permission, locale string, withApp bool, typeMeta func(attestation.PermissionType) string) *Container {
	loc := b.loc
	name := p.Name
	if name == "" {
		name = p.RawName
	}
	scope := NewTextBlock(logtext.Runes(name, 120)).Bold()
	meta := typeMeta(p.Type)
	item := NewContainer().WithSeparator().WithSpacing(SpacingMedium)
	if attestation.BroadScope(p) {
		scope.Text = "⚠️ " + scope.Text
		scope.WithColor(ColorAttention)
		meta += " · " + loc.T("permission.broad")
		item.WithStyle(StyleAttention)
	}
	if p.RawName != "" && p.RawName != p.Name {
		meta += " · " + loc.F("permission.written_as", l10n.Args{"Name": EscapeMarkdown(logtext.Runes(p.RawName, 80))})
	}
	if withApp {
		if p.EntraAppID != "" {
			meta += " · " + loc.T("permission.entra_app_id") + " " + logtext.Runes(p.EntraAppID, 40)
		} else {
			meta += " · " + loc.T("permission.no_entra_app_id")
		}
	}
	item.Add(scope, NewTextBlock(meta).Subtle().WithSize(SizeSmall).WithSpacing(SpacingNone))
	switch {
	case p.Collected != "" && p.Stored != "":
		item.Add(
			NewTextBlock(loc.T("common.collected")).Subtle().WithSize(SizeSmall).WithSpacing(SpacingSmall),
			publisherText(p.Collected, locale, maxJustificationRunes).WithSpacing(SpacingNone),
			NewTextBlock(loc.T("common.stored")).Subtle().WithSize(SizeSmall).WithSpacing(SpacingSmall),
			publisherText(p.Stored, locale, maxJustificationRunes).WithSpacing(SpacingNone),
		)
	case p.Collected != "":
		item.Add(publisherText(p.Collected, locale, maxJustificationRunes).WithSpacing(SpacingSmall))
	case p.Stored != "":
		item.Add(publisherText(p.Stored, locale, maxJustificationRunes).WithSpacing(SpacingSmall))
	default:
		item.Add(NewTextBlock(loc.T("permission.no_justification")).Subtle().WithSpacing(SpacingSmall))
	}
	return item
}

// Permissions builds the Microsoft Graph permissions list of r: each
// scope, delegated or application, the collected and stored justifications
// as the publisher wrote them, and the Entra app ID (once when every
// permission names the same app); broad application scopes are flagged.
// The list pages (page is 0-based).
func (b *Builder) Permissions(r *attestation.Record, page int) *AdaptiveCard {
	loc := b.loc
	if r == nil {
		return b.Error(ErrorMessage{Title: loc.T("error.app_not_found"), Detail: loc.T("error.no_record")})
	}
	shared := sharedEntraAppID(r.Permissions)
	rows := make([]*Container, len(r.Permissions))
	sizes := make([]int, len(r.Permissions))
	app, broad := 0, 0
	// "Delegated permission": one message a permission type, not a row.
	metas := map[attestation.PermissionType]string{}
	typeMeta := func(t attestation.PermissionType) string {
		m, ok := metas[t]
		if !ok {
			m = loc.F("permission.type", l10n.Args{"Type": permissionTypeLabel(loc, t)})
			metas[t] = m
		}
		return m
	}
	for i, p := range r.Permissions {
		rows[i] = b.permissionItem(p, cleanLocale(r.Locale), shared == "", typeMeta)
		sizes[i] = elementSize(rows[i])
		if p.Type == attestation.Application || p.Type == attestation.Both {
			app++
		}
		if attestation.BroadScope(p) {
			broad++
		}
	}
	pages := paginate(sizes, rowBudget, maxPermissionRows)
	page = clampPage(page, len(pages))

	title := loc.T("permission.title")
	c := NewCard().WithFallbackText(b.displayName(r) + " — " + title)
	sub := title + " · " + b.byline(r)
	c.Add(b.header(r, sub))
	summary := loc.N("permission.count", len(r.Permissions), nil) + " · " + loc.N("permission.count_application", app, nil) + " · " +
		loc.N("permission.count_broad", broad, nil)
	if len(pages) > 1 {
		summary += " · " + b.pageLabel(page, len(pages))
	}
	c.Add(NewTextBlock(summary).WithSpacing(SpacingSmall))
	if shared != "" {
		c.Add(NewRichTextBlock(NewTextRun(loc.T("permission.entra_app_id")+" ").Subtle().WithSize(SizeSmall),
			NewTextRun(logtext.Runes(shared, 40)).Monospace().WithSize(SizeSmall)).WithSpacing(SpacingNone))
	}
	if len(r.Permissions) == 0 {
		c.Add(NewTextBlock(loc.T("permission.none")).Subtle())
		for _, st := range r.Statements {
			if st.Anchor == "data-access-using-microsoft-graph" {
				c.Add(publisherText(st.Text, cleanLocale(r.Locale), maxAnswerRunes))
			}
		}
	} else {
		c.Add(NewTextBlock(loc.F("permission.justifications", l10n.Args{"Locale": cleanLocale(r.Locale)})).Subtle().WithSize(SizeSmall).WithSpacing(SpacingNone))
		p := pages[page]
		for _, item := range rows[p[0]:p[1]] {
			c.Add(item)
		}
	}
	mk := func(p int) ActionData {
		d := appData(r, VerbPermissions)
		d.Page = p
		return d
	}
	if set := b.pager(page, len(pages), mk); set != nil {
		c.Add(set)
	}
	if set := b.otherLocales(r, func(l string) ActionData {
		d := mk(0)
		d.Locale = l
		return d
	}); set != nil {
		c.Add(NewTextBlock(loc.T("common.other_locales")).Subtle().WithSize(SizeSmall).WithSeparator(), set.WithSpacing(SpacingNone))
	}
	c.AddActions(
		NewExecute(loc.T("common.summary"), appData(r, VerbApp)).WithoutInputs(),
		NewOpenURL(loc.T("common.docs_page"), DocsURL(r)),
	)
	return c
}
