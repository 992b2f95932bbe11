package graphclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/attestbot/attestbot/internal/logtext"
	"github.com/attestbot/attestbot/internal/retry"
)

// Sentinel errors. Every error a Client method returns for a Graph error
// response is an [*Error] that wraps exactly one of them, so callers test
// with errors.Is and never look at status codes.
var (
	// ErrNotInstalled is a 403 saying the Teams app is not installed for the
	// recipient (graph-msal-manifest.md §1.5). Permanent until the app is
	// installed: install it (InstallForUser) and send again.
	ErrNotInstalled = errors.New("teams app not installed for the recipient")
	// ErrForbidden is any other 403, typically a missing permission or
	// admin consent. Permanent.
	ErrForbidden = errors.New("forbidden")
	// ErrUnauthorized is a 401: the token was refused. Permanent.
	ErrUnauthorized = errors.New("unauthorized")
	// ErrThrottled is a 429. Retryable after [Error.RetryAfter].
	ErrThrottled = errors.New("throttled")
	// ErrConflict is a 409, e.g. several Teams apps share one Entra app ID
	// in the recipient's scope. Permanent.
	ErrConflict = errors.New("conflict")
	// ErrPreconditionFailed is a 412; for the bulk notification route it
	// means the token had less than 45 minutes left. Retryable: the next
	// attempt asks for a fresher token.
	ErrPreconditionFailed = errors.New("precondition failed")
	// ErrNotFound is a 404. Permanent.
	ErrNotFound = errors.New("not found")
	// ErrBadRequest is any other 4xx. Permanent.
	ErrBadRequest = errors.New("bad request")
	// ErrServer is a 5xx. Retryable.
	ErrServer = errors.New("graph server error")
	// ErrTransport is a network or protocol failure before a status was
	// received. Retryable.
	ErrTransport = errors.New("graph transport error")
	// ErrToken is a failure to obtain an access token. Retryable unless the
	// identity provider refused the client (invalid secret, unknown app),
	// see [Error.Retryable].
	ErrToken = errors.New("acquire graph token")
)

// Error is a classified Graph failure. Its message never contains a token
// or a secret.
type Error struct {
	// Op names the operation, e.g. "send activity notification".
	Op string
	// Status is the HTTP status (0 when no response was received).
	Status int
	// Code is Graph's error code, e.g. "Forbidden" (may be empty).
	Code string
	// Message is Graph's error message (may be empty).
	Message string
	// RequestID is Graph's request-id, for support cases.
	RequestID string

	kind          error
	retryable     bool
	retryAfter    time.Duration
	hasRetryAfter bool // Graph sent a readable Retry-After (retryAfter may be 0)
	cause         error
}

// Error implements error.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Op)
	b.WriteString(": ")
	b.WriteString(e.kind.Error())
	if e.Status != 0 {
		fmt.Fprintf(&b, " (%d", e.Status)
		if e.Code != "" {
			b.WriteString(" ")
			b.WriteString(e.Code)
		}
		b.WriteString(")")
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	} else if e.cause != nil {
		b.WriteString(": ")
		b.WriteString(e.cause.Error())
	}
	if e.RequestID != "" {
		b.WriteString(" [request-id ")
		b.WriteString(e.RequestID)
		b.WriteString("]")
	}
	return b.String()
}

// Unwrap returns the sentinel kind and, when present, the underlying cause
// (a context error, a token error).
func (e *Error) Unwrap() []error {
	if e.cause != nil {
		return []error{e.kind, e.cause}
	}
	return []error{e.kind}
}

// Retryable reports whether the same call may succeed later.
func (e *Error) Retryable() bool { return e.retryable }

// RetryAfter is the wait Graph asked for (Retry-After), or 0.
func (e *Error) RetryAfter() time.Duration { return e.retryAfter }

// StatusCode returns the HTTP status, or 0.
func (e *Error) StatusCode() int { return e.Status }

// Reasons returned by [Error.Reason]: stable, snake_case labels for logs
// and metrics, which let callers that do not import this package tell
// failures apart through errors.As with interface{ Reason() string }.
const (
	ReasonNotInstalled       = "not_installed"
	ReasonForbidden          = "forbidden"
	ReasonUnauthorized       = "unauthorized"
	ReasonThrottled          = "throttled"
	ReasonConflict           = "conflict"
	ReasonPreconditionFailed = "precondition_failed"
	ReasonNotFound           = "not_found"
	ReasonBadRequest         = "bad_request"
	ReasonServerError        = "server_error"
	ReasonTransport          = "transport"
	ReasonToken              = "token"
)

var reasons = map[error]string{
	ErrNotInstalled: ReasonNotInstalled, ErrForbidden: ReasonForbidden, ErrUnauthorized: ReasonUnauthorized,
	ErrThrottled: ReasonThrottled, ErrConflict: ReasonConflict, ErrPreconditionFailed: ReasonPreconditionFailed,
	ErrNotFound: ReasonNotFound, ErrBadRequest: ReasonBadRequest, ErrServer: ReasonServerError,
	ErrTransport: ReasonTransport, ErrToken: ReasonToken,
}

// Reason returns the failure's label, e.g. ReasonNotInstalled.
func (e *Error) Reason() string { return reasons[e.kind] }

// IsRetryable reports whether err (from any Client method, possibly
// wrapped) is worth retrying, and the minimum wait Graph asked for (0 when
// it did not say). Context cancellation and unknown errors are not
// retryable.
func IsRetryable(err error) (bool, time.Duration) {
	if err == nil {
		return false, 0
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false, 0
	}
	var e *Error
	if errors.As(err, &e) {
		return e.retryable, e.retryAfter
	}
	var be *BulkError
	if errors.As(err, &be) {
		return IsRetryable(be.Err)
	}
	return false, 0
}

// notInstalledMarkers are fragments of the 403 message Graph sends when the
// app is not installed for the recipient (§1.5; community-sourced wording,
// so two independent fragments are accepted).
var notInstalledMarkers = []string{
	"expected teams app is installed",
	"is not authorized to generate custom text notifications",
}

// classify builds an *Error from a response status, headers and body.
func classify(op string, status int, header http.Header, body []byte, now time.Time) *Error {
	e := &Error{Op: op, Status: status}
	var parsed struct {
		Error struct {
			Code       string `json:"code"`
			Message    string `json:"message"`
			InnerError struct {
				RequestID string `json:"request-id"`
			} `json:"innerError"`
		} `json:"error"`
	}
	if len(body) > 0 && json.Unmarshal(body, &parsed) == nil {
		e.Code = parsed.Error.Code
		e.Message = logtext.Bytes(parsed.Error.Message, 600)
		e.RequestID = parsed.Error.InnerError.RequestID
	}
	if e.RequestID == "" && header != nil {
		e.RequestID = header.Get("request-id")
	}
	e.retryAfter, e.hasRetryAfter = retry.FromHeader(header, now)
	switch {
	case status == http.StatusTooManyRequests:
		e.kind, e.retryable = ErrThrottled, true
	case status == http.StatusForbidden && isNotInstalled(e.Message):
		e.kind = ErrNotInstalled
	case status == http.StatusForbidden:
		e.kind = ErrForbidden
	case status == http.StatusUnauthorized:
		e.kind = ErrUnauthorized
	case status == http.StatusConflict:
		e.kind = ErrConflict
	case status == http.StatusPreconditionFailed:
		e.kind, e.retryable = ErrPreconditionFailed, true
	case status == http.StatusNotFound:
		e.kind = ErrNotFound
	case status >= 500:
		e.kind, e.retryable = ErrServer, true
	default:
		e.kind = ErrBadRequest
	}
	return e
}

func isNotInstalled(msg string) bool {
	m := strings.ToLower(msg)
	for _, k := range notInstalledMarkers {
		if strings.Contains(m, k) {
			return true
		}
	}
	return false
}
