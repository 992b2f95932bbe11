// Package attestation turns Microsoft 365 App Compliance pages into clean,
// queryable records: the record model, the page parser, answer and
// permission normalization, the search index and the semantic diff.
//
// The package is pure: it reads page bytes handed to it and never touches
// the network or a store.
package attestation

import "time"

// PageType tells what kind of page a record was read from.
type PageType string

// The page types of corpus.md §1.1.
const (
	PageApp   PageType = "app"   // one app's attestation or certification
	PageAzure PageType = "azure" // the apps registered under one Entra (Azure AD) app ID
	PageIndex PageType = "index" // a list of pages with attested and certified marks
)

// Certification is the compliance programme an app's record belongs to.
type Certification string

// Certification values as written in the page front matter.
const (
	Attested  Certification = "attested"  // publisher attestation (self-assessment)
	Certified Certification = "certified" // Microsoft 365 Certification
)

// Section is a canonical section of an app record.
type Section string

// The sections of an app record, in display order.
const (
	SectionGeneral       Section = "general"
	SectionData          Section = "data"
	SectionSecurity      Section = "security"
	SectionCompliance    Section = "compliance"
	SectionPrivacy       Section = "privacy"
	SectionZeroTrust     Section = "zerotrust"
	SectionIdentity      Section = "identity"
	SectionCertification Section = "certification"
)

// Sections lists every section in display order.
var Sections = []Section{
	SectionGeneral, SectionData, SectionSecurity, SectionCompliance,
	SectionPrivacy, SectionZeroTrust, SectionIdentity, SectionCertification,
}

// Value is a normalized answer.
type Value string

// Normalized answer values. Yes/no-type answers map to ValueYes, ValueNo,
// ValueNotApplicable or ValueUnanswered; free-text answers to ValueText.
// Certification control rows use ValueInScope, ValuePass and ValueFail.
// ValueUnknown marks a yes/no-type cell whose text could not be read.
const (
	ValueYes           Value = "yes"
	ValueNo            Value = "no"
	ValueNotApplicable Value = "not_applicable"
	ValueUnanswered    Value = "unanswered"
	ValueText          Value = "text"
	ValueInScope       Value = "in_scope"
	ValuePass          Value = "pass"
	ValueFail          Value = "fail"
	ValueUnknown       Value = "unknown"
)

// PermissionType says whether a Graph permission is used on behalf of a
// signed-in user, by the app itself, or both.
type PermissionType string

// Permission types. PermissionUnknown is a blank or unreadable type cell.
const (
	Delegated         PermissionType = "delegated"
	Application       PermissionType = "application"
	Both              PermissionType = "both"
	PermissionUnknown PermissionType = ""
)

// Record is one page, parsed and normalized. Records are keyed by
// (Locale, Path); the slug is stable across locales and revisions.
type Record struct {
	// Slug is the file name without extension, English in every locale
	// (for an azure-id page, the Entra app ID).
	Slug string `json:"slug"`
	// Kind is the host folder: teams, saas, word, outlook, sharepoint, excel,
	// web, powerpoint, project, onenote, azure; index pages keep their host.
	Kind string `json:"kind"`
	// Type is the page type (app, azure, index).
	Type PageType `json:"type"`
	// Locale is the page's locale, such as fr-FR.
	Locale string `json:"locale"`
	// Path is the page's path in its source repository, such as
	// Apps/teams/plumm-health-ltd.md.
	Path string `json:"path"`

	// Name is the app name as the page shows it (machine translated).
	Name string `json:"name"`
	// Anchor is the English H1 anchor, a stable key derived from the
	// English app name.
	Anchor string `json:"anchor,omitempty"`
	// AppSourceID is the AppSource offer ID (WA200003326 or
	// publisher.offer), taken from the AppSource link.
	AppSourceID string `json:"appsource_id"`
	// TeamsAppID is the Teams store app GUID (teams pages only).
	TeamsAppID string `json:"teams_app_id"`
	// Publisher is the partner company name (machine translated).
	Publisher string `json:"publisher"`
	// Certification is attested or certified.
	Certification Certification `json:"certification"`
	// Updated is the date the developer last updated the record.
	Updated Date `json:"updated"`
	// UpdatedRaw is the date text as written on the page.
	UpdatedRaw string `json:"updated_raw,omitempty"`
	// Template is "A" (questionnaire) or "B" (legacy data questionnaire).
	Template string `json:"template,omitempty"`
	// Zones lists the zone pivots found in the body, in order.
	Zones []string `json:"zones,omitempty"`
	// Links holds the record's links.
	Links Links `json:"links"`

	// Answers holds every question row of every section, in page order.
	Answers []Answer `json:"answers"`
	// Permissions holds the Microsoft Graph permission rows.
	Permissions []Permission `json:"permissions"`
	// OtherAPIs holds the "other Microsoft APIs" rows (template B).
	OtherAPIs []APIUse `json:"other_apis,omitempty"`
	// Services holds the non-Microsoft services rows (template B).
	Services []Service `json:"services,omitempty"`
	// Statements holds free-text blockquote answers (telemetry,
	// organizational controls, human review, "no Graph" sentences).
	Statements []Statement `json:"statements,omitempty"`

	// Azure is set on azure-id pages.
	Azure *AzurePage `json:"azure,omitempty"`
	// Index is set on index pages.
	Index []IndexEntry `json:"index,omitempty"`

	// Listings names the other app pages (kind/slug) that carry the same
	// AppSource ID: one app listed under several pages (MGR360 and
	// Manager360, an add-in under word and excel). Filled by Reconcile.
	Listings []string `json:"listings,omitempty"`

	// Repairs lists what Reconcile changed from what the page alone said:
	// answers re-keyed or confirmed by the other locales at the same
	// source hash, scope names and dates taken from them.
	Repairs []Repair `json:"repairs,omitempty"`

	// Meta holds the page's source metadata (front matter).
	Meta Meta `json:"meta"`
	// Warnings lists what could not be read whole.
	Warnings []Warning `json:"warnings"`
}

// Repair is one correction of a record made from the other locales of the
// same page at the same source hash.
type Repair struct {
	// Field is what was repaired: an answer key, permission:<scope>, or
	// updated.
	Field string `json:"field"`
	// Old is the value the page alone gave (an answer's key before the
	// vote, a scope as written, "" for a lost date).
	Old string `json:"old,omitempty"`
	// New is the value after the repair.
	New string `json:"new,omitempty"`
	// From lists the locales whose agreement decided it.
	From []string `json:"from,omitempty"`
	// Note says what was done, in English.
	Note string `json:"note"`
}

// Links are the URLs a record carries.
type Links struct {
	AppSource  string `json:"appsource,omitempty"`
	TeamsStore string `json:"teams_store,omitempty"`
	Docs       string `json:"docs,omitempty"`
	Website    string `json:"website,omitempty"`
	TermsOfUse string `json:"terms_of_use,omitempty"`
	Privacy    string `json:"privacy,omitempty"`
	AppInfo    string `json:"app_info,omitempty"`
}

// Answer is one question row, keyed canonically.
type Answer struct {
	// Key is the canonical question key, such as comp.hipaa; empty when the
	// row could not be mapped.
	Key string `json:"key"`
	// Label is the English label of the key (the page's own label when the
	// row has no key).
	Label string `json:"label"`
	// Section is the canonical section.
	Section Section `json:"section"`
	// Value is the normalized answer.
	Value Value `json:"value"`
	// Text is the answer as the publisher wrote it (markup removed,
	// entities decoded).
	Text string `json:"text"`
	// Line is the 1-based line of the row in the page.
	Line int `json:"line,omitempty"`
	// PageLabel is the label as written on the page (machine translated).
	PageLabel string `json:"page_label,omitempty"`

	// Pinned tells that the row's label or value pins it to its key.
	// Doubt tells that the parser stored the answer as unknown because its
	// key was in doubt (the vote clears it once other locales confirm the
	// key). Both are evidence for the cross-locale vote and are stored with
	// the record, so that a sync can vote a new page against the stored
	// locales of the same source hash as an import does.
	Pinned bool `json:"pinned,omitempty"`
	Doubt  bool `json:"doubt,omitempty"`
}

// Permission is one Microsoft Graph permission row.
type Permission struct {
	// Name is the real scope name (User.Read, profile, Mail.ReadWrite).
	Name string `json:"name"`
	// RawName is the scope as written when it differs from Name.
	RawName string `json:"raw_name,omitempty"`
	// Type is delegated, application or both.
	Type PermissionType `json:"type"`
	// EntraAppID is the Entra (Azure AD) app ID the permission is requested
	// for, taken from the link target.
	EntraAppID string `json:"entra_app_id"`
	// Collected is the justification for the data collected (the single
	// justification column of template A).
	Collected string `json:"collected"`
	// Stored is the justification for the data stored (template B).
	Stored string `json:"stored"`
	// Line is the 1-based line of the row in the page.
	Line int `json:"line,omitempty"`
}

// APIUse is a row of the "other Microsoft APIs" table (template B).
type APIUse struct {
	API       string `json:"api"`
	Collected string `json:"collected"`
	Stored    string `json:"stored"`
}

// Service is a row of the non-Microsoft services table (template B).
type Service struct {
	Service       string `json:"service"`
	Data          string `json:"data"`
	Justification string `json:"justification"`
}

// Statement is a free-text blockquote answer under a subsection anchor.
type Statement struct {
	Anchor string `json:"anchor"`
	Text   string `json:"text"`
}

// AzurePage is the content of an azure-id page.
type AzurePage struct {
	// AppID is the Entra app ID the page is about.
	AppID string `json:"app_id"`
	// Apps are the apps registered under the ID.
	Apps []AzureApp `json:"apps"`
	// Attested tells whether the publisher attestation is complete.
	Attested bool `json:"attested"`
	// Certified tells whether the app ID holds Microsoft 365 Certification.
	Certified bool `json:"certified"`
	// CertifiedOn is the certification date, when readable.
	CertifiedOn Date `json:"certified_on,omitempty"`
	// CertifiedOnRaw is the certification date as written.
	CertifiedOnRaw string `json:"certified_on_raw,omitempty"`
}

// AzureApp is one app listed on an azure-id page.
type AzureApp struct {
	Name        string `json:"name"`
	AppSourceID string `json:"appsource_id"`
	Certified   bool   `json:"certified"`
	// Pages lists the app pages (kind/slug) with this AppSource ID, filled
	// by Reconcile.
	Pages []string `json:"pages,omitempty"`
}

// IndexEntry is one row of an index page.
type IndexEntry struct {
	Name      string `json:"name"`
	Slug      string `json:"slug"`
	Publisher string `json:"publisher,omitempty"`
	Attested  bool   `json:"attested"`
	Certified bool   `json:"certified"`
}

// Meta is the source metadata of a page.
type Meta struct {
	// SourceHash is ms.openlocfilehash: the hash of the English source. An
	// unchanged hash means no data change.
	SourceHash string `json:"source_hash,omitempty"`
	// SourceCommit is ms.sourcegitcommit.
	SourceCommit string `json:"source_commit,omitempty"`
	// SourceDate is ms.date (the English source page date).
	SourceDate string `json:"source_date,omitempty"`
	// PivotGroup is zone_pivot_groups as declared (not trusted).
	PivotGroup string `json:"pivot_group,omitempty"`
	// Title is the front matter title.
	Title string `json:"title,omitempty"`
}

// Warning names something on a page that could not be read whole.
type Warning struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Message string `json:"message"`
}

// String formats the warning as file:line: message.
func (w Warning) String() string {
	if w.Line > 0 {
		return w.File + ":" + itoa(w.Line) + ": " + w.Message
	}
	return w.File + ": " + w.Message
}

// Date is a calendar date without time zone, written YYYY-MM-DD in JSON.
// The zero Date means unknown.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// IsZero reports whether the date is unknown.
func (d Date) IsZero() bool { return d.Year == 0 }

// String formats the date as YYYY-MM-DD, or "" for the zero date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return pad(d.Year, 4) + "-" + pad(int(d.Month), 2) + "-" + pad(d.Day, 2)
}

// Time returns the date at midnight UTC.
func (d Date) Time() time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
}

// MarshalText implements encoding.TextMarshaler.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler; it accepts YYYY-MM-DD
// and the empty string.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	t, err := time.Parse(time.DateOnly, string(b))
	if err != nil {
		return err
	}
	*d = Date{Year: t.Year(), Month: t.Month(), Day: t.Day()}
	return nil
}

// Answer returns the answer with the given key and whether it exists.
func (r *Record) Answer(key string) (Answer, bool) {
	if a := r.AnswerRef(key); a != nil {
		return *a, true
	}
	return Answer{}, false
}

// AnswerRef returns the first answer with key in place (nil when there is
// none), for readers that would otherwise copy each answer they look at.
func (r *Record) AnswerRef(key string) *Answer {
	for i := range r.Answers {
		if r.Answers[i].Key == key {
			return &r.Answers[i]
		}
	}
	return nil
}

// EntraAppIDs returns the distinct Entra app IDs of the permission rows,
// in first-seen order.
func (r *Record) EntraAppIDs() []string {
	var ids []string
	seen := map[string]bool{}
	for _, p := range r.Permissions {
		if p.EntraAppID != "" && !seen[p.EntraAppID] {
			seen[p.EntraAppID] = true
			ids = append(ids, p.EntraAppID)
		}
	}
	return ids
}

// ID returns the storage identity of the record: locale/path.
func (r *Record) ID() string { return r.Locale + "/" + r.Path }

func itoa(n int) string { return pad(n, 1) }

func pad(n, width int) string {
	neg := n < 0
	if neg {
		n = -n
	}
	var b [20]byte
	i := len(b)
	for n > 0 || i == len(b) {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	for len(b)-i < width {
		i--
		b[i] = '0'
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}
