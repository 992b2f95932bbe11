package audit

import "github.com/attestbot/attestbot/attestation"

// Finding IDs: what an app's audit found. cards writes each from the
// catalog message audit.finding.<ID> (risk.credentials_in_code for
// FindingCredentials).
const (
	FindingNoRecord       = "no_record"
	FindingBroadGranted   = "broad_granted"
	FindingBeyond         = "beyond"
	FindingBroadRequested = "broad_requested"
	FindingCredentials    = "credentials_in_code"
	FindingControlsFailed = "controls_failed"
	FindingNotClaimed     = "not_claimed"
	FindingNeverGranted   = "never_granted"
	FindingNoConsent      = "no_consent"
	FindingStale          = "stale"
)

// Finding is one finding of an app's tenant audit, kept as data so that
// each reader gets it in their own language.
type Finding struct {
	// ID says what was found (the Finding* constants).
	ID string `json:"id"`
	// Count is the number the finding counts: permissions, failed
	// controls, years without an update.
	Count int `json:"count,omitempty"`
	// Items are the names it lists: permissions, claims (HIPAA, GDPR…).
	Items []string `json:"items,omitempty"`
	// Permissions are the permissions it lists with their types.
	Permissions []attestation.Permission `json:"permissions,omitempty"`
}

// Explain writes every app's findings as its Reasons with text (the
// command line's English; cards.FindingText writes them).
func (r *Result) Explain(text func(Finding) string) {
	for i := range r.Apps {
		a := &r.Apps[i]
		a.Reasons = make([]string, len(a.Findings))
		for k, f := range a.Findings {
			a.Reasons[k] = text(f)
		}
	}
}
