package graphtest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// do sends a request to the fake and returns status and body.
func do(t *testing.T, s *Server, method, path, token, contentType, body string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, s.URL+path, strings.NewReader(body))
	require.NoError(t, err)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := s.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, resp.Header, string(b)
}

func TestServer_Login(t *testing.T) {
	s := New(t)
	status, _, body := do(t, s, http.MethodGet, "/contoso/v2.0/.well-known/openid-configuration", "", "", "")
	require.Equal(t, http.StatusOK, status)
	var oc map[string]string
	require.NoError(t, json.Unmarshal([]byte(body), &oc))
	require.Equal(t, s.URL+"/contoso/oauth2/v2.0/token", oc["token_endpoint"])
	require.Equal(t, s.URL+"/contoso/v2.0", oc["issuer"])

	s.SetClientSecret("app", "right")
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {"app"}, "client_secret": {"wrong"}, "scope": {s.URL + "/.default"}}
	status, _, body = do(t, s, http.MethodPost, "/contoso/oauth2/v2.0/token", "", "application/x-www-form-urlencoded", form.Encode())
	require.Equal(t, http.StatusUnauthorized, status)
	require.Contains(t, body, "invalid_client")
	form.Set("client_secret", "right")
	status, _, body = do(t, s, http.MethodPost, "/contoso/oauth2/v2.0/token", "", "application/x-www-form-urlencoded", form.Encode())
	require.Equal(t, http.StatusOK, status)
	var tr struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &tr))
	require.Equal(t, 3600, tr.ExpiresIn)

	status, _, _ = do(t, s, http.MethodGet, "/v1.0/appCatalogs/teamsApps", tr.AccessToken, "", "")
	require.Equal(t, http.StatusOK, status)
	status, _, _ = do(t, s, http.MethodGet, "/v1.0/appCatalogs/teamsApps", "forged", "", "")
	require.Equal(t, http.StatusUnauthorized, status)
	_, tokens := s.Counts()
	require.Equal(t, 2, tokens)
}

func TestServer_GraphRules(t *testing.T) {
	s := New(t)
	tok := s.IssueToken("contoso")
	tests := []struct {
		name, method, path, ct, body string
		want                         int
	}{
		{name: "filter in with 16 values", method: "GET", path: "/v1.0/servicePrincipals?$filter=" + url.QueryEscape("appId in ("+strings.Repeat("'a',", 15)+"'b')"), want: 400},
		{name: "unsupported filter", method: "GET", path: "/v1.0/servicePrincipals?$filter=" + url.QueryEscape("startswith(displayName,'a')"), want: 400},
		{name: "bulk over 100", method: "POST", path: "/v1.0/teamwork/sendActivityNotificationToRecipients", ct: "application/json",
			body: `{"topic":{"source":"text","value":"v","webUrl":"https://teams.microsoft.com/l/x"},"activityType":"t","recipients":[` +
				strings.TrimSuffix(strings.Repeat(`{"@odata.type":"#microsoft.graph.aadUserNotificationRecipient","userId":"u"},`, 101), ",") + `]}`, want: 400},
		{name: "text topic without teams webUrl", method: "POST", path: "/v1.0/users/u1/teamwork/sendActivityNotification", ct: "application/json",
			body: `{"topic":{"source":"text","value":"v","webUrl":"https://evil.example"},"activityType":"t"}`, want: 400},
		{name: "publish with app token", method: "POST", path: "/v1.0/appCatalogs/teamsApps", ct: "application/zip", body: "PK", want: 403},
		{name: "unknown route", method: "GET", path: "/v1.0/me", want: 404},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, _, _ := do(t, s, tc.method, tc.path, tok, tc.ct, tc.body)
			require.Equal(t, tc.want, status)
		})
	}
}

func TestServer_FailuresAndBulkLifetime(t *testing.T) {
	s := New(t)
	s.Fail(Throttled("3").On(http.MethodGet, "/appCatalogs/teamsApps").After(1).Times(2))
	tok := s.IssueToken("contoso")
	var got []int
	for range 4 {
		status, h, _ := do(t, s, http.MethodGet, "/v1.0/appCatalogs/teamsApps", tok, "", "")
		got = append(got, status)
		if status == http.StatusTooManyRequests {
			require.Equal(t, "3", h.Get("Retry-After"))
		}
	}
	require.Equal(t, []int{200, 429, 429, 200}, got)

	s.SetTokenLifetime(44 * time.Minute)
	short := s.IssueToken("contoso")
	body := `{"topic":{"source":"entityUrl","value":"https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/x"},"activityType":"t",
		"recipients":[{"@odata.type":"#microsoft.graph.aadUserNotificationRecipient","userId":"u"}]}`
	status, _, _ := do(t, s, http.MethodPost, "/v1.0/teamwork/sendActivityNotificationToRecipients", short, "application/json", body)
	require.Equal(t, http.StatusPreconditionFailed, status)
	status, _, _ = do(t, s, http.MethodPost, "/v1.0/teamwork/sendActivityNotificationToRecipients", tok, "application/json", body)
	require.Equal(t, http.StatusAccepted, status)
	require.Len(t, s.Notifications(), 1)
}

func TestGenerateTenant(t *testing.T) {
	s := New(t)
	g := GenerateTenant(s, "contoso", 10)
	require.Len(t, g.AppIDs, 10)
	require.Len(t, g.Tenant.CatalogApps(), 10)
	require.Equal(t, GeneratedAppID("contoso", 3), g.AppIDs[3])
	again := GenerateTenant(New(t), "contoso", 10)
	require.Equal(t, g.AppIDs, again.AppIDs, "deterministic")
	require.Equal(t, g.Delegated, again.Delegated)
}

// FuzzParseFilter checks the fake's $filter parser never panics and keeps
// Graph's 15-value limit.
func FuzzParseFilter(f *testing.F) {
	f.Add("appId in ('a','b')")
	f.Add("externalId eq 'x' and distributionMethod eq 'organization'")
	f.Add("teamsApp/id eq 'it''s'")
	f.Add("appId in (")
	f.Fuzz(func(t *testing.T, s string) {
		conds, err := parseFilter(s)
		if err != nil {
			return
		}
		for _, c := range conds {
			if len(c.values) > MaxInValues {
				t.Fatalf("%d values accepted", len(c.values))
			}
		}
	})
}
