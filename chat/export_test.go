package chat

import (
	"context"
	"strings"

	"github.com/attestbot/attestbot/internal/roles"
)

// Options and methods only the tests use.

// WithAdmins names the users (Entra object IDs, compared case-insensitively
// with the Teams-vouched AADObjectID, never with ID) allowed admin-only
// requests, when no Roles are set (WithRoles).
func WithAdmins(ids []string) Option {
	return func(s *Service) {
		for _, id := range ids {
			s.admins[strings.ToLower(strings.TrimSpace(id))] = true
		}
	}
}

// IsAdmin reports whether u may run every admin-only request in their
// tenant (a failure to tell is a no).
func (s *Service) IsAdmin(ctx context.Context, u User) bool {
	l, err := s.level(ctx, u)
	return err == nil && l >= roles.Admin
}
