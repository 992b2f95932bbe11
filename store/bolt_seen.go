package store

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
	"time"

	"go.etcd.io/bbolt"
)

// maxPendingSeen bounds the idempotency marks held in memory while the
// file cannot be written; MarkSeen fails beyond it.
const maxPendingSeen = 100000

// seenRetry is the pause before a failed write of marks is tried again.
const seenRetry = time.Second

// seenEvery is the least time between two commits of marks: under load
// the marks of this long share one transaction and one fsync. At 20 ms the
// commits were 3 % of serve's CPU under the harness's load (4,000 turns a
// second); at 100 ms, 1.6 %.
const seenEvery = 100 * time.Millisecond

// seenWriter writes idempotency marks behind [BoltStore.MarkSeen]: a mark
// is decided and held in memory at once, and a single goroutine commits
// the marks made meanwhile in one transaction (one fsync for all of them).
// The turn that made a mark does not wait for the disk.
//
// Guarantee: within the process a key marked within its ttl is never
// reported first again (the mark is in pending until it is committed, and
// in the file after). A graceful Close commits every pending mark, so a
// restart keeps them; a crash of the process or the machine loses the
// marks not yet committed (at most seenEvery plus one commit of
// activities, about a tenth of a second), whose redelivery after the
// restart would then be processed again.
type seenWriter struct {
	mu      sync.Mutex
	pending map[string]int64 // key → expiry (Unix ns), not yet committed
	closed  bool
	err     error // last failed commit, nil after a good one

	flushMu sync.Mutex // one commit at a time
	wake    chan struct{}
	quit    chan struct{}
	done    chan struct{}
}

func newSeenWriter() *seenWriter {
	return &seenWriter{pending: map[string]int64{}, wake: make(chan struct{}, 1),
		quit: make(chan struct{}), done: make(chan struct{})}
}

// errSeenClosed is returned by MarkSeen on a closed store.
var errSeenClosed = errors.New("store is closed")

// MarkSeen implements [Deduper]. Entries hold their expiry time; expired
// entries count as absent and are swept at most once per SweepInterval.
// The mark is committed to the file shortly after MarkSeen returns (see
// seenWriter for what a crash loses).
func (s *BoltStore) MarkSeen(ctx context.Context, key string, ttl time.Duration) (bool, error) {
	if err := checkSeen(key, ttl); err != nil {
		return false, fmt.Errorf("mark seen: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return false, fmt.Errorf("mark seen: %w", err)
	}
	now := s.now().UnixNano()
	w := s.seen
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return false, fmt.Errorf("mark seen: %w", errSeenClosed)
	}
	if exp, ok := w.pending[key]; ok && exp > now {
		return false, nil
	}
	// Checked and set under w.mu: a committed mark leaves pending only
	// after its transaction, so a key is always in one of the two.
	live := false
	err := s.db.View(func(tx *bbolt.Tx) error {
		v := tx.Bucket(bktSeen).Get([]byte(key))
		live = len(v) == 8 && int64(binary.BigEndian.Uint64(v)) > now
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("mark seen: %w", err)
	}
	if live {
		return false, nil
	}
	if len(w.pending) >= maxPendingSeen {
		return false, fmt.Errorf("mark seen: %d marks not yet written: %w", len(w.pending), w.err)
	}
	w.pending[key] = now + int64(ttl)
	select {
	case w.wake <- struct{}{}:
	default:
	}
	return true, nil
}

// runSeenWriter commits pending marks until the store closes.
func (s *BoltStore) runSeenWriter() {
	w := s.seen
	defer close(w.done)
	for {
		select {
		case <-w.wake:
		case <-w.quit:
			return
		}
		pause := seenEvery
		if err := s.flushSeen(); err != nil {
			pause = seenRetry
			select {
			case w.wake <- struct{}{}: // try again after the pause
			default:
			}
		}
		select {
		case <-time.After(pause):
		case <-w.quit:
			return
		}
	}
}

// flushSeen commits the pending marks in one transaction, with a sweep of
// expired marks when one is due.
func (s *BoltStore) flushSeen() error {
	w := s.seen
	w.flushMu.Lock()
	defer w.flushMu.Unlock()
	w.mu.Lock()
	batch := make(map[string]int64, len(w.pending))
	for k, exp := range w.pending {
		batch[k] = exp
	}
	w.mu.Unlock()
	if len(batch) == 0 {
		return nil
	}
	now := s.now()
	err := s.db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bktSeen)
		// bbolt keeps the value slices until the commit: one array each.
		vals := make([]byte, 8*len(batch))
		i := 0
		for k, exp := range batch {
			v := vals[i : i+8 : i+8]
			i += 8
			binary.BigEndian.PutUint64(v, uint64(exp))
			if err := b.Put([]byte(k), v); err != nil {
				return err
			}
		}
		if s.sweepDue(now) {
			return sweepSeen(b, now)
		}
		return nil
	})
	w.mu.Lock()
	defer w.mu.Unlock()
	if err != nil {
		w.err = fmt.Errorf("write idempotency marks: %w", err)
		return w.err
	}
	w.err = nil
	for k, exp := range batch {
		if w.pending[k] == exp {
			delete(w.pending, k)
		}
	}
	return nil
}

// closeSeen stops the writer and commits what is pending.
func (s *BoltStore) closeSeen() error {
	w := s.seen
	w.mu.Lock()
	w.closed = true
	w.mu.Unlock()
	close(w.quit)
	<-w.done
	return s.flushSeen()
}
