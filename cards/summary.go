package cards

import (
	"strconv"
	"strings"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/l10n"
)

// Claim is a compliance claim shown on the summary card.
type Claim struct {
	// Key is the canonical answer key.
	Key string
	// Label is the short English label.
	Label string
}

// claimLabel returns the label of a claim in loc's language: the claim
// names are acronyms except GDPR (RGPD, DSGVO...), which the catalog
// translates.
func claimLabel(loc *l10n.Localizer, c Claim) string {
	if c.Key == "priv.gdpr_or_privacy_obligations" {
		return loc.T("claim.gdpr")
	}
	return c.Label
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
func claimValue(loc *l10n.Localizer, r *attestation.Record, key string) string {
	a, ok := r.Answer(key)
	if !ok {
		return notInRecord(loc)
	}
	v := valueIcon(a.Value) + " " + valueLabel(loc, a.Value)
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

// notInRecord is the value of a claim whose question a record's page does
// not ask.
func notInRecord(loc *l10n.Localizer) string { return "— " + loc.T("common.not_in_record") }

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
	loc := b.loc
	var out []Risk
	if s := broadScopes(r); len(s) > 0 {
		list := strings.Join(s[:min(5, len(s))], ", ")
		if len(s) > 5 {
			list = loc.N("common.list_and_more", len(s)-5, l10n.Args{"List": list})
		}
		out = append(out, Risk{Text: loc.F("risk.broad_permissions", l10n.Args{"List": list}), Severe: true})
	}
	if a, ok := r.Answer("zt.credentials_in_code"); ok && a.Value == attestation.ValueYes {
		out = append(out, Risk{Text: loc.T("risk.credentials_in_code"), Severe: true})
	}
	var failed []string
	for _, a := range r.Answers {
		if a.Value == attestation.ValueFail {
			failed = append(failed, clip(b.answerLabel(&a, r.Locale), 80))
		}
	}
	switch {
	case len(failed) == 1:
		out = append(out, Risk{Text: loc.F("risk.control_failed", l10n.Args{"Control": failed[0]}), Severe: true})
	case len(failed) > 1:
		n := len(failed)
		list := strings.Join(failed[:min(3, n)], ", ")
		if n > 3 {
			list = loc.N("common.list_and_more", n-3, l10n.Args{"List": list})
		}
		out = append(out, Risk{Text: loc.N("risk.controls_failed", n, l10n.Args{"List": list}), Severe: true})
	}
	if a, ok := r.Answer("sec.disaster_recovery_plan"); ok && a.Value == attestation.ValueNo {
		out = append(out, Risk{Text: loc.T("risk.no_disaster_recovery")})
	}
	if a, ok := r.Answer("sec.annual_pen_test"); ok && a.Value == attestation.ValueNo {
		out = append(out, Risk{Text: loc.T("risk.no_pen_test")})
	}
	if n, total := unanswered(r); n > 0 && (n >= UnansweredRiskCount || n*100 >= total*UnansweredRiskPercent) {
		out = append(out, Risk{Text: loc.N("risk.unanswered", total, l10n.Args{"Unanswered": n})})
	}
	if m := monthsSince(r.Updated, b.now()); m >= StaleMonths {
		out = append(out, Risk{Text: loc.N("risk.stale", m/12, nil)})
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
	loc := b.loc
	if r == nil {
		return b.Error(ErrorMessage{Title: loc.T("error.app_not_found"), Detail: loc.T("error.no_record")})
	}
	if r.Type == attestation.PageAzure && r.Azure != nil {
		return b.azureSummary(r)
	}
	now := b.now()
	name := b.displayName(r)
	c := NewCard().WithFallbackText(loc.F("summary.fallback", l10n.Args{"Name": name}))
	c.Refresh = NewManualRefresh(NewExecute(loc.T("common.refresh"), appData(r, VerbApp)).WithoutFallback())

	updated := b.formatDate(r.Updated)
	if !r.Updated.IsZero() {
		updated += " (" + age(loc, r.Updated, now) + ")"
	} else if r.UpdatedRaw != "" {
		updated = loc.F("summary.unreadable_date", l10n.Args{"Date": clip(r.UpdatedRaw, 60)})
	}
	facts := NewFactSet(
		Fact{loc.T("summary.last_updated"), updated},
	)
	if r.AppSourceID != "" {
		facts.Add(loc.T("summary.appsource_id"), r.AppSourceID)
	}
	facts.Add(loc.T("summary.graph_permissions"), strconv.Itoa(len(r.Permissions)))
	facts.Add(loc.T("summary.source"), b.sourceLabel(r))
	c.Add(b.header(r, b.byline(r)), facts)
	if set := b.otherLocales(r, func(l string) ActionData {
		d := appData(r, VerbApp)
		d.Locale = l
		return d
	}); set != nil {
		c.Add(NewTextBlock(loc.T("common.other_locales")).Subtle().WithSize(SizeSmall).WithSpacing(SpacingSmall), set.WithSpacing(SpacingNone))
	}

	c.Add(NewTextBlock(loc.T("summary.claims")).Bold().WithSeparator().WithSpacing(SpacingMedium))
	half := (len(KeyClaims) + 1) / 2
	left, right := NewFactSet(), NewFactSet()
	for i, cl := range KeyClaims {
		fs := left
		if i >= half {
			fs = right
		}
		fs.Facts = append(fs.Facts, Fact{claimLabel(loc, cl), claimValue(loc, r, cl.Key)})
	}
	c.Add(NewColumnSet(NewColumn(WidthStretch, left), NewColumn(WidthStretch, right)).WithSpacing(SpacingSmall))
	more := NewFactSet().WithID("more-claims").Hidden()
	for _, cl := range MoreClaims {
		more.Facts = append(more.Facts, Fact{claimLabel(loc, cl), claimValue(loc, r, cl.Key)})
	}
	c.Add(more)

	c.Add(NewTextBlock(loc.T("summary.risks")).Bold().WithSeparator().WithSpacing(SpacingMedium))
	risks := b.Risks(r)
	if len(risks) == 0 {
		c.Add(NewTextBlock(loc.T("summary.no_risks")).Subtle().WithSpacing(SpacingSmall))
	}
	for _, rk := range risks {
		color := ColorWarning
		if rk.Severe {
			color = ColorAttention
		}
		c.Add(NewTextBlock("⚠️ " + rk.Text).WithColor(color).WithSpacing(SpacingSmall))
	}

	links := NewActionSet(NewToggleVisibility(loc.T("summary.more_claims"), "more-claims")).WithSpacing(SpacingMedium)
	if u := AppSourceURL(r); u != "" {
		links.Add(NewOpenURL(loc.T("common.appsource"), u))
	}
	if u := TeamsStoreURL(r); u != "" {
		links.Add(NewOpenURL(loc.T("common.teams_store"), u))
	}
	links.Add(NewOpenURL(loc.T("common.docs_page"), DocsURL(r)))
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
			set.Add(NewExecute(sectionTitle(loc, s), d).WithoutInputs())
		}
		c.Add(set)
	}

	compare := NewSubCard().Add(
		NewTextInput(InputCompareWith).WithLabel(loc.F("summary.compare_with", l10n.Args{"Name": name})).
			WithPlaceholder(loc.T("summary.compare_placeholder")).WithMaxLength(MaxQueryRunes).
			Required(loc.T("summary.compare_required")),
	)
	cd := appData(r, VerbCompare)
	cd.Compare = []string{Ref(r.Kind, r.Slug)}
	compare.AddActions(NewExecute(loc.T("summary.compare"), cd))

	c.AddActions(
		NewExecute(loc.N("summary.permissions_button", len(r.Permissions), nil), appData(r, VerbPermissions)).WithoutInputs(),
		NewShowCard(loc.T("summary.compare"), compare),
		NewExecute(loc.T("summary.subscribe"), appData(r, VerbSubscribe)).WithoutInputs(),
		NewExecute(loc.T("summary.what_changed"), appData(r, VerbChanges)).WithoutInputs(),
	)
	return c
}

// azureSummary shows an Entra app ID page: the apps registered under it.
func (b *Builder) azureSummary(r *attestation.Record) *AdaptiveCard {
	loc := b.loc
	az := r.Azure
	c := NewCard().WithFallbackText(loc.F("azure.fallback", l10n.Args{"AppID": az.AppID}))
	c.Add(NewTextBlock(loc.T("kind.azure")).WithSize(SizeLarge).Bold().Heading(),
		NewTextBlock(az.AppID).Monospace().WithSpacing(SpacingNone))
	status := loc.T("azure.not_attested")
	if az.Attested {
		status = "✅ " + loc.T("azure.attested")
	}
	cert := loc.T("azure.not_certified")
	if az.Certified {
		cert = "🏅 " + loc.T("cert.certified")
		if !az.CertifiedOn.IsZero() {
			cert = "🏅 " + loc.F("azure.certified_on", l10n.Args{"Date": b.formatDate(az.CertifiedOn)})
		}
	}
	c.Add(NewFactSet(Fact{loc.T("azure.attestation"), status}, Fact{loc.T("azure.certification"), cert}, Fact{loc.T("azure.apps"), strconv.Itoa(len(az.Apps))}))
	for i, a := range az.Apps {
		if i == 20 {
			c.Add(NewTextBlock(loc.N("common.and_more", len(az.Apps)-20, nil)).Subtle())
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
	c.AddActions(NewOpenURL(loc.T("common.docs_page"), DocsURL(r)))
	return c
}
