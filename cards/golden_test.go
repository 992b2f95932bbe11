package cards

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/attestation"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// goldenNow is the injected "now" of every golden card.
var goldenNow = time.Date(2022, time.August, 1, 9, 30, 0, 0, time.UTC)

func goldenBuilder() *Builder {
	return New(WithClock(func() time.Time { return goldenNow }), WithIconURL("https://attestbot.example.com/icon-96.png"))
}

// loadPage parses a real page of testdata/pages.
func loadPage(t testing.TB, rel string) *attestation.Record {
	t.Helper()
	file := filepath.Join("testdata", "pages", filepath.FromSlash(rel))
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	rec, err := attestation.Parse(file, data)
	require.NoError(t, err)
	require.NotEmpty(t, rec.Slug, rel)
	return rec
}

// loadRevision parses a historic revision of Apps/teams/<slug>.md.
func loadRevision(t testing.TB, slug, name string) *attestation.Record {
	t.Helper()
	file := filepath.Join("testdata", "pages", "history", "fr-FR", slug, name)
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	rec, err := attestation.ParseSource(attestation.Source{File: file, Path: "Apps/teams/" + slug + ".md", Locale: "fr-FR"}, data)
	require.NoError(t, err)
	return rec
}

var (
	schemaOnce sync.Once
	schema     *jsonschema.Schema
	schemaDoc  map[string]any
	schemaErr  error
)

// officialSchema compiles testdata/schema/adaptive-card-1.5.json as is.
func officialSchema(t testing.TB) (*jsonschema.Schema, map[string]any) {
	t.Helper()
	schemaOnce.Do(func() {
		path := filepath.Join("testdata", "schema", "adaptive-card-1.5.json")
		schema, schemaErr = jsonschema.NewCompiler().Compile(path)
		if schemaErr != nil {
			return
		}
		var raw []byte
		raw, schemaErr = os.ReadFile(path)
		if schemaErr == nil {
			schemaErr = json.Unmarshal(raw, &schemaDoc)
		}
	})
	require.NoError(t, schemaErr)
	return schema, schemaDoc
}

// validateCard checks a card's JSON: msteams.width is Full, and the rest
// is valid against the official 1.5 schema. It returns the decoded card.
func validateCard(t testing.TB, name string, b []byte) map[string]any {
	t.Helper()
	sch, _ := officialSchema(t)
	var card map[string]any
	require.NoError(t, json.Unmarshal(b, &card), name)
	require.Equal(t, map[string]any{"width": "Full"}, card["msteams"], "%s: msteams", name)
	delete(card, "msteams")
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(mustJSON(t, card)))
	require.NoError(t, err)
	require.NoError(t, sch.Validate(inst), "%s: schema", name)
	return card
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}

// goldenCase is one golden card.
type goldenCase struct {
	name  string
	build func(t *testing.T) AttachmentContent
	// attachment, when set, is golden-tested as a whole (content and
	// preview); its content is validated.
	attachment func(t *testing.T) Attachment
}

func goldenCases() []goldenCase {
	b := goldenBuilder()
	card := func(name string, f func(t *testing.T) *AdaptiveCard) goldenCase {
		return goldenCase{name: name, build: func(t *testing.T) AttachmentContent { return f(t) }}
	}
	page := func(rel string) func(t *testing.T) *attestation.Record {
		return func(t *testing.T) *attestation.Record { return loadPage(t, rel) }
	}
	plumm := page("fr-FR/teams/plumm-health-ltd.md")
	plummDE := page("de-DE/teams/plumm-health-ltd.md")
	plummJA := page("ja-JP/teams/plumm-health-ltd.md")
	moduleq := page("fr-FR/teams/moduleq-q.md")
	moduleqZH := page("zh-CN/teams/moduleq-q.md")
	asc := page("fr-FR/teams/asc-technologies-ag-recording-insights.md")
	saberr := page("de-DE/teams/saberr.md")
	teamsurvey := page("ja-JP/teams/builduplabs-teamsurvey.md")
	lawtoolbox := page("zh-TW/teams/lawtoolboxcominc-lawtoolbox.md")
	azure := page("fr-FR/azure/0bb1641a-3b3b-47f7-a11e-01279d92abfb.md")

	var cs []goldenCase
	for _, s := range []struct {
		name string
		rec  func(t *testing.T) *attestation.Record
	}{
		{"fr-FR_plumm", plumm}, {"de-DE_plumm", plummDE}, {"ja-JP_plumm", plummJA},
		{"fr-FR_moduleq-q", moduleq}, {"zh-CN_moduleq-q", moduleqZH}, {"fr-FR_asc", asc},
		{"de-DE_saberr", saberr}, {"ja-JP_teamsurvey", teamsurvey}, {"zh-TW_lawtoolbox", lawtoolbox},
		{"fr-FR_azure", azure},
	} {
		rec := s.rec
		cs = append(cs, card("summary_"+s.name, func(t *testing.T) *AdaptiveCard { return b.Summary(rec(t)) }))
	}
	// One app listed twice (same AppSource ID, issue 13): the card names
	// the other listing, as the index groups them.
	sheetgoExcel, sheetgoTeams := page("../listings/fr-FR/excel/sheetgo-europe-sl.md"), page("../listings/fr-FR/teams/sheetgo-europe-sl.md")
	// The card of one listing, with the other listings as the index
	// groups them.
	listed := func(t *testing.T, key string) *AdaptiveCard {
		res := attestation.NewIndex([]*attestation.Record{sheetgoTeams(t), sheetgoExcel(t)}).Lookup(key)
		require.Len(t, res, 1, "one app")
		require.Equal(t, key, res[0].Key)
		return b.WithListings(res[0].Listings).Summary(res[0].Record("fr-FR"))
	}
	cs = append(cs,
		card("summary_fr-FR_sheetgo_teams_listings", func(t *testing.T) *AdaptiveCard { return listed(t, "teams/sheetgo-europe-sl") }),
		card("summary_fr-FR_sheetgo_excel_listings", func(t *testing.T) *AdaptiveCard { return listed(t, "excel/sheetgo-europe-sl") }),
	)
	for _, sec := range attestation.Sections {
		cs = append(cs, card("section_fr-FR_plumm_"+string(sec), func(t *testing.T) *AdaptiveCard {
			return b.Section(plumm(t), sec, View{})
		}))
	}
	cs = append(cs,
		card("section_fr-FR_plumm_security_original", func(t *testing.T) *AdaptiveCard {
			return b.Section(plumm(t), attestation.SectionSecurity, View{Original: true})
		}),
		card("section_fr-FR_moduleq-q_certification", func(t *testing.T) *AdaptiveCard {
			return b.Section(moduleq(t), attestation.SectionCertification, View{})
		}),
		card("section_zh-CN_moduleq-q_compliance_original", func(t *testing.T) *AdaptiveCard {
			return b.Section(moduleqZH(t), attestation.SectionCompliance, View{Original: true})
		}),
		card("section_de-DE_saberr_data", func(t *testing.T) *AdaptiveCard {
			return b.Section(saberr(t), attestation.SectionData, View{})
		}),
		card("section_de-DE_saberr_identity_original", func(t *testing.T) *AdaptiveCard {
			return b.Section(saberr(t), attestation.SectionIdentity, View{Original: true})
		}),
		card("section_ja-JP_teamsurvey_general_original", func(t *testing.T) *AdaptiveCard {
			return b.Section(teamsurvey(t), attestation.SectionGeneral, View{Original: true})
		}),
		card("permissions_fr-FR_plumm", func(t *testing.T) *AdaptiveCard { return b.Permissions(plumm(t), 0) }),
		card("permissions_fr-FR_asc", func(t *testing.T) *AdaptiveCard { return b.Permissions(asc(t), 0) }),
		card("permissions_de-DE_saberr", func(t *testing.T) *AdaptiveCard { return b.Permissions(saberr(t), 0) }),
		card("permissions_ja-JP_teamsurvey", func(t *testing.T) *AdaptiveCard { return b.Permissions(teamsurvey(t), 0) }),
	)
	for p := 0; p < 3; p++ {
		cs = append(cs, card("permissions_zh-TW_lawtoolbox_page"+strconv.Itoa(p), func(t *testing.T) *AdaptiveCard {
			return b.Permissions(lawtoolbox(t), p)
		}))
	}
	cs = append(cs,
		card("compare_plumm_moduleq-q", func(t *testing.T) *AdaptiveCard {
			return b.Compare([]*attestation.Record{plumm(t), moduleq(t)})
		}),
		card("compare_plumm_asc_saberr", func(t *testing.T) *AdaptiveCard {
			return b.Compare([]*attestation.Record{plumm(t), asc(t), saberr(t)})
		}),
		card("search_hipaa", func(t *testing.T) *AdaptiveCard {
			ix := testIndex(t)
			q, err := attestation.ParseQuery("apps with hipaa")
			require.NoError(t, err)
			res := ix.Search(q.Text, attestation.SearchOptions{Limit: -1, Locale: "fr-FR", Filters: q.Filters})
			require.NotEmpty(t, res)
			return b.Search("apps with hipaa", "fr-FR", res, 0)
		}),
		card("search_all_page1", func(t *testing.T) *AdaptiveCard {
			ix := testIndex(t)
			q, err := attestation.ParseQuery("teams apps")
			require.NoError(t, err)
			res := ix.Search(q.Text, attestation.SearchOptions{Limit: -1, Locale: "fr-FR", Filters: q.Filters})
			require.Greater(t, len(res), 2)
			return New(WithClock(func() time.Time { return goldenNow }), WithSearchPageSize(2)).Search("teams apps", "fr-FR", res, 1)
		}),
		card("search_none", func(t *testing.T) *AdaptiveCard {
			return b.Search("apps with fedramp and sox", "fr-FR", nil, 0)
		}),
		card("changes_fr-FR_plumm", func(t *testing.T) *AdaptiveCard {
			old := loadRevision(t, "plumm-health-ltd", "2022-01-28_d738f23d.md")
			cur := loadRevision(t, "plumm-health-ltd", "2022-03-20_ab1574e9.md")
			ch := attestation.Diff(old, cur, attestation.DiffOptions{})
			require.NotEmpty(t, ch)
			return b.Changes(cur, ch, 0)
		}),
		card("changes_fr-FR_cisco", func(t *testing.T) *AdaptiveCard {
			old := loadRevision(t, "cisco-webex-call", "2021-11-23_55d04b15.md")
			cur := loadRevision(t, "cisco-webex-call", "2021-11-25_81b2583c.md")
			ch := attestation.Diff(old, cur, attestation.DiffOptions{})
			require.NotEmpty(t, ch)
			return b.Changes(nil, ch, 0)
		}),
		card("changes_none", func(t *testing.T) *AdaptiveCard { return b.Changes(plumm(t), nil, 0) }),
		card("welcome", func(*testing.T) *AdaptiveCard { return b.Welcome() }),
		card("help", func(*testing.T) *AdaptiveCard { return b.Help() }),
		card("didyoumean_plum", func(t *testing.T) *AdaptiveCard {
			res := testIndex(t).Search("plum", attestation.SearchOptions{Locale: "fr-FR"})
			require.NotEmpty(t, res)
			return b.DidYouMean("plum", "fr-FR", res)
		}),
		card("didyoumean_none", func(*testing.T) *AdaptiveCard { return b.DidYouMean("zzzz", "fr-FR", nil) }),
		card("error_not_found", func(*testing.T) *AdaptiveCard {
			return b.Error(ErrorMessage{Title: "App not found", Detail: "No app matches “plumz”. Try its AppSource ID or link.",
				Retry: &ActionData{Verb: VerbSearch, Query: "plumz"}})
		}),
		card("notice_subscribed", func(t *testing.T) *AdaptiveCard {
			r := plumm(t)
			undo := appData(r, VerbUnsubscribe)
			return b.Notice(r, "Subscribed to Plumm", "You will get an activity feed alert when Plumm's compliance record changes.", &undo)
		}),
		card("summary13_fr-FR_plumm", func(t *testing.T) *AdaptiveCard { return b.SummaryCardV13(plumm(t)) }),
		card("summary13_fr-FR_moduleq-q", func(t *testing.T) *AdaptiveCard { return b.SummaryCardV13(moduleq(t)) }),
		goldenCase{name: "attachment_search_fr-FR_plumm", attachment: func(t *testing.T) Attachment {
			return b.SearchResultAttachment(plumm(t))
		}},
		goldenCase{name: "attachment_unfurl_zh-TW_lawtoolbox", attachment: func(t *testing.T) Attachment {
			return b.LinkUnfurlAttachment(lawtoolbox(t))
		}},
	)
	cs = append(cs, auditGoldenCases(b)...)
	cs = append(cs, l10nGoldenCases()...)
	return cs
}

var (
	indexOnce sync.Once
	index     *attestation.Index
)

// testIndex indexes every current page of testdata/pages.
func testIndex(t testing.TB) *attestation.Index {
	t.Helper()
	indexOnce.Do(func() {
		var recs []*attestation.Record
		for _, rel := range testPages(t) {
			recs = append(recs, loadPage(t, rel))
		}
		index = attestation.NewIndex(recs)
	})
	require.NotNil(t, index)
	return index
}

// testPages lists the current pages of testdata/pages (not history).
func testPages(t testing.TB) []string {
	t.Helper()
	var out []string
	root := filepath.Join("testdata", "pages")
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() && rel == "history" {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(p, ".md") && rel != "README.md" {
			out = append(out, rel)
		}
		return nil
	})
	require.NoError(t, err)
	sort.Strings(out)
	return out
}

// indent pretty-prints JSON for the golden files.
func indent(t testing.TB, b []byte) []byte {
	t.Helper()
	var out bytes.Buffer
	require.NoError(t, json.Indent(&out, b, "", "  "))
	out.WriteByte('\n')
	return out.Bytes()
}

// TestGolden builds every card from real pages, checks it against its
// golden file, the size budget and the official Adaptive Card 1.5 schema.
func TestGolden(t *testing.T) {
	dir := filepath.Join("testdata", "golden")
	seen := map[string]bool{}
	for _, tc := range goldenCases() {
		t.Run(tc.name, func(t *testing.T) {
			var got []byte
			var content []byte
			if tc.attachment != nil {
				att := tc.attachment(t)
				require.Equal(t, ContentTypeAdaptiveCard, att.ContentType)
				require.NotNil(t, att.Preview, "message-extension results need a preview")
				require.Equal(t, ContentTypeThumbnailCard, att.Preview.ContentType)
				var err error
				content, err = Encode(att.Content)
				require.NoError(t, err)
				got = mustJSONNoEscape(t, att)
			} else {
				var err error
				got, err = Encode(tc.build(t))
				require.NoError(t, err, "budget")
				content = got
			}
			require.LessOrEqual(t, Size(content), MaxCardSize, "budget")
			validateCard(t, tc.name, content)

			file := filepath.Join(dir, tc.name+".json")
			seen[tc.name+".json"] = true
			pretty := indent(t, got)
			if *update {
				require.NoError(t, os.MkdirAll(dir, 0o755))
				require.NoError(t, os.WriteFile(file, pretty, 0o644))
				return
			}
			want, err := os.ReadFile(file)
			require.NoError(t, err, "missing golden file: run go test ./cards -update")
			if d := firstDiff(string(want), string(pretty)); d != "" {
				t.Fatalf("%s differs from the built card (run go test ./cards -update if intended):\n%s", file, d)
			}
		})
	}
	if !*update {
		return
	}
	// Remove golden files of cases that no longer exist.
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	require.NoError(t, err)
	for _, f := range files {
		if !seen[filepath.Base(f)] {
			require.NoError(t, os.Remove(f))
		}
	}
}

func mustJSONNoEscape(t testing.TB, v any) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	require.NoError(t, enc.Encode(v))
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// TestGoldenFilesValid re-reads every file in testdata/golden (what the
// Node render check reads) and checks budget, msteams and schema again, so
// a hand-edited golden file cannot slip through.
func TestGoldenFilesValid(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "golden", "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		raw, err := os.ReadFile(f)
		require.NoError(t, err)
		var probe struct {
			ContentType string          `json:"contentType"`
			Content     json.RawMessage `json:"content"`
		}
		require.NoError(t, json.Unmarshal(raw, &probe), f)
		if probe.ContentType != "" {
			raw = probe.Content
		}
		var compact bytes.Buffer
		require.NoError(t, json.Compact(&compact, raw))
		require.LessOrEqual(t, Size(compact.Bytes()), MaxCardSize, f)
		card := validateCard(t, f, compact.Bytes())
		want := Version15
		if strings.HasPrefix(filepath.Base(f), "summary13_") || strings.HasPrefix(filepath.Base(f), "attachment_unfurl_") {
			want = Version13
		}
		require.Equal(t, want, card["version"], f)
	}
}

// TestSummaryV13UsesOnly13 walks the 1.3 cards and checks, against the
// "version" annotations of the official schema, that no element, action,
// property or enum value is newer than 1.3.
func TestSummaryV13UsesOnly13(t *testing.T) {
	_, doc := officialSchema(t)
	defs := doc["definitions"].(map[string]any)
	b := goldenBuilder()
	for _, rel := range testPages(t) {
		t.Run(rel, func(t *testing.T) {
			raw, err := Encode(b.SummaryCardV13(loadPage(t, rel)))
			require.NoError(t, err)
			var card map[string]any
			require.NoError(t, json.Unmarshal(raw, &card))
			require.Equal(t, Version13, card["version"])
			delete(card, "msteams")
			var problems []string
			walkVersions(defs, "AdaptiveCard", card, "$", &problems)
			require.Empty(t, problems)
		})
	}
}

// walkVersions checks node (an instance of definition def) and its
// children for schema versions above 1.3.
func walkVersions(defs map[string]any, def string, node any, path string, problems *[]string) {
	switch n := node.(type) {
	case []any:
		for i, x := range n {
			walkVersions(defs, def, x, fmt.Sprintf("%s[%d]", path, i), problems)
		}
	case map[string]any:
		if typ, ok := n["type"].(string); ok {
			if _, known := defs[typ]; known {
				def = typ
			}
		}
		d, _ := defs[def].(map[string]any)
		if v := versionOf(d); v > "1.3" {
			*problems = append(*problems, fmt.Sprintf("%s: %s needs %s", path, def, v))
		}
		for k, v := range n {
			ps := propertySchema(defs, d, k)
			if pv := versionOf(ps); pv > "1.3" {
				*problems = append(*problems, fmt.Sprintf("%s.%s needs %s", path, k, pv))
			}
			if ref := refOf(ps); ref != "" {
				if rv := versionOf(defs[ref].(map[string]any)); rv > "1.3" {
					*problems = append(*problems, fmt.Sprintf("%s.%s (%s) needs %s", path, k, ref, rv))
				}
			}
			child := refOf(ps)
			if items, ok := ps["items"].(map[string]any); ok {
				child = refOf(items)
			}
			if strings.HasPrefix(child, "ImplementationsOf.") {
				child = ""
			}
			walkVersions(defs, child, v, path+"."+k, problems)
		}
	}
}

func versionOf(m map[string]any) string {
	if m == nil {
		return ""
	}
	v, _ := m["version"].(string)
	return v
}

// refOf returns the definition name a property schema refers to, directly
// or through anyOf.
func refOf(m map[string]any) string {
	if m == nil {
		return ""
	}
	if r, ok := m["$ref"].(string); ok {
		return strings.TrimPrefix(r, "#/definitions/")
	}
	if alts, ok := m["anyOf"].([]any); ok {
		for _, a := range alts {
			if am, ok := a.(map[string]any); ok {
				if r := refOf(am); r != "" {
					return r
				}
			}
		}
	}
	return ""
}

// propertySchema finds the schema of property k in definition d or the
// definitions it extends.
func propertySchema(defs map[string]any, d map[string]any, k string) map[string]any {
	if d == nil {
		return nil
	}
	if props, ok := d["properties"].(map[string]any); ok {
		if p, ok := props[k].(map[string]any); ok && len(p) > 0 {
			return p
		}
	}
	if all, ok := d["allOf"].([]any); ok {
		for _, a := range all {
			if ref := refOf(a.(map[string]any)); ref != "" {
				if p := propertySchema(defs, defs[ref].(map[string]any), k); p != nil {
					return p
				}
			}
		}
	}
	return nil
}

// firstDiff returns the first differing line of two texts with its
// neighbours, or "" when they are equal.
func firstDiff(want, got string) string {
	if want == got {
		return ""
	}
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(wl), len(gl)); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			lo := max(0, i-3)
			var b strings.Builder
			for j := lo; j < i; j++ {
				fmt.Fprintf(&b, "  %d: %s\n", j+1, wl[j])
			}
			fmt.Fprintf(&b, "- %d: %s\n+ %d: %s\n", i+1, w, i+1, g)
			return b.String()
		}
	}
	return "texts differ"
}
