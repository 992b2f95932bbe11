package cards

import (
	"strings"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/audit"
)

// The phrases of the drift reasons of an audit cached before findings
// were kept, which the card shows as drift lines instead.
const (
	reasonBeyond       = " granted beyond the attestation: "
	reasonNeverGranted = " never granted: "
)

// NewAuditReport returns what the audit card shows of r (Builder.Audit).
func NewAuditReport(r *audit.Result) *AuditReport {
	s := r.Summary
	rep := &AuditReport{
		TenantID: r.TenantID, GeneratedAt: r.GeneratedAt,
		Apps: s.Apps, Certified: s.Certified, Attested: s.Attested, NoRecord: s.NoRecord,
		AppsWithDrift: s.AppsWithDrift, GrantedBeyond: s.GrantedBeyond, NeverGranted: s.NeverGranted,
		BroadGranted:    s.BroadGranted,
		DelegatedUnread: r.DelegatedUnread,
		Rows:            make([]AuditRow, len(r.Apps)),
	}
	for i, n := range r.Notes {
		if i == 0 && r.DelegatedUnread {
			continue // the card writes this one in its reader's language
		}
		rep.Notes = append(rep.Notes, n)
	}
	for i, a := range r.Apps {
		row := AuditRow{Name: a.Name, Distribution: a.Distribution, Risk: a.Risk}
		for _, f := range a.Findings {
			// The drift lines of the row say these in full.
			if f.ID != audit.FindingBeyond && f.ID != audit.FindingNeverGranted {
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
			row.Open = &ActionData{Verb: VerbApp, Kind: a.Record.Kind, Slug: a.Record.Slug, Locale: a.Record.Locale}
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
