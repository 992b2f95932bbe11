package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
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

func (f *countingFetcher) fetch(context.Context) (fetchedToken, error) {
	if f.block != nil {
		<-f.block
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if f.err != nil {
		return fetchedToken{}, f.err
	}
	return fetchedToken{value: fmt.Sprintf("tok-%d", f.calls), expiresOn: f.now().Add(f.lifetime)}, nil
}

func (f *countingFetcher) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls
}

type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func TestCachedTokenSource_Token_RefreshTiming(t *testing.T) {
	tests := []struct {
		name     string
		lifetime time.Duration
		advance  time.Duration
		want     string
	}{
		{name: "reused well before expiry", lifetime: time.Hour, advance: 30 * time.Minute, want: "tok-1"},
		{name: "reused until 5 min before expiry", lifetime: time.Hour, advance: 55*time.Minute - time.Second, want: "tok-1"},
		{name: "refreshed 5 min before expiry", lifetime: time.Hour, advance: 55 * time.Minute, want: "tok-2"},
		{name: "short-lived token reused for half its life", lifetime: 4 * time.Minute, advance: 2*time.Minute - time.Second, want: "tok-1"},
		{name: "short-lived token refreshed at half its life", lifetime: 4 * time.Minute, advance: 2 * time.Minute, want: "tok-2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := &testClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
			f := &countingFetcher{lifetime: tt.lifetime, now: clock.Now}
			s := newCachedTokenSource(f, AppTypeMultiTenant, clock.Now, discardLogger())

			tok, err := s.Token(context.Background())
			require.NoError(t, err)
			require.Equal(t, "tok-1", tok)
			clock.Advance(tt.advance)
			tok, err = s.Token(context.Background())
			require.NoError(t, err)
			require.Equal(t, tt.want, tok)
		})
	}
}

func TestCachedTokenSource_Token_SingleFlight(t *testing.T) {
	clock := &testClock{now: time.Now()}
	f := &countingFetcher{lifetime: time.Hour, now: clock.Now, block: make(chan struct{})}
	s := newCachedTokenSource(f, AppTypeMultiTenant, clock.Now, discardLogger())

	const n = 30
	var wg sync.WaitGroup
	results := make(chan string, n)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tok, err := s.Token(context.Background())
			if err != nil {
				results <- err.Error()
				return
			}
			results <- tok
		}()
	}
	time.Sleep(20 * time.Millisecond) // let the callers pile up on the flight
	close(f.block)
	wg.Wait()
	close(results)
	for r := range results {
		require.Equal(t, "tok-1", r)
	}
	require.Equal(t, 1, f.count())
}

func TestCachedTokenSource_Token_ErrorsNotCached(t *testing.T) {
	clock := &testClock{now: time.Now()}
	f := &countingFetcher{lifetime: time.Hour, now: clock.Now, err: errors.New("entra down")}
	s := newCachedTokenSource(f, AppTypeSingleTenant, clock.Now, discardLogger())

	_, err := s.Token(context.Background())
	require.ErrorContains(t, err, "entra down")
	f.mu.Lock()
	f.err = nil
	f.mu.Unlock()
	tok, err := s.Token(context.Background())
	require.NoError(t, err)
	require.Equal(t, "tok-2", tok)
}

func TestCachedTokenSource_Token_CanceledWaiter(t *testing.T) {
	clock := &testClock{now: time.Now()}
	f := &countingFetcher{lifetime: time.Hour, now: clock.Now, block: make(chan struct{})}
	s := newCachedTokenSource(f, AppTypeMultiTenant, clock.Now, discardLogger())

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := s.Token(ctx)
	require.ErrorIs(t, err, context.Canceled)
	require.ErrorIs(t, err, ErrTokenAcquisition)

	close(f.block)
	tok, err := s.Token(context.Background())
	require.NoError(t, err)
	require.Equal(t, "tok-1", tok, "the fetch the canceled caller started still served the next caller")
}

func TestCredentialConfig_AuthorityAndScope(t *testing.T) {
	tests := []struct {
		name          string
		cfg           CredentialConfig
		wantAuthority string
		wantScope     string
	}{
		{name: "multi-tenant defaults", cfg: CredentialConfig{},
			wantAuthority: "https://login.microsoftonline.com/botframework.com", wantScope: "https://api.botframework.com/.default"},
		{name: "multi-tenant ignores tenant", cfg: CredentialConfig{TenantID: "tid"},
			wantAuthority: "https://login.microsoftonline.com/botframework.com", wantScope: "https://api.botframework.com/.default"},
		{name: "single-tenant", cfg: CredentialConfig{AppType: "singletenant", TenantID: "tid"},
			wantAuthority: "https://login.microsoftonline.com/tid", wantScope: "https://api.botframework.com/.default"},
		{name: "gov, trailing slashes", cfg: CredentialConfig{LoginURL: "https://login.microsoftonline.us/", OAuthScope: "https://api.botframework.us/"},
			wantAuthority: "https://login.microsoftonline.us/botframework.com", wantScope: "https://api.botframework.us/.default"},
		{name: "scope already has .default", cfg: CredentialConfig{OAuthScope: "https://api.botframework.com/.default"},
			wantAuthority: "https://login.microsoftonline.com/botframework.com", wantScope: "https://api.botframework.com/.default"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := tt.cfg.withDefaults()
			require.NoError(t, err)
			require.Equal(t, tt.wantAuthority, cfg.authority())
			require.Equal(t, tt.wantScope, cfg.scope())
		})
	}
}

func TestSanitize(t *testing.T) {
	const secret = "p@ss word/+="
	err := sanitize(fmt.Errorf("body: client_secret=p%%40ss+word%%2F%%2B%%3D and %s: %w", secret, context.DeadlineExceeded), secret)
	require.NotContains(t, err.Error(), secret)
	require.NotContains(t, err.Error(), "p%40ss+word%2F%2B%3D")
	require.ErrorIs(t, err, ErrTokenAcquisition)
	require.ErrorIs(t, err, context.DeadlineExceeded)
}

func FuzzParseJWK(f *testing.F) {
	f.Add([]byte(`{"kty":"RSA","kid":"k","n":"AQAB","e":"AQAB","endorsements":["msteams"]}`))
	f.Add([]byte(`{"kty":"RSA","kid":"k","n":"` + string(make([]byte, 0)) + `","e":"AQ=="}`))
	f.Add([]byte(`{"kty":"EC","kid":"k"}`))
	f.Add([]byte(`{"kty":"RSA","kid":"k","n":"AQAB","e":"AQABAQAB"}`))
	f.Add([]byte(`{"endorsements":"msteams"}`))
	f.Add([]byte(`null`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		k, err := parseJWK(json.RawMessage(data))
		if err != nil {
			return
		}
		require.NotEmpty(t, k.KeyID)
		require.NotNil(t, k.Key)
		require.GreaterOrEqual(t, k.Key.N.BitLen(), minRSAKeyBits)
		require.GreaterOrEqual(t, k.Key.E, 3)
	})
}

func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }
