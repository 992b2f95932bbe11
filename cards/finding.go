package cards

import (
	"strings"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/audit"
	"github.com/attestbot/attestbot/l10n"
)

// findingMaxItems is how many names a finding spells out before "and N
// more" (claims are short, so six of them).
func findingMaxItems(id string) int {
	if id == audit.FindingNotClaimed {
		return 6
	}
	return 5
}

// FindingText writes a finding in loc's language, such as "Broad
// application permissions granted: Mail.ReadWrite" or "Non déclaré :
// HIPAA, RGPD". An unknown ID is written as is.
func FindingText(loc *l10n.Localizer, f audit.Finding) string {
	items := f.Items
	if f.ID == audit.FindingNotClaimed {
		items = make([]string, len(f.Items))
		for i, it := range f.Items {
			items[i] = claimWord(loc, it)
		}
	}
	if len(f.Permissions) > 0 {
		items = append(permissionWords(loc, f.Permissions), items...)
	}
	list := listMore(loc, items, findingMaxItems(f.ID))
	switch f.ID {
	case audit.FindingCredentials:
		return loc.T("risk.credentials_in_code")
	case audit.FindingBeyond, audit.FindingNeverGranted, audit.FindingControlsFailed, audit.FindingStale:
		return loc.N("audit.finding."+f.ID, f.Count, l10n.Args{"List": list})
	case audit.FindingNoRecord, audit.FindingBroadGranted, audit.FindingBroadRequested, audit.FindingNotClaimed, audit.FindingNoConsent:
		return loc.F("audit.finding."+f.ID, l10n.Args{"List": list})
	}
	return strings.TrimSpace(f.ID + " " + list)
}

// listMore joins up to n items, then "and N more" in loc's language.
func listMore(loc *l10n.Localizer, items []string, n int) string {
	if len(items) <= n {
		return strings.Join(items, ", ")
	}
	return loc.N("common.list_and_more", len(items)-n, l10n.Args{"List": strings.Join(items[:n], ", ")})
}

// permissionWords writes permissions as "Mail.Read (application)" in loc's
// language.
func permissionWords(loc *l10n.Localizer, ps []attestation.Permission) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = PermissionWithType(loc, p)
	}
	return out
}

// claimWord returns a key claim's short label (HIPAA, SOC 2, GDPR…) in
// loc's language.
func claimWord(loc *l10n.Localizer, label string) string {
	for _, c := range attestation.KeyClaims {
		if c.Label == label {
			return claimLabel(loc, c)
		}
	}
	return label
}
