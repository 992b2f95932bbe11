package bot

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/bot/auth/authtest"
)

// bodySpy is a request body that records whether it was read.
type bodySpy struct {
	read atomic.Bool
	r    *bytes.Reader
}

func (b *bodySpy) Read(p []byte) (int, error) {
	b.read.Store(true)
	return b.r.Read(p)
}

func (b *bodySpy) Close() error { return nil }

// Finding 5 of issue 10: the token is checked before the body is read.
func TestAuth_BodyNotReadBeforeTheToken(t *testing.T) {
	tests := []struct {
		name       string
		givenErr   error
		expectCode int
		expectRead bool
	}{
		{name: "nok, refused token: body never read", givenErr: reasonErr{reason: "invalid signature"}, expectCode: 401},
		{name: "ok, valid token: body read", expectCode: 200, expectRead: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewRouter()
			r.OnDefaultMessage(func(context.Context, *Turn) error { return nil })
			h := newHarness(t, Config{AppID: "app-id"}, r, WithAuthenticator(&fakeAuth{err: tt.givenErr}))
			spy := &bodySpy{r: bytes.NewReader(fixtureBody(t, "message.json"))}
			req := httptest.NewRequest(http.MethodPost, PathMessages, spy)
			req.Header.Set("Authorization", "Bearer x")
			rec := httptest.NewRecorder()
			h.bot.ServeHTTP(rec, req)
			require.Equal(t, tt.expectCode, rec.Code)
			require.Equal(t, tt.expectRead, spy.read.Load())
			if tt.expectCode == 401 {
				require.Equal(t, "close", rec.Header().Get("Connection"), "the unread body is not drained")
			}
		})
	}
}

// Finding 1: a valid token of another channel (Web Chat, Direct Line) is
// refused like a bad token, whatever tenant and user the body claims.
func TestAuth_OnlyTeamsServed(t *testing.T) {
	for _, ch := range []string{"webchat", "directline", "emulator", "MSTeams", ""} {
		t.Run("nok, "+ch, func(t *testing.T) {
			var runs atomic.Int32
			r := NewRouter()
			r.OnDefaultMessage(func(context.Context, *Turn) error { runs.Add(1); return nil })
			h := newHarness(t, Config{AppID: "app-id"}, r, WithAuthenticator(&fakeAuth{}))
			rec := h.post(t, withField(t, fixtureBody(t, "message.json"), "channelId", ch), "Authorization", "Bearer x")
			require.Equal(t, 401, rec.Code)
			h.drain(t)
			require.Zero(t, runs.Load())
			require.Contains(t, h.logs.String(), "channel_not_served")
		})
	}
}

// Finding 5: past MaxInFlight requests, the bot answers 503 with
// Retry-After instead of taking more bodies.
func TestLimits_OverCapacityIs503(t *testing.T) {
	r := NewRouter()
	r.OnDefaultMessage(func(context.Context, *Turn) error { return nil })
	auth := &fakeAuth{enter: make(chan struct{}), release: make(chan struct{})}
	h := newHarness(t, Config{AppID: "app-id", MaxInFlight: 2}, r, WithAuthenticator(auth))
	body := fixtureBody(t, "message.json")
	var wg sync.WaitGroup
	codes := make([]int, 2)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = h.post(t, body, "Authorization", "Bearer x").Code
		}()
		<-auth.enter // the request holds its slot
	}
	rec := h.post(t, body, "Authorization", "Bearer x")
	require.Equal(t, http.StatusServiceUnavailable, rec.Code)
	require.Equal(t, "1", rec.Header().Get("Retry-After"))
	close(auth.release)
	wg.Wait()
	require.Equal(t, []int{200, 200}, codes)
	auth.enter = nil
	require.Equal(t, 200, h.post(t, body, "Authorization", "Bearer x").Code, "slots are given back")
}

// Finding 5 over real sockets: stalled unauthenticated clients that
// announce a 255 KB body and send 1 KB of it get their 401 at once and the
// connection closed; the bot holds none of their bodies.
func TestLimits_StalledUnauthenticatedConnections(t *testing.T) {
	r := NewRouter()
	h := newHarness(t, Config{AppID: "app-id", ListenAddr: "127.0.0.1:0"}, r, WithAuthenticator(&fakeAuth{err: errBoom}))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- h.bot.Serve(ctx, ln) }()
	t.Cleanup(func() { cancel(); <-served })

	const clients = 100
	var wg sync.WaitGroup
	errs := make(chan error, clients)
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- stalledClient(ln.Addr().String())
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
}

// stalledClient announces a 255 KB body, sends 1 KB of it and expects a 401
// closing the connection, without sending the rest.
func stalledClient(addr string) error {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(waitLimit)) // guards a hung test only
	head := fmt.Sprintf("POST %s HTTP/1.1\r\nHost: bot\r\nAuthorization: Bearer forged\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n",
		PathMessages, 255<<10)
	if _, err := c.Write(append([]byte(head), bytes.Repeat([]byte("a"), 1<<10)...)); err != nil {
		return err
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		return fmt.Errorf("no answer before the body was sent: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized || !resp.Close {
		return fmt.Errorf("status %d, close %v", resp.StatusCode, resp.Close)
	}
	return nil
}

// Finding 3: a user who writes in the personal chat before the bot saw any
// conversationUpdate is reachable; an unchanged reference is not written
// again; a new serviceUrl is followed.
func TestConversationReference_RefreshedFromEveryPersonalActivity(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	store := newMemStore()
	r := NewRouter()
	r.OnDefaultMessage(func(context.Context, *Turn) error { return nil })
	h := newHarness(t, Config{AppID: "app-id"}, r, WithAuthenticator(&fakeAuth{}), WithConversationStore(store),
		WithClock(func() time.Time { return now }))
	key := playgroundTen + "/" + playgroundUser
	msg := fixtureBody(t, "message.json")

	post := func(body []byte) {
		t.Helper()
		require.Equal(t, 200, h.post(t, body, "Authorization", "Bearer x").Code)
		h.bot.workers.wg.Wait()
	}
	post(msg)
	ref, ok := store.get(key)
	require.True(t, ok, "stored from a plain message")
	require.Equal(t, "http://localhost:56150/_connector", ref.ServiceURL)
	require.Equal(t, 1, store.putCount())

	post(withField(t, msg, "id", "second"))
	require.Equal(t, 1, store.putCount(), "unchanged: not written again")

	const moved = "https://smba.trafficmanager.net/emea/"
	post(withField(t, withField(t, msg, "id", "third"), "serviceUrl", moved))
	require.Equal(t, 2, store.putCount())
	ref, _ = store.get(key)
	require.Equal(t, moved, ref.ServiceURL)
	require.NoError(t, h.bot.TrustedURLs().Check(moved))

	// An invoke in the personal chat refreshes it too, even unrouted.
	now = now.Add(2 * refRewriteAfter)
	rec := h.post(t, fixtureBody(t, "invoke-composeExtension_query.json"), "Authorization", "Bearer x")
	require.Equal(t, http.StatusNotImplemented, rec.Code)
	require.Equal(t, 3, store.putCount(), "rewritten after the rewrite interval")

	// Group chats are not personal: nothing stored for them.
	group := withField(t, withField(t, msg, "id", "g"), "conversation",
		map[string]any{"id": "19:group", "conversationType": "groupChat", "isGroup": true, "tenantId": playgroundTen})
	post(group)
	require.Equal(t, 3, store.putCount())
}

// Finding 7: attacker text in a refusal is clipped in the log.
func TestAuth_RefusalLogClipped(t *testing.T) {
	long := strings.Repeat("k", 9800)
	h := newHarness(t, Config{AppID: "app-id"}, NewRouter(), WithAuthenticator(&fakeAuth{err: errors.New("kid " + long)}))
	require.Equal(t, 401, h.post(t, fixtureBody(t, "message.json"), "Authorization", "Bearer x").Code)
	h2 := newHarness(t, Config{AppID: "app-id"}, NewRouter(), WithAuthenticator(&fakeAuth{}))
	require.Equal(t, 401, h2.post(t, withField(t, fixtureBody(t, "message.json"), "channelId", long), "Authorization", "Bearer x").Code)
	for _, logs := range []string{h.logs.String(), h2.logs.String()} {
		require.Contains(t, logs, "inbound activity refused")
		require.NotContains(t, logs, strings.Repeat("k", 300))
		require.Less(t, len(logs), 1500, logs)
	}
}

// Finding 1 with the real validator and a signed token: a Web Chat client
// (its key endorsed for webchat) that writes an allowed tenant and an
// admin's aadObjectId is refused; the same token on a Teams activity is
// served.
func TestAuth_WebChatTokenWithTeamsIdentityRefused(t *testing.T) {
	const appID = "44444444-4444-4444-8444-444444444444"
	idp := authtest.NewServer(t)
	var runs atomic.Int32
	r := NewRouter()
	r.OnDefaultMessage(func(context.Context, *Turn) error { runs.Add(1); return nil })
	h := newHarness(t, Config{AppID: appID, AllowedTenants: []string{playgroundTen}}, r,
		WithAuthenticator(idp.Validator(t, appID)))
	msg := fixtureBody(t, "message.json")
	su := fixtureActivity(t, "message.json").ServiceURL
	header := idp.AuthorizationHeader(t, appID, su)

	rec := h.post(t, withField(t, msg, "channelId", "webchat"), "Authorization", header)
	require.Equal(t, http.StatusUnauthorized, rec.Code)
	h.drain(t)
	require.Zero(t, runs.Load(), "the handler never runs")

	h2 := newHarness(t, Config{AppID: appID, AllowedTenants: []string{playgroundTen}}, r,
		WithAuthenticator(idp.Validator(t, appID)))
	require.Equal(t, http.StatusOK, h2.post(t, msg, "Authorization", header).Code)
	h2.drain(t)
	require.Equal(t, int32(1), runs.Load())
}
