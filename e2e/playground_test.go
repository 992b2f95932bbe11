package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/stretchr/testify/require"
)

// Content types the bot answers with.
const (
	ctAdaptive  = "application/vnd.microsoft.card.adaptive"
	ctHero      = "application/vnd.microsoft.card.hero"
	ctThumbnail = "application/vnd.microsoft.card.thumbnail"
)

// The sample catalog's apps the test talks about. The expected texts are
// the public record's own name and publisher, not the bot's output.
const (
	plummSlug      = "plumm-health-ltd"
	plummName      = "Plumm"
	plummPublisher = "Plumm Health LTD"
	plummAppSource = "https://appsource.microsoft.com/en-us/product/office/WA200003326?tab=Overview"
)

// stepTimeout bounds every exchange; the bot answers in milliseconds.
const stepTimeout = 15 * time.Second

// pgURL returns the Playground's base URL from PG_URL, skipping the test
// when it is unset (a plain `go test ./...`), failing it when E2E_REQUIRED=1.
func pgURL(t *testing.T) string {
	t.Helper()
	u := strings.TrimRight(os.Getenv("PG_URL"), "/")
	if u != "" {
		return u
	}
	if os.Getenv("E2E_REQUIRED") == "1" {
		t.Fatal("E2E_REQUIRED=1 but PG_URL is not set: run e2e/run.sh, which starts attestbot and the Agents Playground")
	}
	t.Skip("PG_URL is not set: the end-to-end test needs attestbot and the Agents Playground running; run e2e/run.sh")
	return ""
}

// attachment is a card attachment as the Playground relays it.
type attachment struct {
	ContentType string          `json:"contentType"`
	Content     json.RawMessage `json:"content"`
	Preview     *attachment     `json:"preview,omitempty"`
}

// frame is one message of the Playground's conversation websocket.
type frame struct {
	Action         string `json:"action"`
	ConversationID string `json:"actionConversationId"`
	Message        struct {
		MessageID   string              `json:"messageId"`
		From        struct{ ID string } `json:"from"`
		Text        string              `json:"text"`
		Attachments []attachment        `json:"attachments"`
	} `json:"message"`
}

// card is an Adaptive Card the bot sent, with its visible text.
type card struct {
	// MessageID is the Playground's id of the message holding the card
	// (empty for invoke responses).
	MessageID string
	Raw       json.RawMessage
	Version   string
	// Text is every visible string of the card, one a line.
	Text string
	// Actions are every Action.Execute and Action.Submit, wherever they are.
	Actions []cardAction
}

// cardAction is an action found in a card.
type cardAction struct {
	Type  string         `json:"type"`
	Title string         `json:"title"`
	Verb  string         `json:"verb"`
	Data  map[string]any `json:"data"`
}

func (c card) String() string {
	first, _, _ := strings.Cut(c.Text, "\n")
	return fmt.Sprintf("card %q (v%s, %d bytes)", first, c.Version, len(c.Raw))
}

// action returns the first action with this verb (and, when given, data
// field values), or nil.
func (c card) action(verb string, data map[string]string) *cardAction {
	for i := range c.Actions {
		a := &c.Actions[i]
		if a.Verb != verb && fmt.Sprint(a.Data["verb"]) != verb {
			continue
		}
		ok := true
		for k, v := range data {
			if fmt.Sprint(a.Data[k]) != v {
				ok = false
			}
		}
		if ok {
			return a
		}
	}
	return nil
}

// button returns the first action whose title contains title, or nil.
func (c card) button(title string) *cardAction {
	for i := range c.Actions {
		if strings.Contains(c.Actions[i].Title, title) {
			return &c.Actions[i]
		}
	}
	return nil
}

// parseCard decodes an Adaptive Card and collects its text and actions.
func parseCard(t *testing.T, raw json.RawMessage) card {
	t.Helper()
	var root map[string]any
	require.NoError(t, json.Unmarshal(raw, &root), "card JSON")
	require.Equal(t, "AdaptiveCard", root["type"], "card type")
	c := card{Raw: raw}
	c.Version, _ = root["version"].(string)
	var lines []string
	var walk func(v any, key string)
	walk = func(v any, key string) {
		switch x := v.(type) {
		case map[string]any:
			if typ, _ := x["type"].(string); typ == "Action.Execute" || typ == "Action.Submit" {
				var a cardAction
				b, _ := json.Marshal(x)
				if json.Unmarshal(b, &a) == nil {
					c.Actions = append(c.Actions, a)
				}
			}
			for k, val := range x {
				if k == "data" || k == "refresh" || k == "fallback" {
					continue // state, not shown
				}
				walk(val, k)
			}
		case []any:
			for _, e := range x {
				walk(e, key)
			}
		case string:
			switch key {
			case "text", "title", "value", "label", "placeholder", "altText":
				lines = append(lines, x)
			}
		}
	}
	walk(root, "")
	c.Text = strings.Join(lines, "\n")
	return c
}

// playground drives the Agents Playground's internal API.
type playground struct {
	t      *testing.T
	base   string
	conv   string
	user   string
	http   *http.Client
	frames chan frame
	dump   string // directory to save every card in, or ""
	seq    int
}

// newPlayground reads the mock tenant and opens the conversation stream.
func newPlayground(t *testing.T) *playground {
	t.Helper()
	base := pgURL(t)
	p := &playground{t: t, base: base, http: &http.Client{Timeout: stepTimeout}, frames: make(chan frame, 256)}
	if dir := os.Getenv("E2E_CARDS_DIR"); dir != "" {
		require.NoError(t, os.MkdirAll(dir, 0o755))
		p.dump = dir
	}

	var cfg struct {
		Config struct {
			PersonalChat struct{ ID string } `json:"personalChat"`
			CurrentUser  struct{ ID string } `json:"currentUser"`
		} `json:"config"`
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	require.NoError(t, json.Unmarshal(p.do(ctx, http.MethodGet, "/_internal/v1/config", nil), &cfg))
	p.conv, p.user = cfg.Config.PersonalChat.ID, cfg.Config.CurrentUser.ID
	require.NotEmpty(t, p.conv, "personal chat id in /_internal/v1/config")
	require.NotEmpty(t, p.user, "current user id in /_internal/v1/config")

	wsCtx, wsCancel := context.WithCancel(context.Background())
	ws, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(base, "http")+"/_ws_conversation/v1/conversations/stream", nil)
	require.NoError(t, err, "dial the conversation stream")
	ws.SetReadLimit(8 << 20) // a card can be tens of KB; the default is 32 KiB
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer close(p.frames)
		for {
			_, b, err := ws.Read(wsCtx)
			if err != nil {
				return
			}
			var f frame
			if json.Unmarshal(b, &f) == nil {
				p.frames <- f
			}
		}
	}()
	t.Cleanup(func() {
		wsCancel()
		_ = ws.Close(websocket.StatusNormalClosure, "")
		<-done
	})
	return p
}

// do sends a request to the Playground and returns the 2xx response body.
func (p *playground) do(ctx context.Context, method, path string, body any) []byte {
	p.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		require.NoError(p.t, err)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, p.base+path, rd)
	require.NoError(p.t, err)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := p.http.Do(req)
	require.NoError(p.t, err, "%s %s", method, path)
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	require.NoError(p.t, err)
	require.True(p.t, resp.StatusCode/100 == 2, "%s %s: HTTP %d: %s", method, path, resp.StatusCode, out)
	return out
}

func (p *playground) ids() (conv, from map[string]string) {
	return map[string]string{"id": p.conv}, map[string]string{"id": p.user}
}

// install sends installationUpdate and conversationUpdate, as a page load.
func (p *playground) install(ctx context.Context) {
	p.do(ctx, http.MethodPost, "/_debug/conversation/"+p.conv+"/installation", map[string]any{})
}

// say sends a user message.
func (p *playground) say(ctx context.Context, text string) {
	var res struct {
		MessageID string `json:"messageId"`
	}
	b := p.do(ctx, http.MethodPost, "/_conversation/v1/conversations/"+p.conv+"/messages",
		map[string]any{"from": map[string]string{"id": p.user}, "text": text, "textFormat": "plain"})
	require.NoError(p.t, json.Unmarshal(b, &res))
	require.NotEmpty(p.t, res.MessageID, "the Playground accepted the message")
}

// submit clicks an Action.Submit of the card with message id replyTo.
func (p *playground) submit(ctx context.Context, replyTo string, value any) {
	conv, from := p.ids()
	p.do(ctx, http.MethodPost, "/_conversation/v1/submit",
		map[string]any{"conversation": conv, "from": from, "replyToId": replyTo, "value": value})
}

// invoke sends an invoke activity and returns the bot's synchronous body.
func (p *playground) invoke(ctx context.Context, name, replyTo string, value any) json.RawMessage {
	conv, from := p.ids()
	body := map[string]any{"name": name, "value": value, "conversation": conv, "from": from}
	if replyTo != "" {
		body["replyToId"] = replyTo
	}
	return p.do(ctx, http.MethodPost, "/_conversation/v1/invoke", body)
}

// execute clicks an Action.Execute and returns the card of the response.
func (p *playground) execute(ctx context.Context, replyTo, verb string, data any) card {
	p.t.Helper()
	raw := p.invoke(ctx, "adaptiveCard/action", replyTo, map[string]any{
		"action": map[string]any{"type": "Action.Execute", "verb": verb, "data": data},
	})
	var res struct {
		StatusCode int             `json:"statusCode"`
		Type       string          `json:"type"`
		Value      json.RawMessage `json:"value"`
	}
	require.NoError(p.t, json.Unmarshal(raw, &res), "invoke response %s", raw)
	require.Equal(p.t, ctAdaptive, res.Type, "invoke response type: %s", raw)
	c := parseCard(p.t, res.Value)
	p.save("execute-"+verb, c)
	return c
}

// save writes c to the dump directory, if any.
func (p *playground) save(name string, c card) {
	if p.dump == "" {
		return
	}
	p.seq++
	safe := regexp.MustCompile(`[^a-zA-Z0-9]+`).ReplaceAllString(name, "_")
	_ = os.WriteFile(filepath.Join(p.dump, fmt.Sprintf("%02d-%s.json", p.seq, strings.Trim(safe, "_"))), c.Raw, 0o644)
}

// waitCard reads the stream until a bot message holds an Adaptive Card
// whose text contains every want (case-insensitively), and returns it.
// Other cards are logged and skipped: the stream has no reply ids, and an
// earlier step's extra message (a second welcome) must not fail this one.
func (p *playground) waitCard(ctx context.Context, name string, want ...string) card {
	p.t.Helper()
	var seen []string
	for {
		select {
		case <-ctx.Done():
			p.t.Fatalf("%s: no card containing %q within %s; cards seen: %s", name, want, stepTimeout, strings.Join(seen, "; "))
		case f, ok := <-p.frames:
			if !ok {
				p.t.Fatalf("%s: the conversation stream closed", name)
			}
			if f.Action != "createMessage" && f.Action != "updateMessage" {
				continue
			}
			require.Equal(p.t, p.conv, f.ConversationID, "frame for another conversation")
			for _, a := range f.Message.Attachments {
				if a.ContentType != ctAdaptive {
					continue
				}
				c := parseCard(p.t, a.Content)
				c.MessageID = f.Message.MessageID
				if containsAll(c.Text, want...) {
					p.save(name, c)
					return c
				}
				seen = append(seen, c.String())
				p.t.Logf("%s: skipped %s", name, c)
			}
		}
	}
}

func containsAll(text string, want ...string) bool {
	low := strings.ToLower(text)
	for _, w := range want {
		if !strings.Contains(low, strings.ToLower(w)) {
			return false
		}
	}
	return true
}

// requireText fails unless the card text contains every want.
func requireText(t *testing.T, c card, want ...string) {
	t.Helper()
	for _, w := range want {
		require.True(t, containsAll(c.Text, w), "%s: want %q in the card text:\n%s", c, w, c.Text)
	}
}

func step(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), stepTimeout)
	t.Cleanup(cancel)
	return ctx
}

// TestPlayground drives attestbot through the Playground's API as the
// Playground's UI would: a subscription by message before any installation
// and the alert it brings, then install, typed messages, card buttons (both
// Action.Submit and Action.Execute), the message extension's search and
// link unfurling, and subscriptions. Steps run in order on one
// conversation; the summary card of the "plumm" step feeds the buttons.
func TestPlayground(t *testing.T) {
	p := newPlayground(t)

	// Issue 10, finding 3: a user who subscribes by message before the bot
	// saw any installation or conversationUpdate (store moved, bot down at
	// install) still gets the alert: every personal-chat activity stores
	// the conversation reference.
	t.Run("subscribe by message before any installation", func(t *testing.T) {
		ctx := step(t)
		p.say(ctx, "subscribe plumm")
		c := p.waitCard(ctx, "subscribe before install", "Subscribed to "+plummName)
		require.NotContains(t, c.Text, "cannot reach you", "the chat is a delivery route: %s", c.Text)
	})

	t.Run("a change to a watched page arrives as a proactive diff card", func(t *testing.T) {
		dir := os.Getenv("E2E_SOURCE_DIR")
		if dir == "" {
			t.Skip("E2E_SOURCE_DIR is not set: the bot does not sync a catalog source")
		}
		ctx := step(t)
		// The publisher withdraws the HIPAA claim: the English source hash
		// changes and the answer goes from Oui to Non.
		page := filepath.Join(dir, "fr-FR", "teams", plummSlug+".md")
		data, err := os.ReadFile(page)
		require.NoError(t, err)
		text := regexp.MustCompile(`(?m)^ms\.openlocfilehash: .*$`).ReplaceAllString(string(data), "ms.openlocfilehash: 00000000000000000000000000000000e2e00001")
		changed := strings.Replace(text, "(Health Insurance Portability and Accounting Act) ? | Oui |", "(Health Insurance Portability and Accounting Act) ? | Non |", 1)
		require.NotEqual(t, text, changed, "the HIPAA row of the page")
		require.NoError(t, os.WriteFile(page, []byte(changed), 0o644))
		c := p.waitCard(ctx, "alert", "What changed for "+plummName, "HIPAA")
		requireText(t, c, "Yes", "No")
	})

	t.Run("install sends the welcome card", func(t *testing.T) {
		ctx := step(t)
		p.install(ctx)
		c := p.waitCard(ctx, "welcome", "Welcome to attestbot")
		require.Equal(t, "1.5", c.Version)
		require.NotNil(t, c.action("help", nil), "the welcome card has a Help button")
	})

	var summary card
	messages := []struct {
		text string
		want []string
		// check runs extra assertions on the reply.
		check func(t *testing.T, c card)
	}{
		{text: "help", want: []string{"What you can ask"}, check: func(t *testing.T, c card) {
			requireText(t, c, "who requests Mail.ReadWrite", "compare plumm", "subscribe plumm")
		}},
		{text: "plumm", want: []string{plummName, plummPublisher}, check: func(t *testing.T, c card) {
			require.Equal(t, "1.5", c.Version)
			requireText(t, c, "HIPAA", "ISO 27001")
			a := c.action("section", map[string]string{"slug": plummSlug})
			require.NotNil(t, a, "the summary has section buttons for %s: %+v", plummSlug, c.Actions)
			require.NotNil(t, c.action("permissions", map[string]string{"slug": plummSlug}), "the summary has a permissions button")
			summary = c
		}},
		{text: "is plumm hipaa compliant?", want: []string{plummName + ":", "HIPAA"}, check: func(t *testing.T, c card) {
			require.Regexp(t, `(?i)`+plummName+`: (yes|no)`, c.Text)
		}},
		{text: "compare plumm and saberr", want: []string{plummName, "Saberr"}, check: func(t *testing.T, c card) {
			requireText(t, c, "HIPAA")
		}},
		{text: "who requests Mail.ReadWrite", want: []string{"Emailgistics"}, check: func(t *testing.T, c card) {
			require.Regexp(t, `(?i)\d+ apps? match`, c.Text)
		}},
		{text: plummAppSource, want: []string{plummName, plummPublisher}},
		{text: "plum", want: []string{plummName}},
	}
	for _, m := range messages {
		t.Run("message "+m.text, func(t *testing.T) {
			ctx := step(t)
			p.say(ctx, m.text)
			c := p.waitCard(ctx, "message "+m.text, m.want...)
			require.LessOrEqual(t, len(c.Raw), 80*1024, "card under Teams' 80 KB budget")
			if m.check != nil {
				m.check(t, c)
			}
		})
	}
	require.NotEmpty(t, summary.MessageID, "the plumm summary card arrived; the card action steps need it")
	locale := fmt.Sprint(summary.action("section", nil).Data["locale"])
	kind := fmt.Sprint(summary.action("section", nil).Data["kind"])

	t.Run("Action.Submit section shows the security section", func(t *testing.T) {
		ctx := step(t)
		p.submit(ctx, summary.MessageID, map[string]any{
			"verb": "section", "slug": plummSlug, "kind": kind, "locale": locale, "section": "security",
		})
		c := p.waitCard(ctx, "submit section", plummName, "Security")
		require.NotNil(t, c.action("section", map[string]string{"slug": plummSlug}), "the section card links to other sections")
	})

	t.Run("Action.Execute permissions answers with the permissions card", func(t *testing.T) {
		ctx := step(t)
		c := p.execute(ctx, summary.MessageID, "permissions",
			map[string]any{"verb": "permissions", "slug": plummSlug, "kind": kind, "locale": locale})
		requireText(t, c, plummName, "permission")
		require.Equal(t, "1.5", c.Version)
	})

	t.Run("Action.Execute search pages through results", func(t *testing.T) {
		ctx := step(t)
		data := func(page int) map[string]any {
			return map[string]any{"verb": "search", "query": "certified=no", "page": page, "locale": locale}
		}
		first := p.execute(ctx, summary.MessageID, "search", data(0))
		m := regexp.MustCompile(`(\d+) apps match · page 1 of (\d+)`).FindStringSubmatch(first.Text)
		require.NotNil(t, m, "page 0 shows a count and page 1 of n:\n%s", first.Text)
		next := first.action("search", map[string]string{"page": "1"})
		require.NotNil(t, next, "page 0 has a Next button to page 1")
		second := p.execute(ctx, summary.MessageID, "search", data(1))
		requireText(t, second, "page 2 of "+m[2])
		prev := second.button("Previous")
		require.NotNil(t, prev, "page 1 has a Previous button")
		require.Equal(t, "search", prev.Verb)
		require.Nil(t, prev.Data["page"], "Previous goes to page 0 (omitted)")
		// The two pages list different apps.
		opened := func(c card) map[string]bool {
			out := map[string]bool{}
			for _, a := range c.Actions {
				if a.Verb == "app" {
					out[fmt.Sprint(a.Data["kind"], "/", a.Data["slug"])] = true
				}
			}
			return out
		}
		a, b := opened(first), opened(second)
		require.NotEmpty(t, a)
		require.NotEmpty(t, b)
		for k := range b {
			require.False(t, a[k], "%s is on both pages", k)
		}
	})

	t.Run("message extension query returns results with previews", func(t *testing.T) {
		ctx := step(t)
		raw := p.invoke(ctx, "composeExtension/query", "", map[string]any{
			"commandId":    "searchApps",
			"parameters":   []map[string]string{{"name": "query", "value": "plumm"}},
			"queryOptions": map[string]int{"skip": 0, "count": 10},
		})
		res := decodeExtension(t, raw)
		require.Equal(t, "result", res.Type)
		require.NotEmpty(t, res.Attachments, "results for plumm: %s", raw)
		first := res.Attachments[0]
		require.Equal(t, ctAdaptive, first.ContentType)
		requireText(t, parseCard(t, first.Content), plummName)
		for i, a := range res.Attachments {
			require.NotNil(t, a.Preview, "result %d has a preview", i)
			require.Contains(t, []string{ctHero, ctThumbnail}, a.Preview.ContentType, "result %d preview type", i)
		}
		var preview struct{ Title string }
		require.NoError(t, json.Unmarshal(first.Preview.Content, &preview))
		require.Contains(t, preview.Title, plummName)
	})

	t.Run("message extension queryLink unfurls an AppSource link into a 1.3 card", func(t *testing.T) {
		ctx := step(t)
		raw := p.invoke(ctx, "composeExtension/queryLink", "", map[string]any{"url": plummAppSource})
		res := decodeExtension(t, raw)
		require.Equal(t, "result", res.Type)
		require.Len(t, res.Attachments, 1, "one unfurl card: %s", raw)
		a := res.Attachments[0]
		require.Equal(t, ctAdaptive, a.ContentType)
		c := parseCard(t, a.Content)
		require.Equal(t, "1.3", c.Version, "link unfurling supports Adaptive Cards up to 1.3")
		requireText(t, c, plummName, plummPublisher)
		require.NotNil(t, a.Preview, "an unfurl needs a preview")
	})

	t.Run("subscribe then list subscriptions", func(t *testing.T) {
		ctx := step(t)
		p.say(ctx, "subscribe plumm")
		c := p.waitCard(ctx, "subscribe", "Subscribed to "+plummName)
		require.NotNil(t, c.action("unsubscribe", map[string]string{"slug": plummSlug}), "the notice offers to undo")
		p.say(ctx, "my subscriptions")
		list := p.waitCard(ctx, "my subscriptions", "You have 1 subscription")
		requireText(t, list, plummName)
	})
}

// extensionResult is a message extension response's composeExtension.
type extensionResult struct {
	Type             string       `json:"type"`
	AttachmentLayout string       `json:"attachmentLayout"`
	Attachments      []attachment `json:"attachments"`
}

func decodeExtension(t *testing.T, raw []byte) extensionResult {
	t.Helper()
	var res struct {
		ComposeExtension *extensionResult `json:"composeExtension"`
	}
	require.NoError(t, json.Unmarshal(raw, &res), "extension response %s", raw)
	require.NotNil(t, res.ComposeExtension, "composeExtension in %s", raw)
	return *res.ComposeExtension
}
