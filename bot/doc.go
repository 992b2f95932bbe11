// Package bot is the Bot Framework side of attestbot: the Echo server for
// POST /api/messages (plus /healthz, /readyz and /metrics), the envelope
// rules of botframework.md §1.1, the router that dispatches Teams activities
// to handlers (messages, Action.Submit, Action.Execute, message extension
// queries and link unfurling, the welcome when the bot is added), the turn
// context handlers use to reply through the Bot Connector, idempotent
// delivery, a tenant allowlist, and graceful shutdown.
//
// The edge, in order: a request takes one of Config.MaxInFlight slots (503
// with Retry-After when none is free; connections are capped at
// Config.MaxConnections); the token of its Authorization header is verified
// before the body is read, so an unauthenticated client never makes the bot
// hold its body; the body (at most Config.MaxBodyBytes) is decoded; only
// msteams activities are served (plus the emulator in local mode), any other
// channel gets 401 like a bad token; the token is bound to the activity
// (channel endorsed by the signing key, serviceurl claim equal to the
// serviceUrl); an activity without conversation or from gets 400.
//
// Identity for authorization comes only from what Teams vouches for
// (IdentityOf): the tenant of channelData.tenant.id and conversation.tenantId
// and the user's from.aadObjectId, never from.id. Every personal-chat
// activity refreshes the user's stored conversation reference (written only
// when it changed), so alerts reach users the bot never saw installed.
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
