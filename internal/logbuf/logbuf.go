// Package logbuf buffers log output: `serve` writes a line for every turn,
// and one write system call a line cost more CPU under load than formatting
// the line. Lines are written together when the buffer fills, at most an
// interval after the first line waiting, and at once for a record at or
// above a level (a warning or an error is never held back), on Flush and on
// Close. What a crash can lose is the informational lines of the last
// interval; the runtime writes a crash's own message to stderr directly.
package logbuf

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"time"
)

// Defaults of New.
const (
	DefaultSize     = 32 << 10
	DefaultInterval = 100 * time.Millisecond
)

// Writer buffers writes to an underlying writer. It is safe for concurrent
// use.
type Writer struct {
	mu       sync.Mutex
	w        io.Writer
	buf      []byte
	size     int
	interval time.Duration
	timer    *time.Timer
	closed   bool
}

// New returns a Writer over w that holds at most size bytes (0: DefaultSize)
// for at most interval (0: DefaultInterval).
func New(w io.Writer, size int, interval time.Duration) *Writer {
	if size <= 0 {
		size = DefaultSize
	}
	if interval <= 0 {
		interval = DefaultInterval
	}
	return &Writer{w: w, size: size, interval: interval, buf: make([]byte, 0, size)}
}

// Write buffers p (one log line); it writes through once the Writer is
// closed, and when p alone is larger than the buffer.
func (b *Writer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed || len(p) >= b.size {
		if err := b.flushLocked(); err != nil {
			return 0, err
		}
		return b.w.Write(p)
	}
	if len(b.buf)+len(p) > b.size {
		if err := b.flushLocked(); err != nil {
			return 0, err
		}
	}
	b.buf = append(b.buf, p...)
	if b.timer == nil {
		b.timer = time.AfterFunc(b.interval, func() { _ = b.Flush() })
	}
	return len(p), nil
}

// Flush writes what is buffered.
func (b *Writer) Flush() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.flushLocked()
}

func (b *Writer) flushLocked() error {
	if b.timer != nil {
		b.timer.Stop()
		b.timer = nil
	}
	if len(b.buf) == 0 {
		return nil
	}
	_, err := b.w.Write(b.buf)
	b.buf = b.buf[:0]
	return err
}

// Close flushes and makes later writes go straight through.
func (b *Writer) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
	return b.flushLocked()
}

// FlushAt wraps h so that a record at or above level is flushed to w's
// underlying writer as soon as h has written it.
func FlushAt(h slog.Handler, level slog.Level, w *Writer) slog.Handler {
	return &flushHandler{Handler: h, level: level, w: w}
}

type flushHandler struct {
	slog.Handler
	level slog.Level
	w     *Writer
}

// Handle implements slog.Handler.
func (h *flushHandler) Handle(ctx context.Context, r slog.Record) error {
	err := h.Handler.Handle(ctx, r)
	if r.Level >= h.level {
		if ferr := h.w.Flush(); err == nil {
			err = ferr
		}
	}
	return err
}

// WithAttrs implements slog.Handler.
func (h *flushHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return &flushHandler{Handler: h.Handler.WithAttrs(attrs), level: h.level, w: h.w}
}

// WithGroup implements slog.Handler.
func (h *flushHandler) WithGroup(name string) slog.Handler {
	return &flushHandler{Handler: h.Handler.WithGroup(name), level: h.level, w: h.w}
}
