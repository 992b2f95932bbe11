package bot

import (
	"context"
	"errors"
	"sync"
	"time"
)

// errPoolClosed is returned by a pool that is shutting down.
var errPoolClosed = errors.New("bot is shutting down")

// pool runs turns on goroutines it tracks, at most size at once when
// bounded; Close stops new work and waits for the running work. A worker
// goroutine that finished a turn waits a while for the next one: a turn
// run on a fresh goroutine pays for growing its stack (about a tenth of a
// turn's CPU under load).
type pool struct {
	sem    chan struct{} // nil: unbounded
	tasks  chan func()   // unbuffered: taken only by an idle worker
	mu     sync.Mutex
	closed bool
	quit   chan struct{}
	wg     sync.WaitGroup
}

// workerIdle is how long an idle worker waits for a turn before it exits.
const workerIdle = time.Minute

func newPool(size int) *pool {
	p := &pool{quit: make(chan struct{}), tasks: make(chan func())}
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
	task := func() {
		defer p.wg.Done()
		defer p.release()
		fn()
	}
	select {
	case p.tasks <- task:
	default:
		go p.worker(task)
	}
	return nil
}

// worker runs task, then the tasks handed to it while it is idle, until it
// has waited workerIdle or the pool closes.
func (p *pool) worker(task func()) {
	idle := time.NewTimer(workerIdle)
	defer idle.Stop()
	for {
		task()
		idle.Reset(workerIdle)
		select {
		case task = <-p.tasks:
		case <-idle.C:
			return
		case <-p.quit:
			return
		}
	}
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
