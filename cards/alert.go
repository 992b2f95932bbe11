package cards

import (
	"strings"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/internal/logtext"
	"github.com/attestbot/attestbot/l10n"
)

// alertMaxParts caps how many changes ChangeSummary spells out.
const alertMaxParts = 8

// ChangeSummary writes an app's changes as one line in loc's language,
// for activity feed notifications: "HIPAA: Yes → No; new permission
// Mail.Read (application)", "HIPAA : Oui → Non ; nouvelle autorisation
// Mail.Read (application)". After eight changes it ends with "and N more
// changes".
func ChangeSummary(loc *l10n.Localizer, changes []attestation.Change) string {
	parts := make([]string, 0, min(len(changes), alertMaxParts)+1)
	for i, c := range changes {
		if i == alertMaxParts {
			parts = append(parts, loc.N("alert.more", len(changes)-i, nil))
			break
		}
		parts = append(parts, changePart(loc, c))
	}
	return strings.Join(parts, loc.T("alert.separator"))
}

// BulkSummary writes one change made to many apps at once, such as
// "Stores customer data: withdrawn in 41 apps", in loc's language.
func BulkSummary(loc *l10n.Localizer, changes []attestation.Change, apps int) string {
	if len(changes) == 0 {
		return ""
	}
	c := changes[0]
	kind := string(c.Kind)
	if id, ok := kindIDsChange[c.Kind]; ok {
		kind = loc.T(id)
	}
	if scope, ok := strings.CutPrefix(c.Field, attestation.FieldPermissionPrefix); ok {
		return loc.N("alert.bulk_permission", apps, l10n.Args{"Scope": scope, "Kind": kind})
	}
	return loc.N("alert.bulk", apps, l10n.Args{"Name": fieldName(loc, c), "Kind": kind})
}

// fieldName names a change's field in loc's language.
func fieldName(loc *l10n.Localizer, c attestation.Change) string {
	switch c.Field {
	case attestation.FieldPage:
		return loc.T("common.docs_page")
	case attestation.FieldLinkAppSource:
		return loc.T("common.appsource")
	case attestation.FieldLinkTeams:
		return loc.T("common.teams_store")
	case attestation.FieldEntraAppID:
		return loc.T("kind.azure")
	case attestation.FieldUpdated:
		return loc.T("alert.developer_update")
	case attestation.FieldCertification:
		return loc.T("section_name.certification")
	case attestation.FieldPublisher:
		return loc.T("compare.publisher")
	case "priv.gdpr_or_privacy_obligations":
		return loc.T("claim.gdpr")
	}
	en := attestation.ShortName(c)
	if loc.IsEnglish() {
		return en
	}
	if id := "alert.name." + strings.ReplaceAll(c.Field, ".", "_"); loc.Has(id) {
		return loc.T(id)
	}
	if strings.HasPrefix(c.Field, "comp.") {
		return en // claim names (HIPAA, SOC 2…) are the same in every language
	}
	if l := QuestionLabel(loc, c.Field, ""); l != "" {
		return logtext.Runes(strings.TrimRight(l, "?？ "), 49)
	}
	return en
}

// changePart writes one change.
func changePart(loc *l10n.Localizer, c attestation.Change) string {
	switch {
	case c.Field == attestation.FieldPage:
		if c.Kind == attestation.ChangeRemoved {
			return loc.T("alert.page_removed")
		}
		return loc.T("alert.page_added")
	case strings.HasPrefix(c.Field, attestation.FieldPermissionPrefix):
		scope := strings.TrimPrefix(c.Field, attestation.FieldPermissionPrefix)
		switch c.Kind {
		case attestation.ChangeAdded:
			if t := PermissionTypeWord(loc, attestation.PermissionType(c.New)); t != "" {
				return loc.F("alert.permission_added", l10n.Args{"Scope": scope, "Type": t})
			}
			return loc.F("alert.permission_added_untyped", l10n.Args{"Scope": scope})
		case attestation.ChangeRemoved:
			if t := PermissionTypeWord(loc, attestation.PermissionType(c.Old)); t != "" {
				return loc.F("alert.permission_removed", l10n.Args{"Scope": scope, "Type": t})
			}
			return loc.F("alert.permission_removed_untyped", l10n.Args{"Scope": scope})
		}
		return loc.F("alert.permission_retyped", l10n.Args{"Scope": scope,
			"Old": permissionTypeOrUnknown(loc, c.Old), "New": permissionTypeOrUnknown(loc, c.New)})
	case c.Field == attestation.FieldLinkAppSource || c.Field == attestation.FieldLinkTeams:
		kind := string(c.Kind)
		if id, ok := kindIDsChange[c.Kind]; ok {
			kind = loc.T(id)
		}
		return loc.F("alert.link", l10n.Args{"Name": fieldName(loc, c), "Kind": kind})
	case c.Field == attestation.FieldEntraAppID || c.Field == attestation.FieldUpdated || c.Field == attestation.FieldPublisher:
		return loc.F("alert.change", l10n.Args{"Name": fieldName(loc, c), "Old": orBlank(loc, c.Old), "New": orBlank(loc, c.New)})
	case c.Field == attestation.FieldCertification:
		return loc.F("alert.change", l10n.Args{"Name": fieldName(loc, c),
			"Old": CertificationName(loc, attestation.Certification(c.Old)), "New": CertificationName(loc, attestation.Certification(c.New))})
	}
	return loc.F("alert.change", l10n.Args{"Name": fieldName(loc, c), "Old": alertValue(loc, c.Old), "New": alertValue(loc, c.New)})
}

func permissionTypeOrUnknown(loc *l10n.Localizer, t string) string {
	if w := PermissionTypeWord(loc, attestation.PermissionType(t)); w != "" {
		return w
	}
	return loc.T("alert.unknown_type")
}

func orBlank(loc *l10n.Localizer, s string) string {
	if s == "" {
		return loc.T("alert.blank")
	}
	return s
}

// alertValue writes an answer's value: a word for yes, no, pass…, the
// publisher's text in quotes otherwise.
func alertValue(loc *l10n.Localizer, v string) string {
	switch attestation.Value(v) {
	case "", attestation.ValueUnanswered:
		return loc.T("alert.blank")
	case attestation.ValueNotApplicable:
		return loc.T("alert.not_applicable")
	case attestation.ValueYes, attestation.ValueNo, attestation.ValueInScope,
		attestation.ValuePass, attestation.ValueFail:
		return valueLabel(loc, attestation.Value(v))
	}
	return `"` + logtext.Runes(v, 41) + `"`
}
