package cards

import (
	"strconv"

	"github.com/attestbot/attestbot/attestation"
)

// maxPermissionRows is the most permissions a page shows.
const maxPermissionRows = 15

// permissionTypeLabel returns the English label of a permission type.
func permissionTypeLabel(t attestation.PermissionType) string {
	switch t {
	case attestation.Delegated:
		return "Delegated"
	case attestation.Application:
		return "Application"
	case attestation.Both:
		return "Delegated and application"
	}
	return "Not stated"
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
func permissionItem(p attestation.Permission, locale string, withApp bool) *Container {
	name := p.Name
	if name == "" {
		name = p.RawName
	}
	scope := NewTextBlock(clip(name, 120)).Bold()
	meta := permissionTypeLabel(p.Type) + " permission"
	item := NewContainer().WithSeparator().WithSpacing(SpacingMedium)
	if BroadScope(p) {
		scope.Text = "⚠️ " + scope.Text
		scope.WithColor(ColorAttention)
		meta += " · broad application scope"
		item.WithStyle(StyleAttention)
	}
	if p.RawName != "" && p.RawName != p.Name {
		meta += " · written on the page as " + clip(p.RawName, 80)
	}
	if withApp {
		if p.EntraAppID != "" {
			meta += " · Entra app ID " + clip(p.EntraAppID, 40)
		} else {
			meta += " · no Entra app ID given"
		}
	}
	item.Add(scope, NewTextBlock(meta).Subtle().WithSize(SizeSmall).WithSpacing(SpacingNone))
	switch {
	case p.Collected != "" && p.Stored != "":
		item.Add(
			NewTextBlock("Collected").Subtle().WithSize(SizeSmall).WithSpacing(SpacingSmall),
			publisherText(p.Collected, locale, maxJustificationRunes).WithSpacing(SpacingNone),
			NewTextBlock("Stored").Subtle().WithSize(SizeSmall).WithSpacing(SpacingSmall),
			publisherText(p.Stored, locale, maxJustificationRunes).WithSpacing(SpacingNone),
		)
	case p.Collected != "":
		item.Add(publisherText(p.Collected, locale, maxJustificationRunes).WithSpacing(SpacingSmall))
	case p.Stored != "":
		item.Add(publisherText(p.Stored, locale, maxJustificationRunes).WithSpacing(SpacingSmall))
	default:
		item.Add(NewTextBlock("No justification given").Subtle().WithSpacing(SpacingSmall))
	}
	return item
}

// Permissions builds the Microsoft Graph permissions list of r: each
// scope, delegated or application, the collected and stored justifications
// as the publisher wrote them, and the Entra app ID (once when every
// permission names the same app); broad application scopes are flagged.
// The list pages (page is 0-based).
func (b *Builder) Permissions(r *attestation.Record, page int) *AdaptiveCard {
	if r == nil {
		return b.Error(ErrorMessage{Title: "App not found", Detail: "No record to show."})
	}
	shared := sharedEntraAppID(r.Permissions)
	rows := make([]*Container, len(r.Permissions))
	sizes := make([]int, len(r.Permissions))
	app, broad := 0, 0
	for i, p := range r.Permissions {
		rows[i] = permissionItem(p, cleanLocale(r.Locale), shared == "")
		sizes[i] = elementSize(rows[i])
		if p.Type == attestation.Application || p.Type == attestation.Both {
			app++
		}
		if BroadScope(p) {
			broad++
		}
	}
	pages := paginate(sizes, rowBudget, maxPermissionRows)
	page = clampPage(page, len(pages))

	c := NewCard().WithFallbackText(displayName(r) + " — Microsoft Graph permissions")
	sub := "Microsoft Graph permissions · " + byline(r)
	c.Add(b.header(r, sub))
	summary := plural(len(r.Permissions), "permission") + " · " + strconv.Itoa(app) + " application · " +
		plural(broad, "broad application scope") + " flagged"
	if len(pages) > 1 {
		summary += " · " + pageLabel(page, len(pages))
	}
	c.Add(NewTextBlock(summary).WithSpacing(SpacingSmall))
	if shared != "" {
		c.Add(NewRichTextBlock(NewTextRun("Entra app ID ").Subtle().WithSize(SizeSmall),
			NewTextRun(clip(shared, 40)).Monospace().WithSize(SizeSmall)).WithSpacing(SpacingNone))
	}
	if len(r.Permissions) == 0 {
		c.Add(NewTextBlock("The record lists no Microsoft Graph permissions.").Subtle())
		for _, st := range r.Statements {
			if st.Anchor == "data-access-using-microsoft-graph" {
				c.Add(publisherText(st.Text, cleanLocale(r.Locale), maxAnswerRunes))
			}
		}
	} else {
		c.Add(NewTextBlock("Justifications as the publisher wrote them (" + cleanLocale(r.Locale) + ")").Subtle().WithSize(SizeSmall).WithSpacing(SpacingNone))
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
	if set := pager(page, len(pages), mk); set != nil {
		c.Add(set)
	}
	c.AddActions(
		NewExecute("Summary", appData(r, VerbApp)).WithoutInputs(),
		NewOpenURL("Docs page", DocsURL(r)),
	)
	return c
}
