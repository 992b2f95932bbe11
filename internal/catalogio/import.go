package catalogio

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"runtime/debug"
	"strings"
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
// GOMEMLIMIT does not set one. An import holds every parsed record (about
// 210 MB of heap for the 12,492 pages of the public-size catalog, interned)
// and parsing leaves as much garbage again: with Go's default pacing the
// process peaked at 550 MB; with this limit at about 345 MB, for some CPU
// (docs/performance.md).
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
	// Progress, when set, is called once for each file read.
	Progress func()
}

// Import parses, reconciles and stores the pages of files in st, and
// counts what it read and stored.
func Import(ctx context.Context, st store.RecordStore, files []attestation.Source, opts ImportOptions) (*ImportStats, error) {
	start := time.Now()
	stats := &ImportStats{ByKind: map[string]int{}, ByLocale: map[string]int{}}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	var recs []*attestation.Record
	in := attestation.Interner{}
	err := attestation.ParseSources(ctx, files, func(src attestation.Source, rec *attestation.Record, err error) error {
		file := src.File
		if opts.Progress != nil {
			opts.Progress()
		}
		switch {
		case errors.Is(err, attestation.ErrNotPage):
			return nil
		case err != nil:
			stats.Failed++
			log.Warn("page not imported", "file", file, "err", err)
			return nil
		}
		stats.Pages++
		in.Record(rec)
		recs = append(recs, rec)
		return nil
	})
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
