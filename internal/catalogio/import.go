package catalogio

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/store"
)

// ImportStats is the JSON summary of catalog import; its field names are
// a contract other tools rely on.
type ImportStats struct {
	Pages       int            `json:"pages"`
	Records     int            `json:"records"`
	Failed      int            `json:"failed"`
	Warnings    int            `json:"warnings"`
	ElapsedMS   int64          `json:"elapsed_ms"`
	ByKind      map[string]int `json:"by_kind"`
	ByLocale    map[string]int `json:"by_locale"`
	Fields      FieldCounts    `json:"fields"`
	Answers     AnswerCounts   `json:"answers"`
	Permissions int            `json:"permissions"`
	Links       LinkCounts     `json:"links"`
	Added       int            `json:"added"`
	Updated     int            `json:"updated"`
	Unchanged   int            `json:"unchanged"`
}

// FieldCounts counts the records that have each field.
type FieldCounts struct {
	Name          int `json:"name"`
	AppSourceID   int `json:"appsource_id"`
	TeamsAppID    int `json:"teams_app_id"`
	Publisher     int `json:"publisher"`
	Certification int `json:"certification"`
	Updated       int `json:"updated"`
}

// LinkCounts says how well the pages of an import link to each other:
// azure-id page rows that lead to an app page, Entra app IDs of app pages
// that have an azure-id page, and permission names or Entra IDs taken
// from another locale of the same page.
type LinkCounts struct {
	AzureApps      int `json:"azure_apps"`
	AzureResolved  int `json:"azure_resolved"`
	EntraIDs       int `json:"entra_ids"`
	EntraResolved  int `json:"entra_resolved"`
	ScopesRestored int `json:"scopes_restored"`
	EntraRestored  int `json:"entra_restored"`
	// DatesRestored counts developer dates taken from another locale.
	DatesRestored int `json:"dates_restored"`
	// Rekeyed, Confirmed and Unknown count answers the cross-locale vote
	// moved to the majority's key, confirmed, or marked unknown.
	Rekeyed   int `json:"answers_rekeyed"`
	Confirmed int `json:"answers_confirmed"`
	Unknown   int `json:"answers_marked_unknown"`
	// Filled counts the rows a locale lacked that the others have, added
	// unknown (counted in Unknown too); Dropped the rows a locale had that
	// the majority lacks, removed: every locale of a page at one source
	// hash ends with one key sequence.
	Filled  int `json:"rows_filled"`
	Dropped int `json:"rows_dropped"`
}

// AnswerCounts counts answers: all of them, those with a canonical key,
// those with a normalized value and those whose value is unknown.
type AnswerCounts struct {
	Total      int `json:"total"`
	Keyed      int `json:"keyed"`
	Normalized int `json:"normalized"`
	Unknown    int `json:"unknown"`
}

func (s *ImportStats) add(r *attestation.Record) {
	s.Records++
	kind := r.Kind
	switch r.Type {
	case attestation.PageAzure:
		kind = "azure"
	case attestation.PageIndex:
		kind = "index"
	}
	s.ByKind[kind]++
	s.ByLocale[r.Locale]++
	s.Warnings += len(r.Warnings)
	count := func(ok bool, n *int) {
		if ok {
			*n++
		}
	}
	count(r.Name != "", &s.Fields.Name)
	count(r.AppSourceID != "", &s.Fields.AppSourceID)
	count(r.TeamsAppID != "", &s.Fields.TeamsAppID)
	count(r.Publisher != "", &s.Fields.Publisher)
	count(r.Certification != "", &s.Fields.Certification)
	count(!r.Updated.IsZero(), &s.Fields.Updated)
	for _, ans := range r.Answers {
		s.Answers.Total++
		count(ans.Key != "", &s.Answers.Keyed)
		if ans.Value == attestation.ValueUnknown {
			s.Answers.Unknown++
		} else {
			s.Answers.Normalized++
		}
	}
	s.Permissions += len(r.Permissions)
}

// SourceFiles lists the Markdown files of directories and files. A source
// may name the locale of its pages as LOCALE=DIR (fr-FR=./pages), as
// ATTESTBOT_SOURCE does; git sources are read by sync, not import.
func SourceFiles(args []string) ([]attestation.Source, error) {
	var files []attestation.Source
	for _, arg := range args {
		src, locale := arg, ""
		if i := strings.IndexByte(arg, '='); i == 5 && isLocaleName(arg[:5]) {
			locale, src = arg[:5], arg[6:]
		}
		if strings.Contains(src, "://") {
			return nil, fmt.Errorf("source %s: import reads directories and files; use attestbot sync for git sources", arg)
		}
		info, err := os.Stat(src)
		if err != nil {
			return nil, fmt.Errorf("source %s: %w", src, err)
		}
		if !info.IsDir() {
			files = append(files, attestation.Source{File: src, Locale: locale})
			continue
		}
		fs, err := attestation.PageFiles(src)
		if err != nil {
			return nil, fmt.Errorf("source %s: %w", src, err)
		}
		for _, f := range fs {
			files = append(files, attestation.Source{File: f, Locale: locale})
		}
	}
	return files, nil
}

// isLocaleName reports whether s looks like xx-XX.
func isLocaleName(s string) bool {
	return len(s) == 5 && s[2] == '-' && s[0] >= 'a' && s[0] <= 'z' && s[1] >= 'a' && s[1] <= 'z' &&
		s[3] >= 'A' && s[3] <= 'Z' && s[4] >= 'A' && s[4] <= 'Z'
}

const importBatch = 500

// importMemoryLimit is the soft memory limit of catalog import when
// GOMEMLIMIT does not set one. The streaming import holds a batch of
// records and the pages parsed ahead of it, not the catalog: 146 MB peak
// RSS for the 12,492 pages of the public-size catalog, under this limit
// (docs/performance.md); the limit stays as a guard for larger sets.
const importMemoryLimit = 256 << 20

// CapMemory sets the import's soft memory limit (importMemoryLimit) unless
// GOMEMLIMIT is set, and returns the function that restores the previous
// limit.
func CapMemory() func() {
	if os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	prev := debug.SetMemoryLimit(importMemoryLimit)
	return func() { debug.SetMemoryLimit(prev) }
}

// ImportOptions are the optional parts of an import.
type ImportOptions struct {
	// Logger receives a warning for each page that cannot be imported.
	Logger *slog.Logger
	// Progress, when set, is called twice for each file: once as each of
	// the two passes reads it.
	Progress func()
}

// Import parses, reconciles and stores the pages of files in st, and
// counts what it read and stored.
//
// It streams in two passes, so that it never holds the catalog: the first
// parses every page and keeps only the IDs the links across the catalog
// need (AppSource and Entra app IDs, see [attestation.CatalogLinks]) and
// each page's sibling key; the second parses the pages again, ordered so
// that the locales of one page at one source hash come together, settles
// each such group across its locales ([attestation.ReconcileLocales]),
// links it, and stores it in batches. The records stored are those of
// [attestation.Reconcile] over the whole set.
func Import(ctx context.Context, st store.RecordStore, files []attestation.Source, opts ImportOptions) (*ImportStats, error) {
	start := time.Now()
	stats := &ImportStats{ByKind: map[string]int{}, ByLocale: map[string]int{}}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	links := attestation.NewCatalogLinks()
	keys, ok, err := scanLinks(ctx, files, opts, log, stats, links)
	if err != nil {
		return stats, err
	}
	var ls attestation.ReconcileStats
	links.Count(&ls)
	order, srcs := siblingOrder(files, keys, ok, stats.Pages)
	g := &siblingGroup{links: links, ls: &ls, w: newImportWriter(ctx, st, stats)}
	j := 0
	err = attestation.ParseSources(ctx, srcs, func(src attestation.Source, rec *attestation.Record, err error) error {
		key := keys[order[j]]
		j++
		if opts.Progress != nil {
			opts.Progress()
		}
		if err != nil {
			// The file changed or went away since the first pass.
			stats.Pages--
			if !errors.Is(err, attestation.ErrNotPage) {
				stats.Failed++
				log.Warn("page not imported", "file", src.File, "err", err)
			}
			return nil
		}
		return g.add(key, rec)
	})
	if err == nil {
		err = g.settle()
	}
	if cerr := g.w.close(); err == nil {
		err = cerr
	}
	stats.Links = LinkCounts{
		AzureApps: ls.AzureLinks, AzureResolved: ls.AzureResolved, EntraIDs: ls.EntraIDs,
		EntraResolved: ls.EntraResolved, ScopesRestored: ls.ScopesRestored, EntraRestored: ls.EntraRestored,
		DatesRestored: ls.DatesRestored, Rekeyed: ls.Vote.Rekeyed, Confirmed: ls.Vote.Confirmed, Unknown: ls.Vote.Unknown,
		Filled: ls.Vote.Filled, Dropped: ls.Vote.Dropped,
	}
	if err != nil {
		return stats, err
	}
	stats.ElapsedMS = time.Since(start).Milliseconds()
	return stats, nil
}

// scanLinks is the import's first pass: it parses every page, counts it,
// adds the IDs the catalog links need to links, and returns each file's
// sibling key and whether it is a page.
func scanLinks(ctx context.Context, files []attestation.Source, opts ImportOptions, log *slog.Logger, stats *ImportStats, links *attestation.CatalogLinks) ([]string, []bool, error) {
	keys := make([]string, len(files))
	ok := make([]bool, len(files))
	i := 0
	err := attestation.ParseSources(ctx, files, func(src attestation.Source, rec *attestation.Record, err error) error {
		n := i
		i++
		if opts.Progress != nil {
			opts.Progress()
		}
		switch {
		case errors.Is(err, attestation.ErrNotPage):
			return nil
		case err != nil:
			stats.Failed++
			log.Warn("page not imported", "file", src.File, "err", err)
			return nil
		}
		stats.Pages++
		links.Add(rec)
		keys[n], ok[n] = attestation.SiblingKey(rec), true
		return nil
	})
	return keys, ok, err
}

// siblingOrder orders the pages for the second pass: the pages of one
// sibling key next to each other, in the order given otherwise. It returns
// the file indexes and their sources.
func siblingOrder(files []attestation.Source, keys []string, ok []bool, pages int) ([]int, []attestation.Source) {
	order := make([]int, 0, pages)
	for n := range files {
		if ok[n] {
			order = append(order, n)
		}
	}
	sort.SliceStable(order, func(a, b int) bool { return keys[order[a]] < keys[order[b]] })
	srcs := make([]attestation.Source, len(order))
	for j, n := range order {
		srcs[j] = files[n]
	}
	return order, srcs
}

// siblingGroup gathers the records of one sibling key in the second pass;
// settle links them, reconciles them across their locales and stores them.
type siblingGroup struct {
	links *attestation.CatalogLinks
	ls    *attestation.ReconcileStats
	w     *importWriter
	recs  []*attestation.Record
	key   string
}

// add appends rec, of sibling key key, settling the group first when the
// key changes (or is empty: a page with no siblings).
func (g *siblingGroup) add(key string, rec *attestation.Record) error {
	if key == "" || key != g.key {
		if err := g.settle(); err != nil {
			return err
		}
	}
	g.key = key
	g.recs = append(g.recs, rec)
	return nil
}

// settle links, reconciles and stores the group, then empties it.
func (g *siblingGroup) settle() error {
	if len(g.recs) == 0 {
		return nil
	}
	for _, r := range g.recs {
		g.links.Link(r, g.ls)
	}
	if g.key != "" {
		gs := attestation.ReconcileLocales(g.recs)
		g.ls.DatesRestored += gs.DatesRestored
		g.ls.ScopesRestored += gs.ScopesRestored
		g.ls.EntraRestored += gs.EntraRestored
		g.ls.Vote.Rekeyed += gs.Vote.Rekeyed
		g.ls.Vote.Confirmed += gs.Vote.Confirmed
		g.ls.Vote.Unknown += gs.Vote.Unknown
		g.ls.Vote.Filled += gs.Vote.Filled
		g.ls.Vote.Dropped += gs.Vote.Dropped
	}
	for _, r := range g.recs {
		if err := g.w.add(r); err != nil {
			return err
		}
	}
	g.recs = g.recs[:0]
	return nil
}

// importWriter stores records in batches of importBatch, on its own
// goroutine: the next batch is parsed while one is compressed and stored.
type importWriter struct {
	ctx   context.Context
	st    store.RecordStore
	stats *ImportStats
	batch []*attestation.Record

	ch   chan []*attestation.Record
	done chan struct{}
	res  store.PutResult
	err  error // set by the goroutine, read after done or by failed
	mu   sync.Mutex
}

func newImportWriter(ctx context.Context, st store.RecordStore, stats *ImportStats) *importWriter {
	w := &importWriter{ctx: ctx, st: st, stats: stats, ch: make(chan []*attestation.Record, 1), done: make(chan struct{})}
	go func() {
		defer close(w.done)
		for batch := range w.ch {
			if w.failed() != nil {
				continue
			}
			res, err := w.st.PutRecords(w.ctx, batch)
			w.mu.Lock()
			w.res.Added += res.Added
			w.res.Updated += res.Updated
			w.res.Unchanged += res.Unchanged
			if err != nil {
				w.err = fmt.Errorf("store records: %w", err)
			}
			w.mu.Unlock()
		}
	}()
	return w
}

func (w *importWriter) failed() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}

func (w *importWriter) add(r *attestation.Record) error {
	if err := w.failed(); err != nil {
		return err
	}
	w.stats.add(r)
	w.batch = append(w.batch, r)
	if len(w.batch) >= importBatch {
		w.ch <- w.batch
		w.batch = make([]*attestation.Record, 0, importBatch)
	}
	return nil
}

// close stores what is left, waits for the goroutine and adds its counts.
func (w *importWriter) close() error {
	if len(w.batch) > 0 {
		w.ch <- w.batch
		w.batch = nil
	}
	close(w.ch)
	<-w.done
	w.stats.Added += w.res.Added
	w.stats.Updated += w.res.Updated
	w.stats.Unchanged += w.res.Unchanged
	return w.err
}
