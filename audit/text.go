package audit

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// WriteText writes the text report of an audit: counts, notes and the top
// apps, riskiest first (top 0: all).
func WriteText(w io.Writer, r *Result, top int) {
	s := r.Summary
	fmt.Fprintf(w, "Tenant audit of %s at %s\n", r.TenantID, r.GeneratedAt.Format("2006-01-02 15:04 UTC"))
	var dist []string
	for k, v := range s.ByDistribution {
		dist = append(dist, fmt.Sprintf("%s %d", k, v))
	}
	sort.Strings(dist)
	fmt.Fprintf(w, "Apps: %d (%d certified, %d attested, %d without a record); %s\n", s.Apps, s.Certified, s.Attested, s.NoRecord,
		strings.Join(dist, ", "))
	fmt.Fprintf(w, "Service principals: %d found; %d apps with a record not consented\n", s.ServicePrincipals, s.NotConsented)
	fmt.Fprintf(w, "Drift: %d permissions granted beyond attestations, %d attested permissions never granted, in %d apps\n",
		s.GrantedBeyond, s.NeverGranted, s.AppsWithDrift)
	fmt.Fprintf(w, "Broad application permissions granted to %d apps\n", s.BroadGranted)
	for _, n := range r.Notes {
		fmt.Fprintf(w, "Note: %s\n", n)
	}
	apps := r.Apps
	if top > 0 && len(apps) > top {
		apps = apps[:top]
	}
	if len(apps) == 0 {
		return
	}
	fmt.Fprintf(w, "\nRiskiest apps first (%d of %d):\n", len(apps), len(r.Apps))
	for _, app := range apps {
		ref := "no record"
		if app.Record != nil {
			ref = app.Record.Ref
		}
		fmt.Fprintf(w, "%5d  %-10s %s  [%s, %s]\n", app.Risk, app.Status, app.Name, app.Distribution, ref)
		if len(app.Drift.Beyond) > 0 {
			var names []string
			for _, g := range app.Drift.Beyond {
				names = append(names, g.Name+" ("+string(g.Type)+")")
			}
			fmt.Fprintf(w, "       + granted beyond the attestation: %s\n", strings.Join(names, ", "))
		}
		if len(app.Drift.NeverGranted) > 0 {
			var names []string
			for _, p := range app.Drift.NeverGranted {
				names = append(names, p.Name)
			}
			fmt.Fprintf(w, "       - attested, never granted: %s\n", strings.Join(names, ", "))
		}
		for _, reason := range app.Reasons {
			fmt.Fprintf(w, "       • %s\n", reason)
		}
	}
}
