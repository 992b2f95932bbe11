package cards

import (
	"strings"

	"github.com/attestbot/attestbot/attestation"
)

// resultData returns the action data opening a search result, in the
// searched locale when the app has a record there.
func resultData(res *attestation.Result, locale string) ActionData {
	d := ActionData{Verb: VerbApp, Slug: res.Slug, Kind: res.Kind, Locale: locale}
	if r := res.Record(locale); r != nil {
		d.Locale = cleanLocale(r.Locale)
	}
	return d
}

// resultName returns the display name of a search result.
func resultName(res *attestation.Result) string {
	if res.Name != "" {
		return clip(res.Name, 120)
	}
	if res.Slug != "" {
		return res.Slug
	}
	return "Unnamed app"
}

// Search builds a page of search results. results are all the apps the
// query matched (attestation.Index.Search with no limit), in rank order;
// the card shows page (0-based) of them. The card holds no server state:
// its refresh action, its Previous/Next buttons and its search box all
// carry the query and page in their ActionData (VerbSearch), so the bot
// re-runs the query on each invoke. locale is the preferred locale of the
// search ("" for none); results open in it when the app exists there.
func (b *Builder) Search(query, locale string, results []attestation.Result, page int) *AdaptiveCard {
	query = clip(strings.TrimSpace(query), MaxQueryRunes)
	locale = cleanLocale(locale)
	size := b.searchPageSize
	n := (len(results) + size - 1) / size
	page = clampPage(page, n)
	mk := func(p int) ActionData {
		return ActionData{Verb: VerbSearch, Query: query, Page: p, Locale: locale}
	}

	c := NewCard().WithFallbackText("Search results for " + query)
	c.Refresh = NewManualRefresh(NewExecute("Refresh", mk(page)).WithoutFallback().WithoutInputs())
	c.Add(NewTextBlock("Search: " + query).WithSize(SizeLarge).Bold().Heading())
	count := plural(len(results), "app") + " match"
	if len(results) == 1 {
		count += "es"
	}
	if n > 1 {
		count += " · " + pageLabel(page, n)
	}
	c.Add(NewTextBlock(count).Subtle().WithSpacing(SpacingNone))
	if len(results) == 0 {
		c.Add(NewTextBlock("No app matches. Try fewer words, or an AppSource ID such as WA200003326.").WithSpacing(SpacingMedium))
	}
	lo, hi := page*size, min(page*size+size, len(results))
	for i := lo; i < hi; i++ {
		res := &results[i]
		badge, color := certificationLabel(res.Certification)
		line := KindLabel(res.Kind)
		if r := res.Record(locale); r != nil {
			if !r.Updated.IsZero() {
				line += " · updated " + formatDate(r.Updated)
			}
			if s := broadScopes(r); len(s) > 0 {
				line += " · ⚠️ " + plural(len(s), "broad scope")
			}
		}
		if len(res.Locales) > 0 && len(res.Locales) <= 10 {
			line += " · " + strings.Join(res.Locales, ", ")
		}
		name := resultName(res)
		c.Add(NewContainer(
			NewColumnSet(
				NewColumn(WidthStretch,
					NewTextBlock(name).Bold().WithColor(ColorAccent),
					NewTextBlock(clip(res.Publisher, 100)).Subtle().WithSpacing(SpacingNone),
				),
				NewColumn(WidthAuto, NewTextBlock(badge).WithColor(color).WithSize(SizeSmall).NoWrap()),
			),
			NewTextBlock(clip(line, 300)).WithSize(SizeSmall).WithSpacing(SpacingNone),
		).WithSeparator().WithSelectAction(NewExecute("Open "+name, resultData(res, locale)).WithoutInputs().WithoutFallback()))
	}
	if set := pager(page, n, mk); set != nil {
		c.Add(set)
	}
	c.AddActions(NewShowCard("New search", NewSubCard().
		Add(NewTextInput(InputQuery).WithLabel("Search apps").WithValue(query).WithMaxLength(MaxQueryRunes).
			WithPlaceholder("apps with hipaa and iso 27001").Required("Type what to search for")).
		AddActions(NewExecute("Search", ActionData{Verb: VerbSearch, Locale: locale}))))
	return c
}

// DidYouMean builds the card for a query that named no app exactly: up to
// five near misses (such as fuzzy search results) as buttons, and a search
// for the query.
func (b *Builder) DidYouMean(query, locale string, candidates []attestation.Result) *AdaptiveCard {
	query = clip(strings.TrimSpace(query), MaxQueryRunes)
	locale = cleanLocale(locale)
	c := NewCard().WithFallbackText("No app named " + query)
	c.Add(NewTextBlock("No app named “" + query + "”").WithSize(SizeMedium).Bold().Heading())
	if len(candidates) == 0 {
		c.Add(NewTextBlock("Nothing close either. Try the AppSource ID or paste the app's AppSource or Teams store link."))
	} else {
		c.Add(NewTextBlock("Did you mean:").WithSpacing(SpacingSmall))
		set := NewActionSet()
		for i := range candidates[:min(5, len(candidates))] {
			res := &candidates[i]
			title := resultName(res)
			if res.Publisher != "" {
				title += " — " + clip(res.Publisher, 40)
			}
			set.Add(NewExecute(title, resultData(res, locale)).WithoutInputs())
		}
		c.Add(set)
	}
	c.AddActions(
		NewExecute("Search for “"+clip(query, 40)+"”", ActionData{Verb: VerbSearch, Query: query, Locale: locale}).WithoutInputs(),
		NewExecute("Help", ActionData{Verb: VerbHelp}).WithoutInputs(),
	)
	return c
}
