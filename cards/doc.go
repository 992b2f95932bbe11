// Package cards is the typed Adaptive Card (1.5) model and the builders of
// every card attestbot sends.
//
// # Model
//
// Each element and action of Adaptive Cards 1.5 that Teams supports is a
// Go struct whose constructor fixes its type (NewTextBlock, NewTable,
// NewExecute...), with chainable With* setters. A card body is a
// []Element, its actions a []Action; there is no map[string]any. NewCard
// returns a version 1.5 card with msteams.width "Full". Action data is the
// typed ActionData. Struct fields are the schema properties of the same
// name (camelCase in JSON); zero values are omitted.
//
// # Builders
//
// A Builder (New, with WithClock for the "now" of record ages) builds the
// cards from attestation records: Summary, Section, Permissions, Compare,
// Search, Changes, DidYouMean, Welcome, Help, Error and Notice, and for the
// message extension Preview (thumbnail), SearchResultAttachment,
// SummaryCardV13 and LinkUnfurlAttachment (1.3 content, for queryLink).
//
// # Languages
//
// Every string a card writes comes from the message catalogs of package
// l10n. A Builder writes English unless derived with For(locale) (the activity's locale: fr-CA writes French);
// WithLocales makes record cards offer the app's other page locales.
// Questions are shown in the page's own wording when the page is in the
// card's language, else with their English label. Text the publisher
// wrote (free-text answers, justifications, original answers) is shown in
// RichTextBlock text runs, which do not interpret markdown, followed by
// the page locale, so a card always says which locale it quotes.
//
// # Action data contract
//
// Every Action.Execute carries an ActionData; its verb is also the
// action's verb. The bot receives an adaptiveCard/action invoke, decodes
// value.action.data with DecodeActionData and calls the builder of the
// verb (see the Verb constants), then answers with the card
// (application/vnd.microsoft.card.adaptive) in the invoke response. Each
// Action.Execute has an Action.Submit fallback with the same data, which
// arrives as a message whose value is the ActionData: route it on
// value.verb the same way. Cards keep all their state in action data
// (page, query, original, compare list), never in server memory; the
// search and summary cards also carry a manual refresh action with the
// same data.
//
// Verb → builder (ActionData fields read):
//
//	app          Summary(rec)                              Slug, Kind, Locale
//	section      Section(rec, Section, View{Page, Original})
//	permissions  Permissions(rec, Page)
//	compare      Compare(recs)                             Compare refs, plus the CompareWith input
//	search       Search(Query, Locale, results, Page)      results from attestation.Index.Search
//	subscribe    Notice(rec, title, text, &ActionData{Verb: VerbUnsubscribe, …})
//	unsubscribe  Notice(rec, title, text, nil)
//	changes      Changes(rec, changes, Page)               changes from attestation.Diff
//	help         Help()
//
// Unresolvable requests get DidYouMean(query, locale, nearMisses) or
// Error(ErrorMessage{…}).
//
// # Size
//
// Every card stays under MaxCardSize (40 KB of UTF-16, the measure Teams
// applies to a message); long tables, sections, results and change lists
// page, and publisher text is clipped. Encode marshals a card and checks
// the budget.
package cards
