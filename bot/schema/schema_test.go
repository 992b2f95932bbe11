package schema

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// fixtureDir holds the real Agents Playground captures.
const fixtureDir = "../testdata/playground"

type inboundCapture struct {
	Method  string            `json:"method"`
	URL     string            `json:"url"`
	Headers map[string]string `json:"headers"`
	Body    json.RawMessage   `json:"body"`
}

type connectorExchange struct {
	Request struct {
		Method string          `json:"method"`
		URL    string          `json:"url"`
		Body   json.RawMessage `json:"body"`
	} `json:"request"`
	Response struct {
		Status int             `json:"status"`
		Body   json.RawMessage `json:"body"`
	} `json:"response"`
}

// wsFrame is a Playground websocket frame; its message reuses the Bot
// Framework account and attachment types.
type wsFrame struct {
	Action  string `json:"action"`
	Message struct {
		From        ChannelAccount `json:"from"`
		Text        string         `json:"text"`
		Attachments []Attachment   `json:"attachments"`
		MessageID   string         `json:"messageId"`
	} `json:"message"`
}

func fixtureFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(fixtureDir, "*.json"))
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(files), 50, "fixtures missing")
	return files
}

// requireActivityRoundTrip decodes raw as an activity, checks that encoding
// it gives semantically the same JSON, and returns it.
func requireActivityRoundTrip(t *testing.T, raw json.RawMessage) Activity {
	t.Helper()
	var a Activity
	require.NoError(t, json.Unmarshal(raw, &a))
	out, err := json.Marshal(a)
	require.NoError(t, err)
	require.JSONEq(t, string(raw), string(out))
	return a
}

func decodeConnectorExchange(t *testing.T, x connectorExchange) {
	t.Helper()
	req := x.Request
	switch {
	case req.Method == "POST" && strings.HasSuffix(req.URL, "/v3/conversations"):
		var p ConversationParameters
		require.NoError(t, json.Unmarshal(req.Body, &p))
		require.NotNil(t, p.Bot)
		require.NotEmpty(t, p.Members)
		require.NotEmpty(t, p.TenantID)
		out, err := json.Marshal(p)
		require.NoError(t, err)
		require.JSONEq(t, string(req.Body), string(out))
	case req.Method == "POST" || req.Method == "PUT":
		a := requireActivityRoundTrip(t, req.Body)
		require.Equal(t, ActivityTypeMessage, a.Type)
	}
	body := x.Response.Body
	if len(body) == 0 || string(body) == `""` || string(body) == "null" {
		return
	}
	switch {
	case x.Response.Status >= 400:
		var e ErrorResponse
		require.NoError(t, json.Unmarshal(body, &e))
		require.NotEmpty(t, e.Error.Code)
	case strings.HasSuffix(req.URL, "/members"):
		var members []ChannelAccount
		require.NoError(t, json.Unmarshal(body, &members))
		require.NotEmpty(t, members)
		require.NotEmpty(t, members[0].EntraObjectID())
	case strings.Contains(req.URL, "/members/"):
		var m ChannelAccount
		require.NoError(t, json.Unmarshal(body, &m))
		require.NotEmpty(t, m.EntraObjectID())
	case strings.HasSuffix(req.URL, "/pagedmembers"):
		var p struct {
			Members []ChannelAccount `json:"members"`
		}
		require.NoError(t, json.Unmarshal(body, &p))
		require.NotEmpty(t, p.Members)
	default:
		var r ResourceResponse
		require.NoError(t, json.Unmarshal(body, &r))
		require.NotEmpty(t, r.ID)
	}
}

func TestFixtures_DecodeEveryFile(t *testing.T) {
	for _, path := range fixtureFiles(t) {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(path)
			require.NoError(t, err)
			var probe map[string]json.RawMessage
			isObject := json.Unmarshal(data, &probe) == nil
			switch {
			case !isObject:
				var xs []connectorExchange
				require.NoError(t, json.Unmarshal(data, &xs))
				require.NotEmpty(t, xs)
				for _, x := range xs {
					decodeConnectorExchange(t, x)
				}
			case probe["method"] != nil:
				var c inboundCapture
				require.NoError(t, json.Unmarshal(data, &c))
				require.Equal(t, "POST", c.Method)
				a := requireActivityRoundTrip(t, c.Body)
				require.NotEmpty(t, a.Type)
				require.Equal(t, "msteams", a.ChannelID)
				require.NotEmpty(t, a.ServiceURL)
				cd, err := a.TeamsChannelData()
				require.NoError(t, err)
				require.Equal(t, "00000000-0000-0000-0000-0000000000001", cd.Tenant.ID)
			case probe["request"] != nil:
				var x connectorExchange
				require.NoError(t, json.Unmarshal(data, &x))
				decodeConnectorExchange(t, x)
			case probe["actionConversationId"] != nil:
				var f wsFrame
				require.NoError(t, json.Unmarshal(data, &f))
				require.Equal(t, "createMessage", f.Action)
				require.NotEmpty(t, f.Message.From.ID)
			case probe["messageId"] != nil:
				var r struct {
					MessageID string `json:"messageId"`
				}
				require.NoError(t, json.Unmarshal(data, &r))
				require.NotEmpty(t, r.MessageID)
			case probe["type"] != nil && probe["value"] != nil:
				// The Playground relays an invoke response without statusCode.
				var r AdaptiveCardInvokeResponse
				require.NoError(t, json.Unmarshal(data, &r))
				require.Equal(t, InvokeResponseTypeAdaptiveCard, r.Type)
			case probe["type"] != nil:
				a := requireActivityRoundTrip(t, data)
				require.Equal(t, ActivityTypeConversationUpdate, a.Type)
			default:
				t.Fatalf("unclassified fixture %s", name)
			}
		})
	}
}

func loadActivity(t *testing.T, name string) Activity {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(fixtureDir, name))
	require.NoError(t, err)
	var c inboundCapture
	require.NoError(t, json.Unmarshal(data, &c))
	var a Activity
	require.NoError(t, json.Unmarshal(c.Body, &a))
	return a
}

func TestActivity_Accessors(t *testing.T) {
	const botID = "00000000-0000-0000-0000-00000000000011"
	t.Run("channel mention", func(t *testing.T) {
		a := loadActivity(t, "channel-message-with-mention.json")
		require.Equal(t, "hi channel", a.TextWithoutMentionOf(botID))
		require.Equal(t, "<at>Test Bot</at> hi channel", a.TextWithoutMentionOf("someone-else"))
		cd, err := a.TeamsChannelData()
		require.NoError(t, err)
		require.Equal(t, "team-id", cd.Team.ID)
		require.Equal(t, "team-id", cd.TeamsChannelID)
		require.False(t, a.Conversation.IsPersonal())
	})
	t.Run("submit", func(t *testing.T) {
		a := loadActivity(t, "action-submit-message-with-value.json")
		require.True(t, a.HasValueObject())
		require.Empty(t, a.Text)
		require.Equal(t, "1795782414563-7bf0c872", a.ReplyToID)
	})
	t.Run("execute", func(t *testing.T) {
		a := loadActivity(t, "action-execute-invoke-adaptiveCard_action.json")
		require.True(t, a.IsInvoke())
		v, err := a.AdaptiveCardInvokeValue()
		require.NoError(t, err)
		require.Equal(t, ActionTypeExecute, v.Action.Type)
		require.Equal(t, "doThing", v.Action.Verb)
		require.JSONEq(t, `{"kind":"execute","y":2,"comment":"hello from card"}`, string(v.Action.Data))
	})
	t.Run("query", func(t *testing.T) {
		a := loadActivity(t, "invoke-composeExtension_query.json")
		q, err := a.MessagingExtensionQuery()
		require.NoError(t, err)
		require.Equal(t, "search", q.CommandID)
		v, ok := q.Param("q")
		require.True(t, ok)
		require.Equal(t, "abc", v)
		require.Equal(t, 25, q.QueryOptions.Count)
		_, ok = q.Param("missing")
		require.False(t, ok)
		cd, err := a.TeamsChannelData()
		require.NoError(t, err)
		require.Equal(t, "compose", cd.Source.Name)
	})
	t.Run("install", func(t *testing.T) {
		a := loadActivity(t, "installationUpdate.json")
		require.Equal(t, InstallActionAdd, a.Action)
		cd, err := a.TeamsChannelData()
		require.NoError(t, err)
		require.Equal(t, a.Conversation.ID, cd.Settings.SelectedChannel.ID)
		require.True(t, a.Conversation.IsPersonal())
	})
	t.Run("conversation update", func(t *testing.T) {
		a := loadActivity(t, "conversationUpdate-membersAdded.json")
		require.True(t, a.MembersAddedInclude(botID))
		require.True(t, a.MembersAddedInclude("user-id-0"))
		ref := a.ConversationReference()
		require.Equal(t, a.ServiceURL, ref.ServiceURL)
		require.Equal(t, botID, ref.Bot.ID)
		require.Equal(t, "user-id-0", ref.User.ID)
	})
	t.Run("no value", func(t *testing.T) {
		a := loadActivity(t, "message.json")
		_, err := a.AdaptiveCardInvokeValue()
		require.ErrorIs(t, err, ErrNoValue)
		require.False(t, a.HasValueObject())
	})
}

func TestActivity_NewReplyMatchesPlaygroundReply(t *testing.T) {
	a := loadActivity(t, "007-in-message.json")
	r := a.NewReply("echo: hello playground")
	require.Equal(t, a.Recipient, r.From)
	require.Equal(t, a.From, r.Recipient)
	require.Equal(t, a.ID, r.ReplyToID)
	require.Equal(t, a.Conversation, r.Conversation)
	require.Equal(t, ActivityTypeMessage, r.Type)
}

func TestActivity_UnknownFieldsKept(t *testing.T) {
	in := `{"type":"message","text":"x","futureField":{"a":[1,2]},"from":{"id":"u","newProp":true},` +
		`"conversation":{"id":"c","flag":1},"entities":[{"type":"streaminfo","streamId":"s"}]}`
	var a Activity
	require.NoError(t, json.Unmarshal([]byte(in), &a))
	require.JSONEq(t, `{"a":[1,2]}`, string(a.Extra["futureField"]))
	require.JSONEq(t, `true`, string(a.From.Extra["newProp"]))
	out, err := json.Marshal(a)
	require.NoError(t, err)
	require.JSONEq(t, in, string(out))

	// Extra never shadows a modelled field, and a bad raw value is an error.
	a.Extra["text"] = json.RawMessage(`"shadow"`)
	out, err = json.Marshal(a)
	require.NoError(t, err)
	require.NotContains(t, string(out), "shadow")
	a.Extra["bad"] = json.RawMessage(`{`)
	_, err = json.Marshal(a)
	require.Error(t, err)
}

func TestActivity_CaseInsensitiveKeysNotDuplicated(t *testing.T) {
	var a Activity
	require.NoError(t, json.Unmarshal([]byte(`{"Type":"message","TEXT":"hi"}`), &a))
	require.Equal(t, "message", a.Type)
	require.Equal(t, "hi", a.Text)
	require.Empty(t, a.Extra)
}

func TestInvokeResponses_Encode(t *testing.T) {
	tests := []struct {
		name string
		give any
		want string
	}{
		{name: "card", give: NewCardInvokeResponse(json.RawMessage(`{"type":"AdaptiveCard"}`)),
			want: `{"statusCode":200,"type":"application/vnd.microsoft.card.adaptive","value":{"type":"AdaptiveCard"}}`},
		{name: "error", give: NewErrorInvokeResponse(400, "BadRequest", "no"),
			want: `{"statusCode":400,"type":"application/vnd.microsoft.error","value":{"code":"BadRequest","message":"no"}}`},
		{name: "search message", give: NewSearchMessageResponse("too slow"),
			want: `{"composeExtension":{"type":"message","text":"too slow"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := json.Marshal(tt.give)
			require.NoError(t, err)
			require.JSONEq(t, tt.want, string(out))
		})
	}
}

func TestMention_Removed(t *testing.T) {
	text := "<at>Alex</at>"
	e := Entity{Type: EntityTypeMention, Mentioned: &ChannelAccount{ID: "29:u", Name: "Alex"}, Text: text}
	a := Activity{Type: ActivityTypeMessage, Text: text + " hello", Entities: []Entity{e}}
	require.Equal(t, "hello", a.TextWithoutMentionOf("29:u"))
}

func TestUnknownFields_MatchesMapDecoding(t *testing.T) {
	inputs := []string{
		`{"type":"m","a\"b":1,"\u0074ext":"x","n":null,"arr":[1,{"x":"]}"}],"s":"a\\\"}","num":-1.5e3 , "t" : true}`,
		`  { }  `,
		`null`,
		`{"type":"m"}`,
	}
	for _, in := range inputs {
		got, err := unknownFields([]byte(in), activityKnown)
		require.NoError(t, err)
		var all map[string]json.RawMessage
		require.NoError(t, json.Unmarshal([]byte(in), &all))
		want := map[string]json.RawMessage{}
		for k, v := range all {
			if !activityKnown.has(k) {
				want[k] = v
			}
		}
		require.Len(t, got, len(want), in)
		for k, v := range want {
			require.JSONEq(t, string(v), string(got[k]), in)
		}
	}
}

func TestActivityMarshalAttachments(t *testing.T) {
	card := json.RawMessage(` {"type": "AdaptiveCard", "version": "1.5", "body": [{"type": "TextBlock", "text": "a < b"}]} `)
	tests := []struct {
		name    string
		act     Activity
		want    string
		wantErr string
	}{
		{name: "no attachments", act: Activity{Type: "message", Text: "hi"}, want: `{"type":"message","text":"hi"}`},
		{name: "card and link", act: Activity{Type: "message", Attachments: []Attachment{
			NewAdaptiveCardAttachment(card),
			{ContentType: "image/png", ContentURL: "https://example.com/a.png", Name: "a.png"},
		}, Extra: map[string]json.RawMessage{"zz": json.RawMessage(`1`)}},
			want: `{"type":"message","attachments":[{"contentType":"application/vnd.microsoft.card.adaptive","content":` + string(card) + `},` +
				`{"contentType":"image/png","contentUrl":"https://example.com/a.png","name":"a.png"}],"zz":1}`},
		{name: "content not an object", act: Activity{Type: "message", Attachments: []Attachment{{ContentType: "x", Content: json.RawMessage(`{"a":`)}}},
			wantErr: "attachment 0: content is not a JSON object"},
		{name: "content a number", act: Activity{Type: "message", Attachments: []Attachment{{ContentType: "x", Content: json.RawMessage(`12`)}}},
			wantErr: "attachment 0: content is not a JSON object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(tt.act)
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			require.JSONEq(t, tt.want, string(b))
			var back Activity
			require.NoError(t, json.Unmarshal(b, &back))
			require.Len(t, back.Attachments, len(tt.act.Attachments))
			for i, at := range tt.act.Attachments {
				require.Equal(t, at.ContentType, back.Attachments[i].ContentType)
				if len(at.Content) > 0 {
					require.JSONEq(t, string(at.Content), string(back.Attachments[i].Content))
				}
			}
		})
	}
}

func TestIsJSONObject(t *testing.T) {
	tests := []struct {
		name string
		data string
		want bool
	}{
		{"empty", "", false},
		{"object", `{"a":1}`, true},
		{"object after white space", " \t\r\n{}", true},
		{"array", `[{}]`, false},
		{"string", `"{"`, false},
		{"only space", "   ", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, IsJSONObject([]byte(tt.data)))
		})
	}
}
