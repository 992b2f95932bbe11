package manifest

import (
	"fmt"
	"strings"
)

// SchemaVersion is the manifest schema version Build writes: the newest
// version Microsoft's offline validator (npm @microsoft/app-manifest
// 1.1.2) bundles, and the newest bundled under schemas/.
const SchemaVersion = "1.30"

// SchemaURL and LocalizationSchemaURL are the $schema URLs of the written
// manifest and localization files.
const (
	SchemaURL             = "https://developer.microsoft.com/json-schemas/teams/v" + SchemaVersion + "/MicrosoftTeams.schema.json"
	LocalizationSchemaURL = "https://developer.microsoft.com/json-schemas/teams/v" + SchemaVersion + "/MicrosoftTeams.Localization.schema.json"
)

// File names inside the app package.
const (
	ManifestFile    = "manifest.json"
	ColorIconFile   = "color.png"
	OutlineIconFile = "outline.png"
)

// Icon sizes in pixels (square).
const (
	ColorIconSize   = 192
	OutlineIconSize = 32
)

// SearchCommandID is the ID of the message extension search command; the
// bot receives it as commandId in composeExtension/query invokes.
const SearchCommandID = "searchApps"

// SearchParameter is the name of the search command's query parameter.
const SearchParameter = "query"

// UnfurlDomains are the link domains the message extension unfurls.
var UnfurlDomains = []string{"appsource.microsoft.com", "marketplace.microsoft.com", "azuremarketplace.microsoft.com", "teams.microsoft.com", "learn.microsoft.com"}

// Command is one bot command suggested in the Teams command menu.
type Command struct {
	Title       string `json:"title"`
	Description string `json:"description"`
}

// BotCommands are the commands attestbot's router understands, in menu
// order. Titles are what the user types; they are never translated.
var BotCommands = []Command{
	{"help", "What attestbot can do and how to ask"},
	{"search", "Find apps by name, ID, certification or permission"},
	{"show", "Show an app's compliance record"},
	{"compare", "Compare the records of two or more apps"},
	{"subscribe", "Get an alert when an app's record changes"},
	{"unsubscribe", "Stop alerts for an app"},
	{"my subscriptions", "List your subscriptions"},
	{"what changed", "What changed lately in an app's record"},
	{"audit", "Audit the apps of your tenant catalog (admins)"},
}

// Manifest is the Teams app manifest attestbot writes: the subset of the
// schema it uses, in schema field order.
type Manifest struct {
	Schema             string              `json:"$schema"`
	ManifestVersion    string              `json:"manifestVersion"`
	Version            string              `json:"version"`
	ID                 string              `json:"id"`
	LocalizationInfo   *LocalizationInfo   `json:"localizationInfo,omitempty"`
	Developer          Developer           `json:"developer"`
	Name               Name                `json:"name"`
	Description        Description         `json:"description"`
	Icons              Icons               `json:"icons"`
	AccentColor        string              `json:"accentColor"`
	Bots               []Bot               `json:"bots,omitempty"`
	ComposeExtensions  []ComposeExtension  `json:"composeExtensions,omitempty"`
	ValidDomains       []string            `json:"validDomains,omitempty"`
	WebApplicationInfo *WebApplicationInfo `json:"webApplicationInfo,omitempty"`
	Activities         *ActivityFeed       `json:"activities,omitempty"`
}

// LocalizationInfo names the default language and the localization files.
type LocalizationInfo struct {
	DefaultLanguageTag  string     `json:"defaultLanguageTag"`
	AdditionalLanguages []Language `json:"additionalLanguages,omitempty"`
}

// Language is one additional language and its file in the package.
type Language struct {
	LanguageTag string `json:"languageTag"`
	File        string `json:"file"`
}

// Developer is the publisher block.
type Developer struct {
	Name          string `json:"name"`
	WebsiteURL    string `json:"websiteUrl"`
	PrivacyURL    string `json:"privacyUrl"`
	TermsOfUseURL string `json:"termsOfUseUrl"`
}

// Name holds the short and full app names.
type Name struct {
	Short string `json:"short"`
	Full  string `json:"full,omitempty"`
}

// Description holds the short and full descriptions.
type Description struct {
	Short string `json:"short"`
	Full  string `json:"full"`
}

// Icons are the relative paths of the icons in the package.
type Icons struct {
	Color   string `json:"color"`
	Outline string `json:"outline"`
}

// Bot is the manifest's bot block.
type Bot struct {
	BotID              string        `json:"botId"`
	Scopes             []string      `json:"scopes"`
	SupportsFiles      bool          `json:"supportsFiles"`
	IsNotificationOnly bool          `json:"isNotificationOnly"`
	CommandLists       []CommandList `json:"commandLists,omitempty"`
}

// CommandList is a set of commands offered in some scopes.
type CommandList struct {
	Scopes   []string  `json:"scopes"`
	Commands []Command `json:"commands"`
}

// ComposeExtension is the message extension block.
type ComposeExtension struct {
	BotID                string           `json:"botId"`
	ComposeExtensionType string           `json:"composeExtensionType"`
	Commands             []MECommand      `json:"commands"`
	MessageHandlers      []MessageHandler `json:"messageHandlers,omitempty"`
}

// MECommand is a message extension command.
type MECommand struct {
	ID          string      `json:"id"`
	Type        string      `json:"type"`
	Title       string      `json:"title"`
	Description string      `json:"description"`
	InitialRun  bool        `json:"initialRun"`
	Context     []string    `json:"context"`
	Parameters  []Parameter `json:"parameters"`
}

// Parameter is a message extension command parameter.
type Parameter struct {
	Name        string `json:"name"`
	Title       string `json:"title"`
	Description string `json:"description"`
	InputType   string `json:"inputType"`
}

// MessageHandler declares link unfurling for some domains.
type MessageHandler struct {
	Type  string              `json:"type"`
	Value MessageHandlerValue `json:"value"`
}

// MessageHandlerValue lists the domains of a link message handler.
type MessageHandlerValue struct {
	Domains []string `json:"domains"`
}

// WebApplicationInfo ties the Teams app to its Entra app registration.
type WebApplicationInfo struct {
	ID       string `json:"id"`
	Resource string `json:"resource,omitempty"`
}

// ActivityFeed declares the activity feed notification types (the
// manifest's "activities" block).
type ActivityFeed struct {
	ActivityTypes []ActivityType `json:"activityTypes"`
}

// ActivityType is one declared activity feed notification type.
type ActivityType struct {
	Type         string `json:"type"`
	Description  string `json:"description"`
	TemplateText string `json:"templateText"`
}

// Scopes is where the bot can be installed.
var Scopes = []string{"personal", "team", "groupChat"}

// Build returns attestbot's manifest for cfg, after applying defaults. It
// returns the configuration errors (see Config.Validate) when cfg is not
// usable.
func Build(cfg Config) (*Manifest, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.WithDefaults()
	host := publicHost(cfg.PublicURL)
	m := &Manifest{
		Schema:          SchemaURL,
		ManifestVersion: SchemaVersion,
		Version:         cfg.Version,
		ID:              cfg.AppID,
		Developer: Developer{
			Name:          cfg.DeveloperName,
			WebsiteURL:    cfg.WebsiteURL,
			PrivacyURL:    cfg.PrivacyURL,
			TermsOfUseURL: cfg.TermsURL,
		},
		Name:        Name{Short: cfg.ShortName, Full: cfg.FullName},
		Description: Description{Short: cfg.ShortDescription, Full: cfg.LongDescription},
		Icons:       Icons{Color: ColorIconFile, Outline: OutlineIconFile},
		AccentColor: strings.ToUpper(cfg.AccentColor),
		Bots: []Bot{{
			BotID:  cfg.BotID,
			Scopes: append([]string(nil), Scopes...),
			CommandLists: []CommandList{{
				Scopes:   append([]string(nil), Scopes...),
				Commands: append([]Command(nil), BotCommands...),
			}},
		}},
		ComposeExtensions: []ComposeExtension{{
			BotID:                cfg.BotID,
			ComposeExtensionType: "botBased",
			Commands: []MECommand{{
				ID:          SearchCommandID,
				Type:        "query",
				Title:       "Search apps",
				Description: "Find a Microsoft 365 app's compliance record",
				Context:     []string{"compose", "commandBox"},
				Parameters: []Parameter{{
					Name:        SearchParameter,
					Title:       "App",
					Description: "Name, AppSource ID or Teams app ID",
					InputType:   "text",
				}},
			}},
			MessageHandlers: []MessageHandler{{
				Type:  "link",
				Value: MessageHandlerValue{Domains: append([]string(nil), UnfurlDomains...)},
			}},
		}},
		ValidDomains: []string{host},
		WebApplicationInfo: &WebApplicationInfo{
			ID:       cfg.EntraAppID,
			Resource: "api://" + host + "/" + cfg.EntraAppID,
		},
		Activities: &ActivityFeed{},
	}
	for _, a := range activities {
		m.Activities.ActivityTypes = append(m.Activities.ActivityTypes, ActivityType(a))
	}
	if len(cfg.Localized) > 0 {
		m.LocalizationInfo = &LocalizationInfo{DefaultLanguageTag: DefaultLanguageTag}
		for _, tag := range sortedKeys(cfg.Localized) {
			m.LocalizationInfo.AdditionalLanguages = append(m.LocalizationInfo.AdditionalLanguages,
				Language{LanguageTag: tag, File: localizationFileName(tag)})
		}
	}
	return m, nil
}

// JSON returns the manifest as indented JSON with a final newline, as
// written to manifest.json.
func (m *Manifest) JSON() ([]byte, error) {
	b, err := marshalIndent(m)
	if err != nil {
		return nil, fmt.Errorf("encode manifest: %w", err)
	}
	return b, nil
}

func localizationFileName(tag string) string { return lower(tag) + ".json" }
