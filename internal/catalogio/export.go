package catalogio

import (
	"context"
	"errors"
	"fmt"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/store"
)

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

// Export returns the catalog export line of r.
func Export(r *attestation.Record) ExportRecord {
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

// LoadIndex builds the search index of every stored record.
func LoadIndex(ctx context.Context, st store.RecordStore) (*attestation.Index, int, error) {
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

// SearchOutput is the JSON of catalog search.
type SearchOutput struct {
	Filters []string             `json:"filters"`
	Count   int                  `json:"count"`
	Results []attestation.Result `json:"results"`
}

// DiffOutput is the JSON of catalog diff; its shape is a contract.
type DiffOutput struct {
	Changes []attestation.Change `json:"changes"`
}

// LoadSet parses a page file or every page of a directory, keyed by
// record ID.
func LoadSet(ctx context.Context, src string) (map[string]*attestation.Record, error) {
	files, err := SourceFiles([]string{src})
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

// Diff compares two page files, whatever their paths, or two directories
// of pages; never nil.
func Diff(ctx context.Context, oldSrc, newSrc string, opts attestation.DiffOptions) ([]attestation.Change, error) {
	oldSet, err := LoadSet(ctx, oldSrc)
	if err != nil {
		return nil, err
	}
	newSet, err := LoadSet(ctx, newSrc)
	if err != nil {
		return nil, err
	}
	var changes []attestation.Change
	if len(oldSet) == 1 && len(newSet) == 1 {
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
	return changes, nil
}
