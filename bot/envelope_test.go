package bot

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/bot/schema"
)

// envelopeRouter handles messages and searches, counting handler runs: the
// search command "ok" answers, "fail" fails, "panic" panics.
func envelopeRouter(runs *atomic.Int32) *Router {
	r := NewRouter()
	r.OnDefaultMessage(func(ctx context.Context, t *Turn) error {
		runs.Add(1)
		if strings.HasPrefix(t.Text(), "crash") {
			panic("message handler bug")
		}
		return nil
	})
	r.OnQuery(func(_ context.Context, _ *Turn, q schema.MessagingExtensionQuery) (*schema.MessagingExtensionResponse, error) {
		runs.Add(1)
		switch q.CommandID {
		case "fail":
			return nil, errBoom
		case "panic":
			panic("handler bug")
		}
		return schema.NewSearchMessageResponse("yes"), nil
	})
	return r
}

// searchInvoke is a composeExtension/query invoke of command.
func searchInvoke(t *testing.T, command string) []byte {
	return withField(t, fixtureBody(t, "invoke-composeExtension_query.json"), "value", map[string]any{"commandId": command})
}

// okSearch is the answer of the envelope router's "ok" search.
const okSearch = `{"composeExtension":{"type":"message","text":"yes"}}`

func TestEnvelope(t *testing.T) {
	msg := fixtureBody(t, "message.json")
	invoke := func(command string) []byte { return searchInvoke(t, command) }
	big := append([]byte(`{"type":"message","text":"`), bytes.Repeat([]byte("a"), 300<<10)...)
	big = append(big, `"}`...)
	tests := []struct {
		name         string
		whenMethod   string
		whenBody     []byte
		whenChunked  bool
		whenLength   int64 // a declared Content-Length other than the body's
		expectStatus int
		expectBody   string
		expectRuns   int32
	}{
		{name: "nok, GET is 405", whenMethod: http.MethodGet, expectStatus: 405},
		{name: "nok, PUT is 405", whenMethod: http.MethodPut, whenBody: msg, expectStatus: 405},
		{name: "nok, HEAD is 405", whenMethod: http.MethodHead, expectStatus: 405},
		{name: "nok, oversized body is 413", whenBody: big, expectStatus: 413},
		{name: "nok, oversized chunked body is 413", whenBody: big, whenChunked: true, expectStatus: 413},
		{name: "nok, body shorter than its Content-Length is 400", whenBody: msg, whenLength: int64(len(msg)) + 10, expectStatus: 400},
		{name: "nok, malformed JSON is 400", whenBody: []byte(`{"type":`), expectStatus: 400},
		{name: "nok, array is 400", whenBody: []byte(`[{"type":"message"}]`), expectStatus: 400},
		{name: "nok, null is 400", whenBody: []byte(`null`), expectStatus: 400},
		{name: "nok, empty body is 400", whenBody: []byte(``), expectStatus: 400},
		{name: "nok, wrong field type is 400", whenBody: []byte(`{"type":"message","from":"x"}`), expectStatus: 400},
		{name: "nok, no type is 400", whenBody: []byte(`{"text":"hi","id":"1"}`), expectStatus: 400},
		{name: "nok, empty type is 400", whenBody: []byte(`{"type":"","text":"hi"}`), expectStatus: 400},
		{name: "ok, unknown activity type is 200 and ignored", whenBody: withField(t, msg, "type", "somethingNew"), expectStatus: 200},
		{name: "nok, activity without channelId is 401", whenBody: []byte(`{"type":"message","id":"1"}`), expectStatus: 401},
		{name: "nok, webchat activity is 401", whenBody: withField(t, msg, "channelId", "webchat"), expectStatus: 401},
		{name: "nok, directline activity is 401", whenBody: withField(t, msg, "channelId", "directline"), expectStatus: 401},
		{name: "ok, emulator activity is served in local mode", whenBody: withField(t, msg, "channelId", "emulator"), expectStatus: 200, expectRuns: 1},
		{name: "nok, message without conversation is 400", whenBody: withField(t, msg, "conversation", nil), expectStatus: 400},
		{name: "nok, message without from is 400", whenBody: withField(t, msg, "from", nil), expectStatus: 400},
		{name: "nok, conversation without id is 400", whenBody: withField(t, msg, "conversation", map[string]any{"conversationType": "personal"}), expectStatus: 400},
		{name: "nok, invoke without from is 400", whenBody: withField(t, invoke("ok"), "from", nil), expectStatus: 400},
		{name: "ok, message is acknowledged 200 at once", whenBody: msg, expectStatus: 200, expectRuns: 1},
		{name: "nok, unknown invoke name is 501", whenBody: withField(t, invoke("ok"), "name", "task/fetch"), expectStatus: 501},
		{name: "nok, invoke without name is 501", whenBody: withField(t, invoke("ok"), "name", nil), expectStatus: 501},
		{name: "ok, invoke body returned", whenBody: invoke("ok"), expectStatus: 200, expectBody: okSearch, expectRuns: 1},
		{name: "nok, invoke handler error is 500 with generic body", whenBody: invoke("fail"), expectStatus: 500,
			expectBody: `{"error":{"code":"InternalError","message":"internal error"}}`, expectRuns: 1},
		{name: "nok, invoke handler panic is 500", whenBody: invoke("panic"), expectStatus: 500,
			expectBody: `{"error":{"code":"InternalError","message":"internal error"}}`, expectRuns: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var runs atomic.Int32
			h := newHarness(t, Config{}, envelopeRouter(&runs))
			method := tt.whenMethod
			if method == "" {
				method = http.MethodPost
			}
			var body io.Reader = bytes.NewReader(tt.whenBody)
			if tt.whenChunked {
				body = io.MultiReader(body) // hides the length: no Content-Length
			}
			req := httptest.NewRequest(method, PathMessages, body)
			if tt.whenChunked {
				req.ContentLength = -1
			}
			if tt.whenLength != 0 {
				req.ContentLength = tt.whenLength
			}
			rec := httptest.NewRecorder()
			h.bot.ServeHTTP(rec, req)
			require.Equal(t, tt.expectStatus, rec.Code)
			if tt.expectBody == "" {
				require.Empty(t, rec.Body.String())
			} else {
				require.JSONEq(t, tt.expectBody, rec.Body.String())
				require.Equal(t, "application/json; charset=utf-8", rec.Header().Get("Content-Type"))
			}
			if tt.expectStatus == 405 {
				require.Equal(t, "POST", rec.Header().Get("Allow"))
			}
			h.drain(t)
			require.Equal(t, tt.expectRuns, runs.Load())
		})
	}
}

func TestEnvelope_PanicKeepsServing(t *testing.T) {
	var runs atomic.Int32
	h := newHarness(t, Config{}, envelopeRouter(&runs))

	require.Equal(t, 500, h.post(t, searchInvoke(t, "panic")).Code)
	crash := withField(t, fixtureBody(t, "message.json"), "text", "crash now")
	require.Equal(t, 200, h.post(t, crash).Code, "a message is acknowledged before its handler runs")
	h2 := h.post(t, searchInvoke(t, "ok"))
	require.Equal(t, 200, h2.Code)
	require.JSONEq(t, okSearch, h2.Body.String())
	h.drain(t)
	require.Contains(t, h.logs.String(), "handler panicked")
	require.Contains(t, h.logs.String(), "message handler bug")
}

func TestAuth_FailureIs401WithEmptyBodyAndHandlerNeverRuns(t *testing.T) {
	const token = "Bearer eyJhbGciOiJSUzI1NiJ9.c2VjcmV0.sig"
	tests := []struct {
		name             string
		givenErr         error
		givenActivityErr error
		whenHeader       string
		whenFixture      string
		expectReason     string
		expectSeen       bool
	}{
		{name: "nok, message with bad token", givenErr: reasonErr{reason: "token expired"}, whenHeader: token,
			whenFixture: "message.json", expectReason: "token_expired"},
		{name: "nok, invoke with bad token", givenErr: reasonErr{reason: "invalid signature"}, whenHeader: token,
			whenFixture: "action-execute-invoke-adaptiveCard_action.json", expectReason: "invalid_signature"},
		{name: "nok, no header", givenErr: errBoom, whenFixture: "invoke-composeExtension_query.json", expectReason: "missing_header"},
		{name: "nok, plain error", givenErr: errBoom, whenHeader: token, whenFixture: "installationUpdate.json", expectReason: "invalid"},
		{name: "nok, activity not bound to the token", givenActivityErr: reasonErr{reason: "serviceurl claim mismatch"}, whenHeader: token,
			whenFixture: "message.json", expectReason: "serviceurl_claim_mismatch", expectSeen: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var runs atomic.Int32
			r := NewRouter()
			count := func(context.Context, *Turn) error { runs.Add(1); return nil }
			r.OnDefaultMessage(count)
			r.OnDefaultCardAction(func(context.Context, *Turn, schema.AdaptiveCardAction) (*schema.AdaptiveCardInvokeResponse, error) {
				runs.Add(1)
				return nil, nil
			})
			r.OnQuery(func(context.Context, *Turn, schema.MessagingExtensionQuery) (*schema.MessagingExtensionResponse, error) {
				runs.Add(1)
				return nil, nil
			})
			auth := &fakeAuth{err: tt.givenErr, activityErr: tt.givenActivityErr}
			h := newHarness(t, Config{AppID: "app-id"}, r, WithAuthenticator(auth))
			body := fixtureBody(t, tt.whenFixture)
			var rec *httptest.ResponseRecorder
			if tt.whenHeader != "" {
				rec = h.post(t, body, "Authorization", tt.whenHeader)
			} else {
				rec = h.post(t, body)
			}
			require.Equal(t, http.StatusUnauthorized, rec.Code)
			require.Empty(t, rec.Body.Bytes())
			h.drain(t)
			require.Zero(t, runs.Load(), "handler must not run")
			require.Zero(t, h.conn.count())
			require.Equal(t, 1, auth.calls)
			if tt.expectSeen {
				require.Equal(t, []string{"msteams http://localhost:56150/_connector"}, auth.seen)
			} else {
				require.Empty(t, auth.seen, "a refused token never gets its body read")
			}
			require.Equal(t, 1.0, testutil.ToFloat64(h.bot.metrics.authFailures.WithLabelValues(tt.expectReason)))
			require.NotContains(t, h.logs.String(), "eyJhbGciOiJSUzI1NiJ9")
			require.Contains(t, h.logs.String(), "inbound activity refused")
			require.ErrorIs(t, h.bot.TrustedURLs().Check("https://localhost:56150/_connector"), errUntrusted())
		})
	}
}

func TestAuth_SuccessRecordsServiceURL(t *testing.T) {
	var runs atomic.Int32
	r := NewRouter()
	r.OnDefaultMessage(func(context.Context, *Turn) error { runs.Add(1); return nil })
	h := newHarness(t, Config{AppID: "app-id"}, r, WithAuthenticator(&fakeAuth{}))
	const su = "https://smba.trafficmanager.net/emea/"
	trust := h.bot.TrustedURLs()
	require.Error(t, trust.Check("https://example.com/x/"))
	require.NoError(t, trust.Check(su), "default allowlist")
	const regional = "https://regional.botframework.example/apac/"
	require.Error(t, trust.Check(regional))
	rec := h.post(t, withField(t, fixtureBody(t, "message.json"), "serviceUrl", regional), "Authorization", "Bearer x")
	require.Equal(t, 200, rec.Code)
	h.drain(t)
	require.Equal(t, int32(1), runs.Load())
	require.NoError(t, trust.Check(regional))
}

func TestLocalMode_ListenAddress(t *testing.T) {
	tests := []struct {
		name      string
		givenCfg  Config
		givenAuth Authenticator
		expectErr error
		expectMsg string
	}{
		{name: "ok, default loopback", givenCfg: Config{}},
		{name: "ok, localhost", givenCfg: Config{ListenAddr: "localhost:3978"}},
		{name: "ok, ipv6 loopback", givenCfg: Config{ListenAddr: "[::1]:3978"}},
		{name: "nok, all interfaces", givenCfg: Config{ListenAddr: ":3978"}, expectErr: ErrLocalModeNotLoopback},
		{name: "nok, 0.0.0.0", givenCfg: Config{ListenAddr: "0.0.0.0:3978"}, expectErr: ErrLocalModeNotLoopback},
		{name: "nok, public ip", givenCfg: Config{ListenAddr: "203.0.113.7:3978"}, expectErr: ErrLocalModeNotLoopback},
		{name: "nok, garbage", givenCfg: Config{ListenAddr: "nonsense"}, expectMsg: "listen address"},
		{name: "ok, app id allows any address", givenCfg: Config{AppID: "app", ListenAddr: "0.0.0.0:3978"}, givenAuth: &fakeAuth{}},
		{name: "nok, app id without authenticator", givenCfg: Config{AppID: "app"}, expectMsg: "no authenticator"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			logs := &logBuffer{}
			opts := []Option{WithLogger(slogTo(logs))}
			if tt.givenAuth != nil {
				opts = append(opts, WithAuthenticator(tt.givenAuth))
			}
			b, err := New(tt.givenCfg, NewRouter(), opts...)
			switch {
			case tt.expectErr != nil:
				require.ErrorIs(t, err, tt.expectErr)
				require.Contains(t, err.Error(), "127.0.0.1")
				return
			case tt.expectMsg != "":
				require.ErrorContains(t, err, tt.expectMsg)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.givenCfg.AppID == "", b.LocalMode())
			if b.LocalMode() {
				require.Contains(t, logs.String(), "level=WARN")
				require.Contains(t, logs.String(), "LOCAL MODE")
				require.Contains(t, logs.String(), "inbound authentication is OFF")
			} else {
				require.NotContains(t, logs.String(), "LOCAL MODE")
			}
		})
	}
}

func TestLocalMode_NoAuthAndLoopbackConnectorOnly(t *testing.T) {
	var runs atomic.Int32
	r := NewRouter()
	r.OnDefaultMessage(func(context.Context, *Turn) error { runs.Add(1); return nil })
	auth := &fakeAuth{err: errBoom}
	h := newHarness(t, Config{}, r, WithAuthenticator(auth))
	rec := h.post(t, fixtureBody(t, "message-with-dummy-jwt-teams-ai-v2-dotnet.json"), "Authorization", "Bearer dummy")
	require.Equal(t, 200, rec.Code)
	h.drain(t)
	require.Equal(t, int32(1), runs.Load())
	require.Zero(t, auth.calls, "the authenticator is not called in local mode")
	trust := h.bot.TrustedURLs()
	require.NoError(t, trust.Check("http://localhost:56150/_connector"))
	require.Error(t, trust.Check("https://smba.trafficmanager.net/teams/"))
}

func TestTenantAllowlist(t *testing.T) {
	tests := []struct {
		name         string
		givenAllowed []string
		whenFixture  string
		expectStatus int
		expectRuns   int32
	}{
		{name: "ok, empty list serves all", whenFixture: "message.json", expectStatus: 200, expectRuns: 1},
		{name: "ok, listed tenant", givenAllowed: []string{"other", playgroundTen}, whenFixture: "message.json", expectStatus: 200, expectRuns: 1},
		{name: "nok, message from unlisted tenant ignored", givenAllowed: []string{"other"}, whenFixture: "message.json", expectStatus: 200},
		{name: "nok, invoke from unlisted tenant is 403", givenAllowed: []string{"other"},
			whenFixture: "action-execute-invoke-adaptiveCard_action.json", expectStatus: 403},
		{name: "ok, invoke from listed tenant", givenAllowed: []string{playgroundTen},
			whenFixture: "action-execute-invoke-adaptiveCard_action.json", expectStatus: 200, expectRuns: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var runs atomic.Int32
			r := NewRouter()
			r.OnDefaultMessage(func(context.Context, *Turn) error { runs.Add(1); return nil })
			r.OnDefaultCardAction(func(context.Context, *Turn, schema.AdaptiveCardAction) (*schema.AdaptiveCardInvokeResponse, error) {
				runs.Add(1)
				return schema.NewCardInvokeResponse("ok"), nil
			})
			h := newHarness(t, Config{AllowedTenants: tt.givenAllowed}, r)
			rec := h.post(t, fixtureBody(t, tt.whenFixture))
			require.Equal(t, tt.expectStatus, rec.Code)
			h.drain(t)
			require.Equal(t, tt.expectRuns, runs.Load())
			if tt.expectRuns == 0 {
				require.Contains(t, h.logs.String(), "tenant not allowed")
				require.Contains(t, h.logs.String(), "refused_tenant_id="+playgroundTen)
			}
		})
	}
}

func TestIdempotency_RedeliveredActivityProcessedOnce(t *testing.T) {
	var runs atomic.Int32
	r := NewRouter()
	r.OnDefaultMessage(func(ctx context.Context, t *Turn) error {
		runs.Add(1)
		_, err := t.Reply(ctx, "echo: "+t.Text())
		return err
	})
	h := newHarness(t, Config{}, r)
	body := fixtureBody(t, "message.json")
	for range 3 {
		require.Equal(t, 200, h.post(t, body).Code)
	}
	// Same id in another conversation is a different activity.
	other := withField(t, body, "conversation", map[string]any{"id": "other-conv", "conversationType": "personal"})
	require.Equal(t, 200, h.post(t, other).Code)
	h.drain(t)
	require.Equal(t, int32(2), runs.Load())
	require.Equal(t, 2, h.conn.count())
	require.Contains(t, h.logs.String(), "duplicate activity ignored")
}

func TestIdempotency_DeduperFailureProcesses(t *testing.T) {
	var runs atomic.Int32
	r := NewRouter()
	r.OnDefaultMessage(func(context.Context, *Turn) error { runs.Add(1); return nil })
	h := newHarness(t, Config{}, r, WithDeduper(failingDeduper{}))
	require.Equal(t, 200, h.post(t, fixtureBody(t, "message.json")).Code)
	h.drain(t)
	require.Equal(t, int32(1), runs.Load())
	require.Contains(t, h.logs.String(), "dedup unavailable")
}

type failingDeduper struct{}

func (failingDeduper) MarkSeen(context.Context, string, time.Duration) (bool, error) {
	return false, errBoom
}

func TestInvokeTimeout(t *testing.T) {
	tests := []struct {
		name       string
		whenBody   func(t *testing.T) []byte
		expectCode int
		expectBody string
	}{
		{name: "card action", whenBody: func(t *testing.T) []byte { return fixtureBody(t, "action-execute-invoke-adaptiveCard_action.json") },
			expectCode: 200, expectBody: `{"statusCode":504,"type":"application/vnd.microsoft.error","value":{"code":"Timeout","message":"This is taking too long. Try again in a moment."}}`},
		{name: "query", whenBody: func(t *testing.T) []byte { return fixtureBody(t, "invoke-composeExtension_query.json") },
			expectCode: 200, expectBody: `{"composeExtension":{"type":"message","text":"This is taking too long. Try again in a moment."}}`},
		{name: "query in French", whenBody: func(t *testing.T) []byte {
			return withField(t, fixtureBody(t, "invoke-composeExtension_query.json"), "locale", "fr-FR")
		}, expectCode: 200, expectBody: `{"composeExtension":{"type":"message","text":"Cela prend trop de temps. Réessayez dans un instant."}}`},
		{name: "other invoke", whenBody: func(t *testing.T) []byte {
			return withField(t, fixtureBody(t, "invoke-composeExtension_query.json"), "name", "custom/slow")
		}, expectCode: 504, expectBody: `{"error":{"code":"Timeout","message":"timed out"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			release := make(chan struct{})
			block := func(ctx context.Context) { <-ctx.Done(); <-release }
			r := NewRouter()
			r.OnDefaultCardAction(func(ctx context.Context, _ *Turn, _ schema.AdaptiveCardAction) (*schema.AdaptiveCardInvokeResponse, error) {
				block(ctx)
				return schema.NewCardInvokeResponse("late"), nil
			})
			r.OnQuery(func(ctx context.Context, _ *Turn, _ schema.MessagingExtensionQuery) (*schema.MessagingExtensionResponse, error) {
				block(ctx)
				return nil, nil
			})
			// An invoke no route handles still runs the middleware.
			r.Use(func(next HandlerFunc) HandlerFunc {
				return func(ctx context.Context, t *Turn) (*schema.InvokeResponse, error) {
					if t.Activity.Name == "custom/slow" {
						block(ctx)
					}
					return next(ctx, t)
				}
			})
			h := newHarness(t, Config{InvokeTimeout: 20 * time.Millisecond}, r)
			rec := h.post(t, tt.whenBody(t))
			close(release)
			require.Equal(t, tt.expectCode, rec.Code)
			require.JSONEq(t, tt.expectBody, rec.Body.String())
			require.Equal(t, 1.0, testutil.ToFloat64(h.bot.metrics.dropped.WithLabelValues("invoke_timeout")))
		})
	}
}

func TestOpsEndpoints(t *testing.T) {
	store := newMemStore()
	r := NewRouter()
	r.OnDefaultMessage(func(context.Context, *Turn) error { return nil })
	h := newHarness(t, Config{}, r, WithPinger(store), WithFeatures([]string{"inbound_auth", "chat_alerts"}))
	get := func(path string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		h.bot.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		return rec
	}
	require.Equal(t, 200, get(PathHealth).Code)
	ready := get(PathReady)
	require.Equal(t, 200, ready.Code)
	require.JSONEq(t, `{"status":"ready","features":["inbound_auth","chat_alerts"]}`, ready.Body.String())
	store.err = errBoom
	ready = get(PathReady)
	require.Equal(t, 503, ready.Code)
	require.JSONEq(t, `{"status":"not ready","features":["inbound_auth","chat_alerts"]}`, ready.Body.String())
	require.Equal(t, 200, get(PathHealth).Code, "liveness has no dependencies")
	store.err = nil
	require.Equal(t, 404, get("/nope").Code)

	require.Equal(t, 200, h.post(t, fixtureBody(t, "message.json")).Code)
	require.Equal(t, 400, h.post(t, []byte(`{}`)).Code)
	rec := get(PathMetrics)
	require.Equal(t, 200, rec.Code)
	text := rec.Body.String()
	for _, want := range []string{
		`attestbot_http_requests_total{code="200",route="/api/messages"} 1`,
		`attestbot_http_requests_total{code="400",route="/api/messages"} 1`,
		`attestbot_http_requests_total{code="503",route="/readyz"} 1`,
		`attestbot_http_requests_total{code="404",route="unmatched"} 1`,
		`attestbot_activities_total{type="message"} 1`,
		"go_goroutines",
	} {
		require.Contains(t, text, want)
	}
	h.drain(t)
	require.Equal(t, 1, testutil.CollectAndCount(h.bot.metrics.turnLatency))
	require.Equal(t, 1.0, testutil.ToFloat64(h.bot.metrics.activities.WithLabelValues("message")))
}

func TestConnectorCallsMetric(t *testing.T) {
	h := newHarness(t, Config{}, NewRouter())
	h.bot.metrics.ObserveCall("reply", "202")
	require.Equal(t, 1.0, testutil.ToFloat64(h.bot.metrics.connectorCalls.WithLabelValues("reply", "202")))
}

func TestAuthReasonLabel(t *testing.T) {
	require.Equal(t, "serviceurl_claim_mismatch", authReason("Bearer x", reasonErr{reason: "serviceurl claim mismatch"}))
	require.Equal(t, "missing_header", authReason(" ", errBoom))
	require.Equal(t, "invalid", authReason("Bearer x", reasonErr{reason: ""}))
	require.Len(t, authReason("x", reasonErr{reason: strings.Repeat("Z", 100)}), 40)
}
