package graphclient

import (
	"errors"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestDecodeBatch(t *testing.T) {
	chunk := []*batchRequest{{url: "/a"}, {url: "/b"}, {url: "/c"}}
	raw := `{"responses":[
		{"id":"3","status":200,"headers":{"Content-Type":"application/json"},"body":{"value":[]}},
		{"id":"1","status":429,"headers":{"Retry-After":"7"},"body":{"error":{"code":"TooManyRequests"}}},
		{"id":"2","status":502,"headers":{"Content-Type":"text/html"},"body":"PGh0bWw+"}]}`
	got, err := decodeBatch("op", []byte(raw), chunk)
	require.NoError(t, err)
	require.Len(t, got, 3)
	require.Same(t, chunk[0], got[0].req)
	require.Equal(t, http.StatusTooManyRequests, got[0].status)
	require.Equal(t, "7", got[0].header.Get("Retry-After"))
	require.Equal(t, "<html>", string(got[1].body), "non-JSON bodies come base64-encoded")
	require.JSONEq(t, `{"value":[]}`, string(got[2].body))

	for name, bad := range map[string]string{
		"not json":     `<html>`,
		"unknown id":   `{"responses":[{"id":"4","status":200}]}`,
		"duplicate id": `{"responses":[{"id":"1","status":200},{"id":"1","status":200},{"id":"2","status":200}]}`,
		"missing":      `{"responses":[{"id":"1","status":200},{"id":"2","status":200}]}`,
	} {
		_, err := decodeBatch("op", []byte(bad), chunk)
		require.ErrorIs(t, err, ErrTransport, name)
	}
}

func TestRetryWait(t *testing.T) {
	c := &Client{cfg: Config{ReadRetries: 2, MaxRetryWait: 10 * time.Second}}
	now := time.Now()
	h := func(v string) http.Header { return http.Header{"Retry-After": {v}} }
	tests := []struct {
		name     string
		status   int
		header   http.Header
		attempts int
		wait     time.Duration
		ok       bool
	}{
		{"429 with Retry-After", 429, h("3"), 0, 3 * time.Second, true},
		{"429 with Retry-After 0", 429, h("0"), 0, 0, true},
		{"429 with Retry-After fraction", 429, h("0.25"), 0, 250 * time.Millisecond, true},
		{"503 without Retry-After: backoff", 503, nil, 1, 2 * time.Second, true},
		{"503 with an unreadable Retry-After: backoff", 503, h("soon"), 0, time.Second, true},
		{"504 too long", 504, h("60"), 0, 0, false},
		{"retries used up", 429, h("1"), 2, 0, false},
		{"500 never", 500, nil, 0, 0, false},
		{"404 never", 404, nil, 0, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wait, ok := c.retryWait(classify("op", tc.status, tc.header, nil, now), tc.attempts)
			require.Equal(t, tc.ok, ok)
			require.Equal(t, tc.wait, wait)
		})
	}
	none := &Client{cfg: Config{ReadRetries: -1, MaxRetryWait: time.Minute}}
	_, ok := none.retryWait(classify("op", 429, h("1"), nil, now), 0)
	require.False(t, ok)
	long := &Client{cfg: Config{ReadRetries: 6, MaxRetryWait: 10 * time.Second}}
	_, ok = long.retryWait(classify("op", 503, nil, nil, now), 4)
	require.False(t, ok, "a 16 s backoff is longer than MaxRetryWait")
}

func TestRelativeURL(t *testing.T) {
	got := relativeURL("/servicePrincipals", [2]string{"$filter", "appId in ('a','b')"}, [2]string{"$select", "id,appId"})
	require.Equal(t, "/servicePrincipals?$filter=appId%20in%20%28%27a%27%2C%27b%27%29&$select=id%2CappId", got)
	u, err := url.Parse(got)
	require.NoError(t, err)
	require.Equal(t, "appId in ('a','b')", u.Query().Get("$filter"))
	require.Equal(t, "/x", relativeURL("/x"))
}

// FuzzDecodeBatch feeds arbitrary batch response bodies and the collection
// pages they carry to the decoders: they return an answer or an error,
// never panic, and every answer belongs to a request.
func FuzzDecodeBatch(f *testing.F) {
	f.Add([]byte(`{"responses":[{"id":"1","status":200,"body":{"value":[{"resourceId":"r","scope":"User.Read"}],"@odata.nextLink":"x"}},{"id":"2","status":404}]}`))
	f.Add([]byte(`{"responses":[{"id":"2","status":429,"headers":{"Retry-After":"1"}},{"id":"1","status":200,"body":"aGk="}]}`))
	f.Add([]byte(`{"responses":[{"id":"01","status":200},{"id":"-1"}]}`))
	f.Add([]byte(`{"responses":null}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		chunk := []*batchRequest{{url: "/a"}, {url: "/b"}}
		got, err := decodeBatch("op", raw, chunk)
		if err != nil {
			var e *Error
			require.True(t, errors.As(err, &e))
			return
		}
		require.Len(t, got, 2)
		for i, r := range got {
			require.Same(t, chunk[i], r.req)
			var grants []wireGrant
			_, _ = collection(r.body, &grants)
			var sps []wireSP
			if _, err := collection(r.body, &sps); err == nil {
				for _, sp := range sps {
					_ = sp.servicePrincipal()
					_ = sp.resource()
				}
			}
		}
	})
}
