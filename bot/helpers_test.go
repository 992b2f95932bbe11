package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/bot/connector"
	"github.com/attestbot/attestbot/bot/schema"
)

const (
	fixtureDir     = "testdata/playground"
	playgroundBot  = "00000000-0000-0000-0000-00000000000011"
	playgroundTen  = "00000000-0000-0000-0000-0000000000001"
	playgroundUser = "00000000-0000-0000-0000-0000000000020"
	// waitLimit only guards against a hung test; nothing asserts on time.
	waitLimit = 10 * time.Second
)

// fixtureBody returns the activity JSON of an inbound Playground capture.
func fixtureBody(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(fixtureDir, name))
	require.NoError(t, err)
	var c struct {
		Body json.RawMessage `json:"body"`
	}
	require.NoError(t, json.Unmarshal(data, &c))
	require.NotEmpty(t, c.Body)
	return c.Body
}

// fixtureActivity decodes an inbound Playground capture.
func fixtureActivity(t testing.TB, name string) *schema.Activity {
	t.Helper()
	var a schema.Activity
	require.NoError(t, json.Unmarshal(fixtureBody(t, name), &a))
	return &a
}

// patched decodes a fixture with one top-level field replaced.
func patched(t testing.TB, name, key string, value any) *schema.Activity {
	t.Helper()
	var a schema.Activity
	require.NoError(t, json.Unmarshal(withField(t, fixtureBody(t, name), key, value), &a))
	return &a
}

// withField returns body with a top-level field replaced.
func withField(t testing.TB, body []byte, key string, value any) []byte {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(body, &m))
	m[key] = value
	out, err := json.Marshal(m)
	require.NoError(t, err)
	return out
}

// connCall is one call the fake connector received.
type connCall struct {
	Op             string
	ServiceURL     string
	ConversationID string
	ActivityID     string
	Activity       *schema.Activity
}

// fakeConn is an in-memory Connector that records calls.
type fakeConn struct {
	mu    sync.Mutex
	calls []connCall
	sent  chan connCall
	err   error
}

func newFakeConn() *fakeConn { return &fakeConn{sent: make(chan connCall, 64)} }

var _ Connector = (*fakeConn)(nil)

func (f *fakeConn) record(c connCall) error {
	f.mu.Lock()
	f.calls = append(f.calls, c)
	err := f.err
	f.mu.Unlock()
	select {
	case f.sent <- c:
	default:
	}
	return err
}

func (f *fakeConn) ReplyToActivity(_ context.Context, su, conv, id string, a *schema.Activity) (*schema.ResourceResponse, error) {
	return &schema.ResourceResponse{ID: "r1"}, f.record(connCall{Op: "reply", ServiceURL: su, ConversationID: conv, ActivityID: id, Activity: a})
}

func (f *fakeConn) SendToConversation(_ context.Context, su, conv string, a *schema.Activity) (*schema.ResourceResponse, error) {
	return &schema.ResourceResponse{ID: "s1"}, f.record(connCall{Op: "send", ServiceURL: su, ConversationID: conv, Activity: a})
}

func (f *fakeConn) GetConversationMembers(_ context.Context, su, conv string) ([]schema.ChannelAccount, error) {
	return nil, f.record(connCall{Op: "members", ServiceURL: su, ConversationID: conv})
}

// next waits for the next connector call.
func (f *fakeConn) next(t testing.TB) connCall {
	t.Helper()
	select {
	case c := <-f.sent:
		return c
	case <-time.After(waitLimit):
		t.Fatal("no connector call")
		return connCall{}
	}
}

func (f *fakeConn) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.calls)
}

// fakeAuth is an Authenticator stub: err refuses the header, activityErr
// the activity; seen records the activities checked.
type fakeAuth struct {
	mu          sync.Mutex
	err         error
	activityErr error
	calls       int
	seen        []string
	// enter, when set, receives a value when a call starts, and the call
	// then waits for release to be closed.
	enter   chan struct{}
	release chan struct{}
}

func (a *fakeAuth) AuthenticateHeader(_ context.Context, header string) (func(string, string) error, error) {
	if a.enter != nil {
		a.enter <- struct{}{}
		<-a.release
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.calls++
	if a.err != nil {
		return nil, a.err
	}
	return func(channelID, serviceURL string) error {
		a.mu.Lock()
		defer a.mu.Unlock()
		a.seen = append(a.seen, channelID+" "+serviceURL)
		return a.activityErr
	}, nil
}

// reasonErr is an auth error carrying a metric reason.
type reasonErr struct{ reason string }

func (e reasonErr) Error() string  { return "unauthorized: " + e.reason }
func (e reasonErr) Reason() string { return e.reason }

// logBuffer is a concurrency-safe log sink.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// harness is a bot wired to fakes.
type harness struct {
	bot  *Bot
	conn *fakeConn
	logs *logBuffer
}

func newHarness(t testing.TB, cfg Config, r *Router, opts ...Option) *harness {
	t.Helper()
	h := &harness{conn: newFakeConn(), logs: &logBuffer{}}
	logger := slog.New(slog.NewTextHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	all := append([]Option{WithConnector(h.conn), WithLogger(logger)}, opts...)
	b, err := New(cfg, r, all...)
	require.NoError(t, err)
	h.bot = b
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
		defer cancel()
		_ = b.workers.Close(ctx)
		_ = b.invokes.Close(ctx)
	})
	return h
}

// post sends body to /api/messages through the handler, without sockets.
func (h *harness) post(t testing.TB, body []byte, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, PathMessages, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.bot.ServeHTTP(rec, req)
	return rec
}

// drain waits for every asynchronous turn to finish.
func (h *harness) drain(t testing.TB) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	require.NoError(t, h.bot.workers.Close(ctx))
}

// memStore records conversation references.
type memStore struct {
	mu      sync.Mutex
	puts    int
	refs    map[string]ConversationRef
	deleted []string
	err     error
}

func newMemStore() *memStore { return &memStore{refs: map[string]ConversationRef{}} }

func (s *memStore) PutConversation(_ context.Context, ref ConversationRef) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return s.err
	}
	s.puts++
	s.refs[ref.TenantID+"/"+ref.UserID] = ref
	return nil
}

func (s *memStore) DeleteConversation(_ context.Context, tenantID, userID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.refs, tenantID+"/"+userID)
	s.deleted = append(s.deleted, tenantID+"/"+userID)
	return nil
}

func (s *memStore) Ping(context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

func (s *memStore) putCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.puts
}

func (s *memStore) get(key string) (ConversationRef, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.refs[key]
	return r, ok
}

var errBoom = errors.New("boom")

func slogTo(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

func errUntrusted() error { return connector.ErrUntrustedServiceURL }
