package connector

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
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

	const calls = 200
	want := make(map[string]string, calls)
	errs := make(chan error, calls)
	var wg sync.WaitGroup
	for i := range calls {
		text := fmt.Sprintf("reply %d %s", i, strings.Repeat("x", i*37))
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
	late.wg.Wait()
	require.Equal(t, want, late.seen)
}

// TestPayloadReferences checks the reference count: the buffer goes back
// only after the call and every reader released it.
func TestPayloadReferences(t *testing.T) {
	p, err := newPayload(&schema.Activity{Type: "message", Text: "hi"})
	require.NoError(t, err)
	r1, r2 := p.reader(), p.reader()
	require.EqualValues(t, 3, p.refs.Load())
	require.NoError(t, r1.Close())
	require.NoError(t, r1.Close(), "a second Close releases nothing")
	require.EqualValues(t, 2, p.refs.Load())
	p.release()
	b, err := io.ReadAll(r2)
	require.NoError(t, err)
	require.Equal(t, `{"type":"message","text":"hi"}`, string(b), "still readable while a reader holds it")
	require.NoError(t, r2.Close())
	require.Zero(t, p.refs.Load())
}
