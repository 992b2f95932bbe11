package connector

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/bot/schema"
)

// lateReader is a transport that answers at once and reads and closes each
// request body later, on its own goroutine, as a real transport may.
type lateReader struct {
	wg   sync.WaitGroup
	mu   sync.Mutex
	seen map[string]string // activity text -> body read
}

func (l *lateReader) RoundTrip(req *http.Request) (*http.Response, error) {
	text := req.Header.Get("X-Text")
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		time.Sleep(time.Millisecond)
		b, _ := io.ReadAll(req.Body)
		_ = req.Body.Close()
		l.mu.Lock()
		l.seen[text] = string(b)
		l.mu.Unlock()
	}()
	return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(`{"id":"1"}`)), Request: req}, nil
}

// textHeader copies the activity text into a header so that the transport
// knows which call a body belongs to.
type textHeader struct{ next http.RoundTripper }

func (h textHeader) RoundTrip(req *http.Request) (*http.Response, error) {
	req.Header.Set("X-Text", req.Context().Value(textKey{}).(string))
	return h.next.RoundTrip(req)
}

type textKey struct{}

// TestPayloadNotReusedWhileTransportReads sends many replies at once
// through a transport that reads each body after answering: every body it
// reads must be its own call's activity, whole. A pooled buffer given back
// when the call returns (rather than when the transport closed the body)
// would be overwritten by another call (and the race detector would say so).
func TestPayloadNotReusedWhileTransportReads(t *testing.T) {
	late := &lateReader{seen: map[string]string{}}
	trust, err := NewTrustedURLs(TrustConfig{Now: func() time.Time { return testNow }})
	require.NoError(t, err)
	const service = "https://smba.trafficmanager.net/amer/"
	trust.Record(service)
	c, err := New(trust, WithHTTPClient(&http.Client{Transport: textHeader{late}}), WithTokenSource(&staticToken{}))
	require.NoError(t, err)

	want := replyAtOnce(t, c, service, 0, 200, func(i int) int { return i * 37 })
	late.wg.Wait()
	require.Equal(t, want, late.seen)
}

// replyAtOnce sends replies first to first+calls-1 at once through c, the
// i-th with a text of about size(i) bytes that the transport finds in the
// X-Text header (textHeader), and returns each text's body as the call
// encoded it.
func replyAtOnce(t *testing.T, c *Client, service string, first, calls int, size func(int) int) map[string]string {
	t.Helper()
	want := make(map[string]string, calls)
	errs := make(chan error, calls)
	var wg sync.WaitGroup
	for i := first; i < first+calls; i++ {
		text := fmt.Sprintf("reply %d %s", i, strings.Repeat("x", size(i)))
		a := &schema.Activity{Type: "message", Text: text}
		body, err := a.MarshalJSON()
		require.NoError(t, err)
		want[text] = string(body)
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx := context.WithValue(context.Background(), textKey{}, text)
			_, err := c.ReplyToActivity(ctx, service, "a:conv", "1", a)
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	return want
}

// TestPayloadReferences checks the reference count: the buffer goes back
// only after the call is done and every body handed out was written whole.
func TestPayloadReferences(t *testing.T) {
	p, err := newPayload(&schema.Activity{Type: "message", Text: "hi"})
	require.NoError(t, err)
	b1, b2 := p.body(), p.body()
	require.EqualValues(t, 3, p.refs.Load())

	p.wrote(httptrace.WroteRequestInfo{Err: errors.New("connection reset")})
	require.EqualValues(t, 3, p.refs.Load(), "a failed write keeps its body's reference")
	_, err = io.ReadAll(b1)
	require.NoError(t, err)
	p.wrote(httptrace.WroteRequestInfo{})
	require.EqualValues(t, 2, p.refs.Load())

	p.release()
	b, err := io.ReadAll(b2)
	require.NoError(t, err)
	require.Equal(t, `{"type":"message","text":"hi"}`, string(b), "still readable while a body is unwritten")
	p.wrote(httptrace.WroteRequestInfo{})
	require.Zero(t, p.refs.Load())
	p.wrote(httptrace.WroteRequestInfo{}) // a redirect's request without a body
	require.Zero(t, p.refs.Load(), "never more releases than bodies handed out")
}

// writeCounter counts the writes on the connections a transport opens.
type writeCounter struct {
	writes atomic.Int64
	conns  atomic.Int64
}

func (w *writeCounter) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	var d net.Dialer
	c, err := d.DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	w.conns.Add(1)
	return countingConn{Conn: c, w: w}, nil
}

type countingConn struct {
	net.Conn
	w *writeCounter
}

func (c countingConn) Write(b []byte) (int, error) {
	c.w.writes.Add(1)
	return c.Conn.Write(b)
}

// TestReplyIsOneWrite checks that a reply leaves in one write on its
// connection, headers and card together (one TLS record): a body net/http
// does not know to be in memory makes it flush the headers first.
func TestReplyIsOneWrite(t *testing.T) {
	f := newFakeConnector(t)
	var wc writeCounter
	tr := f.srv.Client().Transport.(*http.Transport).Clone()
	tr.DialContext = wc.dial
	tr.WriteBufferSize = 32 << 10
	c, _ := newTestClient(t, f, WithHTTPClient(&http.Client{Transport: tr}))

	// The first call also writes the TLS handshake (a last message of it
	// may leave during the second); count from the third.
	a := &schema.Activity{Type: "message", Text: strings.Repeat("a card of some size ", 400)}
	for range 2 {
		_, err := c.ReplyToActivity(context.Background(), f.serviceURL(), "a:conv", "1", a)
		require.NoError(t, err)
	}
	before := wc.writes.Load()
	const calls = 20
	for range calls {
		_, err := c.ReplyToActivity(context.Background(), f.serviceURL(), "a:conv", "1", a)
		require.NoError(t, err)
	}
	require.EqualValues(t, 1, wc.conns.Load(), "one kept-alive connection")
	require.EqualValues(t, calls, wc.writes.Load()-before, "one write a reply")
	for _, r := range f.requests() {
		require.Contains(t, string(r.Body), a.Text)
	}
}

// TestPayloadNotReusedWhileServerReads sends replies in waves through a
// real transport, over HTTP/1.1 and HTTP/2, to a connector that answers
// before it reads the body and reads it afterwards: every body it reads
// must be its own call's activity, whole, although each call has returned
// by then and the next wave encodes into the buffers given back. On
// loopback the kernel takes these bodies in one go, so the transport's
// write is over before the answer comes: this checks the pooled path end
// to end (both protocols write and say so), not the timing of the release,
// which TestPayloadReferences holds.
func TestPayloadNotReusedWhileServerReads(t *testing.T) {
	for _, h2 := range []bool{false, true} {
		t.Run(map[bool]string{false: "HTTP/1.1", true: "HTTP/2"}[h2], func(t *testing.T) {
			var mu sync.Mutex
			seen := map[string]string{}
			var reads sync.WaitGroup
			srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				reads.Add(1)
				defer reads.Done()
				if r.ProtoMajor == 1 {
					require.NoError(t, http.NewResponseController(w).EnableFullDuplex())
				}
				if got := r.ProtoMajor == 2; got != h2 {
					t.Errorf("protocol %s", r.Proto)
				}
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusOK)
				_, _ = io.WriteString(w, `{"id":"1"}`)
				w.(http.Flusher).Flush()
				time.Sleep(time.Millisecond)
				b, _ := io.ReadAll(r.Body)
				mu.Lock()
				seen[r.Header.Get("X-Text")] = string(b)
				mu.Unlock()
			}))
			srv.EnableHTTP2 = h2
			srv.StartTLS()
			t.Cleanup(srv.Close)
			trust, err := NewTrustedURLs(TrustConfig{Now: func() time.Time { return testNow }})
			require.NoError(t, err)
			service := srv.URL + "/_connector/"
			trust.Record(service)
			c, err := New(trust, WithHTTPClient(&http.Client{Transport: textHeader{srv.Client().Transport}}), WithTokenSource(&staticToken{}))
			require.NoError(t, err)

			// 1 to 60 KB, in waves: a wave starts when the calls of the
			// one before have returned, while the connector still reads
			// their bodies.
			const calls, wave = 100, 20
			want := map[string]string{}
			for first := 0; first < calls; first += wave {
				maps.Copy(want, replyAtOnce(t, c, service, first, wave, func(i int) int { return 1 + i*600 }))
			}
			srv.Close() // waits for the handlers
			reads.Wait()
			require.Len(t, seen, calls)
			for text, body := range want {
				require.True(t, seen[text] == body, "the body of %.12q is not its call's", text)
			}
		})
	}
}
