package graphclient_test

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/graphclient"
	"github.com/attestbot/attestbot/graphclient/graphtest"
)

func TestClient_InstallForUser(t *testing.T) {
	f := newFixture(t)
	tenant := f.srv.Tenant("contoso")
	app := tenant.AddCatalogApp(graphtest.CatalogApp{ExternalID: "manifest-id", DisplayName: "attestbot"})

	ok, err := f.client.InstalledForUser(t.Context(), "contoso", "u1", app.ID)
	require.NoError(t, err)
	require.False(t, ok)

	require.NoError(t, f.client.InstallForUser(t.Context(), "contoso", "u1", app.ID))
	require.True(t, tenant.Installed("u1", app.ID))
	reqs := f.srv.GraphRequests()
	post := reqs[len(reqs)-1]
	require.Equal(t, "/v1.0/users/u1/teamwork/installedApps", post.Path)
	require.Equal(t, http.StatusCreated, post.Status)
	require.JSONEq(t, `{"@odata.type":"#microsoft.graph.userScopeTeamsAppInstallation",
		"teamsApp@odata.bind":"`+f.srv.GraphURL()+`/v1.0/appCatalogs/teamsApps/`+app.ID+`"}`, string(post.Body))

	// Already installed: Graph answers 409, which counts as success.
	require.NoError(t, f.client.InstallForUser(t.Context(), "contoso", "u1", app.ID))
	require.Equal(t, http.StatusConflict, f.srv.GraphRequests()[len(f.srv.GraphRequests())-1].Status)

	ok, err = f.client.InstalledForUser(t.Context(), "contoso", "u1", app.ID)
	require.NoError(t, err)
	require.True(t, ok)
	get := f.srv.GraphRequests()[len(f.srv.GraphRequests())-1]
	require.Equal(t, "teamsApp/id eq '"+app.ID+"'", get.Query().Get("$filter"))

	ok, err = f.client.InstalledForUser(t.Context(), "contoso", "u2", app.ID)
	require.NoError(t, err)
	require.False(t, ok)

	err = f.client.InstallForUser(t.Context(), "contoso", "u1", "00000000-0000-4000-8000-00000000dead")
	require.ErrorIs(t, err, graphclient.ErrNotFound)
	requireNoCompression(t, f.srv.GraphRequests())
}

func TestClient_ListCatalogApps_Paging(t *testing.T) {
	f := newFixture(t)
	f.srv.SetPageSize(100)
	tenant := f.srv.Tenant("contoso")
	for i := range 250 {
		tenant.AddCatalogApp(graphtest.CatalogApp{ExternalID: fmt.Sprintf("manifest-%03d", i), DisplayName: fmt.Sprintf("App %03d", i),
			Definitions: []graphtest.AppDefinition{
				{Version: "1.0.0", PublishingState: "published", LastModified: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)},
				{Version: fmt.Sprintf("2.%d.0", i), PublishingState: "submitted", LastModified: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)},
			}})
	}
	apps, err := f.client.ListCatalogApps(t.Context(), "contoso")
	require.NoError(t, err)
	require.Len(t, apps, 250)
	want := tenant.CatalogApps()
	for i, a := range apps {
		require.Equal(t, want[i].ID, a.ID)
		require.Equal(t, fmt.Sprintf("manifest-%03d", i), a.ExternalID)
		require.Equal(t, fmt.Sprintf("App %03d", i), a.DisplayName)
		require.Equal(t, "organization", a.DistributionMethod)
		require.Equal(t, fmt.Sprintf("2.%d.0", i), a.Version)
		require.Equal(t, "submitted", a.PublishingState)
	}
	reqs := f.srv.GraphRequests()
	require.Len(t, reqs, 3)
	require.Equal(t, "appDefinitions", reqs[0].Query().Get("$expand"))
	require.Equal(t, "100", reqs[1].Query().Get("$skiptoken"))
	require.Equal(t, "200", reqs[2].Query().Get("$skiptoken"))
}

func TestClient_ListCatalogApps_RefusesForeignNextLink(t *testing.T) {
	f := newFixture(t)
	other := graphtest.New(t)
	f.srv.Fail(graphtest.Failure{Status: 200, ContentType: "application/json",
		Body: `{"value":[],"@odata.nextLink":"` + other.URL + `/v1.0/appCatalogs/teamsApps?$skiptoken=1"}`})
	_, err := f.client.ListCatalogApps(t.Context(), "contoso")
	require.ErrorIs(t, err, graphclient.ErrTransport)
	require.Empty(t, other.Requests(), "the token must not go to another host")
}

func TestClient_GetRetries(t *testing.T) {
	tests := []struct {
		name      string
		failure   graphtest.Failure
		wantErr   error
		wantCalls int
	}{
		{name: "ok, one short 429 is retried", failure: graphtest.Throttled("0"), wantCalls: 2},
		{name: "ok, one 503 is retried", failure: func() graphtest.Failure { f := graphtest.ServerError(503); f.RetryAfter = "0"; return f }(), wantCalls: 2},
		{name: "nok, long Retry-After goes to the caller", failure: graphtest.Throttled("60"), wantErr: graphclient.ErrThrottled, wantCalls: 1},
		{name: "nok, persistent 504 after 2 retries", failure: func() graphtest.Failure { f := graphtest.ServerError(504); f.RetryAfter = "0"; return f.Times(-1) }(), wantErr: graphclient.ErrServer, wantCalls: 3},
		{name: "nok, 500 is not retried inside", failure: graphtest.EmptyError(500), wantErr: graphclient.ErrServer, wantCalls: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.srv.Tenant("contoso").AddCatalogApp(graphtest.CatalogApp{ExternalID: "m", DisplayName: "A"})
			f.srv.Fail(tc.failure.On(http.MethodGet, "/appCatalogs/teamsApps"))
			apps, err := f.client.ListCatalogApps(t.Context(), "contoso")
			if tc.wantErr != nil {
				require.ErrorIs(t, err, tc.wantErr)
			} else {
				require.NoError(t, err)
				require.Len(t, apps, 1)
			}
			reqs := f.srv.GraphRequests()
			require.Len(t, reqs, tc.wantCalls)
			if tc.wantCalls > 1 {
				require.Equal(t, "1", reqs[1].Header.Get("Retry-Attempt"))
			}
		})
	}
}

func TestClient_FindAppByExternalID(t *testing.T) {
	f := newFixture(t)
	tenant := f.srv.Tenant("contoso")
	tenant.AddCatalogApp(graphtest.CatalogApp{ExternalID: "other", DisplayName: "Other"})
	want := tenant.AddCatalogApp(graphtest.CatalogApp{ExternalID: "manifest-id", DisplayName: "attestbot"})

	got, err := f.client.FindAppByExternalID(t.Context(), "contoso", "manifest-id")
	require.NoError(t, err)
	require.Equal(t, want.ID, got.ID)
	require.Equal(t, "1.0.0", got.Version)
	reqs := f.srv.GraphRequests()
	require.Equal(t, "externalId eq 'manifest-id' and distributionMethod eq 'organization'", reqs[len(reqs)-1].Query().Get("$filter"))

	_, err = f.client.FindAppByExternalID(t.Context(), "contoso", "missing")
	require.ErrorIs(t, err, graphclient.ErrNotFound)
	_, err = f.client.FindAppByExternalID(t.Context(), "contoso", "x' or 1 eq 1")
	require.ErrorIs(t, err, graphclient.ErrBadRequest)
}

// deviceCodeClient builds a client with a device code credential whose
// prompt records what it showed.
func deviceCodeClient(t *testing.T, srv *graphtest.Server) (*graphclient.Client, *graphclient.DeviceCodeCredential, func() []graphclient.DeviceCodePrompt) {
	t.Helper()
	var (
		mu      sync.Mutex
		prompts []graphclient.DeviceCodePrompt
	)
	cred, err := graphclient.NewDeviceCodeCredential(graphclient.DeviceCodeConfig{
		ClientID: "public-client-id", TenantID: "contoso", LoginURL: srv.LoginURL(), GraphURL: srv.GraphURL(),
		Prompt: func(_ context.Context, p graphclient.DeviceCodePrompt) error {
			mu.Lock()
			defer mu.Unlock()
			prompts = append(prompts, p)
			return nil
		},
	}, graphclient.CredentialOptions{HTTPClient: srv.Client()})
	require.NoError(t, err)
	client, err := graphclient.New(graphclient.Config{GraphURL: srv.GraphURL(), HTTPClient: srv.Client()}, cred)
	require.NoError(t, err)
	return client, cred, func() []graphclient.DeviceCodePrompt {
		mu.Lock()
		defer mu.Unlock()
		return append([]graphclient.DeviceCodePrompt(nil), prompts...)
	}
}

func TestClient_PublishApp_DeviceCode(t *testing.T) {
	srv := graphtest.New(t)
	client, cred, prompts := deviceCodeClient(t, srv)

	app, err := client.PublishApp(t.Context(), "contoso", appPackage(t, "manifest-id", "1.0.0", "attestbot"), graphclient.PublishOptions{})
	require.NoError(t, err)
	require.Equal(t, "manifest-id", app.ExternalID)
	require.Equal(t, "attestbot", app.DisplayName)
	require.Equal(t, "organization", app.DistributionMethod)

	ps := prompts()
	require.Len(t, ps, 1)
	require.Contains(t, ps[0].Message, ps[0].UserCode)
	require.Contains(t, ps[0].Message, ps[0].VerificationURL)
	user, tenant := cred.Account()
	require.Equal(t, "admin@contoso.example", user)
	require.Equal(t, "contoso", tenant)

	// The device code endpoint, one pending poll, then the token.
	var flow []string
	for _, r := range srv.Requests() {
		if r.Method == http.MethodPost && !r.IsGraph() {
			if r.Path == "/contoso/oauth2/v2.0/devicecode" {
				flow = append(flow, "devicecode")
			} else {
				flow = append(flow, fmt.Sprintf("token:%d", r.Status))
			}
		}
	}
	require.Equal(t, []string{"devicecode", "token:400", "token:200"}, flow)

	post := srv.GraphRequests()[0]
	require.Equal(t, "/v1.0/appCatalogs/teamsApps", post.Path)
	require.Equal(t, "application/zip", post.Header.Get("Content-Type"))
	require.Empty(t, post.Header.Get("Content-Encoding"))

	// A second publish of the same manifest id conflicts; update instead,
	// silently (no second prompt).
	_, err = client.PublishApp(t.Context(), "contoso", appPackage(t, "manifest-id", "1.0.1", "attestbot"), graphclient.PublishOptions{})
	require.ErrorIs(t, err, graphclient.ErrConflict)
	found, err := client.FindAppByExternalID(t.Context(), "contoso", "manifest-id")
	require.NoError(t, err)
	updated, err := client.UpdateApp(t.Context(), "contoso", found.ID, appPackage(t, "manifest-id", "1.1.0", "attestbot 2"),
		graphclient.PublishOptions{RequiresReview: true})
	require.NoError(t, err)
	require.Equal(t, found.ID, updated.ID)
	require.Equal(t, "1.1.0", updated.Version)
	require.Equal(t, "submitted", updated.PublishingState)
	require.Len(t, prompts(), 1, "later calls are silent")
	last := srv.GraphRequests()[len(srv.GraphRequests())-1]
	require.Equal(t, "/v1.0/appCatalogs/teamsApps/"+found.ID+"/appDefinitions", last.Path)
	require.Equal(t, "true", last.Query().Get("requiresReview"))

	apps, err := client.ListCatalogApps(t.Context(), "contoso")
	require.NoError(t, err)
	require.Len(t, apps, 1)
	require.Equal(t, "1.1.0", apps[0].Version)
}

func TestClient_PublishApp_Errors(t *testing.T) {
	f := newFixture(t)
	// App-only tokens cannot publish.
	_, err := f.client.PublishApp(t.Context(), "contoso", appPackage(t, "m", "1.0.0", "n"), graphclient.PublishOptions{})
	require.ErrorIs(t, err, graphclient.ErrForbidden)
	_, err = f.client.PublishApp(t.Context(), "contoso", nil, graphclient.PublishOptions{})
	require.ErrorIs(t, err, graphclient.ErrBadRequest)

	srv := graphtest.New(t)
	client, _, _ := deviceCodeClient(t, srv)
	_, err = client.PublishApp(t.Context(), "contoso", []byte("not a zip"), graphclient.PublishOptions{})
	require.ErrorIs(t, err, graphclient.ErrBadRequest)
	_, err = client.UpdateApp(t.Context(), "contoso", "00000000-0000-4000-8000-0000000000aa", appPackage(t, "m", "1.0.0", "n"), graphclient.PublishOptions{})
	require.ErrorIs(t, err, graphclient.ErrNotFound)
}

func TestDeviceCodeCredential_PromptError(t *testing.T) {
	srv := graphtest.New(t)
	cred, err := graphclient.NewDeviceCodeCredential(graphclient.DeviceCodeConfig{
		ClientID: "public-client-id", TenantID: "contoso", LoginURL: srv.LoginURL(), GraphURL: srv.GraphURL(),
		Prompt: func(context.Context, graphclient.DeviceCodePrompt) error { return context.Canceled },
	}, graphclient.CredentialOptions{HTTPClient: srv.Client()})
	require.NoError(t, err)
	client, err := graphclient.New(graphclient.Config{GraphURL: srv.GraphURL(), HTTPClient: srv.Client()}, cred)
	require.NoError(t, err)
	_, err = client.ListCatalogApps(t.Context(), "contoso")
	require.ErrorIs(t, err, graphclient.ErrToken)
	require.Empty(t, srv.GraphRequests())

	_, err = graphclient.NewDeviceCodeCredential(graphclient.DeviceCodeConfig{ClientID: "x", LoginURL: "http://127.0.0.1:1"}, graphclient.CredentialOptions{})
	require.Error(t, err)
}
