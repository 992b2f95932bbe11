package notify

import (
	"context"
	"time"

	"github.com/attestbot/attestbot/store"
)

// Rate is a request rate: at most Limit requests in any window of length
// Per (store.Rate).
type Rate = store.Rate

// Graph limits of graph-msal-manifest.md §1.4.
var (
	// RateSingle is the per-tenant limit of
	// POST /users/{id}/teamwork/sendActivityNotification: 5 rps.
	RateSingle = Rate{Limit: 5, Per: time.Second}
	// RateBulk is the per-tenant limit of
	// POST /teamwork/sendActivityNotificationToRecipients: 2 rps.
	RateBulk = Rate{Limit: 2, Per: time.Second}
	// RateUser is the per-user limit: 10 notifications a minute.
	RateUser = Rate{Limit: 10, Per: time.Minute}
)

// Limiter paces requests (store.NewRateLimiter picks the one of a store).
// Reserve takes one slot of rate on every key and returns how long the
// caller must wait (from now) before using them all.
type Limiter interface {
	Reserve(ctx context.Context, now time.Time, rate Rate, keys ...string) (time.Duration, error)
}
