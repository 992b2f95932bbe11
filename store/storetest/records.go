package storetest

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/attestbot/attestbot/attestation"
)

// Locales are the ten locales of the public App Compliance repositories.
var Locales = []string{"de-DE", "en-US", "es-ES", "fr-FR", "it-IT", "ja-JP", "ko-KR", "nl-NL", "pt-BR", "zh-CN"}

var kinds = []string{"teams", "saas", "outlook", "word", "excel", "sharepoint", "web"}

var scopes = []string{
	"User.Read", "User.ReadBasic.All", "Mail.Read", "Mail.ReadWrite", "Mail.Send", "Calendars.Read",
	"Calendars.ReadWrite", "Files.Read.All", "Files.ReadWrite.All", "Sites.Read.All", "Team.ReadBasic.All",
	"Channel.ReadBasic.All", "ChannelMessage.Send", "Chat.Read", "offline_access", "openid", "profile", "email",
}

var values = []attestation.Value{
	attestation.ValueYes, attestation.ValueYes, attestation.ValueNo, attestation.ValueNotApplicable,
	attestation.ValueUnanswered, attestation.ValueText,
}

// Record returns a realistic record for page n of locale: about 60
// answers over every section, a few Graph permissions, links, metadata.
// The same arguments always give an equal record; different n give
// different apps.
func Record(locale string, n int) *attestation.Record {
	rng := rand.New(rand.NewPCG(uint64(n), 0x5eed))
	kind := kinds[n%len(kinds)]
	slug := fmt.Sprintf("app-%05d-publisher-ltd", n)
	entra := fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", rng.Uint32(), rng.Uint32()&0xffff, rng.Uint32()&0xffff, rng.Uint32()&0xffff, rng.Uint64()&0xffffffffffff)
	r := &attestation.Record{
		Slug:          slug,
		Kind:          kind,
		Type:          attestation.PageApp,
		Locale:        locale,
		Path:          "Apps/" + kind + "/" + slug + ".md",
		Name:          fmt.Sprintf("App %d Pro", n),
		Anchor:        fmt.Sprintf("app-%d-pro", n),
		AppSourceID:   fmt.Sprintf("WA2000%05d", n),
		Publisher:     fmt.Sprintf("Publisher %d Ltd", n),
		Certification: attestation.Attested,
		Updated:       attestation.Date{Year: 2020 + n%6, Month: time.Month(1 + n%12), Day: 1 + n%28},
		UpdatedRaw:    "1/2/2024",
		Template:      "A",
		Zones:         []string{"zone-a", "zone-b"},
		Links: attestation.Links{
			AppSource:  fmt.Sprintf("https://appsource.microsoft.com/product/office/WA2000%05d", n),
			Docs:       "https://learn.microsoft.com/microsoft-365-app-certification/" + kind + "/" + slug,
			Website:    fmt.Sprintf("https://app%d.example.com", n),
			TermsOfUse: fmt.Sprintf("https://app%d.example.com/terms", n),
			Privacy:    fmt.Sprintf("https://app%d.example.com/privacy", n),
		},
		Meta: attestation.Meta{
			SourceHash:   fmt.Sprintf("%016x", rng.Uint64()),
			SourceCommit: fmt.Sprintf("%040x", rng.Uint64()),
			SourceDate:   "2024-01-02",
			Title:        fmt.Sprintf("App %d - Microsoft 365 App Compliance", n),
		},
		Warnings: []attestation.Warning{},
	}
	if n%5 == 0 {
		r.Certification = attestation.Certified
	}
	if kind == "teams" {
		r.TeamsAppID = fmt.Sprintf("%08x-0000-4000-8000-%012x", n, rng.Uint64()&0xffffffffffff)
		r.Links.TeamsStore = "https://teams.microsoft.com/l/app/" + r.TeamsAppID
	}
	line := 20
	for i := range 60 {
		sec := attestation.Sections[i%len(attestation.Sections)]
		v := values[rng.IntN(len(values))]
		text := string(v)
		if v == attestation.ValueText {
			text = fmt.Sprintf("We store customer data in region %d with encryption at rest (AES-256) and in transit (TLS 1.2+).", rng.IntN(9))
		}
		r.Answers = append(r.Answers, attestation.Answer{
			Key:       fmt.Sprintf("%s.q%02d", sec, i),
			Label:     fmt.Sprintf("Question %d of section %s, in English", i, sec),
			Section:   sec,
			Value:     v,
			Text:      text,
			Line:      line,
			PageLabel: fmt.Sprintf("Question traduite %d de la section %s", i, sec),
		})
		line += 2
	}
	for i := range 2 + rng.IntN(5) {
		typ := attestation.Delegated
		if rng.IntN(3) == 0 {
			typ = attestation.Application
		}
		r.Permissions = append(r.Permissions, attestation.Permission{
			Name:       scopes[(n+i*7)%len(scopes)],
			Type:       typ,
			EntraAppID: entra,
			Collected:  "The app reads the signed-in user's profile to personalise the experience.",
			Line:       line,
		})
		line++
	}
	r.Statements = []attestation.Statement{{Anchor: "telemetry", Text: "No telemetry is collected beyond service logs."}}
	return r
}

// Records returns n varied records spread over the ten locales (n/10 apps
// per locale), as a full catalog import would bring.
func Records(n int) []*attestation.Record {
	out := make([]*attestation.Record, 0, n)
	for i := range n {
		out = append(out, Record(Locales[i%len(Locales)], i/len(Locales)))
	}
	return out
}
