package manifest

import (
	"regexp"
	"slices"
)

// The activity feed notification types attestbot sends. Each one is
// declared in the manifest's activities.activityTypes; Graph refuses a
// sendActivityNotification whose activityType is not declared.
const (
	// ActivityRecordChanged: an answer, date, link or publisher of a watched
	// app's record changed. Parameters: appName, summary.
	ActivityRecordChanged = "recordChanged"
	// ActivityPermissionAdded: a watched app requests a new Microsoft Graph
	// permission or changed a permission's type. Parameters: appName,
	// permission, permissionType.
	ActivityPermissionAdded = "permissionAdded"
	// ActivityPermissionRemoved: a watched app no longer requests a Graph
	// permission. Parameters: appName, permission.
	ActivityPermissionRemoved = "permissionRemoved"
	// ActivityCertificationChanged: a watched app moved between Publisher
	// Attestation and Microsoft 365 Certification. Parameters: appName,
	// oldValue, newValue.
	ActivityCertificationChanged = "certificationChanged"
	// ActivityComplianceClaimChanged: a compliance claim (HIPAA, SOC 2,
	// ISO 27001, …) of a watched app changed. Parameters: appName, claim,
	// oldValue, newValue.
	ActivityComplianceClaimChanged = "complianceClaimChanged"
	// ActivityRecordRemoved: a watched app's compliance page was removed.
	// Parameters: appName.
	ActivityRecordRemoved = "recordRemoved"
	// ActivityAuditDigest: the tenant audit found apps to review.
	// Parameters: count, summary.
	ActivityAuditDigest = "auditDigest"
)

// Activity is one activity feed notification type as the manifest
// declares it.
type Activity struct {
	// Type is the activityType sent to Graph (≤ 64 characters).
	Type string
	// Description tells the user what the notification is about
	// (≤ 128 characters); Teams shows it in notification settings.
	Description string
	// TemplateText is the notification text with {parameter}
	// placeholders (≤ 128 characters).
	TemplateText string
}

// Params returns the template parameter names of the activity's text, in
// order of first use, without the reserved {actor}.
func (a Activity) Params() []string {
	var out []string
	for _, m := range paramRe.FindAllStringSubmatch(a.TemplateText, -1) {
		if m[1] != "actor" && !slices.Contains(out, m[1]) {
			out = append(out, m[1])
		}
	}
	return out
}

var paramRe = regexp.MustCompile(`\{([A-Za-z][A-Za-z0-9_]*)\}`)

var activities = []Activity{
	{ActivityRecordChanged, "A watched app's compliance record changed", "{appName}: {summary}"},
	{ActivityPermissionAdded, "A watched app requests a new Microsoft Graph permission", "{appName} now requests {permission} ({permissionType})"},
	{ActivityPermissionRemoved, "A watched app no longer requests a Microsoft Graph permission", "{appName} no longer requests {permission}"},
	{ActivityCertificationChanged, "A watched app's certification changed", "{appName}: certification {oldValue} → {newValue}"},
	{ActivityComplianceClaimChanged, "A watched app's compliance claim changed", "{appName}: {claim} {oldValue} → {newValue}"},
	{ActivityRecordRemoved, "A watched app's compliance page was removed", "{appName}: compliance page removed"},
	{ActivityAuditDigest, "The tenant app audit found apps to review", "Tenant audit: {count} apps to review. {summary}"},
}
