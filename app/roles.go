package app

import (
	"context"
	"log/slog"
	"strings"

	"github.com/attestbot/attestbot/chat"
	"github.com/attestbot/attestbot/graphclient"
	"github.com/attestbot/attestbot/internal/config"
	"github.com/attestbot/attestbot/internal/roles"
	"github.com/attestbot/attestbot/notify"
)

// NewRoles builds the admin check: the directory roles of each user in
// their own tenant through gc (nil in local mode: the overrides alone),
// with ATTESTBOT_ADMINS as overrides. Overrides that identify nobody are
// logged once.
func NewRoles(cfg config.Config, log *slog.Logger, gc *graphclient.Client) *roles.Checker {
	var dir roles.Directory
	if gc != nil {
		dir = gc
	}
	c := roles.New(dir, roles.Config{Overrides: cfg.Admins, Logger: log})
	if ignored := c.Ignored(); len(ignored) > 0 {
		for i, v := range ignored {
			if len(v) > 80 {
				ignored[i] = v[:80] + "…"
			}
		}
		log.Warn("ATTESTBOT_ADMINS entries ignored: neither an Entra object ID nor a user principal name",
			"count", len(ignored), "entries", strings.Join(ignored, ","))
	}
	return c
}

// chatRoles adapts the checker to the conversation: the identity is the
// Teams-vouched tenant and Entra object ID, nothing else.
type chatRoles struct{ c *roles.Checker }

// Level implements chat.Roles.
func (r chatRoles) Level(ctx context.Context, u chat.User) (roles.Level, error) {
	return r.c.Level(ctx, roles.Identity{TenantID: u.TenantID, ObjectID: u.AADObjectID})
}

// notifyAdmins adapts the checker to notify's subscription gate.
type notifyAdmins struct{ c *roles.Checker }

// IsAdmin implements notify.AdminChecker.
func (r notifyAdmins) IsAdmin(ctx context.Context, u notify.User) bool {
	l, err := r.c.Level(ctx, roles.Identity{TenantID: u.TenantID, ObjectID: u.AADObjectID})
	return err == nil && l >= roles.Admin
}
