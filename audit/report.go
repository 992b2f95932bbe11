package audit

import (
	"strings"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/cards"
)

// Report returns what the audit card shows of r (cards.Builder.Audit).
func (r *Result) Report() *cards.AuditReport {
	s := r.Summary
	rep := &cards.AuditReport{
		TenantID: r.TenantID, GeneratedAt: r.GeneratedAt,
		Apps: s.Apps, Certified: s.Certified, Attested: s.Attested, NoRecord: s.NoRecord,
		AppsWithDrift: s.AppsWithDrift, GrantedBeyond: s.GrantedBeyond, NeverGranted: s.NeverGranted,
		BroadGranted: s.BroadGranted,
		Notes:        append([]string(nil), r.Notes...),
		Rows:         make([]cards.AuditRow, len(r.Apps)),
	}
	for i, a := range r.Apps {
		row := cards.AuditRow{Name: a.Name, Distribution: a.Distribution, Risk: a.Risk}
		for _, r := range a.Reasons {
			// The drift lines of the row say these in full.
			if !strings.Contains(r, reasonBeyond) && !strings.Contains(r, reasonNeverGranted) {
				row.Reasons = append(row.Reasons, r)
			}
		}
		if a.Record != nil {
			row.Publisher = a.Record.Publisher
			row.Certification = a.Record.Certification
			if row.Certification == "" {
				row.Certification = attestation.Attested
			}
			row.Open = &cards.ActionData{Verb: cards.VerbApp, Kind: a.Record.Kind, Slug: a.Record.Slug, Locale: a.Record.Locale}
		}
		for _, g := range a.Drift.Beyond {
			row.Beyond = append(row.Beyond, g.Name+" ("+string(g.Type)+")")
		}
		for _, p := range a.Drift.NeverGranted {
			n := p.Name
			if p.Type == attestation.Delegated || p.Type == attestation.Application {
				n += " (" + string(p.Type) + ")"
			}
			row.NeverGranted = append(row.NeverGranted, n)
		}
		rep.Rows[i] = row
	}
	return rep
}
