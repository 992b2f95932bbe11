package manifest

import (
	"maps"
	"slices"
	"strconv"
)

// DefaultLanguageTag is the language of the strings in manifest.json.
const DefaultLanguageTag = "en-us"

// defaultLocalized returns the built-in translations of the default names
// and descriptions.
func defaultLocalized() map[string]Localized {
	return map[string]Localized{
		"fr": {
			ShortName:        DefaultShortName,
			FullName:         "attestbot : conformité des apps Microsoft 365 dans Teams",
			ShortDescription: "Une app Microsoft 365 est-elle sûre ? Conformité, autorisations, changements.",
			LongDescription: "attestbot répond à la question que se posent les administrateurs avant d'autoriser une app tierce : est-elle sûre ? " +
				"Il connaît le dossier public de conformité des apps Microsoft 365 de chaque app (attestation de l'éditeur ou certification " +
				"Microsoft 365) : informations générales, traitement des données, sécurité, conformité, confidentialité, Zero Trust, et les " +
				"autorisations Microsoft Graph demandées par chaque app avec la justification de l'éditeur. Interrogez-le par nom, ID " +
				"AppSource, ID d'app Teams ou lien ; comparez des apps ; filtrez par certification ou autorisation ; abonnez-vous à une app " +
				"et recevez une alerte dans le flux d'activités quand son dossier change ; auditez les apps du catalogue de votre locataire.",
		},
		"de": {
			ShortName:        DefaultShortName,
			FullName:         "attestbot: Microsoft 365-App-Compliance in Teams",
			ShortDescription: "Ist eine Microsoft 365-App sicher? Compliance, Berechtigungen, Änderungen.",
			LongDescription: "attestbot beantwortet die Frage, die Administratoren vor der Freigabe einer Drittanbieter-App stellen: Ist sie sicher? " +
				"Er kennt den öffentlichen Microsoft 365-App-Compliance-Eintrag jeder App (Herausgebernachweis oder Microsoft 365-" +
				"Zertifizierung): allgemeine Angaben, Datenverarbeitung, Sicherheit, Compliance, Datenschutz, Zero Trust und die " +
				"Microsoft Graph-Berechtigungen jeder App mit der Begründung des Herausgebers. Fragen Sie nach Name, AppSource-ID, " +
				"Teams-App-ID oder Link; vergleichen Sie Apps; filtern Sie nach Zertifizierung oder Berechtigung; abonnieren Sie eine App " +
				"und erhalten Sie eine Aktivitätsfeed-Benachrichtigung, wenn sich ihr Eintrag ändert; prüfen Sie die Apps Ihres Mandantenkatalogs.",
		},
	}
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

var uiTexts = map[string]uiText{
	"fr": {
		commands: map[string]string{
			"help":             "Ce qu'attestbot sait faire et comment le demander",
			"search":           "Chercher des apps par nom, ID, certification ou autorisation",
			"show":             "Afficher le dossier de conformité d'une app",
			"compare":          "Comparer les dossiers de deux apps ou plus",
			"subscribe":        "Être alerté quand le dossier d'une app change",
			"unsubscribe":      "Arrêter les alertes pour une app",
			"my subscriptions": "Lister vos abonnements",
			"what changed":     "Ce qui a changé récemment dans le dossier d'une app",
			"audit":            "Auditer les apps du catalogue de votre locataire (admins)",
		},
		searchTitle: "Chercher des apps",
		searchDesc:  "Trouver le dossier de conformité d'une app Microsoft 365",
		paramTitle:  "App",
		paramDesc:   "Nom, ID AppSource ou ID d'app Teams",
		activities: map[string][2]string{
			ActivityRecordChanged:          {"Le dossier de conformité d'une app suivie a changé", "{appName} : {summary}"},
			ActivityPermissionAdded:        {"Une app suivie demande une nouvelle autorisation Microsoft Graph", "{appName} demande désormais {permission} ({permissionType})"},
			ActivityPermissionRemoved:      {"Une app suivie ne demande plus une autorisation Microsoft Graph", "{appName} ne demande plus {permission}"},
			ActivityCertificationChanged:   {"La certification d'une app suivie a changé", "{appName} : certification {oldValue} → {newValue}"},
			ActivityComplianceClaimChanged: {"Une déclaration de conformité d'une app suivie a changé", "{appName} : {claim} {oldValue} → {newValue}"},
			ActivityRecordRemoved:          {"La page de conformité d'une app suivie a été supprimée", "{appName} : page de conformité supprimée"},
			ActivityAuditDigest:            {"L'audit du locataire a trouvé des apps à examiner", "Audit du locataire : {count} apps à examiner. {summary}"},
		},
	},
	"de": {
		commands: map[string]string{
			"help":             "Was attestbot kann und wie Sie fragen",
			"search":           "Apps nach Name, ID, Zertifizierung oder Berechtigung suchen",
			"show":             "Den Compliance-Eintrag einer App anzeigen",
			"compare":          "Die Einträge von zwei oder mehr Apps vergleichen",
			"subscribe":        "Benachrichtigt werden, wenn sich der Eintrag einer App ändert",
			"unsubscribe":      "Benachrichtigungen für eine App beenden",
			"my subscriptions": "Ihre Abonnements auflisten",
			"what changed":     "Was sich zuletzt im Eintrag einer App geändert hat",
			"audit":            "Die Apps Ihres Mandantenkatalogs prüfen (Administratoren)",
		},
		searchTitle: "Apps suchen",
		searchDesc:  "Den Compliance-Eintrag einer Microsoft 365-App finden",
		paramTitle:  "App",
		paramDesc:   "Name, AppSource-ID oder Teams-App-ID",
		activities: map[string][2]string{
			ActivityRecordChanged:          {"Der Compliance-Eintrag einer beobachteten App hat sich geändert", "{appName}: {summary}"},
			ActivityPermissionAdded:        {"Eine beobachtete App fordert eine neue Microsoft Graph-Berechtigung an", "{appName} fordert jetzt {permission} an ({permissionType})"},
			ActivityPermissionRemoved:      {"Eine beobachtete App fordert eine Microsoft Graph-Berechtigung nicht mehr an", "{appName} fordert {permission} nicht mehr an"},
			ActivityCertificationChanged:   {"Die Zertifizierung einer beobachteten App hat sich geändert", "{appName}: Zertifizierung {oldValue} → {newValue}"},
			ActivityComplianceClaimChanged: {"Eine Compliance-Angabe einer beobachteten App hat sich geändert", "{appName}: {claim} {oldValue} → {newValue}"},
			ActivityRecordRemoved:          {"Die Compliance-Seite einer beobachteten App wurde entfernt", "{appName}: Compliance-Seite entfernt"},
			ActivityAuditDigest:            {"Die Mandantenprüfung hat zu prüfende Apps gefunden", "Mandantenprüfung: {count} Apps zu prüfen. {summary}"},
		},
	},
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
	ui, ok := uiTexts[primaryTag(tag)]
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

func primaryTag(tag string) string {
	for i := 0; i < len(tag); i++ {
		if tag[i] == '-' {
			return lower(tag[:i])
		}
	}
	return lower(tag)
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
