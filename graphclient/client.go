package graphclient

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/attestbot/attestbot/internal/retry"
	abs "github.com/microsoft/kiota-abstractions-go"
	"github.com/microsoft/kiota-abstractions-go/serialization"
	khttp "github.com/microsoft/kiota-http-go"
	jsonser "github.com/microsoft/kiota-serialization-json-go"
	textser "github.com/microsoft/kiota-serialization-text-go"
	msgraphcore "github.com/microsoftgraph/msgraph-sdk-go-core"
	graphauth "github.com/microsoftgraph/msgraph-sdk-go-core/authentication"
	"github.com/microsoftgraph/msgraph-sdk-go/appcatalogs"
	"github.com/microsoftgraph/msgraph-sdk-go/serviceprincipals"
	"github.com/microsoftgraph/msgraph-sdk-go/teamwork"
	"github.com/microsoftgraph/msgraph-sdk-go/users"
)

// sdkVersion is the msgraph-sdk-go version reported in SdkVersion headers.
const sdkVersion = "1.89.0"

// Defaults of [Config].
const (
	DefaultTimeout      = 30 * time.Second
	DefaultReadRetries  = 2
	DefaultMaxRetryWait = 10 * time.Second
	DefaultConcurrency  = 4
	// DefaultBulkInterval spaces the requests of one split bulk
	// notification: the route allows 2 requests per second per tenant (§1.4).
	DefaultBulkInterval = 500 * time.Millisecond
	// MaxBulkRecipients is the most recipients of one bulk request (§1.4).
	MaxBulkRecipients = 100
	// maxInValues is the most values Graph takes in a $filter "in" list.
	maxInValues = 15
	// bulkTokenLifetime is what the bulk route needs left on the token
	// (45 minutes, §1.1) plus a margin for the request itself.
	bulkTokenLifetime = 46 * time.Minute
)

// Config configures a [Client].
type Config struct {
	// GraphURL is the Graph host (default DefaultGraphURL): https, or http
	// on a loopback host. Calls go to GraphURL + "/v1.0", tokens are asked
	// for GraphURL + "/.default".
	GraphURL string
	// HTTPClient is the parent client; its Transport (nil: the default
	// transport, which trusts the system pool) carries the SDK middleware.
	// It is not modified. Tests inject graphtest's client.
	HTTPClient *http.Client
	// Timeout bounds each HTTP request (default DefaultTimeout; the
	// HTTPClient's own Timeout wins when set).
	Timeout time.Duration
	// ReadRetries is how many times a GET is retried on 429, 503 and 504,
	// honouring Retry-After (default DefaultReadRetries; negative: none).
	// POSTs are never retried by the client: the caller (the notify
	// outbox) owns those retries.
	ReadRetries int
	// MaxRetryWait is the longest Retry-After a GET retry waits for;
	// longer waits are returned to the caller as ErrThrottled (default
	// DefaultMaxRetryWait).
	MaxRetryWait time.Duration
	// Concurrency bounds the parallel requests of the Entra lookups
	// (default DefaultConcurrency).
	Concurrency int
	// BulkInterval is the pause between the requests of a split bulk
	// notification (default DefaultBulkInterval; negative: none).
	BulkInterval time.Duration
	// Logger receives Debug events (nil discards). Tokens and secrets are
	// never logged.
	Logger *slog.Logger
	// Now returns the current time (default time.Now).
	Now func() time.Time
}

// Client calls Microsoft Graph through msgraph-sdk-go with one request
// adapter per tenant, each pinned to that tenant's token. It is safe for
// concurrent use.
type Client struct {
	cfg        Config
	cred       azcore.TokenCredential
	httpClient *http.Client
	graphURL   string
	host       string
	logger     *slog.Logger
	now        func() time.Time

	mu      sync.Mutex
	tenants map[string]*tenantClient
}

// tenantClient holds the SDK request builders of one tenant.
type tenantClient struct {
	id        string
	adapter   abs.RequestAdapter
	users     *users.UsersRequestBuilder
	teamwork  *teamwork.TeamworkRequestBuilder
	catalogs  *appcatalogs.AppCatalogsRequestBuilder
	sps       *serviceprincipals.ServicePrincipalsRequestBuilder
	resources *resourceCache
}

var registerSerializers sync.Once

// New builds a Client that authenticates with cred (an [*AppCredential], a
// [*DeviceCodeCredential] or any azcore.TokenCredential that honours
// TokenRequestOptions.TenantID).
//
// The SDK middleware is assembled explicitly, in a fixed order: Graph
// telemetry, query parameter name decoding, user agent, retry (GET only),
// redirect and an innermost response recorder. Request compression is left
// out on purpose: kiota-http-go's compression handler sends retried POSTs
// with a gzip header over an uncompressed or empty body (§2.5,
// microsoft/kiota-http-go#183).
func New(cfg Config, cred azcore.TokenCredential) (*Client, error) {
	if cred == nil {
		return nil, errors.New("graph client: a credential is required")
	}
	if cfg.GraphURL == "" {
		cfg.GraphURL = DefaultGraphURL
	}
	graphURL, err := normalizeBaseURL("graph url", cfg.GraphURL, true)
	if err != nil {
		return nil, fmt.Errorf("graph client: %w", err)
	}
	u, _ := url.Parse(graphURL)
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.ReadRetries == 0 {
		cfg.ReadRetries = DefaultReadRetries
	}
	if cfg.MaxRetryWait <= 0 {
		cfg.MaxRetryWait = DefaultMaxRetryWait
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = DefaultConcurrency
	}
	if cfg.BulkInterval == 0 {
		cfg.BulkInterval = DefaultBulkInterval
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	registerSerializers.Do(func() {
		// What msgraph.NewGraphBaseServiceClient registers; the root
		// package (84 sub-packages) is not imported to save build time.
		abs.RegisterDefaultSerializer(func() serialization.SerializationWriterFactory {
			return jsonser.NewJsonSerializationWriterFactory()
		})
		abs.RegisterDefaultSerializer(func() serialization.SerializationWriterFactory {
			return textser.NewTextSerializationWriterFactory()
		})
		abs.RegisterDefaultDeserializer(func() serialization.ParseNodeFactory { return jsonser.NewJsonParseNodeFactory() })
		abs.RegisterDefaultDeserializer(func() serialization.ParseNodeFactory { return textser.NewTextParseNodeFactory() })
		// Wrap the default registries in backing-store proxies now, once,
		// rather than first from concurrent adapter constructions.
		abs.EnableBackingStoreForParseNodeFactory(serialization.DefaultParseNodeFactoryInstance)
		abs.EnableBackingStoreForSerializationWriterFactory(serialization.DefaultSerializationWriterFactoryInstance)
	})
	c := &Client{cfg: cfg, cred: cred, graphURL: graphURL, host: u.Hostname(), logger: cfg.Logger, now: cfg.Now,
		tenants: map[string]*tenantClient{}}
	c.httpClient = c.buildHTTPClient()
	return c, nil
}

// GraphURL returns the configured Graph host.
func (c *Client) GraphURL() string { return c.graphURL }

// buildHTTPClient wraps the parent transport with the SDK middleware.
func (c *Client) buildHTTPClient() *http.Client {
	parent := http.DefaultTransport
	timeout := c.cfg.Timeout
	if c.cfg.HTTPClient != nil {
		if c.cfg.HTTPClient.Transport != nil {
			parent = c.cfg.HTTPClient.Transport
		}
		if c.cfg.HTTPClient.Timeout > 0 {
			timeout = c.cfg.HTTPClient.Timeout
		}
	}
	opts := msgraphcore.GraphClientOptions{GraphServiceLibraryVersion: sdkVersion, GraphServiceVersion: "v1.0"}
	maxWait := c.cfg.MaxRetryWait
	now := c.now
	retry := khttp.NewRetryHandlerWithOptions(khttp.RetryHandlerOptions{
		MaxRetries: max(c.cfg.ReadRetries, 1),
		ShouldRetry: func(_ time.Duration, attempt int, req *http.Request, resp *http.Response) bool {
			// Only reads, only as often as configured, only for waits the
			// caller would not rather schedule itself.
			if req.Method != http.MethodGet || c.cfg.ReadRetries < 0 || attempt >= c.cfg.ReadRetries {
				return false
			}
			wait, _ := retry.FromHeader(resp.Header, now())
			return wait <= maxWait
		},
	})
	mw := []khttp.Middleware{
		msgraphcore.NewGraphTelemetryHandler(&opts),
		khttp.NewParametersNameDecodingHandler(),
		khttp.NewUserAgentHandler(),
		retry,
		khttp.NewRedirectHandler(),
		recorder{},
	}
	return &http.Client{
		Timeout:   timeout,
		Transport: khttp.NewCustomTransportWithParentTransport(parent, mw...),
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse // the redirect middleware decides
		},
	}
}

// tenant returns the request builders of tenantID, building them once.
// tenantID may be empty for a delegated client (the signed-in user's
// tenant).
func (c *Client) tenant(tenantID string) (*tenantClient, error) {
	if tenantID != "" {
		if err := checkTenant(tenantID); err != nil {
			return nil, &Error{Op: "graph client", kind: ErrBadRequest, Message: err.Error()}
		}
	}
	key := strings.ToLower(tenantID)
	c.mu.Lock()
	defer c.mu.Unlock()
	if t, ok := c.tenants[key]; ok {
		return t, nil
	}
	auth, err := graphauth.NewAzureIdentityAuthenticationProviderWithScopesAndValidHosts(
		tenantCredential{inner: c.cred, tenant: tenantID}, []string{graphScope(c.graphURL)}, []string{c.host})
	if err != nil {
		return nil, fmt.Errorf("graph auth provider: %w", err)
	}
	adapter, err := msgraphcore.NewGraphRequestAdapterBaseWithParseNodeFactoryAndSerializationWriterFactoryAndHttpClient(
		auth, msgraphcore.GraphClientOptions{GraphServiceLibraryVersion: sdkVersion, GraphServiceVersion: "v1.0"}, nil, nil, c.httpClient)
	if err != nil {
		return nil, fmt.Errorf("graph request adapter: %w", err)
	}
	base := c.graphURL + "/v1.0"
	adapter.SetBaseUrl(base)
	// nil: keep kiota's default in-memory store. Passing
	// store.BackingStoreFactoryInstance, as msgraph.NewGraphServiceClient
	// does, rewrites that package variable on every call: a data race
	// with concurrent model constructors.
	adapter.EnableBackingStore(nil)
	pp := func() map[string]string { return map[string]string{"baseurl": base} }
	t := &tenantClient{
		id:        tenantID,
		adapter:   adapter,
		users:     users.NewUsersRequestBuilderInternal(pp(), adapter),
		teamwork:  teamwork.NewTeamworkRequestBuilderInternal(pp(), adapter),
		catalogs:  appcatalogs.NewAppCatalogsRequestBuilderInternal(pp(), adapter),
		sps:       serviceprincipals.NewServicePrincipalsRequestBuilderInternal(pp(), adapter),
		resources: newResourceCache(),
	}
	c.tenants[key] = t
	return t, nil
}

// capture receives the last error response of one SDK call (status,
// headers, body), recorded by the innermost middleware. Classifying from it
// rather than from the SDK's error value keeps the status of non-JSON
// bodies (which the SDK turns into a plain string error, §2.4) and avoids
// ODataError.Error(), which panics when the body has no message.
type capture struct {
	mu     sync.Mutex
	status int
	header http.Header
	body   []byte
}

type captureKey struct{}

// recorder is the innermost middleware: it records error responses in the
// call's capture and leaves the response intact for the SDK.
type recorder struct{}

// Intercept implements khttp.Middleware.
func (recorder) Intercept(p khttp.Pipeline, i int, req *http.Request) (*http.Response, error) {
	resp, err := p.Next(req, i)
	if err != nil || resp == nil || resp.StatusCode < 400 {
		return resp, err
	}
	cp, ok := req.Context().Value(captureKey{}).(*capture)
	if !ok {
		return resp, nil
	}
	var body []byte
	if resp.Body != nil {
		body, _ = io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		_ = resp.Body.Close()
		resp.Body = io.NopCloser(bytes.NewReader(body))
	}
	cp.mu.Lock()
	cp.status, cp.header, cp.body = resp.StatusCode, resp.Header.Clone(), body
	cp.mu.Unlock()
	return resp, nil
}

// call runs one SDK call with a capture and turns its error into an
// [*Error].
func (c *Client) call(ctx context.Context, op string, fn func(ctx context.Context) error) error {
	cp := &capture{}
	err := fn(context.WithValue(ctx, captureKey{}, cp))
	if err == nil {
		return nil
	}
	cp.mu.Lock()
	status, header, body := cp.status, cp.header, cp.body
	cp.mu.Unlock()
	var e *Error
	switch {
	case errors.As(err, &e):
		// A token error from this package's credentials.
		return fmt.Errorf("%s: %w", op, e)
	case status >= 400:
		return classify(op, status, header, body, c.now())
	case ctx.Err() != nil:
		return &Error{Op: op, kind: ErrTransport, cause: ctx.Err()}
	default:
		return &Error{Op: op, kind: ErrTransport, retryable: true, cause: errors.New(safeMessage(err))}
	}
}

// safeMessage returns err's text, recovering from SDK errors whose Error
// method panics (ODataError without a message).
func safeMessage(err error) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = fmt.Sprintf("%T", err)
		}
	}()
	return err.Error()
}

// badInput is a validation error raised before any request is sent.
func badInput(op, format string, args ...any) *Error {
	return &Error{Op: op, kind: ErrBadRequest, Message: fmt.Sprintf(format, args...)}
}

// checkID validates an identifier put in a URL or a $filter.
func checkID(op, what, id string) error {
	if !idRE.MatchString(id) {
		return badInput(op, "invalid %s %q", what, id)
	}
	return nil
}
