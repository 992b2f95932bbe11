package cards

import (
	"strings"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/internal/logtext"
	"github.com/attestbot/attestbot/l10n"
)

// resultRecord returns the record a search result is shown from: the
// page in the searched locale's language when it exists, otherwise the
// one fallback locale (l10n.PickLocale), so that a list never mixes
// languages by accident.
func resultRecord(res *attestation.Result, locale string) *attestation.Record {
	if len(res.Records) == 0 {
		return nil
	}
	return res.Record(l10n.PickLocale(res.Locales, locale))
}

// resultData returns the action data opening a search result, in the
// searched locale when the app has a record there.
func resultData(res *attestation.Result, locale string) ActionData {
	d := ActionData{Verb: VerbApp, Slug: res.Slug, Kind: res.Kind, Locale: locale}
	if r := resultRecord(res, locale); r != nil {
		d.Locale = cleanLocale(r.Locale)
	}
	return d
}

// resultName returns the display name and publisher of a search result,
// from the record it is shown from.
func (b *Builder) resultName(res *attestation.Result, locale string) (name, publisher string) {
	name, publisher = res.Name, res.Publisher
	if r := resultRecord(res, locale); r != nil && r.Name != "" {
		name, publisher = r.Name, r.Publisher
	}
	if name != "" {
		return logtext.Runes(name, 120), publisher
	}
	if res.Slug != "" {
		return res.Slug, publisher
	}
	return b.loc.T("common.unnamed_app"), publisher
}

// Search builds a page of search results. results are all the apps the
// query matched (attestation.Index.Search with no limit), in rank order;
// the card shows page (0-based) of them. The card holds no server state:
// its refresh action, its Previous/Next buttons and its search box all
// carry the query and page in their ActionData (VerbSearch), so the bot
// re-runs the query on each invoke. locale is the preferred locale of the
// search ("" for none); results open in it when the app exists there, and
// names are those of the record each result opens.
func (b *Builder) Search(query, locale string, results []attestation.Result, page int) *AdaptiveCard {
	loc := b.loc
	query = logtext.Runes(strings.TrimSpace(query), MaxQueryRunes)
	locale = cleanLocale(locale)
	size := b.searchPageSize
	n := (len(results) + size - 1) / size
	page = clampPage(page, n)
	mk := func(p int) ActionData {
		return ActionData{Verb: VerbSearch, Query: query, Page: p, Locale: locale}
	}

	c := NewCard().WithFallbackText(loc.F("search.fallback", l10n.Args{"Query": query}))
	c.Refresh = NewManualRefresh(NewExecute(loc.T("common.refresh"), mk(page)).WithoutFallback().WithoutInputs())
	c.Add(NewTextBlock(loc.F("search.title", l10n.Args{"Query": EscapeMarkdown(query)})).WithSize(SizeLarge).Bold().Heading())
	count := loc.N("search.count", len(results), nil)
	if n > 1 {
		count += " · " + b.pageLabel(page, n)
	}
	c.Add(NewTextBlock(count).Subtle().WithSpacing(SpacingNone))
	if len(results) == 0 {
		c.Add(NewTextBlock(loc.T("search.none")).WithSpacing(SpacingMedium))
	}
	lo, hi := page*size, min(page*size+size, len(results))
	for i := lo; i < hi; i++ {
		res := &results[i]
		badge, color := certificationLabel(loc, res.Certification)
		line := kindLabel(loc, res.Kind)
		if r := resultRecord(res, locale); r != nil {
			if !r.Updated.IsZero() {
				line += " · " + loc.F("search.updated", l10n.Args{"Date": b.formatDate(r.Updated)})
			}
			if s := broadScopes(r); len(s) > 0 {
				line += " · ⚠️ " + loc.N("search.broad_scopes", len(s), nil)
			}
		}
		if len(res.Locales) > 0 && len(res.Locales) <= 10 {
			line += " · " + strings.Join(res.Locales, ", ")
		}
		name, publisher := b.resultName(res, locale)
		c.Add(NewContainer(
			NewColumnSet(
				NewColumn(WidthStretch,
					NewTextBlock(name).Bold().WithColor(ColorAccent),
					NewTextBlock(logtext.Runes(publisher, 100)).Subtle().WithSpacing(SpacingNone),
				),
				NewColumn(WidthAuto, NewTextBlock(badge).WithColor(color).WithSize(SizeSmall).NoWrap()),
			),
			NewTextBlock(logtext.Runes(line, 300)).WithSize(SizeSmall).WithSpacing(SpacingNone),
		).WithSeparator().WithSelectAction(NewExecute(loc.F("common.open", l10n.Args{"Name": name}), resultData(res, locale)).WithoutInputs().WithoutFallback()))
	}
	if set := b.pager(page, n, mk); set != nil {
		c.Add(set)
	}
	c.AddActions(NewShowCard(loc.T("search.new_search"), NewSubCard().
		Add(NewTextInput(InputQuery).WithLabel(loc.T("search.input_label")).WithValue(query).WithMaxLength(MaxQueryRunes).
			WithPlaceholder(loc.T("search.placeholder")).Required(loc.T("search.required"))).
		AddActions(NewExecute(loc.T("search.button"), ActionData{Verb: VerbSearch, Locale: locale}))))
	return c
}

// DidYouMean builds the card for a query that named no app exactly: up to
// five near misses (such as fuzzy search results) as buttons, and a search
// for the query.
func (b *Builder) DidYouMean(query, locale string, candidates []attestation.Result) *AdaptiveCard {
	loc := b.loc
	query = logtext.Runes(strings.TrimSpace(query), MaxQueryRunes)
	locale = cleanLocale(locale)
	c := NewCard().WithFallbackText(loc.F("didyoumean.fallback", l10n.Args{"Query": query}))
	c.Add(NewTextBlock(loc.F("didyoumean.title", l10n.Args{"Query": EscapeMarkdown(query)})).WithSize(SizeMedium).Bold().Heading())
	if len(candidates) == 0 {
		c.Add(NewTextBlock(loc.T("didyoumean.nothing")))
	} else {
		c.Add(NewTextBlock(loc.T("didyoumean.prompt")).WithSpacing(SpacingSmall))
		set := NewActionSet()
		for i := range candidates[:min(5, len(candidates))] {
			res := &candidates[i]
			title, publisher := b.resultName(res, locale)
			if publisher != "" {
				title += " — " + logtext.Runes(publisher, 40)
			}
			set.Add(NewExecute(title, resultData(res, locale)).WithoutInputs())
		}
		c.Add(set)
	}
	c.AddActions(
		NewExecute(loc.F("didyoumean.search", l10n.Args{"Query": logtext.Runes(query, 40)}), ActionData{Verb: VerbSearch, Query: query, Locale: locale}).WithoutInputs(),
		NewExecute(loc.T("common.help"), ActionData{Verb: VerbHelp}).WithoutInputs(),
	)
	return c
}
