package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/internal/logtext"
	"github.com/attestbot/attestbot/store"
)

func newCatalogCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "catalog",
		Short: "Import, export, show, search and diff compliance records",
	}
	var storeURL string
	cmd.PersistentFlags().StringVar(&storeURL, "store", "", "store URL (default $ATTESTBOT_STORE or data/attestbot.db)")
	open := func(ctx context.Context) (store.Store, error) { return openStore(ctx, a, storeURL) }
	cmd.AddCommand(
		newImportCmd(a, open),
		newExportCmd(a, open),
		newShowCmd(a, open),
		newSearchCmd(a, open),
		newDiffCmd(a),
		newHistoryCmd(a, open),
	)
	return cmd
}

type storeOpener func(ctx context.Context) (store.Store, error)

// openStore opens the store named by a --store flag, else by the
// configuration (ATTESTBOT_STORE).
func openStore(ctx context.Context, a *app, flagURL string) (store.Store, error) {
	u := flagURL
	if u == "" {
		u = a.cfg.Store
	}
	store.SetRedisLogger(a.logger) // go-redis's own lines into the JSON log
	st, err := store.Open(ctx, u)
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", store.RedactURL(u), err)
	}
	return st, nil
}

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

func newImportCmd(a *app, open storeOpener) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "import [--store URL] [--json] SOURCE...",
		Short: "Parse the pages of directories (or single files) and store their records",
		Long: "import walks each SOURCE recursively, parses every Markdown page, and stores the records. " +
			"Importing the same pages twice changes nothing; a changed page keeps its previous revision for diffs.",
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			files, err := sourceFiles(args)
			if err != nil {
				return err
			}
			st, err := open(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			defer capImportMemory()()
			stats, err := importSources(ctx, a, st, files)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(a.stdout, stats)
			}
			fmt.Fprintf(a.stdout, "imported %d records from %d pages in %d ms (%d added, %d updated, %d unchanged); %d failed, %d warnings\n",
				stats.Records, stats.Pages, stats.ElapsedMS, stats.Added, stats.Updated, stats.Unchanged, stats.Failed, stats.Warnings)
			fmt.Fprintf(a.stdout, "answers: %d total, %d keyed, %d unknown; %d permission rows\n",
				stats.Answers.Total, stats.Answers.Keyed, stats.Answers.Unknown, stats.Permissions)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the summary as one JSON object")
	return cmd
}

// sourceFiles lists the Markdown files of directories and files. A source
// may name the locale of its pages as LOCALE=DIR (fr-FR=./pages), as
// ATTESTBOT_SOURCE does; git sources are read by sync, not import.
func sourceFiles(args []string) ([]attestation.Source, error) {
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
// GOMEMLIMIT does not set one. An import holds every parsed record (about
// 210 MB of heap for the 12,492 pages of the public-size catalog, interned)
// and parsing leaves as much garbage again: with Go's default pacing the
// process peaked at 550 MB; with this limit at about 345 MB, for some CPU
// (docs/performance.md).
const importMemoryLimit = 256 << 20

// capImportMemory sets importMemoryLimit unless GOMEMLIMIT is set, and
// returns the function that restores the previous limit.
func capImportMemory() func() {
	if os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	prev := debug.SetMemoryLimit(importMemoryLimit)
	return func() { debug.SetMemoryLimit(prev) }
}

func importFiles(ctx context.Context, a *app, st store.RecordStore, files []string) (*ImportStats, error) {
	srcs := make([]attestation.Source, len(files))
	for i, f := range files {
		srcs[i] = attestation.Source{File: f}
	}
	return importSources(ctx, a, st, srcs)
}

// importSources parses, reconciles and stores the pages of srcs.
func importSources(ctx context.Context, a *app, st store.RecordStore, files []attestation.Source) (*ImportStats, error) {
	start := time.Now()
	stats := &ImportStats{ByKind: map[string]int{}, ByLocale: map[string]int{}}
	var bar *progressbar.ProgressBar
	if f, ok := a.stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		bar = progressbar.NewOptions(len(files),
			progressbar.OptionSetWriter(a.stderr),
			progressbar.OptionSetDescription("importing"),
			progressbar.OptionShowCount(),
			progressbar.OptionClearOnFinish(),
			progressbar.OptionThrottle(100*time.Millisecond))
	}
	var recs []*attestation.Record
	in := attestation.Interner{}
	err := attestation.ParseSources(ctx, files, func(src attestation.Source, rec *attestation.Record, err error) error {
		file := src.File
		if bar != nil {
			_ = bar.Add(1)
		}
		switch {
		case errors.Is(err, attestation.ErrNotPage):
			return nil
		case err != nil:
			stats.Failed++
			a.logger.Warn("page not imported", "file", file, "err", err)
			return nil
		}
		stats.Pages++
		in.Record(rec)
		recs = append(recs, rec)
		return nil
	})
	if bar != nil {
		_ = bar.Finish()
	}
	if err != nil {
		return stats, err
	}
	// Link azure-id pages and app pages, and restore translated scope
	// names from other locales, before storing.
	ls := attestation.Reconcile(recs)
	stats.Links = LinkCounts{
		AzureApps: ls.AzureLinks, AzureResolved: ls.AzureResolved, EntraIDs: ls.EntraIDs,
		EntraResolved: ls.EntraResolved, ScopesRestored: ls.ScopesRestored, EntraRestored: ls.EntraRestored,
		DatesRestored: ls.DatesRestored, Rekeyed: ls.Vote.Rekeyed, Confirmed: ls.Vote.Confirmed, Unknown: ls.Vote.Unknown,
	}
	for i := 0; i < len(recs); i += importBatch {
		batch := recs[i:min(i+importBatch, len(recs))]
		for _, r := range batch {
			stats.add(r)
		}
		res, err := st.PutRecords(ctx, batch)
		if err != nil {
			return stats, fmt.Errorf("store records: %w", err)
		}
		stats.Added += res.Added
		stats.Updated += res.Updated
		stats.Unchanged += res.Unchanged
	}
	stats.ElapsedMS = time.Since(start).Milliseconds()
	return stats, nil
}

// ExportRecord is one line of catalog export; its field names are a
// contract other tools rely on.
type ExportRecord struct {
	Slug          string             `json:"slug"`
	Kind          string             `json:"kind"`
	Locale        string             `json:"locale"`
	Name          string             `json:"name"`
	AppSourceID   string             `json:"appsource_id"`
	TeamsAppID    string             `json:"teams_app_id"`
	Publisher     string             `json:"publisher"`
	Certification string             `json:"certification"`
	Updated       string             `json:"updated"`
	Answers       []ExportAnswer     `json:"answers"`
	Permissions   []ExportPermission `json:"permissions"`
	Warnings      []string           `json:"warnings"`
	// Type is app, azure or index; index pages have kind "index".
	Type string `json:"type"`
	// OtherAPIs, Services and Statements are the template-B data
	// subsections (other Microsoft APIs, non-Microsoft services, and the
	// free-text answers: bots, telemetry, organizational controls, human
	// review, "no Graph" sentences).
	OtherAPIs  []attestation.APIUse    `json:"other_apis,omitempty"`
	Services   []attestation.Service   `json:"services,omitempty"`
	Statements []attestation.Statement `json:"statements,omitempty"`
	// Listings names the other app pages (kind/slug) with the same
	// AppSource ID: one app listed several times.
	Listings []string `json:"listings,omitempty"`
	// Repairs lists what the other locales at the same source hash
	// corrected.
	Repairs []attestation.Repair `json:"repairs,omitempty"`
}

// ExportAnswer is an answer in catalog export.
type ExportAnswer struct {
	Key     string `json:"key"`
	Label   string `json:"label"`
	Section string `json:"section"`
	Value   string `json:"value"`
	Text    string `json:"text"`
}

// ExportPermission is a Graph permission in catalog export.
type ExportPermission struct {
	Name       string `json:"name"`
	Type       string `json:"type"`
	EntraAppID string `json:"entra_app_id"`
	Collected  string `json:"collected"`
	Stored     string `json:"stored"`
}

func exportRecord(r *attestation.Record) ExportRecord {
	e := ExportRecord{
		Slug: r.Slug, Kind: r.Kind, Locale: r.Locale, Name: r.Name, AppSourceID: r.AppSourceID,
		TeamsAppID: r.TeamsAppID, Publisher: r.Publisher, Certification: string(r.Certification),
		Updated: r.Updated.String(), Answers: []ExportAnswer{}, Permissions: []ExportPermission{}, Warnings: []string{},
		Type: string(r.Type), OtherAPIs: r.OtherAPIs, Services: r.Services, Statements: r.Statements,
		Listings: r.Listings, Repairs: r.Repairs,
	}
	if r.Type == attestation.PageIndex {
		e.Kind = "index"
	}
	for _, ans := range r.Answers {
		e.Answers = append(e.Answers, ExportAnswer{Key: ans.Key, Label: ans.Label, Section: string(ans.Section), Value: string(ans.Value), Text: ans.Text})
	}
	for _, p := range r.Permissions {
		e.Permissions = append(e.Permissions, ExportPermission{Name: p.Name, Type: string(p.Type), EntraAppID: p.EntraAppID, Collected: p.Collected, Stored: p.Stored})
	}
	for _, w := range r.Warnings {
		e.Warnings = append(e.Warnings, w.String())
	}
	return e
}

func newExportCmd(a *app, open storeOpener) *cobra.Command {
	return &cobra.Command{
		Use:   "export [--store URL]",
		Short: "Write every stored record as one JSON object a line",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, err := open(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			enc := json.NewEncoder(a.stdout)
			enc.SetEscapeHTML(false)
			return st.Records(cmd.Context(), func(r *attestation.Record) error {
				return enc.Encode(exportRecord(r))
			})
		},
	}
}

// loadIndex builds the search index of every stored record.
func loadIndex(ctx context.Context, st store.RecordStore) (*attestation.Index, int, error) {
	var recs []*attestation.Record
	err := st.Records(ctx, func(r *attestation.Record) error {
		recs = append(recs, r)
		return nil
	})
	if err != nil {
		return nil, 0, fmt.Errorf("read records: %w", err)
	}
	return attestation.NewIndex(recs), len(recs), nil
}

func newShowCmd(a *app, open storeOpener) *cobra.Command {
	var asJSON bool
	var locale string
	cmd := &cobra.Command{
		Use:   "show QUERY [--json]",
		Short: "Show an app's record: by name, AppSource ID, Teams app ID, Entra app ID or link",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			st, err := open(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			ix, n, err := loadIndex(ctx, st)
			if err != nil {
				return err
			}
			if n == 0 {
				return errors.New("the catalog is empty: run attestbot catalog import first")
			}
			query := strings.Join(args, " ")
			res := ix.Search(query, attestation.SearchOptions{Limit: 5, Locale: locale})
			if len(res) == 0 {
				fmt.Fprintf(a.stderr, "no app matches %q\n", query)
				return exitError{code: 2}
			}
			rec := res[0].Record(locale)
			if asJSON {
				return writeJSON(a.stdout, rec)
			}
			renderRecord(a.stdout, rec, res[0].Locales)
			if len(res) > 1 {
				fmt.Fprintf(a.stdout, "\nOther matches:")
				for _, r := range res[1:] {
					fmt.Fprintf(a.stdout, " %s (%s/%s);", r.Name, r.Kind, r.Slug)
				}
				fmt.Fprintln(a.stdout)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the record as JSON")
	cmd.Flags().StringVar(&locale, "locale", "", "preferred locale, such as fr-FR")
	return cmd
}

// SearchOutput is the JSON of catalog search.
type SearchOutput struct {
	Filters []string             `json:"filters"`
	Count   int                  `json:"count"`
	Results []attestation.Result `json:"results"`
}

func newSearchCmd(a *app, open storeOpener) *cobra.Command {
	var asJSON bool
	var limit int
	cmd := &cobra.Command{
		Use:   "search FILTER... [--json]",
		Short: "List apps matching filters such as hipaa=yes permission=Mail.ReadWrite certified kind=teams",
		Long: "search keeps the apps matching every filter: an answer (hipaa=yes, iso27001=yes, comp.soc2=no, pentest=yes), " +
			"permission=Mail.* , permission-type=application, certified, attested, kind=teams, locale=fr-FR, publisher=NAME. " +
			"A word that is not a filter searches by name.",
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			var filterArgs, words []string
			for _, arg := range args {
				if _, err := attestation.ParseFilters(arg); err == nil {
					filterArgs = append(filterArgs, arg)
				} else if strings.Contains(arg, "=") {
					return fmt.Errorf("filter %q: %w", arg, err)
				} else {
					words = append(words, arg)
				}
			}
			filters, err := attestation.ParseFilters(filterArgs...)
			if err != nil {
				return err
			}
			st, err := open(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			ix, _, err := loadIndex(ctx, st)
			if err != nil {
				return err
			}
			res := ix.Search(strings.Join(words, " "), attestation.SearchOptions{Limit: limit, Filters: filters})
			if asJSON {
				out := SearchOutput{Filters: []string{}, Count: len(res), Results: res}
				for _, f := range filters {
					out.Filters = append(out.Filters, f.String())
				}
				if out.Results == nil {
					out.Results = []attestation.Result{}
				}
				return writeJSON(a.stdout, out)
			}
			if len(res) == 0 {
				fmt.Fprintln(a.stdout, "no app matches")
				return nil
			}
			for _, r := range res {
				fmt.Fprintf(a.stdout, "%-40s %-9s %-10s %-8s %s\n", logtext.Runes(r.Name, 40), r.Certification, r.Kind, r.AppSourceID, strings.Join(r.Locales, ","))
			}
			fmt.Fprintf(a.stdout, "%d apps\n", len(res))
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the results as JSON")
	cmd.Flags().IntVar(&limit, "limit", -1, "at most this many results (-1: all)")
	return cmd
}

// DiffOutput is the JSON of catalog diff; its shape is a contract.
type DiffOutput struct {
	Changes []attestation.Change `json:"changes"`
}

func newDiffCmd(a *app) *cobra.Command {
	var asJSON, text bool
	cmd := &cobra.Command{
		Use:   "diff OLD NEW [--json]",
		Short: "Semantic diff of two page files or two directories of pages",
		Long: "diff reports real data changes between two revisions: answers, permissions, certification, dates, links, pages added or removed. " +
			"Translation and metadata churn is not a change.",
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			oldSet, err := loadSet(ctx, args[0])
			if err != nil {
				return err
			}
			newSet, err := loadSet(ctx, args[1])
			if err != nil {
				return err
			}
			opts := attestation.DiffOptions{IncludeText: text}
			var changes []attestation.Change
			if len(oldSet) == 1 && len(newSet) == 1 {
				// Two files: compare them whatever their paths.
				for _, o := range oldSet {
					for _, n := range newSet {
						changes = attestation.Diff(o, n, opts)
					}
				}
			} else {
				changes = attestation.DiffSets(oldSet, newSet, opts)
			}
			if changes == nil {
				changes = []attestation.Change{}
			}
			if asJSON {
				return writeJSON(a.stdout, DiffOutput{Changes: changes})
			}
			if len(changes) == 0 {
				fmt.Fprintln(a.stdout, "no changes")
				return nil
			}
			for _, c := range changes {
				label := c.Label
				if label == "" {
					label = c.Field
				}
				fmt.Fprintf(a.stdout, "%s [%s] %s: %s %s → %s\n", c.App, c.Locale, label, c.Kind, orDash(c.Old), orDash(c.New))
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, `print {"changes":[…]}`)
	cmd.Flags().BoolVar(&text, "text", false, "also report free-text answer changes (often translation variance)")
	return cmd
}

// loadSet parses a page file or every page of a directory, keyed by
// record ID.
func loadSet(ctx context.Context, src string) (map[string]*attestation.Record, error) {
	files, err := sourceFiles([]string{src})
	if err != nil {
		return nil, err
	}
	set := map[string]*attestation.Record{}
	err = attestation.ParseSources(ctx, files, func(src attestation.Source, rec *attestation.Record, err error) error {
		if errors.Is(err, attestation.ErrNotPage) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", src.File, err)
		}
		set[rec.ID()] = rec
		return nil
	})
	return set, err
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
