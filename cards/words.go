package cards

import (
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
