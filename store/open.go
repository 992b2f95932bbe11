package store

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// Open opens the store named by rawURL (see the package documentation for
// the forms): a path, bolt:// or file:// opens a [BoltStore]; redis://,
// rediss://, redis+sentinel://, rediss+sentinel://, redis+cluster:// and
// rediss+cluster:// open a [RedisStore] and ping it under ctx. Errors name
// what is wrong and never contain the URL's password.
func Open(ctx context.Context, rawURL string) (Store, error) {
	kind, err := urlKind(rawURL)
	if err != nil {
		return nil, err
	}
	if kind == kindRedis {
		return OpenRedis(ctx, rawURL)
	}
	path, opts, err := ParseBoltURL(rawURL)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	return OpenBolt(path, opts)
}

type backendKind int

const (
	kindBolt backendKind = iota
	kindRedis
)

func urlKind(rawURL string) (backendKind, error) {
	if strings.TrimSpace(rawURL) == "" {
		return 0, fmt.Errorf("store URL is empty: want a file path, bolt://path or redis://host:port: %w", ErrInvalid)
	}
	scheme, _, ok := strings.Cut(rawURL, "://")
	if !ok {
		return kindBolt, nil
	}
	switch strings.ToLower(scheme) {
	case "bolt", "file":
		return kindBolt, nil
	case "redis", "rediss", "redis+sentinel", "rediss+sentinel", "redis+cluster", "rediss+cluster":
		return kindRedis, nil
	default:
		return 0, fmt.Errorf("store URL scheme %q is not supported (want a path, bolt://, file://, redis://, rediss://, redis+sentinel:// or redis+cluster://): %w", scheme, ErrInvalid)
	}
}

// ParseBoltURL returns the file path and options of a bbolt store URL: a
// plain path, bolt://path or file://path (bolt:///abs and file:///abs for
// absolute paths). The scheme forms accept the option lock_timeout (a Go
// duration or seconds).
func ParseBoltURL(rawURL string) (string, BoltOptions, error) {
	var opts BoltOptions
	scheme, rest, ok := strings.Cut(rawURL, "://")
	if !ok {
		if strings.TrimSpace(rawURL) == "" {
			return "", opts, fmt.Errorf("bolt store path is empty: %w", ErrInvalid)
		}
		return rawURL, opts, nil
	}
	scheme = strings.ToLower(scheme)
	if scheme != "bolt" && scheme != "file" {
		return "", opts, fmt.Errorf("bolt store URL scheme %q is not bolt or file: %w", scheme, ErrInvalid)
	}
	rawPath, rawQuery, _ := strings.Cut(rest, "?")
	path, err := url.PathUnescape(rawPath)
	if err != nil {
		return "", opts, fmt.Errorf("bolt store URL path: bad escape: %w", ErrInvalid)
	}
	if path == "" {
		return "", opts, fmt.Errorf("bolt store URL %s:// has no file path: %w", scheme, ErrInvalid)
	}
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		return "", opts, fmt.Errorf("bolt store URL query: %w", ErrInvalid)
	}
	for name, vals := range q {
		v := vals[len(vals)-1]
		switch name {
		case "lock_timeout", "timeout":
			d, err := parseDuration(name, v)
			if err != nil {
				return "", opts, err
			}
			opts.LockTimeout = d
		default:
			return "", opts, fmt.Errorf("bolt store URL: unknown option %q (known: lock_timeout): %w", name, ErrInvalid)
		}
	}
	return path, opts, nil
}

// RedisMode is the kind of Redis deployment a URL names.
type RedisMode string

// Redis modes.
const (
	RedisSingle   RedisMode = "single"
	RedisSentinel RedisMode = "sentinel"
	RedisCluster  RedisMode = "cluster"
)

// RedisConfig is a parsed Redis store URL.
type RedisConfig struct {
	// Mode is single, sentinel or cluster.
	Mode RedisMode
	// Options configures redis.NewUniversalClient. It holds the password:
	// never log it.
	Options redis.UniversalOptions
	// KeyPrefix prefixes every key (default [DefaultKeyPrefix]).
	KeyPrefix string
}

// ParseRedisURL parses a redis://, rediss://, redis+sentinel://,
// rediss+sentinel://, redis+cluster:// or rediss+cluster:// URL (see the
// package documentation). The scheme, the comma-separated host list, the
// user info and the store's own options (prefix, the Sentinel ones,
// skip_verify) are read here; the database and the connection options by
// redis.ParseURL, or redis.ParseClusterURL for Cluster. Errors never
// contain the password.
func ParseRedisURL(rawURL string) (*RedisConfig, error) {
	scheme, rest, ok := strings.Cut(rawURL, "://")
	if !ok {
		return nil, fmt.Errorf("redis URL has no scheme: %w", ErrInvalid)
	}
	scheme = strings.ToLower(scheme)
	cfg := &RedisConfig{KeyPrefix: DefaultKeyPrefix}
	var useTLS bool
	defPort := "6379"
	switch scheme {
	case "redis", "rediss":
		cfg.Mode = RedisSingle
	case "redis+sentinel", "rediss+sentinel":
		cfg.Mode = RedisSentinel
		defPort = "26379"
	case "redis+cluster", "rediss+cluster":
		cfg.Mode = RedisCluster
	default:
		return nil, fmt.Errorf("redis URL scheme %q is not supported: %w", scheme, ErrInvalid)
	}
	useTLS = strings.HasPrefix(scheme, "rediss")

	// Split the authority by hand: net/url cannot parse a comma-separated
	// host list with IPv6 literals.
	authority, tail, ok := splitAuthority(rest)
	if !ok {
		return nil, fmt.Errorf("redis URL is malformed: percent-encode /, ?, # and @ in the user name and password: %w", ErrInvalid)
	}
	userinfo := ""
	if at := strings.LastIndex(authority, "@"); at >= 0 {
		userinfo, authority = authority[:at+1], authority[at+1:]
	}
	u, err := url.Parse("redis://" + userinfo + "host" + tail)
	if err != nil {
		// The parse error may quote part of the user info: never echo it.
		var ee url.EscapeError
		if errors.As(err, &ee) {
			return nil, fmt.Errorf("redis URL has a bad percent-escape: %w", ErrInvalid)
		}
		return nil, fmt.Errorf("redis URL is malformed: %w", ErrInvalid)
	}
	if u.Fragment != "" {
		return nil, fmt.Errorf("redis URL has a fragment: %w", ErrInvalid)
	}
	addrs, err := splitHosts(authority, defPort)
	if err != nil {
		return nil, err
	}
	var user, pass string
	if u.User != nil {
		var hasPass bool
		user = u.User.Username()
		pass, hasPass = u.User.Password()
		if !hasPass {
			return nil, fmt.Errorf("redis URL user info has no password: write redis://:password@host or redis://user:password@host: %w", ErrInvalid)
		}
	}
	if len(addrs) > 1 && cfg.Mode == RedisSingle {
		cfg.Mode = RedisCluster
	}
	q := u.Query()
	var skipVerify bool
	if err := takeStoreOptions(cfg, q, useTLS, &skipVerify); err != nil {
		return nil, err
	}
	// go-redis reads the rest: the database, the tuning options, TLS.
	o, err := parseWithGoRedis(cfg.Mode, useTLS, u, addrs, q)
	if err != nil {
		return nil, err
	}
	o.Addrs, o.Username, o.Password = addrs, user, pass
	o.MasterName, o.SentinelUsername, o.SentinelPassword =
		cfg.Options.MasterName, cfg.Options.SentinelUsername, cfg.Options.SentinelPassword
	if o.DB < 0 {
		return nil, fmt.Errorf("redis URL path: database number must be a non-negative integer: %w", ErrInvalid)
	}
	if o.Protocol != 0 && o.Protocol != 2 && o.Protocol != 3 {
		return nil, fmt.Errorf("redis URL option protocol must be 2 or 3: %w", ErrInvalid)
	}
	if useTLS {
		// ServerName stays empty so that every node (cluster, sentinel,
		// master) is verified against its own host name (go-redis would
		// pin the first host's).
		o.TLSConfig = &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: skipVerify} //nolint:gosec // skip_verify: explicit opt-in, for tests
	}
	cfg.Options = *o
	if cfg.Mode == RedisSentinel && o.MasterName == "" {
		return nil, fmt.Errorf("redis+sentinel URL needs the master name (?master=name): %w", ErrInvalid)
	}
	if cfg.Mode != RedisSentinel && o.MasterName != "" {
		return nil, fmt.Errorf("redis URL option master is only valid with redis+sentinel://: %w", ErrInvalid)
	}
	if cfg.Mode == RedisCluster && o.DB != 0 {
		return nil, fmt.Errorf("redis cluster has only database 0, URL selects %d: %w", o.DB, ErrInvalid)
	}
	return cfg, nil
}

// takeStoreOptions moves the options go-redis does not know out of q into
// cfg: the key prefix and the Sentinel ones (master, sentinel_username,
// sentinel_password), and skip_verify (refused without TLS).
func takeStoreOptions(cfg *RedisConfig, q url.Values, useTLS bool, skipVerify *bool) error {
	for name, vals := range q {
		v := vals[len(vals)-1]
		switch name {
		case "prefix":
			if v == "" {
				return fmt.Errorf("redis URL option prefix is empty: %w", ErrInvalid)
			}
			cfg.KeyPrefix = v
		case "master", "master_name":
			cfg.Options.MasterName = v
		case "sentinel_username":
			cfg.Options.SentinelUsername = v
		case "sentinel_password":
			cfg.Options.SentinelPassword = v
		case "skip_verify": // by hand: redis.ParseClusterURL has no such option
			b, err := strconv.ParseBool(v)
			switch {
			case err != nil:
				return fmt.Errorf("redis URL option skip_verify must be true or false: %w", ErrInvalid)
			case !useTLS:
				return fmt.Errorf("redis URL option skip_verify needs rediss: %w", ErrInvalid)
			}
			*skipVerify = b
		default:
			continue
		}
		q.Del(name)
	}
	return nil
}

// parseWithGoRedis reads the database, the tuning options and TLS of a
// store URL with redis.ParseURL (one server, and the servers behind
// Sentinel) or redis.ParseClusterURL (Cluster: the first host in the URL,
// the others as addr= options), and returns them as universal options.
// The URL it builds holds no user info: errors cannot show the password.
func parseWithGoRedis(mode RedisMode, useTLS bool, u *url.URL, addrs []string, q url.Values) (*redis.UniversalOptions, error) {
	g := url.URL{Scheme: "redis", Host: addrs[0], Path: u.Path}
	if useTLS {
		g.Scheme = "rediss"
	}
	if mode != RedisCluster {
		g.RawQuery = q.Encode()
		o, err := redis.ParseURL(g.String())
		if err != nil {
			return nil, goRedisError(err)
		}
		return &redis.UniversalOptions{DB: o.DB, Protocol: o.Protocol, ClientName: o.ClientName,
			MaxRetries: o.MaxRetries, MinRetryBackoff: o.MinRetryBackoff, MaxRetryBackoff: o.MaxRetryBackoff,
			DialTimeout: o.DialTimeout, ReadTimeout: o.ReadTimeout, WriteTimeout: o.WriteTimeout,
			PoolFIFO: o.PoolFIFO, PoolSize: o.PoolSize, PoolTimeout: o.PoolTimeout,
			MinIdleConns: o.MinIdleConns, MaxIdleConns: o.MaxIdleConns, MaxActiveConns: o.MaxActiveConns,
			ConnMaxIdleTime: o.ConnMaxIdleTime, ConnMaxLifetime: o.ConnMaxLifetime, TLSConfig: o.TLSConfig}, nil
	}
	if db := q.Get("db"); db != "" && db != "0" {
		return nil, fmt.Errorf("redis cluster has only database 0, URL selects %s: %w", db, ErrInvalid)
	}
	if p := strings.Trim(u.Path, "/"); p != "" && p != "0" {
		return nil, fmt.Errorf("redis cluster has only database 0, URL selects %s: %w", p, ErrInvalid)
	}
	q.Del("db")
	g.Path = ""
	for _, a := range addrs[1:] {
		q.Add("addr", a)
	}
	g.RawQuery = q.Encode()
	o, err := redis.ParseClusterURL(g.String())
	if err != nil {
		return nil, goRedisError(err)
	}
	return &redis.UniversalOptions{IsClusterMode: true, Protocol: o.Protocol, ClientName: o.ClientName,
		MaxRetries: o.MaxRetries, MinRetryBackoff: o.MinRetryBackoff, MaxRetryBackoff: o.MaxRetryBackoff,
		DialTimeout: o.DialTimeout, ReadTimeout: o.ReadTimeout, WriteTimeout: o.WriteTimeout,
		PoolFIFO: o.PoolFIFO, PoolSize: o.PoolSize, PoolTimeout: o.PoolTimeout,
		MinIdleConns: o.MinIdleConns, MaxIdleConns: o.MaxIdleConns, MaxActiveConns: o.MaxActiveConns,
		ConnMaxIdleTime: o.ConnMaxIdleTime, ConnMaxLifetime: o.ConnMaxLifetime, TLSConfig: o.TLSConfig,
		MaxRedirects: o.MaxRedirects, ReadOnly: o.ReadOnly, RouteByLatency: o.RouteByLatency,
		RouteRandomly: o.RouteRandomly}, nil
}

// goRedisError words a go-redis URL error as this package's.
func goRedisError(err error) error {
	msg := strings.TrimPrefix(err.Error(), "redis: ")
	if names, ok := strings.CutPrefix(msg, "unexpected option: "); ok {
		return fmt.Errorf("redis URL: unknown option %q: %w", names, ErrInvalid)
	}
	if strings.Contains(msg, "invalid database number") || strings.Contains(msg, "invalid URL path") {
		msg = "redis URL path: want /<db number>, a non-negative integer (" + msg + ")"
	}
	return fmt.Errorf("redis URL: %s: %w", msg, ErrInvalid)
}

func splitHosts(authority, defPort string) ([]string, error) {
	if authority == "" {
		return nil, fmt.Errorf("redis URL has no host: %w", ErrInvalid)
	}
	// Errors name a host by its position only: with an unescaped "/" in a
	// password, part of the password could sit in the host list.
	var addrs []string
	for h := range strings.SplitSeq(authority, ",") {
		pos := len(addrs) + 1
		if h == "" {
			return nil, fmt.Errorf("redis URL has an empty host in its host list: %w", ErrInvalid)
		}
		host, port := h, defPort
		switch {
		case strings.HasPrefix(h, "[") && strings.HasSuffix(h, "]"):
			host = h[1 : len(h)-1]
		case strings.Count(h, ":") == 1 || strings.HasPrefix(h, "["):
			var err error
			host, port, err = net.SplitHostPort(h)
			if err != nil {
				return nil, fmt.Errorf("redis URL host #%d is not host:port: %w", pos, ErrInvalid)
			}
		case strings.Contains(h, ":"):
			return nil, fmt.Errorf("redis URL host #%d: write IPv6 addresses in brackets: %w", pos, ErrInvalid)
		}
		if host == "" || strings.ContainsAny(host, " /\\@[]") {
			return nil, fmt.Errorf("redis URL host #%d is not a host name: %w", pos, ErrInvalid)
		}
		n, err := strconv.Atoi(port)
		if err != nil || n < 1 || n > 65535 {
			return nil, fmt.Errorf("redis URL host #%d: port must be 1-65535: %w", pos, ErrInvalid)
		}
		addrs = append(addrs, net.JoinHostPort(host, port))
	}
	return addrs, nil
}

// parseDuration accepts a Go duration (5s, 250ms) or a number of seconds.
func parseDuration(name, v string) (time.Duration, error) {
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return time.Duration(n) * time.Second, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("store URL option %s=%q: want a duration such as 5s or 250ms: %w", name, v, ErrInvalid)
	}
	return d, nil
}

// splitAuthority splits what follows "scheme://" into the authority
// (user info and hosts) and the rest (path, query, fragment). It reports
// false when an "@" follows the authority before any query value: a
// password with an unescaped "/", "?" or "#", whose pieces must not be
// echoed.
func splitAuthority(rest string) (authority, tail string, ok bool) {
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	authority, tail = rest[:end], rest[end:]
	// In a well-formed URL no "@" follows the authority before the first
	// "=" of the query.
	upTo := len(tail)
	if i := strings.Index(tail, "="); i >= 0 {
		upTo = i
	}
	if strings.Contains(tail[:upTo], "@") {
		return "", "", false
	}
	return authority, tail, true
}

// RedactURL returns rawURL with its password and secret options replaced
// by "xxxxx", for logging. A string that cannot be parsed is replaced
// whole unless it has no "://" (a file path).
func RedactURL(rawURL string) string {
	scheme, rest, ok := strings.Cut(rawURL, "://")
	if !ok {
		return rawURL
	}
	authority, tail, ok := splitAuthority(rest)
	if !ok {
		return scheme + "://xxxxx"
	}
	if at := strings.LastIndex(authority, "@"); at >= 0 {
		user, _, hasPass := strings.Cut(authority[:at], ":")
		if hasPass {
			user += ":xxxxx"
		} else {
			user = "xxxxx"
		}
		authority = user + "@" + authority[at+1:]
	}
	path, query, hasQuery := strings.Cut(tail, "?")
	if hasQuery {
		q, err := url.ParseQuery(query)
		if err != nil {
			return scheme + "://" + authority + path + "?xxxxx"
		}
		for name := range q {
			if strings.Contains(strings.ToLower(name), "password") {
				q.Set(name, "xxxxx")
			}
		}
		return scheme + "://" + authority + path + "?" + q.Encode()
	}
	return scheme + "://" + authority + tail
}
