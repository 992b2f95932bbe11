package cards

import (
	"strings"

	"github.com/attestbot/attestbot/attestation"
)

// Preview builds the thumbnail card shown for r in a message-extension
// result list: name, publisher and programme, the key claims in one line.
// Tapping it opens the docs page.
func (b *Builder) Preview(r *attestation.Record) *ThumbnailCard {
	if r == nil {
		return &ThumbnailCard{Title: "App not found"}
	}
	badge, _ := certificationLabel(r.Certification)
	sub := byline(r) + " · " + badge
	var parts []string
	for _, cl := range KeyClaims[:4] {
		parts = append(parts, cl.Label+" "+shortClaim(r, cl.Key))
	}
	text := strings.Join(parts, " · ")
	if !r.Updated.IsZero() {
		text += " · updated " + formatDate(r.Updated)
	}
	t := &ThumbnailCard{
		Title:    displayName(r),
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
	a, ok := r.Answer(key)
	if !ok {
		return "—"
	}
	return valueIcon(a.Value)
}

// SummaryCardV13 builds the summary card of r with Adaptive Card 1.3
// content only, for link unfurling (composeExtension/queryLink accepts
// cards up to 1.3): no Table, no Action.Execute, no refresh, no 1.4+
// properties; buttons only open links.
func (b *Builder) SummaryCardV13(r *attestation.Record) *AdaptiveCard {
	c := NewCard().WithVersion(Version13)
	if r == nil {
		return c.WithFallbackText("App not found").Add(NewTextBlock("App not found").Bold())
	}
	c.WithFallbackText(displayName(r) + " — compliance summary")
	badge, color := certificationLabel(r.Certification)
	c.Add(
		NewTextBlock(displayName(r)).WithSize(SizeLarge).Bold(),
		NewTextBlock(byline(r)).Subtle().WithSpacing(SpacingNone),
		NewTextBlock(badge).WithColor(color).Bold().WithSpacing(SpacingSmall),
	)
	updated := formatDate(r.Updated)
	if !r.Updated.IsZero() {
		updated += " (" + Age(r.Updated, b.now()) + ")"
	}
	facts := NewFactSet(Fact{"Last updated by the developer", updated})
	for _, cl := range KeyClaims {
		facts.Add(cl.Label, claimValue(r, cl.Key))
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
		c.AddActions(NewOpenURL("AppSource", u))
	}
	if u := TeamsStoreURL(r); u != "" {
		c.AddActions(NewOpenURL("Teams store", u))
	}
	c.AddActions(NewOpenURL("Docs page", DocsURL(r)))
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
