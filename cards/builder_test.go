package cards

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/l10n"
)

func encode(t testing.TB, c AttachmentContent) string {
	t.Helper()
	b, err := Encode(c)
	require.NoError(t, err)
	return string(b)
}

func TestRisksFromRealPages(t *testing.T) {
	b := goldenBuilder()
	tests := []struct {
		page    string
		want    []string
		notWant []string
	}{
		{"fr-FR/teams/plumm-health-ltd.md",
			[]string{"Broad application permissions: TeamsAppInstallation.ReadWriteForUser.All, User.Read.All",
				"No documented disaster recovery plan", "25 of 58 questions unanswered"},
			[]string{"No annual penetration test"}},
		{"zh-TW/teams/lawtoolboxcominc-lawtoolbox.md",
			[]string{"Broad application permissions: Group.ReadWrite.All, User.ReadWrite.All"},
			nil},
	}
	for _, tt := range tests {
		t.Run(tt.page, func(t *testing.T) {
			var got []string
			for _, r := range b.Risks(loadPage(t, tt.page)) {
				got = append(got, r.Text)
			}
			all := strings.Join(got, "\n")
			for _, w := range tt.want {
				require.Contains(t, all, w)
			}
			for _, w := range tt.notWant {
				require.NotContains(t, all, w)
			}
		})
	}
}

func TestRisksRules(t *testing.T) {
	b := New(WithClock(func() time.Time { return goldenNow }))
	rec := &attestation.Record{
		Slug: "x", Kind: "teams", Updated: attestation.Date{Year: 2019, Month: 1, Day: 5},
		Answers: []attestation.Answer{
			{Key: "sec.annual_pen_test", Section: attestation.SectionSecurity, Value: attestation.ValueNo},
			{Key: "sec.disaster_recovery_plan", Section: attestation.SectionSecurity, Value: attestation.ValueYes},
			{Key: "zt.credentials_in_code", Section: attestation.SectionZeroTrust, Value: attestation.ValueYes},
			{Key: "cert.firewall", Label: "Firewall", Section: attestation.SectionCertification, Value: attestation.ValueFail},
			{Key: "comp.hipaa", Section: attestation.SectionCompliance, Value: attestation.ValueUnanswered},
			{Key: "comp.soc2", Section: attestation.SectionCompliance, Value: attestation.ValueUnanswered},
		},
	}
	var got []string
	for _, r := range b.Risks(rec) {
		got = append(got, r.Text)
	}
	require.Equal(t, []string{
		"Stores credentials in code",
		"Certification control failed: Firewall",
		"No annual penetration test",
		"2 of 5 questions unanswered",
		"Not updated by the developer for 3 years",
	}, got)
}

func TestSummaryContent(t *testing.T) {
	b := goldenBuilder()
	plumm := encode(t, b.Summary(loadPage(t, "fr-FR/teams/plumm-health-ltd.md")))
	for _, want := range []string{
		`"text":"Plumm"`, `Plumm Health LTD · Teams app`, `📋 Publisher Attested`,
		`18 Aug 2021 (11 months ago)`, `{"title":"HIPAA","value":"✅ Yes"}`, `{"title":"GDPR","value":"⬜ Not answered"}`,
		`https://appsource.microsoft.com/product/office/WA200003326`,
		`https://teams.microsoft.com/l/app/d66da813-3337-4f88-8e08-f01c0bbb8f34`,
		`https://learn.microsoft.com/microsoft-365-app-certification/teams/plumm-health-ltd`,
		`"verb":"permissions"`, `"verb":"compare"`, `"verb":"subscribe"`, `"verb":"changes"`,
		`"id":"compareWith"`, `"userIds":[]`,
	} {
		require.Contains(t, plumm, want)
	}
	for _, s := range []string{"general", "data", "security", "compliance", "privacy", "zerotrust"} {
		require.Contains(t, plumm, `"section":"`+s+`"`)
	}
	require.NotContains(t, plumm, `"section":"certification"`, "plumm is attested, not certified")

	moduleq := encode(t, b.Summary(loadPage(t, "fr-FR/teams/moduleq-q.md")))
	require.Contains(t, moduleq, "🏅 Microsoft 365 Certified")
	require.Contains(t, moduleq, `"section":"certification"`)
}

func TestSectionOriginalText(t *testing.T) {
	b := goldenBuilder()
	rec := loadPage(t, "fr-FR/teams/plumm-health-ltd.md")
	plain := encode(t, b.Section(rec, attestation.SectionSecurity, View{}))
	orig := encode(t, b.Section(rec, attestation.SectionSecurity, View{Original: true}))

	require.Contains(t, plain, "✅ Yes")
	require.NotContains(t, plain, `"text":"Oui"`)
	require.Contains(t, plain, `"original":true`, "the toggle asks for the original")
	require.Contains(t, plain, "Show original text (fr-FR)")

	require.Contains(t, orig, `"text":"Original (fr-FR): "`)
	require.Contains(t, orig, `"text":"Oui"`)
	require.Contains(t, orig, `"text":"Non"`)
	require.Contains(t, orig, "Effectuez-vous des tests d’intrusion annuels sur l’application ?", "page wording, as written")
	require.Contains(t, orig, "Hide original text")

	// Text answers are always the publisher's text, in a RichTextBlock
	// (no markdown), with the locale.
	general := encode(t, b.Section(rec, attestation.SectionGeneral, View{}))
	require.Contains(t, general, `{"type":"TextRun","text":"Royaume-Uni de Grande-Bretagne et d’Irlande du Nord (le)"},{"type":"TextRun","text":"  [fr-FR]"`)
}

// collectPages follows a paged card's Next buttons from page 0.
func collectPages(t *testing.T, build func(page int) *AdaptiveCard) []*AdaptiveCard {
	t.Helper()
	var out []*AdaptiveCard
	for page := 0; page < 200; page++ {
		c := build(page)
		out = append(out, c)
		next := false
		for _, e := range c.Body {
			if set, ok := e.(*ActionSet); ok {
				for _, a := range set.Actions {
					if x, ok := a.(*ExecuteAction); ok && strings.HasPrefix(x.Title, "Next") {
						require.Equal(t, page+1, x.Data.Page)
						next = true
					}
				}
			}
		}
		if !next {
			return out
		}
	}
	t.Fatal("more than 200 pages")
	return nil
}

func TestPermissionsPaging(t *testing.T) {
	b := goldenBuilder()
	rec := loadPage(t, "zh-TW/teams/lawtoolboxcominc-lawtoolbox.md")
	require.Len(t, rec.Permissions, 32)
	pages := collectPages(t, func(p int) *AdaptiveCard { return b.Permissions(rec, p) })
	require.Len(t, pages, 3)
	rows := 0
	for i, c := range pages {
		encode(t, c) // within budget
		n := 0       // one Container per permission
		for _, e := range c.Body {
			if _, ok := e.(*Container); ok {
				n++
			}
		}
		require.LessOrEqual(t, n, maxPermissionRows)
		require.Positive(t, n)
		rows += n
		require.Contains(t, encode(t, c), "page "+strconv.Itoa(i+1)+" of 3")
	}
	require.Equal(t, 32, rows, "every permission shown exactly once")

	// Broad application scopes are flagged.
	first := encode(t, pages[0])
	require.Contains(t, first, `"text":"⚠️ Group.ReadWrite.All","color":"attention","weight":"bolder"`)
	// A page out of range shows the last page.
	require.Equal(t, encode(t, pages[2]), encode(t, b.Permissions(rec, 99)))
}

func TestSearchStateLivesInActionData(t *testing.T) {
	b := New(WithClock(func() time.Time { return goldenNow }), WithSearchPageSize(2))
	res := testIndex(t).Search("", attestation.SearchOptions{Limit: -1, Locale: "fr-FR",
		Filters: []attestation.Filter{mustFilter(t, "kind=teams")}})
	require.Greater(t, len(res), 4)
	c := b.Search("teams apps", "fr-FR", res, 1)
	require.NotNil(t, c.Refresh)
	require.Equal(t, VerbSearch, c.Refresh.Action.Verb)
	require.Equal(t, ActionData{Verb: VerbSearch, Query: "teams apps", Page: 1, Locale: "fr-FR"}, *c.Refresh.Action.Data)
	require.Equal(t, []string{}, c.Refresh.UserIDs)
	var prev, next *ActionData
	for _, e := range c.Body {
		if set, ok := e.(*ActionSet); ok {
			for _, a := range set.Actions {
				x := a.(*ExecuteAction)
				switch {
				case strings.HasPrefix(x.Title, "Next"):
					next = x.Data
				case strings.Contains(x.Title, "Previous"):
					prev = x.Data
				}
			}
		}
	}
	require.NotNil(t, prev)
	require.NotNil(t, next)
	require.Equal(t, 0, prev.Page)
	require.Equal(t, 2, next.Page)
	require.Equal(t, "teams apps", next.Query)

	pages := collectPages(t, func(p int) *AdaptiveCard { return b.Search("teams apps", "fr-FR", res, p) })
	require.Len(t, pages, (len(res)+1)/2)
}

func mustFilter(t *testing.T, s string) attestation.Filter {
	t.Helper()
	fs, err := attestation.ParseFilters(s)
	require.NoError(t, err)
	require.Len(t, fs, 1)
	return fs[0]
}

func TestCompareHighlightsDifferences(t *testing.T) {
	b := goldenBuilder()
	plumm := loadPage(t, "fr-FR/teams/plumm-health-ltd.md")
	moduleq := loadPage(t, "fr-FR/teams/moduleq-q.md")
	c := b.Compare([]*attestation.Record{plumm, moduleq})
	var table *Table
	for _, e := range c.Body {
		if tb, ok := e.(*Table); ok {
			table = tb
		}
	}
	require.NotNil(t, table)
	require.Len(t, table.Columns, 3)
	differ, same := 0, 0
	for _, row := range table.Rows[1:] {
		require.Len(t, row.Cells, 3)
		a := row.Cells[1].Items[0].(*TextBlock).Text
		bb := row.Cells[2].Items[0].(*TextBlock).Text
		label := row.Cells[0].Items[0].(*TextBlock).Text
		if a != bb && a != notInRecord(l10n.Default()) && bb != notInRecord(l10n.Default()) {
			differ++
			require.Equal(t, StyleAccent, row.Style, label)
			require.True(t, strings.HasPrefix(label, "≠ "), label)
		} else {
			same++
			require.Empty(t, row.Style, label)
		}
	}
	require.Positive(t, differ)
	require.Positive(t, same)

	// A self-compare has no difference; fewer than two apps is an error.
	self := b.Compare([]*attestation.Record{plumm, plumm})
	require.NotContains(t, encode(t, self), "≠ HIPAA")
	require.Contains(t, encode(t, b.Compare([]*attestation.Record{plumm})), "Nothing to compare")
	four := b.Compare([]*attestation.Record{plumm, moduleq, plumm, moduleq})
	require.Contains(t, encode(t, four), "Only the first three apps are compared.")
}

func TestChangesCard(t *testing.T) {
	b := goldenBuilder()
	changes := []attestation.Change{
		{App: "plumm-health-ltd", Locale: "fr-FR", Field: "permission:Mail.Read", Kind: attestation.ChangeAdded, New: "application", Label: "Graph permission Mail.Read"},
		{App: "plumm-health-ltd", Locale: "fr-FR", Field: "comp.hipaa", Kind: attestation.ChangeChanged, Old: "yes", New: "no", Section: attestation.SectionCompliance, Label: "HIPAA"},
		{App: "plumm-health-ltd", Locale: "fr-FR", Field: "gen.hosting_cloud_providers", Kind: attestation.ChangeWithdrawn, Old: "Azure", Section: attestation.SectionGeneral, Label: "Hosting"},
	}
	c := b.Changes(loadPage(t, "fr-FR/teams/plumm-health-ltd.md"), changes, 0)
	js := encode(t, c)
	// Grouped by section in display order, permissions after sections.
	gi := strings.Index(js, `"text":"General"`)
	ci := strings.Index(js, `"text":"Compliance"`)
	pi := strings.Index(js, `"text":"Microsoft Graph permissions"`)
	require.True(t, gi > 0 && gi < ci && ci < pi, js)
	require.Contains(t, js, `{"type":"TextRun","text":"Yes","color":"attention","strikethrough":true},{"type":"TextRun","text":" → "},{"type":"TextRun","text":"No","color":"good"}`)
	require.Contains(t, js, `{"type":"TextRun","text":"Azure","color":"attention","strikethrough":true}`)
	require.Contains(t, js, `{"type":"TextRun","text":"Application","color":"good"}`)

	// Many changes page, every change shown once.
	var many []attestation.Change
	for i := range 75 {
		many = append(many, attestation.Change{App: "x", Field: "comp.k" + strconv.Itoa(i), Kind: attestation.ChangeAnswered,
			New: strings.Repeat("texte ", 40), Section: attestation.SectionCompliance, Label: "Question " + strconv.Itoa(i)})
	}
	pages := collectPages(t, func(p int) *AdaptiveCard { return b.Changes(nil, many, p) })
	require.Greater(t, len(pages), 2)
	seen := 0
	for _, p := range pages {
		seen += strings.Count(encode(t, p), `"text":"Question `)
	}
	require.Equal(t, 75, seen)
}

func TestHelpListsEveryCommand(t *testing.T) {
	js := encode(t, New().Help())
	for _, ex := range []string{"plumm", "show plumm security", "is plumm hipaa compliant?", "compare plumm and reach",
		"apps with hipaa and iso 27001", "who requests Mail.ReadWrite", "https://appsource.microsoft.com/product/office/WA200003326",
		"WA200003326", "subscribe plumm", "what changed for plumm", "help"} {
		require.Contains(t, js, `"text":"`+ex+`"`)
	}
}

func TestNilAndEmptyInputs(t *testing.T) {
	b := New()
	for name, c := range map[string]*AdaptiveCard{
		"summary":     b.Summary(nil),
		"section":     b.Section(nil, attestation.SectionData, View{}),
		"permissions": b.Permissions(nil, 0),
		"compare":     b.Compare(nil),
		"search":      b.Search("", "", nil, -3),
		"changes":     b.Changes(nil, nil, 7),
		"didyoumean":  b.DidYouMean("", "", nil),
		"error":       b.Error(ErrorMessage{}),
		"notice":      b.Notice(nil, "", "", nil),
		"v13":         b.SummaryCardV13(nil),
		"empty rec":   b.Summary(&attestation.Record{}),
		"empty sec":   b.Section(&attestation.Record{}, "bogus", View{Page: -1}),
	} {
		t.Run(name, func(t *testing.T) {
			validateCard(t, name, []byte(encode(t, c)))
		})
	}
	require.Equal(t, "App not found", b.Preview(nil).Title)
}

// bigRecord is a worst case: every text at its longest, in CJK (3 bytes
// UTF-8, 2 bytes UTF-16), hundreds of rows.
func bigRecord(slug string) *attestation.Record {
	long := strings.Repeat("漢字かな*_[x](y)", 800)
	r := &attestation.Record{
		Slug: slug, Kind: "teams", Locale: "zh-TW", Path: "Apps/teams/" + slug + ".md",
		Name: long, Publisher: long, AppSourceID: "WA200000001", TeamsAppID: "d66da813-3337-4f88-8e08-f01c0bbb8f34",
		Certification: attestation.Certified, Updated: attestation.Date{Year: 2020, Month: 2, Day: 29}, UpdatedRaw: long,
	}
	for _, s := range attestation.Sections {
		for i := range 60 {
			v := attestation.ValueText
			if i%2 == 0 {
				v = attestation.ValueNo
			}
			if s == attestation.SectionCertification {
				v = attestation.ValueFail
			}
			r.Answers = append(r.Answers, attestation.Answer{Key: string(s) + "." + strconv.Itoa(i), Label: long,
				Section: s, Value: v, Text: long, PageLabel: long})
		}
	}
	for _, k := range append(attestation.KeyClaims, attestation.MoreClaims...) {
		r.Answers = append(r.Answers, attestation.Answer{Key: k.Key, Label: long, Section: attestation.SectionCompliance, Value: attestation.ValueText, Text: long})
	}
	for i := range 40 {
		r.Permissions = append(r.Permissions, attestation.Permission{Name: "Scope" + strconv.Itoa(i) + ".ReadWrite.All" + long,
			RawName: long, Type: attestation.Application, EntraAppID: long, Collected: long, Stored: long})
		r.Statements = append(r.Statements, attestation.Statement{Anchor: long, Text: long})
		r.Services = append(r.Services, attestation.Service{Service: long, Data: long, Justification: long})
		r.OtherAPIs = append(r.OtherAPIs, attestation.APIUse{API: long, Collected: long, Stored: long})
	}
	return r
}

// TestWorstCaseStaysInBudget builds every card from oversized records and
// checks that each page fits MaxCardSize and is schema-valid.
func TestWorstCaseStaysInBudget(t *testing.T) {
	b := goldenBuilder()
	r1, r2, r3 := bigRecord("a"), bigRecord("b"), bigRecord("c")
	var changes []attestation.Change
	for i := range 200 {
		changes = append(changes, attestation.Change{App: "a", Field: "f" + strconv.Itoa(i), Kind: attestation.ChangeChanged,
			Old: r1.Name, New: r1.Name, Label: r1.Name, Section: attestation.Sections[i%8]})
	}
	var results []attestation.Result
	for i := range 60 {
		results = append(results, attestation.Result{Slug: "s" + strconv.Itoa(i), Kind: "teams", Name: r1.Name,
			Publisher: r1.Name, Locales: []string{"zh-TW"}, Records: []*attestation.Record{r1}})
	}
	long := r1.Name
	cards := map[string]func(page int) *AdaptiveCard{
		"summary":     func(int) *AdaptiveCard { return b.Summary(r1) },
		"v13":         func(int) *AdaptiveCard { return b.SummaryCardV13(r1) },
		"compare":     func(int) *AdaptiveCard { return b.Compare([]*attestation.Record{r1, r2, r3}) },
		"permissions": func(p int) *AdaptiveCard { return b.Permissions(r1, p) },
		"changes":     func(p int) *AdaptiveCard { return b.Changes(r1, changes, p) },
		"search":      func(p int) *AdaptiveCard { return b.Search(long, long, results, p) },
		"didyoumean":  func(int) *AdaptiveCard { return b.DidYouMean(long, long, results) },
		"error":       func(int) *AdaptiveCard { return b.Error(ErrorMessage{Title: long, Detail: long}) },
		"notice":      func(int) *AdaptiveCard { return b.Notice(r1, long, long, nil) },
	}
	for _, s := range attestation.Sections {
		cards["section_"+string(s)] = func(p int) *AdaptiveCard { return b.Section(r1, s, View{Page: p, Original: true}) }
	}
	for name, build := range cards {
		t.Run(name, func(t *testing.T) {
			for _, c := range collectPages(t, build) {
				raw, err := Encode(c)
				require.NoError(t, err)
				validateCard(t, name, raw)
			}
		})
	}
}

// FuzzBuilders feeds arbitrary text into a record and checks that no
// builder panics, and that every card is valid JSON within the budget.
func FuzzBuilders(f *testing.F) {
	f.Add("Plumm", "Plumm Health LTD", "fr-FR", "Oui", "User.Read.All", 0, 3)
	f.Add("", "", "", "", "", -1, -1)
	f.Add("漢字\x00\xff<at>x</at>", "**bold** [l](u)", "zz", "\u202e", "Mail.*", 9999, 1<<30)
	f.Fuzz(func(t *testing.T, name, publisher, locale, text, scope string, page, year int) {
		b := goldenBuilder()
		r := &attestation.Record{Slug: "s", Kind: "teams", Locale: locale, Name: name, Publisher: publisher,
			Updated: attestation.Date{Year: year, Month: time.Month(page%14 + 1), Day: page % 40},
			Answers: []attestation.Answer{
				{Key: "comp.hipaa", Label: text, Section: attestation.SectionCompliance, Value: attestation.Value(text), Text: text},
				{Key: "gen.x", Label: name, Section: attestation.Section(text), Value: attestation.ValueText, Text: text},
			},
			Permissions: []attestation.Permission{{Name: scope, Type: attestation.PermissionType(text), Collected: text}},
			Statements:  []attestation.Statement{{Anchor: text, Text: text}},
		}
		ch := []attestation.Change{{App: name, Field: text, Kind: attestation.ChangeKind(text), Old: text, New: name, Section: attestation.Section(scope)}}
		res := []attestation.Result{{Slug: name, Kind: text, Name: name, Records: []*attestation.Record{r}}}
		for _, c := range []AttachmentContent{
			b.Summary(r), b.SummaryCardV13(r), b.Section(r, attestation.Section(text), View{Page: page, Original: true}),
			b.Section(r, attestation.SectionCompliance, View{Page: page}), b.Permissions(r, page),
			b.Compare([]*attestation.Record{r, r}), b.Changes(r, ch, page), b.Search(text, locale, res, page),
			b.DidYouMean(text, locale, res), b.Preview(r),
		} {
			raw, err := Encode(c)
			require.NoError(t, err)
			require.True(t, json.Valid(raw))
		}
	})
}

func TestCompareLeavesOutUnaskedRows(t *testing.T) {
	b := goldenBuilder()
	plumm := loadPage(t, "fr-FR/teams/plumm-health-ltd.md")
	saberr := loadPage(t, "de-DE/teams/saberr.md")
	tests := []struct {
		name     string
		recs     []*attestation.Record
		wantNote string // "" for no note
	}{
		{"a short record is pointed out", []*attestation.Record{plumm, saberr}, "Saberr's page does not ask "},
		{"the same record twice needs no note", []*attestation.Record{plumm, plumm}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := b.Compare(tt.recs)
			js := encode(t, c)
			var table *Table
			for _, e := range c.Body {
				if tb, ok := e.(*Table); ok {
					table = tb
				}
			}
			require.NotNil(t, table)
			for _, row := range table.Rows[1:] {
				all := true
				for _, cell := range row.Cells[1:] {
					tb, ok := cell.Items[0].(*TextBlock)
					require.True(t, ok)
					all = all && tb.Text == notInRecord(l10n.Default())
				}
				require.False(t, all, "a row no page asks is shown: %+v", row.Cells[0].Items[0])
			}
			if tt.wantNote == "" {
				require.NotContains(t, js, "page does not ask")
			} else {
				require.Contains(t, js, tt.wantNote)
			}
		})
	}
}

func TestPermissionsEntraAppID(t *testing.T) {
	b := goldenBuilder()
	one := &attestation.Record{Slug: "a", Kind: "teams", Locale: "en-US", Name: "A", Permissions: []attestation.Permission{
		{Name: "User.Read", Type: attestation.Delegated, EntraAppID: "app-1", Collected: "x"},
		{Name: "Mail.Read", Type: attestation.Application, EntraAppID: "app-1", Collected: "y"},
	}}
	two := &attestation.Record{Slug: "b", Kind: "teams", Locale: "en-US", Name: "B", Permissions: []attestation.Permission{
		{Name: "User.Read", Type: attestation.Delegated, EntraAppID: "app-1", Collected: "x"},
		{Name: "Mail.Read", Type: attestation.Application, EntraAppID: "app-2", Collected: "y"},
	}}
	// One app: its ID once, under the count.
	js := encode(t, b.Permissions(one, 0))
	require.Equal(t, 1, strings.Count(js, "app-1"), js)
	require.Contains(t, js, `"text":"Entra app ID "`)
	require.Contains(t, js, `"text":"Application permission · broad application scope"`)
	// Several apps: the ID on each permission.
	js = encode(t, b.Permissions(two, 0))
	require.Contains(t, js, `"text":"Delegated permission · Entra app ID app-1"`)
	require.Contains(t, js, `"text":"Application permission · broad application scope · Entra app ID app-2"`)
	require.NotContains(t, js, `"text":"Entra app ID "`)
}
