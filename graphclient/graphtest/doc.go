// Package graphtest is a fake Microsoft Graph and a fake Microsoft Entra ID
// (login) served over TLS on 127.0.0.1, for tests of graphclient and of any
// package that talks to Graph through it.
//
// One [Server] plays both roles, so a test points both the login URL and the
// Graph URL at [Server.URL]:
//
//   - Entra: GET /{tenant}/v2.0/.well-known/openid-configuration,
//     POST /{tenant}/oauth2/v2.0/token (client_credentials, device_code and
//     refresh_token grants) and POST /{tenant}/oauth2/v2.0/devicecode, which
//     is what MSAL Go calls with instance discovery turned off;
//   - Graph v1.0: the activity feed (sendActivityNotification and
//     sendActivityNotificationToRecipients), a user's installed apps, the
//     tenant app catalog (list with $filter/$expand/paging, publish and
//     update from an app package zip; app definitions carry
//     authorization.clientAppId), service principals with their
//     oauth2PermissionGrants and appRoleAssignments, the tenant-wide
//     oauth2PermissionGrants listing, directory role assignments
//     (/roleManagement/directory/roleAssignments, [Tenant.AssignRole]), and
//     JSON batching
//     (POST /v1.0/$batch, at most 20 requests, each served and throttled
//     on its own).
//
// Access tokens are opaque strings bound to the tenant that issued them;
// Graph routes serve the data of that tenant only, and refuse unknown or
// expired tokens with 401. A tenant restricted with
// [Tenant.RestrictAppPermissions] answers app-only calls with 403 unless
// it granted one of the permissions Microsoft documents for the route
// ([RoutePermissions]), so tests can prove a declared permission list is
// enough. The bulk notification route answers 412 when the
// token has less than 45 minutes left, as the real service documents.
//
// Every request is recorded (method, path, query, headers, body) for
// assertions; failures (429 with Retry-After, 403 "app not installed", 409,
// 412, 5xx, non-JSON bodies) can be programmed with [Server.Fail];
// [GenerateTenant] builds a tenant with N catalog apps and N service
// principals with grants, for benchmarks.
//
// graphtest does not import msgraph-sdk-go: it only serves HTTP, so packages
// whose tests use it do not pay for compiling the SDK.
package graphtest
