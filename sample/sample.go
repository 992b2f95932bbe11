// Package sample bundles the developer sample of Microsoft 365 App
// Compliance pages (CC BY 4.0, see corpus/README.md and corpus/LICENSE):
// 72 current pages in ten locales and 15 historical revisions. attestbot
// serve imports the current pages in local mode, so that a newcomer can
// chat with the bot at once; tests use the pages and the history.
package sample

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/attestbot/attestbot/attestation"
)

//go:embed corpus
var corpus embed.FS

// FS returns the whole sample: <locale>/<kind>/<slug>.md pages and
// history/<locale>/<slug>/<date>_<commit>.md revisions.
func FS() fs.FS {
	sub, _ := fs.Sub(corpus, "corpus")
	return sub
}

// CurrentPages lists the paths (within FS) of the current pages, without
// the historical revisions, in lexical order.
func CurrentPages() []string {
	var out []string
	_ = fs.WalkDir(FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && p == "history" {
			return fs.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(p, ".md") && strings.Contains(p, "/") {
			out = append(out, p)
		}
		return nil
	})
	return out
}

// Records is the parsed sample, a record source in memory
// (chat.RecordSource).
type Records []*attestation.Record

// Records calls fn with each record in turn.
func (m Records) Records(_ context.Context, fn func(*attestation.Record) error) error {
	for _, r := range m {
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

// ParseRecords parses the current sample pages and reconciles their
// locales, as an import would.
func ParseRecords() (Records, error) {
	var recs Records
	for _, p := range CurrentPages() {
		data, err := fs.ReadFile(FS(), p)
		if err != nil {
			return nil, err
		}
		r, err := attestation.Parse(p, data)
		if errors.Is(err, attestation.ErrNotPage) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("sample page %s: %w", p, err)
		}
		recs = append(recs, r)
	}
	attestation.Reconcile(recs)
	return recs, nil
}
