package bot

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"time"

	"github.com/attestbot/attestbot/bot/schema"
)

// PanicError is returned by the recovery middleware for a handler that
// panicked.
type PanicError struct {
	Value any
}

// Error describes the panic.
func (e *PanicError) Error() string { return fmt.Sprintf("handler panicked: %v", e.Value) }

// Recover turns a handler panic into a *PanicError (an invoke then gets 500)
// and logs the stack; the process keeps serving.
func Recover() Middleware {
	return func(next HandlerFunc) HandlerFunc {
		return func(ctx context.Context, t *Turn) (resp *schema.InvokeResponse, err error) {
			defer func() {
				if r := recover(); r != nil {
					t.Log.Error("handler panicked", "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
					resp, err = nil, &PanicError{Value: r}
				}
			}()
			return next(ctx, t)
		}
	}
}

// Logging logs one line per turn: route, status, duration and error. It logs
// no message text and no token.
func Logging() Middleware {
	return func(next HandlerFunc) HandlerFunc {
		return func(ctx context.Context, t *Turn) (*schema.InvokeResponse, error) {
			start := time.Now()
			resp, err := next(ctx, t)
			attrs := []any{"route", t.route, "duration", time.Since(start)}
			if resp != nil {
				attrs = append(attrs, "status", statusOf(resp))
			}
			if err != nil {
				t.Log.Error("turn failed", append(attrs, "err", err)...)
			} else {
				t.Log.Info("turn handled", attrs...)
			}
			return resp, err
		}
	}
}

// TenantAllowlist serves only the listed tenants (an empty list serves all).
// An invoke from another tenant gets 403; its other activities are ignored.
func TenantAllowlist(tenants []string) Middleware {
	allowed := make(map[string]struct{}, len(tenants))
	for _, id := range tenants {
		if id != "" {
			allowed[id] = struct{}{}
		}
	}
	return func(next HandlerFunc) HandlerFunc {
		if len(allowed) == 0 {
			return next
		}
		return func(ctx context.Context, t *Turn) (*schema.InvokeResponse, error) {
			if _, ok := allowed[t.TenantID()]; ok {
				return next(ctx, t)
			}
			t.Log.Warn("tenant not allowed, activity refused", "refused_tenant_id", t.TenantID())
			if t.Activity.IsInvoke() {
				return &schema.InvokeResponse{Status: 403}, nil
			}
			return nil, nil
		}
	}
}

// Dedup processes a redelivered non-invoke activity (same channel,
// conversation and id within ttl) once. Invokes are not deduplicated: Teams
// repeats an invoke only when it got no answer, and the answer must be
// computed again. A Deduper failure is logged and the activity processed.
func Dedup(d Deduper, ttl time.Duration) Middleware {
	return func(next HandlerFunc) HandlerFunc {
		if d == nil {
			return next
		}
		return func(ctx context.Context, t *Turn) (*schema.InvokeResponse, error) {
			a := t.Activity
			if a.IsInvoke() || a.ID == "" {
				return next(ctx, t)
			}
			first, err := d.MarkSeen(ctx, dedupKey(a), ttl)
			if err != nil {
				t.Log.Warn("dedup unavailable, processing anyway", "err", err)
				return next(ctx, t)
			}
			if !first {
				t.Log.Info("duplicate activity ignored")
				return nil, nil
			}
			return next(ctx, t)
		}
	}
}

// dedupKey identifies an activity delivery.
func dedupKey(a *schema.Activity) string {
	return "activity:" + a.ChannelID + ":" + a.ConversationID() + ":" + a.ID
}

// statusOf returns the HTTP status of an invoke response.
func statusOf(r *schema.InvokeResponse) int {
	if r == nil || r.Status == 0 {
		return 200
	}
	return r.Status
}

// discardLogger returns l or a logger that drops everything.
func discardLogger(l *slog.Logger) *slog.Logger {
	if l == nil {
		return slog.New(slog.DiscardHandler)
	}
	return l
}
