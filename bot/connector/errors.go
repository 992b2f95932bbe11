package connector

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// APIError is a non-2xx answer of the Bot Connector.
type APIError struct {
	// Operation is the client operation ("reply", "send", ...).
	Operation string
	// StatusCode is the HTTP status.
	StatusCode int
	// Code and Message come from the error body, when it has one.
	Code    string
	Message string
	// CorrelationID is the X-Correlating-OperationId response header, for
	// support requests.
	CorrelationID string
	// RetryAfter is the wait the service asked for, if any.
	RetryAfter time.Duration
}

// Error describes the failure without URL or token.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "bot connector %s: status %d", e.Operation, e.StatusCode)
	if e.Code != "" {
		fmt.Fprintf(&b, " %s", e.Code)
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	}
	return b.String()
}

// Retryable reports whether the status is one the client retries.
func (e *APIError) Retryable() bool { return retryableStatus(e.StatusCode) }

// Blocked reports whether Teams refused the message because the user blocked
// or uninstalled the bot (403 MessageWritesBlocked, error code 209).
func (e *APIError) Blocked() bool {
	return e.StatusCode == http.StatusForbidden &&
		(strings.Contains(e.Message, "MessageWritesBlocked") || e.Code == "209" || e.Code == "MessageWritesBlocked")
}

// retryableStatus lists the statuses Teams asks bots to retry (rate-limit.md:
// 429, 412, 502, 504) plus 503.
func retryableStatus(status int) bool {
	switch status {
	case http.StatusTooManyRequests, http.StatusPreconditionFailed, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// maxErrorMessage bounds the message kept from an error body.
const maxErrorMessage = 300

// newAPIError builds the error for a non-2xx answer from its body.
func newAPIError(op string, resp *http.Response, body []byte) *APIError {
	e := &APIError{
		Operation:     op,
		StatusCode:    resp.StatusCode,
		CorrelationID: resp.Header.Get("X-Correlating-OperationId"),
	}
	var std struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
		ErrorCode json.RawMessage `json:"errorCode"`
		Message   string          `json:"message"`
	}
	if json.Unmarshal(body, &std) == nil {
		e.Code, e.Message = std.Error.Code, std.Error.Message
		if e.Code == "" && len(std.ErrorCode) > 0 {
			e.Code = strings.Trim(string(std.ErrorCode), `"`)
		}
		if e.Message == "" {
			e.Message = std.Message
		}
	}
	if len(e.Message) > maxErrorMessage {
		e.Message = e.Message[:maxErrorMessage] + "…"
	}
	return e
}
