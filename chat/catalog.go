// Package chat is attestbot's conversation: it turns what an admin types,
// the buttons of its cards and message-extension queries into Adaptive
// Cards, over the catalog of compliance records. It knows nothing of the
// Bot Framework wire format; cmd/attestbot plugs it into bot's router.
package chat

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/internal/pack"
	"github.com/attestbot/attestbot/l10n"
)

// RecordSource lists the stored records (store.Store does).
type RecordSource interface {
	Records(ctx context.Context, fn func(*attestation.Record) error) error
}

// Catalog is the searchable catalog: an index over every stored record,
// swapped whole when the catalog is reloaded, so readers never lock.
//
// Over a source that can also read one record ([RecordGetter], as the
// store does) the catalog is compact: the index holds slim records (see
// [Catalog.Full]), about a tenth of the whole ones.
type Catalog struct {
	src   RecordSource
	get   RecordGetter
	log   *slog.Logger
	ix    atomic.Pointer[attestation.Index]
	views atomic.Pointer[summaryViews] // of ix, when compact
	// keep holds the blocks of ix's slim records, when compact; every
	// record's block holds it too (read here by tests only).
	keep atomic.Pointer[pack.Keep]
	full fullCache
}

// CatalogOption configures a Catalog.
type CatalogOption func(*Catalog)

// WithCatalogLogger sets the logger of store reads that fail.
func WithCatalogLogger(l *slog.Logger) CatalogOption { return func(c *Catalog) { c.log = l } }

// NewCatalog returns an empty catalog over src; call Reload to fill it.
func NewCatalog(src RecordSource, opts ...CatalogOption) *Catalog {
	c := &Catalog{src: src, log: discard}
	c.get, _ = src.(RecordGetter)
	for _, o := range opts {
		o(c)
	}
	if c.log == nil {
		c.log = discard
	}
	c.ix.Store(attestation.NewIndex(nil))
	return c
}

// Reload rebuilds the index from the source and returns the number of
// records indexed. A compact catalog slims each record as it is read, so
// the whole catalog is never held at once.
func (c *Catalog) Reload(ctx context.Context) (int, error) {
	var recs []*attestation.Record
	var p *packer
	var views *summaryViews
	var keep *pack.Keep
	if c.get != nil {
		p, views = newPacker(), newSummaryViews()
		keep = p.keep
	}
	err := c.src.Records(ctx, func(r *attestation.Record) error {
		if c.get != nil {
			s := slim(p, r)
			views.add(p, s, r)
			r = s
		}
		recs = append(recs, r)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("load catalog: %w", err)
	}
	ix := attestation.NewIndex(recs)
	if c.get != nil {
		// The index has its answer table: the slim records need keep only
		// the answers it still reads. Nothing reads them yet.
		for _, r := range recs {
			trimAnswers(p, r)
		}
	}
	views.done()
	c.ix.Store(ix)
	c.views.Store(views)
	c.keep.Store(keep)
	c.full.reset()
	return len(recs), nil
}

// Index returns the current index.
func (c *Catalog) Index() *attestation.Index { return c.ix.Load() }

// App returns the result grouping every locale of kind/slug.
func (c *Catalog) App(kind, slug string) (attestation.Result, bool) {
	q := slug
	if kind != "" {
		q = kind + "/" + slug
	}
	for _, res := range c.Index().Lookup(q) {
		if res.Slug == slug && (kind == "" || res.Kind == kind) {
			return res, true
		}
	}
	return attestation.Result{}, false
}

// Record returns the whole record of kind/slug in locale, or in the first
// locale the app has.
func (c *Catalog) Record(ctx context.Context, kind, slug, locale string) (*attestation.Record, bool) {
	res, ok := c.App(kind, slug)
	if !ok {
		return nil, false
	}
	r := c.Full(ctx, res.Record(locale))
	return r, r != nil
}

// pickLocale chooses the locale to show an app in: the user's language
// when the app's page exists in it (fr-CA reads fr-FR, zh-HK zh-TW), else
// the locale the caller asked for, else the one fallback order of
// l10n.PickLocale, so every card of an answer quotes the same locale.
func pickLocale(res attestation.Result, want ...string) string {
	for _, w := range want {
		if w == "" {
			continue
		}
		if l := l10n.PickLocale(res.Locales, w); l != "" && l10n.Match(l) == l10n.Match(w) {
			return l
		}
	}
	return l10n.PickLocale(res.Locales, "")
}
