// Package graphclient is attestbot's Microsoft Graph client: activity feed
// notifications, proactive installation, the tenant Teams app catalog and
// the Entra service principal permissions that the audit reads, through
// msgraph-sdk-go with MSAL Go credentials. It is the only package besides
// cmd that imports msgraph-sdk-go (its models package costs minutes and
// gigabytes to compile); callers declare small interfaces over [*Client]
// and see only the plain types of this package.
//
// # Credentials
//
// [AppCredential] gives app-only tokens for <GraphURL>/.default from
// <LoginURL>/<tenant> with a client secret, a certificate, or a
// user-assigned managed identity (alone for its home tenant, or as a
// federated client assertion for every tenant), cached per tenant.
// [DeviceCodeCredential] gives delegated tokens through the device code
// flow, for publishing an app package. Both are azcore.TokenCredential.
//
// # Client
//
// [New] builds a [Client] over any credential; every method takes the
// tenant to act in, and the client keeps one SDK request adapter per tenant
// with the credential pinned to that tenant (kiota never passes a tenant to
// the credential). The SDK's request compression is not installed (it
// corrupts retried POSTs), POSTs are never retried by the client, and GETs
// are retried at most Config.ReadRetries times on 429/503/504 for short
// Retry-After values.
//
// The tenant audit starts from what a tenant uses:
// [Client.ListOrganizationApps] (the tenant's own Teams apps, with their
// Entra app IDs), [Client.TenantServicePrincipals] (every service principal
// not owned by Microsoft that holds grants, with its delegated grants and
// application permissions, in three batched waves) and
// [Client.CatalogAppsByID] (the store apps in use). [Client.UserDirectoryRoles]
// reads a user's directory roles in a tenant for the admin check
// (RoleManagement.Read.Directory).
//
// [Client.AuditServicePrincipals] reads given application IDs' service
// principals as JSON batches (POST /$batch, at most [MaxBatchRequests] requests each,
// Config.Concurrency batches at a time): about 105 calls for 1,000
// service principals instead of about 2,070, with each throttled request
// of a batch retried on its own after its Retry-After.
//
// # Errors
//
// Every Graph failure is an [*Error] wrapping one sentinel (ErrNotInstalled,
// ErrThrottled, ErrConflict, ErrPreconditionFailed, …); [IsRetryable] tells
// the notify outbox whether and when to try again. Error text never holds a
// token or a secret, and the package logs neither.
//
// Package graphtest is the matching fake Graph and Entra over TLS.
package graphclient
