package audit

import (
	"context"
	"time"

	"github.com/attestbot/attestbot/attestation"
)

// MicrosoftGraphAppID is the application ID of Microsoft Graph, the
// resource whose permissions the records attest.
const MicrosoftGraphAppID = "00000003-0000-0000-c000-000000000000"

// CatalogApp is an app of a tenant's Teams app catalog.
type CatalogApp struct {
	// ID is the catalog (teamsApp) ID; for a store app, its Teams store
	// GUID.
	ID string
	// ExternalID is the manifest ID (organization and sideloaded apps).
	ExternalID string
	// DisplayName is the app name.
	DisplayName string
	// DistributionMethod is "store", "organization" or "sideloaded".
	DistributionMethod string
	// Version is the manifest version of the newest definition.
	Version string
	// PublishingState is "published", "submitted" or "rejected".
	PublishingState string
	// ClientAppID is the app's Entra app ID (the newest definition's
	// authorization.clientAppId), when it has one.
	ClientAppID string
}

// DistributionEntra is the distribution of an app found through its
// service principal's grants alone: an Entra app the tenant uses with no
// entry in its Teams app catalog.
const DistributionEntra = "entra"

// GrantType says how a permission was granted.
type GrantType string

// The grant types.
const (
	// Delegated is an oauth2PermissionGrant scope.
	Delegated GrantType = "delegated"
	// Application is an app role assignment.
	Application GrantType = "application"
)

// Grant is a permission granted to a service principal in the tenant.
type Grant struct {
	// Name is the permission, e.g. "Mail.Read".
	Name string `json:"name"`
	// Type is delegated or application.
	Type GrantType `json:"type"`
	// Resource is the API's display name, e.g. "Microsoft Graph".
	Resource string `json:"resource"`
	// ResourceAppID is the API's application ID.
	ResourceAppID string `json:"resource_app_id,omitempty"`
	// AllPrincipals is true for admin consent (every user) and for
	// application permissions.
	AllPrincipals bool `json:"all_principals"`
	// Users is how many users consented individually to a delegated
	// permission.
	Users int `json:"users,omitempty"`
	// AppID is the Entra application ID of the service principal holding
	// the grant (set in results).
	AppID string `json:"app_id,omitempty"`
	// Broad marks a broad application permission (set in results).
	Broad bool `json:"broad,omitempty"`
}

// ServicePrincipal is an app's identity in the tenant with the permissions
// granted to it.
type ServicePrincipal struct {
	// ID is the object ID.
	ID string
	// AppID is the Entra application ID.
	AppID string
	// DisplayName is its name.
	DisplayName string
	// Grants are the delegated grants and application role assignments.
	Grants []Grant
	// DelegatedUnavailable is set when the delegated grants could not be
	// read (Directory.Read.All not consented); Grants then hold application
	// permissions only.
	DelegatedUnavailable bool
}

// Graph reads a tenant through Microsoft Graph. Errors may implement
// Reason() string (graphclient's do) and RetryAfter() time.Duration.
type Graph interface {
	// OrganizationApps lists the tenant's own Teams apps (distribution
	// "organization"), every page, with their Entra app IDs.
	OrganizationApps(ctx context.Context, tenantID string) ([]CatalogApp, error)
	// StoreApps returns the catalog entries of the given Teams store app
	// IDs that the tenant's catalog lists.
	StoreApps(ctx context.Context, tenantID string, ids []string) ([]CatalogApp, error)
	// ServicePrincipals returns the tenant's service principals of
	// applications not owned by Microsoft that hold at least one grant,
	// with their grants.
	ServicePrincipals(ctx context.Context, tenantID string) ([]ServicePrincipal, error)
}

// Catalog gives the current search index of compliance records
// (chat.Catalog does).
type Catalog interface {
	Index() *attestation.Index
}

// Status is an app's standing in the compliance programmes.
type Status string

// The statuses.
const (
	StatusCertified Status = "certified"
	StatusAttested  Status = "attested"
	StatusNoRecord  Status = "no_record"
)

// Consent says what the tenant granted an app's Entra identities.
type Consent string

// The consent states.
const (
	// ConsentGranted: at least one of the app's Entra app IDs has a
	// service principal in the tenant.
	ConsentGranted Consent = "granted"
	// ConsentNone: the app has Entra app IDs, none of which has a service
	// principal holding a grant in the tenant (nobody consented yet).
	ConsentNone Consent = "no_service_principal"
	// ConsentUnknown: no record, or a record naming no Entra app ID.
	ConsentUnknown Consent = "unknown"
)

// Result is one audit of a tenant. Its JSON form is the output of
// attestbot audit --json.
type Result struct {
	// TenantID is the audited tenant.
	TenantID string `json:"tenant_id"`
	// GeneratedAt is when the tenant's data was read.
	GeneratedAt time.Time `json:"generated_at"`
	// Summary holds the counts.
	Summary Summary `json:"summary"`
	// Apps are every catalog app, riskiest first.
	Apps []App `json:"apps"`
	// Notes tell what the audit could not check.
	Notes []string `json:"notes,omitempty"`
	// DelegatedUnread is set when the delegated grants could not be read
	// (the first note says so in English; cards say it in the reader's
	// language).
	DelegatedUnread bool `json:"delegated_unread,omitempty"`
}

// Summary counts the apps of an audit.
type Summary struct {
	// Apps is the number of apps audited: organization apps, store apps
	// in use and Entra apps holding grants.
	Apps int `json:"apps"`
	// Certified, Attested and NoRecord split Apps by status.
	Certified int `json:"certified"`
	Attested  int `json:"attested"`
	NoRecord  int `json:"no_record"`
	// ByDistribution counts apps per distribution method.
	ByDistribution map[string]int `json:"by_distribution"`
	// ServicePrincipals is the number of the tenant's service principals
	// (not Microsoft's own) that hold a grant.
	ServicePrincipals int `json:"service_principals"`
	// NotConsented counts apps with a record whose Entra app IDs have no
	// service principal in the tenant.
	NotConsented int `json:"not_consented"`
	// AppsWithDrift counts apps with permissions granted beyond their
	// attestation or attested permissions never granted.
	AppsWithDrift int `json:"apps_with_drift"`
	// GrantedBeyond counts permissions granted beyond the attestations.
	GrantedBeyond int `json:"granted_beyond_attestation"`
	// NeverGranted counts attested permissions never granted.
	NeverGranted int `json:"attested_never_granted"`
	// BroadGranted counts apps holding a broad application permission.
	BroadGranted int `json:"apps_with_broad_application_grants"`
}

// App is one app in an audit: a Teams catalog app, or an Entra app found
// through its grants.
type App struct {
	// CatalogID is the teamsApp ID ("" for an Entra app with no catalog
	// entry).
	CatalogID string `json:"catalog_id,omitempty"`
	// ExternalID is the manifest ID, when the catalog gives it.
	ExternalID string `json:"external_id,omitempty"`
	// Name is the catalog name.
	Name string `json:"name"`
	// Distribution is store, organization, sideloaded, or entra (found
	// through its service principal's grants, not in the Teams catalog).
	Distribution string `json:"distribution"`
	// Version is the newest definition's version.
	Version string `json:"version,omitempty"`
	// Status is certified, attested or no_record.
	Status Status `json:"status"`
	// Record names the matched compliance record.
	Record *RecordRef `json:"record,omitempty"`
	// EntraAppIDs are the app's Entra app IDs: those its record names,
	// its catalog entry's clientAppId, and the service principals that
	// led to it.
	EntraAppIDs []string `json:"entra_app_ids,omitempty"`
	// ServicePrincipals are the object IDs of their service principals in
	// the tenant.
	ServicePrincipals []string `json:"service_principals,omitempty"`
	// Consent tells whether the tenant granted the app anything.
	Consent Consent `json:"consent"`
	// Granted are the permissions granted to the app's service principals.
	Granted []Grant `json:"granted,omitempty"`
	// Drift compares Granted with the attested Graph permissions.
	Drift Drift `json:"drift"`
	// MissingClaims are the key compliance claims the record does not make
	// (HIPAA, SOC 2, ISO 27001, PCI DSS, GDPR, FedRAMP).
	MissingClaims []string `json:"missing_claims,omitempty"`
	// Risk is the ranking score (see the Risk* constants).
	Risk int `json:"risk"`
	// Reasons are the findings written in English for the command line
	// (Result.Explain), most serious first; empty in the audits the bot
	// caches, whose cards write the findings in their reader's language.
	Reasons []string `json:"reasons,omitempty"`
	// Findings explain the score, most serious first, as data.
	Findings []Finding `json:"findings,omitempty"`
}

// RecordRef names a compliance record.
type RecordRef struct {
	// Ref is kind/slug, the app reference of cards and subscriptions.
	Ref string `json:"ref"`
	// Kind and Slug identify the page.
	Kind string `json:"kind"`
	Slug string `json:"slug"`
	// Locale is the locale of the record read.
	Locale string `json:"locale"`
	// Name and Publisher are as the record shows them.
	Name      string `json:"name"`
	Publisher string `json:"publisher,omitempty"`
	// Certification is attested or certified.
	Certification attestation.Certification `json:"certification"`
	// Updated is the developer's last update, YYYY-MM-DD.
	Updated string `json:"updated,omitempty"`
	// AppSourceID is the AppSource offer ID.
	AppSourceID string `json:"appsource_id,omitempty"`
}

// Drift is the gap between what the tenant granted an app on Microsoft
// Graph and what its publisher attested.
type Drift struct {
	// Beyond are granted permissions the record does not attest.
	Beyond []Grant `json:"granted_beyond_attestation,omitempty"`
	// NeverGranted are attested permissions the tenant never granted.
	NeverGranted []Attested `json:"attested_never_granted,omitempty"`
	// DelegatedUnchecked is set when the delegated grants could not be
	// read: delegated permissions are then left out of both lists.
	DelegatedUnchecked bool `json:"delegated_unchecked,omitempty"`
}

// Attested is a permission row of a record.
type Attested struct {
	// Name is the permission.
	Name string `json:"name"`
	// Type is delegated, application, both, or "" when the row does not
	// say.
	Type attestation.PermissionType `json:"type"`
	// EntraAppID is the Entra app ID the row names.
	EntraAppID string `json:"entra_app_id,omitempty"`
}

// HasDrift reports whether d lists anything.
func (d Drift) HasDrift() bool { return len(d.Beyond) > 0 || len(d.NeverGranted) > 0 }
