package attestation

import (
	"cmp"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"
)

// MatchKind says why a search result matched.
type MatchKind string

// Match kinds, from the strongest to the weakest.
const (
	MatchAppSourceID MatchKind = "appsource_id" // the AppSource offer ID
	MatchTeamsAppID  MatchKind = "teams_app_id" // the Teams store app GUID
	MatchEntraAppID  MatchKind = "entra_app_id" // an Entra app ID of the permissions or azure page
	MatchSlug        MatchKind = "slug"         // the page slug, kind/slug or record ID
	MatchName        MatchKind = "name"         // the whole name, in some locale
	MatchNamePrefix  MatchKind = "name_prefix"  // the name starts with the query
	MatchPublisher   MatchKind = "publisher"    // the whole publisher name
	MatchWords       MatchKind = "words"        // every query word is a word of the name
	MatchFuzzy       MatchKind = "fuzzy"        // similar words in the name, slug or publisher
	MatchFilter      MatchKind = "filter"       // listed by filters alone (empty query)
)

// Confidence says how sure a search is that a result is the app the user
// named. Only an exact match may be acted on (a yes/no answer, a
// subscription); a close match is shown or offered for confirmation; a
// loose match is only ever a suggestion.
type Confidence string

// Confidences, from the strongest.
const (
	// ConfidenceExact: an identifier (AppSource ID, Teams or Entra app ID,
	// slug, link) or a whole name of the app in some locale, with or
	// without generic words such as "for Teams".
	ConfidenceExact Confidence = "exact"
	// ConfidenceClose: a typo of a whole name (edit distance small for
	// its length) or most of a name typed from its start ("plum" for
	// "Plumm").
	ConfidenceClose Confidence = "close"
	// ConfidenceLoose: anything else (some words of a name, a publisher, a
	// similar word).
	ConfidenceLoose Confidence = "loose"
)

// Scores of the match tiers: exact ID > exact name > prefix > publisher >
// words and fuzzy matches.
const (
	scoreID        = 1000
	scoreName      = 900
	scorePrefix    = 800 // plus up to 99 for the share of the name typed
	scorePublisher = 650
	scoreWords     = 700 // times the word score; below a prefix match
)

// DefaultSearchLimit is the number of results Search returns when
// SearchOptions.Limit is zero.
const DefaultSearchLimit = 10

// SearchOptions tune a search.
type SearchOptions struct {
	// Limit caps the number of results: 0 means DefaultSearchLimit, a
	// negative value means no limit.
	Limit int
	// Locale is the preferred locale: its record comes first in
	// Result.Records and gives Result.Name when present.
	Locale string
	// Filters keep only apps with at least one record matching all of
	// them.
	Filters []Filter
}

// Result is one app found by a search: every locale's record of the same
// page (kind and slug) grouped together.
type Result struct {
	// Key is kind/slug, the grouping key.
	Key string `json:"key"`
	// Slug is the page slug.
	Slug string `json:"slug"`
	// Kind is the page kind (teams, saas, azure…).
	Kind string `json:"kind"`
	// Type is the page type.
	Type PageType `json:"type"`
	// Name is the display name: the preferred locale's, else the name most
	// locales agree on.
	Name string `json:"name"`
	// Publisher is the publisher as shown with Name.
	Publisher string `json:"publisher"`
	// AppSourceID is the AppSource offer ID.
	AppSourceID string `json:"appsource_id,omitempty"`
	// TeamsAppID is the Teams store app GUID.
	TeamsAppID string `json:"teams_app_id,omitempty"`
	// Certification is the certification of the displayed record.
	Certification Certification `json:"certification"`
	// Locales lists the locales the page exists in, sorted.
	Locales []string `json:"locales"`
	// Records holds one record per locale: the preferred locale first,
	// then by locale. The records are shared with the index: do not modify
	// them.
	Records []*Record `json:"-"`
	// Score ranks the result (higher is better).
	Score float64 `json:"score"`
	// Match says why the result matched.
	Match MatchKind `json:"match"`
	// Matched is the folded text or the ID that matched.
	Matched string `json:"matched,omitempty"`
	// Confidence says how sure the search is that this is the app the
	// query named (see Confidence).
	Confidence Confidence `json:"confidence"`
	// App is the key (kind/slug) that stands for the app: Key, or for an
	// app listed several times (pages with the same AppSource ID) the
	// same key for every listing.
	App string `json:"app"`
	// Listings are the app's other pages (same AppSource ID), in name
	// order; a search returns one result per app.
	Listings []Listing `json:"listings,omitempty"`
}

// Record returns the result's record for a locale, or the first record
// when the page does not exist in that locale.
func (r Result) Record(locale string) *Record {
	for _, rec := range r.Records {
		if strings.EqualFold(rec.Locale, locale) {
			return rec
		}
	}
	if len(r.Records) > 0 {
		return r.Records[0]
	}
	return nil
}

type entryField uint8

const (
	fieldName entryField = iota
	fieldSlug
	fieldPublisher
)

// fieldWeight scales word and fuzzy scores by where the words were found.
var fieldWeight = [...]float64{fieldName: 1, fieldSlug: 0.85, fieldPublisher: 0.75}

// searchGroup is all locales of one page.
type searchGroup struct {
	key, kind, slug string
	typ             PageType
	records         []*Record // sorted by locale
	first           int32     // index of records[0] in the per-record tables
	locales         []string
	name            string // majority name
	publisher       string // publisher of the majority-name record
	appSourceID     string
	teamsAppID      string
	// names are the group's distinct folded names (every locale, the
	// anchor) and their cores without generic words, for Confidence.
	names []string
}

// searchEntry is one distinct folded text of a group.
type searchEntry struct {
	group int32
	field entryField
	ntok  uint8
}

type nameRef struct {
	text  string
	group int32
}

// Index is an in-memory search index over records of every locale. Build
// it with NewIndex; it is immutable afterwards and safe for concurrent
// use.
type Index struct {
	groups  []searchGroup // sorted by folded display name, then key
	entries []searchEntry

	// The maps below are filled while the index is built; pack freezes
	// them into tables (frozenTables) and drops them.
	byKey       map[string]int32
	bySlug      map[string][]int32
	byRecordID  map[string]int32
	byAppSource map[string][]int32
	byTeams     map[string][]int32
	byEntra     map[string][]int32
	exactName   map[string][]int32
	exactPub    map[string][]int32
	vocabID     map[string]int32   // token → id
	vocabGrams  map[string][]int32 // padded bigram → word token ids of 3+ runes
	frozen      frozenTables       // the maps above, once built

	names []nameRef // sorted by text, for prefix search

	vocab    []string  // token strings; id = index
	postings [][]int32 // token id → entry ids (sorted, distinct); while built
	postOff  []uint32  // token id → its entry ids in postFlat, once built
	postFlat []int32
	sorted   []int32 // token ids sorted by string
	runeLen  []uint8 // token id → rune count (capped at 255)
	glued    []bool  // token id → only seen as two glued words

	keyIndex   map[string]int // answer key → column of recAnswers
	recAnswers []uint8        // record × key → value code (0 = absent)
	recPub     []string       // record → folded publisher
	recStorage [][]string     // record → places of its storage location answer
	recHQ      [][]string     // record → places of its headquarters answer

	appOf    []int32           // group → the representative group of its app
	listings map[int32][]int32 // representative → every group of an app listed several times

	pool sync.Pool // *searchScratch
}

// NewIndex builds a search index. Index pages are left out; nil records
// are skipped. Records of the same kind and slug are grouped as one app.
func NewIndex(records []*Record) *Index {
	ix := &Index{
		byKey: map[string]int32{}, bySlug: map[string][]int32{}, byRecordID: map[string]int32{},
		byAppSource: map[string][]int32{}, byTeams: map[string][]int32{}, byEntra: map[string][]int32{},
		exactName: map[string][]int32{}, exactPub: map[string][]int32{}, vocabID: map[string]int32{},
		vocabGrams: map[string][]int32{},
	}
	ix.groups = groupRecords(records)
	for gi := range ix.groups {
		ix.indexGroup(int32(gi))
	}
	ix.linkAzureApps()
	ix.linkListings()
	ix.indexNameHeads()
	slices.SortFunc(ix.names, func(a, b nameRef) int {
		if c := cmp.Compare(a.text, b.text); c != 0 {
			return c
		}
		return cmp.Compare(a.group, b.group)
	})
	ix.buildVocabulary()
	ix.buildFilterTables()
	ix.pack()
	ix.pool.New = ix.newScratch
	return ix
}

// groupRecords groups the records of each page (kind and slug) across
// locales, sorted by folded display name, then key.
func groupRecords(records []*Record) []searchGroup {
	byKey := map[string]*searchGroup{}
	for _, r := range records {
		if r == nil || r.Type == PageIndex {
			continue
		}
		key := strings.ToLower(r.Kind) + "/" + strings.ToLower(r.Slug)
		g := byKey[key]
		if g == nil {
			g = &searchGroup{key: key, kind: strings.ToLower(r.Kind), slug: strings.ToLower(r.Slug), typ: r.Type}
			byKey[key] = g
		}
		g.records = append(g.records, r)
	}
	type sortable struct {
		g    *searchGroup
		sort string
	}
	all := make([]sortable, 0, len(byKey))
	for _, g := range byKey {
		g.finish()
		all = append(all, sortable{g, Fold(g.name)})
	}
	slices.SortFunc(all, func(a, b sortable) int {
		if c := cmp.Compare(a.sort, b.sort); c != 0 {
			return c
		}
		return cmp.Compare(a.g.key, b.g.key)
	})
	groups := make([]searchGroup, len(all))
	for i, s := range all {
		groups[i] = *s.g
	}
	return groups
}

// finish sorts a group's records by locale and sets its locales, display
// name, publisher and identifiers.
func (g *searchGroup) finish() {
	slices.SortStableFunc(g.records, func(a, b *Record) int { return cmp.Compare(a.Locale, b.Locale) })
	g.locales = make([]string, 0, len(g.records))
	for _, r := range g.records {
		if len(g.locales) == 0 || g.locales[len(g.locales)-1] != r.Locale {
			g.locales = append(g.locales, r.Locale)
		}
	}
	best := majorityRecord(g.records)
	g.name, g.publisher = best.Name, best.Publisher
	if g.name == "" {
		g.name = g.slug
	}
	for _, r := range g.records {
		if g.appSourceID == "" {
			g.appSourceID = recordAppSourceID(r)
		}
		if g.teamsAppID == "" {
			g.teamsAppID = recordTeamsAppID(r)
		}
	}
}

// token returns the vocabulary ID of a token, adding it; glued tokens
// are two adjacent words written as one.
func (ix *Index) token(tok string, glued bool) int32 {
	id, ok := ix.vocabID[tok]
	if !ok {
		id = int32(len(ix.vocab))
		ix.vocabID[tok] = id
		ix.vocab = append(ix.vocab, tok)
		ix.postings = append(ix.postings, nil)
		ix.runeLen = append(ix.runeLen, uint8(min(utf8.RuneCountInString(tok), 255)))
		ix.glued = append(ix.glued, glued)
	} else if !glued {
		ix.glued[id] = false
	}
	return id
}

// addEntry indexes one distinct folded text of a group: its words, and
// adjacent words glued ("share point" → "sharepoint").
func (ix *Index) addEntry(gi int32, field entryField, folded string, seen map[string]bool) {
	if folded == "" || seen[folded] {
		return
	}
	seen[folded] = true
	toks := tokenize(folded)
	if len(toks) == 0 {
		return
	}
	ei := int32(len(ix.entries))
	ix.entries = append(ix.entries, searchEntry{group: gi, field: field, ntok: uint8(min(len(toks), 255))})
	post := func(tok string, glued bool) {
		id := ix.token(tok, glued)
		p := ix.postings[id]
		if n := len(p); n == 0 || p[n-1] != ei {
			ix.postings[id] = append(p, ei)
		}
	}
	for i, t := range toks {
		post(t, false)
		if i > 0 && !isCJKToken(t) && !isCJKToken(toks[i-1]) {
			post(toks[i-1]+t, true)
		}
	}
}

// addRef appends group gi to m[k] once.
func addRef(m map[string][]int32, k string, gi int32) {
	if k == "" {
		return
	}
	if l := m[k]; len(l) == 0 || l[len(l)-1] != gi {
		m[k] = append(l, gi)
	}
}

// indexGroup indexes a group's identifiers, names, publishers and slug.
func (ix *Index) indexGroup(gi int32) {
	g := &ix.groups[gi]
	ix.byKey[g.key] = gi
	addRef(ix.bySlug, g.slug, gi)
	seen := map[string]bool{}
	seenPub := map[string]bool{}
	for _, r := range g.records {
		ix.indexIdentifiers(gi, g, r)
		fn := Fold(r.Name)
		g.addName(fn)
		if r.Anchor != "" && g.kind != "azure" {
			g.addName(Fold(r.Anchor))
		}
		if fn != "" && !seen[fn] {
			addRef(ix.exactName, fn, gi)
			ix.names = append(ix.names, nameRef{fn, gi})
		}
		ix.addEntry(gi, fieldName, fn, seen)
		if r.Anchor != "" {
			fa := Fold(r.Anchor)
			if fa != "" && !seen[fa] && g.kind != "azure" {
				addRef(ix.exactName, fa, gi)
				ix.names = append(ix.names, nameRef{fa, gi})
				ix.addEntry(gi, fieldName, fa, seen)
			}
		}
		fp := Fold(r.Publisher)
		if fp != "" && !seenPub[fp] {
			addRef(ix.exactPub, fp, gi)
		}
		ix.addEntry(gi, fieldPublisher, fp, seenPub)
	}
	if g.kind != "azure" {
		ix.addEntry(gi, fieldSlug, Fold(g.slug), map[string]bool{})
		g.addName(Fold(g.slug))
	}
}

// indexIdentifiers indexes a record's record ID, AppSource, Teams and
// Entra app IDs.
func (ix *Index) indexIdentifiers(gi int32, g *searchGroup, r *Record) {
	ix.byRecordID[strings.ToLower(r.ID())] = gi
	addRef(ix.byAppSource, recordAppSourceID(r), gi)
	if r.AppSourceID != "" {
		if id, ok := normalizeAppSourceID(r.AppSourceID); ok {
			addRef(ix.byAppSource, id, gi)
		}
	}
	addRef(ix.byTeams, recordTeamsAppID(r), gi)
	for _, p := range r.Permissions {
		if IsGUID(p.EntraAppID) {
			addRef(ix.byEntra, strings.ToLower(p.EntraAppID), gi)
		}
	}
	if r.Azure != nil && IsGUID(r.Azure.AppID) {
		addRef(ix.byEntra, strings.ToLower(r.Azure.AppID), gi)
	}
	if g.kind == "azure" && IsGUID(g.slug) {
		addRef(ix.byEntra, g.slug, gi)
	}
}

// linkAzureApps makes the apps listed on an azure-id page findable by its
// Entra app ID too.
func (ix *Index) linkAzureApps() {
	for gi := range ix.groups {
		for _, r := range ix.groups[gi].records {
			if r.Azure == nil || !IsGUID(r.Azure.AppID) {
				continue
			}
			entra := strings.ToLower(r.Azure.AppID)
			for _, a := range r.Azure.Apps {
				id, ok := normalizeAppSourceID(a.AppSourceID)
				if !ok {
					continue
				}
				for _, other := range ix.byAppSource[id] {
					if !slices.Contains(ix.byEntra[entra], other) {
						ix.byEntra[entra] = append(ix.byEntra[entra], other)
					}
				}
			}
		}
	}
	for k, l := range ix.byEntra {
		slices.Sort(l)
		ix.byEntra[k] = l
	}
}

// buildVocabulary sorts the vocabulary for prefix search and indexes the
// bigrams of its words for typo search.
func (ix *Index) buildVocabulary() {
	ix.sorted = make([]int32, len(ix.vocab))
	for i := range ix.sorted {
		ix.sorted[i] = int32(i)
	}
	slices.SortFunc(ix.sorted, func(a, b int32) int { return cmp.Compare(ix.vocab[a], ix.vocab[b]) })
	var grams []string
	for id, tok := range ix.vocab {
		if ix.glued[id] || isCJKToken(tok) || ix.runeLen[id] < 3 || isDigits(tok) {
			continue
		}
		grams = bigrams(grams[:0], tok)
		for j, gr := range grams {
			if slices.Contains(grams[:j], gr) {
				continue
			}
			ix.vocabGrams[gr] = append(ix.vocabGrams[gr], int32(id))
		}
	}
}

// newScratch returns the per-query working memory of this index.
func (ix *Index) newScratch() any {
	s := &searchScratch{
		entrySlot:  make([]int32, len(ix.entries)),
		groupSlot:  make([]int32, len(ix.groups)),
		vocabCount: make([]uint8, len(ix.vocab)),
	}
	for i := range s.entrySlot {
		s.entrySlot[i] = -1
	}
	for i := range s.groupSlot {
		s.groupSlot[i] = -1
	}
	return s
}

// isDigits reports whether s is all ASCII digits.
func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// majorityRecord returns the record whose folded name most records share;
// ties go to the first such record by locale.
func majorityRecord(recs []*Record) *Record {
	folded := make([]string, len(recs))
	counts := make(map[string]int, len(recs))
	for i, r := range recs {
		folded[i] = Fold(r.Name)
		counts[folded[i]]++
	}
	best, bestN := recs[0], -1
	for i, r := range recs {
		if n := counts[folded[i]]; n > bestN && r.Name != "" {
			best, bestN = r, n
		}
	}
	return best
}

// recordAppSourceID returns the record's canonical AppSource ID, from the
// AppSource link first (the general-table ID row disagrees once, corpus.md
// §2.1), then from the AppSourceID field.
func recordAppSourceID(r *Record) string {
	if ref, ok := ParseLink(r.Links.AppSource); ok && ref.Kind == LinkAppSource {
		return ref.ID
	}
	if id, ok := normalizeAppSourceID(strings.TrimSpace(r.AppSourceID)); ok {
		return id
	}
	return ""
}

// recordTeamsAppID returns the record's lower-cased Teams app GUID.
func recordTeamsAppID(r *Record) string {
	if IsGUID(r.TeamsAppID) {
		return strings.ToLower(r.TeamsAppID)
	}
	if ref, ok := ParseLink(r.Links.TeamsStore); ok && ref.Kind == LinkTeamsStore {
		return ref.ID
	}
	return ""
}

// Len returns the number of apps (page groups) in the index.
func (ix *Index) Len() int {
	if ix == nil {
		return 0
	}
	return len(ix.groups)
}

// maxQueryTokens bounds the words of a query that are scored.
const maxQueryTokens = 8

type cand struct {
	entry   int32
	matched uint8
	best    [maxQueryTokens]float32
}

type hit struct {
	group   int32
	score   float64
	match   MatchKind
	matched string
}

// searchScratch is per-query working memory, pooled.
type searchScratch struct {
	entrySlot    []int32 // entry → index in cands, or -1
	cands        []cand
	groupSlot    []int32 // group → index in hits, or -1
	hits         []hit
	vocabCount   []uint8
	vocabTouched []int32
	grams        []string
	fq           string // the folded query, for Confidence
}

func (s *searchScratch) reset() {
	for _, c := range s.cands {
		s.entrySlot[c.entry] = -1
	}
	s.cands = s.cands[:0]
	for _, h := range s.hits {
		s.groupSlot[h.group] = -1
	}
	s.hits = s.hits[:0]
	s.fq = ""
}

// offer records a candidate result for a group, keeping the best score.
func (s *searchScratch) offer(g int32, score float64, m MatchKind, matched string) {
	if i := s.groupSlot[g]; i >= 0 {
		if score > s.hits[i].score {
			s.hits[i] = hit{g, score, m, matched}
		}
		return
	}
	s.groupSlot[g] = int32(len(s.hits))
	s.hits = append(s.hits, hit{g, score, m, matched})
}

// Search finds apps by name (any locale; case, accent and typo tolerant;
// CJK names by character bigrams), publisher, slug, AppSource ID, Teams app
// GUID, Entra app ID or a pasted link (see ParseLink). An empty query
// lists the apps matching opts.Filters by name. Results are ranked exact
// ID > exact name > name prefix > publisher > words > fuzzy, ties by name.
func (ix *Index) Search(query string, opts SearchOptions) []Result {
	limit := opts.Limit
	if limit == 0 {
		limit = DefaultSearchLimit
	}
	if ix == nil || ix.pool.New == nil {
		return nil // not built by NewIndex
	}
	q := strings.TrimSpace(query)
	if len(q) > 512 {
		q = q[:512]
	}
	if q == "" {
		return ix.list(limit, opts)
	}
	s := ix.pool.Get().(*searchScratch)
	defer func() {
		s.reset()
		ix.pool.Put(s)
	}()
	if ix.lookupInto(s, q) {
		return ix.results(s, limit, opts)
	}
	fq := Fold(q)
	if fq == "" {
		return nil
	}
	s.fq = fq
	// Slug typed as is.
	if gs := ix.frozen.bySlug.get(strings.ToLower(q)); gs != nil {
		for _, g := range gs {
			s.offer(g, scoreID, MatchSlug, strings.ToLower(q))
		}
	}
	for _, g := range ix.frozen.exactName.get(fq) {
		s.offer(g, scoreName, MatchName, fq)
	}
	ix.prefix(s, fq)
	for _, g := range ix.frozen.exactPub.get(fq) {
		s.offer(g, scorePublisher, MatchPublisher, fq)
	}
	ix.words(s, fq)
	return ix.results(s, limit, opts)
}

// prefix offers the groups with a name starting with fq.
func (ix *Index) prefix(s *searchScratch, fq string) {
	i := sort.Search(len(ix.names), func(i int) bool { return ix.names[i].text >= fq })
	for n := 0; i < len(ix.names) && n < 300; i, n = i+1, n+1 {
		nr := ix.names[i]
		if !strings.HasPrefix(nr.text, fq) {
			break
		}
		if len(nr.text) == len(fq) {
			continue // exact, already offered
		}
		// Prefer names where the query ends on a word boundary.
		bonus := 89 * float64(len(fq)) / float64(len(nr.text))
		if nr.text[len(fq)] == ' ' {
			bonus += 10
		}
		s.offer(nr.group, scorePrefix+bonus, MatchNamePrefix, nr.text)
	}
}

// expansion is a vocabulary token a query token may stand for.
type expansion struct {
	id      int32
	quality float32
}

// expand calls fn for each vocabulary token that query token qt may stand
// for: itself (1), a word it starts (0.8, 0.9 for the last query word), or
// a word within the typo budget (0.7 at distance 1, 0.55 at distance 2).
func (ix *Index) expand(s *searchScratch, qt string, last bool, fn func(expansion)) {
	exact, hasExact := ix.frozen.vocabID.id(qt)
	if hasExact {
		fn(expansion{exact, 1})
	}
	if isCJKToken(qt) {
		return
	}
	n := utf8.RuneCountInString(qt)
	if n >= 2 {
		pq := float32(0.8)
		if last {
			pq = 0.9
		}
		i := sort.Search(len(ix.sorted), func(i int) bool { return ix.vocab[ix.sorted[i]] >= qt })
		for c := 0; i < len(ix.sorted) && c < 64; i++ {
			id := ix.sorted[i]
			v := ix.vocab[id]
			if !strings.HasPrefix(v, qt) {
				break
			}
			if (id == exact && hasExact) || ix.glued[id] {
				continue
			}
			c++
			fn(expansion{id, pq})
		}
	}
	k := maxDistance(n)
	if k == 0 {
		return
	}
	s.grams = bigrams(s.grams[:0], qt)
	need := max(1, len(s.grams)-3*k)
	s.vocabTouched = s.vocabTouched[:0]
	for j, gr := range s.grams {
		if slices.Contains(s.grams[:j], gr) {
			continue
		}
		for _, id := range ix.frozen.vocabGrams.get(gr) {
			if d := int(ix.runeLen[id]) - n; d > k || -d > k {
				continue
			}
			if s.vocabCount[id] == 0 {
				s.vocabTouched = append(s.vocabTouched, id)
			}
			if s.vocabCount[id] < 255 {
				s.vocabCount[id]++
			}
		}
	}
	for _, id := range s.vocabTouched {
		c := int(s.vocabCount[id])
		s.vocabCount[id] = 0
		if c < need || (hasExact && id == exact) {
			continue
		}
		v := ix.vocab[id]
		if strings.HasPrefix(v, qt) {
			continue // already offered as a prefix
		}
		switch d := damerau(qt, v, k); {
		case d > k:
		case d == 1:
			fn(expansion{id, 0.7})
		case d == 2:
			fn(expansion{id, 0.55})
		}
	}
}

// words scores entries by how well their words cover the query words.
func (ix *Index) words(s *searchScratch, fq string) {
	qtoks := tokenize(fq)
	uniq := qtoks[:0]
	for _, t := range qtoks {
		if !slices.Contains(uniq, t) {
			uniq = append(uniq, t)
		}
	}
	qtoks = uniq
	if len(qtoks) > maxQueryTokens {
		qtoks = qtoks[:maxQueryTokens]
	}
	nq := len(qtoks)
	if nq == 0 {
		return
	}
	credit := func(ti int, e expansion) {
		for _, ei := range ix.posting(e.id) {
			ci := s.entrySlot[ei]
			if ci < 0 {
				ci = int32(len(s.cands))
				s.entrySlot[ei] = ci
				s.cands = append(s.cands, cand{entry: ei})
			}
			c := &s.cands[ci]
			if c.best[ti] == 0 {
				c.matched++
			}
			if e.quality > c.best[ti] {
				c.best[ti] = e.quality
			}
		}
	}
	for ti, qt := range qtoks {
		ix.expand(s, qt, ti == nq-1, func(e expansion) { credit(ti, e) })
	}
	// Query words typed apart that the name writes as one ("share point").
	for ti := 1; ti < nq; ti++ {
		if id, ok := ix.frozen.vocabID.id(qtoks[ti-1] + qtoks[ti]); ok {
			credit(ti-1, expansion{id, 0.95})
			credit(ti, expansion{id, 0.95})
		}
	}
	need := nq
	if nq > 2 {
		need = nq - (nq-1)/2
	}
	for i := range s.cands {
		c := &s.cands[i]
		if int(c.matched) < need {
			continue
		}
		var sum float64
		allExact := true
		for ti := 0; ti < nq; ti++ {
			sum += float64(c.best[ti])
			if c.best[ti] != 1 {
				allExact = false
			}
		}
		e := ix.entries[c.entry]
		score := sum / float64(nq)
		extra := int(e.ntok) - int(c.matched)
		if extra > 0 {
			score *= 1 - 0.03*float64(min(extra, 5))
		}
		score *= fieldWeight[e.field]
		m := MatchFuzzy
		if allExact && e.field == fieldName {
			m = MatchWords
		}
		s.offer(e.group, scoreWords*score, m, "")
	}
}

// list returns the apps matching the filters, by name.
func (ix *Index) list(limit int, opts SearchOptions) []Result {
	if len(opts.Filters) == 0 {
		return nil
	}
	var out []Result
	seen := map[int32]bool{}
	for gi := range ix.groups {
		if limit >= 0 && len(out) >= limit {
			break
		}
		app := ix.appGroup(int32(gi))
		if seen[app] || !ix.groupMatches(int32(gi), opts.Filters) {
			continue
		}
		seen[app] = true
		out = append(out, ix.result(hit{group: int32(gi), match: MatchFilter}, opts))
	}
	return out
}

// Count returns the number of apps with at least one record matching all
// the filters; the listings of one app (same AppSource ID) count once.
func (ix *Index) Count(filters []Filter) int {
	if ix == nil || ix.pool.New == nil {
		return 0
	}
	n := 0
	seen := map[int32]bool{}
	for gi := range ix.groups {
		app := ix.appGroup(int32(gi))
		if !seen[app] && ix.groupMatches(int32(gi), filters) {
			seen[app] = true // an app listed several times counts once
			n++
		}
	}
	return n
}

func (ix *Index) groupMatches(gi int32, filters []Filter) bool {
	if len(filters) == 0 {
		return true
	}
	g := &ix.groups[gi]
	for i, r := range g.records {
		if ix.recordMatches(g.first+int32(i), r, filters) {
			return true
		}
	}
	return false
}

// Answer value codes of the per-record answer table.
var valueCodes = []Value{"", ValueYes, ValueNo, ValueNotApplicable, ValueUnanswered, ValueText, ValueInScope, ValuePass, ValueFail, ValueUnknown}

// recordMatches is MatchFilters with the index's precomputed answer table
// and folded publishers; ri is the record's index in ix.recAnswers.
func (ix *Index) recordMatches(ri int32, r *Record, filters []Filter) bool {
	for _, f := range filters {
		var ok bool
		switch f.Kind {
		case FilterAnswer:
			ki, known := ix.keyIndex[f.Key]
			if !known || f.Key == "sec.mfa_enabled_for" {
				ok = f.Match(r)
				break
			}
			code := ix.recAnswers[int(ri)*len(ix.keyIndex)+ki]
			a := Answer{Value: valueCodes[code]}
			m := false
			for _, v := range f.Values {
				if answerMatches(f.Key, a, code != 0, v) {
					m = true
					break
				}
			}
			ok = m != f.Negate
		case FilterStorage, FilterStorageOnly:
			ok = f.matchKnownPlaces(ix.recStorage[ri])
		case FilterHQ:
			ok = f.matchKnownPlaces(ix.recHQ[ri])
		case FilterPublisher:
			pub := ix.recPub[ri]
			m := false
			for _, v := range f.Values {
				if v != "" && strings.Contains(pub, v) {
					m = true
					break
				}
			}
			ok = m != f.Negate
		default:
			ok = f.Match(r)
		}
		if !ok {
			return false
		}
	}
	return true
}

// buildFilterTables fills the answer table (one byte per record and known
// key) and the folded publishers.
func (ix *Index) buildFilterTables() {
	ix.keyIndex = map[string]int{}
	for _, k := range Keys() {
		if _, ok := ix.keyIndex[k.Key]; !ok {
			ix.keyIndex[k.Key] = len(ix.keyIndex)
		}
	}
	codeOf := map[Value]uint8{}
	for i, v := range valueCodes {
		codeOf[v] = uint8(i)
	}
	n := 0
	for gi := range ix.groups {
		ix.groups[gi].first = int32(n)
		n += len(ix.groups[gi].records)
	}
	// Place answers repeat across records (one translation per locale):
	// read each text once.
	places := placeCache{}
	stride := len(ix.keyIndex)
	ix.recAnswers = make([]uint8, n*stride)
	ix.recPub = make([]string, n)
	ix.recStorage = make([][]string, n)
	ix.recHQ = make([][]string, n)
	for gi := range ix.groups {
		g := &ix.groups[gi]
		for i, r := range g.records {
			ri := int(g.first) + i
			ix.recPub[ri] = Fold(r.Publisher)
			ix.recStorage[ri] = places.of(r, FilterStorage)
			ix.recHQ[ri] = places.of(r, FilterHQ)
			row := ix.recAnswers[ri*stride : (ri+1)*stride]
			for _, a := range r.Answers {
				ki, ok := ix.keyIndex[a.Key]
				if !ok || row[ki] != 0 {
					continue // first answer of a key wins, as in Record.Answer
				}
				c, ok := codeOf[a.Value]
				if !ok || c == 0 {
					c = codeOf[ValueUnknown]
				}
				row[ki] = c
			}
		}
	}
}

// placeCache reads the places of answer texts, each distinct text once.
type placeCache map[string][]string

func (c placeCache) of(r *Record, kind FilterKind) []string {
	text := placeText(r, kind)
	if text == "" {
		return nil
	}
	if p, ok := c[text]; ok {
		return p
	}
	p := Places(text)
	c[text] = p
	return p
}

// results filters, ranks and converts the scratch hits.
func (ix *Index) results(s *searchScratch, limit int, opts SearchOptions) []Result {
	hits := s.hits
	if len(opts.Filters) > 0 {
		kept := make([]hit, 0, len(hits))
		for _, h := range hits {
			if ix.groupMatches(h.group, opts.Filters) {
				kept = append(kept, h)
			}
		}
		hits = kept
	}
	hits = ix.collapseListings(rankedPrefix(hits, limit, ix.appGroup))
	if limit >= 0 && len(hits) > limit {
		hits = hits[:limit]
	}
	out := make([]Result, len(hits))
	qcore := ""
	if s.fq != "" {
		qcore = coreName(s.fq)
	}
	for i, h := range hits {
		out[i] = ix.result(h, opts)
		out[i].Confidence = ix.confidence(h, s.fq, qcore)
	}
	return out
}

func (ix *Index) result(h hit, opts SearchOptions) Result {
	g := &ix.groups[h.group]
	recs := g.records
	name, pub := g.name, g.publisher
	cert := Certification("")
	if opts.Locale != "" {
		for i, r := range recs {
			if strings.EqualFold(r.Locale, opts.Locale) {
				if i > 0 {
					recs = append([]*Record{r}, slices.Delete(slices.Clone(recs), i, i+1)...)
				}
				if r.Name != "" {
					name, pub = r.Name, r.Publisher
				}
				cert = r.Certification
				break
			}
		}
	}
	if cert == "" && len(recs) > 0 {
		cert = recs[0].Certification
	}
	return Result{
		Key: g.key, Slug: g.slug, Kind: g.kind, Type: g.typ, Name: name, Publisher: pub,
		AppSourceID: g.appSourceID, TeamsAppID: g.teamsAppID, Certification: cert,
		Locales: g.locales, Records: recs, Score: h.score, Match: h.match, Matched: h.matched,
		App: ix.groups[ix.appGroup(h.group)].key, Listings: ix.listingsOf(h.group, opts.Locale),
	}
}

// Lookup finds apps by an exact identifier: an AppSource offer ID, a Teams
// app GUID, an Entra app ID (apps requesting permissions for it, its
// azure-id page and the apps that page lists), a slug, kind/slug, a record
// ID (locale/path) or a link ParseLink reads. Results are ordered by
// match kind, then name. It returns nil when nothing matches.
func (ix *Index) Lookup(id string) []Result {
	if ix == nil || ix.pool.New == nil {
		return nil
	}
	s := ix.pool.Get().(*searchScratch)
	defer func() {
		s.reset()
		ix.pool.Put(s)
	}()
	if !ix.lookupInto(s, strings.TrimSpace(id)) {
		return nil
	}
	return ix.results(s, -1, SearchOptions{})
}

// lookupInto offers exact identifier matches and reports whether any was
// found. Scores decrease slightly by match kind so a Teams GUID outranks
// an Entra ID that happens to share it.
func (ix *Index) lookupInto(s *searchScratch, q string) bool {
	if q == "" {
		return false
	}
	offerAll := func(gs []int32, m MatchKind, bonus float64, matched string) {
		for _, g := range gs {
			s.offer(g, scoreID+bonus, m, matched)
		}
	}
	ref, ok := ParseLink(q)
	if !ok && strings.ContainsAny(q, " \t") && (strings.Contains(q, "://") || strings.Contains(q, "microsoft") || strings.Contains(q, "msteams:")) {
		// A link inside a sentence ("is https://… safe?").
		ref, ok = FindLink(q)
	}
	if ok {
		switch ref.Kind {
		case LinkAppSource:
			offerAll(ix.frozen.byAppSource.get(ref.ID), MatchAppSourceID, 3, ref.ID)
		case LinkTeamsStore:
			offerAll(ix.frozen.byTeams.get(ref.ID), MatchTeamsAppID, 3, ref.ID)
		case LinkCompliance:
			if g, ok := ix.frozen.byKey.id(ref.Host + "/" + ref.ID); ok {
				s.offer(g, scoreID+4, MatchSlug, ref.Host+"/"+ref.ID)
			} else if ref.Host != "azure" {
				offerAll(ix.frozen.bySlug.get(ref.ID), MatchSlug, 3, ref.ID)
			}
			if ref.Host == "azure" {
				offerAll(ix.frozen.byEntra.get(ref.ID), MatchEntraAppID, 1, ref.ID)
			}
		}
		return len(s.hits) > 0
	}
	low := strings.ToLower(q)
	switch {
	case IsGUID(q):
		offerAll(ix.frozen.byTeams.get(low), MatchTeamsAppID, 3, low)
		offerAll(ix.frozen.byEntra.get(low), MatchEntraAppID, 1, low)
	case strings.ContainsRune(q, '/'):
		if g, ok := ix.frozen.byRecordID.id(low); ok {
			s.offer(g, scoreID+2, MatchSlug, low)
		} else if g, ok := ix.frozen.byKey.id(low); ok {
			s.offer(g, scoreID+2, MatchSlug, low)
		}
	default:
		if id, ok := normalizeAppSourceID(q); ok {
			offerAll(ix.frozen.byAppSource.get(id), MatchAppSourceID, 3, id)
		}
		if len(s.hits) == 0 && strings.ContainsRune(q, '-') {
			offerAll(ix.frozen.bySlug.get(low), MatchSlug, 2, low)
		}
	}
	return len(s.hits) > 0
}
