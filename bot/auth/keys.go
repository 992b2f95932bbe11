package auth

import (
	"context"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net/http"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/attestbot/attestbot/internal/logtext"
)

// PublicOpenIDMetadataURL is the OpenID metadata document of the public-cloud
// Bot Framework channel service (botframework.md §1.3).
const PublicOpenIDMetadataURL = "https://login.botframework.com/v1/.well-known/openidconfiguration"

// Defaults of [KeyCacheConfig], matching the official SDKs (botframework.md §1.4).
const (
	// DefaultKeyRefreshInterval is how long fetched keys are used before a full refresh.
	DefaultKeyRefreshInterval = 24 * time.Hour
	// DefaultUnknownKIDInterval is the minimum time between two refetches
	// triggered by a token whose kid is not in the cache.
	DefaultUnknownKIDInterval = time.Hour
	// DefaultFetchFailureBackoff is the minimum time between two fetch attempts
	// after a failed one.
	DefaultFetchFailureBackoff = 10 * time.Second
	// DefaultFetchTimeout bounds one metadata + JWKS fetch.
	DefaultFetchTimeout = 10 * time.Second
)

// maxDocumentBytes caps the size of a metadata or JWKS document.
const maxDocumentBytes = 1 << 20

// minRSAKeyBits is the smallest RSA modulus accepted from a JWKS.
const minRSAKeyBits = 2048

// ErrKeyNotFound is returned (wrapped) by a [KeySource] when no usable key has
// the requested kid.
var ErrKeyNotFound = errors.New("signing key not found")

// SigningKey is one RSA key of the channel's JWKS with its Bot Framework
// endorsements (the channel IDs the key may sign tokens for).
type SigningKey struct {
	// KeyID is the JWK "kid".
	KeyID string
	// Algorithm is the JWK "alg", empty when the JWK does not name one.
	Algorithm string
	// Key is the RSA public key.
	Key *rsa.PublicKey
	// Endorsements is the JWK "endorsements" array; nil when absent.
	Endorsements []string
}

// KeySource returns the signing key with a given kid. Implementations must be
// safe for concurrent use. A missing key is reported with an error wrapping
// [ErrKeyNotFound].
type KeySource interface {
	Key(ctx context.Context, kid string) (SigningKey, error)
}

// KeyCacheConfig configures a [KeyCache]. Zero values take the defaults.
type KeyCacheConfig struct {
	// MetadataURL is the OpenID metadata document whose jwks_uri lists the
	// keys. Default [PublicOpenIDMetadataURL]. Must be https, except for
	// loopback hosts (tests).
	MetadataURL string
	// RefreshInterval is the age after which the keys are fully refreshed
	// (default 24 h).
	RefreshInterval time.Duration
	// UnknownKIDInterval is the minimum time between two refetches caused by
	// an unknown kid (default 1 h).
	UnknownKIDInterval time.Duration
	// FailureBackoff is the minimum time between two fetch attempts after a
	// failed one (default 10 s); meanwhile the previous keys, if any, are used.
	FailureBackoff time.Duration
	// FetchTimeout bounds one refresh (default 10 s).
	FetchTimeout time.Duration
	// Now returns the current time (default time.Now); tests inject a clock.
	Now func() time.Time
}

// KeyCache is a [KeySource] backed by the OpenID metadata and JWKS of the
// Bot Framework channel service. It fetches lazily, at most once at a time
// (single-flight), refreshes every RefreshInterval, refetches at most once per
// UnknownKIDInterval for a kid it does not know, and keeps serving the keys it
// has when a refresh fails.
//
// It is written here rather than taken from a JWKS library because the
// libraries considered (lestrrat-go/jwx jwk.Cache, MicahParks/keyfunc) fetch a
// JWKS URL rather than an OpenID metadata document, and their refresh policies
// differ from the SDKs' (24 h full refresh, unknown kid refetch throttled to
// one an hour); keyfunc's jwkset also drops the non-standard "endorsements"
// member that the channel binding needs.
type KeyCache struct {
	cfg    KeyCacheConfig
	client *http.Client
	logger *slog.Logger
	group  singleflight.Group

	mu          sync.RWMutex
	keys        map[string]SigningKey
	lastSuccess time.Time // zero until the first successful fetch
	lastAttempt time.Time // zero until the first fetch attempt
	lastFailed  bool      // whether the last completed attempt failed
	lastErr     error     // error of the last completed attempt, if it failed
	completed   uint64    // number of completed fetch attempts
}

// NewKeyCache returns a KeyCache. client is used for every fetch (nil means
// http.DefaultClient, which trusts the system pool and honours SSL_CERT_FILE);
// logger receives refresh failures (nil discards).
func NewKeyCache(cfg KeyCacheConfig, client *http.Client, logger *slog.Logger) (*KeyCache, error) {
	if cfg.MetadataURL == "" {
		cfg.MetadataURL = PublicOpenIDMetadataURL
	}
	if _, err := checkFetchURL(cfg.MetadataURL); err != nil {
		return nil, fmt.Errorf("openid metadata url: %w", err)
	}
	if cfg.RefreshInterval <= 0 {
		cfg.RefreshInterval = DefaultKeyRefreshInterval
	}
	if cfg.UnknownKIDInterval <= 0 {
		cfg.UnknownKIDInterval = DefaultUnknownKIDInterval
	}
	if cfg.FailureBackoff <= 0 {
		cfg.FailureBackoff = DefaultFetchFailureBackoff
	}
	if cfg.FetchTimeout <= 0 {
		cfg.FetchTimeout = DefaultFetchTimeout
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if client == nil {
		client = http.DefaultClient
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &KeyCache{cfg: cfg, client: client, logger: logger}, nil
}

// Key returns the key with the given kid, fetching or refreshing the key set
// first when the cache policy says so.
func (c *KeyCache) Key(ctx context.Context, kid string) (SigningKey, error) {
	if kid == "" {
		return SigningKey{}, fmt.Errorf("token has no kid: %w", ErrKeyNotFound)
	}
	now := c.cfg.Now()

	c.mu.RLock()
	key, found := c.keys[kid]
	hasKeys := len(c.keys) > 0
	stale := c.lastSuccess.IsZero() || now.Sub(c.lastSuccess) >= c.cfg.RefreshInterval
	backingOff := c.lastFailed && now.Sub(c.lastAttempt) < c.cfg.FailureBackoff
	unknownAllowed := now.Sub(c.lastAttempt) >= c.cfg.UnknownKIDInterval
	seen := c.completed
	c.mu.RUnlock()

	var fetchErr error
	switch {
	case stale && !backingOff:
		fetchErr = c.refresh(ctx, seen)
	case !found && unknownAllowed && !backingOff:
		fetchErr = c.refresh(ctx, seen)
	case !found:
		if !hasKeys {
			return SigningKey{}, errors.New("signing keys unavailable: last fetch failed")
		}
		return SigningKey{}, fmt.Errorf("kid %q: %w", logtext.Clip(kid), ErrKeyNotFound)
	default:
		return key, nil
	}

	if fetchErr != nil && ctx.Err() != nil {
		// This caller stopped waiting: it fails even when the shared fetch
		// has meanwhile filled the cache (it used to pass or fail by timing).
		return SigningKey{}, fmt.Errorf("signing keys unavailable: %w", fetchErr)
	}
	c.mu.RLock()
	key, found = c.keys[kid]
	hasKeys = len(c.keys) > 0
	c.mu.RUnlock()
	switch {
	case found:
		return key, nil
	case !hasKeys && fetchErr != nil:
		return SigningKey{}, fmt.Errorf("signing keys unavailable: %w", fetchErr)
	default:
		return SigningKey{}, fmt.Errorf("kid %q: %w", logtext.Clip(kid), ErrKeyNotFound)
	}
}

// Refresh fetches the metadata and key set now, unless another refresh is in
// flight, in which case it waits for that one.
func (c *KeyCache) Refresh(ctx context.Context) error {
	c.mu.RLock()
	seen := c.completed
	c.mu.RUnlock()
	return c.refresh(ctx, seen)
}

// refresh fetches the keys once for every caller that observed completion
// counter seen: callers that arrive while a fetch is in flight share it, and a
// caller that decided to refresh before a fetch completed does not fetch again
// once it has.
func (c *KeyCache) refresh(ctx context.Context, seen uint64) error {
	// Detach from the caller's cancellation: the fetch is shared by every
	// waiting request and must not fail because the first one gave up.
	fetchCtx := context.WithoutCancel(ctx)
	resultCh := c.group.DoChan("refresh", func() (any, error) {
		c.mu.Lock()
		if c.completed != seen {
			lastErr := c.lastErr
			c.mu.Unlock()
			return nil, lastErr
		}
		c.lastAttempt = c.cfg.Now()
		c.mu.Unlock()

		fctx, cancel := context.WithTimeout(fetchCtx, c.cfg.FetchTimeout)
		defer cancel()
		keys, err := c.fetch(fctx)

		c.mu.Lock()
		defer c.mu.Unlock()
		c.completed++
		if err != nil {
			c.lastFailed = true
			c.lastErr = err
			c.logger.Warn("bot framework signing keys refresh failed",
				slog.String("metadata_url", c.cfg.MetadataURL),
				slog.Int("cached_keys", len(c.keys)),
				slog.Any("err", err))
			return nil, err
		}
		c.keys = keys
		c.lastSuccess = c.cfg.Now()
		c.lastFailed = false
		c.lastErr = nil
		c.logger.Debug("bot framework signing keys refreshed",
			slog.String("metadata_url", c.cfg.MetadataURL),
			slog.Int("keys", len(keys)))
		return nil, nil
	})
	// A caller already canceled gets its error even when the shared fetch
	// has finished too: select picks at random among ready cases, which
	// made a canceled request sometimes succeed.
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("wait for signing keys: %w", err)
	}
	select {
	case res := <-resultCh:
		return res.Err
	case <-ctx.Done():
		return fmt.Errorf("wait for signing keys: %w", ctx.Err())
	}
}

// openIDMetadata is the part of the OpenID metadata document used here.
type openIDMetadata struct {
	JWKSURI string `json:"jwks_uri"`
}

// jwk is one JSON Web Key as served by the Bot Framework (RFC 7517 plus the
// "endorsements" member).
type jwk struct {
	Kty          string   `json:"kty"`
	Use          string   `json:"use"`
	Kid          string   `json:"kid"`
	Alg          string   `json:"alg"`
	N            string   `json:"n"`
	E            string   `json:"e"`
	Endorsements []string `json:"endorsements"`
}

// fetch downloads the metadata, then the JWKS it points to, and returns the
// usable keys by kid.
func (c *KeyCache) fetch(ctx context.Context) (map[string]SigningKey, error) {
	var meta openIDMetadata
	if err := c.getJSON(ctx, c.cfg.MetadataURL, &meta); err != nil {
		return nil, fmt.Errorf("openid metadata: %w", err)
	}
	if meta.JWKSURI == "" {
		return nil, errors.New("openid metadata: no jwks_uri")
	}
	if _, err := checkFetchURL(meta.JWKSURI); err != nil {
		return nil, fmt.Errorf("openid metadata jwks_uri: %w", err)
	}
	var set struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := c.getJSON(ctx, meta.JWKSURI, &set); err != nil {
		return nil, fmt.Errorf("jwks: %w", err)
	}
	keys, skipped := parseJWKS(set.Keys)
	if skipped > 0 {
		c.logger.Debug("skipped unusable jwks entries", slog.Int("skipped", skipped))
	}
	if len(keys) == 0 {
		return nil, errors.New("jwks: no usable RSA signing key")
	}
	return keys, nil
}

// parseJWKS keeps the RSA signature keys of raw, indexed by kid, and counts
// the entries it skipped.
func parseJWKS(raw []json.RawMessage) (map[string]SigningKey, int) {
	keys := make(map[string]SigningKey, len(raw))
	skipped := 0
	for _, r := range raw {
		k, err := parseJWK(r)
		if err != nil {
			skipped++
			continue
		}
		keys[k.KeyID] = k
	}
	return keys, skipped
}

// parseJWK converts one JWK to a SigningKey, refusing anything but an RSA
// signature key of at least 2048 bits with a kid.
func parseJWK(raw json.RawMessage) (SigningKey, error) {
	var k jwk
	if err := json.Unmarshal(raw, &k); err != nil {
		return SigningKey{}, fmt.Errorf("decode jwk: %w", err)
	}
	if k.Kid == "" {
		return SigningKey{}, errors.New("jwk has no kid")
	}
	if k.Kty != "RSA" {
		return SigningKey{}, fmt.Errorf("jwk %q: kty %q is not RSA", k.Kid, k.Kty)
	}
	if k.Use != "" && k.Use != "sig" {
		return SigningKey{}, fmt.Errorf("jwk %q: use %q is not sig", k.Kid, k.Use)
	}
	if k.Alg != "" && !isAllowedAlg(k.Alg) {
		return SigningKey{}, fmt.Errorf("jwk %q: alg %q not allowed", k.Kid, k.Alg)
	}
	nb, err := base64.RawURLEncoding.DecodeString(trimPad(k.N))
	if err != nil || len(nb) == 0 {
		return SigningKey{}, fmt.Errorf("jwk %q: bad modulus", k.Kid)
	}
	eb, err := base64.RawURLEncoding.DecodeString(trimPad(k.E))
	if err != nil || len(eb) == 0 || len(eb) > 4 {
		return SigningKey{}, fmt.Errorf("jwk %q: bad exponent", k.Kid)
	}
	n := new(big.Int).SetBytes(nb)
	if n.BitLen() < minRSAKeyBits {
		return SigningKey{}, fmt.Errorf("jwk %q: modulus of %d bits is too small", k.Kid, n.BitLen())
	}
	e := 0
	for _, b := range eb {
		e = e<<8 | int(b)
	}
	if e < 3 || e%2 == 0 {
		return SigningKey{}, fmt.Errorf("jwk %q: bad exponent", k.Kid)
	}
	return SigningKey{
		KeyID:        k.Kid,
		Algorithm:    k.Alg,
		Key:          &rsa.PublicKey{N: n, E: e},
		Endorsements: k.Endorsements,
	}, nil
}

// trimPad removes base64 padding some JWKS publishers leave on n and e.
func trimPad(s string) string {
	for len(s) > 0 && s[len(s)-1] == '=' {
		s = s[:len(s)-1]
	}
	return s
}

// getJSON GETs url and decodes a JSON body of at most maxDocumentBytes into v.
func (c *KeyCache) getJSON(ctx context.Context, url string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.client.Do(req)
	if err != nil {
		return fmt.Errorf("get %s: %w", url, err)
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxDocumentBytes))
		return fmt.Errorf("get %s: status %d", url, resp.StatusCode)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxDocumentBytes+1))
	if err != nil {
		return fmt.Errorf("read %s: %w", url, err)
	}
	if len(body) > maxDocumentBytes {
		return fmt.Errorf("get %s: document larger than %d bytes", url, maxDocumentBytes)
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("decode %s: %w", url, err)
	}
	return nil
}
