package manifest

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/l10n"
)

var update = flag.Bool("update", false, "rewrite golden files")

// Example IDs of the golden files and of deploy/compliance/attestbot.md;
// a real deployment uses its own.
const (
	testAppID   = "1c4f5e2a-8b3d-4f6e-9a7b-2d3e4f5a6b7c"
	testBotID   = "3b2a1c0d-9e8f-4a7b-8c6d-5e4f3a2b1c0d"
	testEntraID = "7d6c5b4a-3f2e-4d1c-8b0a-9f8e7d6c5b4a"
)

func testConfig() Config {
	return Config{
		AppID:      testAppID,
		BotID:      testBotID,
		EntraAppID: testEntraID,
		PublicURL:  "https://attestbot.example.com",
	}
}

// golden compares got with testdata/golden/<name>, or rewrites it under
// -update.
func golden(t *testing.T, file string, got []byte) {
	t.Helper()
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(file), 0o755))
		require.NoError(t, os.WriteFile(file, got, 0o644))
	}
	want, err := os.ReadFile(file)
	require.NoError(t, err, "run go test ./manifest -update to create %s", file)
	require.Equal(t, string(want), string(got), "%s is stale; run go test ./manifest -update and review the diff", file)
}

func TestBuild_Golden(t *testing.T) {
	files, err := Files(testConfig())
	require.NoError(t, err)
	var names []string
	for _, f := range files {
		names = append(names, f.Name)
		if strings.HasSuffix(f.Name, ".json") {
			golden(t, filepath.Join("testdata", "golden", f.Name), f.Data)
		}
	}
	require.Equal(t, []string{"manifest.json", "color.png", "outline.png", "de.json", "es.json", "fr.json", "it.json", "ja.json",
		"ko.json", "pt-br.json", "ru.json", "zh-cn.json", "zh-tw.json"}, names)
}

func TestBuild_Content(t *testing.T) {
	m, err := Build(testConfig())
	require.NoError(t, err)

	require.Equal(t, SchemaVersion, m.ManifestVersion)
	require.Equal(t, BundledVersions()[len(BundledVersions())-1], m.ManifestVersion, "Build must write the newest bundled schema version")
	require.Equal(t, testAppID, m.ID)
	require.Equal(t, []string{"personal", "team", "groupChat"}, m.Bots[0].Scopes)
	require.Equal(t, testBotID, m.Bots[0].BotID)
	require.Equal(t, testBotID, m.ComposeExtensions[0].BotID)

	var titles []string
	for _, c := range m.Bots[0].CommandLists[0].Commands {
		titles = append(titles, c.Title)
		require.LessOrEqual(t, utf8.RuneCountInString(c.Title), 32)
		require.LessOrEqual(t, utf8.RuneCountInString(c.Description), 128)
	}
	require.Equal(t, []string{"help", "search", "show", "compare", "subscribe", "unsubscribe", "my subscriptions", "what changed", "audit"}, titles)

	me := m.ComposeExtensions[0]
	require.Equal(t, SearchCommandID, me.Commands[0].ID)
	require.Equal(t, "query", me.Commands[0].Type)
	require.Equal(t, SearchParameter, me.Commands[0].Parameters[0].Name)
	require.Equal(t, "link", me.MessageHandlers[0].Type)
	require.ElementsMatch(t, []string{"appsource.microsoft.com", "marketplace.microsoft.com", "azuremarketplace.microsoft.com", "teams.microsoft.com", "learn.microsoft.com"}, me.MessageHandlers[0].Value.Domains)

	require.Equal(t, []string{"attestbot.example.com"}, m.ValidDomains)
	require.Equal(t, testEntraID, m.WebApplicationInfo.ID)
	require.Equal(t, "api://attestbot.example.com/"+testEntraID, m.WebApplicationInfo.Resource)

	var declared []string
	for _, a := range m.Activities.ActivityTypes {
		declared = append(declared, a.Type)
	}
	require.Equal(t, ActivityTypes(), declared)

	require.Equal(t, "en-us", m.LocalizationInfo.DefaultLanguageTag)
	require.Equal(t, []Language{{"de", "de.json"}, {"es", "es.json"}, {"fr", "fr.json"}, {"it", "it.json"}, {"ja", "ja.json"},
		{"ko", "ko.json"}, {"pt-br", "pt-br.json"}, {"ru", "ru.json"}, {"zh-cn", "zh-cn.json"}, {"zh-tw", "zh-tw.json"}},
		m.LocalizationInfo.AdditionalLanguages)
}

func TestBuild_Defaults(t *testing.T) {
	m, err := Build(Config{AppID: testAppID, BotID: testBotID, PublicURL: "https://bot.example.org:8443/"})
	require.NoError(t, err)
	require.Equal(t, testBotID, m.WebApplicationInfo.ID, "the Entra app ID defaults to the bot ID")
	require.Equal(t, []string{"bot.example.org:8443"}, m.ValidDomains)
	require.Equal(t, "https://bot.example.org:8443/privacy", m.Developer.PrivacyURL)
	require.Equal(t, DefaultVersion, m.Version)
	require.Equal(t, DefaultShortName, m.Name.Short)
	require.Equal(t, DefaultAccentColor, m.AccentColor)

	m, err = Build(Config{AppID: testAppID, BotID: testBotID, PublicURL: "https://bot.example.org:443", Localized: map[string]Localized{}})
	require.NoError(t, err)
	require.Equal(t, []string{"bot.example.org"}, m.ValidDomains, "the default https port is dropped")
	require.Nil(t, m.LocalizationInfo, "an empty Localized map means no additional language")
}

func TestConfig_Validate(t *testing.T) {
	long := strings.Repeat("x", 31)
	tests := []struct {
		name   string
		mutate func(*Config)
		want   []string // substrings of the error, all of which must appear
	}{
		{"ok, defaults", func(*Config) {}, nil},
		{"nok, nothing set", func(c *Config) { *c = Config{} }, []string{
			"Teams app ID (ATTESTBOT_TEAMS_APP_ID) is required",
			"bot ID (MicrosoftAppId) is required",
			"public URL (ATTESTBOT_PUBLIC_URL) is required",
		}},
		{"nok, bad GUIDs", func(c *Config) { c.AppID, c.BotID, c.EntraAppID = "abc", nilGUID, "1234" }, []string{
			`Teams app ID (ATTESTBOT_TEAMS_APP_ID) "abc" is not a GUID`,
			"bot ID (MicrosoftAppId) is the nil GUID",
			`Entra app ID (webApplicationInfo.id) "1234" is not a GUID`,
		}},
		{"nok, http public URL", func(c *Config) { c.PublicURL = "http://bot.example.com" }, []string{"must be an https URL"}},
		{"nok, URL with password", func(c *Config) { c.PublicURL = "https://u:p@bot.example.com" }, []string{"must not carry a user name or password"}},
		{"nok, bad privacy URL", func(c *Config) { c.PrivacyURL = "ftp://example.com/privacy" }, []string{`privacy URL "ftp://example.com/privacy": must be an https URL`}},
		{"nok, version", func(c *Config) { c.Version = "1.0" }, []string{`version "1.0" must be three numbers`}},
		{"nok, accent colour", func(c *Config) { c.AccentColor = "blue" }, []string{`accent colour "blue" must be #RRGGBB`}},
		{"nok, short name too long", func(c *Config) { c.ShortName = long }, []string{"short name is 31 characters long; the limit is 30"}},
		{"nok, developer name too long", func(c *Config) { c.DeveloperName = long + "xx" }, []string{"developer name is 33 characters long; the limit is 32"}},
		{"nok, AppSource ID", func(c *Config) { c.AppSourceID = "not an id" }, []string{`AppSource ID "not an id" must look like WA200003326`}},
		{"nok, language tag", func(c *Config) { c.Localized = map[string]Localized{"fr_FR!": {}, "en-us": {}} }, []string{
			`language tag "fr_FR!" is not a tag`, `language tag "en-us" is the default language`,
		}},
		{"nok, translated name too long", func(c *Config) { c.Localized = map[string]Localized{"fr": {ShortName: long}} }, []string{"short name (fr) is 31 characters long"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig()
			tt.mutate(&cfg)
			err := cfg.Validate()
			_, buildErr := Build(cfg)
			if tt.want == nil {
				require.NoError(t, err)
				require.NoError(t, buildErr)
				return
			}
			require.Error(t, err)
			require.Error(t, buildErr)
			require.True(t, strings.HasPrefix(err.Error(), "manifest config: "), err.Error())
			for _, w := range tt.want {
				require.Contains(t, err.Error(), w)
			}
			require.Len(t, strings.Split(err.Error(), "\n"), len(tt.want), "one line per problem: %s", err)
		})
	}
}

func TestActivities(t *testing.T) {
	types := ActivityTypes()
	require.Equal(t, []string{
		ActivityRecordChanged, ActivityPermissionAdded, ActivityPermissionRemoved, ActivityCertificationChanged,
		ActivityComplianceClaimChanged, ActivityRecordRemoved, ActivityAuditDigest,
	}, types)
	require.Len(t, slices.Compact(slices.Sorted(slices.Values(types))), len(types), "activity types are unique")
	for _, a := range Activities() {
		require.LessOrEqual(t, len(a.Type), 64, a.Type)
		require.LessOrEqual(t, utf8.RuneCountInString(a.Description), 128, a.Type)
		require.LessOrEqual(t, utf8.RuneCountInString(a.TemplateText), 128, a.Type)
		require.NotEqual(t, "systemDefault", a.Type)
		got, ok := LookupActivity(a.Type)
		require.True(t, ok)
		require.Equal(t, a, got)
		// every translation keeps the template's parameters
		for tag, ui := range uiTexts {
			tr, ok := ui.activities[a.Type]
			require.True(t, ok, "%s has no %s translation", a.Type, tag)
			require.ElementsMatch(t, a.Params(), Activity{TemplateText: tr[1]}.Params(), "%s %s", tag, a.Type)
		}
	}
	_, ok := LookupActivity("nope")
	require.False(t, ok)

	a, _ := LookupActivity(ActivityPermissionAdded)
	require.Equal(t, []string{"appName", "permission", "permissionType"}, a.Params())
	require.Equal(t, []string{"x", "y"}, Activity{TemplateText: "{actor} {x} {y} {x} {not closed"}.Params())
}

func TestLocalizationFiles(t *testing.T) {
	files, err := Files(testConfig())
	require.NoError(t, err)
	seen := 0
	for _, f := range files {
		tag := strings.TrimSuffix(f.Name, ".json")
		if _, ok := manifestLanguages[tag]; !ok {
			continue
		}
		seen++
		var m map[string]string
		require.NoError(t, json.Unmarshal(f.Data, &m), f.Name)
		require.Equal(t, LocalizationSchemaURL, m["$schema"])
		require.Equal(t, DefaultShortName, m["name.short"])
		require.NotEqual(t, DefaultShortDescription, m["description.short"], "%s is translated", f.Name)
		require.Contains(t, m, "bots[0].commandLists[0].commands[8].description")
		require.Contains(t, m, "activities.activityTypes[6].templateText")
		require.Contains(t, m, "composeExtensions[0].commands[0].parameters[0].title")
	}
	require.Equal(t, len(manifestLanguages), seen, "one localization file per catalog language")

	// A custom translation overrides the defaults; missing fields fall back
	// to the English text.
	cfg := testConfig()
	cfg.ShortDescription = "Custom"
	cfg.Localized = map[string]Localized{"nl": {ShortDescription: "Aangepast"}}
	files, err = Files(cfg)
	require.NoError(t, err)
	require.Len(t, files, 4)
	var nl map[string]string
	require.NoError(t, json.Unmarshal(files[3].Data, &nl))
	require.Equal(t, "nl.json", files[3].Name)
	require.Equal(t, "Aangepast", nl["description.short"])
	require.Equal(t, DefaultFullName, nl["name.full"])
	require.NotContains(t, nl, "activities.activityTypes[0].description", "no built-in UI texts for nl")
	require.Empty(t, ValidateBytes(mustPackage(t, cfg)))
}

func mustPackage(t *testing.T, cfg Config) []byte {
	t.Helper()
	b, err := Package(cfg)
	require.NoError(t, err)
	return b
}

// TestCatalogEnglishIsTheManifest keeps the English [manifest] messages of
// the l10n catalog, which translators read as their source, equal to the
// manifest's own English texts.
func TestCatalogEnglishIsTheManifest(t *testing.T) {
	en := catalogUIText(l10n.Default())
	for _, c := range BotCommands {
		require.Equal(t, c.Description, en.commands[c.Title], c.Title)
	}
	for _, a := range Activities() {
		require.Equal(t, [2]string{a.Description, a.TemplateText}, en.activities[a.Type], a.Type)
	}
	loc := l10n.Default()
	require.Equal(t, DefaultFullName, loc.T("manifest.full_name"))
	require.Equal(t, DefaultShortDescription, loc.T("manifest.short_description"))
	require.Equal(t, DefaultLongDescription, loc.T("manifest.long_description"))
	m, err := Build(testConfig())
	require.NoError(t, err)
	me := m.ComposeExtensions[0].Commands[0]
	require.Equal(t, [4]string{me.Title, me.Description, me.Parameters[0].Title, me.Parameters[0].Description},
		[4]string{en.searchTitle, en.searchDesc, en.paramTitle, en.paramDesc})
}
