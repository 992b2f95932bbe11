package cards

import (
	"strings"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/internal/logtext"
	"github.com/attestbot/attestbot/l10n"
)

// compareMissingNote is how many unasked rows make the compare card point
// out that a record's page leaves them out.
const compareMissingNote = 5

// compareRow is one row of the compare table: a label and how to read the
// value of a record.
type compareRow struct {
	// id is the label's catalog message; claim rows use claim instead.
	id    string
	claim *attestation.Claim
	value func(b *Builder, r *attestation.Record) string
}

func (row compareRow) label(loc *l10n.Localizer) string {
	if row.claim != nil {
		return claimLabel(loc, *row.claim)
	}
	return loc.T(row.id)
}

func answerValue(key string) func(*Builder, *attestation.Record) string {
	return func(b *Builder, r *attestation.Record) string { return claimValue(b.loc, r, key) }
}

func textAnswer(key string) func(*Builder, *attestation.Record) string {
	return func(b *Builder, r *attestation.Record) string {
		a := r.AnswerRef(key)
		switch {
		case a == nil:
			return notInRecord(b.loc)
		case a.Value == attestation.ValueUnanswered:
			return valueText(b.loc, a.Value)
		case a.Text != "":
			return logtext.Runes(a.Text, 120)
		}
		return valueLabel(b.loc, a.Value)
	}
}

// compareRows are the rows of the compare card, in order.
var compareRows = func() []compareRow {
	rows := []compareRow{
		{id: "compare.publisher", value: func(_ *Builder, r *attestation.Record) string { return logtext.Runes(r.Publisher, 80) }},
		{id: "compare.kind", value: func(b *Builder, r *attestation.Record) string { return kindLabel(b.loc, r.Kind) }},
		{id: "compare.programme", value: func(b *Builder, r *attestation.Record) string {
			l, _ := certificationLabel(b.loc, r.Certification)
			return l
		}},
		{id: "compare.last_updated", value: func(b *Builder, r *attestation.Record) string {
			if r.Updated.IsZero() {
				return b.loc.T("date.unknown")
			}
			return b.formatDate(r.Updated) + " (" + age(b.loc, r.Updated, b.now()) + ")"
		}},
	}
	for i := range attestation.KeyClaims {
		rows = append(rows, compareRow{claim: &attestation.KeyClaims[i], value: answerValue(attestation.KeyClaims[i].Key)})
	}
	for i := range attestation.MoreClaims {
		rows = append(rows, compareRow{claim: &attestation.MoreClaims[i], value: answerValue(attestation.MoreClaims[i].Key)})
	}
	rows = append(rows,
		compareRow{id: "compare.pen_test", value: answerValue("sec.annual_pen_test")},
		compareRow{id: "compare.disaster_recovery", value: answerValue("sec.disaster_recovery_plan")},
		compareRow{id: "compare.incident_response", value: answerValue("sec.incident_response_process")},
		compareRow{id: "compare.stores_customer_data", value: answerValue("data.stores_customer_data")},
		compareRow{id: "compare.storage_location", value: textAnswer("data.storage_location")},
		compareRow{id: "compare.hosting", value: textAnswer("gen.hosting_cloud_providers")},
		compareRow{id: "compare.conditional_access", value: answerValue("zt.supports_conditional_access")},
		compareRow{id: "summary.graph_permissions", value: func(b *Builder, r *attestation.Record) string {
			app := 0
			for _, p := range r.Permissions {
				if p.Type == attestation.Application || p.Type == attestation.Both {
					app++
				}
			}
			return b.loc.F("compare.permissions_value", l10n.Args{"Total": len(r.Permissions), "Application": app})
		}},
		compareRow{id: "compare.broad_scopes", value: func(b *Builder, r *attestation.Record) string {
			s := broadScopes(r)
			if len(s) == 0 {
				return b.loc.T("compare.none")
			}
			if len(s) > 4 {
				return "⚠️ " + strings.Join(s[:4], "\n\n") + "\n\n" + b.loc.N("compare.more", len(s)-4, nil)
			}
			return "⚠️ " + strings.Join(s, "\n\n")
		}},
		compareRow{id: "compare.unanswered", value: func(b *Builder, r *attestation.Record) string {
			n, total, _ := attestation.Unanswered(r)
			return b.loc.F("compare.unanswered_value", l10n.Args{"Unanswered": n, "Total": total})
		}},
	)
	return rows
}()

// Compare builds a side-by-side table of two or three apps: identity,
// compliance claims, security answers, permissions and unanswered
// questions; rows whose values differ are highlighted ("Not in record"
// is no difference). Rows that no
// record's page asks are left out, and a record whose page leaves out many
// of the rows the others answer is pointed out (an older, shorter
// questionnaire would otherwise make every row look different). More than
// three records are cut to the first three; fewer than two gives an error
// card.
func (b *Builder) Compare(recs []*attestation.Record) *AdaptiveCard {
	loc := b.loc
	var rs []*attestation.Record
	for _, r := range recs {
		if r != nil {
			rs = append(rs, r)
		}
	}
	if len(rs) < 2 {
		return b.Error(ErrorMessage{Title: loc.T("compare.nothing_title"), Detail: loc.T("compare.nothing_detail")})
	}
	cut := len(rs) > MaxCompareApps
	if cut {
		rs = rs[:MaxCompareApps]
	}
	names := make([]string, len(rs))
	for i, r := range rs {
		names[i] = b.displayName(r)
	}
	c := NewCard().WithFallbackText(loc.F("compare.title", l10n.Args{"Names": strings.Join(names, ", ")}))
	c.Add(NewTextBlock(loc.F("compare.title", l10n.Args{"Names": strings.Join(names, " · ")})).WithSize(SizeLarge).Bold().Heading())
	c.Add(NewTextBlock(loc.T("compare.highlight_note")).Subtle().WithSpacing(SpacingNone))
	if cut {
		c.Add(NewTextBlock(loc.T("compare.cut")).WithColor(ColorWarning))
	}
	widths := []int{3}
	for range rs {
		widths = append(widths, 4)
	}
	nir := notInRecord(loc)
	t := NewTable(widths...).WithSpacing(SpacingMedium).WithVerticalAlignment(AlignTop)
	head := NewTableRow(NewTableCell(NewTextBlock(loc.T("compare.field")).Subtle()))
	for i, r := range rs {
		src := loc.T("compare.docs_page")
		if l := cleanLocale(r.Locale); l != "" {
			src = loc.F("compare.docs_page_locale", l10n.Args{"Locale": l})
		}
		head.Cells = append(head.Cells, NewTableCell(
			NewTextBlock(names[i]).Bold(),
			NewTextBlock(src).Subtle().WithSize(SizeSmall).WithSpacing(SpacingNone),
		).WithSelectAction(NewExecute(loc.F("common.open", l10n.Args{"Name": names[i]}), appData(r, VerbApp)).WithoutInputs().WithoutFallback()))
	}
	t.AddRow(head)
	missing := make([]int, len(rs)) // rows others answer that r's page does not ask
	for _, row := range compareRows {
		vals := make([]string, len(rs))
		differ, absent, first := false, 0, ""
		for i, r := range rs {
			vals[i] = row.value(b, r)
			if vals[i] == "" {
				vals[i] = "—"
			}
			switch {
			case vals[i] == nir:
				// A question one page does not ask is no difference
				// in what the publishers claim.
				absent++
			case first == "":
				first = vals[i]
			case vals[i] != first:
				differ = true
			}
		}
		if absent == len(rs) {
			continue // asked by none of the pages: an empty row
		}
		for i, v := range vals {
			if v == nir {
				missing[i]++
			}
		}
		rowLabel := row.label(loc)
		label := NewTextBlock(rowLabel).Bold()
		tr := NewTableRow(NewTableCell(label))
		if differ {
			label.Text = "≠ " + rowLabel
			tr.WithStyle(StyleAccent)
		}
		for _, v := range vals {
			tb := NewTextBlock(v)
			if differ {
				tb.Bold()
			}
			tr.Cells = append(tr.Cells, NewTableCell(tb))
		}
		t.AddRow(tr)
	}
	for i, n := range missing {
		if n >= compareMissingNote {
			c.Add(NewTextBlock(loc.N("compare.missing_note", n, l10n.Args{"Name": names[i]})).
				WithSize(SizeSmall).WithSpacing(SpacingSmall))
		}
	}
	c.Add(t)
	for _, r := range rs {
		c.AddActions(NewExecute(b.displayName(r), appData(r, VerbApp)).WithoutInputs())
	}
	return c
}
