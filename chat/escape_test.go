package chat

import (
	"bytes"
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/yuin/goldmark"

	"github.com/attestbot/attestbot/cards"
)

// textBlocks returns the text of every TextBlock of a card (the elements
// whose text Teams reads as markdown).
func textBlocks(t *testing.T, c *cards.AdaptiveCard) []string {
	t.Helper()
	raw, err := json.Marshal(c)
	require.NoError(t, err)
	var doc any
	require.NoError(t, json.Unmarshal(raw, &doc))
	var out []string
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if x["type"] == "TextBlock" {
				if s, ok := x["text"].(string); ok {
					out = append(out, s)
				}
			}
			for _, e := range x {
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(doc)
	return out
}

var hostileMarkup = regexp.MustCompile(`<(a|img|strong|em|del|h[1-6]|ul|ol|blockquote)[\s>]`)

// Finding 6 of issue 10: user text echoed into any card renders literally.
// Each message reaches a different card builder with the user's words in
// it: no app (DidYouMean), search, filter errors, subscriptions, compare.
func TestText_UserTextEscaped(t *testing.T) {
	const evil = "**[Click here](https://evil.example)**"
	s := newService(t, &memSubs{subs: map[string][]string{}})
	admin := User{TenantID: "tenant-1", ID: "admin-1", AADObjectID: "admin-1"}
	tests := []struct {
		name string
		who  User
		text string
	}{
		{name: "no app named", who: user, text: evil},
		{name: "no app named, image", who: user, text: "![Click](https://evil.example/p.png)"},
		{name: "search", who: user, text: "apps with hipaa " + evil},
		{name: "filter error", who: user, text: "apps with [Click](https://evil.example)=yes"},
		{name: "compare unknown app", who: user, text: "compare plumm and " + evil},
		{name: "what changed for unknown app", who: user, text: "what changed for " + evil},
		{name: "subscribe unknown app", who: user, text: "subscribe " + evil},
		{name: "subscribe bad filter", who: admin, text: "subscribe permission=" + evil},
		{name: "list", who: user, text: "- " + evil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := s.Text(context.Background(), tt.who, tt.text)
			echoed := 0
			for _, text := range textBlocks(t, c) {
				if !strings.Contains(text, "Click") {
					continue
				}
				echoed++
				var buf bytes.Buffer
				require.NoError(t, goldmark.Convert([]byte(text), &buf))
				require.NotRegexp(t, hostileMarkup, buf.String(), "TextBlock %q renders markup", text)
			}
			require.NotZero(t, echoed, "the card echoes the text: %s", cardJSON(t, c))
		})
	}
}

// unreachableSubs is a subscription store whose users no alert can reach.
type unreachableSubs struct{ *memSubs }

func (unreachableSubs) Reachable(context.Context, User) (bool, error) { return false, nil }

// Finding 3 of issue 10: a subscription without a delivery route says so
// and how to fix it.
func TestSubscribe_NoDeliveryRouteSaysSo(t *testing.T) {
	ctx := context.Background()
	reachable := cardJSON(t, newService(t, &memSubs{subs: map[string][]string{}}).Text(ctx, user, "subscribe plumm"))
	require.Contains(t, reachable, "Subscribed to Plumm")
	require.NotContains(t, reachable, "cannot reach you")

	s := newService(t, unreachableSubs{&memSubs{subs: map[string][]string{}}})
	got := cardJSON(t, s.Text(ctx, user, "subscribe plumm"))
	require.Contains(t, got, "Subscribed to Plumm")
	require.Contains(t, got, "cannot reach you")
	require.Contains(t, got, "open a personal chat with attestbot and say hi")
}
