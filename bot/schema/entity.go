package schema

import (
	"encoding/json"
)

// Entity types.
const (
	EntityTypeMention    = "mention"
	EntityTypeClientInfo = "clientInfo"
)

// Entity is an activity entity: a mention, the client info Teams attaches to
// every inbound activity, or any other type (its fields then stay in Extra).
type Entity struct {
	Type string `json:"type"`
	// Mentioned and Text are set on mention entities.
	Mentioned *ChannelAccount `json:"mentioned,omitempty"`
	Text      string          `json:"text,omitempty"`
	// Locale, Country, Platform and Timezone are set on clientInfo entities.
	Locale   string `json:"locale,omitempty"`
	Country  string `json:"country,omitempty"`
	Platform string `json:"platform,omitempty"`
	Timezone string `json:"timezone,omitempty"`

	// Extra holds fields this type does not model.
	Extra map[string]json.RawMessage `json:"-"`
}

type entityFields Entity

var entityKnown = newKnownFields(entityFields{})

// UnmarshalJSON decodes an entity and keeps its unknown fields in Extra.
// JSON null leaves it unchanged.
func (e *Entity) UnmarshalJSON(data []byte) error {
	var v Entity
	if err := entityCodec.decodeDocument(data, &v, &v.Extra); err != nil || isNull(data) {
		return err
	}
	*e = v
	return nil
}

// MarshalJSON encodes an entity with its Extra fields.
func (e Entity) MarshalJSON() ([]byte, error) {
	b, err := json.Marshal(entityFields(e))
	if err != nil {
		return nil, err
	}
	return appendExtra(b, e.Extra, entityKnown)
}

// Mention is a decoded mention entity.
type Mention struct {
	Mentioned ChannelAccount
	// Text is the markup in the activity text, e.g. "<at>Test Bot</at>".
	Text string
}

// Mention returns the entity as a mention, if it is one with a mentioned account.
func (e Entity) Mention() (Mention, bool) {
	if e.Type != EntityTypeMention || e.Mentioned == nil {
		return Mention{}, false
	}
	return Mention{Mentioned: *e.Mentioned, Text: e.Text}, true
}
