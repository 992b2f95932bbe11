// Package audit is the tenant audit: the apps a tenant uses set against
// their public compliance records, and the Microsoft Graph permissions the
// tenant actually granted them set against what their publishers attested.
//
// # What it computes
//
// [Service.Audit] starts from what the tenant uses, read through [Graph]
// at the same time: its own Teams apps (the organization catalog, with
// each app's Entra app ID from authorization.clientAppId) and its service
// principals of applications not owned by Microsoft that hold grants
// (application role assignments and delegated oauth2PermissionGrants). It
// never lists the whole Teams catalog, which returns every store app.
//
// An organization app is matched to its record by manifest ID (externalId,
// which equals the store GUID when a publisher's app was uploaded as a
// custom app), else by its Entra app ID, and to its grants by its Entra app
// IDs: its own clientAppId and those its record names. So a custom app
// with Graph grants shows up with them even when no record exists. Each
// service principal holding grants that no organization app claims is
// joined to a record by Entra app ID (all the service principals of one
// record make one app); when that record names a Teams store app, its
// catalog entry is looked up by ID (a store app in use), else the app is
// listed as an Entra app (distribution "entra"). A service principal with
// grants and no record is listed too. For each app it computes:
//
//   - its status: certified, attested, or no record;
//   - attestation drift, on Microsoft Graph permissions: permissions granted
//     in the tenant beyond what the publisher attested, and attested
//     permissions never granted (only when the app has a service principal,
//     that is when someone consented to it). The OpenID Connect sign-in
//     scopes (openid, profile, email, offline_access) and the default app
//     role are left out of drift, and permissions on other APIs than
//     Microsoft Graph are listed but never counted as drift, because the
//     records attest Graph permissions only;
//   - a risk score (see the Risk* constants) and its reasons, by which
//     the apps are ranked, riskiest first: broad application permissions
//     granted, permissions beyond the attestation, missing key compliance
//     claims, severe record findings, no record at all.
//
// The computation is pure and fast (1,000 apps in tens of milliseconds);
// the cost of an audit is its Graph calls, which graphclient batches.
//
// Not seen: store apps installed without an Entra app of their own (no
// service principal, so nothing in Graph shows their use tenant-wide),
// and Microsoft's own first-party apps, which the records do not cover.
//
// # Cache and tenants
//
// Results are cached per tenant for the TTL (15 minutes by default) and
// while the record index is unchanged; a forced audit (the card's refresh
// button) fetches again unless the cached result is younger than the
// minimum refresh interval (1 minute), which keeps a user from hammering
// Graph. Concurrent audits of one tenant share one fetch. Every cache entry
// and every Graph call is keyed by the tenant asking: no result of one
// tenant is ever returned to another.
//
// # Following a tenant's apps ("subscribe tenant")
//
// [Service.TenantApps] returns the record refs (kind/slug) of every app of
// a tenant's catalog that has a record, from the cached audit. The alerts
// side expands a subscription whose target is "tenant" at delivery time:
// when a record changes, for each "tenant" subscription of tenant T, it
// calls TenantApps(ctx, T) and alerts the subscriber when the changed
// record's kind/slug is in the list. Because the list comes from the
// cached audit, apps added to or removed from the catalog are followed
// within one TTL, and a burst of changes costs at most one audit per
// tenant and TTL.
package audit
