package schema

import "encoding/json"

// Attachment content types.
const (
	ContentTypeAdaptiveCard  = "application/vnd.microsoft.card.adaptive"
	ContentTypeHeroCard      = "application/vnd.microsoft.card.hero"
	ContentTypeThumbnailCard = "application/vnd.microsoft.card.thumbnail"
	ContentTypeO365Connector = "application/vnd.microsoft.teams.card.o365connector"
)

// Attachment is a card or file attached to a message. Content stays raw JSON
// so cards pass through unchanged.
type Attachment struct {
	ContentType  string          `json:"contentType"`
	ContentURL   string          `json:"contentUrl,omitempty"`
	Content      json.RawMessage `json:"content,omitempty"`
	Name         string          `json:"name,omitempty"`
	ThumbnailURL string          `json:"thumbnailUrl,omitempty"`
}

// NewAdaptiveCardAttachment wraps an encoded Adaptive Card.
func NewAdaptiveCardAttachment(card json.RawMessage) Attachment {
	return Attachment{ContentType: ContentTypeAdaptiveCard, Content: card}
}

// ThumbnailCard is the hero/thumbnail card used as a message extension
// result preview.
type ThumbnailCard struct {
	Title    string      `json:"title,omitempty"`
	Subtitle string      `json:"subtitle,omitempty"`
	Text     string      `json:"text,omitempty"`
	Images   []CardImage `json:"images,omitempty"`
	Tap      *CardAction `json:"tap,omitempty"`
}

// CardImage is an image of a hero or thumbnail card.
type CardImage struct {
	URL string `json:"url"`
	Alt string `json:"alt,omitempty"`
}

// CardAction is a button or tap action of a hero or thumbnail card, or a
// suggested action.
type CardAction struct {
	Type  string          `json:"type"`
	Title string          `json:"title,omitempty"`
	Value json.RawMessage `json:"value,omitempty"`
}
