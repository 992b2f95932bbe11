package bot

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/bot/schema"
)

// fullRouter registers one handler per family; each records its route name.
func fullRouter(got *[]string) *Router {
	rec := func(name string) MessageFunc {
		return func(context.Context, *Turn) error { *got = append(*got, name); return nil }
	}
	r := NewRouter()
	r.OnDefaultMessage(rec("default"))
	r.OnDefaultSubmit(rec("submit.default"))
	r.OnDefaultCardAction(func(_ context.Context, _ *Turn, a schema.AdaptiveCardAction) (*schema.AdaptiveCardInvokeResponse, error) {
		*got = append(*got, "card."+a.Verb)
		return nil, nil
	})
	r.OnQuery(func(context.Context, *Turn, schema.MessagingExtensionQuery) (*schema.MessagingExtensionResponse, error) {
		*got = append(*got, "query")
		return nil, nil
	})
	r.OnQueryLink(func(context.Context, *Turn, schema.AppBasedLinkQuery) (*schema.MessagingExtensionResponse, error) {
		*got = append(*got, "queryLink")
		return nil, nil
	})
	r.OnWelcome(rec("welcome"))
	return r
}

func TestRouter_SelectPlaygroundFixtures(t *testing.T) {
	tests := []struct {
		fixture      string
		patch        map[string]any
		expectRoute  string
		expectCalled []string
	}{
		{fixture: "message.json", expectRoute: "message.default", expectCalled: []string{"default"}},
		{fixture: "007-in-message.json", expectRoute: "message.default", expectCalled: []string{"default"}},
		{fixture: "message.json", patch: map[string]any{"text": "help me"}, expectRoute: "message.default", expectCalled: []string{"default"}},
		{fixture: "channel-message-with-mention.json", patch: map[string]any{"text": "<at>Test Bot</at> greet world"},
			expectRoute: "message.default", expectCalled: []string{"default"}},
		{fixture: "groupchat-message-with-mention.json", expectRoute: "message.default", expectCalled: []string{"default"}},
		{fixture: "action-submit-message-with-value.json", expectRoute: "submit.default", expectCalled: []string{"submit.default"}},
		{fixture: "009-in-message-submit.json", patch: map[string]any{"value": map[string]any{"verb": "subscribe", "app": "plumm"}},
			expectRoute: "submit.default", expectCalled: []string{"submit.default"}},
		{fixture: "action-execute-invoke-adaptiveCard_action.json", expectRoute: "cardAction", expectCalled: []string{"card.doThing"}},
		{fixture: "018-in-invoke-adaptiveCard_action.json", patch: map[string]any{"value": map[string]any{
			"action": map[string]any{"type": "Action.Execute", "verb": "other"}}}, expectRoute: "cardAction", expectCalled: []string{"card.other"}},
		{fixture: "invoke-composeExtension_query.json", expectRoute: "query", expectCalled: []string{"query"}},
		{fixture: "024-in-invoke-composeExtension_query.json", patch: map[string]any{"name": "composeExtension/queryLink",
			"value": map[string]any{"url": "https://appsource.microsoft.com/product/office/WA200003326"}},
			expectRoute: "queryLink", expectCalled: []string{"queryLink"}},
		{fixture: "conversationUpdate-membersAdded.json", expectRoute: "welcome", expectCalled: []string{"welcome"}},
		{fixture: "conversationUpdate-botAdded-mock.json", expectRoute: "welcome", expectCalled: []string{"welcome"}},
	}
	for _, tt := range tests {
		name := tt.fixture
		if tt.patch != nil {
			name += "+patch"
		}
		t.Run(name, func(t *testing.T) {
			var got []string
			r := fullRouter(&got)
			body := fixtureBody(t, tt.fixture)
			for k, v := range tt.patch {
				body = withField(t, body, k, v)
			}
			var a schema.Activity
			require.NoError(t, json.Unmarshal(body, &a))
			route, ok := r.Select(&a)
			require.True(t, ok)
			require.Equal(t, tt.expectRoute, route.Name)
			_, err := route.Handler(t.Context(), NewTurn(&a, nil, nil))
			require.NoError(t, err)
			require.Equal(t, tt.expectCalled, got)
		})
	}
}

func TestRouter_SelectNoRoute(t *testing.T) {
	r := NewRouter()
	for _, f := range []string{"message.json", "action-submit-message-with-value.json", "invoke-composeExtension_query.json",
		"action-execute-invoke-adaptiveCard_action.json", "installationUpdate.json", "conversationUpdate-membersAdded.json"} {
		_, ok := r.Select(fixtureActivity(t, f))
		require.False(t, ok, f)
	}
	_, ok := r.Select(nil)
	require.False(t, ok)
	// Only the welcome routes a conversation update; installation updates
	// and other activity types have no route (the bot still stores the
	// conversation reference).
	var got []string
	full := fullRouter(&got)
	for _, a := range []*schema.Activity{
		fixtureActivity(t, "installationUpdate.json"),
		patched(t, "conversationUpdate-membersAdded.json", "membersAdded", []any{map[string]any{"id": "user-id-9"}}),
		patched(t, "message.json", "type", "messageReaction"),
		patched(t, "invoke-composeExtension_query.json", "name", "custom/x"),
	} {
		_, ok := full.Select(a)
		require.False(t, ok, a.Type)
	}
	require.Empty(t, got)
	// A submit without submit routes is not treated as a text message.
	r.OnDefaultMessage(func(context.Context, *Turn) error { return nil })
	_, ok = r.Select(fixtureActivity(t, "action-submit-message-with-value.json"))
	require.False(t, ok)
}

func TestRouter_RegistrationPanics(t *testing.T) {
	tests := []struct {
		name string
		when func(r *Router)
	}{
		{name: "nil message handler", when: func(r *Router) { r.OnDefaultMessage(nil) }},
		{name: "nil submit handler", when: func(r *Router) { r.OnDefaultSubmit(nil) }},
		{name: "nil card action handler", when: func(r *Router) { r.OnDefaultCardAction(nil) }},
		{name: "nil query handler", when: func(r *Router) { r.OnQuery(nil) }},
		{name: "nil query link handler", when: func(r *Router) { r.OnQueryLink(nil) }},
		{name: "nil welcome handler", when: func(r *Router) { r.OnWelcome(nil) }},
		{name: "nil middleware", when: func(r *Router) { r.Use(nil) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Panics(t, func() { tt.when(NewRouter()) })
		})
	}
}

func TestCardAction_EndToEnd(t *testing.T) {
	card := json.RawMessage(`{"type":"AdaptiveCard","version":"1.5","body":[{"type":"TextBlock","text":"done"}]}`)
	r := NewRouter()
	r.OnDefaultCardAction(func(_ context.Context, t *Turn, a schema.AdaptiveCardAction) (*schema.AdaptiveCardInvokeResponse, error) {
		if a.Verb != "doThing" {
			return nil, nil
		}
		var data struct {
			Comment string `json:"comment"`
		}
		if err := json.Unmarshal(a.Data, &data); err != nil {
			return nil, err
		}
		return schema.NewCardInvokeResponse(map[string]any{"card": card, "comment": data.Comment, "from": t.Activity.From.ID}), nil
	})
	h := newHarness(t, Config{}, r)
	tests := []struct {
		name         string
		whenBody     []byte
		expectStatus int
		expectBody   string
	}{
		{name: "ok, card with the action's data", whenBody: fixtureBody(t, "010-in-invoke-adaptiveCard_action.json"), expectStatus: 200,
			expectBody: `{"statusCode":200,"type":"application/vnd.microsoft.card.adaptive","value":{"card":{"type":"AdaptiveCard","version":"1.5",
			"body":[{"type":"TextBlock","text":"done"}]},"comment":"hello from card","from":"user-id-0"}}`},
		{name: "ok, nil response is 200 without body",
			whenBody: withField(t, fixtureBody(t, "010-in-invoke-adaptiveCard_action.json"), "value",
				map[string]any{"action": map[string]any{"type": "Action.Execute", "verb": "nope"}}), expectStatus: 200},
		{name: "nok, Action.Submit type is NotSupported",
			whenBody: withField(t, fixtureBody(t, "010-in-invoke-adaptiveCard_action.json"), "value",
				map[string]any{"action": map[string]any{"type": "Action.Submit", "verb": "doThing"}}), expectStatus: 200,
			expectBody: `{"statusCode":400,"type":"application/vnd.microsoft.error","value":{"code":"NotSupported","message":"only Action.Execute is supported"}}`},
		{name: "nok, missing value is BadRequest",
			whenBody: withField(t, fixtureBody(t, "010-in-invoke-adaptiveCard_action.json"), "value", nil), expectStatus: 200,
			expectBody: `{"statusCode":400,"type":"application/vnd.microsoft.error","value":{"code":"BadRequest","message":"missing or invalid action value"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := h.post(t, tt.whenBody)
			require.Equal(t, tt.expectStatus, rec.Code)
			if tt.expectBody == "" {
				require.Empty(t, rec.Body.String())
				return
			}
			require.JSONEq(t, tt.expectBody, rec.Body.String())
		})
	}
}

func TestQuery_EndToEnd(t *testing.T) {
	r := NewRouter()
	r.OnQuery(func(_ context.Context, _ *Turn, q schema.MessagingExtensionQuery) (*schema.MessagingExtensionResponse, error) {
		text, _ := q.Param("q")
		preview, err := json.Marshal(schema.ThumbnailCard{Title: q.CommandID + ":" + text})
		if err != nil {
			return nil, err
		}
		att := schema.MessagingExtensionAttachment{
			Attachment: schema.NewAdaptiveCardAttachment(json.RawMessage(`{"type":"AdaptiveCard","version":"1.5"}`)),
			Preview:    &schema.Attachment{ContentType: schema.ContentTypeThumbnailCard, Content: preview},
		}
		return &schema.MessagingExtensionResponse{ComposeExtension: &schema.MessagingExtensionResult{
			Type: schema.MessagingExtensionResultTypeResult, AttachmentLayout: "list",
			Attachments: []schema.MessagingExtensionAttachment{att}}}, nil
	})
	r.OnQueryLink(func(_ context.Context, _ *Turn, q schema.AppBasedLinkQuery) (*schema.MessagingExtensionResponse, error) {
		return schema.NewSearchMessageResponse("unfurl " + q.URL), nil
	})
	h := newHarness(t, Config{}, r)
	rec := h.post(t, fixtureBody(t, "024-in-invoke-composeExtension_query.json"))
	require.Equal(t, 200, rec.Code)
	require.JSONEq(t, `{"composeExtension":{"type":"result","attachmentLayout":"list","attachments":[
	  {"contentType":"application/vnd.microsoft.card.adaptive","content":{"type":"AdaptiveCard","version":"1.5"},
	   "preview":{"contentType":"application/vnd.microsoft.card.thumbnail","content":{"title":"search:abc"}}}]}}`, rec.Body.String())

	link := withField(t, withField(t, fixtureBody(t, "invoke-composeExtension_query.json"), "name", "composeExtension/queryLink"),
		"value", map[string]any{"url": "https://teams.microsoft.com/l/app/x"})
	rec = h.post(t, link)
	require.Equal(t, 200, rec.Code)
	require.JSONEq(t, `{"composeExtension":{"type":"message","text":"unfurl https://teams.microsoft.com/l/app/x"}}`, rec.Body.String())

	bad := withField(t, link, "value", map[string]any{"url": ""})
	require.Equal(t, 400, h.post(t, bad).Code)
	badQuery := withField(t, fixtureBody(t, "invoke-composeExtension_query.json"), "value", "not an object")
	require.Equal(t, 400, h.post(t, badQuery).Code)
}

func TestMessageAndSubmit_RepliesThroughConnector(t *testing.T) {
	r := NewRouter()
	r.OnDefaultMessage(func(ctx context.Context, t *Turn) error {
		_, err := t.Reply(ctx, "echo: "+t.Text(),
			schema.NewAdaptiveCardAttachment(json.RawMessage(`{"type":"AdaptiveCard","version":"1.5"}`)))
		return err
	})
	r.OnDefaultSubmit(func(ctx context.Context, t *Turn) error {
		_, err := t.Reply(ctx, "submit received: "+string(t.Activity.Value))
		return err
	})
	h := newHarness(t, Config{}, r)

	in := fixtureActivity(t, "007-in-message.json")
	require.Equal(t, 200, h.post(t, fixtureBody(t, "007-in-message.json")).Code)
	reply := h.conn.next(t)
	require.Equal(t, "reply", reply.Op)
	require.Equal(t, in.ServiceURL, reply.ServiceURL)
	require.Equal(t, in.Conversation.ID, reply.ConversationID)
	require.Equal(t, in.ID, reply.ActivityID)
	// Same shape as the reply the Playground captured (008-connector-reply.json).
	require.Equal(t, "echo: hello playground", reply.Activity.Text)
	require.Equal(t, playgroundBot, reply.Activity.From.ID)
	require.Equal(t, "user-id-0", reply.Activity.Recipient.ID)
	require.Equal(t, in.ID, reply.Activity.ReplyToID)
	require.Equal(t, schema.ContentTypeAdaptiveCard, reply.Activity.Attachments[0].ContentType)

	require.Equal(t, 200, h.post(t, fixtureBody(t, "009-in-message-submit.json")).Code)
	sub := h.conn.next(t)
	require.JSONEq(t, `{"kind":"submit","x":1,"comment":"hello from card"}`, sub.Activity.Text[len("submit received: "):])
}

func TestConversationReference_StoredAndWelcome(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	store := newMemStore()
	r := NewRouter()
	r.OnWelcome(func(ctx context.Context, t *Turn) error {
		_, err := t.Reply(ctx, "Welcome to attestbot")
		return err
	})
	h := newHarness(t, Config{}, r, WithConversationStore(store), WithClock(func() time.Time { return now }))
	key := playgroundTen + "/" + playgroundUser

	require.Equal(t, 200, h.post(t, fixtureBody(t, "001-in-installationUpdate.json")).Code)
	// Turns run concurrently; let the install turn finish first so the
	// conversationUpdate's reference is the last one written.
	require.Eventually(t, func() bool { _, ok := store.get(key); return ok }, waitLimit, time.Millisecond)
	require.Equal(t, 200, h.post(t, fixtureBody(t, "002-in-conversationUpdate.json")).Code)
	welcome := h.conn.next(t)
	require.Equal(t, "Welcome to attestbot", welcome.Activity.Text)
	h.drain(t)
	ref, ok := store.get(key)
	require.True(t, ok)
	require.Equal(t, ConversationRef{
		TenantID: playgroundTen, UserID: playgroundUser, ChannelUserID: "user-id-0",
		ConversationID: "96b1454d-2c54-4b43-a954-297c9088b886", ServiceURL: "http://localhost:56150/_connector",
		ChannelID: "msteams", BotID: playgroundBot, BotName: "Test Bot", UpdatedAt: now, // the later conversationUpdate carries no locale
	}, ref)
	require.Equal(t, 1, h.conn.count(), "greeted once")
}

func TestConversationReference_UninstallForgets(t *testing.T) {
	store := newMemStore()
	h := newHarness(t, Config{}, NewRouter(), WithConversationStore(store))
	require.Equal(t, 200, h.post(t, fixtureBody(t, "installationUpdate.json")).Code)
	h.drain(t)
	key := playgroundTen + "/" + playgroundUser
	_, ok := store.get(key)
	require.True(t, ok)

	h2 := newHarness(t, Config{}, NewRouter(), WithConversationStore(store))
	require.Equal(t, 200, h2.post(t, withField(t, fixtureBody(t, "installationUpdate.json"), "action", "remove")).Code)
	h2.drain(t)
	_, ok = store.get(key)
	require.False(t, ok)
	require.Equal(t, []string{key}, store.deleted)
}

func TestConversationReference_GroupChatNotStoredAndStoreErrorLogged(t *testing.T) {
	store := newMemStore()
	h := newHarness(t, Config{}, NewRouter(), WithConversationStore(store))
	group := withField(t, fixtureBody(t, "conversationUpdate-membersAdded.json"), "conversation",
		map[string]any{"id": "19:group", "conversationType": "groupChat", "isGroup": true, "tenantId": playgroundTen})
	require.Equal(t, 200, h.post(t, group).Code)
	h.drain(t)
	require.Empty(t, store.refs)

	store.err = errBoom
	h2 := newHarness(t, Config{}, NewRouter(), WithConversationStore(store))
	require.Equal(t, 200, h2.post(t, fixtureBody(t, "conversationUpdate-membersAdded.json")).Code)
	h2.drain(t)
	require.Contains(t, h2.logs.String(), "store conversation reference")
}

func TestMiddleware_UserChainOrder(t *testing.T) {
	var order []string
	mw := func(name string) Middleware {
		return func(next HandlerFunc) HandlerFunc {
			return func(ctx context.Context, t *Turn) (*schema.InvokeResponse, error) {
				order = append(order, name)
				return next(ctx, t)
			}
		}
	}
	r := NewRouter()
	r.Use(mw("a"), mw("b"))
	r.OnQuery(func(context.Context, *Turn, schema.MessagingExtensionQuery) (*schema.MessagingExtensionResponse, error) {
		order = append(order, "handler")
		return nil, nil
	})
	h := newHarness(t, Config{}, r)
	rec := h.post(t, fixtureBody(t, "invoke-composeExtension_query.json"))
	require.Equal(t, 200, rec.Code)
	require.Empty(t, rec.Body.String())
	require.Equal(t, []string{"a", "b", "handler"}, order)
	require.Contains(t, h.logs.String(), "turn handled")
	require.Contains(t, h.logs.String(), "activity_type=invoke")
	require.Contains(t, h.logs.String(), "tenant_id="+playgroundTen)
}
