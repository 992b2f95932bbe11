package bot

import (
	"crypto/sha256"
	"encoding/json"
	"sync"
	"time"
)

// limiter bounds the requests served at once; acquire never waits.
type limiter struct{ slots chan struct{} }

func newLimiter(n int) *limiter { return &limiter{slots: make(chan struct{}, n)} }

// acquire takes a slot and returns its release, or ok=false when every slot
// is taken.
func (l *limiter) acquire() (release func(), ok bool) {
	select {
	case l.slots <- struct{}{}:
		return func() { <-l.slots }, true
	default:
		return nil, false
	}
}

// Bounds of the conversation reference cache.
const (
	// refCacheSize is how many (tenant, user) references are remembered;
	// past it the cache starts again empty.
	refCacheSize = 50_000
	// refRewriteAfter is how long an unchanged reference is not written
	// again (another replica may have forgotten it since).
	refRewriteAfter = time.Hour
)

// refCache remembers the last conversation reference written per (tenant,
// user), so that the reference refreshed on every personal activity costs a
// store write only when it changed. Safe for concurrent use.
type refCache struct {
	mu      sync.Mutex
	size    int
	rewrite time.Duration
	last    map[string]refEntry
}

type refEntry struct {
	sum     [32]byte
	written time.Time
}

func newRefCache(size int, rewrite time.Duration) *refCache {
	return &refCache{size: size, rewrite: rewrite, last: map[string]refEntry{}}
}

func refKey(ref ConversationRef) string { return ref.TenantID + "\x00" + ref.UserID }

// refSum hashes what a reference says, without its timestamp.
func refSum(ref ConversationRef) [32]byte {
	ref.UpdatedAt = time.Time{}
	data, _ := json.Marshal(ref) // a struct of strings always encodes
	return sha256.Sum256(data)
}

// unchanged reports whether ref equals the one written for its user less
// than the rewrite interval before now.
func (c *refCache) unchanged(ref ConversationRef, now time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.last[refKey(ref)]
	return ok && e.sum == refSum(ref) && now.Sub(e.written) < c.rewrite
}

// stored records that ref was written at now.
func (c *refCache) stored(ref ConversationRef, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.last) >= c.size {
		clear(c.last)
	}
	c.last[refKey(ref)] = refEntry{sum: refSum(ref), written: now}
}

// forget drops the user's entry (the reference was deleted).
func (c *refCache) forget(tenantID, userID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.last, tenantID+"\x00"+userID)
}
