package cards

import (
	"strings"
	"time"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/audit"
	"github.com/attestbot/attestbot/internal/logtext"
	"github.com/attestbot/attestbot/l10n"
)

// AuditReport is what the tenant audit card shows. NewAuditReport
// builds it from an audit result; the card keeps no other state.
type AuditReport struct {
	// TenantID is the audited tenant.
	TenantID string
	// GeneratedAt is when the tenant's data was read from Graph.
	GeneratedAt time.Time
	// Apps is the number of catalog apps; Certified, Attested and NoRecord
	// split it.
	Apps, Certified, Attested, NoRecord int
	// AppsWithDrift counts apps whose grants differ from their
	// attestation; GrantedBeyond and NeverGranted count the permissions.
	AppsWithDrift, GrantedBeyond, NeverGranted int
	// BroadGranted counts apps holding a broad application permission.
	BroadGranted int
	// DelegatedUnread says the delegated grants could not be read, so the
	// drift covers application permissions only (a note in the card's
	// language).
	DelegatedUnread bool
	// Notes tell what else the audit could not check, as written.
	Notes []string
	// Rows are the apps, riskiest first.
	Rows []AuditRow
}

// AuditRow is one app of the audit card.
type AuditRow struct {
	// Name is the catalog name; Publisher the record's publisher.
	Name, Publisher string
	// Certification is the record's programme, "" for an app without a
	// record.
	Certification attestation.Certification
	// Distribution is store, organization or sideloaded.
	Distribution string
	// Risk is the ranking score.
	Risk int
	// Findings explain the score, most serious first, written in the
	// card's language.
	Findings []audit.Finding
	// Reasons explain the score as already written (shown when Findings
	// is empty: an audit cached before findings were kept).
	Reasons []string
	// Beyond are the permissions granted beyond the attestation.
	Beyond []attestation.Permission
	// NeverGranted are the attested permissions never granted.
	NeverGranted []attestation.Permission
	// Open, when set, opens the app's summary (VerbApp).
	Open *ActionData
}

// Audit limits.
const (
	// maxAuditRows is the most apps one page of the audit card shows.
	maxAuditRows = 10
	// maxAuditReasons is the most reasons shown per app.
	maxAuditReasons = 4
	// auditRowBudget is the share of MaxCardSize the rows of a page may
	// use (the audit card's frame is larger than a list's).
	auditRowBudget = 24 * 1024
)

// distributionIDs names the catalog messages of the distribution methods.
var distributionIDs = map[string]string{
	"store":        "common.teams_store",
	"organization": "audit.built_for_org",
	"sideloaded":   "audit.sideloaded",
	// An app the audit found through its service principal's grants.
	"entra": "audit.entra_app",
}

// auditData returns the action data of the audit card's page.
func auditData(page int, force bool) ActionData {
	return ActionData{Verb: VerbAudit, Page: page, Force: force}
}

// auditRow renders one app.
func auditRow(loc *l10n.Localizer, r AuditRow) *Container {
	name := logtext.Runes(r.Name, 120)
	if name == "" {
		name = loc.T("common.unnamed_app")
	}
	badge, color := "⚠️ "+loc.T("audit.no_record"), ColorWarning
	if r.Certification != "" {
		badge, color = certificationLabel(loc, r.Certification)
	}
	by := logtext.Runes(r.Publisher, 80)
	if id, ok := distributionIDs[r.Distribution]; ok {
		by = strings.TrimPrefix(by+" · "+loc.T(id), " · ")
	} else if r.Distribution != "" {
		by = strings.TrimPrefix(by+" · "+logtext.Runes(r.Distribution, 40), " · ")
	}
	title := NewTextBlock(name).Bold()
	if r.Open != nil {
		title.WithColor(ColorAccent)
	}
	left := NewColumn(WidthStretch, title)
	if by != "" {
		left.Add(NewTextBlock(by).Subtle().WithSize(SizeSmall).WithSpacing(SpacingNone))
	}
	item := NewContainer(NewColumnSet(left,
		NewColumn(WidthAuto,
			NewTextBlock(badge).WithColor(color).WithSize(SizeSmall).NoWrap(),
			NewTextBlock(loc.F("audit.risk", l10n.Args{"Risk": r.Risk})).WithSize(SizeSmall).Subtle().NoWrap().
				WithAlignment(AlignRight).WithSpacing(SpacingNone),
		))).WithSeparator().WithSpacing(SpacingMedium)
	if len(r.Beyond) > 0 {
		item.WithStyle(StyleAttention)
		item.Add(NewTextBlock("➕ " + loc.F("common.label_value", l10n.Args{"Label": loc.T("audit.granted_beyond"), "Value": clipList(permissionWords(loc, r.Beyond), 400)})).
			WithColor(ColorAttention).WithSize(SizeSmall).WithSpacing(SpacingSmall))
	}
	if len(r.NeverGranted) > 0 {
		item.Add(NewTextBlock("➖ " + loc.F("common.label_value", l10n.Args{"Label": loc.T("audit.never_granted"), "Value": clipList(permissionWords(loc, r.NeverGranted), 400)})).
			WithSize(SizeSmall).WithSpacing(SpacingSmall))
	}
	reasons := r.Reasons
	if len(r.Findings) > 0 {
		reasons = make([]string, len(r.Findings))
		for i, f := range r.Findings {
			reasons[i] = FindingText(loc, f)
		}
	}
	for i, reason := range reasons {
		if i == maxAuditReasons {
			item.Add(NewTextBlock(loc.N("audit.more_findings", len(reasons)-i, nil)).Subtle().WithSize(SizeSmall).WithSpacing(SpacingNone))
			break
		}
		item.Add(NewTextBlock("• " + logtext.Runes(reason, 300)).WithSize(SizeSmall).WithSpacing(SpacingNone))
	}
	if r.Open != nil {
		item.WithSelectAction(NewExecute(loc.F("common.open", l10n.Args{"Name": name}), *r.Open).WithoutInputs().WithoutFallback())
	}
	return item
}

// clipList joins items and clips the result to n runes.
func clipList(items []string, n int) string {
	return logtext.Runes(strings.Join(items, ", "), n)
}

// statColumn is one big figure of the audit card.
func statColumn(loc *l10n.Localizer, n int, label string, color Color) *Column {
	return NewColumn(WidthStretch,
		NewTextBlock(loc.Number(n)).WithSize(SizeExtraLarge).Bold().WithColor(color).WithAlignment(AlignCenter),
		NewTextBlock(label).Subtle().WithSize(SizeSmall).WithAlignment(AlignCenter).WithSpacing(SpacingNone),
	)
}

// Audit builds the tenant audit card: how many catalog apps are
// certified, attested or without a record; the attestation drift
// (permissions granted beyond what publishers attested, attested
// permissions never granted); and the apps, riskiest first, with their
// findings, paged (page is 0-based). Apps with a record open their
// summary. The card refreshes through VerbAudit with Force set; its
// Previous/Next buttons read the cached audit.
func (b *Builder) Audit(r *AuditReport, page int) *AdaptiveCard {
	loc := b.loc
	if r == nil {
		return b.Error(ErrorMessage{Title: loc.T("audit.none"), Retry: &ActionData{Verb: VerbAudit}})
	}
	rows := make([]*Container, len(r.Rows))
	sizes := make([]int, len(r.Rows))
	for i, row := range r.Rows {
		rows[i] = auditRow(loc, row)
		sizes[i] = elementSize(rows[i])
	}
	pages := paginate(sizes, auditRowBudget, maxAuditRows)
	page = clampPage(page, len(pages))

	c := NewCard().WithFallbackText(loc.F("common.label_value", l10n.Args{"Label": loc.T("audit.title"), "Value": loc.N("audit.teams_apps_count", r.Apps, nil)}))
	c.Refresh = NewManualRefresh(NewExecute(loc.T("common.refresh"), auditData(page, true)).WithoutFallback().WithoutInputs())
	head := NewColumnSet()
	if b.iconURL != "" {
		head.Add(NewColumn(WidthAuto, NewImage(b.iconURL, "attestbot").WithSize(ImageSmall)).WithVerticalAlignment(AlignMiddle))
	}
	sub := loc.T("audit.catalog")
	if t := logtext.Runes(r.TenantID, 64); t != "" {
		sub = loc.F("audit.tenant", l10n.Args{"Tenant": t}) + " · " + sub
	}
	head.Add(NewColumn(WidthStretch,
		NewTextBlock(loc.T("audit.title")).WithSize(SizeLarge).Bold().Heading(),
		NewTextBlock(sub).Subtle().WithSpacing(SpacingNone),
	).WithVerticalAlignment(AlignMiddle))
	c.Add(head)
	if !r.GeneratedAt.IsZero() {
		at := r.GeneratedAt.UTC()
		c.Add(NewTextBlock(loc.F("audit.read_at", l10n.Args{
			"Date": loc.Date(at.Year(), at.Month(), at.Day()), "Time": at.Format("15:04"), "Age": loc.Since(r.GeneratedAt, b.now()),
		})).Subtle().WithSize(SizeSmall).WithSpacing(SpacingSmall))
	}
	c.Add(NewColumnSet(
		statColumn(loc, r.Apps, loc.T("audit.teams_apps"), ColorDefault),
		statColumn(loc, r.Certified, "🏅 "+loc.T("audit.certified"), ColorGood),
		statColumn(loc, r.Attested, "📋 "+loc.T("audit.attested"), ColorAccent),
		statColumn(loc, r.NoRecord, loc.T("audit.no_record"), ColorWarning),
	).WithSeparator().WithSpacing(SpacingMedium))

	c.Add(NewTextBlock(loc.T("audit.drift")).Bold().WithSeparator().WithSpacing(SpacingMedium))
	c.Add(NewFactSet(
		Fact{loc.T("audit.granted_beyond"), loc.N("audit.permissions_count", r.GrantedBeyond, nil)},
		Fact{loc.T("audit.never_granted"), loc.N("audit.permissions_count", r.NeverGranted, nil)},
		Fact{loc.T("audit.apps_with_drift"), loc.Number(r.AppsWithDrift)},
		Fact{loc.T("audit.apps_broad"), loc.Number(r.BroadGranted)},
	).WithSpacing(SpacingSmall))
	if r.DelegatedUnread {
		c.Add(NewTextBlock("⚠️ " + loc.T("audit.finding.delegated_unread")).WithColor(ColorWarning).WithSize(SizeSmall).WithSpacing(SpacingSmall))
	}
	for _, n := range r.Notes {
		c.Add(NewTextBlock("⚠️ " + logtext.Runes(n, 500)).WithColor(ColorWarning).WithSize(SizeSmall).WithSpacing(SpacingSmall))
	}

	title := loc.T("audit.riskiest")
	if len(pages) > 1 {
		title += " · " + b.pageLabel(page, len(pages))
	}
	c.Add(NewTextBlock(title).Bold().WithSeparator().WithSpacing(SpacingMedium))
	if len(r.Rows) == 0 {
		c.Add(NewTextBlock(loc.T("audit.empty")).Subtle())
	} else {
		p := pages[page]
		for _, row := range rows[p[0]:p[1]] {
			c.Add(row)
		}
	}
	if set := b.pager(page, len(pages), func(p int) ActionData { return auditData(p, false) }); set != nil {
		c.Add(set)
	}
	c.AddActions(
		NewExecute(loc.T("audit.refresh_now"), auditData(page, true)).WithoutInputs(),
		NewExecute(loc.T("common.help"), ActionData{Verb: VerbHelp}).WithoutInputs(),
	)
	return c
}
