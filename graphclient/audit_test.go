package graphclient_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/graphclient"
	"github.com/attestbot/attestbot/graphclient/graphtest"
)

// batchCalls sorts the recorded Graph requests: HTTP calls outside batches
// by path, batches with their sizes, and the requests inside them.
type batchCalls struct {
	plain   []graphtest.Request
	batches []int // requests per batch
	inner   []graphtest.Request
}

func splitCalls(t *testing.T, srv *graphtest.Server) batchCalls {
	t.Helper()
	var out batchCalls
	for _, r := range srv.GraphRequests() {
		switch {
		case r.InBatch:
			out.inner = append(out.inner, r)
		case r.Path == "/v1.0/$batch":
			require.Equal(t, http.MethodPost, r.Method)
			var b struct {
				Requests []struct {
					ID, Method, URL string
				} `json:"requests"`
			}
			require.NoError(t, json.Unmarshal(r.Body, &b))
			require.LessOrEqual(t, len(b.Requests), graphclient.MaxBatchRequests)
			out.batches = append(out.batches, len(b.Requests))
		default:
			out.plain = append(out.plain, r)
		}
	}
	return out
}

func TestClient_AuditServicePrincipals(t *testing.T) {
	f := newFixture(t)
	gen := graphtest.GenerateTenant(f.srv, "contoso", 300)
	missing := "0badc0de-0000-4000-8000-000000000000"
	ask := append([]string{missing}, gen.AppIDs...)
	ask = append(ask, strings.ToUpper(gen.AppIDs[7])) // duplicate, other case

	got, err := f.client.AuditServicePrincipals(t.Context(), "contoso", ask)
	require.NoError(t, err)
	require.Len(t, got, 300)
	calls := splitCalls(t, f.srv)

	// 301 distinct IDs: 21 lookups in 2 batches; 600 listings in 30
	// batches; the Graph service principal once, outside any batch.
	require.Len(t, calls.plain, 1)
	require.Equal(t, "appId eq '"+graphclient.MicrosoftGraphAppID+"'", calls.plain[0].Query().Get("$filter"))
	require.Len(t, calls.batches, 32)
	require.Len(t, calls.inner, 621)
	n, _ := f.srv.Counts()
	require.Equal(t, 33, n)
	for _, r := range calls.inner {
		require.Equal(t, http.StatusOK, r.Status, r.Path)
	}

	// The same answer as the call-per-request path.
	want, err := f.client.ServicePrincipalsWithPermissions(t.Context(), "contoso", ask)
	require.NoError(t, err)
	require.Equal(t, want, got)
	for i, sp := range got {
		require.Equal(t, gen.AppIDs[i], sp.AppID)
		require.False(t, sp.DelegatedUnavailable)
	}
}

func TestClient_AuditServicePrincipals_PagesAndResources(t *testing.T) {
	f := newFixture(t)
	f.srv.SetPageSize(1)
	tenant := f.srv.Tenant("contoso")
	graphID := tenant.GraphServicePrincipalID()
	exo := tenant.AddServicePrincipal(graphtest.ServicePrincipal{AppID: "00000002-0000-0ff1-ce00-000000000000",
		DisplayName: "Office 365 Exchange Online", AppRoles: []graphtest.AppRole{{ID: "dc50a0fb-09a3-484d-be87-e023b12c6440", Value: "Exchange.ManageAsApp"}}})
	sp := tenant.AddServicePrincipal(graphtest.ServicePrincipal{AppID: "aaaaaaaa-0000-4000-8000-000000000001", DisplayName: "Plumm"})
	tenant.AddGrant(graphtest.PermissionGrant{ClientID: sp.ID, ResourceID: graphID, Scope: "User.Read Mail.Read"})
	tenant.AddGrant(graphtest.PermissionGrant{ClientID: sp.ID, ResourceID: graphID, ConsentType: "Principal", PrincipalID: "u1", Scope: "Files.Read.All"})
	tenant.AddGrant(graphtest.PermissionGrant{ClientID: sp.ID, ResourceID: graphID, ConsentType: "Principal", PrincipalID: "u2", Scope: "Files.Read.All"})
	tenant.AddAppRoleAssignment(graphtest.AppRoleAssignment{PrincipalID: sp.ID, ResourceID: graphID, AppRoleID: graphtest.GraphRoleID("Mail.Send")})
	tenant.AddAppRoleAssignment(graphtest.AppRoleAssignment{PrincipalID: sp.ID, ResourceID: exo.ID, AppRoleID: "dc50a0fb-09a3-484d-be87-e023b12c6440"})
	gone := "0000dead-0000-4000-8000-000000000000"
	tenant.AddAppRoleAssignment(graphtest.AppRoleAssignment{PrincipalID: sp.ID, ResourceID: gone, AppRoleID: "12345678-0000-4000-8000-000000000000"})

	got, err := f.client.AuditServicePrincipals(t.Context(), "contoso", []string{sp.AppID})
	require.NoError(t, err)
	require.Len(t, got, 1)
	require.Equal(t, []graphclient.Permission{
		{Type: graphclient.Application, Name: "12345678-0000-4000-8000-000000000000", Resource: "Deleted resource " + gone, AllPrincipals: true},
		{Type: graphclient.Application, Name: "Mail.Send", Resource: "Microsoft Graph", ResourceAppID: graphclient.MicrosoftGraphAppID, AllPrincipals: true},
		{Type: graphclient.Delegated, Name: "Files.Read.All", Resource: "Microsoft Graph", ResourceAppID: graphclient.MicrosoftGraphAppID, Users: 2},
		{Type: graphclient.Delegated, Name: "Mail.Read", Resource: "Microsoft Graph", ResourceAppID: graphclient.MicrosoftGraphAppID, AllPrincipals: true},
		{Type: graphclient.Delegated, Name: "User.Read", Resource: "Microsoft Graph", ResourceAppID: graphclient.MicrosoftGraphAppID, AllPrincipals: true},
		{Type: graphclient.Application, Name: "Exchange.ManageAsApp", Resource: "Office 365 Exchange Online", ResourceAppID: "00000002-0000-0ff1-ce00-000000000000", AllPrincipals: true},
	}, got[0].Permissions)

	// Page size 1: 3 grant pages and 3 assignment pages followed inside
	// batches; the two unknown resources fetched in one batch.
	var grantPages, assignPages, resources int
	for _, r := range splitCalls(t, f.srv).inner {
		switch {
		case strings.HasSuffix(r.Path, "/oauth2PermissionGrants"):
			grantPages++
		case strings.HasSuffix(r.Path, "/appRoleAssignments"):
			assignPages++
		case r.Path == "/v1.0/servicePrincipals/"+exo.ID || r.Path == "/v1.0/servicePrincipals/"+gone:
			resources++
		}
	}
	require.Equal(t, 3, grantPages)
	require.Equal(t, 3, assignPages)
	require.Equal(t, 2, resources)

	// Resources stay cached: a second audit fetches none of them.
	f.srv.ResetRequests()
	_, err = f.client.AuditServicePrincipals(t.Context(), "contoso", []string{sp.AppID})
	require.NoError(t, err)
	for _, r := range splitCalls(t, f.srv).inner {
		require.NotEqual(t, "/v1.0/servicePrincipals/"+exo.ID, r.Path)
	}
}

func TestClient_AuditServicePrincipals_Throttling(t *testing.T) {
	tests := []struct {
		name    string
		failure graphtest.Failure
		wantErr error
		after   time.Duration
	}{
		{name: "inner requests throttled then served",
			failure: graphtest.Throttled("0").On(http.MethodGet, "/servicePrincipals/*/appRoleAssignments").Times(5)},
		{name: "inner 503 without Retry-After retried after a backoff",
			failure: graphtest.ServerError(http.StatusServiceUnavailable).On(http.MethodGet, "/servicePrincipals/*/oauth2PermissionGrants")},
		{name: "whole batch throttled then served",
			failure: graphtest.Throttled("1").On(http.MethodPost, "/$batch")},
		{name: "long Retry-After returned to the caller",
			failure: graphtest.Throttled("120").On(http.MethodGet, "/servicePrincipals/*/appRoleAssignments").Times(-1),
			wantErr: graphclient.ErrThrottled, after: 120 * time.Second},
		{name: "persistent throttling gives up after the retries",
			failure: graphtest.Throttled("0").On(http.MethodGet, "/servicePrincipals").Times(-1),
			wantErr: graphclient.ErrThrottled},
		{name: "inner server error not retried",
			failure: graphtest.ServerError(http.StatusInternalServerError).On(http.MethodGet, "/servicePrincipals/*/appRoleAssignments"),
			wantErr: graphclient.ErrServer},
		{name: "inner bad request",
			failure: graphtest.Failure{Status: http.StatusBadRequest, Code: "BadRequest", Message: "nope"}.On(http.MethodGet, "/servicePrincipals"),
			wantErr: graphclient.ErrBadRequest},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			gen := graphtest.GenerateTenant(f.srv, "contoso", 30)
			f.srv.Fail(tc.failure)
			got, err := f.client.AuditServicePrincipals(t.Context(), "contoso", gen.AppIDs)
			if tc.wantErr != nil {
				require.ErrorIs(t, err, tc.wantErr)
				_, after := graphclient.IsRetryable(err)
				require.Equal(t, tc.after, after)
				return
			}
			require.NoError(t, err)
			require.Len(t, got, 30)
			var retried int
			for _, r := range f.srv.GraphRequests() {
				if r.Status == http.StatusTooManyRequests || r.Status == http.StatusServiceUnavailable {
					retried++
				}
			}
			require.Positive(t, retried)
			for i, sp := range got {
				var n int
				for _, p := range sp.Permissions {
					if p.Type == graphclient.Application {
						n++
					}
				}
				require.Len(t, gen.Application[gen.AppIDs[i]], n, "application permissions of %d", i)
			}
		})
	}
}

func TestClient_AuditServicePrincipals_PartialAccess(t *testing.T) {
	f := newFixture(t)
	gen := graphtest.GenerateTenant(f.srv, "contoso", 10)
	// Without Directory.Read.All, Graph refuses the delegated grants.
	f.srv.Fail(graphtest.Failure{Status: http.StatusForbidden, Code: "Authorization_RequestDenied",
		Message: "Insufficient privileges to complete the operation."}.On(http.MethodGet, "/servicePrincipals/*/oauth2PermissionGrants").Times(-1))
	// One service principal disappears between the lookup and its listing.
	f.srv.Fail(graphtest.Failure{Status: http.StatusNotFound, Code: "Request_ResourceNotFound", Message: "gone"}.
		On(http.MethodGet, "/servicePrincipals/*/appRoleAssignments"))
	got, err := f.client.AuditServicePrincipals(t.Context(), "contoso", gen.AppIDs)
	require.NoError(t, err)
	require.Len(t, got, 9)
	for _, sp := range got {
		require.True(t, sp.DelegatedUnavailable)
		for _, p := range sp.Permissions {
			require.Equal(t, graphclient.Application, p.Type)
		}
	}

	_, err = f.client.AuditServicePrincipals(t.Context(), "contoso", []string{"not-a-guid"})
	require.ErrorIs(t, err, graphclient.ErrBadRequest)
	got, err = f.client.AuditServicePrincipals(t.Context(), "contoso", nil)
	require.NoError(t, err)
	require.Empty(t, got)
}
