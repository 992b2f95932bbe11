package cards

import (
	"strconv"

	"github.com/attestbot/attestbot/attestation"
)

// maxPermissionRows is the most permission rows a page shows.
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

// permissionRow renders one permission as a table row; broad application
// scopes are flagged.
func permissionRow(p attestation.Permission, locale string) *TableRow {
	name := p.Name
	if name == "" {
		name = p.RawName
	}
	scope := NewTextBlock(clip(name, 120))
	if p.RawName != "" && p.RawName != p.Name {
		scope.Text += "\n\n(page: " + clip(p.RawName, 80) + ")"
	}
	row := NewTableRow()
	if BroadScope(p) {
		scope.Text = "⚠️ " + scope.Text
		scope.WithColor(ColorAttention).Bold()
		row.WithStyle(StyleAttention)
	}
	just := NewContainer()
	switch {
	case p.Collected != "" && p.Stored != "":
		just.Add(
			NewTextBlock("Collected").Subtle().WithSize(SizeSmall).WithSpacing(SpacingNone),
			publisherText(p.Collected, locale, maxJustificationRunes).WithSpacing(SpacingNone),
			NewTextBlock("Stored").Subtle().WithSize(SizeSmall),
			publisherText(p.Stored, locale, maxJustificationRunes).WithSpacing(SpacingNone),
		)
	case p.Collected != "":
		just.Add(publisherText(p.Collected, locale, maxJustificationRunes))
	case p.Stored != "":
		just.Add(publisherText(p.Stored, locale, maxJustificationRunes))
	default:
		just.Add(NewTextBlock("No justification given").Subtle())
	}
	app := NewTextBlock("—").Subtle()
	if p.EntraAppID != "" {
		app = NewTextBlock(clip(p.EntraAppID, 40)).Monospace().WithSize(SizeSmall)
	}
	row.Cells = append(row.Cells,
		NewTableCell(scope),
		NewTableCell(NewTextBlock(permissionTypeLabel(p.Type))),
		NewTableCell(just),
		NewTableCell(app),
	)
	return row
}

// Permissions builds the Microsoft Graph permissions table of r: scope,
// delegated or application, the collected and stored justifications as the
// publisher wrote them, and the Entra app ID; broad application scopes are
// flagged. The table pages (page is 0-based).
func (b *Builder) Permissions(r *attestation.Record, page int) *AdaptiveCard {
	if r == nil {
		return b.Error(ErrorMessage{Title: "App not found", Detail: "No record to show."})
	}
	rows := make([]*TableRow, len(r.Permissions))
	sizes := make([]int, len(r.Permissions))
	app, broad := 0, 0
	for i, p := range r.Permissions {
		rows[i] = permissionRow(p, cleanLocale(r.Locale))
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
	summary := strconv.Itoa(len(r.Permissions)) + " permissions · " + strconv.Itoa(app) + " application · " +
		strconv.Itoa(broad) + " broad application scopes flagged"
	if len(pages) > 1 {
		summary += " · " + pageLabel(page, len(pages))
	}
	c.Add(NewTextBlock(summary).WithSpacing(SpacingSmall))
	if len(r.Permissions) == 0 {
		c.Add(NewTextBlock("The record lists no Microsoft Graph permissions.").Subtle())
		for _, st := range r.Statements {
			if st.Anchor == "data-access-using-microsoft-graph" {
				c.Add(publisherText(st.Text, cleanLocale(r.Locale), maxAnswerRunes))
			}
		}
	} else {
		t := NewTable(3, 2, 6, 3).WithVerticalAlignment(AlignTop).WithSpacing(SpacingMedium)
		t.AddRow(NewTableRow(
			NewTableCell(NewTextBlock("Scope").Bold()),
			NewTableCell(NewTextBlock("Type").Bold()),
			NewTableCell(NewTextBlock("Justification ("+cleanLocale(r.Locale)+", as written)").Bold()),
			NewTableCell(NewTextBlock("Entra app ID").Bold()),
		))
		p := pages[page]
		t.Rows = append(t.Rows, rows[p[0]:p[1]]...)
		c.Add(t)
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
