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
		BroadGranted:    s.BroadGranted,
		DelegatedUnread: r.DelegatedUnread,
		Rows:            make([]cards.AuditRow, len(r.Apps)),
	}
	for i, n := range r.Notes {
		if i == 0 && r.DelegatedUnread {
			continue // the card writes this one in its reader's language
		}
		rep.Notes = append(rep.Notes, n)
	}
	for i, a := range r.Apps {
		row := cards.AuditRow{Name: a.Name, Distribution: a.Distribution, Risk: a.Risk}
		for _, f := range a.Findings {
			// The drift lines of the row say these in full.
			if f.ID != cards.FindingBeyond && f.ID != cards.FindingNeverGranted {
				row.Findings = append(row.Findings, f)
			}
		}
		if len(a.Findings) == 0 {
			// An audit cached before findings were kept.
			for _, r := range a.Reasons {
				if !strings.Contains(r, reasonBeyond) && !strings.Contains(r, reasonNeverGranted) {
					row.Reasons = append(row.Reasons, r)
				}
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
			row.Beyond = append(row.Beyond, attestation.Permission{Name: g.Name, Type: attestation.PermissionType(g.Type)})
		}
		for _, p := range a.Drift.NeverGranted {
			t := p.Type
			if t != attestation.Delegated && t != attestation.Application {
				t = "" // both or not stated: the name alone
			}
			row.NeverGranted = append(row.NeverGranted, attestation.Permission{Name: p.Name, Type: t})
		}
		rep.Rows[i] = row
	}
	return rep
}
