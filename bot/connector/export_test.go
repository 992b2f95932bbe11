package connector

import "time"

// Options only the tests use.

// WithRetryPolicy sets the retry policy; zero fields take the defaults.
func WithRetryPolicy(p RetryPolicy) Option { return func(c *Client) { c.retry = p.withDefaults() } }

// WithSleeper replaces the wait between attempts (tests record it instead).
func WithSleeper(s Sleeper) Option { return func(c *Client) { c.sleep = s } }

// WithClock sets the clock used to read HTTP-date Retry-After values.
func WithClock(now func() time.Time) Option { return func(c *Client) { c.now = now } }

// WithRand sets the jitter source, returning values in [0, 1).
func WithRand(r func() float64) Option { return func(c *Client) { c.rand = r } }

// withDefaults returns p with its zero fields set from DefaultRetryPolicy
// (a negative Jitter means none).
func (p RetryPolicy) withDefaults() RetryPolicy {
	d := DefaultRetryPolicy
	if p.MaxAttempts > 0 {
		d.MaxAttempts = p.MaxAttempts
	}
	if p.BaseDelay > 0 {
		d.BaseDelay = p.BaseDelay
	}
	if p.MaxDelay > 0 {
		d.MaxDelay = p.MaxDelay
	}
	if p.Jitter > 0 {
		d.Jitter = p.Jitter
	} else if p.Jitter < 0 {
		d.Jitter = 0
	}
	if p.MaxRetryAfter > 0 {
		d.MaxRetryAfter = p.MaxRetryAfter
	}
	return d
}
