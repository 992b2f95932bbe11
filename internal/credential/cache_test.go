package credential

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/internal/testclock"
)

func TestSanitize(t *testing.T) {
	const secret = "p@ss word/+="
	err := Sanitize(fmt.Errorf("body: client_secret=p%%40ss+word%%2F%%2B%%3D and %s: %w", secret, context.DeadlineExceeded), secret)
	require.NotContains(t, err.Error(), secret)
	require.NotContains(t, err.Error(), "p%40ss+word%2F%2B%3D")
	require.ErrorIs(t, err, ErrToken)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	require.False(t, err.Retryable())
}

const (
	tenantA = "aaaaaaaa-0000-4000-8000-00000000000a"
	scope   = "https://graph.example/.default"
)

// countingFetcher hands out numbered tokens with a fixed lifetime.
type countingFetcher struct {
	mu       sync.Mutex
	calls    int
	lifetime time.Duration
	now      func() time.Time
	err      error
	block    chan struct{} // when set, fetch waits for it
}

func (f *countingFetcher) fetch(_ context.Context, _ string, _ []string, _ string, _ bool) (Token, bool, error) {
	if f.block != nil {
		<-f.block
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if f.err != nil {
		return Token{}, false, f.err
	}
	return Token{Value: fmt.Sprintf("tok-%d", f.calls), ExpiresOn: f.now().Add(f.lifetime)}, false, nil
}

func (f *countingFetcher) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls
}

func fakeCredential(f *countingFetcher, clock *testclock.Clock) *Credential {
	return newCredential(Config{ClientSecret: "x", HomeTenantID: tenantA, Scope: scope}, f.fetch, clock.Now,
		slog.New(slog.DiscardHandler))
}

func TestCredential_Token_RefreshTiming(t *testing.T) {
	tests := []struct {
		name        string
		lifetime    time.Duration
		advance     time.Duration
		minLifetime time.Duration
		want        string
	}{
		{name: "reused well before expiry", lifetime: time.Hour, advance: 30 * time.Minute, want: "tok-1"},
		{name: "reused until 5 min before expiry", lifetime: time.Hour, advance: 55*time.Minute - time.Second, want: "tok-1"},
		{name: "refreshed 5 min before expiry", lifetime: time.Hour, advance: 55 * time.Minute, want: "tok-2"},
		{name: "short-lived token reused for half its life", lifetime: 4 * time.Minute, advance: 2*time.Minute - time.Second, want: "tok-1"},
		{name: "short-lived token refreshed at half its life", lifetime: 4 * time.Minute, advance: 2 * time.Minute, want: "tok-2"},
		{name: "longer need refreshes earlier", lifetime: time.Hour, advance: 15 * time.Minute, minLifetime: 45 * time.Minute, want: "tok-2"},
		{name: "longer need met", lifetime: time.Hour, advance: 14 * time.Minute, minLifetime: 45 * time.Minute, want: "tok-1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := testclock.New(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
			f := &countingFetcher{lifetime: tt.lifetime, now: clock.Now}
			c := fakeCredential(f, clock)

			tok, err := c.Token(t.Context(), Request{})
			require.NoError(t, err)
			require.Equal(t, "tok-1", tok.Value)
			clock.Advance(tt.advance)
			tok, err = c.Token(t.Context(), Request{MinLifetime: tt.minLifetime})
			require.NoError(t, err)
			require.Equal(t, tt.want, tok.Value)
		})
	}
}

func TestCredential_Token_SingleFlight(t *testing.T) {
	clock := testclock.New(time.Now())
	f := &countingFetcher{lifetime: time.Hour, now: clock.Now, block: make(chan struct{})}
	c := fakeCredential(f, clock)

	const n = 30
	var wg sync.WaitGroup
	results := make(chan string, n)
	for range n {
		wg.Go(func() {
			tok, err := c.Token(context.Background(), Request{})
			if err != nil {
				results <- err.Error()
				return
			}
			results <- tok.Value
		})
	}
	close(f.block) // callers that come after the flight read the cache
	wg.Wait()
	close(results)
	for r := range results {
		require.Equal(t, "tok-1", r)
	}
	require.Equal(t, 1, f.count())
}

func TestCredential_Token_ErrorsNotCached(t *testing.T) {
	clock := testclock.New(time.Now())
	f := &countingFetcher{lifetime: time.Hour, now: clock.Now, err: errors.New("entra down")}
	c := fakeCredential(f, clock)

	_, err := c.Token(t.Context(), Request{})
	require.ErrorContains(t, err, "entra down")
	f.mu.Lock()
	f.err = nil
	f.mu.Unlock()
	tok, err := c.Token(t.Context(), Request{})
	require.NoError(t, err)
	require.Equal(t, "tok-2", tok.Value)
}

func TestCredential_Token_CanceledWaiter(t *testing.T) {
	clock := testclock.New(time.Now())
	f := &countingFetcher{lifetime: time.Hour, now: clock.Now, block: make(chan struct{})}
	c := fakeCredential(f, clock)

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := c.Token(ctx, Request{})
	require.ErrorIs(t, err, context.Canceled)
	require.ErrorIs(t, err, ErrToken)

	close(f.block)
	tok, err := c.Token(t.Context(), Request{})
	require.NoError(t, err)
	require.Equal(t, "tok-1", tok.Value, "the fetch the canceled caller started still served the next caller")
}

// BenchmarkCredential_Token_Cached measures a cache hit, the path of every
// Bot Connector and Graph call.
func BenchmarkCredential_Token_Cached(b *testing.B) {
	clock := testclock.New(time.Now())
	c := fakeCredential(&countingFetcher{lifetime: time.Hour, now: clock.Now}, clock)
	r := Request{Tenant: tenantA, Scopes: []string{scope}}
	if _, err := c.Token(b.Context(), r); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Token(b.Context(), r); err != nil {
			b.Fatal(err)
		}
	}
}
