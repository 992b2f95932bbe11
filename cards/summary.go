package cards

import (
	"strconv"
	"strings"

	"github.com/attestbot/attestbot/attestation"
)

// Claim is a compliance claim shown on the summary card.
type Claim struct {
	// Key is the canonical answer key.
	Key string
	// Label is the short English label.
	Label string
}

// KeyClaims are the compliance claims of the summary card's fact grid.
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

// claimValue returns the grid value of a claim: icon and English label,
// with the SOC 2 type and date when given.
func claimValue(r *attestation.Record, key string) string {
	a, ok := r.Answer(key)
	if !ok {
		return "— Not in record"
	}
	v := valueIcon(a.Value) + " " + ValueLabel(a.Value)
	if a.Value == attestation.ValueText {
		v = valueIcon(a.Value) + " " + clip(a.Text, 60)
	}
	if key == "comp.soc2" && a.Value == attestation.ValueYes {
		var extra []string
		if t, ok := r.Answer("comp.soc2_type"); ok && t.Text != "" {
			extra = append(extra, clip(t.Text, 20))
		}
		if d, ok := r.Answer("comp.soc2_latest_cert_date"); ok && d.Text != "" {
			extra = append(extra, clip(d.Text, 20))
		}
		if len(extra) > 0 {
			v += " (" + strings.Join(extra, ", ") + ")"
		}
	}
	return v
}

// Risk is a risk highlight of a record.
type Risk struct {
	// Text is the English sentence shown.
	Text string
	// Severe marks risks shown in the attention color.
	Severe bool
}

// Thresholds of the risk highlights.
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
func BroadScope(p attestation.Permission) bool {
	if p.Type != attestation.Application && p.Type != attestation.Both {
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

// broadScopes returns the distinct broad application scopes of r.
func broadScopes(r *attestation.Record) []string {
	var out []string
	for _, p := range r.Permissions {
		if n := clip(p.Name, 80); BroadScope(p) && !contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// unanswered returns how many questions of r are unanswered, of how many.
func unanswered(r *attestation.Record) (n, total int) {
	for _, a := range r.Answers {
		if a.Section == attestation.SectionCertification {
			continue
		}
		total++
		if a.Value == attestation.ValueUnanswered {
			n++
		}
	}
	return n, total
}

// Risks returns the risk highlights of r, most severe first.
func (b *Builder) Risks(r *attestation.Record) []Risk {
	var out []Risk
	if s := broadScopes(r); len(s) > 0 {
		list := s
		more := ""
		if len(list) > 5 {
			more = " and " + strconv.Itoa(len(list)-5) + " more"
			list = list[:5]
		}
		out = append(out, Risk{Text: "Broad application permissions: " + strings.Join(list, ", ") + more, Severe: true})
	}
	if a, ok := r.Answer("zt.credentials_in_code"); ok && a.Value == attestation.ValueYes {
		out = append(out, Risk{Text: "Stores credentials in code", Severe: true})
	}
	var failed []string
	for _, a := range r.Answers {
		if a.Value == attestation.ValueFail {
			failed = append(failed, clip(a.Label, 80))
		}
	}
	switch {
	case len(failed) == 1:
		out = append(out, Risk{Text: "Certification control failed: " + failed[0], Severe: true})
	case len(failed) > 1:
		more, n := "", len(failed)
		if n > 3 {
			more = " and " + strconv.Itoa(len(failed)-3) + " more"
			failed = failed[:3]
		}
		out = append(out, Risk{Text: strconv.Itoa(n) + " certification controls failed: " + strings.Join(failed, ", ") + more, Severe: true})
	}
	if a, ok := r.Answer("sec.disaster_recovery_plan"); ok && a.Value == attestation.ValueNo {
		out = append(out, Risk{Text: "No documented disaster recovery plan"})
	}
	if a, ok := r.Answer("sec.annual_pen_test"); ok && a.Value == attestation.ValueNo {
		out = append(out, Risk{Text: "No annual penetration test"})
	}
	if n, total := unanswered(r); n > 0 && (n >= UnansweredRiskCount || n*100 >= total*UnansweredRiskPercent) {
		out = append(out, Risk{Text: strconv.Itoa(n) + " of " + strconv.Itoa(total) + " questions unanswered"})
	}
	if m := monthsSince(r.Updated, b.now()); m >= StaleMonths {
		out = append(out, Risk{Text: "Not updated by the developer for " + strconv.Itoa(m/12) + " years"})
	}
	return out
}

// recordSections returns the sections r has answers in, in display order.
func recordSections(r *attestation.Record) []attestation.Section {
	var have [16]bool
	for _, a := range r.Answers {
		for i, s := range attestation.Sections {
			if a.Section == s {
				have[i] = true
				break
			}
		}
	}
	if len(r.Permissions) > 0 || len(r.Statements) > 0 || len(r.Services) > 0 || len(r.OtherAPIs) > 0 {
		have[1] = true // data
	}
	var out []attestation.Section
	for i, s := range attestation.Sections {
		if have[i] {
			out = append(out, s)
		}
	}
	return out
}

// Summary builds the app summary card: name, publisher, kind, certification
// badge, the developer's last update and its age, the key compliance
// claims, risk highlights, links to AppSource, the Teams store and the docs
// page, and buttons for each section, the permissions, compare, subscribe
// and what changed. The card refreshes (manually) through VerbApp.
func (b *Builder) Summary(r *attestation.Record) *AdaptiveCard {
	if r == nil {
		return b.Error(ErrorMessage{Title: "App not found", Detail: "No record to show."})
	}
	if r.Type == attestation.PageAzure && r.Azure != nil {
		return b.azureSummary(r)
	}
	now := b.now()
	c := NewCard().WithFallbackText(displayName(r) + " — compliance summary")
	c.Refresh = NewManualRefresh(NewExecute("Refresh", appData(r, VerbApp)).WithoutFallback())

	updated := formatDate(r.Updated)
	if !r.Updated.IsZero() {
		updated += " (" + Age(r.Updated, now) + ")"
	} else if r.UpdatedRaw != "" {
		updated = clip(r.UpdatedRaw, 60) + " (unreadable date)"
	}
	facts := NewFactSet(
		Fact{"Last updated by the developer", updated},
	)
	if r.AppSourceID != "" {
		facts.Add("AppSource ID", r.AppSourceID)
	}
	facts.Add("Graph permissions", strconv.Itoa(len(r.Permissions)))
	facts.Add("Source", sourceLabel(r))
	c.Add(b.header(r, byline(r)), facts)

	c.Add(NewTextBlock("Compliance claims").Bold().WithSeparator().WithSpacing(SpacingMedium))
	half := (len(KeyClaims) + 1) / 2
	left, right := NewFactSet(), NewFactSet()
	for i, cl := range KeyClaims {
		fs := left
		if i >= half {
			fs = right
		}
		fs.Facts = append(fs.Facts, Fact{cl.Label, claimValue(r, cl.Key)})
	}
	c.Add(NewColumnSet(NewColumn(WidthStretch, left), NewColumn(WidthStretch, right)).WithSpacing(SpacingSmall))
	more := NewFactSet().WithID("more-claims").Hidden()
	for _, cl := range MoreClaims {
		more.Facts = append(more.Facts, Fact{cl.Label, claimValue(r, cl.Key)})
	}
	c.Add(more)

	c.Add(NewTextBlock("Risk highlights").Bold().WithSeparator().WithSpacing(SpacingMedium))
	risks := b.Risks(r)
	if len(risks) == 0 {
		c.Add(NewTextBlock("No risk highlights in this record.").Subtle().WithSpacing(SpacingSmall))
	}
	for _, rk := range risks {
		color := ColorWarning
		if rk.Severe {
			color = ColorAttention
		}
		c.Add(NewTextBlock("⚠️ " + rk.Text).WithColor(color).WithSpacing(SpacingSmall))
	}

	links := NewActionSet(NewToggleVisibility("More claims", "more-claims")).WithSpacing(SpacingMedium)
	if u := AppSourceURL(r); u != "" {
		links.Add(NewOpenURL("AppSource", u))
	}
	if u := TeamsStoreURL(r); u != "" {
		links.Add(NewOpenURL("Teams store", u))
	}
	links.Add(NewOpenURL("Docs page", DocsURL(r)))
	c.Add(links)

	secs := recordSections(r)
	for i := 0; i < len(secs); i += 4 {
		set := NewActionSet().WithSpacing(SpacingSmall)
		if i == 0 {
			set.WithSeparator()
			set.Spacing = SpacingMedium
		}
		for _, s := range secs[i:min(i+4, len(secs))] {
			d := appData(r, VerbSection)
			d.Section = s
			set.Add(NewExecute(SectionTitle(s), d).WithoutInputs())
		}
		c.Add(set)
	}

	compare := NewSubCard().Add(
		NewTextInput(InputCompareWith).WithLabel("Compare " + displayName(r) + " with").
			WithPlaceholder("App name, AppSource ID or link").WithMaxLength(MaxQueryRunes).
			Required("Type an app to compare with"),
	)
	cd := appData(r, VerbCompare)
	cd.Compare = []string{Ref(r.Kind, r.Slug)}
	compare.AddActions(NewExecute("Compare", cd))

	c.AddActions(
		NewExecute("Permissions ("+strconv.Itoa(len(r.Permissions))+")", appData(r, VerbPermissions)).WithoutInputs(),
		NewShowCard("Compare", compare),
		NewExecute("Subscribe", appData(r, VerbSubscribe)).WithoutInputs(),
		NewExecute("What changed", appData(r, VerbChanges)).WithoutInputs(),
	)
	return c
}

// azureSummary shows an Entra app ID page: the apps registered under it.
func (b *Builder) azureSummary(r *attestation.Record) *AdaptiveCard {
	az := r.Azure
	c := NewCard().WithFallbackText("Entra app " + az.AppID)
	c.Add(NewTextBlock("Entra app ID").WithSize(SizeLarge).Bold().Heading(),
		NewTextBlock(az.AppID).Monospace().WithSpacing(SpacingNone))
	status := "Not attested"
	if az.Attested {
		status = "✅ Publisher attestation complete"
	}
	cert := "Not certified"
	if az.Certified {
		cert = "🏅 Microsoft 365 Certified"
		if !az.CertifiedOn.IsZero() {
			cert += " on " + formatDate(az.CertifiedOn)
		}
	}
	c.Add(NewFactSet(Fact{"Attestation", status}, Fact{"Certification", cert}, Fact{"Apps", strconv.Itoa(len(az.Apps))}))
	for i, a := range az.Apps {
		if i == 20 {
			c.Add(NewTextBlock("and " + strconv.Itoa(len(az.Apps)-20) + " more").Subtle())
			break
		}
		line := "• " + clip(a.Name, 100)
		if a.AppSourceID != "" {
			line += " (" + a.AppSourceID + ")"
		}
		if a.Certified {
			line += " 🏅"
		}
		c.Add(NewTextBlock(line).WithSpacing(SpacingSmall))
	}
	c.AddActions(NewOpenURL("Docs page", DocsURL(r)))
	return c
}
