package auth_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/bot/auth"
	"github.com/attestbot/attestbot/bot/auth/authtest"
	"github.com/attestbot/attestbot/internal/testclock"
)

const (
	testAppID      = "3f2e1d0c-1111-4222-8333-444455556666"
	testServiceURL = "https://smba.trafficmanager.net/amer/"
	teams          = "msteams"
)

func newClock() *testclock.Clock {
	return testclock.New(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
}

// fixture is a validator reading an authtest server through a KeyCache, on a
// fake clock.
type fixture struct {
	idp   *authtest.Server
	clock *testclock.Clock
	cache *auth.KeyCache
	v     *auth.Validator
}

// Extra kids published by every fixture.
const (
	kidNoEndorsements    = "no-endorsements"
	kidEmptyEndorsements = "empty-endorsements"
	kidWebchatOnly       = "webchat-only"
	kidAlgRS256          = "alg-rs256"
)

func newFixture(t testing.TB) *fixture {
	t.Helper()
	idp := authtest.NewServer(t)
	k := authtest.RSAKey(t, 0)
	idp.AddKey(authtest.Key{KID: kidNoEndorsements, Private: k})
	idp.AddKey(authtest.Key{KID: kidEmptyEndorsements, Private: k, Endorsements: []string{}})
	idp.AddKey(authtest.Key{KID: kidWebchatOnly, Private: k, Endorsements: []string{"webchat"}})
	idp.AddKey(authtest.Key{KID: kidAlgRS256, Private: k, Alg: "RS256", Endorsements: []string{teams}})
	clock := newClock()
	cache := idp.KeyCache(t, auth.KeyCacheConfig{Now: clock.Now})
	v := auth.NewValidator(auth.ValidatorConfig{AppID: testAppID, Now: clock.Now}, cache, nil)
	return &fixture{idp: idp, clock: clock, cache: cache, v: v}
}

// claims returns valid channel claims at the fixture's time, modified by mod.
func (f *fixture) claims(mod func(c jwt.MapClaims)) jwt.MapClaims {
	c := authtest.ChannelClaims(testAppID, testServiceURL, f.clock.Now())
	if mod != nil {
		mod(c)
	}
	return c
}

func (f *fixture) bearer(t testing.TB, tok authtest.Token) string {
	t.Helper()
	if tok.Claims == nil {
		tok.Claims = f.claims(nil)
	}
	return "Bearer " + f.idp.Mint(t, tok)
}

func TestValidator_Validate(t *testing.T) {
	f := newFixture(t)
	now := f.clock.Now()
	at := func(d time.Duration) int64 { return now.Add(d).Unix() }
	set := func(k string, v any) func(jwt.MapClaims) { return func(c jwt.MapClaims) { c[k] = v } }
	del := func(k string) func(jwt.MapClaims) { return func(c jwt.MapClaims) { delete(c, k) } }

	tests := []struct {
		name       string
		header     func(t *testing.T) string
		channelID  string // default msteams
		serviceURL string // default testServiceURL; "-" means empty
		want       auth.Reason
	}{
		{name: "ok, RS256", header: func(t *testing.T) string { return f.bearer(t, authtest.Token{}) }},
		{name: "ok, RS384", header: func(t *testing.T) string { return f.bearer(t, authtest.Token{Alg: "RS384"}) }},
		{name: "ok, RS512", header: func(t *testing.T) string { return f.bearer(t, authtest.Token{Alg: "RS512"}) }},
		{name: "ok, exp 2 min ago within skew", header: func(t *testing.T) string {
			return f.bearer(t, authtest.Token{Claims: f.claims(set("exp", at(-2*time.Minute)))})
		}},
		{name: "ok, nbf in 2 min within skew", header: func(t *testing.T) string {
			return f.bearer(t, authtest.Token{Claims: f.claims(set("nbf", at(2*time.Minute)))})
		}},
		{name: "ok, no nbf", header: func(t *testing.T) string {
			return f.bearer(t, authtest.Token{Claims: f.claims(del("nbf"))})
		}},
		{name: "ok, key alg RS256 matches token", header: func(t *testing.T) string {
			return f.bearer(t, authtest.Token{KID: kidAlgRS256})
		}},
		// Finding 1 of issue 10: a Direct Line / Web Chat client gets valid
		// tokens from keys endorsed for its channel, and writes any tenant
		// and user it likes in the body.
		{name: "nok, webchat endorsed by the key is not served", channelID: "webchat", header: func(t *testing.T) string {
			return f.bearer(t, authtest.Token{})
		}, want: auth.ReasonChannel},
		{name: "nok, directline is not served", channelID: "directline", header: func(t *testing.T) string {
			return f.bearer(t, authtest.Token{})
		}, want: auth.ReasonChannel},

		{name: "nok, empty header", header: func(*testing.T) string { return "" }, want: auth.ReasonMissingHeader},
		{name: "nok, lowercase scheme", header: func(t *testing.T) string {
			return strings.Replace(f.bearer(t, authtest.Token{}), "Bearer", "bearer", 1)
		}, want: auth.ReasonMalformedHeader},
		{name: "nok, uppercase scheme", header: func(t *testing.T) string {
			return strings.Replace(f.bearer(t, authtest.Token{}), "Bearer", "BEARER", 1)
		}, want: auth.ReasonMalformedHeader},
		{name: "nok, Basic scheme", header: func(t *testing.T) string {
			return strings.Replace(f.bearer(t, authtest.Token{}), "Bearer", "Basic", 1)
		}, want: auth.ReasonMalformedHeader},
		{name: "nok, double space", header: func(t *testing.T) string {
			return strings.Replace(f.bearer(t, authtest.Token{}), "Bearer ", "Bearer  ", 1)
		}, want: auth.ReasonMalformedHeader},
		{name: "nok, tab separator", header: func(t *testing.T) string {
			return strings.Replace(f.bearer(t, authtest.Token{}), "Bearer ", "Bearer\t", 1)
		}, want: auth.ReasonMalformedHeader},
		{name: "nok, leading space", header: func(t *testing.T) string {
			return " " + f.bearer(t, authtest.Token{})
		}, want: auth.ReasonMalformedHeader},
		{name: "nok, trailing garbage part", header: func(t *testing.T) string {
			return f.bearer(t, authtest.Token{}) + " x"
		}, want: auth.ReasonMalformedHeader},
		{name: "nok, scheme only", header: func(*testing.T) string { return "Bearer" }, want: auth.ReasonMalformedHeader},
		{name: "nok, empty token", header: func(*testing.T) string { return "Bearer " }, want: auth.ReasonMalformedHeader},
		{name: "nok, no scheme", header: func(t *testing.T) string {
			return strings.TrimPrefix(f.bearer(t, authtest.Token{}), "Bearer ")
		}, want: auth.ReasonMalformedHeader},
		{name: "nok, oversized header", header: func(*testing.T) string {
			return "Bearer " + strings.Repeat("a", 20000)
		}, want: auth.ReasonMalformedHeader},
		{name: "nok, not a jwt", header: func(*testing.T) string { return "Bearer garbage" }, want: auth.ReasonMalformedToken},
		{name: "nok, two segments", header: func(*testing.T) string { return "Bearer a.b" }, want: auth.ReasonMalformedToken},

		{name: "nok, HS256", header: func(t *testing.T) string { return f.bearer(t, authtest.Token{Alg: "HS256"}) }, want: auth.ReasonAlgorithm},
		{name: "nok, alg none", header: func(t *testing.T) string { return f.bearer(t, authtest.Token{Alg: "none"}) }, want: auth.ReasonAlgorithm},
		{name: "nok, ES256", header: func(t *testing.T) string { return f.bearer(t, authtest.Token{Alg: "ES256"}) }, want: auth.ReasonAlgorithm},
		{name: "nok, RS384 with a key published for RS256", header: func(t *testing.T) string {
			return f.bearer(t, authtest.Token{Alg: "RS384", KID: kidAlgRS256})
		}, want: auth.ReasonAlgorithm},

		{name: "nok, issuer with trailing slash", header: func(t *testing.T) string {
			return f.bearer(t, authtest.Token{Claims: f.claims(set("iss", auth.PublicIssuer+"/"))})
		}, want: auth.ReasonIssuer},
		{name: "nok, Entra issuer", header: func(t *testing.T) string {
			return f.bearer(t, authtest.Token{Claims: f.claims(set("iss", "https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/"))})
		}, want: auth.ReasonIssuer},
		{name: "nok, no issuer", header: func(t *testing.T) string {
			return f.bearer(t, authtest.Token{Claims: f.claims(del("iss"))})
		}, want: auth.ReasonIssuer},

		{name: "nok, wrong audience", header: func(t *testing.T) string {
			return f.bearer(t, authtest.Token{Claims: f.claims(set("aud", "00000000-0000-0000-0000-000000000000"))})
		}, want: auth.ReasonAudience},
		{name: "nok, audience differs in case", header: func(t *testing.T) string {
			return f.bearer(t, authtest.Token{Claims: f.claims(set("aud", strings.ToUpper(testAppID)))})
		}, want: auth.ReasonAudience},
		{name: "nok, array audience holding the app id", header: func(t *testing.T) string {
			return f.bearer(t, authtest.Token{Claims: f.claims(set("aud", []string{testAppID}))})
		}, want: auth.ReasonAudience},
		{name: "nok, no audience", header: func(t *testing.T) string {
			return f.bearer(t, authtest.Token{Claims: f.claims(del("aud"))})
		}, want: auth.ReasonAudience},

		{name: "nok, no exp", header: func(t *testing.T) string {
			return f.bearer(t, authtest.Token{Claims: f.claims(del("exp"))})
		}, want: auth.ReasonMissingExpiry},
		{name: "nok, expired 10 min ago", header: func(t *testing.T) string {
			return f.bearer(t, authtest.Token{Claims: f.claims(set("exp", at(-10*time.Minute)))})
		}, want: auth.ReasonExpired},
		{name: "nok, nbf in 10 min", header: func(t *testing.T) string {
			return f.bearer(t, authtest.Token{Claims: f.claims(set("nbf", at(10*time.Minute)))})
		}, want: auth.ReasonNotYetValid},
		{name: "nok, exp is a string", header: func(t *testing.T) string {
			return f.bearer(t, authtest.Token{Claims: f.claims(set("exp", "tomorrow"))})
		}, want: auth.ReasonMalformedToken},

		{name: "nok, unknown kid", header: func(t *testing.T) string {
			return f.bearer(t, authtest.Token{KID: "not-published"})
		}, want: auth.ReasonUnknownKey},
		{name: "nok, no kid", header: func(t *testing.T) string {
			return f.bearer(t, authtest.Token{NoKID: true})
		}, want: auth.ReasonUnknownKey},
		{name: "nok, signed by another key", header: func(t *testing.T) string {
			return f.bearer(t, authtest.Token{SignWith: authtest.RSAKey(t, 1)})
		}, want: auth.ReasonSignature},
		{name: "nok, payload swapped after signing", header: func(t *testing.T) string {
			good := strings.Split(f.bearer(t, authtest.Token{}), ".")
			other := strings.Split(f.bearer(t, authtest.Token{Claims: f.claims(set("aud", "attacker"))}), ".")
			return strings.Join([]string{good[0], other[1], good[2]}, ".")
		}, want: auth.ReasonSignature},

		{name: "nok, key without endorsements", header: func(t *testing.T) string {
			return f.bearer(t, authtest.Token{KID: kidNoEndorsements})
		}, want: auth.ReasonEndorsement},
		{name: "nok, key with empty endorsements", header: func(t *testing.T) string {
			return f.bearer(t, authtest.Token{KID: kidEmptyEndorsements})
		}, want: auth.ReasonEndorsement},
		{name: "nok, key not endorsed for msteams", header: func(t *testing.T) string {
			return f.bearer(t, authtest.Token{KID: kidWebchatOnly})
		}, want: auth.ReasonEndorsement},
		{name: "nok, channel differs in case", channelID: "MSTeams", header: func(t *testing.T) string {
			return f.bearer(t, authtest.Token{})
		}, want: auth.ReasonChannel},
		{name: "nok, activity without channelId", channelID: " ", header: func(t *testing.T) string {
			return f.bearer(t, authtest.Token{})
		}, want: auth.ReasonMissingChannelID},

		{name: "nok, no serviceurl claim", header: func(t *testing.T) string {
			return f.bearer(t, authtest.Token{Claims: f.claims(del("serviceurl"))})
		}, want: auth.ReasonServiceURL},
		{name: "nok, other serviceurl", header: func(t *testing.T) string {
			return f.bearer(t, authtest.Token{Claims: f.claims(set("serviceurl", "https://attacker.example/"))})
		}, want: auth.ReasonServiceURL},
		{name: "nok, serviceurl differs in case", header: func(t *testing.T) string {
			return f.bearer(t, authtest.Token{Claims: f.claims(set("serviceurl", strings.ToUpper(testServiceURL)))})
		}, want: auth.ReasonServiceURL},
		{name: "nok, serviceurl without trailing slash", header: func(t *testing.T) string {
			return f.bearer(t, authtest.Token{Claims: f.claims(set("serviceurl", strings.TrimSuffix(testServiceURL, "/")))})
		}, want: auth.ReasonServiceURL},
		{name: "nok, activity without serviceUrl", serviceURL: "-", header: func(t *testing.T) string {
			return f.bearer(t, authtest.Token{})
		}, want: auth.ReasonMissingService},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			header := tt.header(t)
			channelID := tt.channelID
			if channelID == "" {
				channelID = teams
			}
			serviceURL := tt.serviceURL
			switch serviceURL {
			case "":
				serviceURL = testServiceURL
			case "-":
				serviceURL = ""
			}

			claims, err := f.v.Validate(context.Background(), header, channelID, serviceURL)

			if tt.want == "" {
				require.NoError(t, err)
				require.Equal(t, testAppID, claims.AppID)
				require.Equal(t, auth.PublicIssuer, claims.Issuer)
				require.Equal(t, testServiceURL, claims.ServiceURL)
				require.Contains(t, claims.Endorsements, channelID)
				require.False(t, claims.ExpiresAt.IsZero())
				return
			}
			require.Nil(t, claims)
			require.ErrorIs(t, err, auth.ErrUnauthorized)
			var ae *auth.Error
			require.ErrorAs(t, err, &ae)
			require.Equal(t, tt.want, ae.Reason, "err: %v", err)
			if tok, ok := strings.CutPrefix(header, "Bearer "); ok && len(tok) > 20 {
				require.NotContains(t, err.Error(), tok)
				for _, part := range strings.Split(tok, ".") {
					if len(part) > 20 {
						require.NotContains(t, err.Error(), part)
					}
				}
			}
		})
	}
	// Every case above was served from one fetch of the key set: unknown
	// kids within the hour did not refetch.
	require.Equal(t, int64(1), f.idp.MetadataFetches())
	require.Equal(t, int64(1), f.idp.JWKSFetches())
}

func TestValidator_Validate_ClaimsReturned(t *testing.T) {
	f := newFixture(t)
	c := f.claims(nil)
	claims, err := f.v.Validate(context.Background(), f.bearer(t, authtest.Token{Claims: c}), teams, testServiceURL)
	require.NoError(t, err)
	exp, _ := c["exp"].(int64)
	nbf, _ := c["nbf"].(int64)
	require.Equal(t, &auth.Claims{
		Issuer:       auth.PublicIssuer,
		AppID:        testAppID,
		ServiceURL:   testServiceURL,
		KeyID:        authtest.DefaultKID,
		Endorsements: []string{"msteams", "webchat"},
		ExpiresAt:    time.Unix(exp, 0),
		NotBefore:    time.Unix(nbf, 0),
		IssuedAt:     time.Unix(nbf, 0),
	}, claims)
}

func TestValidator_Validate_NotConfigured(t *testing.T) {
	f := newFixture(t)
	header := f.bearer(t, authtest.Token{})
	tests := []struct {
		name string
		v    *auth.Validator
	}{
		{name: "nok, empty app id", v: auth.NewValidator(auth.ValidatorConfig{Now: f.clock.Now}, f.cache, nil)},
		{name: "nok, nil key source", v: auth.NewValidator(auth.ValidatorConfig{AppID: testAppID, Now: f.clock.Now}, nil, nil)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.v.Validate(context.Background(), header, teams, testServiceURL)
			var ae *auth.Error
			require.ErrorAs(t, err, &ae)
			require.Equal(t, auth.ReasonNotConfigured, ae.Reason)
		})
	}
	require.Zero(t, f.idp.MetadataFetches())
}

func TestValidator_Validate_CustomIssuer(t *testing.T) {
	f := newFixture(t)
	const gov = "https://api.botframework.us"
	v := auth.NewValidator(auth.ValidatorConfig{AppID: testAppID, Issuer: gov, Now: f.clock.Now}, f.cache, nil)

	_, err := v.Validate(context.Background(), f.bearer(t, authtest.Token{}), teams, testServiceURL)
	var ae *auth.Error
	require.ErrorAs(t, err, &ae)
	require.Equal(t, auth.ReasonIssuer, ae.Reason)
	require.Zero(t, f.idp.MetadataFetches(), "a foreign issuer must not trigger a key fetch")

	tok := f.bearer(t, authtest.Token{Claims: f.claims(func(c jwt.MapClaims) { c["iss"] = gov })})
	_, err = v.Validate(context.Background(), tok, teams, testServiceURL)
	require.NoError(t, err)
}

func TestValidator_Validate_ColdBurstFetchesOnce(t *testing.T) {
	f := newFixture(t)
	header := f.bearer(t, authtest.Token{})

	const n = 50
	start := make(chan struct{})
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, err := f.v.Validate(context.Background(), header, teams, testServiceURL)
			errs <- err
		}()
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	require.Equal(t, int64(1), f.idp.MetadataFetches())
	require.Equal(t, int64(1), f.idp.JWKSFetches())
}

func TestValidator_Validate_CanceledCallerDoesNotBreakSharedFetch(t *testing.T) {
	f := newFixture(t)
	header := f.bearer(t, authtest.Token{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()

	_, err := f.v.Validate(ctx, header, teams, testServiceURL)
	var ae *auth.Error
	require.ErrorAs(t, err, &ae)
	require.Equal(t, auth.ReasonKeysUnavailable, ae.Reason)
	require.ErrorIs(t, err, context.Canceled)

	// The fetch started for the canceled caller still completes for others.
	_, err = f.v.Validate(context.Background(), header, teams, testServiceURL)
	require.NoError(t, err)
	require.LessOrEqual(t, f.idp.MetadataFetches(), int64(1))
}

func TestError_Error(t *testing.T) {
	tests := []struct {
		name string
		err  *auth.Error
		want string
	}{
		{name: "reason only", err: &auth.Error{Reason: auth.ReasonExpired}, want: "unauthorized: token expired"},
		{name: "with cause", err: &auth.Error{Reason: auth.ReasonKeysUnavailable, Err: errors.New("boom")}, want: "unauthorized: signing keys unavailable: boom"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, tt.err.Error())
			require.ErrorIs(t, tt.err, auth.ErrUnauthorized)
		})
	}
}

func BenchmarkValidate(b *testing.B) {
	f := newFixture(b)
	header := f.bearer(b, authtest.Token{})
	ctx := context.Background()
	_, err := f.v.Validate(ctx, header, teams, testServiceURL)
	require.NoError(b, err)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := f.v.Validate(ctx, header, teams, testServiceURL); err != nil {
			b.Fatal(err)
		}
	}
}

func FuzzValidate(f *testing.F) {
	fx := newFixture(f)
	good := fx.bearer(f, authtest.Token{})
	f.Add(good)
	f.Add("")
	f.Add("Bearer ")
	f.Add("Bearer  x")
	f.Add("bearer x")
	f.Add("Bearer a.b.c")
	f.Add("Bearer eyJhbGciOiJub25lIn0.e30.")
	f.Add(strings.Replace(good, "Bearer ", "Bearer\t", 1))
	parts := strings.Split(strings.TrimPrefix(good, "Bearer "), ".")
	f.Add("Bearer " + parts[0] + "." + parts[1] + ".")
	f.Add("Bearer " + parts[0] + ".." + parts[2])
	f.Add("Bearer " + fx.idp.Mint(f, authtest.Token{Claims: fx.claims(func(c jwt.MapClaims) { c["aud"] = []any{testAppID, 1} })}))
	f.Fuzz(func(t *testing.T, header string) {
		claims, err := fx.v.Validate(context.Background(), header, teams, testServiceURL)
		if err != nil {
			require.Nil(t, claims)
			require.ErrorIs(t, err, auth.ErrUnauthorized)
			var ae *auth.Error
			require.ErrorAs(t, err, &ae)
			require.NotEmpty(t, ae.Reason)
			return
		}
		// Success is only possible for a genuinely signed, valid token.
		require.Equal(t, testAppID, claims.AppID)
		require.Equal(t, testServiceURL, claims.ServiceURL)
	})
}

func TestAuthtest_ValidatorAndHeader(t *testing.T) {
	idp := authtest.NewServer(t)
	v := idp.Validator(t, testAppID)
	claims, err := v.Validate(context.Background(), idp.AuthorizationHeader(t, testAppID, testServiceURL), teams, testServiceURL)
	require.NoError(t, err)
	require.Equal(t, authtest.DefaultKID, claims.KeyID)
	_, err = v.Validate(context.Background(), idp.AuthorizationHeader(t, "other-app", testServiceURL), teams, testServiceURL)
	require.ErrorIs(t, err, auth.ErrUnauthorized)
}

// TestValidator_RemembersVerifiedTokens replays one token: a remembered
// token still meets every check that depends on the activity, the clock or
// the key set.
func TestValidator_RemembersVerifiedTokens(t *testing.T) {
	f := newFixture(t)
	hdr := f.bearer(t, authtest.Token{})
	ctx := t.Context()
	for i := range 3 {
		_, err := f.v.Validate(ctx, hdr, teams, testServiceURL)
		require.NoError(t, err, "use %d", i)
	}
	steps := []struct {
		name       string
		channel    string
		serviceURL string
		before     func()
		want       auth.Reason
	}{
		{name: "nok, other serviceUrl", channel: teams, serviceURL: "https://evil.example/amer/", want: auth.ReasonServiceURL},
		{name: "nok, channel not served", channel: "slack", serviceURL: testServiceURL, want: auth.ReasonChannel},
		{name: "ok, again", channel: teams, serviceURL: testServiceURL},
		{name: "ok, within the clock skew after exp", channel: teams, serviceURL: testServiceURL,
			before: func() { f.clock.Advance(time.Hour + 4*time.Minute) }},
		{name: "nok, expired", channel: teams, serviceURL: testServiceURL,
			before: func() { f.clock.Advance(2 * time.Minute) }, want: auth.ReasonExpired},
	}
	for _, st := range steps {
		if st.before != nil {
			st.before()
		}
		_, err := f.v.Validate(ctx, hdr, st.channel, st.serviceURL)
		if st.want == "" {
			require.NoError(t, err, st.name)
			continue
		}
		var aerr *auth.Error
		require.ErrorAs(t, err, &aerr, st.name)
		require.Equal(t, st.want, aerr.Reason, st.name)
	}
}

func TestValidator_RememberedTokenEndsWithItsKey(t *testing.T) {
	f := newFixture(t)
	hdr := f.bearer(t, authtest.Token{})
	ctx := t.Context()
	_, err := f.v.Validate(ctx, hdr, teams, testServiceURL)
	require.NoError(t, err)

	// The key stops being published; once the key set is refreshed, the
	// remembered token is refused like a new one.
	f.idp.RemoveKey(authtest.DefaultKID)
	require.NoError(t, f.cache.Refresh(ctx))
	_, err = f.v.Validate(ctx, hdr, teams, testServiceURL)
	var aerr *auth.Error
	require.ErrorAs(t, err, &aerr)
	require.Equal(t, auth.ReasonUnknownKey, aerr.Reason)

	// A different key published under the same kid does not verify it.
	f.idp.AddKey(authtest.Key{KID: authtest.DefaultKID, Private: authtest.RSAKey(t, 1), Endorsements: []string{teams}})
	require.NoError(t, f.cache.Refresh(ctx))
	_, err = f.v.Validate(ctx, hdr, teams, testServiceURL)
	require.ErrorAs(t, err, &aerr)
	require.Equal(t, auth.ReasonSignature, aerr.Reason)
}

// The token alone is checked before the body is read (finding 5 of issue
// 10); the activity it came with is checked afterwards.
func TestValidator_AuthenticateHeader(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	tests := []struct {
		name        string
		givenHeader func(t *testing.T) string
		whenChannel string
		whenService string
		expectToken auth.Reason // refused on the header alone
		expectBody  auth.Reason // refused once the activity is known
	}{
		{name: "ok, teams activity", givenHeader: func(t *testing.T) string { return f.bearer(t, authtest.Token{}) },
			whenChannel: teams, whenService: testServiceURL},
		{name: "nok, no header refused before the body", givenHeader: func(*testing.T) string { return "" },
			expectToken: auth.ReasonMissingHeader},
		{name: "nok, bad signature refused before the body", givenHeader: func(t *testing.T) string {
			return f.bearer(t, authtest.Token{SignWith: authtest.RSAKey(t, 1)})
		}, expectToken: auth.ReasonSignature},
		{name: "nok, webchat activity", givenHeader: func(t *testing.T) string { return f.bearer(t, authtest.Token{}) },
			whenChannel: "webchat", whenService: testServiceURL, expectBody: auth.ReasonChannel},
		{name: "nok, serviceUrl of the body differs from the claim", givenHeader: func(t *testing.T) string { return f.bearer(t, authtest.Token{}) },
			whenChannel: teams, whenService: "https://attacker.example/", expectBody: auth.ReasonServiceURL},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			check, err := f.v.AuthenticateHeader(ctx, tt.givenHeader(t))
			if tt.expectToken != "" {
				var ae *auth.Error
				require.ErrorAs(t, err, &ae)
				require.Equal(t, tt.expectToken, ae.Reason)
				require.Nil(t, check)
				return
			}
			require.NoError(t, err)
			err = check(tt.whenChannel, tt.whenService)
			if tt.expectBody == "" {
				require.NoError(t, err)
				return
			}
			var ae *auth.Error
			require.ErrorAs(t, err, &ae)
			require.Equal(t, tt.expectBody, ae.Reason)
		})
	}
}

// An attacker's 9.8 KB kid must not reach the log whole (finding 7).
func TestValidator_LongKidClipped(t *testing.T) {
	f := newFixture(t)
	kid := strings.Repeat("k", 9800)
	_, err := f.v.Validate(context.Background(), f.bearer(t, authtest.Token{KID: kid}), teams, testServiceURL)
	var ae *auth.Error
	require.ErrorAs(t, err, &ae)
	require.Equal(t, auth.ReasonUnknownKey, ae.Reason)
	require.Less(t, len(err.Error()), 200, err.Error())
	require.Contains(t, err.Error(), "…(9800 bytes)")
}
