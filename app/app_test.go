package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/internal/config"
)

// logBuffer is a JSON log sink the app writes while the test reads it.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// lines returns the messages logged, each with its step when it has one.
func (b *logBuffer) lines(t *testing.T) []string {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []string
	for _, l := range strings.Split(strings.TrimSpace(b.buf.String()), "\n") {
		var rec struct {
			Msg  string `json:"msg"`
			Step string `json:"step"`
		}
		require.NoError(t, json.Unmarshal([]byte(l), &rec), l)
		if rec.Step != "" {
			rec.Msg += " " + rec.Step
		}
		out = append(out, rec.Msg)
	}
	return out
}

func (b *logBuffer) has(msg string) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return strings.Contains(b.buf.String(), msg)
}

func localConfig(t *testing.T, env map[string]string) config.Config {
	t.Helper()
	base := map[string]string{"ATTESTBOT_STORE": filepath.Join(t.TempDir(), "attestbot.db"), "ATTESTBOT_LISTEN": "127.0.0.1:0"}
	for k, v := range env {
		base[k] = v
	}
	cfg, err := config.FromEnv(func(k string) string { return base[k] })
	require.NoError(t, err)
	return cfg
}

func steps(lines []string) []string {
	var out []string
	for _, l := range lines {
		if rest, ok := strings.CutPrefix(l, "shutdown step done "); ok {
			out = append(out, rest)
		}
	}
	return out
}

// TestRun_ShutdownInReverse: serve in local mode builds, runs, and at the
// stop runs its named cleanups in the reverse order of construction.
func TestRun_ShutdownInReverse(t *testing.T) {
	var logs logBuffer
	log := slog.New(slog.NewJSONHandler(&logs, nil))
	cfg := localConfig(t, nil)
	a, err := New(t.Context(), cfg, log, "test", WithPprof("127.0.0.1:0"))
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	require.Eventually(t, func() bool { return logs.has("bot listening") }, 30*time.Second, 10*time.Millisecond)
	cancel()
	require.NoError(t, <-done)
	lines := logs.lines(t)
	require.Contains(t, lines, "attestbot starting")
	require.Contains(t, lines, "catalog loaded")
	require.Equal(t, []string{"alerts", "store", "pprof"}, steps(lines))
}

// TestNew_FailureClosesWhatWasBuilt: a store that cannot open fails New,
// and the profiling server started before it is stopped.
func TestNew_FailureClosesWhatWasBuilt(t *testing.T) {
	var logs logBuffer
	log := slog.New(slog.NewJSONHandler(&logs, nil))
	cfg := localConfig(t, nil)
	blocker := filepath.Join(t.TempDir(), "file")
	require.NoError(t, os.WriteFile(blocker, []byte("not a directory"), 0o600))
	cfg.Store = filepath.Join(blocker, "attestbot.db") // a path under a file
	_, err := New(t.Context(), cfg, log, "test", WithPprof("127.0.0.1:0"))
	require.ErrorContains(t, err, "open store")
	require.Equal(t, []string{"pprof"}, steps(logs.lines(t)))
}

// TestShutdown_OneDeadline: a cleanup that outlives the deadline is
// abandoned with its name, and the ones after it still run.
func TestShutdown_OneDeadline(t *testing.T) {
	var logs logBuffer
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	a := &App{cfg: config.Config{ShutdownTimeout: 200 * time.Millisecond}, log: slog.New(slog.NewJSONHandler(&logs, nil))}
	a.onShutdown("first", func(context.Context) error { return nil })
	a.onShutdown("stuck", func(context.Context) error { <-release; return nil })
	a.onShutdown("failing", func(context.Context) error { return errors.New("boom") })
	a.shutdown(t.Context(), time.Now())
	lines := logs.lines(t)
	require.Equal(t, []string{"shutdown step failed failing", "shutdown step abandoned: deadline passed stuck"}, lines[:2])
	require.Empty(t, a.cleanups)
}
