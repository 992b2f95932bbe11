// Package chat is attestbot's conversation: it turns what an admin types,
// the buttons of its cards and message-extension queries into Adaptive
// Cards, over the catalog of compliance records. It knows nothing of the
// Bot Framework wire format; cmd/attestbot plugs it into bot's router.
package chat

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"

	"github.com/attestbot/attestbot/attestation"
)

// RecordSource lists the stored records (store.Store does).
type RecordSource interface {
	Records(ctx context.Context, fn func(*attestation.Record) error) error
}

// Catalog is the searchable catalog: an index over every stored record,
// swapped whole when the catalog is reloaded, so readers never lock.
type Catalog struct {
	src RecordSource
	ix  atomic.Pointer[attestation.Index]
}

// NewCatalog returns an empty catalog over src; call Reload to fill it.
func NewCatalog(src RecordSource) *Catalog {
	c := &Catalog{src: src}
	c.ix.Store(attestation.NewIndex(nil))
	return c
}

// Reload rebuilds the index from the source and returns the number of
// records indexed.
func (c *Catalog) Reload(ctx context.Context) (int, error) {
	var recs []*attestation.Record
	err := c.src.Records(ctx, func(r *attestation.Record) error {
		recs = append(recs, r)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("load catalog: %w", err)
	}
	c.ix.Store(attestation.NewIndex(recs))
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

// Record returns the record of kind/slug in locale, or in the first locale
// the app has.
func (c *Catalog) Record(kind, slug, locale string) (*attestation.Record, bool) {
	res, ok := c.App(kind, slug)
	if !ok {
		return nil, false
	}
	r := res.Record(locale)
	return r, r != nil
}

// pickLocale chooses the locale to show an app in: the user's own when the
// app has it, else the one the caller asked for.
func pickLocale(res attestation.Result, want ...string) string {
	for _, w := range want {
		if w == "" {
			continue
		}
		for _, l := range res.Locales {
			if strings.EqualFold(l, w) {
				return l
			}
			// A user in fr-CA reads fr-FR.
			if len(w) >= 2 && len(l) >= 2 && strings.EqualFold(l[:2], w[:2]) {
				return l
			}
		}
	}
	for _, l := range defaultLocales {
		for _, have := range res.Locales {
			if have == l {
				return l
			}
		}
	}
	if len(res.Locales) > 0 {
		return res.Locales[0]
	}
	return ""
}

// defaultLocales orders the locales shown to a user whose own locale the
// app lacks (an en-US client): the English source first, then the locales
// with the most pages.
var defaultLocales = []string{"en-US", "fr-FR", "de-DE", "ja-JP", "ru-RU", "pt-BR", "es-ES", "it-IT", "ko-KR", "zh-CN", "zh-TW"}
