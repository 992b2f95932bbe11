package cards

import (
	"strings"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/l10n"
)

// Preview builds the thumbnail card shown for r in a message-extension
// result list: name, publisher and programme, the key claims in one line.
// Tapping it opens the docs page.
func (b *Builder) Preview(r *attestation.Record) *ThumbnailCard {
	loc := b.loc
	if r == nil {
		return &ThumbnailCard{Title: loc.T("error.app_not_found")}
	}
	badge, _ := certificationLabel(loc, r.Certification)
	sub := b.byline(r) + " · " + badge
	var parts []string
	for _, cl := range attestation.KeyClaims[:4] {
		parts = append(parts, claimLabel(loc, cl)+" "+shortClaim(r, cl.Key))
	}
	text := strings.Join(parts, " · ")
	if !r.Updated.IsZero() {
		text += " · " + loc.F("search.updated", l10n.Args{"Date": b.formatDate(r.Updated)})
	}
	t := &ThumbnailCard{
		Title:    b.displayName(r),
		Subtitle: sub,
		Text:     text,
		Tap:      &CardAction{Type: "openUrl", Value: DocsURL(r)},
	}
	if b.iconURL != "" {
		t.Images = []CardImage{{URL: b.iconURL, Alt: "attestbot"}}
	}
	return t
}

// shortClaim returns the icon of a claim's answer.
func shortClaim(r *attestation.Record, key string) string {
	a := r.AnswerRef(key)
	if a == nil {
		return "—"
	}
	return valueIcon(a.Value)
}

// SummaryCardV13 builds the summary card of r with Adaptive Card 1.3
// content only, for link unfurling (composeExtension/queryLink accepts
// cards up to 1.3): no Table, no Action.Execute, no refresh, no 1.4+
// properties; buttons only open links.
func (b *Builder) SummaryCardV13(r *attestation.Record) *AdaptiveCard {
	loc := b.loc
	c := NewCard().WithVersion(Version13)
	if r == nil {
		return c.WithFallbackText(loc.T("error.app_not_found")).Add(NewTextBlock(loc.T("error.app_not_found")).Bold())
	}
	c.WithFallbackText(loc.F("summary.fallback", l10n.Args{"Name": b.displayName(r)}))
	badge, color := certificationLabel(loc, r.Certification)
	c.Add(
		NewTextBlock(b.displayName(r)).WithSize(SizeLarge).Bold(),
		NewTextBlock(b.byline(r)).Subtle().WithSpacing(SpacingNone),
		NewTextBlock(badge).WithColor(color).Bold().WithSpacing(SpacingSmall),
	)
	updated := b.formatDate(r.Updated)
	if !r.Updated.IsZero() {
		updated += " (" + age(loc, r.Updated, b.now()) + ")"
	}
	facts := NewFactSet(Fact{loc.T("summary.last_updated"), updated})
	for _, cl := range attestation.KeyClaims {
		facts.Add(claimLabel(loc, cl), claimValue(loc, r, cl.Key))
	}
	c.Add(facts)
	for _, rk := range b.Risks(r) {
		color := ColorWarning
		if rk.Severe {
			color = ColorAttention
		}
		c.Add(NewTextBlock("⚠️ " + rk.Text).WithColor(color).WithSpacing(SpacingSmall))
	}
	if u := AppSourceURL(r); u != "" {
		c.AddActions(NewOpenURL(loc.T("common.appsource"), u))
	}
	if u := TeamsStoreURL(r); u != "" {
		c.AddActions(NewOpenURL(loc.T("common.teams_store"), u))
	}
	c.AddActions(NewOpenURL(loc.T("common.docs_page"), DocsURL(r)))
	return c
}

// SearchResultAttachment builds one composeExtension/query result: the
// summary card with its thumbnail preview.
func (b *Builder) SearchResultAttachment(r *attestation.Record) Attachment {
	return NewAttachment(b.Summary(r)).WithPreview(b.Preview(r))
}

// LinkUnfurlAttachment builds the composeExtension/queryLink result: the
// 1.3 summary card with its thumbnail preview.
func (b *Builder) LinkUnfurlAttachment(r *attestation.Record) Attachment {
	return NewAttachment(b.SummaryCardV13(r)).WithPreview(b.Preview(r))
}
