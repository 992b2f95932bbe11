package matrix

import (
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/internal/binarytest"
	"github.com/attestbot/attestbot/internal/fakecloud"
	"github.com/attestbot/attestbot/sample"
)

const (
	tenantB = "0d5a33f0-0000-4000-8000-00000000beef"
	userB   = "0c9d2a8e-0000-4000-8000-0000000000b2"
)

// A MultiTenant bot with only an app ID and a secret works in each tenant
// with that tenant's Graph token: an admin's "audit" in tenant A calls Graph
// with a token of A, in tenant B with one of B, and never with a token of a
// home tenant or of "organizations".
func TestMultiTenantGraphUsesTheConversationTenant(t *testing.T) {
	cloud, err := fakecloud.Start()
	require.NoError(t, err)
	t.Cleanup(cloud.Close)
	dir := t.TempDir()
	env := registration(t, cloud, dir, setup{credential: "secret"})
	env = append(env, "ATTESTBOT_ADMINS="+userID+","+userB)
	srv := binarytest.Start(t, env, binarytest.Options{Dir: dir})

	for _, u := range []struct{ tenant, user string }{{tenantID, userID}, {tenantB, userB}} {
		conv := "a:audit-" + u.tenant
		status, err := cloud.Send(t.Context(), srv.MessagesURL(), fakecloud.Message{AppID: appID, TenantID: u.tenant,
			UserObjectID: u.user, ConversationID: conv, Text: "audit"})
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, status)
		replies, err := cloud.WaitReplies(conv, 1, 30*time.Second)
		require.NoError(t, err, "attestbot logs:\n%s", srv.Logs())
		require.True(t, replies[0].HasCard())
		require.Contains(t, string(replies[0].Activity), "Tenant audit", "the audit ran")
		require.Contains(t, string(replies[0].Activity), "Tenant "+u.tenant, "of the conversation's tenant")
	}
	calls := cloud.GraphCalls()
	require.NotEmpty(t, calls, "the audit reads Graph")
	seen := map[string]bool{}
	for _, c := range calls {
		require.Contains(t, []string{tenantID, tenantB}, c.Tenant, "%s %s with a token of %s", c.Method, c.Path, c.Tenant)
		require.Equal(t, appID, c.ClientID)
		seen[c.Tenant] = true
	}
	require.Len(t, seen, 2, "each tenant's audit used its own token")
	require.Zero(t, cloud.Stats().GraphUnauthorized)
}

// plummPage is the page the alert tests change: the French Plumm page of
// the bundled sample.
const plummPage = "fr-FR/teams/plumm-health-ltd.md"

// TestAlertsReachTheSubscriber: a user subscribes by message; when the
// publisher changes the page, the alert reaches them as a card in the bot
// chat without ATTESTBOT_TEAMS_APP_ID, and as an activity feed notification
// in their own tenant (plus the card) with it.
func TestAlertsReachTheSubscriber(t *testing.T) {
	for _, teamsApp := range []bool{false, true} {
		name := "without teams app id: a chat card"
		if teamsApp {
			name = "with teams app id: the activity feed"
		}
		t.Run(name, func(t *testing.T) {
			cloud, err := fakecloud.Start()
			require.NoError(t, err)
			t.Cleanup(cloud.Close)
			dir := t.TempDir()
			pages := filepath.Join(dir, "pages")
			page := filepath.Join(pages, filepath.FromSlash(plummPage))
			data, err := fs.ReadFile(sample.FS(), plummPage)
			require.NoError(t, err)
			require.NoError(t, os.MkdirAll(filepath.Dir(page), 0o755))
			require.NoError(t, os.WriteFile(page, data, 0o644))

			env := registration(t, cloud, dir, setup{credential: "secret", teamsApp: teamsApp})
			env = append(env, "ATTESTBOT_SOURCE="+pages, "ATTESTBOT_SYNC_INTERVAL=1s")
			srv := binarytest.Start(t, env, binarytest.Options{Dir: dir})
			waitLog(t, srv, "catalog reloaded")

			conv := "a:alerts"
			msg := fakecloud.Message{AppID: appID, TenantID: tenantID, UserObjectID: userID, ConversationID: conv, Text: "subscribe plumm"}
			status, err := cloud.Send(t.Context(), srv.MessagesURL(), msg)
			require.NoError(t, err)
			require.Equal(t, http.StatusOK, status)
			replies, err := cloud.WaitReplies(conv, 1, 20*time.Second)
			require.NoError(t, err, "attestbot logs:\n%s", srv.Logs())
			require.Contains(t, string(replies[0].Activity), "Subscribed")

			// The publisher withdraws the HIPAA claim.
			text := regexp.MustCompile(`(?m)^ms\.openlocfilehash: .*$`).ReplaceAllString(string(data), "ms.openlocfilehash: 00000000000000000000000000000000aaaa0001")
			changed := strings.Replace(text, "(Health Insurance Portability and Accounting Act) ? | Oui |", "(Health Insurance Portability and Accounting Act) ? | Non |", 1)
			require.NotEqual(t, text, changed)
			require.NoError(t, os.WriteFile(page, []byte(changed), 0o644))

			replies, err = cloud.WaitReplies(conv, 2, 30*time.Second)
			require.NoError(t, err, "attestbot logs:\n%s", srv.Logs())
			alert := replies[1]
			require.Empty(t, alert.ReplyToID, "a proactive message, not a reply")
			require.True(t, alert.HasCard())
			require.Contains(t, string(alert.Activity), "HIPAA")

			var feed []fakecloud.GraphCall
			for _, c := range cloud.GraphCalls() {
				if strings.HasSuffix(c.Path, "/teamwork/sendActivityNotification") {
					feed = append(feed, c)
				}
			}
			if !teamsApp {
				require.Empty(t, feed, "no activity feed without the Teams app ID")
				return
			}
			require.Eventually(t, func() bool {
				feed = feed[:0]
				for _, c := range cloud.GraphCalls() {
					if strings.HasSuffix(c.Path, "/teamwork/sendActivityNotification") {
						feed = append(feed, c)
					}
				}
				return len(feed) == 1
			}, 20*time.Second, 50*time.Millisecond, "one activity feed notification; logs:\n%s", srv.Logs())
			require.Equal(t, "/v1.0/users/"+userID+"/teamwork/sendActivityNotification", feed[0].Path)
			require.Equal(t, tenantID, feed[0].Tenant, "sent with a token of the subscriber's tenant")
		})
	}
}

// waitLog waits until the server's log contains msg.
func waitLog(t *testing.T, srv *binarytest.Server, msg string) {
	t.Helper()
	require.Eventually(t, func() bool { return strings.Contains(srv.Logs(), msg) }, 30*time.Second, 50*time.Millisecond,
		"no %q in the logs:\n%s", msg, srv.Logs())
}
