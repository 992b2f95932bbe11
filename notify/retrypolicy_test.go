package notify

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestRetryPolicies pins the delivery retry schedule: failed sends back off
// from BackoffBase doubling up to BackoffMax with up to half taken off at
// random, MaxAttempts in all; throttled sends wait their Retry-After (at
// least 1 s) plus up to 10 %, MaxThrottled times.
func TestRetryPolicies(t *testing.T) {
	failures, throttles := retryPolicies(DelivererConfig{MaxAttempts: 4, MaxThrottled: 2,
		BackoffBase: 2 * time.Second, BackoffMax: 15 * time.Second})
	tests := []struct {
		name     string
		failed   bool // a failure (else throttled)
		attempt  int
		after    time.Duration
		jitter   float64
		want     time.Duration
		wantMore bool
	}{
		{name: "first failure, least jitter", failed: true, attempt: 1, jitter: 0, want: time.Second, wantMore: true},
		{name: "first failure, no jitter taken off", failed: true, attempt: 1, jitter: 0.999999, want: 1999999000 * time.Nanosecond, wantMore: true},
		{name: "third failure", failed: true, attempt: 3, jitter: 0.5, want: 6 * time.Second, wantMore: true},
		{name: "failures used up", failed: true, attempt: 4},
		{name: "throttled", attempt: 1, after: 3 * time.Second, jitter: 0.5, want: 3150 * time.Millisecond, wantMore: true},
		{name: "throttled without a wait", attempt: 2, after: 0, jitter: 0, want: time.Second, wantMore: true},
		{name: "throttled too often", attempt: 3, after: time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := throttles
			if tt.failed {
				p = failures
			}
			got, more := p.Next(tt.attempt, tt.after, !tt.failed, tt.jitter)
			require.Equal(t, tt.wantMore, more)
			require.Equal(t, tt.want, got)
		})
	}
	require.Equal(t, 7500*time.Millisecond, failures.Backoff(40, 0), "BackoffMax caps, half of it may go")
	require.LessOrEqual(t, failures.Backoff(40, 0.999999999), 15*time.Second, "BackoffMax is a ceiling")

	// Outbox writes: 50 ms doubling, at most 5 s, no jitter.
	require.Equal(t, 50*time.Millisecond, storeWriteRetry.Backoff(1, 0.9))
	require.Equal(t, 3200*time.Millisecond, storeWriteRetry.Backoff(7, 0.9))
	require.Equal(t, 5*time.Second, storeWriteRetry.Backoff(8, 0.9))
}
