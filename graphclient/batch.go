package graphclient

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	abs "github.com/microsoft/kiota-abstractions-go"
	"github.com/microsoftgraph/msgraph-sdk-go/models/odataerrors"
	"golang.org/x/sync/errgroup"

	"github.com/attestbot/attestbot/internal/logtext"
	"github.com/attestbot/attestbot/internal/retry"
)

// MaxBatchRequests is the most requests Graph takes in one JSON batch
// (POST /$batch, https://learn.microsoft.com/graph/json-batching).
const MaxBatchRequests = 20

// batchRequest is one GET sent inside a JSON batch, followed through its
// @odata.nextLink pages.
type batchRequest struct {
	// url is relative to /v1.0 and carries its query, e.g.
	// "/servicePrincipals/{id}/appRoleAssignments".
	url string
	// handle receives the JSON body of each successful page and returns
	// the page's @odata.nextLink ("" for none).
	handle func(body []byte) (next string, err error)
	// fail, when set, receives a failure that is not retried; returning
	// nil accepts it (the request is then done).
	fail func(e *Error) error

	attempts int
	wait     time.Duration
}

// batchResult is the answer to one request of a batch.
type batchResult struct {
	req    *batchRequest
	status int
	header http.Header
	body   []byte
}

// batchWire is the JSON batch request body.
type batchWire struct {
	Requests []batchWireRequest `json:"requests"`
}

type batchWireRequest struct {
	ID     string `json:"id"`
	Method string `json:"method"`
	URL    string `json:"url"`
}

// batchWireResponse is the JSON batch response body.
type batchWireResponse struct {
	Responses []struct {
		ID      string            `json:"id"`
		Status  int               `json:"status"`
		Headers map[string]string `json:"headers"`
		Body    json.RawMessage   `json:"body"`
	} `json:"responses"`
}

// runBatch sends reqs in JSON batches of at most MaxBatchRequests, in
// waves: every request ready is sent, Config.Concurrency batches at a
// time; next pages and throttled requests (429, 503, 504, retried at most
// Config.ReadRetries times each, after their Retry-After when it is at
// most Config.MaxRetryWait) make the next wave. Handlers run one at a
// time. The batch POST itself is retried the same way.
func (c *Client) runBatch(ctx context.Context, op string, t *tenantClient, reqs []*batchRequest) error {
	pending := reqs
	for len(pending) > 0 {
		var (
			mu   sync.Mutex
			next []*batchRequest
		)
		g, gctx := errgroup.WithContext(ctx)
		g.SetLimit(c.cfg.Concurrency)
		for chunk := range slices.Chunk(pending, MaxBatchRequests) {
			g.Go(func() error {
				results, err := c.sendBatch(gctx, op, t, chunk)
				if err != nil {
					return err
				}
				mu.Lock()
				defer mu.Unlock()
				for _, r := range results {
					more, err := c.handleBatchResult(op, r)
					if err != nil {
						return err
					}
					if more != nil {
						next = append(next, more)
					}
				}
				return nil
			})
		}
		if err := g.Wait(); err != nil {
			return err
		}
		var wait time.Duration
		for _, r := range next {
			wait = max(wait, r.wait)
			r.wait = 0
		}
		if wait > 0 {
			c.logger.Debug("graph batch throttled, waiting", "op", op, "wait", wait.String(), "requests", len(next))
			if err := retry.Sleep(ctx, wait); err != nil {
				return &Error{Op: op, kind: ErrTransport, cause: err}
			}
		}
		pending = next
	}
	return nil
}

// handleBatchResult runs a request's handler on its result and returns
// the request to send next (a next page or a retry), if any.
func (c *Client) handleBatchResult(op string, r batchResult) (*batchRequest, error) {
	req := r.req
	if r.status >= 200 && r.status < 300 {
		next, err := req.handle(r.body)
		if err != nil {
			return nil, &Error{Op: op, kind: ErrTransport, Message: "unreadable batch response", cause: err}
		}
		if next == "" {
			return nil, nil
		}
		if err := c.checkNextLink(op, next); err != nil {
			return nil, err
		}
		rel := strings.TrimPrefix(next, c.graphURL+"/v1.0")
		return &batchRequest{url: rel, handle: req.handle, fail: req.fail}, nil
	}
	e := classify(op, r.status, r.header, r.body, c.now())
	if wait, ok := c.retryWait(e, req.attempts); ok {
		req.attempts++
		req.wait = wait
		return req, nil
	}
	if req.fail != nil {
		return nil, req.fail(e)
	}
	return nil, e
}

// retryWait tells whether a throttled or unavailable read (e) is retried,
// and after how long: the Retry-After Graph sent, else 1 s doubling per
// retry made so far (attempts); never longer than Config.MaxRetryWait.
func (c *Client) retryWait(e *Error, attempts int) (time.Duration, bool) {
	switch e.Status {
	case http.StatusTooManyRequests, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
	default:
		return 0, false
	}
	if c.cfg.ReadRetries < 0 {
		return 0, false
	}
	return c.readRetry().Next(attempts+1, e.retryAfter, e.hasRetryAfter, 0)
}

// readRetry is the retry policy of reads: Config.ReadRetries retries,
// 1 s doubling up to 32 s without jitter, waits up to Config.MaxRetryWait.
func (c *Client) readRetry() retry.Policy {
	return retry.Policy{Attempts: c.cfg.ReadRetries + 1, Base: time.Second, Max: 32 * time.Second,
		MaxWait: c.cfg.MaxRetryWait}
}

// sendBatch posts one batch and returns the answer to each request. The
// POST is retried like a GET when the whole batch is throttled.
func (c *Client) sendBatch(ctx context.Context, op string, t *tenantClient, chunk []*batchRequest) ([]batchResult, error) {
	wire := batchWire{Requests: make([]batchWireRequest, len(chunk))}
	for i, r := range chunk {
		wire.Requests[i] = batchWireRequest{ID: strconv.Itoa(i + 1), Method: http.MethodGet, URL: r.url}
	}
	body, err := json.Marshal(wire)
	if err != nil {
		return nil, &Error{Op: op, kind: ErrBadRequest, Message: "encode batch", cause: err}
	}
	u, err := url.Parse(c.graphURL + "/v1.0/$batch")
	if err != nil {
		return nil, badInput(op, "bad graph url: %v", err)
	}
	var raw []byte
	for attempt := 0; ; attempt++ {
		err = c.call(ctx, op, func(ctx context.Context) error {
			ri := abs.NewRequestInformation()
			ri.Method = abs.POST
			ri.SetUri(*u)
			ri.Headers.TryAdd("Accept", "application/json")
			ri.SetStreamContentAndContentType(body, "application/json")
			res, err := t.adapter.SendPrimitive(ctx, ri, "[]byte", abs.ErrorMappings{"XXX": odataerrors.CreateODataErrorFromDiscriminatorValue})
			if err != nil {
				return err
			}
			raw, _ = res.([]byte)
			return nil
		})
		if err == nil {
			break
		}
		var e *Error
		if !errors.As(err, &e) {
			return nil, err
		}
		wait, ok := c.retryWait(e, attempt)
		if !ok {
			return nil, err
		}
		c.logger.Debug("graph batch retried", "op", op, "status", e.Status, "wait", wait.String())
		if err := retry.Sleep(ctx, wait); err != nil {
			return nil, &Error{Op: op, kind: ErrTransport, cause: err}
		}
	}
	return decodeBatch(op, raw, chunk)
}

// decodeBatch reads a JSON batch response: one answer per request of
// chunk, matched by ID (the 1-based index), any order.
func decodeBatch(op string, raw []byte, chunk []*batchRequest) ([]batchResult, error) {
	var resp batchWireResponse
	if err := json.Unmarshal(raw, &resp); err != nil {
		return nil, &Error{Op: op, kind: ErrTransport, retryable: true, Message: "unreadable batch response", cause: err}
	}
	out := make([]batchResult, len(chunk))
	got := make([]bool, len(chunk))
	for _, r := range resp.Responses {
		i, err := strconv.Atoi(r.ID)
		if err != nil || i < 1 || i > len(chunk) || got[i-1] {
			return nil, &Error{Op: op, kind: ErrTransport, Message: "batch response with an unknown id " + strconv.Quote(logtext.Bytes(r.ID, 40))}
		}
		got[i-1] = true
		h := http.Header{}
		for k, v := range r.Headers {
			h.Set(k, v)
		}
		b := []byte(r.Body)
		if len(b) > 0 && b[0] == '"' {
			// A non-JSON body comes base64-encoded as a JSON string.
			var s string
			if json.Unmarshal(b, &s) == nil {
				b = []byte(s)
				if d, err := base64.StdEncoding.DecodeString(s); err == nil {
					b = d
				}
			}
		}
		out[i-1] = batchResult{req: chunk[i-1], status: r.Status, header: h, body: b}
	}
	for i, ok := range got {
		if !ok {
			return nil, &Error{Op: op, kind: ErrTransport, retryable: true, Message: "batch response lacks request " + strconv.Itoa(i+1)}
		}
	}
	return out, nil
}

// relativeURL builds a batch request URL: path plus an OData query whose
// values are percent-encoded (spaces as %20, which Graph reads in every
// form) and whose names keep their "$".
func relativeURL(path string, query ...[2]string) string {
	var b strings.Builder
	b.WriteString(path)
	for i, q := range query {
		if i == 0 {
			b.WriteByte('?')
		} else {
			b.WriteByte('&')
		}
		b.WriteString(q[0])
		b.WriteByte('=')
		b.WriteString(strings.ReplaceAll(url.QueryEscape(q[1]), "+", "%20"))
	}
	return b.String()
}
