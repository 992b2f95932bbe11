package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/attestbot/attestbot/internal/logtext"
)

// ChannelMSTeams is the channelId of Microsoft Teams, the only channel
// attestbot serves by default.
const ChannelMSTeams = "msteams"

// PublicIssuer is the iss claim of channel tokens in the public cloud
// (botframework.md §1.3).
const PublicIssuer = "https://api.botframework.com"

// DefaultClockSkew is the tolerance applied to exp and nbf, as in both SDKs.
const DefaultClockSkew = 5 * time.Minute

// maxAuthHeaderBytes caps the Authorization header accepted for parsing.
const maxAuthHeaderBytes = 16 << 10

// allowedAlgs are the signature algorithms the Bot Framework SDKs accept.
var allowedAlgs = []string{"RS256", "RS384", "RS512"}

func isAllowedAlg(alg string) bool { return slices.Contains(allowedAlgs, alg) }

// ErrUnauthorized is wrapped by every error [Validator.Validate] returns.
var ErrUnauthorized = errors.New("unauthorized")

// Reason names why a request was refused. It is short, stable and safe to log
// or use as a metric label; it never contains the token.
type Reason string

// The reasons [Validator.Validate] reports.
const (
	ReasonNotConfigured    Reason = "validator not configured"
	ReasonMissingHeader    Reason = "missing authorization header"
	ReasonMalformedHeader  Reason = "malformed authorization header"
	ReasonMissingChannelID Reason = "activity has no channelId"
	ReasonMissingService   Reason = "activity has no serviceUrl"
	ReasonMalformedToken   Reason = "malformed token"
	ReasonAlgorithm        Reason = "signing algorithm not allowed"
	ReasonIssuer           Reason = "issuer mismatch"
	ReasonUnknownKey       Reason = "signing key not found"
	ReasonKeysUnavailable  Reason = "signing keys unavailable"
	ReasonSignature        Reason = "invalid signature"
	ReasonMissingExpiry    Reason = "token has no exp"
	ReasonExpired          Reason = "token expired"
	ReasonNotYetValid      Reason = "token not yet valid"
	ReasonInvalidClaims    Reason = "invalid claims"
	ReasonAudience         Reason = "audience mismatch"
	ReasonEndorsement      Reason = "channel not endorsed by signing key"
	ReasonServiceURL       Reason = "serviceurl claim mismatch"
	ReasonChannel          Reason = "channel not served"
)

// Error is the error [Validator.Validate] returns. It wraps [ErrUnauthorized]
// and, when there is one, the underlying cause.
type Error struct {
	// Reason is the short reason for the log.
	Reason Reason
	// Err is the underlying cause, or nil. It never contains the token.
	Err error
}

// Error implements error.
func (e *Error) Error() string {
	if e.Err == nil {
		return "unauthorized: " + string(e.Reason)
	}
	return "unauthorized: " + string(e.Reason) + ": " + e.Err.Error()
}

// Unwrap returns ErrUnauthorized and the cause, for errors.Is and errors.As.
func (e *Error) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrUnauthorized}
	}
	return []error{ErrUnauthorized, e.Err}
}

// AuthFailureReason returns the reason as a bounded metric label.
func (e *Error) AuthFailureReason() string { return string(e.Reason) }

// AuthenticateHeader verifies the token of the Authorization header alone,
// so that a server can refuse a request before reading its body. On success
// it returns the check of the activity that came with the token (the
// channel is served and endorsed by the signing key, the serviceurl claim
// equals the activity's serviceUrl), to run once the body is read.
func (v *Validator) AuthenticateHeader(ctx context.Context, authHeader string) (checkActivity func(channelID, serviceURL string) error, err error) {
	c, e := v.validateToken(ctx, authHeader)
	if e != nil {
		v.refused(ctx, e, "")
		return nil, e
	}
	return func(channelID, serviceURL string) error {
		if e := v.checkActivity(c, channelID, serviceURL); e != nil {
			v.refused(ctx, e, channelID)
			return e
		}
		return nil
	}, nil
}

func deny(r Reason, cause error) *Error { return &Error{Reason: r, Err: cause} }

// ValidatorConfig configures a [Validator].
type ValidatorConfig struct {
	// AppID is the bot's Microsoft App ID; the aud claim must equal it
	// exactly. Required: an empty AppID makes every validation fail.
	AppID string
	// Channels are the channelIds served (default: only [ChannelMSTeams]).
	// An activity of another channel is refused even when its token is
	// valid and the signing key endorses that channel: a Direct Line or Web
	// Chat client sets any tenant and user it likes in the body.
	Channels []string
	// Issuer is the required iss claim (default [PublicIssuer]).
	Issuer string
	// ClockSkew is the tolerance on exp and nbf (default 5 minutes).
	ClockSkew time.Duration
	// Now returns the current time (default time.Now); tests inject a clock.
	Now func() time.Time
}

// Claims are the verified claims of a channel token.
type Claims struct {
	// Issuer is the iss claim.
	Issuer string
	// AppID is the aud claim, equal to the configured app ID.
	AppID string
	// ServiceURL is the serviceurl claim, equal to the activity's serviceUrl.
	ServiceURL string
	// KeyID is the kid of the key that signed the token.
	KeyID string
	// Endorsements are the signing key's endorsements.
	Endorsements []string
	// ExpiresAt is the exp claim.
	ExpiresAt time.Time
	// NotBefore is the nbf claim, zero when absent.
	NotBefore time.Time
	// IssuedAt is the iat claim, zero when absent.
	IssuedAt time.Time
}

// Validator validates the channel JWT of inbound activities. It is safe for
// concurrent use.
type Validator struct {
	cfg    ValidatorConfig
	keys   KeySource
	logger *slog.Logger
	parser *jwt.Parser

	verified verifiedCache
}

// NewValidator returns a Validator that takes signing keys from keys (usually
// a [*KeyCache]). logger receives a debug line per refused token (nil
// discards).
func NewValidator(cfg ValidatorConfig, keys KeySource, logger *slog.Logger) *Validator {
	if cfg.Issuer == "" {
		cfg.Issuer = PublicIssuer
	}
	if cfg.ClockSkew <= 0 {
		cfg.ClockSkew = DefaultClockSkew
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if len(cfg.Channels) == 0 {
		cfg.Channels = []string{ChannelMSTeams}
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	parser := jwt.NewParser(
		jwt.WithValidMethods(allowedAlgs),
		jwt.WithLeeway(cfg.ClockSkew),
		jwt.WithExpirationRequired(),
		jwt.WithIssuer(cfg.Issuer),
		jwt.WithTimeFunc(cfg.Now),
	)
	return &Validator{cfg: cfg, keys: keys, logger: logger, parser: parser}
}

// Validate checks authHeader (the raw Authorization header value) for an
// activity with the given channelId and serviceUrl. It returns the verified
// claims, or an [*Error] wrapping [ErrUnauthorized].
//
// The serviceurl claim is compared with serviceURL byte for byte (no case
// folding, no trailing-slash normalisation), as the JS SDK's CloudAdapter
// does: the bot later sends its token to that URL, so it must be exactly the
// one the channel signed. The .NET SDK compares case-insensitively; both SDKs
// work with Teams, which therefore sends identical values.
func (v *Validator) Validate(ctx context.Context, authHeader, channelID, serviceURL string) (*Claims, error) {
	c, err := v.validateToken(ctx, authHeader)
	if err == nil {
		err = v.checkActivity(c, channelID, serviceURL)
	}
	if err != nil {
		v.refused(ctx, err, channelID)
		return nil, err
	}
	return c, nil
}

// refused logs a refusal at debug level, with attacker text clipped.
func (v *Validator) refused(ctx context.Context, err *Error, channelID string) {
	v.logger.DebugContext(ctx, "bot framework token refused",
		slog.String("reason", string(err.Reason)),
		slog.String("channel_id", logtext.Clip(channelID)))
}

// validateToken checks the Authorization header: scheme, signature, issuer,
// lifetime and audience. What depends on the activity is left to
// checkActivity.
func (v *Validator) validateToken(ctx context.Context, authHeader string) (*Claims, *Error) {
	if v.cfg.AppID == "" || v.keys == nil {
		return nil, deny(ReasonNotConfigured, nil)
	}
	if authHeader == "" {
		return nil, deny(ReasonMissingHeader, nil)
	}
	if len(authHeader) > maxAuthHeaderBytes {
		return nil, deny(ReasonMalformedHeader, errors.New("header too long"))
	}
	// Exactly "Bearer" + one space + token, scheme case-sensitive, like the
	// JS SDK's header.split(' ') with two parts (botframework.md §1.2).
	raw, ok := strings.CutPrefix(authHeader, "Bearer ")
	if !ok || raw == "" || strings.ContainsAny(raw, " \t\r\n") {
		return nil, deny(ReasonMalformedHeader, nil)
	}

	claims, key, derr := v.verify(ctx, raw)
	if derr != nil {
		return nil, derr
	}

	var aud string
	if len(claims.Aud) == 0 || json.Unmarshal(claims.Aud, &aud) != nil {
		return nil, deny(ReasonAudience, errors.New("aud is not a single string"))
	}
	if aud != v.cfg.AppID {
		return nil, deny(ReasonAudience, nil)
	}
	if len(key.Endorsements) == 0 {
		return nil, deny(ReasonEndorsement, errors.New("signing key has no endorsements"))
	}
	if claims.ServiceURL == "" {
		return nil, deny(ReasonServiceURL, errors.New("token has no serviceurl claim"))
	}

	out := &Claims{
		Issuer:       claims.Iss,
		AppID:        aud,
		ServiceURL:   claims.ServiceURL,
		KeyID:        key.KeyID,
		Endorsements: slices.Clone(key.Endorsements),
	}
	if claims.Exp != nil {
		out.ExpiresAt = claims.Exp.Time
	}
	if claims.Nbf != nil {
		out.NotBefore = claims.Nbf.Time
	}
	if claims.Iat != nil {
		out.IssuedAt = claims.Iat.Time
	}
	return out, nil
}

// checkActivity binds verified claims to the activity they came with: its
// channel must be served and endorsed by the signing key, and its
// serviceUrl must equal the serviceurl claim.
func (v *Validator) checkActivity(c *Claims, channelID, serviceURL string) *Error {
	if strings.TrimSpace(channelID) == "" {
		return deny(ReasonMissingChannelID, nil)
	}
	if !slices.Contains(v.cfg.Channels, channelID) {
		return deny(ReasonChannel, fmt.Errorf("channel %q", logtext.Clip(channelID)))
	}
	if !slices.Contains(c.Endorsements, channelID) {
		return deny(ReasonEndorsement, fmt.Errorf("channel %q", logtext.Clip(channelID)))
	}
	if serviceURL == "" {
		return deny(ReasonMissingService, nil)
	}
	if c.ServiceURL != serviceURL {
		return deny(ReasonServiceURL, nil)
	}
	return nil
}

// verify parses raw and checks its signature, issuer and lifetime; the
// checks that depend on the activity are left to the caller. A token that
// passed is remembered until it expires (at most [verifiedTTL]): the
// channel sends the same token with every activity for about an hour, and
// its RSA signature, the costliest part of an inbound request, cannot
// change. A remembered token is still checked against the clock and against
// the current key set (a key removed from the JWKS ends its tokens).
func (v *Validator) verify(ctx context.Context, raw string) (tokenClaims, SigningKey, *Error) {
	now := v.cfg.Now()
	if e, ok := v.verified.get(raw, now); ok {
		if derr := v.checkTimes(e.claims, now); derr != nil {
			return tokenClaims{}, SigningKey{}, derr
		}
		k, err := v.keys.Key(ctx, e.key.KeyID)
		if err == nil && sameKey(k, e.key) {
			return e.claims, k, nil
		}
		v.verified.remove(raw)
	}
	var (
		claims    tokenClaims
		key       SigningKey
		keyLookup bool
	)
	_, err := v.parser.ParseWithClaims(raw, &claims, func(t *jwt.Token) (any, error) {
		keyLookup = true
		// Issuer first, before any key lookup, as the SDKs do: a token from
		// another issuer never triggers a key fetch.
		if claims.Iss != v.cfg.Issuer {
			return nil, errIssuer
		}
		kid, _ := t.Header["kid"].(string)
		k, err := v.keys.Key(ctx, kid)
		if err != nil {
			return nil, err
		}
		if k.Key == nil {
			return nil, fmt.Errorf("kid %q: %w", logtext.Clip(kid), ErrKeyNotFound)
		}
		if k.Algorithm != "" && k.Algorithm != t.Method.Alg() {
			return nil, errKeyAlg
		}
		key = k
		return k.Key, nil
	})
	if err != nil {
		return tokenClaims{}, SigningKey{}, classify(err, keyLookup)
	}
	if key.KeyID == "" {
		// The cache looks keys up by kid: a key without one is not cached.
		return claims, key, nil
	}
	until := now.Add(verifiedTTL)
	if claims.Exp != nil && claims.Exp.Time.Add(v.cfg.ClockSkew).Before(until) {
		until = claims.Exp.Time.Add(v.cfg.ClockSkew)
	}
	v.verified.put(raw, verifiedToken{claims: claims, key: key, until: until})
	return claims, key, nil
}

// checkTimes applies jwt's exp and nbf rules, with the clock skew, to a
// remembered token.
func (v *Validator) checkTimes(c tokenClaims, now time.Time) *Error {
	if c.Exp == nil {
		return deny(ReasonMissingExpiry, nil)
	}
	if !now.Before(c.Exp.Time.Add(v.cfg.ClockSkew)) {
		return deny(ReasonExpired, nil)
	}
	if c.Nbf != nil && now.Add(v.cfg.ClockSkew).Before(c.Nbf.Time) {
		return deny(ReasonNotYetValid, nil)
	}
	return nil
}

// sameKey reports whether two signing keys are the same key.
// The same pointer (the key set was not refreshed since) is the same key
// without comparing the moduli, which allocates them as bytes.
func sameKey(a, b SigningKey) bool {
	return a.Key != nil && b.Key != nil && (a.Key == b.Key || a.Key.Equal(b.Key)) && a.Algorithm == b.Algorithm &&
		slices.Equal(a.Endorsements, b.Endorsements)
}

// verifiedTTL bounds how long a verified token is remembered.
const verifiedTTL = 10 * time.Minute

// maxVerified bounds the remembered tokens (a channel token is about 1 KB).
const maxVerified = 1024

// verifiedToken is a token whose signature was checked.
type verifiedToken struct {
	claims tokenClaims
	key    SigningKey
	until  time.Time
}

// verifiedCache remembers verified tokens by their exact text.
type verifiedCache struct {
	mu sync.RWMutex
	m  map[string]verifiedToken
}

func (c *verifiedCache) get(raw string, now time.Time) (verifiedToken, bool) {
	c.mu.RLock()
	e, ok := c.m[raw]
	c.mu.RUnlock()
	if !ok || !now.Before(e.until) {
		return verifiedToken{}, false
	}
	return e, true
}

func (c *verifiedCache) put(raw string, e verifiedToken) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxVerified {
		// Full: start over rather than track ages; a bot sees a handful of
		// live tokens at a time.
		c.m = make(map[string]verifiedToken)
	}
	c.m[raw] = e
}

func (c *verifiedCache) remove(raw string) {
	c.mu.Lock()
	delete(c.m, raw)
	c.mu.Unlock()
}

var (
	errIssuer = errors.New("issuer is not the configured bot framework issuer")
	errKeyAlg = errors.New("token alg differs from the signing key's alg")
)

// classify maps a jwt parse error to a refusal reason. keyLookup tells
// whether jwt got as far as the key function, which it calls only after the
// token decoded and its alg passed WithValidMethods.
func classify(err error, keyLookup bool) *Error {
	switch {
	case errors.Is(err, jwt.ErrTokenMalformed):
		return deny(ReasonMalformedToken, nil)
	case !keyLookup:
		// Decoded, but jwt refused the alg (outside WithValidMethods, or
		// unknown to it) before asking for a key.
		return deny(ReasonAlgorithm, nil)
	case errors.Is(err, errIssuer), errors.Is(err, jwt.ErrTokenInvalidIssuer):
		return deny(ReasonIssuer, nil)
	case errors.Is(err, errKeyAlg):
		return deny(ReasonAlgorithm, errKeyAlg)
	case errors.Is(err, ErrKeyNotFound):
		return deny(ReasonUnknownKey, err)
	case errors.Is(err, jwt.ErrTokenUnverifiable):
		// The key function failed otherwise: the key set could not be fetched.
		return deny(ReasonKeysUnavailable, err)
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		return deny(ReasonSignature, nil)
	case errors.Is(err, jwt.ErrTokenRequiredClaimMissing):
		return deny(ReasonMissingExpiry, nil)
	case errors.Is(err, jwt.ErrTokenExpired):
		return deny(ReasonExpired, nil)
	case errors.Is(err, jwt.ErrTokenNotValidYet):
		return deny(ReasonNotYetValid, nil)
	default:
		return deny(ReasonInvalidClaims, err)
	}
}

// tokenClaims are the claims read from a channel token. aud stays raw so that
// an array can be told apart from a string.
type tokenClaims struct {
	Iss        string           `json:"iss"`
	Aud        json.RawMessage  `json:"aud"`
	Exp        *jwt.NumericDate `json:"exp"`
	Nbf        *jwt.NumericDate `json:"nbf"`
	Iat        *jwt.NumericDate `json:"iat"`
	ServiceURL string           `json:"serviceurl"`
}

// GetExpirationTime implements jwt.Claims.
func (c *tokenClaims) GetExpirationTime() (*jwt.NumericDate, error) { return c.Exp, nil }

// GetIssuedAt implements jwt.Claims.
func (c *tokenClaims) GetIssuedAt() (*jwt.NumericDate, error) { return c.Iat, nil }

// GetNotBefore implements jwt.Claims.
func (c *tokenClaims) GetNotBefore() (*jwt.NumericDate, error) { return c.Nbf, nil }

// GetIssuer implements jwt.Claims.
func (c *tokenClaims) GetIssuer() (string, error) { return c.Iss, nil }

// GetSubject implements jwt.Claims.
func (c *tokenClaims) GetSubject() (string, error) { return "", nil }

// GetAudience implements jwt.Claims; the audience is checked by Validate.
func (c *tokenClaims) GetAudience() (jwt.ClaimStrings, error) { return nil, nil }
