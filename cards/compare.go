package cards

import (
	"strconv"
	"strings"

	"github.com/attestbot/attestbot/attestation"
)

// compareMissingNote is how many unasked rows make the compare card point
// out that a record's page leaves them out.
const compareMissingNote = 5

// compareRow is one row of the compare table: a label and how to read the
// value of a record.
type compareRow struct {
	label string
	value func(b *Builder, r *attestation.Record) string
}

// notInRecord is the value of a row whose question a record's page does
// not ask.
const notInRecord = "— Not in record"

func answerValue(key string) func(*Builder, *attestation.Record) string {
	return func(_ *Builder, r *attestation.Record) string { return claimValue(r, key) }
}

func textAnswer(key string) func(*Builder, *attestation.Record) string {
	return func(_ *Builder, r *attestation.Record) string {
		a, ok := r.Answer(key)
		switch {
		case !ok:
			return notInRecord
		case a.Value == attestation.ValueUnanswered:
			return valueIcon(a.Value) + " " + ValueLabel(a.Value)
		case a.Text != "":
			return clip(a.Text, 120)
		}
		return ValueLabel(a.Value)
	}
}

// compareRows are the rows of the compare card, in order.
var compareRows = func() []compareRow {
	rows := []compareRow{
		{"Publisher", func(_ *Builder, r *attestation.Record) string { return clip(r.Publisher, 80) }},
		{"Kind", func(_ *Builder, r *attestation.Record) string { return KindLabel(r.Kind) }},
		{"Programme", func(_ *Builder, r *attestation.Record) string {
			l, _ := certificationLabel(r.Certification)
			return l
		}},
		{"Last updated", func(b *Builder, r *attestation.Record) string {
			if r.Updated.IsZero() {
				return "unknown"
			}
			return formatDate(r.Updated) + " (" + Age(r.Updated, b.now()) + ")"
		}},
	}
	for _, c := range KeyClaims {
		rows = append(rows, compareRow{c.Label, answerValue(c.Key)})
	}
	for _, c := range MoreClaims {
		rows = append(rows, compareRow{c.Label, answerValue(c.Key)})
	}
	rows = append(rows,
		compareRow{"Annual penetration test", answerValue("sec.annual_pen_test")},
		compareRow{"Disaster recovery plan", answerValue("sec.disaster_recovery_plan")},
		compareRow{"Incident response process", answerValue("sec.incident_response_process")},
		compareRow{"Stores customer data", answerValue("data.stores_customer_data")},
		compareRow{"Data storage location", textAnswer("data.storage_location")},
		compareRow{"Hosting", textAnswer("gen.hosting_cloud_providers")},
		compareRow{"Conditional access", answerValue("zt.supports_conditional_access")},
		compareRow{"Graph permissions", func(_ *Builder, r *attestation.Record) string {
			app := 0
			for _, p := range r.Permissions {
				if p.Type == attestation.Application || p.Type == attestation.Both {
					app++
				}
			}
			return strconv.Itoa(len(r.Permissions)) + " (" + strconv.Itoa(app) + " application)"
		}},
		compareRow{"Broad application scopes", func(_ *Builder, r *attestation.Record) string {
			s := broadScopes(r)
			if len(s) == 0 {
				return "None"
			}
			if len(s) > 4 {
				return "⚠️ " + strings.Join(s[:4], "\n\n") + "\n\n+" + strconv.Itoa(len(s)-4) + " more"
			}
			return "⚠️ " + strings.Join(s, "\n\n")
		}},
		compareRow{"Unanswered questions", func(_ *Builder, r *attestation.Record) string {
			n, total := unanswered(r)
			return strconv.Itoa(n) + " of " + strconv.Itoa(total)
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
	var rs []*attestation.Record
	for _, r := range recs {
		if r != nil {
			rs = append(rs, r)
		}
	}
	if len(rs) < 2 {
		return b.Error(ErrorMessage{Title: "Nothing to compare", Detail: "Name two or three apps, for example: compare plumm and reach."})
	}
	cut := len(rs) > MaxCompareApps
	if cut {
		rs = rs[:MaxCompareApps]
	}
	names := make([]string, len(rs))
	for i, r := range rs {
		names[i] = displayName(r)
	}
	c := NewCard().WithFallbackText("Compare " + strings.Join(names, ", "))
	c.Add(NewTextBlock("Compare " + strings.Join(names, " · ")).WithSize(SizeLarge).Bold().Heading())
	c.Add(NewTextBlock("Rows where the records differ are highlighted (≠).").Subtle().WithSpacing(SpacingNone))
	if cut {
		c.Add(NewTextBlock("Only the first three apps are compared.").WithColor(ColorWarning))
	}
	widths := []int{3}
	for range rs {
		widths = append(widths, 4)
	}
	t := NewTable(widths...).WithSpacing(SpacingMedium).WithVerticalAlignment(AlignTop)
	head := NewTableRow(NewTableCell(NewTextBlock("Field").Subtle()))
	for i, r := range rs {
		head.Cells = append(head.Cells, NewTableCell(
			NewTextBlock(names[i]).Bold(),
			NewTextBlock(strings.TrimSpace(cleanLocale(r.Locale)+" docs page")).Subtle().WithSize(SizeSmall).WithSpacing(SpacingNone),
		).WithSelectAction(NewExecute("Open "+names[i], appData(r, VerbApp)).WithoutInputs().WithoutFallback()))
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
			case vals[i] == notInRecord:
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
			if v == notInRecord {
				missing[i]++
			}
		}
		label := NewTextBlock(row.label).Bold()
		tr := NewTableRow(NewTableCell(label))
		if differ {
			label.Text = "≠ " + row.label
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
			c.Add(NewTextBlock(names[i] + "'s page does not ask " + strconv.Itoa(n) +
				" of these questions: they show “Not in record” and are not highlighted.").
				WithSize(SizeSmall).WithSpacing(SpacingSmall))
		}
	}
	c.Add(t)
	for _, r := range rs {
		c.AddActions(NewExecute(displayName(r), appData(r, VerbApp)).WithoutInputs())
	}
	return c
}
