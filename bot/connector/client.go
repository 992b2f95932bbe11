package connector

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/attestbot/attestbot/bot/schema"
	"github.com/attestbot/attestbot/internal/outbound"
	"github.com/attestbot/attestbot/internal/retry"
)

// TokenSource returns the bearer token for Bot Connector calls (the MSAL
// client-credentials token of the bot's app registration). It must cache
// and refresh tokens itself; the client asks for one on every attempt.
type TokenSource interface {
	Token(ctx context.Context) (string, error)
}

// Observer is told the outcome of every HTTP attempt: the operation and the
// HTTP status as text, "error" for a transport failure, or "untrusted" for a
// call refused before the network.
type Observer interface {
	ObserveCall(operation, outcome string)
}

// Sleeper waits d or until ctx is done, returning ctx.Err() in that case.
type Sleeper = retry.Sleeper

// RetryPolicy bounds the retries of throttled and transient failures.
type RetryPolicy struct {
	// MaxAttempts is the number of HTTP attempts, first included. Default 4.
	MaxAttempts int
	// BaseDelay is the backoff before the second attempt; it doubles on each
	// retry. Default 1s.
	BaseDelay time.Duration
	// MaxDelay caps the backoff. Default 20s.
	MaxDelay time.Duration
	// Jitter spreads each backoff by ±Jitter (0.2 = ±20 %). Default 0.2;
	// negative disables it.
	Jitter float64
	// MaxRetryAfter is the longest Retry-After the client waits; a longer one
	// ends the call with the APIError (RetryAfter set). Default 60s.
	MaxRetryAfter time.Duration
}

// DefaultIdleConns is the number of idle connections the default HTTP
// client keeps per serviceUrl host. Replies come from the bot's turn workers
// and its invoke handlers, proactive messages from the alert workers, and
// Teams sends every conversation of a region to one host: with fewer idle
// connections than concurrent callers, every caller beyond them opens a new
// TLS connection.
const DefaultIdleConns = 64

// DefaultRetryPolicy follows the Teams guidance: 3 retries, 1–20 s, ±20 %.
var DefaultRetryPolicy = RetryPolicy{MaxAttempts: 4, BaseDelay: time.Second, MaxDelay: 20 * time.Second,
	Jitter: 0.2, MaxRetryAfter: time.Minute}

// policy is p in the terms of the shared retry package. MaxRetryAfter
// bounds every wait; the backoff stays under it unless MaxDelay is set
// above it.
func (p RetryPolicy) policy() retry.Policy {
	return retry.Policy{Attempts: p.MaxAttempts, Base: p.BaseDelay, Max: p.MaxDelay, Jitter: p.Jitter,
		MaxWait: p.MaxRetryAfter}
}

// Client calls the Bot Connector REST API. It is safe for concurrent use.
type Client struct {
	trust    *TrustedURLs
	http     *http.Client
	tokens   TokenSource
	retry    RetryPolicy
	sleep    Sleeper
	now      func() time.Time
	rand     func() float64
	log      *slog.Logger
	observer Observer
}

// Option configures a Client.
type Option func(*Client)

// WithHTTPClient sets the HTTP client. Default: an [outbound] client of the
// connector class (30 s timeout, DefaultIdleConns idle connections per
// host, HTTP/2 when offered).
func WithHTTPClient(hc *http.Client) Option { return func(c *Client) { c.http = hc } }

// WithTokenSource sets the bearer token source. Without one (local mode) no
// Authorization header is sent.
func WithTokenSource(ts TokenSource) Option { return func(c *Client) { c.tokens = ts } }

// WithLogger sets the logger. Default: discard.
func WithLogger(l *slog.Logger) Option { return func(c *Client) { c.log = l } }

// WithObserver sets the per-attempt observer (metrics).
func WithObserver(o Observer) Option { return func(c *Client) { c.observer = o } }

// New returns a client that calls only the serviceUrls trust accepts.
func New(trust *TrustedURLs, opts ...Option) (*Client, error) {
	if trust == nil {
		return nil, errors.New("connector: trusted urls required")
	}
	c := &Client{
		trust: trust,
		http:  outbound.NewClient(outbound.Options{Class: outbound.Connector, IdlePerHost: DefaultIdleConns}),
		retry: DefaultRetryPolicy,
		sleep: retry.Sleep,
		now:   time.Now,
		rand:  rand.Float64,
		log:   slog.New(slog.DiscardHandler),
	}
	for _, o := range opts {
		o(c)
	}
	if c.http == nil || c.sleep == nil || c.now == nil || c.rand == nil || c.log == nil {
		return nil, errors.New("connector: nil option value")
	}
	// A redirect is an answer, never followed: the client calls only the
	// serviceUrls trust accepted, and a 307 would send the reply elsewhere.
	hc := *c.http
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	c.http = &hc
	return c, nil
}

// Trust returns the client's trust set.
func (c *Client) Trust() *TrustedURLs { return c.trust }

// ReplyToActivity posts a as a reply to activityID in the conversation.
func (c *Client) ReplyToActivity(ctx context.Context, serviceURL, conversationID, activityID string, a *schema.Activity) (*schema.ResourceResponse, error) {
	if conversationID == "" || activityID == "" {
		return nil, errors.New("bot connector reply: conversation and activity id required")
	}
	var out schema.ResourceResponse
	p := "/v3/conversations/" + url.PathEscape(conversationID) + "/activities/" + url.PathEscape(activityID)
	if err := c.do(ctx, "reply", http.MethodPost, serviceURL, p, a, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// SendToConversation posts a to the conversation (not threaded as a reply).
func (c *Client) SendToConversation(ctx context.Context, serviceURL, conversationID string, a *schema.Activity) (*schema.ResourceResponse, error) {
	if conversationID == "" {
		return nil, errors.New("bot connector send: conversation id required")
	}
	var out schema.ResourceResponse
	p := "/v3/conversations/" + url.PathEscape(conversationID) + "/activities"
	if err := c.do(ctx, "send", http.MethodPost, serviceURL, p, a, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// GetConversationMembers lists the members of the conversation.
func (c *Client) GetConversationMembers(ctx context.Context, serviceURL, conversationID string) ([]schema.ChannelAccount, error) {
	if conversationID == "" {
		return nil, errors.New("bot connector get_members: conversation id required")
	}
	var out []schema.ChannelAccount
	p := "/v3/conversations/" + url.PathEscape(conversationID) + "/members"
	if err := c.do(ctx, "get_members", http.MethodGet, serviceURL, p, nil, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// maxResponseBody bounds what is read of a connector answer.
const maxResponseBody = 4 << 20

func (c *Client) observe(op, outcome string) {
	if c.observer != nil {
		c.observer.ObserveCall(op, outcome)
	}
}

// do runs one operation with retries. out, when non-nil, receives the
// decoded JSON answer; an empty 2xx body leaves it zero.
func (c *Client) do(ctx context.Context, op, method, serviceURL, path string, in, out any) error {
	if err := c.trust.Check(serviceURL); err != nil {
		c.observe(op, "untrusted")
		return fmt.Errorf("bot connector %s: %w", op, err)
	}
	var pl *payload
	if in != nil {
		var err error
		if pl, err = newPayload(in); err != nil {
			return fmt.Errorf("bot connector %s: encode body: %w", op, err)
		}
		defer pl.release()
	}
	target := strings.TrimRight(serviceURL, "/") + path
	// Built only for a line to write: most calls write none.
	log := func() *slog.Logger { return c.log.With("operation", op, "service_host", redactURL(serviceURL)) }

	var lastErr error
	lastOutcome := ""
	for attempt := 1; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("bot connector %s: %w", op, errors.Join(err, lastErr))
		}
		resp, body, err := c.attempt(ctx, method, target, pl)
		var delay time.Duration
		switch {
		case err != nil && ctx.Err() != nil:
			c.observe(op, "error")
			return fmt.Errorf("bot connector %s: %w", op, ctx.Err())
		case err != nil:
			c.observe(op, "error")
			var terr *tokenError
			if errors.As(err, &terr) {
				return fmt.Errorf("bot connector %s: %w", op, err)
			}
			lastErr = fmt.Errorf("bot connector %s: %w", op, err)
			var ok bool
			if delay, ok = c.retry.policy().Next(attempt, 0, false, c.rand()); !ok {
				return lastErr
			}
			if lastOutcome != "error" {
				log().Warn("bot connector call failed, retrying", "attempt", attempt, "err", err)
			}
			lastOutcome = "error"
		case resp.StatusCode >= 200 && resp.StatusCode < 300:
			c.observe(op, strconv.Itoa(resp.StatusCode))
			if attempt > 1 {
				log().Info("bot connector call succeeded after retries", "attempt", attempt, "status", resp.StatusCode)
			}
			if out != nil && len(bytes.TrimSpace(body)) > 0 {
				if err := json.Unmarshal(body, out); err != nil {
					// A 2xx is success even when its body is not what we
					// expected (the Playground answers 202 with an empty body).
					log().Debug("bot connector answer not decoded", "status", resp.StatusCode, "err", err)
				}
			}
			return nil
		default:
			c.observe(op, strconv.Itoa(resp.StatusCode))
			apiErr := newAPIError(op, resp, body)
			lastErr = apiErr
			ra, hasRA := retry.FromHeader(resp.Header, c.now())
			apiErr.RetryAfter = ra
			if !retryableStatus(resp.StatusCode) {
				return apiErr
			}
			var ok bool
			if delay, ok = c.retry.policy().Next(attempt, ra, hasRA, c.rand()); !ok {
				return apiErr
			}
			outcome := strconv.Itoa(resp.StatusCode)
			if outcome != lastOutcome {
				log().Warn("bot connector call throttled or failed, retrying", "attempt", attempt,
					"status", resp.StatusCode, "code", apiErr.Code, "correlation_id", apiErr.CorrelationID,
					"delay", delay)
			}
			lastOutcome = outcome
		}
		if !retry.Fits(ctx, delay, time.Now()) {
			return lastErr
		}
		if err := c.sleep(ctx, delay); err != nil {
			return fmt.Errorf("bot connector %s: %w", op, errors.Join(err, lastErr))
		}
	}
}

// tokenError marks a token source failure (not retried by the client: the
// token source has its own retries).
type tokenError struct{ err error }

func (e *tokenError) Error() string { return "get token: " + e.err.Error() }
func (e *tokenError) Unwrap() error { return e.err }

// attempt sends one request and reads the answer.
func (c *Client) attempt(ctx context.Context, method, target string, pl *payload) (*http.Response, []byte, error) {
	rctx := ctx
	if pl != nil {
		rctx = pl.traced(ctx)
	}
	req, err := http.NewRequestWithContext(rctx, method, target, nil)
	if err != nil {
		return nil, nil, errors.New("build request: invalid url")
	}
	req.Header.Set("Accept", "application/json")
	if pl != nil {
		req.Header.Set("Content-Type", "application/json; charset=utf-8")
	}
	req.Header.Set("User-Agent", "attestbot")
	if c.tokens != nil {
		tok, err := c.tokens.Token(ctx)
		if err != nil {
			return nil, nil, &tokenError{err: err}
		}
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	if pl != nil {
		// Attached last: once attached, only the transport's word that the
		// request was written lets the buffer go back to the pool.
		req.Body, req.ContentLength = pl.body(), int64(len(pl.b))
		req.GetBody = func() (io.ReadCloser, error) { return pl.body(), nil }
	}
	resp, err := c.http.Do(req)
	if err != nil {
		// url.Error carries the full URL; keep only the cause.
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBody))
	if err != nil {
		return nil, nil, fmt.Errorf("read answer: %w", err)
	}
	return resp, b, nil
}
