package graphtest

import (
	"bytes"
	"compress/gzip"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Defaults of a new [Server].
const (
	// DefaultTokenLifetime is the expires_in of issued access tokens.
	DefaultTokenLifetime = time.Hour
	// DefaultPageSize is the number of items per page of a Graph list.
	DefaultPageSize = 100
	// BulkTokenMinLifetime is the lifetime a token must have left for the
	// bulk notification route, which otherwise answers 412.
	BulkTokenMinLifetime = 45 * time.Minute
	// MaxBulkRecipients is the most recipients one bulk notification takes.
	MaxBulkRecipients = 100
	// MaxInValues is the most values Graph accepts in a $filter "in" list.
	MaxInValues = 15
	// MicrosoftGraphAppID is the appId of the Microsoft Graph service
	// principal present in every tenant.
	MicrosoftGraphAppID = "00000003-0000-0000-c000-000000000000"
)

// Request is one request the server received.
type Request struct {
	// Method is the HTTP method.
	Method string
	// Path is the URL path, e.g. "/v1.0/teamwork/sendActivityNotificationToRecipients".
	Path string
	// RawQuery is the undecoded query string.
	RawQuery string
	// Header is a copy of the request headers.
	Header http.Header
	// Body is the request body, gunzipped when it was sent gzip-encoded
	// (Header still shows the Content-Encoding that was sent).
	Body []byte
	// Tenant is the tenant of the token (Graph) or of the path (login).
	Tenant string
	// Status is the HTTP status the server answered.
	Status int
	// InBatch is set on a request that arrived inside a JSON batch
	// (POST /v1.0/$batch, itself recorded too).
	InBatch bool
}

// IsGraph reports whether r is a Graph call (as opposed to a login call).
func (r Request) IsGraph() bool { return strings.HasPrefix(r.Path, "/v1.0/") }

// Query returns the decoded query parameters of r.
func (r Request) Query() url.Values {
	q, _ := url.ParseQuery(r.RawQuery)
	return q
}

// SentNotification is an activity feed notification the fake accepted.
type SentNotification struct {
	// Tenant is the tenant it was sent in.
	Tenant string
	// UserIDs are the recipients (one for the per-user route).
	UserIDs []string
	// Body is the JSON body as received.
	Body json.RawMessage
}

// Server is a fake Microsoft Graph and Entra ID over TLS. It is safe for
// concurrent use.
type Server struct {
	// URL is the base URL, "https://127.0.0.1:PORT", for both login and Graph.
	URL string

	srv *httptest.Server

	mu             sync.Mutex
	tenants        map[string]*Tenant
	tokens         map[string]tokenInfo
	refreshTokens  map[string]tokenInfo
	deviceCodes    map[string]*deviceCode
	secrets        map[string]string
	requests       []Request
	notifications  []SentNotification
	failures       []*Failure
	tokenLifetime  time.Duration
	pageSize       int
	pendingPolls   int
	deviceUser     string
	seq            int
	recordDisabled bool
	miTenants      map[string]string // managed identity client ID → tenant
	graphCalls     int
	tokenCalls     int
	batched        int
	connections    atomic.Int64
}

// tokenInfo is what the server knows about an issued token.
type tokenInfo struct {
	tenant    string
	expiresOn time.Time
	user      string // empty for app-only tokens
	clientID  string
	scope     string
}

// deviceCode is one pending device code.
type deviceCode struct {
	tenant   string
	clientID string
	scope    string
	polls    int
}

// New starts a fake on 127.0.0.1 with TLS and closes it when tb ends.
func New(tb testing.TB) *Server {
	tb.Helper()
	s := NewUnstarted()
	s.Start()
	tb.Cleanup(s.Close)
	return s
}

// NewUnstarted returns a fake that is not listening yet; call Start, and
// Close when done. Most tests use [New].
func NewUnstarted() *Server {
	s := &Server{
		tenants:       map[string]*Tenant{},
		tokens:        map[string]tokenInfo{},
		refreshTokens: map[string]tokenInfo{},
		deviceCodes:   map[string]*deviceCode{},
		secrets:       map[string]string{},
		miTenants:     map[string]string{},
		tokenLifetime: DefaultTokenLifetime,
		pageSize:      DefaultPageSize,
		pendingPolls:  1,
		deviceUser:    "admin",
	}
	s.srv = httptest.NewUnstartedServer(http.HandlerFunc(s.serveHTTP))
	// Handshakes cut short when a test ends are not worth a log line.
	s.srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	s.srv.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.connections.Add(1)
		}
	}
	return s
}

// Start starts listening with TLS.
func (s *Server) Start() {
	s.srv.StartTLS()
	s.URL = s.srv.URL
}

// Close shuts the server down.
func (s *Server) Close() { s.srv.Close() }

// Client returns an *http.Client that trusts the server's certificate.
func (s *Server) Client() *http.Client { return s.srv.Client() }

// CertPool returns a pool trusting the server's certificate, for clients
// built with their own transport.
func (s *Server) CertPool() *x509.CertPool {
	p := x509.NewCertPool()
	p.AddCert(s.srv.Certificate())
	return p
}

// Connections returns the number of TCP connections accepted so far.
func (s *Server) Connections() int { return int(s.connections.Load()) }

// LoginURL is the Entra login URL to configure (the same as URL).
func (s *Server) LoginURL() string { return s.URL }

// GraphURL is the Graph URL to configure, without "/v1.0" (the same as URL).
func (s *Server) GraphURL() string { return s.URL }

// SetTokenLifetime sets the lifetime of the access tokens issued from now on.
func (s *Server) SetTokenLifetime(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokenLifetime = d
}

// SetPageSize sets the default page size of Graph lists (at least 1).
func (s *Server) SetPageSize(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pageSize = max(n, 1)
}

// SetClientSecret makes the token endpoint require secret for clientID;
// clients without a registered secret may use any non-empty secret.
func (s *Server) SetClientSecret(clientID, secret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.secrets[clientID] = secret
}

// SetRecording turns request recording on (the default) or off; counters
// keep counting either way. Benchmarks turn it off.
func (s *Server) SetRecording(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.recordDisabled = !on
}

// Requests returns a copy of every recorded request, in arrival order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// GraphRequests returns the recorded Graph (/v1.0) requests.
func (s *Server) GraphRequests() []Request {
	var out []Request
	for _, r := range s.Requests() {
		if r.IsGraph() {
			out = append(out, r)
		}
	}
	return out
}

// TokenRequests returns the recorded POSTs to a token endpoint.
func (s *Server) TokenRequests() []Request {
	var out []Request
	for _, r := range s.Requests() {
		if r.Method == http.MethodPost && strings.HasSuffix(r.Path, "/oauth2/v2.0/token") {
			out = append(out, r)
		}
	}
	return out
}

// Counts returns the number of Graph calls and token requests served so
// far, whether or not recording is on.
func (s *Server) Counts() (graphCalls, tokenRequests int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.graphCalls, s.tokenCalls
}

// ResetRequests forgets the recorded requests and zeroes the counters.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = nil
	s.graphCalls, s.tokenCalls, s.batched = 0, 0, 0
}

// Notifications returns the activity feed notifications accepted so far.
func (s *Server) Notifications() []SentNotification {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]SentNotification(nil), s.notifications...)
}

// IssueToken returns a fresh app-only access token for tenant, for tests
// that call Graph routes without going through MSAL.
func (s *Server) IssueToken(tenant string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	tok, _ := s.issueLocked(tokenInfo{tenant: tenant, clientID: "test"})
	return tok
}

// ExpireTokens makes every issued access token expired, so the next Graph
// call with one of them gets 401.
func (s *Server) ExpireTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, v := range s.tokens {
		v.expiresOn = time.Now().Add(-time.Second)
		s.tokens[k] = v
	}
}

// nextIDLocked returns a new GUID-shaped identifier.
func (s *Server) nextIDLocked() string {
	s.seq++
	return fmt.Sprintf("%08x-0000-4000-8000-%012x", s.seq, s.seq)
}

// issueLocked issues an access token described by ti.
func (s *Server) issueLocked(ti tokenInfo) (string, time.Duration) {
	s.seq++
	life := s.tokenLifetime
	ti.expiresOn = time.Now().Add(life)
	kind := "app"
	if ti.user != "" {
		kind = "user"
	}
	tok := fmt.Sprintf("gt-%s-%s-%d", ti.tenant, kind, s.seq)
	s.tokens[tok] = ti
	return tok, life
}

// serveHTTP records the request and dispatches it.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := readBody(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, "BadRequest", "unreadable body: "+err.Error(), "")
		return
	}
	// The answer is buffered and the request recorded before any byte of
	// it is sent: a client that has read its answer finds its request in
	// Requests and Counts (recording after the write raced with tests
	// that check the requests as soon as the call returns).
	rec := httptest.NewRecorder()
	req := Request{Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery, Header: r.Header.Clone(), Body: body}
	switch {
	case strings.HasPrefix(r.URL.Path, "/v1.0/"):
		req.Tenant = s.serveGraph(rec, r, body)
	case r.URL.Path == ManagedIdentityPath:
		req.Tenant = s.serveManagedIdentity(rec, r)
	default:
		req.Tenant = s.serveLogin(rec, r, body)
	}
	res := rec.Result()
	req.Status = res.StatusCode
	s.record(req)
	maps.Copy(w.Header(), res.Header)
	w.WriteHeader(res.StatusCode)
	_, _ = w.Write(rec.Body.Bytes())
}

// record counts req and keeps it unless recording is off.
func (s *Server) record(req Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if req.IsGraph() {
		s.graphCalls++
	} else if strings.HasSuffix(req.Path, "/oauth2/v2.0/token") {
		s.tokenCalls++
	}
	if !s.recordDisabled {
		s.requests = append(s.requests, req)
	}
}

// readBody reads the body, gunzipping it when it is gzip-encoded.
func readBody(r *http.Request) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r.Body, 32<<20))
	if err != nil {
		return nil, err
	}
	if strings.EqualFold(r.Header.Get("Content-Encoding"), "gzip") && len(b) > 0 {
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			return b, nil // a mislabelled body is recorded as sent
		}
		if u, err := io.ReadAll(zr); err == nil {
			return u, nil
		}
	}
	return b, nil
}

// serveLogin serves the Entra endpoints and returns the path's tenant.
func (s *Server) serveLogin(w http.ResponseWriter, r *http.Request, body []byte) string {
	parts := strings.SplitN(strings.TrimPrefix(r.URL.Path, "/"), "/", 2)
	if len(parts) != 2 || parts[0] == "" {
		http.NotFound(w, r)
		return ""
	}
	tenant, rest := parts[0], parts[1]
	base := s.URL + "/" + tenant
	switch {
	case r.Method == http.MethodGet && rest == "v2.0/.well-known/openid-configuration":
		writeJSON(w, http.StatusOK, map[string]any{
			"token_endpoint":                base + "/oauth2/v2.0/token",
			"authorization_endpoint":        base + "/oauth2/v2.0/authorize",
			"device_authorization_endpoint": base + "/oauth2/v2.0/devicecode",
			"issuer":                        base + "/v2.0",
		})
	case r.Method == http.MethodPost && rest == "oauth2/v2.0/devicecode":
		s.serveDeviceCode(w, tenant, body)
	case r.Method == http.MethodPost && rest == "oauth2/v2.0/token":
		s.serveToken(w, tenant, body)
	default:
		http.NotFound(w, r)
	}
	return tenant
}

// oauthError writes an OAuth 2.0 error response.
func oauthError(w http.ResponseWriter, status int, code, desc string) {
	writeJSON(w, status, map[string]any{"error": code, "error_description": desc, "error_codes": []int{70000}})
}

func (s *Server) serveDeviceCode(w http.ResponseWriter, tenant string, body []byte) {
	form, err := url.ParseQuery(string(body))
	if err != nil || form.Get("client_id") == "" {
		oauthError(w, http.StatusBadRequest, "invalid_request", "client_id is required")
		return
	}
	s.mu.Lock()
	s.seq++
	code := fmt.Sprintf("dc-%d", s.seq)
	user := fmt.Sprintf("UC%04d", s.seq)
	s.deviceCodes[code] = &deviceCode{tenant: tenant, clientID: form.Get("client_id"), scope: form.Get("scope")}
	s.mu.Unlock()
	verify := s.URL + "/devicelogin"
	writeJSON(w, http.StatusOK, map[string]any{
		"user_code":        user,
		"device_code":      code,
		"verification_uri": verify,
		"expires_in":       900,
		"interval":         1,
		"message":          fmt.Sprintf("To sign in, use a web browser to open the page %s and enter the code %s to authenticate.", verify, user),
	})
}

func (s *Server) serveToken(w http.ResponseWriter, tenant string, body []byte) {
	form, err := url.ParseQuery(string(body))
	if err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request", "malformed form body")
		return
	}
	clientID := form.Get("client_id")
	if clientID == "" {
		oauthError(w, http.StatusBadRequest, "invalid_request", "client_id is required")
		return
	}
	if isSharedTenant(tenant) && form.Get("grant_type") == "client_credentials" {
		oauthError(w, http.StatusBadRequest, "invalid_request", "client credentials need a specific tenant")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch form.Get("grant_type") {
	case "client_credentials":
		if !s.clientAuthOKLocked(clientID, form) {
			oauthError(w, http.StatusUnauthorized, "invalid_client", "AADSTS7000215: Invalid client secret provided.")
			return
		}
		tok, life := s.issueLocked(tokenInfo{tenant: tenant, clientID: clientID, scope: form.Get("scope")})
		writeJSON(w, http.StatusOK, map[string]any{
			"token_type": "Bearer", "expires_in": int(life.Seconds()), "ext_expires_in": int(life.Seconds()), "access_token": tok,
		})
	case "urn:ietf:params:oauth:grant-type:device_code", "device_code":
		dc, ok := s.deviceCodes[form.Get("device_code")]
		if !ok || dc.clientID != clientID {
			oauthError(w, http.StatusBadRequest, "expired_token", "AADSTS70020: The provided value for the input parameter 'device_code' is not valid.")
			return
		}
		dc.polls++
		if dc.polls <= s.pendingPolls {
			oauthError(w, http.StatusBadRequest, "authorization_pending", "AADSTS70016: OAuth 2.0 device flow error. Authorization is pending.")
			return
		}
		delete(s.deviceCodes, form.Get("device_code"))
		s.writeUserTokenLocked(w, userTenant(dc.tenant), clientID, form.Get("scope"))
	case "refresh_token":
		rt, ok := s.refreshTokens[form.Get("refresh_token")]
		if !ok || rt.clientID != clientID {
			oauthError(w, http.StatusBadRequest, "invalid_grant", "AADSTS70000: The refresh token is not valid.")
			return
		}
		delete(s.refreshTokens, form.Get("refresh_token"))
		s.writeUserTokenLocked(w, rt.tenant, clientID, form.Get("scope"))
	default:
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type", "grant_type not supported by graphtest")
	}
}

// userTenant maps a shared authority ("organizations") to the tenant of the
// fake's device user.
func userTenant(t string) string {
	if isSharedTenant(t) {
		return "contoso"
	}
	return t
}

func isSharedTenant(t string) bool {
	switch strings.ToLower(t) {
	case "common", "organizations", "consumers":
		return true
	}
	return false
}

// clientAuthOKLocked checks the client secret or assertion of a request.
func (s *Server) clientAuthOKLocked(clientID string, form url.Values) bool {
	if a := form.Get("client_assertion"); a != "" {
		return form.Get("client_assertion_type") == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" &&
			strings.Count(a, ".") == 2
	}
	secret := form.Get("client_secret")
	if secret == "" {
		return false
	}
	want, ok := s.secrets[clientID]
	return !ok || want == secret
}

// writeUserTokenLocked issues a delegated token with an id_token,
// client_info and refresh token, as MSAL public clients need.
func (s *Server) writeUserTokenLocked(w http.ResponseWriter, tenant, clientID, scope string) {
	user := s.deviceUser
	tok, life := s.issueLocked(tokenInfo{tenant: tenant, user: user, clientID: clientID, scope: scope})
	s.seq++
	rt := fmt.Sprintf("rt-%s-%d", tenant, s.seq)
	s.refreshTokens[rt] = tokenInfo{tenant: tenant, user: user, clientID: clientID}
	now := time.Now().Unix()
	idClaims, _ := json.Marshal(map[string]any{
		"aud": clientID, "iss": s.URL + "/" + tenant + "/v2.0", "iat": now, "nbf": now, "exp": now + int64(life.Seconds()),
		"oid": user, "sub": user, "tid": tenant, "preferred_username": user + "@" + tenant + ".example", "name": "Test Admin",
	})
	enc := base64.RawURLEncoding.EncodeToString
	idToken := enc([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + enc(idClaims) + "."
	clientInfo, _ := json.Marshal(map[string]string{"uid": user, "utid": tenant})
	if scope == "" {
		scope = "openid profile offline_access"
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"token_type": "Bearer", "scope": scope, "expires_in": int(life.Seconds()), "ext_expires_in": int(life.Seconds()),
		"access_token": tok, "refresh_token": rt, "id_token": idToken, "client_info": enc(clientInfo),
	})
}

// ManagedIdentityPath is the path of the fake App Service managed identity
// endpoint; point IDENTITY_ENDPOINT at URL + ManagedIdentityPath and set
// IDENTITY_HEADER to [ManagedIdentityHeader].
const ManagedIdentityPath = "/msi/token"

// ManagedIdentityHeader is the X-IDENTITY-HEADER value the fake expects.
const ManagedIdentityHeader = "graphtest-identity-header"

// FederationAudience is the resource for which the managed identity
// endpoint issues a client assertion (a JWT-shaped string) instead of a
// Graph token.
const FederationAudience = "api://AzureADTokenExchange"

// AddManagedIdentity registers a user-assigned managed identity whose
// tokens are for tenant.
func (s *Server) AddManagedIdentity(clientID, tenant string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.miTenants[clientID] = tenant
}

// serveManagedIdentity answers like the App Service identity endpoint
// (api-version 2019-08-01).
func (s *Server) serveManagedIdentity(w http.ResponseWriter, r *http.Request) string {
	q := r.URL.Query()
	if r.Method != http.MethodGet || r.Header.Get("X-IDENTITY-HEADER") != ManagedIdentityHeader {
		writeJSON(w, http.StatusUnauthorized, map[string]any{"statusCode": 401, "message": "bad identity header"})
		return ""
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	tenant, ok := s.miTenants[q.Get("client_id")]
	if !ok {
		writeJSON(w, http.StatusBadRequest, map[string]any{"statusCode": 400, "message": "unknown managed identity"})
		return ""
	}
	resource := q.Get("resource")
	var tok string
	var life time.Duration
	if resource == FederationAudience {
		s.seq++
		enc := base64.RawURLEncoding.EncodeToString
		tok = enc([]byte(`{"alg":"none"}`)) + "." + enc([]byte(fmt.Sprintf(`{"sub":%q,"n":%d}`, q.Get("client_id"), s.seq))) + ".sig"
		life = s.tokenLifetime
	} else {
		tok, life = s.issueLocked(tokenInfo{tenant: tenant, clientID: q.Get("client_id"), scope: resource})
	}
	s.tokenCalls++
	writeJSON(w, http.StatusOK, map[string]any{"access_token": tok, "token_type": "Bearer", "resource": resource,
		"client_id": q.Get("client_id"), "expires_on": strconv.FormatInt(time.Now().Add(life).Unix(), 10)})
	return tenant
}

// Failure is a programmed failure of Graph calls. Build one with a
// constructor such as [Throttled] and narrow it with [Failure.On] and
// [Failure.Times].
type Failure struct {
	// Method limits the failure to one HTTP method ("" means any).
	Method string
	// Path is a path.Match pattern of the path after "/v1.0", e.g.
	// "/users/*/teamwork/sendActivityNotification" ("" means any).
	Path string
	// Status is the HTTP status to answer.
	Status int
	// Code and Message fill the Graph error body {"error":{"code","message"}};
	// an empty Message is left out of the body.
	Code, Message string
	// RetryAfter is sent as the Retry-After header when not empty.
	RetryAfter string
	// ContentType and Body, when Body is set, replace the JSON error body.
	ContentType, Body string
	// NoBody sends no body at all.
	NoBody bool
	// Count is how many matching requests fail: 0 means 1, a negative
	// number means all of them.
	Count int
	// Skip is how many matching requests succeed before the failures.
	Skip int
}

// After returns f letting n matching requests through before failing.
func (f Failure) After(n int) Failure {
	f.Skip = n
	return f
}

// On returns f limited to method and the path pattern (after "/v1.0").
func (f Failure) On(method, pathPattern string) Failure {
	f.Method, f.Path = method, pathPattern
	return f
}

// Times returns f failing n matching requests (n < 0: all).
func (f Failure) Times(n int) Failure {
	if n == 0 {
		n = -1
	}
	f.Count = n
	return f
}

// Throttled is a 429 TooManyRequests with the given Retry-After value
// (seconds or an HTTP date; "" sends no header).
func Throttled(retryAfter string) Failure {
	return Failure{Status: http.StatusTooManyRequests, Code: "TooManyRequests",
		Message: "Too many requests. Retry after some time.", RetryAfter: retryAfter}
}

// NotInstalled is the 403 Graph returns when the Teams app is not installed
// for the recipient (graph-msal-manifest.md §1.5).
func NotInstalled(entraAppID string) Failure {
	return Failure{Status: http.StatusForbidden, Code: "Forbidden", Message: notInstalledMessage(entraAppID, "users/recipient")}
}

func notInstalledMessage(appID, about string) string {
	return fmt.Sprintf("Application with AAD App Id '%s' is not authorized to generate custom text notifications about '%s' to the recipient. "+
		"Ensure that the expected Teams app is installed in the target scope (user, team, or chat).", appID, about)
}

// MissingPermission is the 403 for a token without TeamsActivity.Send.
func MissingPermission() Failure {
	return Failure{Status: http.StatusForbidden, Code: "Forbidden",
		Message: "Missing role permissions on the request. API requires one of 'TeamsActivity.Send, TeamsActivity.Send.User'. Roles on the request ''. Resource specific consent grants on the request ''."}
}

// Conflict is the 409 for several Teams apps sharing one Entra app ID.
func Conflict() Failure {
	return Failure{Status: http.StatusConflict, Code: "Conflict",
		Message: "Found multiple applications with the same Microsoft Entra App ID 'app-id'."}
}

// PreconditionFailed is the 412 of the bulk route for a short-lived token.
func PreconditionFailed() Failure {
	return Failure{Status: http.StatusPreconditionFailed, Code: "PreconditionFailed",
		Message: "The token provided must be at least 45 minutes from expiry."}
}

// ServerError is a JSON 5xx error.
func ServerError(status int) Failure {
	return Failure{Status: status, Code: "ServiceUnavailable", Message: "The service is temporarily unavailable."}
}

// HTMLError is an error with a text/html body, as a gateway sends.
func HTMLError(status int) Failure {
	return Failure{Status: status, ContentType: "text/html", Body: "<html><body><h1>Bad Gateway</h1></body></html>"}
}

// EmptyError is an error without a body.
func EmptyError(status int) Failure { return Failure{Status: status, NoBody: true} }

// NoMessageError is a JSON error whose body has a code but no message (the
// msgraph-sdk-go ODataError.Error() nil-pointer trap of §2.4).
func NoMessageError(status int, code string) Failure { return Failure{Status: status, Code: code} }

// Fail programs f: the next matching Graph requests get its response.
func (s *Server) Fail(f Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f.Count == 0 {
		f.Count = 1
	}
	s.failures = append(s.failures, &f)
}

// takeFailure returns the first programmed failure matching r, if any.
func (s *Server) takeFailure(method, graphPath string) (Failure, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.failures {
		if f.Method != "" && !strings.EqualFold(f.Method, method) {
			continue
		}
		if f.Path != "" {
			if ok, _ := path.Match(f.Path, graphPath); !ok {
				continue
			}
		}
		if f.Skip > 0 {
			f.Skip--
			return Failure{}, false
		}
		out := *f
		if f.Count > 0 {
			f.Count--
			if f.Count == 0 {
				s.failures = append(s.failures[:i], s.failures[i+1:]...)
			}
		}
		return out, true
	}
	return Failure{}, false
}

// writeFailure writes f.
func writeFailure(w http.ResponseWriter, f Failure) {
	if f.RetryAfter != "" {
		w.Header().Set("Retry-After", f.RetryAfter)
	}
	switch {
	case f.NoBody:
		w.WriteHeader(f.Status)
	case f.Body != "":
		w.Header().Set("Content-Type", f.ContentType)
		w.WriteHeader(f.Status)
		_, _ = io.WriteString(w, f.Body)
	default:
		writeError(w, f.Status, f.Code, f.Message, "")
	}
}

// writeJSON writes v as JSON with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// writeError writes a Graph error body; an empty message is left out.
func writeError(w http.ResponseWriter, status int, code, message, requestID string) {
	if requestID == "" {
		requestID = "req-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	}
	e := map[string]any{"code": code, "innerError": map[string]any{
		"date": time.Now().UTC().Format("2006-01-02T15:04:05"), "request-id": requestID, "client-request-id": requestID,
	}}
	if message != "" {
		e["message"] = message
	}
	writeJSON(w, status, map[string]any{"error": e})
}
