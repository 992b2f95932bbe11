package attestation

import (
	"strings"
	"time"
)

// The rules in this file judge a record: which claims matter most, which
// Graph permissions are broad, when a record is stale or too often
// unanswered. The cards show them and the tenant audit scores with them,
// so they live here, next to the record model, and not in either.

// Claim is a compliance claim: a canonical answer key and its short
// English label (an acronym for most).
type Claim struct {
	// Key is the canonical answer key.
	Key string
	// Label is the short English label.
	Label string
}

// KeyClaims are the compliance claims an admin looks at first: the summary
// card's fact grid, the comparison's first rows, the claims the tenant
// audit reports as missing.
var KeyClaims = []Claim{
	{"comp.hipaa", "HIPAA"},
	{"comp.soc2", "SOC 2"},
	{"comp.iso27001", "ISO 27001"},
	{"comp.pci_dss_annual", "PCI DSS"},
	{"priv.gdpr_or_privacy_obligations", "GDPR"},
	{"comp.fedramp", "FedRAMP"},
}

// MoreClaims are the other compliance claims, shown on demand.
var MoreClaims = []Claim{
	{"comp.hitrust_csf", "HITRUST CSF"},
	{"comp.soc1", "SOC 1"},
	{"comp.soc3", "SOC 3"},
	{"comp.iso27018", "ISO 27018"},
	{"comp.iso27017", "ISO 27017"},
	{"comp.iso27002", "ISO 27002"},
	{"comp.ferpa", "FERPA"},
	{"comp.coppa", "COPPA"},
	{"comp.sox", "SOX"},
	{"comp.nist_800_171", "NIST 800-171"},
	{"comp.csa_star", "CSA STAR"},
}

// Thresholds of the risk rules.
const (
	// UnansweredRiskCount flags a record with at least this many
	// unanswered questions...
	UnansweredRiskCount = 10
	// UnansweredRiskPercent ...or at least this share of unanswered ones.
	UnansweredRiskPercent = 30
	// StaleMonths flags a record not updated by the developer for this long.
	StaleMonths = 24
)

// BroadScope reports whether a Graph permission is a broad application
// permission: an application (or both) permission that writes tenant-wide
// (*.ReadWrite.All, *.ReadWriteForUser.All...), has full control
// (*.FullControl.All), is any Mail.* or MailboxSettings.* scope, or reads a
// whole tenant's users, directory, groups, files, sites, chats, channel
// messages, calendars or contacts.
func BroadScope(p Permission) bool {
	if p.Type != Application && p.Type != Both {
		return false
	}
	n := p.Name
	switch {
	case strings.HasSuffix(n, ".All") && strings.Contains(n, ".ReadWrite"), strings.HasSuffix(n, ".FullControl.All"),
		strings.HasPrefix(n, "Mail."), strings.HasPrefix(n, "MailboxSettings."):
		return true
	}
	switch n {
	case "User.Read.All", "Directory.Read.All", "Group.Read.All", "Files.Read.All", "Sites.Read.All",
		"Chat.Read.All", "ChannelMessage.Read.All", "Calendars.Read", "Contacts.Read", "Notes.Read.All",
		"AuditLog.Read.All", "RoleManagement.Read.All", "Application.Read.All", "OnlineMeetingTranscript.Read.All":
		return true
	}
	return false
}

// Unanswered returns how many questions of r are unanswered, of how many
// (certification controls left out), and whether that is a risk: at least
// UnansweredRiskCount of them, or UnansweredRiskPercent of the questions.
func Unanswered(r *Record) (n, total int, risk bool) {
	for _, a := range r.Answers {
		if a.Section == SectionCertification {
			continue
		}
		total++
		if a.Value == ValueUnanswered {
			n++
		}
	}
	return n, total, n > 0 && (n >= UnansweredRiskCount || n*100 >= total*UnansweredRiskPercent)
}

// MonthsSince returns the whole months from d to now: 0 for an unknown
// date or one after now.
func MonthsSince(d Date, now time.Time) int {
	if d.IsZero() {
		return 0
	}
	now = now.UTC()
	m := (now.Year()-d.Year)*12 + int(now.Month()) - int(d.Month)
	if now.Day() < d.Day {
		m--
	}
	return max(m, 0)
}

// Stale reports whether r was last updated StaleMonths or more before
// now, and how many months ago.
func Stale(r *Record, now time.Time) (months int, stale bool) {
	m := MonthsSince(r.Updated, now)
	return m, m >= StaleMonths
}
