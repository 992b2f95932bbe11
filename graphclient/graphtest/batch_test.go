package graphtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestServer_Batch(t *testing.T) {
	s := New(t)
	gen := GenerateTenant(s, "contoso", 3)
	tok := s.IssueToken("contoso")
	other := s.IssueToken("fabrikam")
	spID := s.Tenant("contoso").CatalogApps()[0].ID // a catalog ID, not a service principal
	s.Fail(Throttled("7").On(http.MethodGet, "/servicePrincipals/*/appRoleAssignments"))

	sps := func(token string) string {
		body := `{"requests":[
			{"id":"a","method":"GET","url":"/servicePrincipals?$filter=appId%20eq%20'` + gen.AppIDs[1] + `'"},
			{"id":"b","method":"GET","url":"servicePrincipals/` + spID + `/oauth2PermissionGrants"},
			{"id":"c","method":"GET","url":"/servicePrincipals/x/appRoleAssignments"},
			{"id":"d","method":"GET","url":"/$batch"}]}`
		status, _, out := do(t, s, http.MethodPost, "/v1.0/$batch", token, "application/json", body)
		require.Equal(t, http.StatusOK, status, out)
		return out
	}
	var res struct {
		Responses []struct {
			ID      string            `json:"id"`
			Status  int               `json:"status"`
			Headers map[string]string `json:"headers"`
			Body    json.RawMessage   `json:"body"`
		} `json:"responses"`
	}
	require.NoError(t, json.Unmarshal([]byte(sps(tok)), &res))
	require.Len(t, res.Responses, 4)
	byID := map[string]int{}
	for i, r := range res.Responses {
		byID[r.ID] = i
	}
	a := res.Responses[byID["a"]]
	require.Equal(t, http.StatusOK, a.Status)
	require.Contains(t, string(a.Body), gen.AppIDs[1])
	require.Equal(t, http.StatusNotFound, res.Responses[byID["b"]].Status, "a catalog ID is no service principal")
	c := res.Responses[byID["c"]]
	require.Equal(t, http.StatusTooManyRequests, c.Status, "programmed failures match inner paths")
	require.Equal(t, "7", c.Headers["Retry-After"])
	require.Equal(t, http.StatusBadRequest, res.Responses[byID["d"]].Status, "no nested batches")

	// Requests are recorded with InBatch, and counted apart from calls.
	var inner int
	for _, r := range s.GraphRequests() {
		if r.InBatch {
			inner++
			require.Equal(t, "contoso", r.Tenant)
		}
	}
	require.Equal(t, 4, inner)
	require.Equal(t, 4, s.BatchedRequests())
	calls, _ := s.Counts()
	require.Equal(t, 1, calls)

	// Another tenant's token sees nothing of contoso.
	require.NoError(t, json.Unmarshal([]byte(sps(other)), &res))
	for _, r := range res.Responses {
		if r.ID == "a" {
			require.Equal(t, http.StatusOK, r.Status)
			require.NotContains(t, string(r.Body), gen.AppIDs[1])
		}
	}
}

func TestServer_Batch_Refused(t *testing.T) {
	s := New(t)
	tok := s.IssueToken("contoso")
	var reqs []string
	for i := range MaxBatchRequests + 1 {
		reqs = append(reqs, fmt.Sprintf(`{"id":"%d","method":"GET","url":"/servicePrincipals"}`, i))
	}
	for _, tc := range []struct {
		name, body string
		status     int
	}{
		{"too many", `{"requests":[` + strings.Join(reqs, ",") + `]}`, http.StatusBadRequest},
		{"duplicate ids", `{"requests":[{"id":"1","url":"/servicePrincipals"},{"id":"1","url":"/servicePrincipals"}]}`, http.StatusBadRequest},
		{"empty", `{"requests":[]}`, http.StatusBadRequest},
		{"not json", `requests`, http.StatusBadRequest},
		{"twenty", `{"requests":[` + strings.Join(reqs[:MaxBatchRequests], ",") + `]}`, http.StatusOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, _, body := do(t, s, http.MethodPost, "/v1.0/$batch", tok, "application/json", tc.body)
			require.Equal(t, tc.status, status, body)
		})
	}
	status, _, _ := do(t, s, http.MethodGet, "/v1.0/$batch", tok, "", "")
	require.Equal(t, http.StatusMethodNotAllowed, status)
	status, _, _ = do(t, s, http.MethodPost, "/v1.0/$batch", "", "application/json", `{"requests":[{"id":"1","url":"/servicePrincipals"}]}`)
	require.Equal(t, http.StatusUnauthorized, status)
}
