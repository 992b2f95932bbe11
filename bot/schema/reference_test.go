package schema

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
)

// The reference decoding: encoding/json through reflection, with each type's
// unknown fields found by a second scan (unknownFields). This is how
// activities were decoded before the one-pass codecs of decode.go, which must
// give the same result (TestDecodeMatchesReference, FuzzDecodeMatchesReference).

type refAccount ChannelAccount

func (c *refAccount) UnmarshalJSON(data []byte) error {
	type plain refAccount
	var f plain
	if err := json.Unmarshal(data, &f); err != nil {
		return err
	}
	if string(data) == "null" {
		return nil
	}
	extra, err := unknownFields(data, channelAccountKnown)
	if err != nil {
		return err
	}
	f.Extra = extra
	*c = refAccount(f)
	return nil
}

type refConversation ConversationAccount

func (c *refConversation) UnmarshalJSON(data []byte) error {
	type plain refConversation
	var f plain
	if err := json.Unmarshal(data, &f); err != nil {
		return err
	}
	if string(data) == "null" {
		return nil
	}
	extra, err := unknownFields(data, conversationAccountKnown)
	if err != nil {
		return err
	}
	f.Extra = extra
	*c = refConversation(f)
	return nil
}

type refEntity struct {
	Type      string                     `json:"type"`
	Mentioned *refAccount                `json:"mentioned,omitempty"`
	Text      string                     `json:"text,omitempty"`
	Locale    string                     `json:"locale,omitempty"`
	Country   string                     `json:"country,omitempty"`
	Platform  string                     `json:"platform,omitempty"`
	Timezone  string                     `json:"timezone,omitempty"`
	Extra     map[string]json.RawMessage `json:"-"`
}

func (e *refEntity) UnmarshalJSON(data []byte) error {
	type plain refEntity
	var f plain
	if err := json.Unmarshal(data, &f); err != nil {
		return err
	}
	if string(data) == "null" {
		return nil
	}
	extra, err := unknownFields(data, entityKnown)
	if err != nil {
		return err
	}
	f.Extra = extra
	*e = refEntity(f)
	return nil
}

type refReference struct {
	ActivityID   string           `json:"activityId,omitempty"`
	User         *refAccount      `json:"user,omitempty"`
	Bot          *refAccount      `json:"bot,omitempty"`
	Conversation *refConversation `json:"conversation,omitempty"`
	ChannelID    string           `json:"channelId,omitempty"`
	ServiceURL   string           `json:"serviceUrl,omitempty"`
	Locale       string           `json:"locale,omitempty"`
}

type refActivity struct {
	Type             string                     `json:"type"`
	ID               string                     `json:"id,omitempty"`
	Name             string                     `json:"name,omitempty"`
	Timestamp        string                     `json:"timestamp,omitempty"`
	LocalTimestamp   string                     `json:"localTimestamp,omitempty"`
	LocalTimezone    string                     `json:"localTimezone,omitempty"`
	ServiceURL       string                     `json:"serviceUrl,omitempty"`
	ChannelID        string                     `json:"channelId,omitempty"`
	From             *refAccount                `json:"from,omitempty"`
	Conversation     *refConversation           `json:"conversation,omitempty"`
	Recipient        *refAccount                `json:"recipient,omitempty"`
	TextFormat       string                     `json:"textFormat,omitempty"`
	AttachmentLayout string                     `json:"attachmentLayout,omitempty"`
	MembersAdded     []refAccount               `json:"membersAdded,omitempty"`
	MembersRemoved   []refAccount               `json:"membersRemoved,omitempty"`
	TopicName        string                     `json:"topicName,omitempty"`
	Locale           string                     `json:"locale,omitempty"`
	Text             string                     `json:"text,omitempty"`
	Summary          string                     `json:"summary,omitempty"`
	InputHint        string                     `json:"inputHint,omitempty"`
	SuggestedActions json.RawMessage            `json:"suggestedActions,omitempty"`
	Attachments      []Attachment               `json:"attachments,omitempty"`
	Entities         []refEntity                `json:"entities,omitempty"`
	ChannelData      json.RawMessage            `json:"channelData,omitempty"`
	Action           string                     `json:"action,omitempty"`
	ReplyToID        string                     `json:"replyToId,omitempty"`
	Label            string                     `json:"label,omitempty"`
	ValueType        string                     `json:"valueType,omitempty"`
	Value            json.RawMessage            `json:"value,omitempty"`
	RelatesTo        *refReference              `json:"relatesTo,omitempty"`
	Code             string                     `json:"code,omitempty"`
	Importance       string                     `json:"importance,omitempty"`
	DeliveryMode     string                     `json:"deliveryMode,omitempty"`
	CallerID         string                     `json:"callerId,omitempty"`
	Extra            map[string]json.RawMessage `json:"-"`
}

func (a *refActivity) UnmarshalJSON(data []byte) error {
	type plain refActivity
	var f plain
	if err := json.Unmarshal(data, &f); err != nil {
		return err
	}
	extra, err := unknownFields(data, activityKnown)
	if err != nil {
		return err
	}
	f.Extra = extra
	*a = refActivity(f)
	return nil
}

func (c *refAccount) convert() *ChannelAccount {
	if c == nil {
		return nil
	}
	v := ChannelAccount(*c)
	return &v
}

func (c *refConversation) convert() *ConversationAccount {
	if c == nil {
		return nil
	}
	v := ConversationAccount(*c)
	return &v
}

func convertAccounts(in []refAccount) []ChannelAccount {
	if in == nil {
		return nil
	}
	out := make([]ChannelAccount, len(in))
	for i, c := range in {
		out[i] = ChannelAccount(c)
	}
	return out
}

func (a *refActivity) convert() Activity {
	out := Activity{
		Type: a.Type, ID: a.ID, Name: a.Name, Timestamp: a.Timestamp, LocalTimestamp: a.LocalTimestamp,
		LocalTimezone: a.LocalTimezone, ServiceURL: a.ServiceURL, ChannelID: a.ChannelID,
		From: a.From.convert(), Conversation: a.Conversation.convert(), Recipient: a.Recipient.convert(),
		TextFormat: a.TextFormat, AttachmentLayout: a.AttachmentLayout,
		MembersAdded: convertAccounts(a.MembersAdded), MembersRemoved: convertAccounts(a.MembersRemoved),
		TopicName: a.TopicName, Locale: a.Locale, Text: a.Text, Summary: a.Summary, InputHint: a.InputHint,
		SuggestedActions: a.SuggestedActions, Attachments: a.Attachments, ChannelData: a.ChannelData,
		Action: a.Action, ReplyToID: a.ReplyToID, Label: a.Label, ValueType: a.ValueType, Value: a.Value,
		Code: a.Code, Importance: a.Importance, DeliveryMode: a.DeliveryMode, CallerID: a.CallerID,
		Extra: a.Extra,
	}
	if a.Entities != nil {
		out.Entities = make([]Entity, len(a.Entities))
		for i, e := range a.Entities {
			out.Entities[i] = Entity{Type: e.Type, Mentioned: e.Mentioned.convert(), Text: e.Text, Locale: e.Locale,
				Country: e.Country, Platform: e.Platform, Timezone: e.Timezone, Extra: e.Extra}
		}
	}
	if r := a.RelatesTo; r != nil {
		out.RelatesTo = &ConversationReference{ActivityID: r.ActivityID, User: r.User.convert(), Bot: r.Bot.convert(),
			Conversation: r.Conversation.convert(), ChannelID: r.ChannelID, ServiceURL: r.ServiceURL, Locale: r.Locale}
	}
	return out
}

// requireSameDecoding decodes data both ways and requires the same outcome:
// both fail, or both succeed with equal activities.
func requireSameDecoding(t *testing.T, data []byte) {
	t.Helper()
	var ref refActivity
	refErr := json.Unmarshal(data, &ref)
	var got Activity
	err := json.Unmarshal(data, &got)
	if refErr != nil {
		require.Error(t, err, "reference fails (%v) on %q", refErr, data)
		return
	}
	require.NoError(t, err, "%q", data)
	require.Equal(t, ref.convert(), got, "%q", data)
	var direct Activity
	require.NoError(t, direct.UnmarshalJSON(data))
	require.Equal(t, got, direct)
}

// decodeCases are the tricky inputs both decodings must agree on.
var decodeCases = []string{
	`{"type":"message","Type":"x","TEXT":"a","text":"b","text":null}`,
	`{"type":"message","from":null,"recipient":{"id":"b","x":[1,{"y":"}"}]},"conversation":{"id":"c","isGroup":true,"isGroup":null,"zz":1}}`,
	`{"type":"message","entities":[null,{"type":"mention","mentioned":{"id":"b","e\u0078":1},"text":"<at>b</at>"},{"type":"clientInfo","locale":"fr"}]}`,
	`{"type":"message","entities":[],"membersAdded":[],"attachments":[]}`,
	`{"type":"message","attachments":[null,{"contentType":"x","content":{"a":[1,2]},"other":1}]}`,
	`{"type":"message","channelData":null,"value":null,"suggestedActions":{"actions":[]}}`,
	`{"type":"message","t\u0065xt":"esc","te\"xt":1,"\ud83d\ude00":"emoji key","text2":"\ud83d\ude00 \u00e9"}`,
	"{\"type\":\"message\",\"text\":\"bad \xff utf8\",\"k\xfe\":1}",
	`{"type":"message","relatesTo":{"activityId":"1","user":{"id":"u","q":1},"bot":null,"conversation":{"id":"c"},"extra":1}}`,
	`{"type":"message","relatesTo":null,"membersRemoved":null,"entities":null}`,
	`  {"type" : "message" , "id" : "1" }  `,
	`null`,
	`{}`,
	`{"type":1}`,
	`{"type":"message","from":"x"}`,
	`{"type":"message","from":[]}`,
	`{"type":"message","conversation":{"isGroup":"yes"}}`,
	`{"type":"message","entities":{}}`,
	`{"type":"message","entities":[1]}`,
	`{"type":"message","attachments":[{"content":1}]}`,
	`{"type":"message",}`,
	`{"type":"message"`,
	`[]`,
	`"x"`,
	`{"type":"message","text":"\u00"}`,
	`{"type":"message","id":-1.5e3}`,
	`{"type":"message","n":-1.5e3,"t":true,"f":false,"z":null,"o":{},"a":[]}`,
}

func TestDecodeMatchesReference(t *testing.T) {
	for _, c := range decodeCases {
		requireSameDecoding(t, []byte(c))
	}
	files, err := filepath.Glob(filepath.Join(fixtureDir, "*.json"))
	require.NoError(t, err)
	n := 0
	for _, path := range files {
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		var c inboundCapture
		if json.Unmarshal(data, &c) == nil && len(c.Body) > 0 {
			requireSameDecoding(t, c.Body)
			n++
		}
	}
	require.Greater(t, n, 10, "inbound fixtures")
}

// TestCodecsCoverKnownFields: every JSON name a type decodes by reflection
// has a function in its codec, and nothing else.
func TestCodecsCoverKnownFields(t *testing.T) {
	tests := []struct {
		name  string
		known knownFields
		codec []string
	}{
		{"activity", activityKnown, activityCodec.names},
		{"account", channelAccountKnown, channelAccountCodec.names},
		{"conversation", conversationAccountKnown, conversationAccountCodec.names},
		{"entity", entityKnown, entityCodec.names},
		{"attachment", newKnownFields(Attachment{}), attachmentCodec.names},
		{"reference", newKnownFields(ConversationReference{}), conversationReferenceCodec.names},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.ElementsMatch(t, tt.known.names, tt.codec)
		})
	}
}

func FuzzDecodeMatchesReference(f *testing.F) {
	for _, c := range decodeCases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		requireSameDecoding(t, data)
	})
}

func BenchmarkDecodeActivity(b *testing.B) {
	data, err := os.ReadFile(filepath.Join(fixtureDir, "channel-message-with-mention.json"))
	require.NoError(b, err)
	var c inboundCapture
	require.NoError(b, json.Unmarshal(data, &c))
	body := []byte(c.Body)
	b.Run("onepass", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			var a Activity
			if err := a.UnmarshalJSON(body); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("reference", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			var a refActivity
			if err := a.UnmarshalJSON(body); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// unknownFields returns the top-level keys of the JSON object data that are
// not known fields, or nil when there are none. data must already have been
// decoded successfully (it is valid JSON); the scan only allocates for
// unknown keys. Anything other than an object yields nil.
func unknownFields(data []byte, known knownFields) (map[string]json.RawMessage, error) {
	i := skipSpace(data, 0)
	if i >= len(data) || data[i] != '{' {
		return nil, nil
	}
	var out map[string]json.RawMessage
	i++
	for {
		i = skipSpace(data, i)
		if i >= len(data) {
			return nil, errTruncated
		}
		if data[i] == '}' {
			return out, nil
		}
		if data[i] == ',' {
			i = skipSpace(data, i+1)
		}
		keyStart := i
		keyEnd, err := skipString(data, i)
		if err != nil {
			return nil, err
		}
		rawKey := data[keyStart:keyEnd]
		i = skipSpace(data, keyEnd)
		if i >= len(data) || data[i] != ':' {
			return nil, errTruncated
		}
		valStart := skipSpace(data, i+1)
		valEnd, err := skipValue(data, valStart)
		if err != nil {
			return nil, err
		}
		i = valEnd
		key := string(rawKey[1 : len(rawKey)-1])
		if bytes.IndexByte(rawKey, '\\') >= 0 || !utf8.Valid(rawKey) {
			if err := json.Unmarshal(rawKey, &key); err != nil {
				return nil, err
			}
		}
		if known.has(key) {
			continue
		}
		if out == nil {
			out = map[string]json.RawMessage{}
		}
		out[key] = append(json.RawMessage(nil), data[valStart:valEnd]...)
	}
}

// TestChannelDataTenantID: where the whole TeamsChannelData decodes, the
// tenant-only decoding gives its tenant; a broken tenant is an error.
func TestChannelDataTenantID(t *testing.T) {
	cases := []struct {
		data    string
		want    string
		wantErr bool
	}{
		{data: ``},
		{data: `null`},
		{data: `{}`},
		{data: `{"tenant":null}`},
		{data: `{"tenant":{"id":"t1"},"team":{"id":"x"},"eventType":"teamRenamed"}`, want: "t1"},
		{data: `{"Tenant":{"ID":"t2"}}`, want: "t2"},
		{data: `{"tenant":{"id":"t1"},"tenant":{"id":"t3"}}`, want: "t3"},
		{data: `{"tenant":{"id":"\u0074"}}`, want: "t"},
		{data: `{"tenant":"t1"}`, wantErr: true},
		{data: `{"tenant":{"id":1}}`, wantErr: true},
		{data: `[]`, wantErr: true},
		{data: `{"tenant":`, wantErr: true},
	}
	for _, c := range cases {
		a := &Activity{ChannelData: json.RawMessage(c.data)}
		got, err := a.ChannelDataTenantID()
		if c.wantErr {
			require.Error(t, err, c.data)
			continue
		}
		require.NoError(t, err, c.data)
		require.Equal(t, c.want, got, c.data)
	}
	files, err := filepath.Glob(filepath.Join(fixtureDir, "*.json"))
	require.NoError(t, err)
	for _, path := range files {
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		var c inboundCapture
		var a Activity
		if json.Unmarshal(data, &c) != nil || len(c.Body) == 0 || json.Unmarshal(c.Body, &a) != nil {
			continue
		}
		cd, err := a.TeamsChannelData()
		require.NoError(t, err)
		got, err := a.ChannelDataTenantID()
		require.NoError(t, err)
		if cd.Tenant == nil {
			require.Empty(t, got, path)
		} else {
			require.Equal(t, cd.Tenant.ID, got, path)
		}
	}
}

// FuzzScanMatchesValid: scanValue accepts exactly what json.Valid accepts.
func FuzzScanMatchesValid(f *testing.F) {
	for _, c := range decodeCases {
		f.Add([]byte(c))
	}
	for _, c := range []string{`01`, `-`, `1.`, `1e`, `1e+`, `-0.5E-3`, `"\u12"`, `"\x"`, "\"\x01\"", `[1,]`, `{"a"}`, `{"a":1,}`, `[[]]`, `tru`, `nul`, ` 1 `} {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		i := skipSpace(data, 0)
		end, err := scanValue(data, i, 0)
		ok := err == nil && skipSpace(data, end) == len(data)
		require.Equal(t, json.Valid(data), ok, "%q", data)
	})
}

func TestScanDepth(t *testing.T) {
	for _, n := range []int{maxDepth, maxDepth + 1} {
		data := []byte(strings.Repeat("[", n) + strings.Repeat("]", n))
		_, err := scanValue(data, 0, 0)
		require.Equal(t, json.Valid(data), err == nil, n)
	}
}

// TestAppendActivityMatchesReflection: the direct encoder writes the same
// bytes as encoding/json, and leaves to it what it does not handle.
func TestAppendActivityMatchesReflection(t *testing.T) {
	card := json.RawMessage(" {\"type\":\"AdaptiveCard\",\"body\":[{\"text\":\"a < b & c\"}]}\n")
	acc := &ChannelAccount{ID: "29:u", Name: "Zoë <admin> & \"co\"", AADObjectID: "x", TenantID: "t"}
	in := &Activity{Type: "message", ID: "1", ChannelID: "msteams", ServiceURL: "https://smba.example/amer/", Locale: "fr-FR",
		From: acc, Recipient: &ChannelAccount{ID: "28:b", Name: "Bot"},
		Conversation: &ConversationAccount{ID: "19:c;messageid=1", IsGroup: true, ConversationType: "channel", TenantID: "t"}}
	cases := []*Activity{
		{},
		{Type: "typing"},
		in.NewReply("hello \u2028 \xff wörld\n\t", NewAdaptiveCardAttachment(card)),
		in.NewReply("", NewAdaptiveCardAttachment(card), Attachment{ContentType: "image/png", ContentURL: "https://x/a.png?a=1&b=2", Name: "a.png", ThumbnailURL: "t"}),
		in.NewReply("x", Attachment{ContentType: "x", Content: json.RawMessage(`"s"`)}),
		{Type: "message", Attachments: []Attachment{{ContentType: "x", Content: json.RawMessage(`{"a":`)}}},
		{Type: "message", Attachments: []Attachment{{ContentType: "x", Content: json.RawMessage(" \u00a0{}")}}},
		{Type: "message", Extra: map[string]json.RawMessage{"z": json.RawMessage(`1`)}},
		{Type: "message", From: &ChannelAccount{ID: "a", Extra: map[string]json.RawMessage{"z": json.RawMessage(`1`)}}},
		{Type: "message", Conversation: &ConversationAccount{ID: "a", Extra: map[string]json.RawMessage{"z": json.RawMessage(`1`)}}},
		{Type: "message", Entities: []Entity{{Type: "mention"}}, ChannelData: json.RawMessage(`{"a":1}`)},
		{Type: "message", Value: json.RawMessage(`{"a":"<"}`), SuggestedActions: json.RawMessage(`{}`), RelatesTo: &ConversationReference{ActivityID: "1"}},
		{Type: "event", Name: "n", Timestamp: "ts", LocalTimestamp: "lt", LocalTimezone: "tz", TextFormat: "plain", AttachmentLayout: "list",
			TopicName: "topic", Summary: "s", InputHint: "i", Action: "a", ReplyToID: "r", Label: "l", ValueType: "v", Code: "c",
			Importance: "high", DeliveryMode: "normal", CallerID: "cid"},
	}
	for i, a := range cases {
		want, wantErr := a.marshalReflect()
		got, err := a.MarshalJSON()
		if wantErr != nil {
			require.Error(t, err, i)
			continue
		}
		require.NoError(t, err, i)
		require.Equal(t, string(want), string(got), i)
		appended, err := a.AppendJSON([]byte("prefix"))
		require.NoError(t, err, i)
		require.Equal(t, "prefix"+string(want), string(appended), i)
	}
	_, ok := appendActivity(nil, cases[2])
	require.True(t, ok, "a reply takes the direct path")
}

func BenchmarkMarshalReply(b *testing.B) {
	card := json.RawMessage(`{"type":"AdaptiveCard","version":"1.5","body":[` + strings.Repeat(`{"type":"TextBlock","text":"Data handling: yes"},`, 60) + `{"type":"TextBlock","text":"end"}]}`)
	in := &Activity{Type: "message", ID: "1", ChannelID: "msteams", ServiceURL: "https://smba.example/amer/", Locale: "en-US",
		From:         &ChannelAccount{ID: "29:u", Name: "Perf User", AADObjectID: "6b1c0b6e-3f1a-4d55-9a9b-2f0c5f7d9e11"},
		Recipient:    &ChannelAccount{ID: "28:b", Name: "PerfBot"},
		Conversation: &ConversationAccount{ID: "19:perfchannel0123456789abcdef@thread.tacv2;messageid=1", IsGroup: true, ConversationType: "channel", TenantID: "t"}}
	reply := in.NewReply("", NewAdaptiveCardAttachment(card))
	b.Run("direct", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := reply.MarshalJSON(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("reflection", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := reply.marshalReflect(); err != nil {
				b.Fatal(err)
			}
		}
	})
}
