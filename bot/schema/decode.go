package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"
)

// The inbound activity is decoded in one pass over its validated bytes: each
// known key is decoded by its own function, every other key is kept raw in
// Extra. encoding/json with the Extra-keeping UnmarshalJSON methods scanned a
// nested account three times (validate, decode, look for unknown keys) and
// decoded through reflection; this was the largest cost of a turn after the
// reply's own TLS write. The result is the same as encoding/json's: exact key
// match first, else a case-insensitive one; null leaves a string or bool
// unchanged and sets a pointer, slice or raw value to nil (a raw value keeps
// the literal null, as json.RawMessage does); the last of duplicate keys wins;
// a value of the wrong JSON kind is an error. Strings with escapes or invalid
// UTF-8 are unquoted by encoding/json itself.

// fieldFunc decodes the raw JSON value of one known key into dst.
type fieldFunc[T any] func(dst *T, raw []byte) error

// objectCodec decodes one struct type from a JSON object.
type objectCodec[T any] struct {
	what   string // in error messages: "activity", "account"...
	fields map[string]fieldFunc[T]
	names  []string // the keys of fields, for the case-insensitive match
}

func newCodec[T any](what string, fields map[string]fieldFunc[T]) *objectCodec[T] {
	c := &objectCodec[T]{what: what, fields: fields}
	for name := range fields {
		c.names = append(c.names, name)
	}
	return c
}

// field returns the function decoding key, or nil for an unknown key.
func (c *objectCodec[T]) field(key []byte) fieldFunc[T] {
	if f, ok := c.fields[string(key)]; ok {
		return f
	}
	for _, n := range c.names {
		if strings.EqualFold(n, string(key)) {
			return c.fields[n]
		}
	}
	return nil
}

// decode decodes the JSON object data, which must be valid JSON, into dst;
// unknown keys go to *extra, or are dropped when extra is nil. A JSON null
// leaves dst unchanged; any other non-object is an error.
func (c *objectCodec[T]) decode(data []byte, dst *T, extra *map[string]json.RawMessage) error {
	i := skipSpace(data, 0)
	if i >= len(data) {
		return fmt.Errorf("decode %s: %w", c.what, errTruncated)
	}
	if data[i] == 'n' {
		return nil
	}
	if data[i] != '{' {
		return fmt.Errorf("decode %s: expected a JSON object, got %s", c.what, kindOf(data[i]))
	}
	_, err := c.decodeAt(data, i, dst, extra, false)
	return err
}

// decodeDocument decodes a whole JSON document, validating it on the way
// (as json.Valid would): the value must be an object or null (which leaves
// dst unchanged), followed by nothing but white space.
func (c *objectCodec[T]) decodeDocument(data []byte, dst *T, extra *map[string]json.RawMessage) error {
	i := skipSpace(data, 0)
	if i >= len(data) {
		return fmt.Errorf("decode %s: %w", c.what, errTruncated)
	}
	var end int
	var err error
	if data[i] == '{' {
		end, err = c.decodeAt(data, i, dst, extra, true)
	} else {
		end, err = scanValue(data, i, 0)
	}
	if err != nil {
		return fmt.Errorf("decode %s: %w", c.what, err)
	}
	if end = skipSpace(data, end); end < len(data) {
		return fmt.Errorf("decode %s: invalid character %q after the value", c.what, data[end])
	}
	if data[i] != '{' && data[i] != 'n' {
		return fmt.Errorf("decode %s: expected a JSON object, got %s", c.what, kindOf(data[i]))
	}
	return nil
}

// decodeAt decodes the object starting at data[i] ('{') and returns the
// index after it. With validate, every value is checked to be valid JSON
// (scanValue); else data is known to be valid and values are only skipped.
func (c *objectCodec[T]) decodeAt(data []byte, i int, dst *T, extra *map[string]json.RawMessage, validate bool) (int, error) {
	i = skipSpace(data, i+1)
	if i < len(data) && data[i] == '}' {
		return i + 1, nil
	}
	for {
		if i >= len(data) || data[i] != '"' {
			return 0, syntaxError(data, i, "looking for the beginning of an object key")
		}
		keyEnd, err := scanString(data, i)
		if err != nil {
			return 0, err
		}
		key := data[i+1 : keyEnd-1]
		if bytes.IndexByte(key, '\\') >= 0 || !utf8.Valid(key) {
			var s string
			if err := json.Unmarshal(data[i:keyEnd], &s); err != nil {
				return 0, err
			}
			key = []byte(s)
		}
		i = skipSpace(data, keyEnd)
		if i >= len(data) || data[i] != ':' {
			return 0, syntaxError(data, i, "after object key")
		}
		valStart := skipSpace(data, i+1)
		var valEnd int
		if validate {
			valEnd, err = scanValue(data, valStart, 1)
		} else {
			valEnd, err = skipValue(data, valStart)
		}
		if err != nil {
			return 0, err
		}
		raw := data[valStart:valEnd]
		if f := c.field(key); f != nil {
			if err := f(dst, raw); err != nil {
				return 0, fmt.Errorf("decode %s: field %q: %w", c.what, key, err)
			}
		} else if extra != nil {
			if *extra == nil {
				*extra = map[string]json.RawMessage{}
			}
			(*extra)[string(key)] = append(json.RawMessage(nil), raw...)
		}
		i = skipSpace(data, valEnd)
		if i >= len(data) {
			return 0, errTruncated
		}
		switch data[i] {
		case '}':
			return i + 1, nil
		case ',':
			i = skipSpace(data, i+1)
		default:
			return 0, syntaxError(data, i, "after object key:value pair")
		}
	}
}

// isNull reports whether the JSON document data is null.
func isNull(data []byte) bool {
	i := skipSpace(data, 0)
	return i < len(data) && data[i] == 'n'
}

// kindOf names the JSON kind of a value starting with c.
func kindOf(c byte) string {
	switch c {
	case '"':
		return "a string"
	case '{':
		return "an object"
	case '[':
		return "an array"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

// decodeString decodes a JSON string or null (which leaves *dst unchanged).
func decodeString(raw []byte, dst *string) error {
	switch raw[0] {
	case 'n':
		return nil
	case '"':
		inner := raw[1 : len(raw)-1]
		if bytes.IndexByte(inner, '\\') < 0 && utf8.Valid(inner) {
			*dst = string(inner)
			return nil
		}
		return json.Unmarshal(raw, dst)
	}
	return fmt.Errorf("expected a string, got %s", kindOf(raw[0]))
}

// decodeBool decodes true, false or null (which leaves *dst unchanged).
func decodeBool(raw []byte, dst *bool) error {
	switch raw[0] {
	case 'n':
		return nil
	case 't':
		*dst = true
		return nil
	case 'f':
		*dst = false
		return nil
	}
	return fmt.Errorf("expected a boolean, got %s", kindOf(raw[0]))
}

// decodeRaw copies a raw JSON value, as json.RawMessage does.
func decodeRaw(raw []byte, dst *json.RawMessage) error {
	*dst = append((*dst)[:0], raw...)
	return nil
}

// decodeArray calls elem for each element of a JSON array; null calls
// nothing and reports false.
func decodeArray(raw []byte, elem func(raw []byte) error) (bool, error) {
	switch raw[0] {
	case 'n':
		return false, nil
	case '[':
	default:
		return false, fmt.Errorf("expected an array, got %s", kindOf(raw[0]))
	}
	i := 1
	for {
		i = skipSpace(raw, i)
		if i >= len(raw) {
			return true, errTruncated
		}
		switch raw[i] {
		case ']':
			return true, nil
		case ',':
			i = skipSpace(raw, i+1)
		}
		end, err := skipValue(raw, i)
		if err != nil {
			return true, err
		}
		if err := elem(raw[i:end]); err != nil {
			return true, err
		}
		i = end
	}
}

// str, boolean and rawValue build the field functions of the codecs.
func str[T any](field func(*T) *string) fieldFunc[T] {
	return func(d *T, raw []byte) error { return decodeString(raw, field(d)) }
}

func boolean[T any](field func(*T) *bool) fieldFunc[T] {
	return func(d *T, raw []byte) error { return decodeBool(raw, field(d)) }
}

func rawValue[T any](field func(*T) *json.RawMessage) fieldFunc[T] {
	return func(d *T, raw []byte) error { return decodeRaw(raw, field(d)) }
}

// ptr decodes an object into a new value (null: nil).
func ptr[T, V any](field func(*T) **V, decode func(raw []byte, v *V) error) fieldFunc[T] {
	return func(d *T, raw []byte) error {
		p := field(d)
		if raw[0] == 'n' {
			*p = nil
			return nil
		}
		v := new(V)
		if err := decode(raw, v); err != nil {
			return err
		}
		*p = v
		return nil
	}
}

// slice decodes an array of objects (null: nil; a null element: the zero
// value).
func slice[T, V any](field func(*T) *[]V, decode func(raw []byte, v *V) error) fieldFunc[T] {
	return func(d *T, raw []byte) error {
		p := field(d)
		out := (*p)[:0]
		isArray, err := decodeArray(raw, func(elem []byte) error {
			var v V
			if err := decode(elem, &v); err != nil {
				return err
			}
			out = append(out, v)
			return nil
		})
		if err != nil {
			return err
		}
		if !isArray {
			*p = nil
			return nil
		}
		if out == nil {
			out = []V{}
		}
		*p = out
		return nil
	}
}

// The decoders of the nested types, without validation (their callers
// validated the whole document).

func decodeChannelAccount(raw []byte, c *ChannelAccount) error {
	var v ChannelAccount
	if err := channelAccountCodec.decode(raw, &v, &v.Extra); err != nil || raw[0] == 'n' {
		return err
	}
	*c = v
	return nil
}

func decodeConversationAccount(raw []byte, c *ConversationAccount) error {
	var v ConversationAccount
	if err := conversationAccountCodec.decode(raw, &v, &v.Extra); err != nil || raw[0] == 'n' {
		return err
	}
	*c = v
	return nil
}

func decodeEntity(raw []byte, e *Entity) error {
	var v Entity
	if err := entityCodec.decode(raw, &v, &v.Extra); err != nil || raw[0] == 'n' {
		return err
	}
	*e = v
	return nil
}

func decodeAttachment(raw []byte, a *Attachment) error {
	return attachmentCodec.decode(raw, a, nil)
}

func decodeConversationReference(raw []byte, r *ConversationReference) error {
	return conversationReferenceCodec.decode(raw, r, nil)
}

var channelAccountCodec = newCodec("account", map[string]fieldFunc[ChannelAccount]{
	"id":                str(func(c *ChannelAccount) *string { return &c.ID }),
	"name":              str(func(c *ChannelAccount) *string { return &c.Name }),
	"aadObjectId":       str(func(c *ChannelAccount) *string { return &c.AADObjectID }),
	"role":              str(func(c *ChannelAccount) *string { return &c.Role }),
	"objectId":          str(func(c *ChannelAccount) *string { return &c.ObjectID }),
	"givenName":         str(func(c *ChannelAccount) *string { return &c.GivenName }),
	"surname":           str(func(c *ChannelAccount) *string { return &c.Surname }),
	"email":             str(func(c *ChannelAccount) *string { return &c.Email }),
	"userPrincipalName": str(func(c *ChannelAccount) *string { return &c.UserPrincipalName }),
	"tenantId":          str(func(c *ChannelAccount) *string { return &c.TenantID }),
	"userRole":          str(func(c *ChannelAccount) *string { return &c.UserRole }),
})

var conversationAccountCodec = newCodec("conversation", map[string]fieldFunc[ConversationAccount]{
	"id":               str(func(c *ConversationAccount) *string { return &c.ID }),
	"name":             str(func(c *ConversationAccount) *string { return &c.Name }),
	"conversationType": str(func(c *ConversationAccount) *string { return &c.ConversationType }),
	"isGroup":          boolean(func(c *ConversationAccount) *bool { return &c.IsGroup }),
	"tenantId":         str(func(c *ConversationAccount) *string { return &c.TenantID }),
	"aadObjectId":      str(func(c *ConversationAccount) *string { return &c.AADObjectID }),
	"role":             str(func(c *ConversationAccount) *string { return &c.Role }),
})

var entityCodec = newCodec("entity", map[string]fieldFunc[Entity]{
	"type":      str(func(e *Entity) *string { return &e.Type }),
	"mentioned": ptr(func(e *Entity) **ChannelAccount { return &e.Mentioned }, decodeChannelAccount),
	"text":      str(func(e *Entity) *string { return &e.Text }),
	"locale":    str(func(e *Entity) *string { return &e.Locale }),
	"country":   str(func(e *Entity) *string { return &e.Country }),
	"platform":  str(func(e *Entity) *string { return &e.Platform }),
	"timezone":  str(func(e *Entity) *string { return &e.Timezone }),
})

var attachmentCodec = newCodec("attachment", map[string]fieldFunc[Attachment]{
	"contentType":  str(func(a *Attachment) *string { return &a.ContentType }),
	"contentUrl":   str(func(a *Attachment) *string { return &a.ContentURL }),
	"content":      rawValue(func(a *Attachment) *json.RawMessage { return &a.Content }),
	"name":         str(func(a *Attachment) *string { return &a.Name }),
	"thumbnailUrl": str(func(a *Attachment) *string { return &a.ThumbnailURL }),
})

var conversationReferenceCodec = newCodec("conversation reference", map[string]fieldFunc[ConversationReference]{
	"activityId":   str(func(r *ConversationReference) *string { return &r.ActivityID }),
	"user":         ptr(func(r *ConversationReference) **ChannelAccount { return &r.User }, decodeChannelAccount),
	"bot":          ptr(func(r *ConversationReference) **ChannelAccount { return &r.Bot }, decodeChannelAccount),
	"conversation": ptr(func(r *ConversationReference) **ConversationAccount { return &r.Conversation }, decodeConversationAccount),
	"channelId":    str(func(r *ConversationReference) *string { return &r.ChannelID }),
	"serviceUrl":   str(func(r *ConversationReference) *string { return &r.ServiceURL }),
	"locale":       str(func(r *ConversationReference) *string { return &r.Locale }),
})

var activityCodec = newCodec("activity", map[string]fieldFunc[Activity]{
	"type":             str(func(a *Activity) *string { return &a.Type }),
	"id":               str(func(a *Activity) *string { return &a.ID }),
	"name":             str(func(a *Activity) *string { return &a.Name }),
	"timestamp":        str(func(a *Activity) *string { return &a.Timestamp }),
	"localTimestamp":   str(func(a *Activity) *string { return &a.LocalTimestamp }),
	"localTimezone":    str(func(a *Activity) *string { return &a.LocalTimezone }),
	"serviceUrl":       str(func(a *Activity) *string { return &a.ServiceURL }),
	"channelId":        str(func(a *Activity) *string { return &a.ChannelID }),
	"from":             ptr(func(a *Activity) **ChannelAccount { return &a.From }, decodeChannelAccount),
	"conversation":     ptr(func(a *Activity) **ConversationAccount { return &a.Conversation }, decodeConversationAccount),
	"recipient":        ptr(func(a *Activity) **ChannelAccount { return &a.Recipient }, decodeChannelAccount),
	"textFormat":       str(func(a *Activity) *string { return &a.TextFormat }),
	"attachmentLayout": str(func(a *Activity) *string { return &a.AttachmentLayout }),
	"membersAdded":     slice(func(a *Activity) *[]ChannelAccount { return &a.MembersAdded }, decodeChannelAccount),
	"membersRemoved":   slice(func(a *Activity) *[]ChannelAccount { return &a.MembersRemoved }, decodeChannelAccount),
	"topicName":        str(func(a *Activity) *string { return &a.TopicName }),
	"locale":           str(func(a *Activity) *string { return &a.Locale }),
	"text":             str(func(a *Activity) *string { return &a.Text }),
	"summary":          str(func(a *Activity) *string { return &a.Summary }),
	"inputHint":        str(func(a *Activity) *string { return &a.InputHint }),
	"suggestedActions": rawValue(func(a *Activity) *json.RawMessage { return &a.SuggestedActions }),
	"attachments":      slice(func(a *Activity) *[]Attachment { return &a.Attachments }, decodeAttachment),
	"entities":         slice(func(a *Activity) *[]Entity { return &a.Entities }, decodeEntity),
	"channelData":      rawValue(func(a *Activity) *json.RawMessage { return &a.ChannelData }),
	"action":           str(func(a *Activity) *string { return &a.Action }),
	"replyToId":        str(func(a *Activity) *string { return &a.ReplyToID }),
	"label":            str(func(a *Activity) *string { return &a.Label }),
	"valueType":        str(func(a *Activity) *string { return &a.ValueType }),
	"value":            rawValue(func(a *Activity) *json.RawMessage { return &a.Value }),
	"relatesTo":        ptr(func(a *Activity) **ConversationReference { return &a.RelatesTo }, decodeConversationReference),
	"code":             str(func(a *Activity) *string { return &a.Code }),
	"importance":       str(func(a *Activity) *string { return &a.Importance }),
	"deliveryMode":     str(func(a *Activity) *string { return &a.DeliveryMode }),
	"callerId":         str(func(a *Activity) *string { return &a.CallerID }),
})
