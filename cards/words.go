package cards

import (
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/l10n"
)

// CertificationName returns a record's programme in loc's language
// ("Microsoft 365 Certified", "Publisher Attested"), without the badge's
// emoji.
func CertificationName(loc *l10n.Localizer, c attestation.Certification) string {
	switch c {
	case attestation.Certified:
		return loc.T("cert.certified")
	case attestation.Attested:
		return loc.T("cert.attested")
	}
	return loc.T("cert.none")
}

// PermissionTypeWord returns a permission type as a word to put in
// parentheses after a scope ("delegated", "application"), in loc's
// language; "" when the type is not stated.
func PermissionTypeWord(loc *l10n.Localizer, t attestation.PermissionType) string {
	switch t {
	case attestation.Delegated:
		return loc.T("permission.word_delegated")
	case attestation.Application:
		return loc.T("permission.word_application")
	case attestation.Both:
		return loc.T("permission.word_both")
	}
	return string(t)
}

// PermissionWithType writes a permission as "Mail.Read (application)", its
// type in loc's language; a permission of no stated type is its name.
func PermissionWithType(loc *l10n.Localizer, p attestation.Permission) string {
	if w := PermissionTypeWord(loc, p.Type); w != "" {
		return p.Name + " (" + w + ")"
	}
	return p.Name
}

// PlaceName names a place code of attestation.Places (a region such as
// "eu" or a country such as "DE") in loc's language: regions from the
// catalog, countries from CLDR's region names (golang.org/x/text).
func PlaceName(loc *l10n.Localizer, code string) string {
	if loc == nil || loc.IsEnglish() {
		return attestation.PlaceName(code)
	}
	if id := "place." + strings.ReplaceAll(strings.ToLower(code), "-", "_"); loc.Has(id) {
		return loc.T(id)
	}
	if len(code) == 2 {
		if r, err := language.ParseRegion(code); err == nil {
			if n := display.Regions(loc.Tag()).Name(r); n != "" {
				return n
			}
		}
	}
	return attestation.PlaceName(code)
}
