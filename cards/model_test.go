package cards

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/internal/logtext"
	"github.com/attestbot/attestbot/l10n"
)

func TestConstructorsFixType(t *testing.T) {
	tests := []struct {
		name string
		v    any
		want string
	}{
		{"card", NewCard(), "AdaptiveCard"},
		{"subcard", NewSubCard(), "AdaptiveCard"},
		{"textblock", NewTextBlock("x"), "TextBlock"},
		{"richtext", NewRichTextBlock(), "RichTextBlock"},
		{"textrun", NewTextRun("x"), "TextRun"},
		{"image", NewImage("https://a.example/i.png", "i"), "Image"},
		{"container", NewContainer(), "Container"},
		{"columnset", NewColumnSet(), "ColumnSet"},
		{"column", NewColumn(WidthAuto), "Column"},
		{"factset", NewFactSet(), "FactSet"},
		{"table", NewTable(1, 2), "Table"},
		{"tablerow", NewTableRow(), "TableRow"},
		{"tablecell", NewTableCell(), "TableCell"},
		{"actionset", NewActionSet(), "ActionSet"},
		{"input.text", NewTextInput("q"), "Input.Text"},
		{"execute", NewExecute("Go", ActionData{Verb: VerbHelp}), "Action.Execute"},
		{"openurl", NewOpenURL("Go", "https://a.example"), "Action.OpenUrl"},
		{"showcard", NewShowCard("Go", NewSubCard()), "Action.ShowCard"},
		{"toggle", NewToggleVisibility("Go", "x"), "Action.ToggleVisibility"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got struct {
				Type string `json:"type"`
			}
			require.NoError(t, json.Unmarshal(mustJSON(t, tt.v), &got))
			require.Equal(t, tt.want, got.Type)
		})
	}
}

func TestNewCardIsFullWidth15(t *testing.T) {
	require.JSONEq(t, `{"type":"AdaptiveCard","version":"1.5","msteams":{"width":"Full"}}`, string(mustJSON(t, NewCard())))
	require.JSONEq(t, `{"type":"AdaptiveCard"}`, string(mustJSON(t, NewSubCard())))
}

func TestWidthMarshal(t *testing.T) {
	tests := []struct {
		w    Width
		want string
	}{
		{WidthAuto, `"auto"`},
		{WidthStretch, `"stretch"`},
		{Weight(3), `3`},
	}
	for _, tt := range tests {
		t.Run(string(tt.w), func(t *testing.T) {
			require.Equal(t, tt.want, string(mustJSON(t, tt.w)))
		})
	}
	// An empty width is omitted.
	require.NotContains(t, string(mustJSON(t, &Column{Type: "Column", Items: []Element{}})), "width")
}

func TestRefreshUserIDs(t *testing.T) {
	a := NewExecute("R", ActionData{Verb: VerbApp, Slug: "s"}).WithoutFallback()
	require.Contains(t, string(mustJSON(t, NewManualRefresh(a))), `"userIds":[]`)
	require.NotContains(t, string(mustJSON(t, &Refresh{Action: a})), "userIds")
	require.Contains(t, string(mustJSON(t, &Refresh{Action: a, UserIDs: []string{"29:1"}})), `"userIds":["29:1"]`)
}

func TestExecuteCarriesDataAndSubmitFallback(t *testing.T) {
	d := ActionData{Verb: VerbSection, Slug: "plumm-health-ltd", Kind: "teams", Locale: "fr-FR", Section: attestation.SectionSecurity, Page: 2, Original: true}
	a := NewExecute("Security", d).WithoutInputs()
	var got struct {
		Verb             string     `json:"verb"`
		Data             ActionData `json:"data"`
		AssociatedInputs string     `json:"associatedInputs"`
		Fallback         struct {
			Type             string     `json:"type"`
			Data             ActionData `json:"data"`
			AssociatedInputs string     `json:"associatedInputs"`
		} `json:"fallback"`
	}
	require.NoError(t, json.Unmarshal(mustJSON(t, a), &got))
	require.Equal(t, "section", got.Verb)
	require.Equal(t, d, got.Data)
	require.Equal(t, "None", got.AssociatedInputs)
	require.Equal(t, "Action.Submit", got.Fallback.Type)
	require.Equal(t, d, got.Fallback.Data, "the Submit fallback routes on data.verb")
	require.Equal(t, "None", got.Fallback.AssociatedInputs)
}

func TestIMBack(t *testing.T) {
	require.JSONEq(t, `{"type":"Action.Submit","title":"Try","data":{"msteams":{"type":"imBack","value":"plumm"}}}`,
		string(mustJSON(t, NewIMBack("Try", "plumm"))))
}

func TestTargetElementMarshal(t *testing.T) {
	on := true
	require.JSONEq(t, `["a",{"elementId":"b","isVisible":true}]`,
		string(mustJSON(t, []TargetElement{{ElementID: "a"}, {ElementID: "b", IsVisible: &on}})))
}

func TestHiddenAndSetters(t *testing.T) {
	tb := NewTextBlock("x").Bold().Subtle().WithColor(ColorGood).WithSize(SizeLarge).Heading().WithID("i").
		WithSpacing(SpacingNone).WithSeparator().Hidden().NoWrap()
	tb.MaxLines = 2
	require.JSONEq(t, `{"type":"TextBlock","text":"x","color":"good","isSubtle":true,"maxLines":2,"size":"large",
		"weight":"bolder","style":"heading","id":"i","isVisible":false,"separator":true,"spacing":"none"}`, string(mustJSON(t, tb)))
}

func TestAttachment(t *testing.T) {
	a := NewAttachment(NewCard()).WithPreview(&ThumbnailCard{Title: "Plumm"})
	require.JSONEq(t, `{"contentType":"application/vnd.microsoft.card.adaptive",
		"content":{"type":"AdaptiveCard","version":"1.5","msteams":{"width":"Full"}},
		"preview":{"contentType":"application/vnd.microsoft.card.thumbnail","content":{"title":"Plumm"}}}`, string(mustJSON(t, a)))
}

func TestSize(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"", 0},
		{"abc", 6},
		{"é", 2},
		{"漢字", 4},
		{"😀", 4},
		{"\xff", 2},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			require.Equal(t, tt.want, Size([]byte(tt.in)))
		})
	}
}

func TestEncodeBudget(t *testing.T) {
	c := NewCard().Add(NewTextBlock("AT&T <b>"))
	b, err := Encode(c)
	require.NoError(t, err)
	require.Contains(t, string(b), "AT&T <b>", "no HTML escaping")

	big := NewCard().Add(NewTextBlock(strings.Repeat("x", MaxCardSize/2)))
	_, err = Encode(big)
	require.ErrorIs(t, err, ErrTooLarge)
}

func TestPaginate(t *testing.T) {
	tests := []struct {
		name   string
		sizes  []int
		budget int
		max    int
		want   [][2]int
	}{
		{"empty", nil, 10, 3, [][2]int{{0, 0}}},
		{"one page", []int{1, 1, 1}, 10, 3, [][2]int{{0, 3}}},
		{"by count", []int{1, 1, 1, 1}, 10, 3, [][2]int{{0, 3}, {3, 4}}},
		{"by budget", []int{4, 4, 4}, 10, 5, [][2]int{{0, 2}, {2, 3}}},
		{"oversized item alone", []int{20, 1, 20}, 10, 5, [][2]int{{0, 1}, {1, 2}, {2, 3}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, paginate(tt.sizes, tt.budget, tt.max))
		})
	}
}

func TestClip(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"abc", 3, "abc"},
		{"abcd", 3, "ab…"},
		{"漢字漢字", 3, "漢字…"},
		{"漢字漢", 3, "漢字漢"},
		{"a\xffb", 5, "a\uFFFDb"},
		{"abc", 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			require.Equal(t, tt.want, logtext.Runes(tt.in, tt.n))
		})
	}
}

func TestAge(t *testing.T) {
	now := time.Date(2022, time.August, 1, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		d    attestation.Date
		want string
	}{
		{attestation.Date{}, "unknown"},
		{attestation.Date{Year: 2022, Month: 8, Day: 1}, "today"},
		{attestation.Date{Year: 2022, Month: 9, Day: 1}, "today"},
		{attestation.Date{Year: 2022, Month: 7, Day: 31}, "1 day ago"},
		{attestation.Date{Year: 2022, Month: 7, Day: 2}, "30 days ago"},
		{attestation.Date{Year: 2022, Month: 7, Day: 1}, "1 month ago"},
		{attestation.Date{Year: 2021, Month: 8, Day: 18}, "11 months ago"},
		{attestation.Date{Year: 2021, Month: 8, Day: 1}, "1 year ago"},
		{attestation.Date{Year: 2019, Month: 5, Day: 1}, "3 years 3 months ago"},
	}
	for _, tt := range tests {
		t.Run(tt.d.String(), func(t *testing.T) {
			require.Equal(t, tt.want, age(l10n.Default(), tt.d, now))
		})
	}
}

func TestDecodeActionData(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    ActionData
		wantErr bool
	}{
		{"ok, app", `{"verb":"app","slug":" plumm-health-ltd ","kind":"teams","locale":"fr-FR"}`,
			ActionData{Verb: VerbApp, Slug: "plumm-health-ltd", Kind: "teams", Locale: "fr-FR"}, false},
		{"ok, section with inputs merged", `{"verb":"section","slug":"s","section":"security","page":1,"original":true,"extra":1}`,
			ActionData{Verb: VerbSection, Slug: "s", Section: attestation.SectionSecurity, Page: 1, Original: true}, false},
		{"ok, search", `{"verb":"search","query":"apps with hipaa","page":3}`,
			ActionData{Verb: VerbSearch, Query: "apps with hipaa", Page: 3}, false},
		{"ok, compare", `{"verb":"compare","compare":["teams/plumm-health-ltd"],"compareWith":"reach"}`,
			ActionData{Verb: VerbCompare, Compare: []string{"teams/plumm-health-ltd"}, CompareWith: "reach"}, false},
		{"ok, help", `{"verb":"help"}`, ActionData{Verb: VerbHelp}, false},
		{"nok, empty", ``, ActionData{}, true},
		{"nok, array", `[]`, ActionData{}, true},
		{"nok, string", `"app"`, ActionData{}, true},
		{"nok, unknown verb", `{"verb":"delete"}`, ActionData{}, true},
		{"nok, no verb", `{"slug":"x"}`, ActionData{}, true},
		{"nok, unknown section", `{"verb":"section","slug":"s","section":"secrets"}`, ActionData{}, true},
		{"nok, section without section", `{"verb":"section","slug":"s"}`, ActionData{}, true},
		{"nok, app without slug", `{"verb":"app"}`, ActionData{}, true},
		{"nok, negative page", `{"verb":"search","page":-1}`, ActionData{}, true},
		{"nok, huge page", `{"verb":"search","page":100000}`, ActionData{}, true},
		{"nok, long query", `{"verb":"search","query":"` + strings.Repeat("a", MaxQueryRunes+1) + `"}`, ActionData{}, true},
		{"nok, four apps", `{"verb":"compare","compare":["a/b","a/c","a/d","a/e"]}`, ActionData{}, true},
		{"nok, bad ref", `{"verb":"compare","compare":["plumm"]}`, ActionData{}, true},
		{"nok, path in slug", `{"verb":"app","slug":"../x"}`, ActionData{}, true},
		{"nok, wrong type", `{"verb":"app","slug":5}`, ActionData{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DecodeActionData([]byte(tt.in))
			if tt.wantErr {
				require.Error(t, err)
				require.True(t, errors.Is(err, ErrBadActionData), err.Error())
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
}

// FuzzDecodeActionData checks that decoding never panics, that what it
// accepts is valid, and that accepted data survives a round trip.
func FuzzDecodeActionData(f *testing.F) {
	for _, s := range []string{
		`{"verb":"app","slug":"plumm-health-ltd","kind":"teams","locale":"fr-FR"}`,
		`{"verb":"section","slug":"s","section":"security","page":1,"original":true}`,
		`{"verb":"search","query":"apps with hipaa","page":3}`,
		`{"verb":"compare","compare":["teams/a","saas/b"],"compareWith":"reach"}`,
		`{"verb":"help"}`, `{}`, `[]`, `null`, `{"verb":"app","slug":"\u0000"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		d, err := DecodeActionData(raw)
		if err != nil {
			require.ErrorIs(t, err, ErrBadActionData)
			return
		}
		require.NoError(t, d.Validate())
		again, err := DecodeActionData(mustJSON(t, d))
		require.NoError(t, err)
		require.Equal(t, d, again)
	})
}

func TestRef(t *testing.T) {
	k, s, ok := ParseRef(Ref("teams", "plumm-health-ltd"))
	require.True(t, ok)
	require.Equal(t, "teams", k)
	require.Equal(t, "plumm-health-ltd", s)
	for _, bad := range []string{"", "teams", "/x", "teams/", "a/b/c"} {
		_, _, ok := ParseRef(bad)
		require.False(t, ok, bad)
	}
}
