package retry

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

var testNow = time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)

func TestParseRetryAfter(t *testing.T) {
	tests := []struct {
		give   string
		want   time.Duration
		wantOK bool
	}{
		{give: ""},
		{give: "   "},
		{give: "0", want: 0, wantOK: true},
		{give: " 12 ", want: 12 * time.Second, wantOK: true},
		{give: "2.128", want: 2128 * time.Millisecond, wantOK: true},
		{give: "0.5", want: 500 * time.Millisecond, wantOK: true},
		{give: "86400", want: MaxRetryAfter, wantOK: true},
		{give: "1000000000", want: MaxRetryAfter, wantOK: true},
		{give: strings.Repeat("9", 400), want: MaxRetryAfter, wantOK: true},
		{give: testNow.Add(42 * time.Second).Format(http.TimeFormat), want: 42 * time.Second, wantOK: true},
		{give: testNow.Add(-time.Minute).Format(http.TimeFormat), want: 0, wantOK: true},
		{give: testNow.Add(48 * time.Hour).Format(http.TimeFormat), want: MaxRetryAfter, wantOK: true},
		{give: "Friday, 01-May-26 12:00:05 GMT", want: 5 * time.Second, wantOK: true}, // RFC 850 form
		{give: "-1"},
		{give: "+3"},
		{give: "1e9"},
		{give: "NaN"},
		{give: "Inf"},
		{give: ".5"},
		{give: "5."},
		{give: "1.2.3"},
		{give: "0x10"},
		{give: "soon"},
	}
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			got, ok := ParseRetryAfter(tt.give, testNow)
			require.Equal(t, tt.wantOK, ok)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestFromHeader(t *testing.T) {
	d, ok := FromHeader(nil, testNow)
	require.False(t, ok)
	require.Zero(t, d)
	d, ok = FromHeader(http.Header{"Retry-After": {"7"}}, testNow)
	require.True(t, ok)
	require.Equal(t, 7*time.Second, d)
}

func TestPolicy_Backoff(t *testing.T) {
	tests := []struct {
		name    string
		policy  Policy
		attempt int
		r       float64
		want    time.Duration
	}{
		{name: "first", policy: Policy{Base: time.Second}, attempt: 1, want: time.Second},
		{name: "attempt 0 reads as 1", policy: Policy{Base: time.Second}, attempt: 0, want: time.Second},
		{name: "doubles", policy: Policy{Base: time.Second}, attempt: 4, want: 8 * time.Second},
		{name: "capped", policy: Policy{Base: time.Second, Max: 5 * time.Second}, attempt: 4, want: 5 * time.Second},
		{name: "no overflow", policy: Policy{Base: time.Hour}, attempt: 2000, want: time.Duration(1<<63 - 1)},
		{name: "jitter middle is exact", policy: Policy{Base: time.Second, Jitter: 0.2}, attempt: 1, r: 0.5, want: time.Second},
		{name: "jitter low end", policy: Policy{Base: time.Second, Jitter: 0.2}, attempt: 1, r: 0, want: 800 * time.Millisecond},
		{name: "jitter high end", policy: Policy{Base: 10 * time.Second, Jitter: 0.2}, attempt: 1, r: 0.75, want: 11 * time.Second},
		{name: "jitter around the cap", policy: Policy{Base: time.Second, Max: 2 * time.Second, Jitter: 0.5}, attempt: 3, r: 0.75, want: 2500 * time.Millisecond},
		{name: "jitter down low end", policy: Policy{Base: 2 * time.Second, Jitter: 0.5, JitterDown: true}, attempt: 1, r: 0, want: time.Second},
		{name: "jitter down stays under the cap", policy: Policy{Base: time.Second, Max: 4 * time.Second, Jitter: 0.5, JitterDown: true}, attempt: 9, r: 0.5, want: 3 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, tt.policy.Backoff(tt.attempt, tt.r))
		})
	}
}

func TestPolicy_Next(t *testing.T) {
	p := Policy{Attempts: 3, Base: time.Second, Max: 20 * time.Second, MaxWait: 10 * time.Second}
	tests := []struct {
		name     string
		policy   Policy
		attempt  int
		after    time.Duration
		hasAfter bool
		r        float64
		want     time.Duration
		wantOK   bool
	}{
		{name: "backoff", policy: p, attempt: 2, want: 2 * time.Second, wantOK: true},
		{name: "retry-after replaces backoff", policy: p, attempt: 1, after: 7 * time.Second, hasAfter: true, want: 7 * time.Second, wantOK: true},
		{name: "retry-after 0 is honoured", policy: p, attempt: 1, hasAfter: true, want: 0, wantOK: true},
		{name: "retry-after too long", policy: p, attempt: 1, after: 11 * time.Second, hasAfter: true},
		{name: "backoff too long", policy: Policy{Base: 8 * time.Second, MaxWait: 10 * time.Second}, attempt: 2},
		{name: "attempts used up", policy: p, attempt: 3},
		{name: "no attempt limit", policy: Policy{Base: time.Millisecond}, attempt: 10, want: 512 * time.Millisecond, wantOK: true},
		{name: "retry-after floor", policy: Policy{MinRetryAfter: time.Second}, attempt: 1, hasAfter: true, want: time.Second, wantOK: true},
		{name: "retry-after jitter", policy: Policy{RetryAfterJitter: 0.1}, attempt: 1, after: 10 * time.Second, hasAfter: true, r: 0.5,
			want: 10*time.Second + 500*time.Millisecond, wantOK: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := tt.policy.Next(tt.attempt, tt.after, tt.hasAfter, tt.r)
			require.Equal(t, tt.wantOK, ok)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestSleep(t *testing.T) {
	require.NoError(t, Sleep(t.Context(), 0))
	require.NoError(t, Sleep(t.Context(), time.Nanosecond))
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	require.ErrorIs(t, Sleep(ctx, 0), context.Canceled)
	require.ErrorIs(t, Sleep(ctx, time.Hour), context.Canceled)
}

func TestFits(t *testing.T) {
	require.True(t, Fits(t.Context(), time.Hour, testNow), "no deadline")
	ctx, cancel := context.WithDeadline(t.Context(), testNow.Add(10*time.Second))
	defer cancel()
	require.True(t, Fits(ctx, 10*time.Second, testNow))
	require.False(t, Fits(ctx, 11*time.Second, testNow))
}
