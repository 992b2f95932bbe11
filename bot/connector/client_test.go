package connector

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/bot/schema"
)

const testToken = "eyJ.secret-token.sig"

// recordedRequest is what the fake connector saw.
type recordedRequest struct {
	Method      string
	Path        string // decoded
	RawPath     string // as sent
	Auth        string
	ContentType string
	Body        []byte
}

// reply is one scripted answer of the fake connector.
type reply struct {
	status int
	body   string
	header map[string]string
}

// fakeConnector is an https Bot Connector that records requests and answers
// from a script (the last answer repeats).
type fakeConnector struct {
	srv    *httptest.Server
	mu     sync.Mutex
	reqs   []recordedRequest
	script []reply
}

func newFakeConnector(t *testing.T, script ...reply) *fakeConnector {
	t.Helper()
	f := &fakeConnector{script: script}
	f.srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		f.mu.Lock()
		f.reqs = append(f.reqs, recordedRequest{Method: r.Method, Path: r.URL.Path, RawPath: r.URL.EscapedPath(),
			Auth: r.Header.Get("Authorization"), ContentType: r.Header.Get("Content-Type"), Body: body})
		n := len(f.reqs)
		f.mu.Unlock()
		rep := reply{status: http.StatusOK, body: `{"id":"1"}`}
		if len(f.script) > 0 {
			rep = f.script[min(n, len(f.script))-1]
		}
		for k, v := range rep.header {
			w.Header().Set(k, v)
		}
		w.WriteHeader(rep.status)
		_, _ = io.WriteString(w, rep.body)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeConnector) requests() []recordedRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]recordedRequest(nil), f.reqs...)
}

// serviceURL is the fake's base, shaped like the Playground's.
func (f *fakeConnector) serviceURL() string { return f.srv.URL + "/_connector" }

type staticToken struct {
	mu    sync.Mutex
	calls int
	err   error
}

func (s *staticToken) Token(context.Context) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	if s.err != nil {
		return "", s.err
	}
	return testToken, nil
}

// sleepRecorder records the waits instead of sleeping.
type sleepRecorder struct {
	mu     sync.Mutex
	delays []time.Duration
	err    error
}

func (s *sleepRecorder) sleep(_ context.Context, d time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.delays = append(s.delays, d)
	return s.err
}

type countingObserver struct {
	mu  sync.Mutex
	got []string
}

func (o *countingObserver) ObserveCall(op, outcome string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.got = append(o.got, op+":"+outcome)
}

var testNow = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

type clientDeps struct {
	tokens   *staticToken
	sleeps   *sleepRecorder
	observer *countingObserver
	logs     *bytes.Buffer
}

func newTestClient(t *testing.T, f *fakeConnector, opts ...Option) (*Client, clientDeps) {
	t.Helper()
	trust, err := NewTrustedURLs(TrustConfig{Now: func() time.Time { return testNow }})
	require.NoError(t, err)
	trust.Record(f.serviceURL())
	d := clientDeps{tokens: &staticToken{}, sleeps: &sleepRecorder{}, observer: &countingObserver{}, logs: &bytes.Buffer{}}
	base := []Option{
		WithHTTPClient(f.srv.Client()),
		WithTokenSource(d.tokens),
		WithSleeper(d.sleeps.sleep),
		WithClock(func() time.Time { return testNow }),
		WithRand(func() float64 { return 0.5 }), // jitter factor exactly 1
		WithObserver(d.observer),
		WithLogger(slog.New(slog.NewTextHandler(d.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))),
	}
	c, err := New(trust, append(base, opts...)...)
	require.NoError(t, err)
	return c, d
}

func TestClient_Operations(t *testing.T) {
	const conv = "96b1454d-2c54-4b43-a954-297c9088b886"
	msg := &schema.Activity{Type: "message", Text: "echo: hi", From: &schema.ChannelAccount{ID: "bot"}}
	tests := []struct {
		name         string
		givenReply   reply
		when         func(ctx context.Context, c *Client, base string) (any, error)
		expectMethod string
		expectPath   string
		expectBody   string
		expectResult any
	}{
		{
			name:       "ok, reply answered 202 without body",
			givenReply: reply{status: 202},
			when: func(ctx context.Context, c *Client, base string) (any, error) {
				return c.ReplyToActivity(ctx, base, conv, "act-1", msg)
			},
			expectMethod: "POST", expectPath: "/_connector/v3/conversations/" + conv + "/activities/act-1",
			expectBody: `{"type":"message","text":"echo: hi","from":{"id":"bot"}}`, expectResult: &schema.ResourceResponse{},
		},
		{
			name:       "ok, send answered 201 with id",
			givenReply: reply{status: 201, body: `{"id":"1795782416281"}`},
			when: func(ctx context.Context, c *Client, base string) (any, error) {
				return c.SendToConversation(ctx, base, conv, msg)
			},
			expectMethod: "POST", expectPath: "/_connector/v3/conversations/" + conv + "/activities",
			expectBody: `{"type":"message","text":"echo: hi","from":{"id":"bot"}}`, expectResult: &schema.ResourceResponse{ID: "1795782416281"},
		},
		{
			name: "ok, members",
			givenReply: reply{status: 200, body: `[{"id":"user-id-0","objectId":"00000000-0000-0000-0000-0000000000020",` +
				`"name":"Alex Wilber","email":"alexw@example.com","tenantId":"t","userRole":"user"}]`},
			when: func(ctx context.Context, c *Client, base string) (any, error) {
				return c.GetConversationMembers(ctx, base, conv)
			},
			expectMethod: "GET", expectPath: "/_connector/v3/conversations/" + conv + "/members",
			expectResult: []schema.ChannelAccount{{ID: "user-id-0", ObjectID: "00000000-0000-0000-0000-0000000000020",
				Name: "Alex Wilber", Email: "alexw@example.com", TenantID: "t", UserRole: "user"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeConnector(t, tt.givenReply)
			c, d := newTestClient(t, f)
			got, err := tt.when(t.Context(), c, f.serviceURL())
			require.NoError(t, err)
			if tt.expectResult != nil {
				require.Equal(t, tt.expectResult, got)
			}
			reqs := f.requests()
			require.Len(t, reqs, 1)
			require.Equal(t, tt.expectMethod, reqs[0].Method)
			require.Equal(t, tt.expectPath, reqs[0].Path)
			require.Equal(t, "Bearer "+testToken, reqs[0].Auth)
			if tt.expectBody != "" {
				require.Equal(t, "application/json; charset=utf-8", reqs[0].ContentType)
				require.JSONEq(t, tt.expectBody, string(reqs[0].Body))
			} else {
				require.Empty(t, reqs[0].Body)
			}
			require.Empty(t, d.sleeps.delays)
			require.NotContains(t, d.logs.String(), testToken)
		})
	}
}

func TestClient_EscapesTeamsIDs(t *testing.T) {
	f := newFakeConnector(t, reply{status: 201, body: `{"id":"2"}`})
	c, _ := newTestClient(t, f)
	const conv = "19:abc@thread.skype;messageid=1795782527901"
	_, err := c.ReplyToActivity(t.Context(), f.serviceURL()+"/", conv, "1/2", &schema.Activity{Type: "message"})
	require.NoError(t, err)
	reqs := f.requests()
	require.Len(t, reqs, 1)
	require.Equal(t, "/_connector/v3/conversations/"+conv+"/activities/1/2", reqs[0].Path)
	require.Contains(t, reqs[0].RawPath, "%3Bmessageid=1795782527901/activities/1%2F2")
}

func TestClient_NoTokenSourceSendsNoAuthorization(t *testing.T) {
	f := newFakeConnector(t, reply{status: 201, body: `{"id":"2"}`})
	c, _ := newTestClient(t, f, WithTokenSource(nil))
	_, err := c.SendToConversation(t.Context(), f.serviceURL(), "c", &schema.Activity{Type: "message"})
	require.NoError(t, err)
	require.Empty(t, f.requests()[0].Auth)
}

func TestClient_RefusesUntrustedBeforeNetwork(t *testing.T) {
	f := newFakeConnector(t)
	tests := []struct {
		name     string
		givenCfg TrustConfig
		whenURL  string
	}{
		{name: "nok, not recorded", whenURL: f.srv.URL + "/other"},
		{name: "nok, local mode rejects remote", givenCfg: TrustConfig{LocalMode: true}, whenURL: "https://smba.trafficmanager.net/teams/"},
		{name: "nok, plain http", whenURL: "http://smba.trafficmanager.net/teams/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			trust, err := NewTrustedURLs(tt.givenCfg)
			require.NoError(t, err)
			tokens := &staticToken{}
			obs := &countingObserver{}
			c, err := New(trust, WithHTTPClient(f.srv.Client()), WithTokenSource(tokens), WithObserver(obs))
			require.NoError(t, err)
			_, err = c.SendToConversation(t.Context(), tt.whenURL, "c", &schema.Activity{Type: "message"})
			require.ErrorIs(t, err, ErrUntrustedServiceURL)
			require.Empty(t, f.requests())
			require.Zero(t, tokens.calls)
			require.Equal(t, []string{"send:untrusted"}, obs.got)
		})
	}
}

func TestClient_Retries(t *testing.T) {
	httpDate := testNow.Add(7 * time.Second).Format(http.TimeFormat)
	tests := []struct {
		name          string
		givenScript   []reply
		givenPolicy   RetryPolicy
		givenRand     float64
		expectCalls   int
		expectDelays  []time.Duration
		expectStatus  int // 0: success
		expectRetryAf time.Duration
	}{
		{name: "ok, 429 with Retry-After seconds", givenScript: []reply{
			{status: 429, header: map[string]string{"Retry-After": "3"}}, {status: 201, body: `{"id":"a"}`}},
			expectCalls: 2, expectDelays: []time.Duration{3 * time.Second}},
		{name: "ok, 429 with Retry-After fraction", givenScript: []reply{
			{status: 429, header: map[string]string{"Retry-After": "1.5"}}, {status: 201, body: `{"id":"a"}`}},
			expectCalls: 2, expectDelays: []time.Duration{1500 * time.Millisecond}},
		{name: "ok, 429 with Retry-After HTTP date", givenScript: []reply{
			{status: 429, header: map[string]string{"Retry-After": httpDate}}, {status: 201, body: `{"id":"a"}`}},
			expectCalls: 2, expectDelays: []time.Duration{7 * time.Second}},
		{name: "ok, 502 then 504 then 412 back off exponentially", givenScript: []reply{
			{status: 502}, {status: 504}, {status: 412}, {status: 200, body: `{"id":"a"}`}},
			expectCalls: 4, expectDelays: []time.Duration{time.Second, 2 * time.Second, 4 * time.Second}},
		{name: "ok, jitter low end", givenScript: []reply{{status: 503}, {status: 202}}, givenRand: 0.0001,
			expectCalls: 2, expectDelays: []time.Duration{time.Duration(float64(time.Second) * (0.8 + 0.4*0.0001))}},
		{name: "ok, backoff capped", givenPolicy: RetryPolicy{MaxAttempts: 3, BaseDelay: 15 * time.Second},
			givenScript: []reply{{status: 429}, {status: 429}, {status: 202}},
			expectCalls: 3, expectDelays: []time.Duration{15 * time.Second, 20 * time.Second}},
		{name: "nok, attempts exhausted", givenScript: []reply{{status: 429, header: map[string]string{"Retry-After": "1"}}},
			expectCalls: 4, expectDelays: []time.Duration{time.Second, time.Second, time.Second}, expectStatus: 429,
			expectRetryAf: time.Second},
		{name: "nok, Retry-After too long", givenScript: []reply{{status: 429, header: map[string]string{"Retry-After": "3600"}}},
			expectCalls: 1, expectStatus: 429, expectRetryAf: time.Hour},
		{name: "nok, 400 not retried", givenScript: []reply{{status: 400, body: `{"error":{"code":"BadArgument","message":"bad"}}`}},
			expectCalls: 1, expectStatus: 400},
		{name: "nok, 500 not retried", givenScript: []reply{{status: 500}}, expectCalls: 1, expectStatus: 500},
		{name: "nok, 403 blocked", givenScript: []reply{{status: 403,
			body: `{"errorCode":209,"message":"{\"subCode\":\"MessageWritesBlocked\"}"}`}}, expectCalls: 1, expectStatus: 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeConnector(t, tt.givenScript...)
			r := 0.5
			if tt.givenRand != 0 {
				r = tt.givenRand
			}
			c, d := newTestClient(t, f, WithRetryPolicy(tt.givenPolicy), WithRand(func() float64 { return r }))
			_, err := c.SendToConversation(t.Context(), f.serviceURL(), "c", &schema.Activity{Type: "message"})
			require.Len(t, f.requests(), tt.expectCalls)
			require.Equal(t, tt.expectDelays, d.sleeps.delays)
			require.Equal(t, tt.expectCalls, d.tokens.count(), "one token per attempt")
			for _, req := range f.requests() {
				require.JSONEq(t, `{"type":"message"}`, string(req.Body), "body re-sent on every attempt")
			}
			if tt.expectStatus == 0 {
				require.NoError(t, err)
				return
			}
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			require.Equal(t, tt.expectStatus, apiErr.StatusCode)
			require.Equal(t, tt.expectRetryAf, apiErr.RetryAfter)
			require.Equal(t, tt.expectStatus == 403, apiErr.Blocked())
			require.NotContains(t, err.Error(), f.srv.URL)
		})
	}
}

func (s *staticToken) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls
}

func TestClient_ErrorBodyAndCorrelation(t *testing.T) {
	f := newFakeConnector(t, reply{status: 501,
		body:   `{"error":{"code":"DeleteActivityAPINotImplemented","message":"The API to delete activity is not implemented yet"}}`,
		header: map[string]string{"X-Correlating-OperationId": "op-42"}})
	c, d := newTestClient(t, f)
	_, err := c.SendToConversation(t.Context(), f.serviceURL(), "c", &schema.Activity{Type: schema.ActivityTypeMessage})
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	require.Equal(t, "DeleteActivityAPINotImplemented", apiErr.Code)
	require.Equal(t, "op-42", apiErr.CorrelationID)
	require.False(t, apiErr.Retryable())
	require.Equal(t, "bot connector send: status 501 DeleteActivityAPINotImplemented: The API to delete activity is not implemented yet", err.Error())
	require.Equal(t, []string{"send:501"}, d.observer.got)
}

func TestClient_ContextCancelledDuringBackoff(t *testing.T) {
	f := newFakeConnector(t, reply{status: 429})
	c, d := newTestClient(t, f)
	d.sleeps.err = context.Canceled
	_, err := c.SendToConversation(t.Context(), f.serviceURL(), "c", &schema.Activity{Type: "message"})
	require.ErrorIs(t, err, context.Canceled)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr, "last failure kept")
	require.Len(t, f.requests(), 1)
}

func TestClient_ContextAlreadyDone(t *testing.T) {
	f := newFakeConnector(t)
	c, _ := newTestClient(t, f)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := c.SendToConversation(ctx, f.serviceURL(), "c", &schema.Activity{Type: "message"})
	require.ErrorIs(t, err, context.Canceled)
	require.Empty(t, f.requests())
}

func TestClient_DeadlineShorterThanBackoffStopsEarly(t *testing.T) {
	f := newFakeConnector(t, reply{status: 429, header: map[string]string{"Retry-After": "30"}})
	c, d := newTestClient(t, f)
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	_, err := c.SendToConversation(ctx, f.serviceURL(), "c", &schema.Activity{Type: "message"})
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	require.Empty(t, d.sleeps.delays)
	require.Len(t, f.requests(), 1)
}

func TestClient_TokenErrorNotRetriedAndNoNetwork(t *testing.T) {
	f := newFakeConnector(t)
	c, d := newTestClient(t, f)
	d.tokens.err = errors.New("msal: invalid_client")
	_, err := c.SendToConversation(t.Context(), f.serviceURL(), "c", &schema.Activity{Type: "message"})
	require.ErrorContains(t, err, "get token: msal: invalid_client")
	require.Empty(t, f.requests())
	require.Equal(t, 1, d.tokens.calls)
}

func TestClient_TransportErrorRetriedWithoutURLInError(t *testing.T) {
	f := newFakeConnector(t)
	base := f.serviceURL()
	f.srv.Close() // nothing listens any more
	c, d := newTestClient(t, f, WithRetryPolicy(RetryPolicy{MaxAttempts: 2}))
	_, err := c.SendToConversation(t.Context(), base, "secret-conv", &schema.Activity{Type: "message"})
	require.Error(t, err)
	require.NotContains(t, err.Error(), "secret-conv")
	require.Equal(t, []time.Duration{time.Second}, d.sleeps.delays)
	require.Equal(t, []string{"send:error", "send:error"}, d.observer.got)
	require.NotContains(t, d.logs.String(), "secret-conv")
}

func TestClient_SuccessWithUnexpectedBody(t *testing.T) {
	f := newFakeConnector(t, reply{status: 200, body: `not json`})
	c, _ := newTestClient(t, f)
	got, err := c.SendToConversation(t.Context(), f.serviceURL(), "c", &schema.Activity{Type: "message"})
	require.NoError(t, err)
	require.Empty(t, got.ID)
}

// TestClient_DoesNotFollowRedirects: a 3xx is the connector's answer (an
// error), not a place to send the reply to.
func TestClient_DoesNotFollowRedirects(t *testing.T) {
	for _, status := range []int{http.StatusMovedPermanently, http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		t.Run(strconv.Itoa(status), func(t *testing.T) {
			f := newFakeConnector(t, reply{status: status, header: map[string]string{"Location": "https://elsewhere.example/v3/x"}})
			c, _ := newTestClient(t, f)
			_, err := c.ReplyToActivity(context.Background(), f.serviceURL(), "a:conv", "1", &schema.Activity{Type: "message", Text: "hi"})
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			require.Equal(t, status, apiErr.StatusCode)
			require.Len(t, f.requests(), 1)
		})
	}
}
