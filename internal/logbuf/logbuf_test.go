package logbuf

import (
	"bytes"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// syncBuffer is a bytes.Buffer safe for the timer's goroutine.
type syncBuffer struct {
	mu     sync.Mutex
	b      bytes.Buffer
	writes int
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.writes++
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func (s *syncBuffer) Writes() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.writes
}

func TestWriterHoldsLinesUntilFlush(t *testing.T) {
	out := &syncBuffer{}
	w := New(out, 64, time.Hour)
	for range 3 {
		_, err := w.Write([]byte("line\n"))
		require.NoError(t, err)
	}
	require.Empty(t, out.String())
	require.NoError(t, w.Flush())
	require.Equal(t, "line\nline\nline\n", out.String())
	require.Equal(t, 1, out.Writes(), "three lines, one write")
}

func TestWriterFlushesWhenFull(t *testing.T) {
	out := &syncBuffer{}
	w := New(out, 16, time.Hour)
	for _, l := range []string{"aaaaaa\n", "bbbbbb\n", "cccccc\n"} {
		_, err := w.Write([]byte(l))
		require.NoError(t, err)
	}
	require.Equal(t, "aaaaaa\nbbbbbb\n", out.String())
	_, err := w.Write([]byte(strings.Repeat("x", 20) + "\n"))
	require.NoError(t, err)
	require.Equal(t, "aaaaaa\nbbbbbb\ncccccc\n"+strings.Repeat("x", 20)+"\n", out.String(), "a long line goes through, in order")
}

func TestWriterFlushesAfterInterval(t *testing.T) {
	out := &syncBuffer{}
	w := New(out, 1024, time.Millisecond)
	_, err := w.Write([]byte("late\n"))
	require.NoError(t, err)
	require.Eventually(t, func() bool { return out.String() == "late\n" }, 10*time.Second, time.Millisecond)
}

func TestCloseFlushesAndWritesThrough(t *testing.T) {
	out := &syncBuffer{}
	w := New(out, 1024, time.Hour)
	_, _ = w.Write([]byte("a\n"))
	require.NoError(t, w.Close())
	require.Equal(t, "a\n", out.String())
	_, _ = w.Write([]byte("b\n"))
	require.Equal(t, "a\nb\n", out.String())
}

func TestFlushAtLevel(t *testing.T) {
	out := &syncBuffer{}
	w := New(out, 1024, time.Hour)
	log := slog.New(FlushAt(slog.NewTextHandler(w, nil), slog.LevelWarn, w)).With("k", "v").WithGroup("g")
	log.Info("held")
	require.Empty(t, out.String())
	log.Warn("now")
	require.Contains(t, out.String(), "msg=held")
	require.Contains(t, out.String(), "msg=now")
	require.Contains(t, out.String(), "k=v")
}
