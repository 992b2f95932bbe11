package app

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/audit"
	"github.com/attestbot/attestbot/bot"
	"github.com/attestbot/attestbot/bot/schema"
	"github.com/attestbot/attestbot/cards"
	"github.com/attestbot/attestbot/chat"
	"github.com/attestbot/attestbot/graphclient"
	"github.com/attestbot/attestbot/graphclient/graphtest"
	"github.com/attestbot/attestbot/internal/roles"
	"github.com/attestbot/attestbot/manifest"
	"github.com/attestbot/attestbot/notify"
	"github.com/attestbot/attestbot/sample"
	"github.com/attestbot/attestbot/store"
)

const (
	testTenant  = "11111111-1111-4111-8111-111111111111"
	testAppID   = "22222222-2222-4222-8222-222222222222"
	roleTenantA = "aaaaaaaa-0000-4000-8000-00000000000a"
	roleTenantB = "bbbbbbbb-0000-4000-8000-00000000000b"
	roleTenantC = "cccccccc-0000-4000-8000-00000000000c"
	aliceID     = "a11ce000-0000-4000-8000-000000000001"
	bobID       = "b0b00000-0000-4000-8000-000000000002"
	ginaID      = "91a00000-0000-4000-8000-000000000003"
)

// declaredApplicationPermissions are the Graph application permissions of
// attestbot's manifest: the fake tenants grant exactly these.
func declaredApplicationPermissions() []string {
	var out []string
	for _, p := range manifest.GraphPermissions() {
		if p.Type == "Application" {
			out = append(out, p.Name)
		}
	}
	return out
}

// twoTenants is the conversation of serve over a fake Graph with two
// tenants that consented to the declared permissions and one that did not
// consent RoleManagement.Read.Directory, with the admin check, the audit
// and the subscriptions wired as serve wires them.
type twoTenants struct {
	srv  *graphtest.Server
	svc  *chat.Service
	subs *notify.Subscriptions
}

func newTwoTenants(t *testing.T) *twoTenants {
	t.Helper()
	s := graphtest.New(t)
	a, b, c := s.Tenant(roleTenantA), s.Tenant(roleTenantB), s.Tenant(roleTenantC)
	a.AssignRole(graphtest.RoleAssignment{PrincipalID: aliceID, RoleDefinitionID: roles.GlobalAdministrator})
	a.AssignRole(graphtest.RoleAssignment{PrincipalID: ginaID, RoleDefinitionID: roles.GlobalReader})
	b.AssignRole(graphtest.RoleAssignment{PrincipalID: bobID, RoleDefinitionID: roles.TeamsAdministrator})
	c.AssignRole(graphtest.RoleAssignment{PrincipalID: aliceID, RoleDefinitionID: roles.GlobalAdministrator})
	for tenant, name := range map[*graphtest.Tenant]string{a: "A custom app", b: "B custom app"} {
		entra := "e0000000-0000-4000-8000-" + strings.Repeat(tenant.ID[:1], 12)
		tenant.AddCatalogApp(graphtest.CatalogApp{ExternalID: "com.example." + tenant.ID[:1], DisplayName: name,
			Definitions: []graphtest.AppDefinition{{Version: "1.0.0", PublishingState: "published", ClientAppID: entra}}})
		sp := tenant.AddServicePrincipal(graphtest.ServicePrincipal{AppID: entra, DisplayName: name + " API"})
		tenant.AddAppRoleAssignment(graphtest.AppRoleAssignment{PrincipalID: sp.ID, ResourceID: tenant.GraphServicePrincipalID(),
			AppRoleID: graphtest.GraphRoleID("Files.ReadWrite.All")})
	}
	a.RestrictAppPermissions(declaredApplicationPermissions()...)
	b.RestrictAppPermissions(declaredApplicationPermissions()...)
	c.RestrictAppPermissions("AppCatalog.Read.All", "Application.Read.All", "TeamsActivity.Send")

	cred, err := graphclient.NewAppCredential(graphclient.AppCredentialConfig{ClientID: testAppID, ClientSecret: "not-a-real-secret",
		HomeTenantID: roleTenantA, LoginURL: s.LoginURL(), Scope: s.GraphURL() + "/.default"}, graphclient.CredentialOptions{HTTPClient: s.Client()})
	require.NoError(t, err)
	gc, err := graphclient.New(graphclient.Config{GraphURL: s.GraphURL(), HTTPClient: s.Client()}, cred)
	require.NoError(t, err)
	st, err := store.OpenBolt(filepath.Join(t.TempDir(), "roles.db"), store.BoltOptions{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = st.Close() })
	cat := chat.NewCatalog(sample.Records{})
	_, err = cat.Reload(t.Context())
	require.NoError(t, err)

	checker := roles.New(gc, roles.Config{})
	subs := notify.NewSubscriptions(st, st, adminCheck{checker})
	svc := chat.NewService(cat, cards.New(), chat.WithRoles(adminCheck{checker}),
		chat.WithAuditor(audit.New(NewAuditGraph(gc), cat)), chat.WithSubscriptions(alertSubscriptions{subs: subs}))
	return &twoTenants{srv: s, svc: svc, subs: subs}
}

// roleCalls returns the tenants of the role lookups Graph received.
func (tt *twoTenants) roleCalls() []string {
	var out []string
	for _, r := range tt.srv.GraphRequests() {
		if r.Path == "/v1.0/roleManagement/directory/roleAssignments" {
			out = append(out, r.Tenant)
		}
	}
	return out
}

func user(tenant, oid string) chat.User {
	return chat.User{TenantID: tenant, ID: oid, AADObjectID: oid}
}

// TestTwoTenants: an admin of tenant A is not an admin in tenant B, tenant
// B never sees tenant A's data (audit, subscriptions, role cache), and a
// tenant that did not consent the role permission gets a clear denial.
func TestTwoTenants(t *testing.T) {
	tt := newTwoTenants(t)
	ctx := t.Context()
	text := func(u chat.User, msg string) string {
		raw, err := cards.Encode(tt.svc.Text(ctx, u, msg))
		require.NoError(t, err)
		return string(raw)
	}
	alice, aliceInB, bob, gina := user(roleTenantA, aliceID), user(roleTenantB, aliceID), user(roleTenantB, bobID), user(roleTenantA, ginaID)

	// Alice administers tenant A: its audit, its subscriptions.
	out := text(alice, "audit")
	require.Contains(t, out, "A custom app")
	require.NotContains(t, out, "B custom app")
	require.Contains(t, text(alice, "subscribe all"), "Subscribed")

	// The same Alice in tenant B is nobody there.
	require.Contains(t, text(aliceInB, "audit"), "Only admins can audit the tenant")
	require.Contains(t, text(aliceInB, "subscribe all"), "Only admins can subscribe to all apps")
	_, err := tt.subs.Subscribe(ctx, aliceInB, "all")
	require.ErrorIs(t, err, notify.ErrAdminOnly, "notify's own gate asks the roles too")

	// Bob administers tenant B and sees only tenant B.
	out = text(bob, "audit")
	require.Contains(t, out, "B custom app")
	require.NotContains(t, out, "A custom app")
	require.Contains(t, text(bob, "subscribe permission=Mail.*"), "Subscribed")
	listB, err := tt.subs.ListTenant(ctx, roleTenantB)
	require.NoError(t, err)
	require.Len(t, listB, 1)
	require.Equal(t, bobID, listB[0].User.ID)
	listA, err := tt.subs.ListTenant(ctx, roleTenantA)
	require.NoError(t, err)
	require.Len(t, listA, 1)
	require.Equal(t, aliceID, listA[0].User.ID)

	// Gina, Global Reader of A, views the audit only.
	require.Contains(t, text(gina, "audit"), "A custom app")
	require.Contains(t, text(gina, "subscribe all"), "Global Reader gives the read-only views")

	// Each tenant's roles were read in that tenant, once per user (cached):
	// alice in A, alice in B, bob in B, gina in A.
	require.ElementsMatch(t, []string{roleTenantA, roleTenantB, roleTenantB, roleTenantA}, tt.roleCalls())

	// Tenant C did not consent RoleManagement.Read.Directory: denied, and
	// told why, though Alice is a Global Administrator there.
	aliceInC := user(roleTenantC, aliceID)
	out = text(aliceInC, "subscribe all")
	require.Contains(t, out, "I could not check your admin roles")
	require.Contains(t, out, "RoleManagement.Read.Directory")
	require.Contains(t, text(aliceInC, "audit"), "I could not check your admin roles")
	listC, err := tt.subs.ListTenant(ctx, roleTenantC)
	require.NoError(t, err)
	require.Empty(t, listC)
}

// TestTwoTenants_IdentityOnlyFromTeams: a user without an Entra object ID
// (a channel ID only, as a from.id fallback gives) is never an admin, even
// when that ID equals an admin's object ID.
func TestTwoTenants_IdentityOnlyFromTeams(t *testing.T) {
	tt := newTwoTenants(t)
	raw, err := cards.Encode(tt.svc.Text(t.Context(), chat.User{TenantID: roleTenantA, ID: aliceID}, "subscribe all"))
	require.NoError(t, err)
	require.Contains(t, string(raw), "Only admins")
	require.Empty(t, tt.roleCalls(), "no object ID: Graph is not even asked")
}

// fakeMembers is a Bot Connector answering the member list of a
// conversation.
type fakeMembers struct {
	bot.Connector
	members []schema.ChannelAccount
	calls   int
}

func (f *fakeMembers) GetConversationMembers(context.Context, string, string) ([]schema.ChannelAccount, error) {
	f.calls++
	return f.members, nil
}

// TestUPNOverride: an ATTESTBOT_ADMINS UPN is compared, case-insensitively,
// with the UPN Teams lists for the member whose aadObjectId is the
// activity's, never with another member's.
func TestUPNOverride(t *testing.T) {
	checker := roles.New(nil, roles.Config{Overrides: []string{"Erin@Contoso.example"}})
	conn := &fakeMembers{members: []schema.ChannelAccount{
		{ID: "29:mallory", AADObjectID: "f0000000-0000-4000-8000-000000000009", UserPrincipalName: "mallory@contoso.example"},
		{ID: "29:erin", AADObjectID: "e0000000-0000-4000-8000-000000000005", UserPrincipalName: "erin@contoso.EXAMPLE"},
	}}
	level := func(oid string) roles.Level {
		var got roles.Level
		h := upnLookup(func(ctx context.Context, tr *bot.Turn) (*schema.InvokeResponse, error) {
			l, err := checker.Level(ctx, roles.Identity{TenantID: roleTenantA, ObjectID: oid})
			require.NoError(t, err)
			got = l
			return nil, nil
		})
		turn := bot.NewTurn(&schema.Activity{Type: schema.ActivityTypeMessage, ChannelID: bot.ChannelMSTeams, ServiceURL: "https://smba.example/",
			Conversation: &schema.ConversationAccount{ID: "a:1", TenantID: roleTenantA}, From: &schema.ChannelAccount{ID: "29:x", AADObjectID: oid}}, conn, nil)
		_, err := h(context.Background(), turn)
		require.NoError(t, err)
		return got
	}
	require.Equal(t, roles.Admin, level("e0000000-0000-4000-8000-000000000005"))
	require.Equal(t, roles.None, level("f0000000-0000-4000-8000-000000000009"))
	require.Equal(t, roles.None, level("a0000000-0000-4000-8000-00000000000a"), "not a member")
	require.Equal(t, 3, conn.calls)
	require.Equal(t, roles.Admin, level("e0000000-0000-4000-8000-000000000005"))
	require.Equal(t, 3, conn.calls, "cached")
}
