// Package auth implements the Bot Framework authentication used by attestbot.
//
// Inbound, a [Validator] checks the JWT that the Bot Framework channel (Teams)
// sends in the Authorization header of every POST /api/messages, exactly as
// shared/docs/botframework.md §1.3–§1.6 and §1.10 describe, denying by default:
//
//   - the header must be exactly "Bearer <jwt>" (case-sensitive scheme, one space);
//   - alg must be RS256, RS384 or RS512 and the key an RSA key;
//   - iss must equal the configured issuer (public cloud https://api.botframework.com);
//   - aud must be a JSON string equal to the bot's app ID (an array is refused);
//   - exp is required; exp and nbf are checked with a 5-minute clock skew;
//   - kid must name a key of the channel's OpenID metadata JWKS (see [KeyCache]);
//   - the key's endorsements must be non-empty and contain the activity's channelId;
//   - the serviceurl claim must be present and equal to the activity's serviceUrl.
//
// Emulator, skill and ASE tokens are not accepted: attestbot only talks to Teams.
//
// Outbound, a [TokenSource] obtains the bearer token the bot sends to the Bot
// Connector service (botframework.md §2) through MSAL Go: a client secret or a
// certificate for MultiTenant and SingleTenant registrations, or a user-assigned
// managed identity for UserAssignedMSI. Tokens are cached and refreshed five
// minutes before they expire.
//
// No function of this package logs or returns a token or a secret.
package auth
