package cards

import (
	"bytes"
	"encoding/json"
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/yuin/goldmark"
)

// hostileTexts are user texts that markdown would turn into something else
// (finding 6 of issue 10).
var hostileTexts = []string{
	"**[Click here](https://evil.example)**",
	"![pixel](https://evil.example/p.png)",
	"_italic_ and *bold* and ~~strike~~ and `code`",
	"- item one",
	"+ item",
	"1. first",
	"12) twelfth",
	"# Heading",
	"> quoted",
	"<https://evil.example>",
	"<b>html</b>",
	"&lt;script&gt; &#60; &amp;",
	`back\slash \*not bold\*`,
	"[ref]: https://evil.example",
	"line one\n- second line list\n## heading",
	"    indented code",
	"plain words, Mail.ReadWrite, 3.5 - 4 + 5 AT&T",
}

// renderMarkdown renders s as CommonMark (the markdown-it flavour the
// Adaptive Cards renderers use), returning the HTML.
func renderMarkdown(t testing.TB, s string) string {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, goldmark.Convert([]byte(s), &buf))
	return buf.String()
}

var markupTags = regexp.MustCompile(`<(a|img|strong|em|del|code|pre|h[1-6]|ul|ol|li|blockquote|b)[\s>]`)

// requireLiteral checks that text renders as plain paragraphs whose text is
// want, without any markup.
func requireLiteral(t testing.TB, text, want string) {
	t.Helper()
	out := renderMarkdown(t, text)
	require.NotRegexp(t, markupTags, out, "markup in %q", text)
	plain := strings.NewReplacer("<p>", "", "</p>", "").Replace(out)
	require.Equal(t, strings.Join(strings.Fields(want), " "), strings.Join(strings.Fields(html.UnescapeString(plain)), " "), "from %q", text)
}

func TestEscapeMarkdown_RendersLiterally(t *testing.T) {
	for _, s := range hostileTexts {
		t.Run(s, func(t *testing.T) {
			if strings.HasPrefix(s, "    ") {
				// Leading spaces are not kept by a paragraph.
				requireLiteral(t, EscapeMarkdown(s), strings.TrimSpace(s))
				return
			}
			requireLiteral(t, EscapeMarkdown(s), s)
		})
	}
	require.Equal(t, "plain words, Mail.ReadWrite, 3.5 - 4 + 5 AT&T", EscapeMarkdown("plain words, Mail.ReadWrite, 3.5 - 4 + 5 AT&T"),
		"ordinary text is unchanged")
}

// cardTextBlocks returns the text of every TextBlock of c.
func cardTextBlocks(t *testing.T, c *AdaptiveCard) []string {
	t.Helper()
	raw, err := Encode(c)
	require.NoError(t, err)
	var doc any
	require.NoError(t, json.Unmarshal(raw, &doc))
	var out []string
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if s, ok := x["text"].(string); ok && x["type"] == "TextBlock" {
				out = append(out, s)
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

// builderMarkup is markup user text could create. Lists (ul) are left out:
// Notice bodies are lists on purpose.
var builderMarkup = regexp.MustCompile(`<(a|img|strong|em|del|code|h[1-6]|ol|blockquote)[\s>]`)

// Every builder that takes user text escapes it (finding 6 of issue 10);
// Error and Notice take text the caller composed and escaped.
func TestBuilders_UserTextEscaped(t *testing.T) {
	b := New()
	for _, hostile := range hostileTexts {
		builders := map[string]*AdaptiveCard{
			"Search":     b.Search(hostile, "", nil, 0),
			"DidYouMean": b.DidYouMean(hostile, "", nil),
			"Error":      b.Error(ErrorMessage{Title: "No app named " + EscapeMarkdown(hostile), Detail: EscapeMarkdown(hostile)}),
			"Notice":     b.Notice(nil, "Subscribed to "+EscapeMarkdown(hostile), "- "+EscapeMarkdown(hostile), nil),
		}
		for name, c := range builders {
			t.Run(name+"/"+hostile, func(t *testing.T) {
				for _, text := range cardTextBlocks(t, c) {
					require.NotRegexp(t, builderMarkup, renderMarkdown(t, text), "TextBlock %q", text)
				}
			})
		}
	}
}
