package notify

import (
	"slices"

	"github.com/attestbot/attestbot/cards"
	"github.com/attestbot/attestbot/internal/logtext"
	"github.com/attestbot/attestbot/l10n"
)

// Notification builds the activity feed notification of an event in a
// subscriber's language (a Teams locale such as fr-FR; empty or unknown
// reads English): its topic, preview text and template parameters.
func (d *Deliverer) Notification(ev Event, locale string) ActivityNotification {
	loc := l10n.For(locale)
	title, summary := EventTexts(ev, loc)
	preview := summary
	if ev.Kind == EventApp && ev.AppName != "" {
		preview = loc.F("alert.preview", l10n.Args{"Name": ev.AppName, "Summary": summary})
	}
	n := ActivityNotification{
		Topic:        ActivityTopic{Source: "text", Value: title, WebURL: DeepLink(d.cfg.TeamsAppID, ev.ID)},
		ActivityType: d.cfg.ActivityType,
		PreviewText:  ItemBody{Content: logtext.Runes(preview, previewMaxRunes)},
		ChainID:      ev.ChainID(),
	}
	if d.cfg.ActivityType == DefaultActivityType {
		n.TemplateParameters = []KeyValuePair{{Name: "systemDefaultText", Value: logtext.Runes(loc.F("alert.default_text", l10n.Args{"Name": title}), 128)}}
	} else {
		// The manifest's templates, localized with the app package, name
		// the app and state the change ("{appName}: {summary}").
		n.TemplateParameters = []KeyValuePair{
			{Name: "appName", Value: logtext.Runes(title, 128)},
			{Name: "summary", Value: logtext.Runes(summary, 256)},
		}
	}
	return n
}

// EventTexts returns an event's title (the app name, or "N apps") and the
// one-line summary of its changes, in loc's language. An event without
// changes keeps its stored English summary.
func EventTexts(ev Event, loc *l10n.Localizer) (title, summary string) {
	title = ev.Title()
	if !(ev.Kind == EventApp && ev.AppName != "") && len(ev.Apps) != 1 {
		title = loc.N("alert.apps", len(ev.Apps), nil)
	}
	summary = ev.Summary
	switch {
	case len(ev.Changes) == 0:
	case ev.Kind == EventBulk:
		summary = cards.BulkSummary(loc, ev.Changes, len(ev.Apps))
	default:
		summary = cards.ChangeSummary(loc, ev.Changes)
	}
	return title, summary
}

// byLanguage splits users by the catalog language of their locale, in a
// stable order (languages sorted, users in their given order).
func byLanguage(us []User) [][]User {
	groups := map[string][]User{}
	for _, u := range us {
		lang := l10n.Match(u.Locale)
		groups[lang] = append(groups[lang], u)
	}
	langs := make([]string, 0, len(groups))
	for l := range groups {
		langs = append(langs, l)
	}
	slices.Sort(langs)
	out := make([][]User, len(langs))
	for i, l := range langs {
		out[i] = groups[l]
	}
	return out
}
