package auth

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
)

// checkFetchURL reports whether raw is an absolute URL this package may fetch
// keys or metadata from: https, or http only when the host is a loopback
// address (127.0.0.1, ::1 or localhost), which tests use.
func checkFetchURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("parse url: %w", err)
	}
	if u.Host == "" || u.Hostname() == "" {
		return nil, errors.New("url has no host")
	}
	if u.User != nil {
		return nil, errors.New("url must not carry user info")
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
		return u, nil
	case "http":
		if isLoopbackHost(u.Hostname()) {
			return u, nil
		}
		return nil, fmt.Errorf("url scheme must be https (http is allowed only for loopback hosts), got host %q", u.Hostname())
	default:
		return nil, fmt.Errorf("url scheme must be https, got %q", u.Scheme)
	}
}

// isLoopbackHost reports whether host (without port) is localhost or a
// loopback IP address.
func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
