package cards

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/audit"
	"github.com/attestbot/attestbot/l10n"
)

// goldenAuditReport is a tenant audit of 14 apps: drift, broad grants, no
// records, notes; two pages.
func goldenAuditReport() *AuditReport {
	open := func(slug string) *ActionData {
		return &ActionData{Verb: VerbApp, Kind: "teams", Slug: slug, Locale: "en-US"}
	}
	rows := []AuditRow{
		{Name: "Plumm", Publisher: "Plumm Health Ltd", Certification: attestation.Attested, Distribution: "store", Risk: 96,
			Findings: []audit.Finding{{ID: audit.FindingBroadGranted, Items: []string{"Mail.ReadWrite"}}, {ID: audit.FindingNotClaimed, Items: []string{"SOC 2", "ISO 27001", "PCI DSS", "FedRAMP"}}},
			Beyond:   []attestation.Permission{{Name: "Mail.ReadWrite", Type: attestation.Application}, {Name: "Chat.Read", Type: attestation.Delegated}}, NeverGranted: []attestation.Permission{{Name: "Calendars.Read", Type: attestation.Delegated}},
			Open: open("plumm-health-ltd")},
		{Name: "Recording Insights", Publisher: "ASC Technologies AG", Certification: attestation.Attested, Distribution: "organization", Risk: 84,
			Findings: []audit.Finding{{ID: audit.FindingBroadGranted, Items: []string{"Files.Read.All", "OnlineMeetingTranscript.Read.All"}}, {ID: audit.FindingNotClaimed, Items: []string{"HIPAA", "FedRAMP"}}},
			Open:     open("asc-technologies-ag-recording-insights")},
		{Name: "Zoho Desk", Publisher: "Zoho Corporation Private Limited", Certification: attestation.Attested, Distribution: "store", Risk: 52,
			Findings: []audit.Finding{{ID: audit.FindingBroadRequested, Items: []string{"User.Read.All"}}, {ID: audit.FindingNotClaimed, Items: []string{"HIPAA", "SOC 2", "ISO 27001", "PCI DSS", "GDPR", "FedRAMP"}}, {ID: audit.FindingNoConsent}},
			Open:     open("zoho-corporation-private-limited-desk")},
		{Name: "Contoso Expenses", Distribution: "organization", Risk: 20, Findings: []audit.Finding{{ID: audit.FindingNoRecord}}},
		{Name: "Polly", Distribution: "store", Risk: 20, Findings: []audit.Finding{{ID: audit.FindingNoRecord}}},
		{Name: "Sideloaded test bot", Distribution: "sideloaded", Risk: 20, Findings: []audit.Finding{{ID: audit.FindingNoRecord}}},
		{Name: "LMS365", Publisher: "ELEARNINGFORCE International", Certification: attestation.Attested, Distribution: "store", Risk: 16,
			Findings: []audit.Finding{{ID: audit.FindingNotClaimed, Items: []string{"HIPAA", "PCI DSS", "GDPR", "FedRAMP"}}}, Open: open("elearningforce-international-lms365")},
		{Name: "Vacation Tracker", Publisher: "Vacation Tracker", Certification: attestation.Attested, Distribution: "store", Risk: 12,
			Findings:     []audit.Finding{{ID: audit.FindingNotClaimed, Items: []string{"PCI DSS", "GDPR", "FedRAMP"}}},
			NeverGranted: []attestation.Permission{{Name: "Group.Read.All", Type: attestation.Application}, {Name: "Calendars.ReadWrite", Type: attestation.Delegated}}, Open: open("vacation-tracker")},
		{Name: "Saberr", Publisher: "Saberr", Certification: attestation.Attested, Distribution: "store", Risk: 12,
			Findings: []audit.Finding{{ID: audit.FindingNotClaimed, Items: []string{"HIPAA", "PCI DSS", "FedRAMP"}}, {ID: audit.FindingStale, Count: 3}}, Open: open("saberr")},
		{Name: "Aimful", Publisher: "Aimful", Certification: attestation.Attested, Distribution: "store", Risk: 8,
			Findings: []audit.Finding{{ID: audit.FindingNotClaimed, Items: []string{"PCI DSS", "FedRAMP"}}}, Open: open("aimful")},
		{Name: "Adobe Acrobat Sign", Publisher: "Adobe", Certification: attestation.Certified, Distribution: "store", Risk: 6,
			Findings: []audit.Finding{{ID: audit.FindingNotClaimed, Items: []string{"HIPAA", "FedRAMP", "PCI DSS", "SOC 2"}}}, Open: open("adobe-acrobat-sign")},
		{Name: "Q", Publisher: "ModuleQ", Certification: attestation.Certified, Distribution: "store", Risk: 0, Open: open("moduleq-q")},
		{Name: "WorkBoard", Publisher: "WorkBoard Inc", Certification: attestation.Certified, Distribution: "store", Risk: 0, Open: open("workboard-inc")},
		{Name: "Sheetgo", Publisher: "Sheetgo Europe SL", Certification: attestation.Attested, Distribution: "store", Risk: 0, Open: open("sheetgo-europe-sl")},
	}
	return &AuditReport{
		TenantID: "72f988bf-86f1-41af-91ab-2d7cd011db47", GeneratedAt: goldenNow.Add(-7 * time.Minute),
		Apps: 14, Certified: 3, Attested: 8, NoRecord: 3, AppsWithDrift: 2, GrantedBeyond: 2, NeverGranted: 3, BroadGranted: 2,
		DelegatedUnread: true,
		Rows:            rows,
	}
}

// auditGoldenCases are the audit cards of TestGolden.
func auditGoldenCases(b *Builder) []goldenCase {
	card := func(name string, f func() *AdaptiveCard) goldenCase {
		return goldenCase{name: name, build: func(*testing.T) AttachmentContent { return f() }}
	}
	return []goldenCase{
		card("audit_page0", func() *AdaptiveCard { return b.Audit(goldenAuditReport(), 0) }),
		card("audit_page1", func() *AdaptiveCard { return b.Audit(goldenAuditReport(), 1) }),
		card("audit_empty", func() *AdaptiveCard {
			return b.Audit(&AuditReport{TenantID: "contoso.onmicrosoft.com", GeneratedAt: goldenNow.Add(-26 * time.Hour)}, 0)
		}),
	}
}

// bigAuditReport is a report of n apps with long, multi-byte text.
func bigAuditReport(n int) *AuditReport {
	r := &AuditReport{TenantID: strings.Repeat("t", 300), GeneratedAt: goldenNow, Apps: n, NoRecord: n}
	for i := range n {
		var perms []attestation.Permission
		for k := range 40 {
			perms = append(perms, attestation.Permission{Name: fmt.Sprintf("Sites.Selected.%d", k), Type: attestation.Application})
		}
		r.Rows = append(r.Rows, AuditRow{
			Name:         strings.Repeat("名前", 100) + fmt.Sprint(i),
			Publisher:    strings.Repeat("𝓟", 200),
			Distribution: strings.Repeat("x", 100),
			Risk:         n - i,
			Reasons:      []string{strings.Repeat("reason ", 200), "b", "c", "d", "e", "f"},
			Beyond:       perms,
			NeverGranted: perms,
			Open:         &ActionData{Verb: VerbApp, Kind: "teams", Slug: fmt.Sprintf("app-%d", i)},
		})
	}
	return r
}

func TestAudit_PagesStayInBudget(t *testing.T) {
	b := goldenBuilder()
	r := bigAuditReport(60)
	first, err := Encode(b.Audit(r, 0))
	require.NoError(t, err)
	validateCard(t, "audit big page 0", first)
	seen := 0
	for page := 0; ; page++ {
		require.Less(t, page, 60)
		raw, err := Encode(b.Audit(r, page))
		require.NoError(t, err, "page %d", page)
		require.LessOrEqual(t, Size(raw), MaxCardSize)
		seen += strings.Count(string(raw), `"title":"Open `)
		if !strings.Contains(string(raw), `"Next ▶"`) {
			break
		}
	}
	require.Equal(t, 60, seen, "every app is on exactly one page")
}

func TestAudit_Actions(t *testing.T) {
	b := goldenBuilder()
	c := b.Audit(goldenAuditReport(), 1)
	raw, err := Encode(c)
	require.NoError(t, err)
	var card struct {
		Refresh struct {
			Action struct {
				Verb string          `json:"verb"`
				Data json.RawMessage `json:"data"`
			} `json:"action"`
			UserIDs []string `json:"userIds"`
		} `json:"refresh"`
		Actions []struct {
			Title string          `json:"title"`
			Verb  string          `json:"verb"`
			Data  json.RawMessage `json:"data"`
		} `json:"actions"`
	}
	require.NoError(t, json.Unmarshal(raw, &card))
	require.Equal(t, "audit", card.Refresh.Action.Verb)
	d, err := DecodeActionData(card.Refresh.Action.Data)
	require.NoError(t, err)
	require.Equal(t, ActionData{Verb: VerbAudit, Page: 1, Force: true}, d)
	require.Equal(t, "Refresh now", card.Actions[0].Title)
	d, err = DecodeActionData(card.Actions[0].Data)
	require.NoError(t, err)
	require.True(t, d.Force)

	// Previous goes back without forcing; rows open their app.
	require.Contains(t, string(raw), `"data":{"verb":"audit"},"associatedInputs":"None","title":"◀ Previous"`)
	require.NotContains(t, string(raw), `"Next ▶"`)
	require.Contains(t, string(raw), `"slug":"sheetgo-europe-sl"`)

	// A nil report is an error card, a page past the end the last page.
	require.Contains(t, mustText(t, b.Audit(nil, 0)), "No audit to show")
	require.Equal(t, mustText(t, b.Audit(goldenAuditReport(), 1)), mustText(t, b.Audit(goldenAuditReport(), 99)))
	require.Equal(t, mustText(t, b.Audit(goldenAuditReport(), 0)), mustText(t, b.Audit(goldenAuditReport(), -3)))
}

func mustText(t *testing.T, c *AdaptiveCard) string {
	t.Helper()
	raw, err := Encode(c)
	require.NoError(t, err)
	return string(raw)
}

func TestDecodeActionData_Audit(t *testing.T) {
	for _, tc := range []struct {
		raw  string
		want ActionData
		ok   bool
	}{
		{`{"verb":"audit"}`, ActionData{Verb: VerbAudit}, true},
		{`{"verb":"audit","page":3,"force":true}`, ActionData{Verb: VerbAudit, Page: 3, Force: true}, true},
		{`{"verb":"audit","page":-1}`, ActionData{}, false},
		{`{"verb":"audit","force":"yes"}`, ActionData{}, false},
	} {
		got, err := DecodeActionData([]byte(tc.raw))
		if !tc.ok {
			require.ErrorIs(t, err, ErrBadActionData, tc.raw)
			continue
		}
		require.NoError(t, err, tc.raw)
		require.Equal(t, tc.want, got)
	}
}

func TestAuditAge(t *testing.T) {
	now := goldenNow
	for d, want := range map[time.Duration]string{
		10 * time.Second: "just now", time.Minute: "1 minute ago", 14 * time.Minute: "14 minutes ago",
		3 * time.Hour: "3 hours ago", 72 * time.Hour: "3 days ago", -time.Hour: "just now",
	} {
		require.Equal(t, want, l10n.Default().Since(now.Add(-d), now), d)
	}
}
