package audit

import "time"

// entraAppIDs returns the distinct, lower-cased Entra app IDs of the apps,
// in first-seen order.
func entraAppIDs(js []joined) []string {
	var out []string
	seen := map[string]bool{}
	for _, j := range js {
		for _, id := range j.entra {
			if !seen[id] {
				seen[id] = true
				out = append(out, id)
			}
		}
	}
	return out
}

// Options only the tests set: production runs with the defaults.

// WithTTL sets how long audits are cached (default DefaultTTL).
func WithTTL(d time.Duration) Option {
	return func(s *Service) {
		if d > 0 {
			s.ttl = d
		}
	}
}

// WithMinRefresh sets the youngest audit a forced refresh replaces
// (default DefaultMinRefresh; 0 or less: every forced refresh fetches).
func WithMinRefresh(d time.Duration) Option { return func(s *Service) { s.minRefresh = max(d, 0) } }

// WithMaxTenants bounds the cache (default DefaultMaxTenants).
func WithMaxTenants(n int) Option {
	return func(s *Service) {
		if n > 0 {
			s.maxTenants = n
		}
	}
}

// WithFetchTimeout bounds one tenant's Graph reads (default
// DefaultFetchTimeout).
func WithFetchTimeout(d time.Duration) Option {
	return func(s *Service) {
		if d > 0 {
			s.timeout = d
		}
	}
}

// WithClock sets the clock (default time.Now).
func WithClock(now func() time.Time) Option {
	return func(s *Service) {
		if now != nil {
			s.now = now
		}
	}
}
