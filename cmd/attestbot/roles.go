package main

import (
	"context"
	"errors"
	"strings"

	"github.com/attestbot/attestbot/bot"
	"github.com/attestbot/attestbot/bot/schema"
	"github.com/attestbot/attestbot/chat"
	"github.com/attestbot/attestbot/graphclient"
	"github.com/attestbot/attestbot/internal/roles"
	"github.com/attestbot/attestbot/notify"
)

// newRoles builds the admin check: the directory roles of each user in
// their own tenant through gc (nil in local mode: the overrides alone),
// with ATTESTBOT_ADMINS as overrides. Overrides that identify nobody are
// logged once.
func newRoles(a *app, gc *graphclient.Client) *roles.Checker {
	var dir roles.Directory
	if gc != nil {
		dir = gc
	}
	c := roles.New(dir, roles.Config{Overrides: a.cfg.Admins, Logger: a.logger})
	if ignored := c.Ignored(); len(ignored) > 0 {
		for i, v := range ignored {
			if len(v) > 80 {
				ignored[i] = v[:80] + "…"
			}
		}
		a.logger.Warn("ATTESTBOT_ADMINS entries ignored: neither an Entra object ID nor a user principal name",
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

// errNoMember is returned when the conversation does not list the user.
var errNoMember = errors.New("the user is not a member of the conversation")

// upnLookup is the middleware that lets the admin check read the asking
// user's UPN from Teams (the Bot Connector's member list of the
// conversation, the member whose aadObjectId is the activity's), only
// when an ATTESTBOT_ADMINS entry is a UPN.
func upnLookup(next bot.HandlerFunc) bot.HandlerFunc {
	return func(ctx context.Context, t *bot.Turn) (*schema.InvokeResponse, error) {
		a := t.Activity
		if t.Connector == nil || a == nil || a.Conversation == nil {
			return next(ctx, t)
		}
		oid := t.Identity().UserID // the identity the admin check is asked about
		if oid == "" {
			return next(ctx, t)
		}
		ctx = roles.WithUPNLookup(ctx, func(ctx context.Context) (string, error) {
			members, err := t.Connector.GetConversationMembers(ctx, a.ServiceURL, a.Conversation.ID)
			if err != nil {
				return "", err
			}
			for _, m := range members {
				if strings.EqualFold(m.AADObjectID, oid) || strings.EqualFold(m.ObjectID, oid) {
					return m.UserPrincipalName, nil
				}
			}
			return "", errNoMember
		})
		return next(ctx, t)
	}
}
