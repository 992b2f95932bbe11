package graphclient

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestClassify(t *testing.T) {
	now := time.Now()
	h := func(kv ...string) http.Header {
		out := http.Header{}
		for i := 0; i+1 < len(kv); i += 2 {
			out.Set(kv[i], kv[i+1])
		}
		return out
	}
	tests := []struct {
		name      string
		status    int
		header    http.Header
		body      string
		want      error
		retryable bool
		code, msg string
		requestID string
	}{
		{name: "not installed", status: 403, body: `{"error":{"code":"Forbidden","message":"Application with AAD App Id 'x' is not authorized to generate custom text notifications about 'users/u' to the recipient. Ensure that the expected Teams app is installed in the target scope (user, team, or chat).","innerError":{"request-id":"r-1"}}}`,
			want: ErrNotInstalled, code: "Forbidden", requestID: "r-1"},
		{name: "forbidden", status: 403, body: `{"error":{"code":"Forbidden","message":"Missing role permissions"}}`, want: ErrForbidden, code: "Forbidden", msg: "Missing role permissions"},
		{name: "throttled", status: 429, header: h("Retry-After", "5"), want: ErrThrottled, retryable: true},
		{name: "request id header", status: 500, header: h("request-id", "hdr-1"), body: "<html>", want: ErrServer, retryable: true, requestID: "hdr-1"},
		{name: "null message", status: 400, body: `{"error":{"code":"BadRequest","message":null}}`, want: ErrBadRequest, code: "BadRequest"},
		{name: "conflict", status: 409, want: ErrConflict},
		{name: "precondition", status: 412, want: ErrPreconditionFailed, retryable: true},
		{name: "unauthorized", status: 401, want: ErrUnauthorized},
		{name: "not found", status: 404, want: ErrNotFound},
		{name: "other 4xx", status: 422, want: ErrBadRequest},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			hdr := tc.header
			if hdr == nil {
				hdr = http.Header{}
			}
			e := classify("op", tc.status, hdr, []byte(tc.body), now)
			require.ErrorIs(t, e, tc.want)
			require.Equal(t, tc.retryable, e.Retryable())
			require.Equal(t, tc.status, e.StatusCode())
			if tc.code != "" {
				require.Equal(t, tc.code, e.Code)
			}
			if tc.msg != "" {
				require.Equal(t, tc.msg, e.Message)
			}
			require.Equal(t, tc.requestID, e.RequestID)
		})
	}
}

func TestError_UnwrapsCause(t *testing.T) {
	cause := errors.New("boom")
	e := &Error{Op: "op", kind: ErrTransport, retryable: true, cause: cause}
	require.ErrorIs(t, e, ErrTransport)
	require.ErrorIs(t, e, cause)
	require.Equal(t, "op: graph transport error: boom", e.Error())
	ok, _ := IsRetryable(e)
	require.True(t, ok)
}

func TestError_Reason(t *testing.T) {
	seen := map[string]bool{}
	for kind, want := range reasons {
		e := &Error{Op: "op", kind: kind}
		require.Equal(t, want, e.Reason())
		require.False(t, seen[want], "reason %s used twice", want)
		seen[want] = true
	}
	require.Len(t, seen, 11)
}

func TestSafeMessage(t *testing.T) {
	require.Equal(t, "x", safeMessage(errors.New("x")))
	require.Equal(t, "*graphclient.panicky", safeMessage(&panicky{}))
}

type panicky struct{}

func (*panicky) Error() string { panic("nil message") }

// FuzzClassify feeds arbitrary statuses, Retry-After values and bodies to
// the response classifier: it must never panic, always yield a kind, and
// never claim a negative wait.
func FuzzClassify(f *testing.F) {
	f.Add(403, "", `{"error":{"code":"Forbidden","message":"Ensure that the expected Teams app is installed"}}`)
	f.Add(429, "2.5", `{"error":{"code":"TooManyRequests"}}`)
	f.Add(429, "Wed, 21 Oct 2015 07:28:00 GMT", ``)
	f.Add(502, "", `<html>`)
	f.Add(400, "-3", `{"error":null}`)
	f.Add(400, "", `{"error":{"message":1}}`)
	f.Fuzz(func(t *testing.T, status int, retryAfter, body string) {
		h := http.Header{}
		h.Set("Retry-After", retryAfter)
		e := classify("op", status, h, []byte(body), time.Now())
		if e.kind == nil {
			t.Fatal("no kind")
		}
		if e.RetryAfter() < 0 {
			t.Fatalf("negative wait %v", e.RetryAfter())
		}
		if len(e.Message) > 700 {
			t.Fatalf("message not truncated: %d", len(e.Message))
		}
		_ = e.Error()
	})
}
