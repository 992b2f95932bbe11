package cards

// ContentTypeThumbnailCard is the content type of the Bot Framework
// thumbnail card used as a message-extension preview (botframework.md §4.6).
const ContentTypeThumbnailCard = "application/vnd.microsoft.card.thumbnail"

// AttachmentContent is a card that can be sent as an attachment.
type AttachmentContent interface {
	ContentType() string
}

// Attachment is a Bot Framework attachment holding a card, with the
// preview a message-extension result needs.
type Attachment struct {
	ContentType string            `json:"contentType"`
	Content     AttachmentContent `json:"content"`
	// Preview is the thumbnail card shown in the message-extension
	// result list; Teams requires it for Adaptive Card results.
	Preview *Attachment `json:"preview,omitempty"`
}

// NewAttachment wraps a card in an attachment with the right content type.
func NewAttachment(c AttachmentContent) Attachment {
	return Attachment{ContentType: c.ContentType(), Content: c}
}

// WithPreview returns a copy of a with the given preview.
func (a Attachment) WithPreview(p AttachmentContent) Attachment {
	pa := NewAttachment(p)
	a.Preview = &pa
	return a
}

// CardImage is an image of a thumbnail card.
type CardImage struct {
	URL string `json:"url"`
	Alt string `json:"alt,omitempty"`
}

// CardAction is a button or tap action of a thumbnail card.
type CardAction struct {
	// Type is openUrl, imBack, messageBack or invoke.
	Type  string `json:"type"`
	Title string `json:"title,omitempty"`
	Value string `json:"value"`
}

// ThumbnailCard is a Bot Framework thumbnail card (a small image beside
// the text), used as a message-extension preview.
type ThumbnailCard struct {
	Title    string       `json:"title,omitempty"`
	Subtitle string       `json:"subtitle,omitempty"`
	Text     string       `json:"text,omitempty"`
	Images   []CardImage  `json:"images,omitempty"`
	Buttons  []CardAction `json:"buttons,omitempty"`
	Tap      *CardAction  `json:"tap,omitempty"`
}

// ContentType implements AttachmentContent.
func (*ThumbnailCard) ContentType() string { return ContentTypeThumbnailCard }
