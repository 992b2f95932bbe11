// Package retry is the one retry policy of attestbot's outbound calls (the
// Bot Connector, Microsoft Graph and the notification outbox): an attempt
// budget, exponential backoff with jitter, the server's Retry-After (delta
// seconds or an HTTP date, capped) and a sleep that ends with its context.
//
// The package decides how long to wait and whether to go on; the callers
// keep their own loops, because what they do between attempts differs (an
// HTTP call in place, a JSON batch in waves, an outbox message rescheduled
// in storage). Randomness and time come in as arguments, so every decision
// is a pure function that table tests pin down.
package retry

import (
	"context"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// MaxRetryAfter is the longest Retry-After [ParseRetryAfter] returns; a
// longer one is read as this value (a server that asks for more than a day
// is not going to be waited for anyway, and the cap keeps the arithmetic
// far from overflow).
const MaxRetryAfter = 24 * time.Hour

// Policy says how often and after how long a failed call is tried again.
// The zero value retries without limit and without waiting; callers set
// the fields they need.
type Policy struct {
	// Attempts is the number of attempts, the first included; 0 means no
	// limit from the policy.
	Attempts int
	// Base is the backoff after the first failure; it doubles after each
	// further failure.
	Base time.Duration
	// Max caps the exponential backoff before jitter (0: no cap).
	Max time.Duration
	// Jitter spreads each backoff at random by the factor [1−Jitter,
	// 1+Jitter] (0.2 = ±20 %), or [1−Jitter, 1] with JitterDown. Retry-After
	// waits are not spread by it.
	Jitter float64
	// JitterDown draws the jitter factor from [1−Jitter, 1] only, so that
	// Max stays a true ceiling.
	JitterDown bool
	// MaxWait is the longest wait the caller accepts, asked by Retry-After
	// or computed; a longer one ends the retries (0: no limit).
	MaxWait time.Duration
	// MinRetryAfter is the shortest wait after a Retry-After (a 0 from the
	// server is read as this).
	MinRetryAfter time.Duration
	// RetryAfterJitter adds up to this share of a Retry-After wait at
	// random (0.1 = up to +10 %), so that throttled callers do not all come
	// back at the same instant.
	RetryAfterJitter float64
}

// Backoff returns the wait after the given failed attempt (1 for the
// first): Base·2^(attempt−1), capped at Max, times the jitter factor drawn
// with r, a number in [0, 1).
func (p Policy) Backoff(attempt int, r float64) time.Duration {
	d := float64(p.Base) * math.Pow(2, float64(max(attempt, 1)-1))
	if p.Max > 0 {
		d = min(d, float64(p.Max))
	}
	if j := p.Jitter; j > 0 {
		if p.JitterDown {
			d = d*(1-j) + r*(d*j)
		} else {
			d *= 1 - j + 2*j*r
		}
	}
	if d >= math.MaxInt64 { // float64(MaxInt64) itself is out of range
		return math.MaxInt64
	}
	return time.Duration(d)
}

// RetryAfterWait returns the wait for a Retry-After of d: at least
// MinRetryAfter, plus up to RetryAfterJitter of it drawn with r.
func (p Policy) RetryAfterWait(d time.Duration, r float64) time.Duration {
	d = max(d, p.MinRetryAfter)
	if j := p.RetryAfterJitter; j > 0 {
		d += time.Duration(r * j * float64(d))
	}
	return d
}

// Next decides the retry after the given failed attempt (1 for the first):
// the wait and true, or false when the attempts are used up or the wait
// would be longer than MaxWait. retryAfter, when hasRetryAfter, is the
// server's Retry-After and replaces the backoff; r is a number in [0, 1)
// for the jitter.
func (p Policy) Next(attempt int, retryAfter time.Duration, hasRetryAfter bool, r float64) (time.Duration, bool) {
	if p.Attempts > 0 && attempt >= p.Attempts {
		return 0, false
	}
	var wait time.Duration
	if hasRetryAfter {
		wait = p.RetryAfterWait(retryAfter, r)
	} else {
		wait = p.Backoff(attempt, r)
	}
	if p.MaxWait > 0 && wait > p.MaxWait {
		return 0, false
	}
	return wait, true
}

// ParseRetryAfter reads a Retry-After value (RFC 9110 §10.2.3): delta
// seconds, fractions accepted as Graph sends them, or an HTTP date, read
// against now (a date already past gives 0). It returns false when v is
// empty, negative or unreadable; values over [MaxRetryAfter] give
// MaxRetryAfter.
func ParseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if isSeconds(v) {
		// Only digits and one dot: ParseFloat fails on nothing but a
		// value too large, which it answers with +Inf.
		secs, _ := strconv.ParseFloat(v, 64)
		if secs >= MaxRetryAfter.Seconds() {
			return MaxRetryAfter, true
		}
		return time.Duration(secs * float64(time.Second)), true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return min(max(t.Sub(now), 0), MaxRetryAfter), true
}

// isSeconds tells whether v is a number of seconds: digits with at most
// one dot between them ("3", "2.128"); no sign, exponent, "Inf" or "NaN".
func isSeconds(v string) bool {
	digits, dots := 0, 0
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' && i > 0 && i < len(v)-1:
			dots++
		default:
			return false
		}
	}
	return digits > 0 && dots <= 1
}

// FromHeader reads the Retry-After of h (nil allowed) like
// [ParseRetryAfter].
func FromHeader(h http.Header, now time.Time) (time.Duration, bool) {
	if h == nil {
		return 0, false
	}
	return ParseRetryAfter(h.Get("Retry-After"), now)
}

// Sleeper waits d or until ctx is done, then returns ctx.Err(). Tests pass
// one that records the waits instead of taking them.
type Sleeper func(ctx context.Context, d time.Duration) error

// Sleep is the real [Sleeper]: it waits d (nothing when d ≤ 0) unless ctx
// ends first, and returns ctx.Err() then.
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Fits tells whether a wait of d ends before ctx's deadline, read against
// now; without a deadline it always does. A caller that would wake up past
// its deadline gives up at once instead.
func Fits(ctx context.Context, d time.Duration, now time.Time) bool {
	dl, ok := ctx.Deadline()
	return !ok || dl.Sub(now) >= d
}
