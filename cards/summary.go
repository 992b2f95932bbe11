package cards

import (
	"strings"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/internal/logtext"
	"github.com/attestbot/attestbot/l10n"
)

// claimLabel returns the label of a claim in loc's language: the claim
// names are acronyms except GDPR (RGPD, DSGVO...), which the catalog
// translates.
func claimLabel(loc *l10n.Localizer, c attestation.Claim) string {
	if c.Key == "priv.gdpr_or_privacy_obligations" {
		return loc.T("claim.gdpr")
	}
	return c.Label
}

// claimValue returns the grid value of a claim: icon and English label,
// with the SOC 2 type and date when given.
func claimValue(loc *l10n.Localizer, r *attestation.Record, key string) string {
	a := r.AnswerRef(key)
	if a == nil {
		return notInRecord(loc)
	}
	v := valueText(loc, a.Value)
	if a.Value == attestation.ValueText {
		v = valueIcon(a.Value) + " " + logtext.Runes(a.Text, 60)
	}
	if key == "comp.soc2" && a.Value == attestation.ValueYes {
		var extra []string
		if t := r.AnswerRef("comp.soc2_type"); t != nil && t.Text != "" {
			extra = append(extra, logtext.Runes(t.Text, 20))
		}
		if d := r.AnswerRef("comp.soc2_latest_cert_date"); d != nil && d.Text != "" {
			extra = append(extra, logtext.Runes(d.Text, 20))
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

// broadScopes returns the distinct broad application scopes of r.
func broadScopes(r *attestation.Record) []string {
	var out []string
	for _, p := range r.Permissions {
		if n := logtext.Runes(p.Name, 80); attestation.BroadScope(p) && !contains(out, n) {
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

// maxRisks is how many kinds of risk Risks tells.
const maxRisks = 7

// Risks returns the risk highlights of r, most severe first.
func (b *Builder) Risks(r *attestation.Record) []Risk {
	loc := b.loc
	out := make([]Risk, 0, maxRisks)
	if s := broadScopes(r); len(s) > 0 {
		list := strings.Join(s[:min(5, len(s))], ", ")
		if len(s) > 5 {
			list = loc.N("common.list_and_more", len(s)-5, l10n.Args{"List": list})
		}
		out = append(out, Risk{Text: loc.Fill("risk.broad_permissions", "List", list), Severe: true})
	}
	if a := r.AnswerRef("zt.credentials_in_code"); a != nil && a.Value == attestation.ValueYes {
		out = append(out, Risk{Text: loc.T("risk.credentials_in_code"), Severe: true})
	}
	var failed []string
	for i := range r.Answers {
		if a := &r.Answers[i]; a.Value == attestation.ValueFail {
			failed = append(failed, logtext.Runes(b.answerLabel(a, r.Locale), 80))
		}
	}
	switch {
	case len(failed) == 1:
		out = append(out, Risk{Text: loc.Fill("risk.control_failed", "Control", failed[0]), Severe: true})
	case len(failed) > 1:
		n := len(failed)
		list := strings.Join(failed[:min(3, n)], ", ")
		if n > 3 {
			list = loc.N("common.list_and_more", n-3, l10n.Args{"List": list})
		}
		out = append(out, Risk{Text: loc.N("risk.controls_failed", n, l10n.Args{"List": list}), Severe: true})
	}
	if a := r.AnswerRef("sec.disaster_recovery_plan"); a != nil && a.Value == attestation.ValueNo {
		out = append(out, Risk{Text: loc.T("risk.no_disaster_recovery")})
	}
	if a := r.AnswerRef("sec.annual_pen_test"); a != nil && a.Value == attestation.ValueNo {
		out = append(out, Risk{Text: loc.T("risk.no_pen_test")})
	}
	if n, total, risk := attestation.Unanswered(r); risk {
		out = append(out, Risk{Text: textsOf(loc).repeat(repeatedKey{id: "risk.unanswered", n: total, m: n}, func() string {
			return loc.N("risk.unanswered", total, l10n.Args{"Unanswered": n})
		})})
	}
	if m, stale := attestation.Stale(r, b.now()); stale {
		out = append(out, Risk{Text: loc.N("risk.stale", m/12, nil)})
	}
	return out
}

// recordSections returns the sections r has answers in, in display order.
func recordSections(r *attestation.Record) []attestation.Section {
	var have [16]bool
	var last attestation.Section // a page lists its answers section by section
	for j := range r.Answers {
		if s := r.Answers[j].Section; j > 0 && s == last {
			continue
		}
		last = r.Answers[j].Section
		for i, s := range attestation.Sections {
			if last == s {
				have[i] = true
				break
			}
		}
	}
	if len(r.Permissions) > 0 || len(r.Statements) > 0 || len(r.Services) > 0 || len(r.OtherAPIs) > 0 {
		have[1] = true // data
	}
	n := 0
	for _, h := range have {
		if h {
			n++
		}
	}
	out := make([]attestation.Section, 0, n)
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
	c, _ := b.summary(r)
	return c
}

// summary builds Summary's card and returns the slab of its nodes (nil for
// a missing record and an Entra app ID page).
func (b *Builder) summary(r *attestation.Record) (*AdaptiveCard, *slab) {
	loc := b.loc
	if r == nil {
		return b.Error(ErrorMessage{Title: loc.T("error.app_not_found"), Detail: loc.T("error.no_record")}), nil
	}
	if r.Type == attestation.PageAzure && r.Azure != nil {
		return b.azureSummary(r), nil
	}
	secs, risks := recordSections(r), b.Risks(r)
	n := summarySize(b, r, secs, risks)
	b = b.withSlab(n)
	name := b.displayName(r)
	c := NewCard().WithFallbackText(loc.Fill("summary.fallback", "Name", name))
	c.Body = b.slab.body(n.body)
	c.Refresh = NewManualRefresh(b.slab.execute(loc.T("common.refresh"), appData(r, VerbApp)).WithoutFallback())
	b.addSummaryHeader(c, r)
	b.addClaims(c, r)
	b.addRisks(c, risks)
	c.Add(b.summaryLinks(r))
	b.addSectionButtons(c, r, secs)
	c.Actions = b.summaryActions(r, name)
	return c, b.slab
}

// summarySize returns the nodes of r's summary card with sections secs
// and risks as Summary builds it with b, so that its slab holds them in
// one block per type.
func summarySize(b *Builder, r *attestation.Record, secs []attestation.Section, risks []Risk) slabSize {
	locales, listings := b.otherLocaleCount(r), b.otherListingCount(r)
	rows := (len(secs) + 3) / 4 // of four section buttons
	extra := 0                  // label and button row of other locales and of listings
	if locales > 0 {
		extra++
	}
	if listings > 0 {
		extra++
	}
	icon := 0 // the header's icon column
	if b.iconURL != "" {
		icon = 1
	}
	// header, facts, claims title, grid, more claims, risks title, links
	body := 7 + 2*extra + max(len(risks), 1) + rows
	return slabSize{
		body:     body,
		texts:    3 + extra + 2 + max(len(risks), 1), // header 3, labels, titles, risks
		execs:    1 + locales + listings + len(secs) + 4,
		sets:     extra + 1 + rows,
		factSets: 4,
		columns:  2 + icon + 2,
		colSets:  2,
		elements: body + 3 + icon + 2 + 1,                    // body, header columns, grid columns, compare card
		actions:  locales + listings + 4 + len(secs) + 4 + 1, // rows, links, card actions, compare card
		facts:    4 + len(attestation.KeyClaims) + len(attestation.MoreClaims),
		colPtrs:  2 + icon + 2,
	}
}

// withSlab returns a copy of b that builds one card's nodes in a slab of
// size n.
func (b *Builder) withSlab(n slabSize) *Builder {
	c := *b
	c.slab = newSlab(n)
	return &c
}

// addSummaryHeader adds the app's header, its facts (developer update and
// age, AppSource ID, permission count, source) and the buttons to its
// other locales and listings.
func (b *Builder) addSummaryHeader(c *AdaptiveCard, r *attestation.Record) {
	loc := b.loc
	updated := b.formatDate(r.Updated)
	if !r.Updated.IsZero() {
		updated += " (" + age(loc, r.Updated, b.now()) + ")"
	} else if r.UpdatedRaw != "" {
		updated = loc.Fill("summary.unreadable_date", "Date", logtext.Runes(r.UpdatedRaw, 60))
	}
	facts := b.slab.factSet(4)
	facts.Add(loc.T("summary.last_updated"), updated)
	if r.AppSourceID != "" {
		facts.Add(loc.T("summary.appsource_id"), r.AppSourceID)
	}
	facts.Add(loc.T("summary.graph_permissions"), loc.Number(len(r.Permissions)))
	facts.Add(loc.T("summary.source"), b.sourceLabel(r))
	c.Add(b.header(r, b.byline(r)), facts)
	if set := b.otherLocales(r, func(l string) ActionData {
		d := appData(r, VerbApp)
		d.Locale = l
		return d
	}); set != nil {
		c.Add(b.slab.text(loc.T("common.other_locales")).Subtle().WithSize(SizeSmall).WithSpacing(SpacingSmall), set.WithSpacing(SpacingNone))
	}
	if set := b.otherListings(r); set != nil {
		c.Add(b.slab.text(loc.T("common.other_listings")).Subtle().WithSize(SizeSmall).WithSpacing(SpacingSmall), set.WithSpacing(SpacingNone))
	}
}

// addClaims adds the key claims in two columns and the other claims,
// hidden until the "more claims" toggle.
func (b *Builder) addClaims(c *AdaptiveCard, r *attestation.Record) {
	loc := b.loc
	sl := b.slab
	c.Add(sl.text(loc.T("summary.claims")).Bold().WithSeparator().WithSpacing(SpacingMedium))
	half := (len(attestation.KeyClaims) + 1) / 2
	left, right := sl.factSet(half), sl.factSet(len(attestation.KeyClaims)-half)
	for i, cl := range attestation.KeyClaims {
		fs := left
		if i >= half {
			fs = right
		}
		fs.Facts = append(fs.Facts, Fact{claimLabel(loc, cl), claimValue(loc, r, cl.Key)})
	}
	c.Add(sl.columnSet(2).Add(sl.column(WidthStretch, left), sl.column(WidthStretch, right)).WithSpacing(SpacingSmall))
	more := sl.factSet(len(attestation.MoreClaims)).WithID("more-claims").Hidden()
	for _, cl := range attestation.MoreClaims {
		more.Facts = append(more.Facts, Fact{claimLabel(loc, cl), claimValue(loc, r, cl.Key)})
	}
	c.Add(more)
}

// addRisks adds the risk highlights (Risks), severe ones in the attention
// color.
func (b *Builder) addRisks(c *AdaptiveCard, risks []Risk) {
	loc := b.loc
	c.Add(b.slab.text(loc.T("summary.risks")).Bold().WithSeparator().WithSpacing(SpacingMedium))
	if len(risks) == 0 {
		c.Add(b.slab.text(loc.T("summary.no_risks")).Subtle().WithSpacing(SpacingSmall))
	}
	for _, rk := range risks {
		color := ColorWarning
		if rk.Severe {
			color = ColorAttention
		}
		c.Add(b.slab.text("⚠️ " + rk.Text).WithColor(color).WithSpacing(SpacingSmall))
	}
}

// summaryLinks returns the "more claims" toggle and the links to AppSource,
// the Teams store and the docs page.
func (b *Builder) summaryLinks(r *attestation.Record) *ActionSet {
	loc := b.loc
	links := b.slab.actionSet(4).Add(NewToggleVisibility(loc.T("summary.more_claims"), "more-claims")).WithSpacing(SpacingMedium)
	if u := AppSourceURL(r); u != "" {
		links.Add(NewOpenURL(loc.T("common.appsource"), u))
	}
	if u := TeamsStoreURL(r); u != "" {
		links.Add(NewOpenURL(loc.T("common.teams_store"), u))
	}
	links.Add(NewOpenURL(loc.T("common.docs_page"), DocsURL(r)))
	return links
}

// addSectionButtons adds a button per section of r (secs), four to a row.
func (b *Builder) addSectionButtons(c *AdaptiveCard, r *attestation.Record, secs []attestation.Section) {
	for i := 0; i < len(secs); i += 4 {
		row := secs[i:min(i+4, len(secs))]
		set := b.slab.actionSet(len(row)).WithSpacing(SpacingSmall)
		if i == 0 {
			set.WithSeparator()
			set.Spacing = SpacingMedium
		}
		for _, s := range row {
			d := appData(r, VerbSection)
			d.Section = s
			set.Add(b.slab.execute(sectionTitle(b.loc, s), d).WithoutInputs())
		}
		c.Add(set)
	}
}

// summaryActions returns the card's actions: permissions, compare (with
// the app to compare with), subscribe and what changed.
func (b *Builder) summaryActions(r *attestation.Record, name string) []Action {
	loc := b.loc
	sl := b.slab
	compare := NewSubCard()
	compare.Body = sl.body(1)
	compare.Add(
		NewTextInput(InputCompareWith).WithLabel(loc.Fill("summary.compare_with", "Name", name)).
			WithPlaceholder(loc.T("summary.compare_placeholder")).WithMaxLength(MaxQueryRunes).
			Required(loc.T("summary.compare_required")),
	)
	cd := appData(r, VerbCompare)
	cd.Compare = []string{Ref(r.Kind, r.Slug)}
	compare.Actions = append(sl.actionList(1), sl.execute(loc.T("summary.compare"), cd))
	return append(sl.actionList(4),
		sl.execute(loc.N("summary.permissions_button", len(r.Permissions), nil), appData(r, VerbPermissions)).WithoutInputs(),
		NewShowCard(loc.T("summary.compare"), compare),
		sl.execute(loc.T("summary.subscribe"), appData(r, VerbSubscribe)).WithoutInputs(),
		sl.execute(loc.T("summary.what_changed"), appData(r, VerbChanges)).WithoutInputs(),
	)
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
	c.Add(NewFactSet(Fact{loc.T("azure.attestation"), status}, Fact{loc.T("azure.certification"), cert}, Fact{loc.T("azure.apps"), loc.Number(len(az.Apps))}))
	for i, a := range az.Apps {
		if i == 20 {
			c.Add(NewTextBlock(loc.N("common.and_more", len(az.Apps)-20, nil)).Subtle())
			break
		}
		line := "• " + logtext.Runes(a.Name, 100)
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

// otherListings returns a button per other listing of the app (same
// AppSource ID, at most 5): its name and host, opening its summary; nil
// when the app is listed once.
func (b *Builder) otherListings(r *attestation.Record) *ActionSet {
	n := b.otherListingCount(r)
	if n == 0 {
		return nil
	}
	set := b.slab.actionSet(n)
	for _, l := range b.listings {
		if len(set.Actions) == n {
			break
		}
		if !otherListing(r, l) {
			continue
		}
		d := ActionData{Verb: VerbApp, Slug: l.Slug, Kind: l.Kind, Locale: cleanLocale(r.Locale)}
		set.Add(b.slab.execute(logtext.Runes(l.Name, 40)+" ("+kindLabel(b.loc, l.Kind)+")", d).WithoutInputs())
	}
	return set
}

// otherListingCount returns how many buttons otherListings makes for r.
func (b *Builder) otherListingCount(r *attestation.Record) int {
	n := 0
	for _, l := range b.listings {
		if otherListing(r, l) {
			n++
		}
	}
	return min(n, 5)
}

// otherListing reports whether l is another listing than r.
func otherListing(r *attestation.Record, l attestation.Listing) bool {
	return l.Kind != r.Kind || l.Slug != r.Slug
}
