package bot

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"

	"github.com/attestbot/attestbot/bot/schema"
	"github.com/attestbot/attestbot/internal/logtext"
	"github.com/stretchr/testify/require"
)

// TestTurnLoggerMatchesWith: the lazy turn logger writes what Logger.With
// with the same attributes wrote, at every level and through With and
// WithGroup, and writes nothing below the level.
func TestTurnLoggerMatchesWith(t *testing.T) {
	long := strings.Repeat("c", logtext.MaxLen+10)
	acts := []*schema.Activity{
		{ID: "1", Type: "message", Conversation: &schema.ConversationAccount{ID: long}},
		{ID: "2", Type: "invoke", Name: "adaptiveCard/action"},
		{},
	}
	noTime := func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}
	for _, a := range acts {
		for _, json := range []bool{false, true} {
			var got, want bytes.Buffer
			opts := &slog.HandlerOptions{Level: slog.LevelInfo, ReplaceAttr: noTime}
			mk := func(w *bytes.Buffer) *slog.Logger {
				if json {
					return slog.New(slog.NewJSONHandler(w, opts))
				}
				return slog.New(slog.NewTextHandler(w, opts))
			}
			lazy := newTurnLogger(mk(&got), a, "tenant-1")
			eager := mk(&want).With("activity_id", logtext.Clip(a.ID), "activity_type", logtext.Clip(a.Type),
				"tenant_id", "tenant-1", "conversation_id", logtext.Clip(a.ConversationID()))
			if a.Name != "" {
				eager = eager.With("invoke_name", logtext.Clip(a.Name))
			}
			for _, l := range []*slog.Logger{lazy, eager} {
				l.Debug("hidden", "k", 1)
				l.Info("turn handled", "route", "r", "duration", 3)
				l.Warn("w", slog.Group("g", "x", "y"))
				l.With("k", "v").Error("e")
				l.WithGroup("grp").Info("in group", "a", 1)
				l.With().WithGroup("").Info("plain")
			}
			lines := strings.Split(strings.TrimSpace(got.String()+want.String()), "\n")
			require.Len(t, lines, 10)
			for i := range 5 {
				require.Equal(t, lines[5+i], lines[i])
			}
			require.NotContains(t, got.String(), "hidden")
		}
	}
}
