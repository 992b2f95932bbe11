package bot

import (
	"context"
	"errors"
	"sync"
)

// errPoolClosed is returned by a pool that is shutting down.
var errPoolClosed = errors.New("bot is shutting down")

// pool runs turns on goroutines it tracks, at most size at once when
// bounded; Close stops new work and waits for the running work.
type pool struct {
	sem    chan struct{} // nil: unbounded
	mu     sync.Mutex
	closed bool
	quit   chan struct{}
	wg     sync.WaitGroup
}

func newPool(size int) *pool {
	p := &pool{quit: make(chan struct{})}
	if size > 0 {
		p.sem = make(chan struct{}, size)
	}
	return p
}

// Go runs fn on its own goroutine once a slot is free. It waits for a slot
// until ctx is done or the pool closes.
func (p *pool) Go(ctx context.Context, fn func()) error {
	if p.sem != nil {
		select {
		case p.sem <- struct{}{}:
		case <-ctx.Done():
			return ctx.Err()
		case <-p.quit:
			return errPoolClosed
		}
	}
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		p.release()
		return errPoolClosed
	}
	p.wg.Add(1)
	p.mu.Unlock()
	go func() {
		defer p.wg.Done()
		defer p.release()
		fn()
	}()
	return nil
}

func (p *pool) release() {
	if p.sem != nil {
		<-p.sem
	}
}

// Close refuses new work and waits for running work until ctx is done.
func (p *pool) Close(ctx context.Context) error {
	p.mu.Lock()
	if !p.closed {
		p.closed = true
		close(p.quit)
	}
	p.mu.Unlock()
	done := make(chan struct{})
	go func() {
		p.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
