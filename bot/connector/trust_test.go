package connector

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestTrustedURLs_Check(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	tests := []struct {
		name      string
		givenCfg  TrustConfig
		givenSeen []string
		whenURL   string
		expectOK  bool
	}{
		{name: "ok, recorded", givenSeen: []string{"https://smba.trafficmanager.net/emea/"},
			whenURL: "https://smba.trafficmanager.net/emea/", expectOK: true},
		{name: "ok, recorded without trailing slash", givenSeen: []string{"https://smba.trafficmanager.net/emea/"},
			whenURL: "https://SMBA.trafficmanager.net/emea", expectOK: true},
		{name: "nok, other path of a recorded host", givenSeen: []string{"https://smba.trafficmanager.net/emea/"},
			whenURL: "https://smba.trafficmanager.net/amer/"},
		{name: "nok, never seen", whenURL: "https://evil.example.com/"},
		{name: "ok, allowlist prefix", givenCfg: TrustConfig{Allowlist: DefaultTrustedServiceURLs},
			whenURL: "https://smba.trafficmanager.net/teams/", expectOK: true},
		{name: "nok, allowlist host suffix trick", givenCfg: TrustConfig{Allowlist: DefaultTrustedServiceURLs},
			whenURL: "https://smba.trafficmanager.net.evil.com/teams/"},
		{name: "nok, http outside local mode", givenSeen: []string{"http://127.0.0.1:5000/_connector"},
			whenURL: "http://127.0.0.1:5000/_connector"},
		{name: "ok, local mode localhost", givenCfg: TrustConfig{LocalMode: true},
			whenURL: "http://localhost:56150/_connector", expectOK: true},
		{name: "ok, local mode ipv6 loopback", givenCfg: TrustConfig{LocalMode: true},
			whenURL: "http://[::1]:56150/_connector", expectOK: true},
		{name: "ok, local mode 127/8", givenCfg: TrustConfig{LocalMode: true},
			whenURL: "https://127.1.2.3/_connector", expectOK: true},
		{name: "nok, local mode remote even if recorded", givenCfg: TrustConfig{LocalMode: true},
			givenSeen: []string{"https://smba.trafficmanager.net/emea/"}, whenURL: "https://smba.trafficmanager.net/emea/"},
		{name: "nok, local mode allowlist ignored",
			givenCfg: TrustConfig{LocalMode: true, Allowlist: DefaultTrustedServiceURLs}, whenURL: "https://smba.trafficmanager.net/teams/"},
		{name: "nok, user info", givenSeen: []string{"https://a:b@x.example/"}, whenURL: "https://a:b@x.example/"},
		{name: "nok, query", givenSeen: []string{"https://x.example/?k=secret"}, whenURL: "https://x.example/?k=secret"},
		{name: "nok, garbage", whenURL: "::not a url"},
		{name: "nok, empty", whenURL: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := tt.givenCfg
			cfg.Now = clock
			trust, err := NewTrustedURLs(cfg)
			require.NoError(t, err)
			for _, u := range tt.givenSeen {
				trust.Record(u)
			}
			err = trust.Check(tt.whenURL)
			if tt.expectOK {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, ErrUntrustedServiceURL)
			require.NotContains(t, err.Error(), "secret")
		})
	}
}

func TestTrustedURLs_ExpiryAndRefresh(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	trust, err := NewTrustedURLs(TrustConfig{TTL: time.Hour, Now: func() time.Time { return now }})
	require.NoError(t, err)
	const u = "https://smba.trafficmanager.net/emea/"
	trust.Record(u)
	now = now.Add(50 * time.Minute)
	require.NoError(t, trust.Check(u))
	trust.Record(u) // refreshed by a new activity
	now = now.Add(50 * time.Minute)
	require.NoError(t, trust.Check(u))
	now = now.Add(11 * time.Minute)
	require.ErrorIs(t, trust.Check(u), ErrUntrustedServiceURL)
}

func TestTrustedURLs_Bounded(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	trust, err := NewTrustedURLs(TrustConfig{MaxEntries: 3, Now: func() time.Time { return now }})
	require.NoError(t, err)
	for i := range 5 {
		now = now.Add(time.Second)
		trust.Record(fmt.Sprintf("https://h%d.example/", i))
	}
	require.Len(t, trust.recorded, 3)
	require.ErrorIs(t, trust.Check("https://h0.example/"), ErrUntrustedServiceURL)
	require.NoError(t, trust.Check("https://h4.example/"))
	for i := range 10 {
		require.ErrorIs(t, trust.Check(fmt.Sprintf("https://other%d.example/", i)), ErrUntrustedServiceURL)
	}
	require.LessOrEqual(t, len(trust.seen), 3, "the parsed serviceUrls are bounded too")
	require.NoError(t, trust.Check("https://h4.example/"), "and forgetting a parse forgets no trust")
}

func TestNewTrustedURLs_RejectsBadAllowlist(t *testing.T) {
	for _, bad := range []string{"http://smba.trafficmanager.net/", "smba.trafficmanager.net", "https://u:p@x/"} {
		_, err := NewTrustedURLs(TrustConfig{Allowlist: []string{bad}})
		require.Error(t, err, bad)
		require.NotContains(t, err.Error(), "u:p")
	}
}
