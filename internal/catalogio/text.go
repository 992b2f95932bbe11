package catalogio

import (
	"fmt"
	"io"
	"strings"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/internal/logtext"
)

var sectionTitles = map[attestation.Section]string{
	attestation.SectionGeneral:       "General information",
	attestation.SectionData:          "Data handling",
	attestation.SectionSecurity:      "Security",
	attestation.SectionCompliance:    "Compliance",
	attestation.SectionPrivacy:       "Privacy",
	attestation.SectionZeroTrust:     "Identity and zero trust",
	attestation.SectionIdentity:      "Identity",
	attestation.SectionCertification: "Microsoft 365 Certification",
}

var valueWords = map[attestation.Value]string{
	attestation.ValueYes:           "Yes",
	attestation.ValueNo:            "No",
	attestation.ValueNotApplicable: "N/A",
	attestation.ValueUnanswered:    "—",
	attestation.ValueInScope:       "In scope",
	attestation.ValuePass:          "Pass",
	attestation.ValueFail:          "Fail",
	attestation.ValueUnknown:       "?",
}

// WriteRecord writes a readable terminal view of a record; locales are the
// other locales it exists in.
func WriteRecord(w io.Writer, r *attestation.Record, locales []string) {
	fmt.Fprintf(w, "%s\n%s\n", r.Name, strings.Repeat("=", len([]rune(r.Name))))
	line := func(label, value string) {
		if value != "" {
			fmt.Fprintf(w, "%-16s %s\n", label+":", value)
		}
	}
	line("Publisher", r.Publisher)
	line("Kind", r.Kind+" ("+string(r.Type)+")")
	line("Certification", string(r.Certification))
	line("Updated", r.Updated.String())
	line("AppSource ID", r.AppSourceID)
	line("Teams app ID", r.TeamsAppID)
	line("Entra app IDs", strings.Join(r.EntraAppIDs(), ", "))
	line("Locale", r.Locale)
	if len(locales) > 1 {
		line("Also in", strings.Join(locales, ", "))
	}
	line("AppSource", r.Links.AppSource)
	line("Teams store", r.Links.TeamsStore)
	line("Docs", r.Links.Docs)
	if r.Azure != nil {
		fmt.Fprintf(w, "\nApps registered under %s:\n", r.Azure.AppID)
		for _, app := range r.Azure.Apps {
			mark := ""
			if app.Certified {
				mark = " (certified)"
			}
			fmt.Fprintf(w, "  - %s [%s]%s\n", app.Name, app.AppSourceID, mark)
		}
	}
	var current attestation.Section
	for _, a := range r.Answers {
		if a.Key == "gen.app_name" || a.Key == "gen.app_id" {
			continue
		}
		if a.Section != current {
			current = a.Section
			fmt.Fprintf(w, "\n%s\n", sectionTitles[current])
		}
		v := valueWords[a.Value]
		if a.Value == attestation.ValueText {
			v = logtext.Runes(strings.ReplaceAll(a.Text, "\n", "; "), 100)
		}
		fmt.Fprintf(w, "  %-60s %s\n", logtext.Runes(a.Label, 60), v)
	}
	if len(r.Permissions) > 0 {
		fmt.Fprintf(w, "\nMicrosoft Graph permissions\n")
		for _, p := range r.Permissions {
			fmt.Fprintf(w, "  %-40s %-12s %s\n", p.Name, p.Type, p.EntraAppID)
		}
	}
	if len(r.Warnings) > 0 {
		fmt.Fprintf(w, "\nWarnings\n")
		for _, wn := range r.Warnings {
			fmt.Fprintf(w, "  %s\n", wn)
		}
	}
}
