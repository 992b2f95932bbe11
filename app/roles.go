package app

import (
	"context"
	"log/slog"

	"github.com/attestbot/attestbot/graphclient"
	"github.com/attestbot/attestbot/internal/config"
	"github.com/attestbot/attestbot/internal/roles"
	"github.com/attestbot/attestbot/store"
)

// NewRoles builds the admin check: the directory roles of each user in
// their own tenant through gc (nil in local mode: the overrides alone),
// with ATTESTBOT_ADMINS as overrides (roles.New logs those that identify
// nobody).
func NewRoles(cfg config.Config, log *slog.Logger, gc *graphclient.Client) *roles.Checker {
	var dir roles.Directory
	if gc != nil {
		dir = gc
	}
	return roles.New(dir, roles.Config{Overrides: cfg.Admins, Logger: log})
}

// adminCheck is the checker as the conversation (chat.Roles) and the
// subscription gate (notify.AdminChecker) ask it: the identity is the
// Teams-vouched tenant and Entra object ID, nothing else.
type adminCheck struct{ c *roles.Checker }

// Level implements chat.Roles.
func (r adminCheck) Level(ctx context.Context, u store.User) (roles.Level, error) {
	return r.c.Level(ctx, roles.Identity{TenantID: u.TenantID, ObjectID: u.AADObjectID})
}

// IsAdmin implements notify.AdminChecker.
func (r adminCheck) IsAdmin(ctx context.Context, u store.User) bool {
	l, err := r.Level(ctx, u)
	return err == nil && l >= roles.Admin
}
