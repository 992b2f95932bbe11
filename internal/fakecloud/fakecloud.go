// Package fakecloud plays the Microsoft side of a Teams bot on loopback, over
// TLS, for tests that run the real attestbot binary or its server:
//
//   - Bot Framework OpenID metadata and JWKS (an RSA key generated at start,
//     endorsed for "msteams"), like login.botframework.com;
//   - Entra ID: a tenant's openid-configuration, MSAL instance discovery and
//     the client-credentials token endpoint, accepting a client secret or a
//     certificate's signed client assertion;
//   - the App Service managed identity endpoint (IDENTITY_ENDPOINT);
//   - a Bot Connector that checks the bearer token it issued and counts and
//     records replies (POST …/v3/conversations/{id}/activities[/{id}]);
//   - a Microsoft Graph of empty tenants (ATTESTBOT_GRAPH_URL): it checks
//     the token and its tenant, answers every read with an empty collection
//     and every write with 204, and records the calls ([Cloud.GraphCalls]);
//   - counters of metadata, JWKS and token fetches and of TLS connections
//     opened, so that load tests can assert connections and tokens per reply;
//   - [Cloud.ChannelToken], the channel→bot JWT Teams would send.
//
// It only listens on 127.0.0.1. The server certificate is httptest's; a
// process trusts it through SSL_CERT_FILE pointing at [Cloud.WriteCA]'s file.
// It uses the standard library and golang-jwt only.
package fakecloud

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/attestbot/attestbot/bot/auth/authtest"
)

// Constants of the public cloud that the fake reproduces.
const (
	// ChannelIssuer is the iss claim of channel→bot tokens.
	ChannelIssuer = "https://api.botframework.com"
	// ChannelID is the Teams channel, the endorsement of the signing key.
	ChannelID = "msteams"
	// ConnectorScope is the audience of the bot's outbound tokens.
	ConnectorScope = "https://api.botframework.com"
	// MultiTenantAuthority is the tenant MultiTenant bots get tokens from.
	MultiTenantAuthority = "botframework.com"
	// MetadataPath and JWKSPath are the Bot Framework OpenID documents.
	MetadataPath = "/v1/.well-known/openidconfiguration"
	JWKSPath     = "/v1/.well-known/keys"
	// ManagedIdentityPath is the App Service managed identity endpoint; set
	// IDENTITY_ENDPOINT to URL+ManagedIdentityPath and IDENTITY_HEADER to
	// ManagedIdentityHeader.
	ManagedIdentityPath   = "/msi/token"
	ManagedIdentityHeader = "fakecloud-identity-header"
	// ServicePath is the path of [Cloud.ServiceURL], like Teams' /amer/.
	ServicePath = "/amer/"
	// adaptiveCard is the content type of an Adaptive Card attachment.
	adaptiveCard = "application/vnd.microsoft.card.adaptive"
	// maxRecorded bounds the replies kept for [Cloud.Replies].
	maxRecorded = 10000
)

// DefaultTokenLifetime is the lifetime of the access tokens the fake issues.
const DefaultTokenLifetime = time.Hour

// Cloud is the running fake. Its methods are safe for concurrent use.
type Cloud struct {
	// URL is the https base URL, https://127.0.0.1:PORT.
	URL string

	srv *httptest.Server
	key *rsa.PrivateKey
	kid string

	mu       sync.Mutex
	apps     map[string]*app      // client ID → credentials
	tokens   map[string]tokenInfo // access token → what it was issued for
	replies  []Reply
	graph    []GraphCall
	waiters  []chan struct{}
	lifetime time.Duration

	stats counters
}

type app struct {
	secret  string
	certKey any // public key of the registered certificate
	msi     bool
}

type tokenInfo struct {
	clientID, tenant, audience string
	expires                    time.Time
}

type counters struct {
	metadata, jwks, tenantConfig, discovery         atomic.Int64
	tokens, tokensRejected, managedIdentity         atomic.Int64
	replies, repliesUnauthorized, repliesBad, conns atomic.Int64
	graphCalls, graphUnauthorized                   atomic.Int64
	channelTokens                                   atomic.Int64
}

// Stats are the fake's counters since it started.
type Stats struct {
	// MetadataFetches and JWKSFetches count the Bot Framework OpenID
	// metadata and key set downloads.
	MetadataFetches int64 `json:"metadata_fetches"`
	JWKSFetches     int64 `json:"jwks_fetches"`
	// TenantConfigFetches counts Entra openid-configuration downloads;
	// InstanceDiscoveries MSAL's instance discovery calls.
	TenantConfigFetches int64 `json:"tenant_config_fetches"`
	InstanceDiscoveries int64 `json:"instance_discoveries"`
	// TokensIssued counts access tokens issued (client credentials and
	// managed identity); TokensRejected refused token requests.
	TokensIssued    int64 `json:"tokens_issued"`
	TokensRejected  int64 `json:"tokens_rejected"`
	ManagedIdentity int64 `json:"managed_identity_requests"`
	// Replies counts activities the connector accepted; RepliesUnauthorized
	// those refused for their token, RepliesBad those refused for their
	// path or body.
	Replies             int64 `json:"replies"`
	RepliesUnauthorized int64 `json:"replies_unauthorized"`
	RepliesBad          int64 `json:"replies_bad"`
	// GraphCalls counts Graph requests answered; GraphUnauthorized those
	// refused for their token.
	GraphCalls        int64 `json:"graph_calls"`
	GraphUnauthorized int64 `json:"graph_unauthorized"`
	// ConnectionsOpened counts TLS connections accepted.
	ConnectionsOpened int64 `json:"connections_opened"`
	// ChannelTokens counts channel→bot tokens minted.
	ChannelTokens int64 `json:"channel_tokens"`
}

// Reply is an activity the connector accepted.
type Reply struct {
	// ConversationID and ReplyToID come from the path.
	ConversationID string
	ReplyToID      string
	// ClientID and Tenant identify the token that authorized the call.
	ClientID string
	Tenant   string
	// Type, Text and the attachments' content types come from the body;
	// Activity is the whole body.
	Type         string
	Text         string
	ContentTypes []string
	Activity     json.RawMessage
}

// HasCard reports whether the reply carries an Adaptive Card.
func (r Reply) HasCard() bool {
	for _, c := range r.ContentTypes {
		if c == adaptiveCard {
			return true
		}
	}
	return false
}

// Start starts a fake cloud on a free port of 127.0.0.1. Close it when done.
func Start() (*Cloud, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("fakecloud: signing key: %w", err)
	}
	sum := sha256.Sum256(key.PublicKey.N.Bytes())
	c := &Cloud{key: key, kid: base64.RawURLEncoding.EncodeToString(sum[:12]),
		apps: map[string]*app{}, tokens: map[string]tokenInfo{}, lifetime: DefaultTokenLifetime}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(c.serve))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			c.stats.conns.Add(1)
		}
	}
	srv.Config.ReadHeaderTimeout = 10 * time.Second
	srv.StartTLS()
	c.srv, c.URL = srv, srv.URL
	return c, nil
}

// Close stops the server.
func (c *Cloud) Close() { c.srv.Close() }

// Client returns an HTTP client that trusts the fake's certificate.
func (c *Cloud) Client() *http.Client { return c.srv.Client() }

// CAPEM returns the certificate to trust, in PEM.
func (c *Cloud) CAPEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.srv.Certificate().Raw})
}

// WriteCA writes [Cloud.CAPEM] to path, for SSL_CERT_FILE.
func (c *Cloud) WriteCA(path string) error {
	return os.WriteFile(path, c.CAPEM(), 0o644)
}

// MetadataURL is the Bot Framework OpenID metadata URL
// (ATTESTBOT_OPENID_METADATA_URL).
func (c *Cloud) MetadataURL() string { return c.URL + MetadataPath }

// LoginURL is the Entra login host (ATTESTBOT_LOGIN_URL).
func (c *Cloud) LoginURL() string { return c.URL }

// ServiceURL is the Bot Connector base URL to put in activities.
func (c *Cloud) ServiceURL() string { return c.URL + ServicePath }

// ManagedIdentityEndpoint is the IDENTITY_ENDPOINT of the fake managed
// identity.
func (c *Cloud) ManagedIdentityEndpoint() string { return c.URL + ManagedIdentityPath }

// AddSecretApp registers an app registration with a client secret.
func (c *Cloud) AddSecretApp(clientID, secret string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.apps[clientID] = &app{secret: secret}
}

// AddCertificateApp registers an app registration with a certificate (PEM,
// the first CERTIFICATE block is used): the token endpoint accepts client
// assertions signed with its key.
func (c *Cloud) AddCertificateApp(clientID string, certPEM []byte) error {
	for rest := certPEM; ; {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			return errors.New("fakecloud: no CERTIFICATE block")
		}
		if b.Type != "CERTIFICATE" {
			continue
		}
		cert, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return fmt.Errorf("fakecloud: certificate: %w", err)
		}
		c.mu.Lock()
		defer c.mu.Unlock()
		c.apps[clientID] = &app{certKey: cert.PublicKey}
		return nil
	}
}

// AddManagedIdentity registers a user-assigned managed identity.
func (c *Cloud) AddManagedIdentity(clientID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.apps[clientID] = &app{msi: true}
}

// Stats returns the counters.
func (c *Cloud) Stats() Stats {
	s := &c.stats
	return Stats{
		MetadataFetches: s.metadata.Load(), JWKSFetches: s.jwks.Load(),
		TenantConfigFetches: s.tenantConfig.Load(), InstanceDiscoveries: s.discovery.Load(),
		TokensIssued: s.tokens.Load(), TokensRejected: s.tokensRejected.Load(), ManagedIdentity: s.managedIdentity.Load(),
		Replies: s.replies.Load(), RepliesUnauthorized: s.repliesUnauthorized.Load(), RepliesBad: s.repliesBad.Load(),
		GraphCalls: s.graphCalls.Load(), GraphUnauthorized: s.graphUnauthorized.Load(),
		ConnectionsOpened: s.conns.Load(), ChannelTokens: s.channelTokens.Load(),
	}
}

// Replies returns the replies accepted so far (at most the last 10,000).
func (c *Cloud) Replies() []Reply {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Reply(nil), c.replies...)
}

// RepliesTo returns the replies accepted in conversation id.
func (c *Cloud) RepliesTo(id string) []Reply {
	var out []Reply
	for _, r := range c.Replies() {
		if r.ConversationID == id {
			out = append(out, r)
		}
	}
	return out
}

// WaitReplies waits until conversation id has at least n replies or the
// timeout passes, and returns its replies.
func (c *Cloud) WaitReplies(id string, n int, timeout time.Duration) ([]Reply, error) {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		c.mu.Lock()
		ch := make(chan struct{})
		c.waiters = append(c.waiters, ch)
		c.mu.Unlock()
		if got := c.RepliesTo(id); len(got) >= n {
			return got, nil
		}
		select {
		case <-ch:
		case <-deadline.C:
			got := c.RepliesTo(id)
			return got, fmt.Errorf("fakecloud: %d of %d replies in conversation %q after %s", len(got), n, id, timeout)
		}
	}
}

// ChannelToken mints the token Teams would send with an activity for the
// bot appID whose serviceUrl is serviceURL, valid for an hour.
func (c *Cloud) ChannelToken(appID, serviceURL string) (string, error) {
	return c.SignChannelToken(authtest.ChannelClaims(appID, serviceURL, time.Now()))
}

// SignChannelToken signs arbitrary claims with the channel key, for tokens
// that must be refused.
func (c *Cloud) SignChannelToken(claims jwt.MapClaims) (string, error) {
	t := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	t.Header["kid"] = c.kid
	s, err := t.SignedString(c.key)
	if err != nil {
		return "", fmt.Errorf("fakecloud: sign: %w", err)
	}
	c.stats.channelTokens.Add(1)
	return s, nil
}

// serve routes every request.
func (c *Cloud) serve(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	if i := strings.Index(p, "/v3/conversations/"); i >= 0 {
		c.connector(w, r, p[i+len("/v3/conversations/"):])
		return
	}
	switch {
	case strings.HasPrefix(p, "/v1.0/") || strings.HasPrefix(p, "/beta/"):
		c.graphAPI(w, r)
	case p == MetadataPath || p == "/v1/.well-known/openid-configuration":
		c.stats.metadata.Add(1)
		writeJSON(w, http.StatusOK, map[string]any{
			"issuer": ChannelIssuer, "jwks_uri": c.URL + JWKSPath,
			"authorization_endpoint":                "https://invalid.botframework.com",
			"id_token_signing_alg_values_supported": []string{"RS256"},
			"token_endpoint_auth_methods_supported": []string{"private_key_jwt"},
		})
	case p == JWKSPath:
		c.stats.jwks.Add(1)
		key := authtest.Key{KID: c.kid, Private: c.key, Endorsements: []string{ChannelID}}
		writeJSON(w, http.StatusOK, map[string]any{"keys": []any{authtest.PublicJWK(key)}})
	case p == "/common/discovery/instance":
		c.stats.discovery.Add(1)
		c.instanceDiscovery(w, r)
	case p == ManagedIdentityPath:
		c.managedIdentity(w, r)
	default:
		c.entra(w, r, p)
	}
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

// entra serves /{tenant}/v2.0/.well-known/openid-configuration and
// /{tenant}/oauth2/v2.0/token.
func (c *Cloud) entra(w http.ResponseWriter, r *http.Request, p string) {
	tenant, rest, ok := strings.Cut(strings.TrimPrefix(p, "/"), "/")
	if !ok || tenant == "" {
		http.NotFound(w, r)
		return
	}
	switch rest {
	case "v2.0/.well-known/openid-configuration":
		c.stats.tenantConfig.Add(1)
		base := c.URL + "/" + tenant
		writeJSON(w, http.StatusOK, map[string]any{
			"issuer":                                c.URL + "/" + tenant + "/v2.0",
			"token_endpoint":                        base + "/oauth2/v2.0/token",
			"authorization_endpoint":                base + "/oauth2/v2.0/authorize",
			"device_authorization_endpoint":         base + "/oauth2/v2.0/devicecode",
			"jwks_uri":                              base + "/discovery/v2.0/keys",
			"token_endpoint_auth_methods_supported": []string{"client_secret_post", "private_key_jwt", "client_secret_basic"},
			"response_types_supported":              []string{"code", "id_token", "code id_token", "id_token token"},
			"subject_types_supported":               []string{"pairwise"},
			"id_token_signing_alg_values_supported": []string{"RS256"},
			"tenant_region_scope":                   "WW",
			"cloud_instance_name":                   "microsoftonline.com",
		})
	case "oauth2/v2.0/token":
		c.token(w, r, tenant)
	default:
		http.NotFound(w, r)
	}
}

// instanceDiscovery answers MSAL's instance discovery for any authority.
func (c *Cloud) instanceDiscovery(w http.ResponseWriter, r *http.Request) {
	authz := r.URL.Query().Get("authorization_endpoint")
	host := strings.TrimPrefix(c.URL, "https://")
	tenant := "common"
	if rest, ok := strings.CutPrefix(authz, c.URL+"/"); ok {
		tenant, _, _ = strings.Cut(rest, "/")
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"tenant_discovery_endpoint": c.URL + "/" + tenant + "/v2.0/.well-known/openid-configuration",
		"api-version":               "1.1",
		"metadata":                  []any{map[string]any{"preferred_network": host, "preferred_cache": host, "aliases": []string{host}}},
	})
}

// refuse answers a token request like Entra does.
func (c *Cloud) refuse(w http.ResponseWriter, code int, errCode, desc string) {
	c.stats.tokensRejected.Add(1)
	writeJSON(w, code, map[string]any{"error": errCode, "error_description": desc})
}

// token is the client-credentials grant: a client secret (form or basic
// auth) or a client assertion signed with the registered certificate.
func (c *Cloud) token(w http.ResponseWriter, r *http.Request, tenant string) {
	if r.Method != http.MethodPost {
		c.refuse(w, http.StatusMethodNotAllowed, "invalid_request", "POST required")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		c.refuse(w, http.StatusBadRequest, "invalid_request", "unreadable form")
		return
	}
	f := r.PostForm
	if f.Get("grant_type") != "client_credentials" {
		c.refuse(w, http.StatusBadRequest, "unsupported_grant_type", "only client_credentials")
		return
	}
	if tenant == "common" || tenant == "organizations" || tenant == "consumers" {
		c.refuse(w, http.StatusBadRequest, "invalid_request", "AADSTS90009: client credentials need a specific tenant")
		return
	}
	clientID, secret := f.Get("client_id"), f.Get("client_secret")
	if u, pw, ok := r.BasicAuth(); ok {
		clientID, secret = u, pw
	}
	c.mu.Lock()
	a := c.apps[clientID]
	c.mu.Unlock()
	switch {
	case a == nil || a.msi:
		c.refuse(w, http.StatusBadRequest, "unauthorized_client", "AADSTS700016: application not found")
		return
	case a.secret != "":
		if secret != a.secret {
			c.refuse(w, http.StatusUnauthorized, "invalid_client", "AADSTS7000215: invalid client secret")
			return
		}
	default:
		if err := c.checkAssertion(f.Get("client_assertion_type"), f.Get("client_assertion"), clientID, a.certKey); err != nil {
			c.refuse(w, http.StatusUnauthorized, "invalid_client", "AADSTS700027: "+err.Error())
			return
		}
	}
	aud := f.Get("scope")
	for _, s := range strings.Fields(aud) {
		if strings.HasSuffix(s, "/.default") {
			aud = strings.TrimSuffix(s, "/.default")
		}
	}
	tok, life := c.issue(tokenInfo{clientID: clientID, tenant: tenant, audience: aud})
	writeJSON(w, http.StatusOK, map[string]any{"token_type": "Bearer", "access_token": tok,
		"expires_in": int(life.Seconds()), "ext_expires_in": int(life.Seconds())})
}

// checkAssertion verifies a certificate client assertion: signed by the
// registered key, issued by and about the client, for this token endpoint.
func (c *Cloud) checkAssertion(typ, assertion, clientID string, key any) error {
	if typ != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" || assertion == "" {
		return errors.New("no client secret or client assertion")
	}
	var claims jwt.RegisteredClaims
	_, err := jwt.ParseWithClaims(assertion, &claims, func(*jwt.Token) (any, error) { return key, nil },
		jwt.WithValidMethods([]string{"RS256", "PS256"}), jwt.WithExpirationRequired(), jwt.WithLeeway(time.Minute))
	if err != nil {
		return fmt.Errorf("client assertion: %w", err)
	}
	if claims.Issuer != clientID || claims.Subject != clientID {
		return errors.New("client assertion: iss and sub must be the client ID")
	}
	ok := false
	for _, a := range claims.Audience {
		ok = ok || strings.HasPrefix(a, c.URL+"/")
	}
	if !ok {
		return errors.New("client assertion: audience is not this token endpoint")
	}
	return nil
}

// issue records and returns a new opaque access token.
func (c *Cloud) issue(info tokenInfo) (string, time.Duration) {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	tok := "fc-" + base64.RawURLEncoding.EncodeToString(b)
	c.mu.Lock()
	defer c.mu.Unlock()
	info.expires = time.Now().Add(c.lifetime)
	c.tokens[tok] = info
	c.stats.tokens.Add(1)
	return tok, c.lifetime
}

// managedIdentity answers like the App Service identity endpoint
// (api-version 2019-08-01).
func (c *Cloud) managedIdentity(w http.ResponseWriter, r *http.Request) {
	c.stats.managedIdentity.Add(1)
	q := r.URL.Query()
	if r.Method != http.MethodGet || r.Header.Get("X-IDENTITY-HEADER") != ManagedIdentityHeader {
		c.stats.tokensRejected.Add(1)
		writeJSON(w, http.StatusUnauthorized, map[string]any{"statusCode": 401, "message": "bad identity header"})
		return
	}
	id := q.Get("client_id")
	c.mu.Lock()
	a := c.apps[id]
	c.mu.Unlock()
	if a == nil || !a.msi {
		c.stats.tokensRejected.Add(1)
		writeJSON(w, http.StatusBadRequest, map[string]any{"statusCode": 400, "message": "unknown managed identity"})
		return
	}
	resource := strings.TrimSuffix(q.Get("resource"), "/.default")
	tok, life := c.issue(tokenInfo{clientID: id, tenant: "managed-identity", audience: resource})
	writeJSON(w, http.StatusOK, map[string]any{"access_token": tok, "token_type": "Bearer", "resource": resource,
		"client_id": id, "expires_on": strconv.FormatInt(time.Now().Add(life).Unix(), 10)})
}

// connector serves POST …/v3/conversations/{id}/activities[/{id}].
func (c *Cloud) connector(w http.ResponseWriter, r *http.Request, rest string) {
	segs := strings.Split(rest, "/")
	var reply Reply
	switch {
	case len(segs) == 2 && segs[1] == "activities":
	case len(segs) == 3 && segs[1] == "activities" && segs[2] != "":
		reply.ReplyToID = segs[2]
	default:
		segs = nil
	}
	if r.Method != http.MethodPost || segs == nil || segs[0] == "" {
		c.stats.repliesBad.Add(1)
		writeJSON(w, http.StatusNotFound, map[string]any{"error": map[string]string{"code": "BadSyntax", "message": "unknown connector call"}})
		return
	}
	reply.ConversationID = segs[0]
	tok, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	c.mu.Lock()
	info, ok := c.tokens[tok]
	c.mu.Unlock()
	if !ok || time.Now().After(info.expires) || info.audience != ConnectorScope {
		c.stats.repliesUnauthorized.Add(1)
		writeJSON(w, http.StatusUnauthorized, map[string]any{"message": "Authorization has been denied for this request."})
		return
	}
	reply.ClientID, reply.Tenant = info.clientID, info.tenant
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	var act struct {
		Type        string `json:"type"`
		Text        string `json:"text"`
		Attachments []struct {
			ContentType string `json:"contentType"`
		} `json:"attachments"`
	}
	if err == nil {
		err = json.Unmarshal(body, &act)
	}
	if err != nil || act.Type == "" {
		c.stats.repliesBad.Add(1)
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": map[string]string{"code": "BadArgument", "message": "not an activity"}})
		return
	}
	reply.Type, reply.Text, reply.Activity = act.Type, act.Text, body
	for _, a := range act.Attachments {
		reply.ContentTypes = append(reply.ContentTypes, a.ContentType)
	}
	n := c.stats.replies.Add(1)
	c.mu.Lock()
	if len(c.replies) >= maxRecorded {
		c.replies = c.replies[1:]
	}
	c.replies = append(c.replies, reply)
	waiters := c.waiters
	c.waiters = nil
	c.mu.Unlock()
	for _, ch := range waiters {
		close(ch)
	}
	writeJSON(w, http.StatusOK, map[string]string{"id": "1:fake" + strconv.FormatInt(n, 10)})
}

// GraphCall is a Microsoft Graph request the fake answered.
type GraphCall struct {
	Method, Path string
	// Tenant is the tenant of the token, ClientID its app.
	Tenant, ClientID string
}

// GraphURL is the Graph host (ATTESTBOT_GRAPH_URL).
func (c *Cloud) GraphURL() string { return c.URL }

// GraphCalls returns the Graph requests answered so far.
func (c *Cloud) GraphCalls() []GraphCall {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]GraphCall(nil), c.graph...)
}

// graphAPI is a Graph of empty tenants: a token issued for this Graph host
// is required; reads get an empty collection, $batch an empty collection
// per request, other writes 204.
func (c *Cloud) graphAPI(w http.ResponseWriter, r *http.Request) {
	tok, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	c.mu.Lock()
	info, ok := c.tokens[tok]
	c.mu.Unlock()
	if !ok || time.Now().After(info.expires) || info.audience != c.URL {
		c.stats.graphUnauthorized.Add(1)
		writeJSON(w, http.StatusUnauthorized, map[string]any{"error": map[string]string{"code": "InvalidAuthenticationToken", "message": "Access token validation failure."}})
		return
	}
	c.stats.graphCalls.Add(1)
	c.mu.Lock()
	if len(c.graph) < maxRecorded {
		c.graph = append(c.graph, GraphCall{Method: r.Method, Path: r.URL.Path, Tenant: info.tenant, ClientID: info.clientID})
	}
	c.mu.Unlock()
	switch {
	case r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/$batch"):
		var batch struct {
			Requests []struct {
				ID string `json:"id"`
			} `json:"requests"`
		}
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&batch); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]any{"error": map[string]string{"code": "BadRequest", "message": "not a batch"}})
			return
		}
		answers := make([]any, 0, len(batch.Requests))
		for _, q := range batch.Requests {
			answers = append(answers, map[string]any{"id": q.ID, "status": 200,
				"headers": map[string]string{"Content-Type": "application/json"}, "body": map[string]any{"value": []any{}}})
		}
		writeJSON(w, http.StatusOK, map[string]any{"responses": answers})
	case r.Method == http.MethodGet:
		writeJSON(w, http.StatusOK, map[string]any{"value": []any{}})
	default:
		w.WriteHeader(http.StatusNoContent)
	}
}

// SelfSignedCertificate returns a new self-signed certificate and its RSA
// private key in PEM, the shape of MicrosoftAppCertificateFile; register it
// with [Cloud.AddCertificateApp].
func SelfSignedCertificate(commonName string) ([]byte, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: commonName},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour), KeyUsage: x509.KeyUsageDigitalSignature}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	return append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})...), nil
}
