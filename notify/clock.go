package notify

import (
	"context"
	"time"

	"github.com/attestbot/attestbot/internal/retry"
)

// Clock tells the time and waits. Tests and benchmarks inject a virtual
// clock so that pacing and backoff take no real time.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
	// Sleep waits for d or until ctx is done, whichever comes first, and
	// returns ctx.Err() in the second case.
	Sleep(ctx context.Context, d time.Duration) error
}

// SystemClock is the real clock.
type SystemClock struct{}

// Now implements Clock.
func (SystemClock) Now() time.Time { return time.Now() }

// Sleep implements Clock.
func (SystemClock) Sleep(ctx context.Context, d time.Duration) error {
	return retry.Sleep(ctx, d)
}
