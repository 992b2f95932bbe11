// Package manifest builds, packages and validates attestbot's Microsoft
// Teams app: the app manifest (schema 1.30, the newest one Microsoft's
// offline validator bundles), its two icons drawn in code, the fr and de
// localization files, the app package zip, and attestbot's own Microsoft
// 365 App Compliance attestation page.
//
// Build and WritePackage turn a Config into a manifest and a package.
// Validate checks a manifest.json file or an app package offline: the
// official JSON schema of its declared version (bundled under schemas/),
// the zip layout, icon sizes and transparency, ID formats, the activity
// types attestbot sends, and size limits. Every problem is reported at once
// with its JSON path.
//
// The package does no network I/O; publishing a package to a tenant's app
// catalog belongs to graphclient.
package manifest
