package store_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/store"
)

// quietLogger drops go-redis's informational logs (sentinel master
// changes, reconnects) so test output stays readable.
type quietLogger struct{}

func (quietLogger) Printf(context.Context, string, ...any) {}

func TestMain(m *testing.M) {
	redis.SetLogger(quietLogger{})
	os.Exit(m.Run())
}

func TestParseRedisURL(t *testing.T) {
	tests := []struct {
		name    string
		url     string
		mode    store.RedisMode
		addrs   []string
		db      int
		master  string
		prefix  string
		user    string
		pass    string
		tls     bool
		cluster bool
		check   func(t *testing.T, o redis.UniversalOptions)
	}{
		{name: "ok, host only", url: "redis://localhost", mode: store.RedisSingle, addrs: []string{"localhost:6379"}},
		{name: "ok, host port db", url: "redis://cache.internal:6380/3", mode: store.RedisSingle, addrs: []string{"cache.internal:6380"}, db: 3},
		{name: "ok, trailing slash", url: "redis://h:1/", mode: store.RedisSingle, addrs: []string{"h:1"}},
		{name: "ok, db query overrides path", url: "redis://h/3?db=5", mode: store.RedisSingle, addrs: []string{"h:6379"}, db: 5},
		{name: "ok, credentials", url: "redis://app:p%40ss@h:6379", mode: store.RedisSingle, addrs: []string{"h:6379"}, user: "app", pass: "p@ss"},
		{name: "ok, password only", url: "redis://:pw@h", mode: store.RedisSingle, addrs: []string{"h:6379"}, pass: "pw"},
		{name: "ok, tls", url: "rediss://h:6380", mode: store.RedisSingle, addrs: []string{"h:6380"}, tls: true},
		{name: "ok, uppercase scheme", url: "REDIS://h", mode: store.RedisSingle, addrs: []string{"h:6379"}},
		{name: "ok, ipv6", url: "redis://[::1]:7000", mode: store.RedisSingle, addrs: []string{"[::1]:7000"}},
		{name: "ok, ipv6 default port", url: "redis://[::1]", mode: store.RedisSingle, addrs: []string{"[::1]:6379"}},
		{name: "ok, prefix", url: "redis://h?prefix=prod:attestbot:", mode: store.RedisSingle, addrs: []string{"h:6379"}, prefix: "prod:attestbot:"},
		{name: "ok, several hosts mean cluster", url: "redis://h1:7000,h2:7001,[::1]:7002", mode: store.RedisCluster,
			addrs: []string{"h1:7000", "h2:7001", "[::1]:7002"}, cluster: true},
		{name: "ok, cluster scheme one seed", url: "redis+cluster://h1:7000", mode: store.RedisCluster, addrs: []string{"h1:7000"}, cluster: true},
		{name: "ok, cluster tls", url: "rediss+cluster://u:p@h1,h2", mode: store.RedisCluster, addrs: []string{"h1:6379", "h2:6379"},
			user: "u", pass: "p", tls: true, cluster: true},
		{name: "ok, sentinel", url: "redis+sentinel://s1,s2:26380/1?master=mymaster&sentinel_password=sp", mode: store.RedisSentinel,
			addrs: []string{"s1:26379", "s2:26380"}, db: 1, master: "mymaster",
			check: func(t *testing.T, o redis.UniversalOptions) { require.Equal(t, "sp", o.SentinelPassword) }},
		{name: "ok, sentinel master_name alias", url: "rediss+sentinel://:pw@s1?master_name=m", mode: store.RedisSentinel,
			addrs: []string{"s1:26379"}, master: "m", pass: "pw", tls: true},
		{name: "ok, tuning options", url: "redis://h?dial_timeout=2&read_timeout=500ms&write_timeout=1s&pool_size=20&max_retries=-1&client_name=bot&protocol=3&min_idle_conns=2&pool_timeout=3s",
			mode: store.RedisSingle, addrs: []string{"h:6379"},
			check: func(t *testing.T, o redis.UniversalOptions) {
				require.Equal(t, 2*time.Second, o.DialTimeout)
				require.Equal(t, 500*time.Millisecond, o.ReadTimeout)
				require.Equal(t, time.Second, o.WriteTimeout)
				require.Equal(t, 3*time.Second, o.PoolTimeout)
				require.Equal(t, 20, o.PoolSize)
				require.Equal(t, 2, o.MinIdleConns)
				require.Equal(t, -1, o.MaxRetries)
				require.Equal(t, "bot", o.ClientName)
				require.Equal(t, 3, o.Protocol)
			}},
		{name: "ok, go-redis options", url: "redis://h?pool_fifo=true&conn_max_lifetime=10m&max_idle_conns=4",
			mode: store.RedisSingle, addrs: []string{"h:6379"},
			check: func(t *testing.T, o redis.UniversalOptions) {
				require.True(t, o.PoolFIFO)
				require.Equal(t, 10*time.Minute, o.ConnMaxLifetime)
				require.Equal(t, 4, o.MaxIdleConns)
			}},
		{name: "ok, cluster tls options, every node verified by its own name", url: "rediss+cluster://:pw@h1:7000,[::1]:7001?skip_verify=true&read_only=true&pool_size=5",
			mode: store.RedisCluster, addrs: []string{"h1:7000", "[::1]:7001"}, pass: "pw", tls: true, cluster: true,
			check: func(t *testing.T, o redis.UniversalOptions) {
				require.True(t, o.TLSConfig.InsecureSkipVerify)
				require.Empty(t, o.TLSConfig.ServerName)
				require.True(t, o.ReadOnly)
				require.Equal(t, 5, o.PoolSize)
			}},
		{name: "ok, sentinel tuning", url: "rediss+sentinel://s1?master=m&dial_timeout=3s&client_name=c", mode: store.RedisSentinel,
			addrs: []string{"s1:26379"}, master: "m", tls: true,
			check: func(t *testing.T, o redis.UniversalOptions) {
				require.Equal(t, 3*time.Second, o.DialTimeout)
				require.Equal(t, "c", o.ClientName)
				require.Empty(t, o.TLSConfig.ServerName)
			}},
		{name: "ok, skip_verify", url: "rediss://h?skip_verify=true", mode: store.RedisSingle, addrs: []string{"h:6379"}, tls: true,
			check: func(t *testing.T, o redis.UniversalOptions) { require.True(t, o.TLSConfig.InsecureSkipVerify) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := store.ParseRedisURL(tc.url)
			require.NoError(t, err)
			require.Equal(t, tc.mode, cfg.Mode)
			require.Equal(t, tc.addrs, cfg.Options.Addrs)
			require.Equal(t, tc.db, cfg.Options.DB)
			require.Equal(t, tc.master, cfg.Options.MasterName)
			require.Equal(t, tc.user, cfg.Options.Username)
			require.Equal(t, tc.pass, cfg.Options.Password)
			require.Equal(t, tc.tls, cfg.Options.TLSConfig != nil)
			require.Equal(t, tc.cluster, cfg.Options.IsClusterMode)
			wantPrefix := tc.prefix
			if wantPrefix == "" {
				wantPrefix = store.DefaultKeyPrefix
			}
			require.Equal(t, wantPrefix, cfg.KeyPrefix)
			if tc.check != nil {
				tc.check(t, cfg.Options)
			}
		})
	}
}

func TestOpen_BadURLs(t *testing.T) {
	tests := []struct {
		name string
		url  string
		want string // part of the error message
	}{
		{"nok, empty", "", "store URL is empty"},
		{"nok, blank", "   ", "store URL is empty"},
		{"nok, unknown scheme", "postgres://db/x", `scheme "postgres" is not supported`},
		{"nok, http", "http://h", `scheme "http" is not supported`},
		{"nok, bolt without path", "bolt://", "has no file path"},
		{"nok, bolt unknown option", "bolt://a.db?sync=no", `unknown option "sync"`},
		{"nok, bolt bad timeout", "bolt://a.db?lock_timeout=soon", "lock_timeout"},
		{"nok, redis no host", "redis://", "has no host"},
		{"nok, redis no host with db", "redis:///2", "has no host"},
		{"nok, redis empty host in list", "redis://h1,,h2", "empty host"},
		{"nok, redis bad port", "redis://h:notaport", "port must be 1-65535"},
		{"nok, redis port out of range", "redis://h:70000", "port must be 1-65535"},
		{"nok, redis bare ipv6", "redis://::1:6379", "brackets"},
		{"nok, redis bad db", "redis://h/abc", "database number"},
		{"nok, redis negative db", "redis://h/-1", "database number"},
		{"nok, redis deep path", "redis://h/1/2", "want /<db number>"},
		{"nok, redis unknown option", "redis://h?foo=1", `unknown option "foo"`},
		{"nok, cluster unknown option", "redis+cluster://h1,h2?foo=1", `unknown option "foo"`},
		{"nok, cluster db option", "redis+cluster://h1?db=2", "only database 0"},
		{"nok, redis bad duration", "redis://h?dial_timeout=fast", "dial_timeout"},
		{"nok, redis bad pool size", "redis://h?pool_size=many", "pool_size"},
		{"nok, redis bad protocol", "redis://h?protocol=4", "protocol must be 2 or 3"},
		{"nok, redis empty prefix", "redis://h?prefix=", "prefix is empty"},
		{"nok, skip_verify without tls", "redis://h?skip_verify=true", "needs rediss"},
		{"nok, sentinel without master", "redis+sentinel://s1", "needs the master name"},
		{"nok, master without sentinel", "redis://h?master=m", "only valid with redis+sentinel"},
		{"nok, cluster with db", "redis+cluster://h/1", "only database 0"},
		{"nok, several hosts with db", "redis://h1,h2/1", "only database 0"},
		{"nok, user without password", "redis://secretpw@h", "has no password"},
		{"nok, fragment", "redis://h#frag", "fragment"},
		{"nok, bad escape", "redis://:p%zz@h", "bad percent-escape"},
		{"nok, unescaped slash in password", "redis://u:pa/ss@h", "percent-encode"},
		{"nok, unescaped question mark in password", "redis://u:pa?ss@h", "percent-encode"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := store.Open(t.Context(), tc.url)
			require.Nil(t, s)
			require.ErrorIs(t, err, store.ErrInvalid)
			require.ErrorContains(t, err, tc.want)
		})
	}
}

func TestOpen_BoltForms(t *testing.T) {
	dir := t.TempDir()
	rel, err := filepath.Rel(mustGetwd(t), filepath.Join(dir, "rel", "a.db"))
	require.NoError(t, err)
	tests := []struct {
		name string
		url  string
		path string
	}{
		{"plain path", filepath.Join(dir, "plain", "a.db"), filepath.Join(dir, "plain", "a.db")},
		{"bolt absolute", "bolt://" + filepath.Join(dir, "abs", "a.db"), filepath.Join(dir, "abs", "a.db")},
		{"bolt relative", "bolt://" + rel, filepath.Join(dir, "rel", "a.db")},
		{"file absolute", "file://" + filepath.Join(dir, "file", "a.db"), filepath.Join(dir, "file", "a.db")},
		{"escaped space", "file://" + filepath.Join(dir, "my%20dir", "a.db"), filepath.Join(dir, "my dir", "a.db")},
		{"uppercase scheme and option", "BOLT://" + filepath.Join(dir, "up", "a.db") + "?lock_timeout=2s", filepath.Join(dir, "up", "a.db")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := store.Open(t.Context(), tc.url)
			require.NoError(t, err)
			defer s.Close()
			bs, ok := s.(*store.BoltStore)
			require.True(t, ok, "a %T, want *store.BoltStore", s)
			require.NoError(t, s.Ping(t.Context()))
			abs, err := filepath.Abs(bs.Path())
			require.NoError(t, err)
			require.Equal(t, tc.path, abs)
			_, err = os.Stat(tc.path)
			require.NoError(t, err, "the file and its parent directories are created")
		})
	}
	path, opts, err := store.ParseBoltURL("bolt://x.db?lock_timeout=3")
	require.NoError(t, err)
	require.Equal(t, "x.db", path)
	require.Equal(t, 3*time.Second, opts.LockTimeout)
}

func mustGetwd(t *testing.T) string {
	t.Helper()
	wd, err := os.Getwd()
	require.NoError(t, err)
	return wd
}

func TestRedactURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"redis://h:6379/0", "redis://h:6379/0"},
		{"redis://user:secret@h:6379", "redis://user:xxxxx@h:6379"},
		{"redis://:secret@h", "redis://:xxxxx@h"},
		{"redis://secret@h", "redis://xxxxx@h"},
		{"redis+sentinel://:a@s1,s2?master=m&sentinel_password=b", "redis+sentinel://:xxxxx@s1,s2?master=m&sentinel_password=xxxxx"},
		{"data/attestbot.db", "data/attestbot.db"},
		{"redis://u:pa/ss@h", "redis://xxxxx"},
		{"bolt:///var/lib/a.db", "bolt:///var/lib/a.db"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			require.Equal(t, tc.want, store.RedactURL(tc.in))
		})
	}
}

// FuzzParseURL checks that no input panics, that every error wraps
// ErrInvalid, and that no error or redacted form shows the password.
func FuzzParseURL(f *testing.F) {
	seeds := []string{
		"redis://h", "redis://:pw@h:1/2?prefix=x:", "rediss+cluster://a,b,[::1]:3", "redis+sentinel://s?master=m",
		"bolt://a.db?lock_timeout=1s", "file:///x", "data/a.db", "redis://u:p@h?sentinel_password=q",
		"redis://[::1", "redis://h:99999", "redis://%zz", "redis://a@b@c", "://", "redis://h?x=%", "redis://h/%2F",
	}
	for _, s := range seeds {
		f.Add(s)
	}
	const pw = "Zq9secretpw"
	f.Fuzz(func(t *testing.T, raw string) {
		if strings.Contains(raw, pw) {
			return
		}
		if _, err := store.ParseRedisURL(raw); err != nil {
			require.ErrorIs(t, err, store.ErrInvalid)
		}
		if _, _, err := store.ParseBoltURL(raw); err != nil {
			require.ErrorIs(t, err, store.ErrInvalid)
		}
		// Put a password into the input and check it never shows.
		withPw := strings.Replace(raw, "://", "://user:"+pw+"@", 1)
		if !strings.Contains(withPw, pw) {
			return
		}
		if _, err := store.ParseRedisURL(withPw); err != nil {
			require.NotContains(t, err.Error(), pw)
		}
		// A password with an unescaped separator must not leak either.
		split := strings.Replace(raw, "://", "://user:"+pw[:5]+"/"+pw[5:]+"@", 1)
		if _, err := store.ParseRedisURL(split); err != nil {
			require.NotContains(t, err.Error(), pw[:5])
			require.NotContains(t, err.Error(), pw[5:])
		}
		_ = store.RedactURL(raw)
		if strings.HasPrefix(strings.ToLower(withPw), "redis") && strings.Count(withPw, "@") == 1 {
			require.NotContains(t, store.RedactURL(withPw), pw)
		}
	})
}
