package manifest

import (
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/attestbot/attestbot/l10n"
)

// DefaultLanguageTag is the language of the strings in manifest.json.
const DefaultLanguageTag = "en-us"

// manifestLanguages maps the language tags of the manifest's localization
// files to the l10n catalog locales their texts come from.
var manifestLanguages = map[string]string{
	"de": "de-DE", "es": "es-ES", "fr": "fr-FR", "it": "it-IT", "ja": "ja-JP", "ko": "ko-KR",
	"pt-br": "pt-BR", "ru": "ru-RU", "zh-cn": "zh-CN", "zh-tw": "zh-TW",
}

// defaultLocalized returns the built-in translations of the default names
// and descriptions, from the l10n catalogs (section [manifest]).
func defaultLocalized() map[string]Localized {
	out := make(map[string]Localized, len(manifestLanguages))
	for tag, locale := range manifestLanguages {
		loc := l10n.For(locale)
		out[tag] = Localized{
			ShortName:        DefaultShortName,
			FullName:         loc.T("manifest.full_name"),
			ShortDescription: loc.T("manifest.short_description"),
			LongDescription:  loc.T("manifest.long_description"),
		}
	}
	return out
}

// uiText holds the translations of the command descriptions, the message
// extension texts and the activity texts, which Config does not override.
type uiText struct {
	commands    map[string]string // command title → description
	searchTitle string
	searchDesc  string
	paramTitle  string
	paramDesc   string
	activities  map[string][2]string // type → description, templateText
}

// uiTexts are the built-in UI translations by manifest language tag.
var uiTexts = func() map[string]uiText {
	out := make(map[string]uiText, len(manifestLanguages))
	for tag, locale := range manifestLanguages {
		out[tag] = catalogUIText(l10n.For(locale))
	}
	return out
}()

// catalogUIText reads one language's UI texts from the catalogs: command
// "my subscriptions" is manifest.command.my_subscriptions, activity type
// recordChanged is manifest.activity.recordChanged.text and .template.
func catalogUIText(loc *l10n.Localizer) uiText {
	ui := uiText{
		commands:    map[string]string{},
		searchTitle: loc.T("manifest.search_title"),
		searchDesc:  loc.T("manifest.search_desc"),
		paramTitle:  loc.T("manifest.param_title"),
		paramDesc:   loc.T("manifest.param_desc"),
		activities:  map[string][2]string{},
	}
	for _, c := range BotCommands {
		ui.commands[c.Title] = loc.T("manifest.command." + strings.ReplaceAll(c.Title, " ", "_"))
	}
	for _, a := range activities {
		ui.activities[a.Type] = [2]string{
			loc.T("manifest.activity." + a.Type + ".text"),
			loc.T("manifest.activity." + a.Type + ".template"),
		}
	}
	return ui
}

// localizationFile builds the content of one language's localization file.
// Keys follow MicrosoftTeams.Localization.schema.json of SchemaVersion.
func localizationFile(tag string, l Localized, m *Manifest) map[string]string {
	out := map[string]string{
		"$schema":           LocalizationSchemaURL,
		"name.short":        or(l.ShortName, m.Name.Short),
		"name.full":         or(l.FullName, m.Name.Full),
		"description.short": or(l.ShortDescription, m.Description.Short),
		"description.full":  or(l.LongDescription, m.Description.Full),
	}
	ui, ok := uiTexts[lower(tag)]
	if !ok {
		return out
	}
	for i, b := range m.Bots {
		if i > 0 {
			break
		}
		for li, cl := range b.CommandLists {
			for ci, c := range cl.Commands {
				if d, ok := ui.commands[c.Title]; ok {
					out["bots[0].commandLists["+strconv.Itoa(li)+"].commands["+strconv.Itoa(ci)+"].description"] = d
				}
			}
		}
	}
	if len(m.ComposeExtensions) > 0 && len(m.ComposeExtensions[0].Commands) > 0 {
		out["composeExtensions[0].commands[0].title"] = ui.searchTitle
		out["composeExtensions[0].commands[0].description"] = ui.searchDesc
		if len(m.ComposeExtensions[0].Commands[0].Parameters) > 0 {
			out["composeExtensions[0].commands[0].parameters[0].title"] = ui.paramTitle
			out["composeExtensions[0].commands[0].parameters[0].description"] = ui.paramDesc
		}
	}
	if m.Activities != nil {
		for i, a := range m.Activities.ActivityTypes {
			if t, ok := ui.activities[a.Type]; ok {
				out["activities.activityTypes["+strconv.Itoa(i)+"].description"] = t[0]
				out["activities.activityTypes["+strconv.Itoa(i)+"].templateText"] = t[1]
			}
		}
	}
	return out
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
