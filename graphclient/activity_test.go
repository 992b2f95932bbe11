package graphclient_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/graphclient"
	"github.com/attestbot/attestbot/graphclient/graphtest"
)

// The bodies of graph-msal-manifest.md §1.2, as the SDK sends them.
const (
	docUserBody = `{"activityType":"approvalRequired","previewText":{"content":"New deployment requires your approval"},
 "templateParameters":[{"name":"deploymentId","value":"6788662"}],
 "topic":{"source":"text","value":"Deployment Approvals","webUrl":"https://teams.microsoft.com/l/entity/app-id/entity-id"}}`
	docBulkBody = `{"activityType":"systemDefault",
 "recipients":[{"@odata.type":"#microsoft.graph.aadUserNotificationRecipient","userId":"u1"},
               {"@odata.type":"#microsoft.graph.aadUserNotificationRecipient","userId":"u2"}],
 "templateParameters":[{"name":"systemDefaultText","value":"You have 5 pending approvals"}],
 "topic":{"source":"entityUrl","value":"https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/catalog-app-id"}}`
)

func docUserNotification() graphclient.Notification {
	return graphclient.Notification{
		Topic:              graphclient.Topic{Source: graphclient.TopicText, Value: "Deployment Approvals", WebURL: "https://teams.microsoft.com/l/entity/app-id/entity-id"},
		ActivityType:       "approvalRequired",
		PreviewText:        "New deployment requires your approval",
		TemplateParameters: map[string]string{"deploymentId": "6788662"},
	}
}

func docBulkNotification() graphclient.Notification {
	return graphclient.Notification{
		Topic:              graphclient.Topic{Source: graphclient.TopicEntityURL, Value: "https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/catalog-app-id"},
		ActivityType:       "systemDefault",
		TemplateParameters: map[string]string{"systemDefaultText": "You have 5 pending approvals"},
	}
}

// requireNoCompression checks no Graph request was sent gzip-encoded.
func requireNoCompression(t *testing.T, reqs []graphtest.Request) {
	t.Helper()
	for _, r := range reqs {
		require.Empty(t, r.Header.Get("Content-Encoding"), "%s %s sent with Content-Encoding", r.Method, r.Path)
	}
}

func TestClient_SendActivityNotification_DocBody(t *testing.T) {
	f := newFixture(t)
	require.NoError(t, f.client.SendActivityNotification(t.Context(), "contoso", "u1", docUserNotification()))

	reqs := f.srv.GraphRequests()
	require.Len(t, reqs, 1)
	r := reqs[0]
	require.Equal(t, http.MethodPost, r.Method)
	require.Equal(t, "/v1.0/users/u1/teamwork/sendActivityNotification", r.Path)
	require.Equal(t, http.StatusNoContent, r.Status)
	require.Equal(t, "contoso", r.Tenant)
	require.True(t, strings.HasPrefix(r.Header.Get("Authorization"), "Bearer gt-contoso-app-"), r.Header.Get("Authorization"))
	require.Contains(t, r.Header.Get("Content-Type"), "application/json")
	require.JSONEq(t, docUserBody, string(r.Body))
	requireNoCompression(t, reqs)

	sent := f.srv.Notifications()
	require.Len(t, sent, 1)
	require.Equal(t, []string{"u1"}, sent[0].UserIDs)
}

func TestClient_SendActivityNotification_OptionalFields(t *testing.T) {
	f := newFixture(t)
	n := docUserNotification()
	n.ChainID = 42
	n.TeamsAppID = "catalog-app-id"
	n.IconID = "approval"
	n.TemplateParameters = map[string]string{"b": "2", "a": "1"}
	require.NoError(t, f.client.SendActivityNotification(t.Context(), "contoso", "u1", n))
	reqs := f.srv.GraphRequests()
	require.Len(t, reqs, 1)
	require.JSONEq(t, `{"activityType":"approvalRequired","chainId":42,"teamsAppId":"catalog-app-id","iconId":"approval",
		"previewText":{"content":"New deployment requires your approval"},
		"templateParameters":[{"name":"a","value":"1"},{"name":"b","value":"2"}],
		"topic":{"source":"text","value":"Deployment Approvals","webUrl":"https://teams.microsoft.com/l/entity/app-id/entity-id"}}`,
		string(reqs[0].Body))
}

func TestClient_SendActivityNotificationToRecipients_DocBody(t *testing.T) {
	f := newFixture(t)
	require.NoError(t, f.client.SendActivityNotificationToRecipients(t.Context(), "contoso", []string{"u1", "u2", "u1"}, docBulkNotification()))
	reqs := f.srv.GraphRequests()
	require.Len(t, reqs, 1)
	require.Equal(t, "/v1.0/teamwork/sendActivityNotificationToRecipients", reqs[0].Path)
	require.Equal(t, http.StatusAccepted, reqs[0].Status)
	require.JSONEq(t, docBulkBody, string(reqs[0].Body))
	requireNoCompression(t, reqs)
}

func userIDs(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("user-%03d", i)
	}
	return ids
}

func TestClient_SendActivityNotificationToRecipients_Split(t *testing.T) {
	tests := []struct {
		name      string
		n         int
		wantSizes []int
	}{
		{name: "ok, exactly 100", n: 100, wantSizes: []int{100}},
		{name: "ok, 101", n: 101, wantSizes: []int{100, 1}},
		{name: "ok, 250", n: 250, wantSizes: []int{100, 100, 50}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, withConfig(func(c *graphclient.Config) { c.BulkInterval = 5 * time.Millisecond }))
			ids := userIDs(tc.n)
			require.NoError(t, f.client.SendActivityNotificationToRecipients(t.Context(), "contoso", append(ids, ids[0]), docBulkNotification()))
			sent := f.srv.Notifications()
			require.Len(t, sent, len(tc.wantSizes))
			var all []string
			for i, s := range sent {
				require.Len(t, s.UserIDs, tc.wantSizes[i])
				all = append(all, s.UserIDs...)
			}
			require.Equal(t, ids, all)
			requireNoCompression(t, f.srv.GraphRequests())
		})
	}
}

func TestClient_SendActivityNotificationToRecipients_PartialFailure(t *testing.T) {
	f := newFixture(t)
	f.srv.Fail(graphtest.Throttled("7").On(http.MethodPost, "/teamwork/sendActivityNotificationToRecipients").After(1))
	ids := userIDs(250)
	err := f.client.SendActivityNotificationToRecipients(t.Context(), "contoso", ids, docBulkNotification())
	var be *graphclient.BulkError
	require.ErrorAs(t, err, &be)
	require.Equal(t, ids[:100], be.Sent)
	require.Equal(t, ids[100:], be.Unsent)
	require.ErrorIs(t, err, graphclient.ErrThrottled)
	retry, after := graphclient.IsRetryable(err)
	require.True(t, retry)
	require.Equal(t, 7*time.Second, after)
	// What a caller that does not import graphclient sees.
	var undelivered interface{ Undelivered() []string }
	require.ErrorAs(t, err, &undelivered)
	require.Equal(t, ids[100:], undelivered.Undelivered())
	var reason interface{ Reason() string }
	require.ErrorAs(t, err, &reason)
	require.Equal(t, "throttled", reason.Reason())
	var retrier interface {
		Retryable() bool
		RetryAfter() time.Duration
	}
	require.ErrorAs(t, err, &retrier)
	require.True(t, retrier.Retryable())
	require.Equal(t, 7*time.Second, retrier.RetryAfter())
	// Two requests: the accepted one and the throttled one, no SDK retry.
	require.Len(t, f.srv.GraphRequests(), 2)
}

func TestClient_SendActivityNotificationToRecipients_TokenLifetime(t *testing.T) {
	t.Run("nok, token always shorter than 45 minutes", func(t *testing.T) {
		f := newFixture(t)
		f.srv.SetTokenLifetime(30 * time.Minute)
		err := f.client.SendActivityNotificationToRecipients(t.Context(), "contoso", []string{"u1"}, docBulkNotification())
		require.ErrorIs(t, err, graphclient.ErrPreconditionFailed)
		retry, _ := graphclient.IsRetryable(err)
		require.True(t, retry)
		require.Len(t, f.srv.TokenRequests(), 1, "a token just issued is used as it is")
		// Next time MSAL serves its cached 30-minute token: one fresh
		// attempt at a longer-lived one is made.
		err = f.client.SendActivityNotificationToRecipients(t.Context(), "contoso", []string{"u1"}, docBulkNotification())
		require.ErrorIs(t, err, graphclient.ErrPreconditionFailed)
		require.Len(t, f.srv.TokenRequests(), 2)
	})
	t.Run("ok, cached token too old for bulk is replaced", func(t *testing.T) {
		var skew time.Duration
		f := newFixture(t, withNow(func() time.Time { return time.Now().Add(skew) }))
		f.srv.SetTokenLifetime(55 * time.Minute)
		require.NoError(t, f.client.SendActivityNotification(t.Context(), "contoso", "u1", docUserNotification()))
		require.Len(t, f.srv.TokenRequests(), 1)
		skew = 15 * time.Minute // the cached token now has 40 minutes left
		require.NoError(t, f.client.SendActivityNotification(t.Context(), "contoso", "u1", docUserNotification()))
		require.Len(t, f.srv.TokenRequests(), 1, "a per-user call reuses the 40-minute token")
		require.NoError(t, f.client.SendActivityNotificationToRecipients(t.Context(), "contoso", []string{"u1"}, docBulkNotification()))
		require.Len(t, f.srv.TokenRequests(), 2, "the bulk call needs a fresh token")
		reqs := f.srv.GraphRequests()
		require.NotEqual(t, reqs[0].Header.Get("Authorization"), reqs[2].Header.Get("Authorization"))
	})
}

func TestClient_SendActivityNotification_Invalid(t *testing.T) {
	tests := []struct {
		name string
		user string
		n    func(n *graphclient.Notification)
	}{
		{name: "nok, no activity type", user: "u1", n: func(n *graphclient.Notification) { n.ActivityType = "" }},
		{name: "nok, text topic without webUrl", user: "u1", n: func(n *graphclient.Notification) { n.Topic.WebURL = "" }},
		{name: "nok, http webUrl", user: "u1", n: func(n *graphclient.Notification) { n.Topic.WebURL = "http://teams.microsoft.com/l/x" }},
		{name: "nok, unknown source", user: "u1", n: func(n *graphclient.Notification) { n.Topic.Source = "chat" }},
		{name: "nok, empty topic", user: "u1", n: func(n *graphclient.Notification) { n.Topic.Value = "" }},
		{name: "nok, path in user id", user: "u1/../../teamwork", n: func(*graphclient.Notification) {}},
		{name: "nok, empty user id", user: "", n: func(*graphclient.Notification) {}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			n := docUserNotification()
			tc.n(&n)
			err := f.client.SendActivityNotification(t.Context(), "contoso", tc.user, n)
			require.ErrorIs(t, err, graphclient.ErrBadRequest)
			retry, _ := graphclient.IsRetryable(err)
			require.False(t, retry)
			require.Empty(t, f.srv.Requests(), "nothing is sent for invalid input")
		})
	}
	f := newFixture(t)
	err := f.client.SendActivityNotificationToRecipients(t.Context(), "contoso", nil, docBulkNotification())
	require.ErrorIs(t, err, graphclient.ErrBadRequest)
	err = f.client.SendActivityNotification(t.Context(), "common", "u1", docUserNotification())
	require.ErrorIs(t, err, graphclient.ErrBadRequest)
}

func TestClient_ErrorClassification(t *testing.T) {
	date := time.Now().Add(90 * time.Second).UTC().Format(http.TimeFormat)
	tests := []struct {
		name          string
		failure       graphtest.Failure
		want          error
		wantStatus    int
		wantRetry     bool
		wantAfter     time.Duration
		wantAfterNear bool
	}{
		{name: "429 with seconds", failure: graphtest.Throttled("3"), want: graphclient.ErrThrottled, wantStatus: 429, wantRetry: true, wantAfter: 3 * time.Second},
		{name: "429 with fraction", failure: graphtest.Throttled("2.5"), want: graphclient.ErrThrottled, wantStatus: 429, wantRetry: true, wantAfter: 2500 * time.Millisecond},
		{name: "429 with date", failure: graphtest.Throttled(date), want: graphclient.ErrThrottled, wantStatus: 429, wantRetry: true, wantAfter: 90 * time.Second, wantAfterNear: true},
		{name: "429 without header", failure: graphtest.Throttled(""), want: graphclient.ErrThrottled, wantStatus: 429, wantRetry: true},
		{name: "403 not installed", failure: graphtest.NotInstalled(testClientID), want: graphclient.ErrNotInstalled, wantStatus: 403},
		{name: "403 missing permission", failure: graphtest.MissingPermission(), want: graphclient.ErrForbidden, wantStatus: 403},
		{name: "409 conflict", failure: graphtest.Conflict(), want: graphclient.ErrConflict, wantStatus: 409},
		{name: "412 precondition", failure: graphtest.PreconditionFailed(), want: graphclient.ErrPreconditionFailed, wantStatus: 412, wantRetry: true},
		{name: "503 json", failure: graphtest.ServerError(503), want: graphclient.ErrServer, wantStatus: 503, wantRetry: true},
		{name: "503 with retry-after", failure: func() graphtest.Failure { f := graphtest.ServerError(503); f.RetryAfter = "4"; return f }(), want: graphclient.ErrServer, wantStatus: 503, wantRetry: true, wantAfter: 4 * time.Second},
		{name: "502 html body", failure: graphtest.HTMLError(502), want: graphclient.ErrServer, wantStatus: 502, wantRetry: true},
		{name: "500 no body", failure: graphtest.EmptyError(500), want: graphclient.ErrServer, wantStatus: 500, wantRetry: true},
		{name: "400 without message", failure: graphtest.NoMessageError(400, "BadRequest"), want: graphclient.ErrBadRequest, wantStatus: 400},
		{name: "404 no body", failure: graphtest.EmptyError(404), want: graphclient.ErrNotFound, wantStatus: 404},
		{name: "401", failure: graphtest.Failure{Status: 401, Code: "InvalidAuthenticationToken", Message: "expired"}, want: graphclient.ErrUnauthorized, wantStatus: 401},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.srv.Fail(tc.failure.On(http.MethodPost, "/users/*/teamwork/sendActivityNotification"))
			err := f.client.SendActivityNotification(t.Context(), "contoso", "u1", docUserNotification())
			require.Error(t, err)
			require.ErrorIs(t, err, tc.want)
			var ge *graphclient.Error
			require.ErrorAs(t, err, &ge)
			require.Equal(t, tc.wantStatus, ge.StatusCode())
			retry, after := graphclient.IsRetryable(err)
			require.Equal(t, tc.wantRetry, retry)
			if tc.wantAfterNear {
				require.InDelta(t, tc.wantAfter.Seconds(), after.Seconds(), 3)
			} else {
				require.Equal(t, tc.wantAfter, after)
			}
			require.NotPanics(t, func() { _ = err.Error() })
			require.Contains(t, err.Error(), "send activity notification")
			// POSTs are never retried by the client, whatever the status.
			require.Len(t, f.srv.GraphRequests(), 1)
		})
	}
}

func TestClient_SendActivityNotification_NotInstalledThenInstall(t *testing.T) {
	f := newFixture(t)
	tenant := f.srv.Tenant("contoso")
	app := tenant.AddCatalogApp(graphtest.CatalogApp{ExternalID: "manifest-id", DisplayName: "attestbot"})
	tenant.RequireInstalled(app.ID)

	err := f.client.SendActivityNotification(t.Context(), "contoso", "u1", docUserNotification())
	require.ErrorIs(t, err, graphclient.ErrNotInstalled)
	require.Contains(t, err.Error(), "Ensure that the expected Teams app is installed")

	require.NoError(t, f.client.InstallForUser(t.Context(), "contoso", "u1", app.ID))
	require.NoError(t, f.client.SendActivityNotification(t.Context(), "contoso", "u1", docUserNotification()))
}

func TestIsRetryable(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{name: "nil", err: nil, want: false},
		{name: "plain error", err: errors.New("x"), want: false},
		{name: "context canceled", err: fmt.Errorf("wrap: %w", context.Canceled), want: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, after := graphclient.IsRetryable(tc.err)
			require.Equal(t, tc.want, got)
			require.Zero(t, after)
		})
	}
}
