// Package connector is a Bot Connector REST client (botframework.md §3) for
// a Teams bot: reply, send, update and delete activities, create a 1:1
// conversation for proactive messages, and list conversation members.
//
// Every call goes only to a trusted serviceUrl (TrustedURLs): one that
// arrived on an authenticated activity, or one on an explicit allowlist; in
// local mode only loopback serviceUrls (the Agents Playground's) are trusted.
// An untrusted URL is refused before any network call, so the bearer token is
// never sent anywhere else. Throttling (429) and transient failures (412,
// 502, 503, 504) are retried with exponential backoff and jitter, honouring
// Retry-After. Tokens and full URLs are never logged or put in errors.
package connector
