package attestation

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

// Synthetic catalogs for the search benchmarks: varied app names built
// from word lists, machine-translation-like variants per locale (accents,
// Cyrillic, kana, Han), publishers, IDs, answers and permissions.

var (
	synthPrefixes = []string{
		"Acme", "Contoso", "Fabrikam", "Northwind", "Tailspin", "Woodgrove", "Litware", "Adatum", "Proseware",
		"Wingtip", "Zava", "Lucerne", "Alpine", "Blue Yonder", "Coho", "Fourth Coffee", "Graphic Design", "Humongous",
		"Margie", "Trey", "Wide World", "Relecloud", "Munson", "Bellows", "Datum", "Southridge", "Consolidated",
		"Lamna", "Olympia", "Plumm", "Kudo", "Zoho", "Sapiens", "Vertex", "Quantum", "Nimbus", "Helix", "Orbit",
		"Pioneer", "Summit", "Evergreen", "Cascade", "Redwood", "Granite", "Sterling", "Beacon", "Harbor", "Maple",
	}
	synthCores = []string{
		"Sign", "Meet", "Notes", "Tasks", "Forms", "Chat", "Survey", "Planner", "Calendar", "Booking", "Recruit",
		"Payroll", "Expense", "Wellness", "Learning", "Docs", "Drive", "Sales", "CRM", "Desk", "Helpdesk",
		"Analytics", "Reports", "Polls", "Vault", "Scan", "Translate", "Whiteboard", "Standup", "Kudos",
		"Rewards", "Time", "Shift", "Ticket", "Inventory", "Contracts", "Invoice", "Training", "Quiz", "Feedback",
	}
	synthSuffixes = []string{"", "", "", "Pro", "Plus", "for Teams", "365", "Hub", "Bot", "Connect", "Cloud", "Assistant", "Lite"}
	synthLegal    = []string{"Inc", "Ltd", "GmbH", "SAS", "Corp", "LLC", "AG", "BV"}
	synthLocales  = []string{"de-DE", "es-ES", "fr-FR", "it-IT", "ja-JP", "ko-KR", "pt-BR", "ru-RU", "zh-CN", "zh-TW"}
	synthKinds    = []string{"teams", "teams", "teams", "teams", "teams", "saas", "word", "outlook", "sharepoint", "excel", "web", "powerpoint"}
	synthScopes   = []string{"User.Read", "openid", "profile", "offline_access", "email", "Mail.Read", "Mail.ReadWrite", "Mail.Send",
		"Calendars.ReadWrite", "Files.Read.All", "Sites.Read.All", "User.Read.All", "Chat.Read", "Team.ReadBasic.All"}
	synthKeys = []string{"comp.hipaa", "comp.hitrust_csf", "comp.soc1", "comp.soc2", "comp.soc3", "comp.pci_dss_annual",
		"comp.iso27001", "comp.iso27018", "comp.iso27017", "comp.iso27002", "comp.fedramp", "comp.ferpa", "comp.coppa",
		"comp.sox", "comp.nist_800_171", "comp.csa_star", "sec.annual_pen_test", "sec.disaster_recovery_plan",
		"data.stores_customer_data", "priv.gdpr_or_privacy_obligations", "zt.supports_conditional_access"}
	// synthTranslations renders core words the way machine translation
	// does in a few locales.
	synthTranslations = map[string]map[string]string{
		"fr-FR": {"Sign": "Signer", "Notes": "Remarques", "Tasks": "Tâches", "Calendar": "Calendrier", "Survey": "Enquête",
			"Reports": "Rapports", "Expense": "Dépenses", "Learning": "Apprentissage", "Feedback": "Commentaires"},
		"de-DE": {"Tasks": "Aufgaben", "Calendar": "Kalender", "Reports": "Berichte", "Training": "Schulung", "Time": "Zeit"},
		"es-ES": {"Tasks": "Tareas", "Calendar": "Calendario", "Reports": "Informes", "Sales": "Ventas"},
		"ru-RU": {"Tasks": "Задачи", "Calendar": "Календарь", "Reports": "Отчеты", "Chat": "Чат"},
		"ja-JP": {"Tasks": "タスク", "Calendar": "カレンダー", "Meet": "会議", "Reports": "レポート", "Chat": "チャット"},
		"zh-CN": {"Tasks": "任务", "Calendar": "日历", "Reports": "报表", "Meet": "会议", "Chat": "聊天"},
		"zh-TW": {"Tasks": "工作", "Calendar": "行事曆", "Reports": "報表產生器", "Meet": "會議"},
		"ko-KR": {"Tasks": "작업", "Calendar": "일정", "Reports": "보고서"},
	}
)

type synthApp struct {
	slug, kind, name, publisher, asID, teamsID, entraID string
	prefix, core, suffix                                string
}

func synthGUID(r *rand.Rand) string {
	const hex = "0123456789abcdef"
	b := make([]byte, 36)
	for i := range b {
		switch i {
		case 8, 13, 18, 23:
			b[i] = '-'
		default:
			b[i] = hex[r.IntN(16)]
		}
	}
	return string(b)
}

// synthCatalog builds apps×locales records (locales ≤ 10).
func synthCatalog(apps, locales int) []*Record {
	r := rand.New(rand.NewPCG(1, 2))
	recs := make([]*Record, 0, apps*locales)
	for i := 0; i < apps; i++ {
		a := synthApp{
			prefix: synthPrefixes[r.IntN(len(synthPrefixes))],
			core:   synthCores[r.IntN(len(synthCores))],
			suffix: synthSuffixes[r.IntN(len(synthSuffixes))],
			kind:   synthKinds[r.IntN(len(synthKinds))],
		}
		a.name = strings.TrimSpace(a.prefix + " " + a.core + " " + a.suffix)
		if r.IntN(4) == 0 {
			a.name += " " + synthCores[r.IntN(len(synthCores))]
		}
		a.publisher = a.prefix + " " + synthLegal[r.IntN(len(synthLegal))]
		a.slug = strings.ReplaceAll(strings.ToLower(a.publisher+" "+a.name), " ", "-") + fmt.Sprintf("-%d", i)
		a.asID = fmt.Sprintf("WA2%08d", i)
		a.teamsID = synthGUID(r)
		a.entraID = synthGUID(r)
		answers := make([]Answer, 0, len(synthKeys))
		for _, k := range synthKeys {
			v := []Value{ValueYes, ValueNo, ValueNotApplicable, ValueUnanswered}[r.IntN(4)]
			answers = append(answers, Answer{Key: k, Value: v})
		}
		var perms []Permission
		for n := r.IntN(6); n > 0; n-- {
			perms = append(perms, Permission{Name: synthScopes[r.IntN(len(synthScopes))],
				Type: []PermissionType{Delegated, Application}[r.IntN(2)], EntraAppID: a.entraID})
		}
		cert := Attested
		if r.IntN(10) == 0 {
			cert = Certified
		}
		for l := 0; l < locales; l++ {
			loc := synthLocales[(i+l)%len(synthLocales)]
			name := a.name
			if tr, ok := synthTranslations[loc][a.core]; ok && r.IntN(2) == 0 {
				name = strings.Replace(name, a.core, tr, 1)
			}
			recs = append(recs, &Record{
				Slug: a.slug, Kind: a.kind, Type: PageApp, Locale: loc, Path: "Apps/" + a.kind + "/" + a.slug + ".md",
				Name: name, Anchor: strings.ToLower(strings.ReplaceAll(a.name, " ", "-")), Publisher: a.publisher,
				AppSourceID: a.asID, TeamsAppID: a.teamsID, Certification: cert,
				Links: Links{AppSource: "https://appsource.microsoft.com/product/office/" + a.asID,
					TeamsStore: "https://teams.microsoft.com/l/app/" + a.teamsID},
				Answers: answers, Permissions: perms,
			})
		}
	}
	return recs
}

// synthQueries mixes exact names, prefixes, typos, other-locale and CJK
// names, publishers, IDs, links and misses.
func synthQueries(recs []*Record) []string {
	r := rand.New(rand.NewPCG(3, 4))
	var qs []string
	for i := 0; i < 12; i++ {
		rec := recs[r.IntN(len(recs))]
		name := rec.Name
		qs = append(qs, name, strings.ToLower(name[:min(len(name), 4)]), typo(r, name), rec.Publisher)
	}
	first := recs[r.IntN(len(recs))]
	qs = append(qs,
		first.AppSourceID, first.TeamsAppID, firstEntraID(first),
		first.Links.AppSource+"?tab=Overview", first.Links.TeamsStore,
		"https://learn.microsoft.com/fr-fr/microsoft-365-app-certification/"+first.Kind+"/"+first.Slug,
		"contso tasks", "fabrikm notes pro", "northwind calender", "tâches", "Aufgaben", "Задачи", "カレンダー", "报表",
		"報表產生器", "a", "zz", "qqqq zzzz", "sign", "wide world meet for teams", "helpdsk", "plum",
	)
	return qs
}

// firstEntraID returns the first permission's Entra app ID, or the Teams
// app ID when the record has none.
func firstEntraID(r *Record) string {
	if len(r.Permissions) > 0 && r.Permissions[0].EntraAppID != "" {
		return r.Permissions[0].EntraAppID
	}
	return r.TeamsAppID
}

// typo swaps two adjacent letters of a longer word of s.
func typo(r *rand.Rand, s string) string {
	b := []rune(strings.ToLower(s))
	if len(b) < 5 {
		return string(b)
	}
	i := 1 + r.IntN(len(b)-3)
	b[i], b[i+1] = b[i+1], b[i]
	return string(b)
}

func benchSearch(b *testing.B, recs []*Record, opts SearchOptions) {
	ix := NewIndex(recs)
	qs := synthQueries(recs)
	for _, q := range qs { // warm the scratch pool
		ix.Search(q, opts)
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	wall := make([]time.Duration, 0, 1<<16)
	cpu := make([]time.Duration, 0, 1<<16)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		q := qs[i%len(qs)]
		c0, cok := threadCPU()
		start := time.Now()
		ix.Search(q, opts)
		d := time.Since(start)
		c1, _ := threadCPU()
		if len(wall) < cap(wall) {
			wall = append(wall, d)
			if cok {
				cpu = append(cpu, c1-c0)
			}
		}
	}
	b.StopTimer()
	reportPercentiles(b, wall, "")
	reportPercentiles(b, cpu, "cpu-")
}

// reportPercentiles reports p50 and p99 of per-operation durations.
func reportPercentiles(b *testing.B, durs []time.Duration, prefix string) {
	if len(durs) == 0 {
		return
	}
	slices.Sort(durs)
	b.ReportMetric(float64(durs[len(durs)/2].Nanoseconds()), prefix+"p50-ns")
	b.ReportMetric(float64(durs[len(durs)*99/100].Nanoseconds()), prefix+"p99-ns")
}

// BenchmarkSearch measures Search over 20,000 records: 2,000 apps in ten
// locales (like the real catalog) and 20,000 distinct apps in one locale
// (the harder case), plus filtered searches and filter-only listings.
func BenchmarkSearch(b *testing.B) {
	catalog := synthCatalog(2000, 10)
	distinct := synthCatalog(20000, 1)
	b.Run("catalog-2000x10", func(b *testing.B) { benchSearch(b, catalog, SearchOptions{}) })
	b.Run("distinct-20000x1", func(b *testing.B) { benchSearch(b, distinct, SearchOptions{}) })
	fs, err := ParseFilters("hipaa iso27001 kind=teams")
	if err != nil {
		b.Fatal(err)
	}
	b.Run("catalog-filtered", func(b *testing.B) { benchSearch(b, catalog, SearchOptions{Filters: fs}) })
	b.Run("filter-listing-catalog", func(b *testing.B) {
		ix := NewIndex(catalog)
		b.ReportAllocs()
		for b.Loop() {
			ix.Search("", SearchOptions{Filters: fs})
		}
	})
	b.Run("filter-count-catalog", func(b *testing.B) {
		ix := NewIndex(catalog)
		b.ReportAllocs()
		for b.Loop() {
			ix.Count(fs)
		}
	})
}

// BenchmarkNewIndex13k builds the index over 13,000 records (1,300 apps in
// ten locales, the size of the real corpus) and reports the heap the
// index holds beyond the records (index-bytes).
func BenchmarkNewIndex13k(b *testing.B) {
	recs := synthCatalog(1300, 10)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	ix := NewIndex(recs)
	ix.Search("warm", SearchOptions{}) // one pooled scratch
	runtime.GC()
	runtime.ReadMemStats(&after)
	indexBytes := float64(after.HeapAlloc) - float64(before.HeapAlloc)
	apps := ix.Len()
	runtime.KeepAlive(ix)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		NewIndex(recs)
	}
	b.ReportMetric(indexBytes, "index-bytes")
	b.ReportMetric(float64(apps), "apps")
	b.Logf("index over %d records (%d apps): %.0f bytes of heap", len(recs), apps, indexBytes)
}

// BenchmarkDiff measures Diff per page pair: the real fr-FR history pairs
// whose source hash changed, and a synthetic pair of full records.
func BenchmarkDiff(b *testing.B) {
	type pair struct{ o, n *Record }
	var pairs []pair
	for _, slug := range []string{"plumm-health-ltd", "cisco-webex-call", "ringcentral-inc"} {
		_, recs := diffHistory(b, slug)
		for i := 1; i < len(recs); i++ {
			if recs[i-1].Meta.SourceHash != recs[i].Meta.SourceHash {
				pairs = append(pairs, pair{recs[i-1], recs[i]})
			}
		}
	}
	b.Run("history-pairs", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			p := pairs[i%len(pairs)]
			Diff(p.o, p.n, DiffOptions{IncludeText: true})
		}
	})
	b.Run("same-hash", func(b *testing.B) {
		p := pairs[0]
		n := *p.n
		n.Meta.SourceHash = p.o.Meta.SourceHash
		b.ReportAllocs()
		for b.Loop() {
			Diff(p.o, &n, DiffOptions{})
		}
	})
}
