// Package audit is the tenant audit: the Teams apps of a tenant's app
// catalog set against their public compliance records, and the Microsoft
// Graph permissions the tenant actually granted them set against what their
// publishers attested.
//
// # What it computes
//
// [Service.Audit] lists the tenant's Teams app catalog (store, organization
// and sideloaded apps) through [Graph], and matches each app to its record
// by Teams app ID: a store app's catalog ID is its Teams store GUID, the ID
// records carry; an organization or sideloaded app is matched by its
// manifest ID (externalId), which equals the store GUID when a publisher's
// app was uploaded as a custom app. It then looks up the service principals
// of the Entra app IDs that the matched records' permission rows name, with
// the delegated grants and application role assignments the tenant gave
// them, and computes for each app:
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
// The computation is pure and fast (1,000 apps in a few milliseconds); the
// cost of an audit is its Graph calls, which graphclient batches (about 115
// calls for 1,000 apps and service principals).
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
