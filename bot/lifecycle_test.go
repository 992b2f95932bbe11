package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/bot/connector"
	"github.com/attestbot/attestbot/bot/schema"
)

// tlsConnector is an https Bot Connector on 127.0.0.1 that records requests.
type tlsConnector struct {
	srv   *httptest.Server
	mu    sync.Mutex
	reqs  []*schema.Activity
	auth  []string
	paths []string
	got   chan struct{}
}

func newTLSConnector(t testing.TB) *tlsConnector {
	t.Helper()
	c := &tlsConnector{got: make(chan struct{}, 64)}
	c.srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var a schema.Activity
		_ = json.NewDecoder(r.Body).Decode(&a)
		c.mu.Lock()
		c.reqs = append(c.reqs, &a)
		c.auth = append(c.auth, r.Header.Get("Authorization"))
		c.paths = append(c.paths, r.URL.Path)
		c.mu.Unlock()
		c.got <- struct{}{}
		w.WriteHeader(http.StatusAccepted) // like the Playground: 202, no body
	}))
	t.Cleanup(c.srv.Close)
	return c
}

func (c *tlsConnector) serviceURL() string { return c.srv.URL + "/_connector" }

func (c *tlsConnector) wait(t testing.TB) {
	t.Helper()
	select {
	case <-c.got:
	case <-time.After(waitLimit):
		t.Fatal("connector got nothing")
	}
}

type fixedToken string

func (f fixedToken) Token(context.Context) (string, error) { return string(f), nil }

func TestConnectorIntegration_LocalAndAuthenticated(t *testing.T) {
	tests := []struct {
		name       string
		givenCfg   Config
		givenOpts  []Option
		expectAuth string
	}{
		{name: "local mode: loopback connector, no token", givenCfg: Config{}, givenOpts: []Option{WithTokenSource(fixedToken("never-sent"))}},
		{name: "authenticated: bearer token", givenCfg: Config{AppID: "app"},
			givenOpts: []Option{WithAuthenticator(&fakeAuth{}), WithTokenSource(fixedToken("tok-123"))}, expectAuth: "Bearer tok-123"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conn := newTLSConnector(t)
			r := NewRouter()
			r.OnDefaultMessage(func(ctx context.Context, t *Turn) error {
				_, err := t.Reply(ctx, "echo: "+t.Text())
				return err
			})
			opts := append([]Option{WithConnectorOptions(connector.WithHTTPClient(conn.srv.Client())),
				WithLogger(slogTo(io.Discard))}, tt.givenOpts...)
			b, err := New(tt.givenCfg, r, opts...)
			require.NoError(t, err)
			body := withField(t, fixtureBody(t, "007-in-message.json"), "serviceUrl", conn.serviceURL())
			req := httptest.NewRequest(http.MethodPost, PathMessages, bytes.NewReader(body))
			req.Header.Set("Authorization", "Bearer inbound")
			rec := httptest.NewRecorder()
			b.ServeHTTP(rec, req)
			require.Equal(t, 200, rec.Code)
			conn.wait(t)
			conn.mu.Lock()
			defer conn.mu.Unlock()
			require.Equal(t, "echo: hello playground", conn.reqs[0].Text)
			require.Equal(t, tt.expectAuth, conn.auth[0])
			require.Equal(t, "/_connector/v3/conversations/96b1454d-2c54-4b43-a954-297c9088b886/activities/c399851b-9353-421a-9682-abf4e20455cb", conn.paths[0])
		})
	}
}

func TestConnectorIntegration_UntrustedServiceURLNeverCalled(t *testing.T) {
	conn := newTLSConnector(t)
	replyErr := make(chan error, 1)
	r := NewRouter()
	r.OnDefaultMessage(func(ctx context.Context, t *Turn) error {
		_, err := t.Reply(ctx, "x")
		replyErr <- err
		return err
	})
	// Authenticated mode: the (fake) authenticator accepts the activity, but
	// its plain-http serviceUrl is never trusted, so the reply is refused
	// before any network call.
	b, err := New(Config{AppID: "app"}, r, WithAuthenticator(&fakeAuth{}),
		WithConnectorOptions(connector.WithHTTPClient(conn.srv.Client())), WithLogger(slogTo(io.Discard)))
	require.NoError(t, err)
	body := withField(t, fixtureBody(t, "message.json"), "serviceUrl", "http://"+conn.srv.Listener.Addr().String()+"/_connector")
	rec := httptest.NewRecorder()
	b.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, PathMessages, bytes.NewReader(body)))
	require.Equal(t, 200, rec.Code)
	select {
	case err := <-replyErr:
		require.ErrorIs(t, err, connector.ErrUntrustedServiceURL)
	case <-time.After(waitLimit):
		t.Fatal("handler did not run")
	}
	conn.mu.Lock()
	defer conn.mu.Unlock()
	require.Empty(t, conn.reqs)
}

func TestGracefulShutdown_InFlightTurnsFinish(t *testing.T) {
	conn := newTLSConnector(t)
	msgStarted, invStarted, release := make(chan struct{}), make(chan struct{}), make(chan struct{})
	r := NewRouter()
	r.OnDefaultMessage(func(ctx context.Context, t *Turn) error {
		close(msgStarted)
		<-release
		_, err := t.Reply(ctx, "finished after shutdown began")
		return err
	})
	r.OnQuery(func(context.Context, *Turn, schema.MessagingExtensionQuery) (*schema.MessagingExtensionResponse, error) {
		close(invStarted)
		<-release
		return schema.NewSearchMessageResponse("done"), nil
	})
	b, err := New(Config{}, r, WithConnectorOptions(connector.WithHTTPClient(conn.srv.Client())), WithLogger(slogTo(io.Discard)))
	require.NoError(t, err)
	var lc net.ListenConfig
	ln, err := lc.Listen(t.Context(), "tcp", "127.0.0.1:0")
	require.NoError(t, err)
	base := "http://" + ln.Addr().String()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	served := make(chan error, 1)
	go func() { served <- b.Serve(ctx, ln) }()

	msg := withField(t, fixtureBody(t, "message.json"), "serviceUrl", conn.serviceURL())
	resp, err := http.Post(base+PathMessages, "application/json", bytes.NewReader(msg))
	require.NoError(t, err)
	require.Equal(t, 200, resp.StatusCode, "acknowledged before the handler finishes")
	_ = resp.Body.Close()
	<-msgStarted

	type invokeAnswer struct {
		status int
		body   string
		err    error
	}
	invoked := make(chan invokeAnswer, 1)
	go func() {
		inv := fixtureBody(t, "invoke-composeExtension_query.json")
		resp, err := http.Post(base+PathMessages, "application/json", bytes.NewReader(inv))
		if err != nil {
			invoked <- invokeAnswer{err: err}
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		invoked <- invokeAnswer{status: resp.StatusCode, body: string(b)}
	}()
	<-invStarted

	cancel()
	require.Eventually(t, b.draining.Load, waitLimit, time.Millisecond)
	select {
	case err := <-served:
		t.Fatalf("Serve returned before in-flight turns finished: %v", err)
	default:
	}
	close(release)

	ans := <-invoked
	require.NoError(t, ans.err)
	require.Equal(t, 200, ans.status)
	require.JSONEq(t, `{"composeExtension":{"type":"message","text":"done"}}`, ans.body)
	select {
	case err := <-served:
		require.NoError(t, err)
	case <-time.After(waitLimit):
		t.Fatal("Serve did not return after draining")
	}
	conn.mu.Lock()
	require.Len(t, conn.reqs, 1, "the in-flight turn replied through the connector")
	require.Equal(t, "finished after shutdown began", conn.reqs[0].Text)
	conn.mu.Unlock()
	_, err = http.Post(base+PathMessages, "application/json", bytes.NewReader(msg))
	require.Error(t, err, "no longer listening")
	require.ErrorIs(t, b.Serve(t.Context(), mustListen(t)), ErrAlreadyServed)
}

func TestGracefulShutdown_DrainTimeoutCancelsTurns(t *testing.T) {
	started := make(chan struct{})
	sawCancel := make(chan struct{})
	r := NewRouter()
	r.OnDefaultMessage(func(ctx context.Context, t *Turn) error {
		close(started)
		<-ctx.Done()
		close(sawCancel)
		return ctx.Err()
	})
	b, err := New(Config{ShutdownTimeout: 50 * time.Millisecond}, r, WithConnector(newFakeConn()), WithLogger(slogTo(io.Discard)))
	require.NoError(t, err)
	ln := mustListen(t)
	ctx, cancel := context.WithCancel(t.Context())
	served := make(chan error, 1)
	go func() { served <- b.Serve(ctx, ln) }()
	resp, err := http.Post("http://"+ln.Addr().String()+PathMessages, "application/json",
		bytes.NewReader(fixtureBody(t, "message.json")))
	require.NoError(t, err)
	_ = resp.Body.Close()
	<-started
	cancel()
	select {
	case err := <-served:
		require.ErrorContains(t, err, "drain turns")
	case <-time.After(waitLimit):
		t.Fatal("Serve did not give up")
	}
	select {
	case <-sawCancel:
	case <-time.After(waitLimit):
		t.Fatal("turn ctx not cancelled after the drain timeout")
	}
}

func TestServe_LocalModeRefusesNonLoopbackListener(t *testing.T) {
	b, err := New(Config{}, NewRouter(), WithLogger(slogTo(io.Discard)))
	require.NoError(t, err)
	err = b.Serve(t.Context(), fakeListener{addr: &net.TCPAddr{IP: net.IPv4(192, 0, 2, 1), Port: 3978}})
	require.ErrorIs(t, err, ErrLocalModeNotLoopback)
}

// fakeListener reports an address without listening.
type fakeListener struct{ addr net.Addr }

func (fakeListener) Accept() (net.Conn, error) { return nil, net.ErrClosed }
func (fakeListener) Close() error              { return nil }
func (l fakeListener) Addr() net.Addr          { return l.addr }

func mustListen(t testing.TB) net.Listener {
	t.Helper()
	var lc net.ListenConfig
	ln, err := lc.Listen(context.Background(), "tcp", "127.0.0.1:0")
	require.NoError(t, err)
	return ln
}

func TestRun_ListenError(t *testing.T) {
	ln := mustListen(t)
	defer ln.Close()
	b, err := New(Config{ListenAddr: ln.Addr().String()}, NewRouter(), WithLogger(slogTo(io.Discard)))
	require.NoError(t, err)
	require.ErrorContains(t, b.Run(t.Context()), "listen on")
}
