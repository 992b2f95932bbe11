// Package bot is the Bot Framework side of attestbot: the Echo server for
// POST /api/messages (plus /healthz, /readyz and /metrics), the envelope
// rules of botframework.md §1.1, the router that dispatches Teams activities
// to handlers (messages, Action.Submit, Action.Execute, message extension
// queries and link unfurling, conversation and installation updates), the
// turn context handlers use to reply through the Bot Connector, idempotent
// delivery, a tenant allowlist, and graceful shutdown.
//
// Messages and other non-invoke activities are acknowledged with 200 at once
// and handled on a bounded worker pool; replies go out through the connector.
// Invokes are answered synchronously in the HTTP response within a 5 s budget.
//
// With no app ID the bot runs in local mode for the Microsoft 365 Agents
// Playground: inbound auth is off, the listen address must be loopback, and
// the connector calls only loopback serviceUrls.
//
// Only echo.go imports Echo; the rest works on net/http and schema values.
package bot
