package bot

import (
	"context"
	"log/slog"

	"github.com/attestbot/attestbot/bot/schema"
	"github.com/attestbot/attestbot/internal/logtext"
)

// turnHandler scopes a logger to one activity, as Logger.With would, but
// builds the activity's attributes only when a line is written: a turn
// usually writes one line (or none below the configured level), and With
// formatted the attributes into a new handler for every activity.
type turnHandler struct {
	inner slog.Handler
	a     *schema.Activity
	// tenant is the tenant Teams vouches for (Identity), not a field of a.
	tenant string
}

// newTurnLogger returns log scoped with the activity id, type, tenant,
// conversation id and, for an invoke, its name; every value is clipped.
func newTurnLogger(log *slog.Logger, a *schema.Activity, tenant string) *slog.Logger {
	return slog.New(&turnHandler{inner: log.Handler(), a: a, tenant: tenant})
}

// attrs are the activity's attributes, in the order With used to add them.
func (h *turnHandler) attrs() []slog.Attr {
	attrs := make([]slog.Attr, 0, 5)
	attrs = append(attrs,
		slog.String("activity_id", logtext.Clip(h.a.ID)),
		slog.String("activity_type", logtext.Clip(h.a.Type)),
		slog.String("tenant_id", logtext.Clip(h.tenant)),
		slog.String("conversation_id", logtext.Clip(h.a.ConversationID())))
	if h.a.Name != "" {
		attrs = append(attrs, slog.String("invoke_name", logtext.Clip(h.a.Name)))
	}
	return attrs
}

// Enabled implements slog.Handler.
func (h *turnHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.inner.Enabled(ctx, l)
}

// Handle implements slog.Handler: the activity's attributes come first.
func (h *turnHandler) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, r.Message, r.PC)
	out.AddAttrs(h.attrs()...)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(a)
		return true
	})
	return h.inner.Handle(ctx, out)
}

// WithAttrs implements slog.Handler.
func (h *turnHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	if len(attrs) == 0 {
		return h
	}
	return h.inner.WithAttrs(h.attrs()).WithAttrs(attrs)
}

// WithGroup implements slog.Handler.
func (h *turnHandler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	return h.inner.WithAttrs(h.attrs()).WithGroup(name)
}
