package graphtest

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// graphCtx is one authorized Graph request.
type graphCtx struct {
	w      http.ResponseWriter
	r      *http.Request
	body   []byte
	tok    tokenInfo
	tenant *Tenant
	path   string   // after /v1.0
	seg    []string // path segments
}

// serveGraph authorizes and serves a Graph call; it returns the tenant.
func (s *Server) serveGraph(w http.ResponseWriter, r *http.Request, body []byte) string {
	p := strings.TrimPrefix(r.URL.Path, "/v1.0")
	auth := r.Header.Get("Authorization")
	tok, ok := strings.CutPrefix(auth, "Bearer ")
	s.mu.Lock()
	ti, known := s.tokens[tok]
	s.mu.Unlock()
	if !ok || !known {
		writeError(w, http.StatusUnauthorized, "InvalidAuthenticationToken", "Access token is empty or invalid.", "")
		return ""
	}
	if !time.Now().Before(ti.expiresOn) {
		writeError(w, http.StatusUnauthorized, "InvalidAuthenticationToken", "Lifetime validation failed, the token is expired.", "")
		return ti.tenant
	}
	if f, ok := s.takeFailure(r.Method, p); ok {
		writeFailure(w, f)
		return ti.tenant
	}
	c := &graphCtx{w: w, r: r, body: body, tok: ti, tenant: s.Tenant(ti.tenant), path: p,
		seg: strings.Split(strings.Trim(p, "/"), "/")}
	for i, sg := range c.seg {
		if u, err := url.PathUnescape(sg); err == nil {
			c.seg[i] = u
		}
	}
	if ti.user == "" && !s.appAllowed(c) {
		writeError(w, http.StatusForbidden, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.", "")
		return ti.tenant
	}
	s.route(c)
	return ti.tenant
}

// route dispatches an authorized Graph call.
func (s *Server) route(c *graphCtx) {
	seg, m := c.seg, c.r.Method
	switch {
	case m == http.MethodPost && len(seg) == 4 && seg[0] == "users" && seg[2] == "teamwork" && seg[3] == "sendActivityNotification":
		s.sendToUser(c, seg[1])
	case m == http.MethodPost && len(seg) == 2 && seg[0] == "teamwork" && seg[1] == "sendActivityNotificationToRecipients":
		s.sendBulk(c)
	case len(seg) == 4 && seg[0] == "users" && seg[2] == "teamwork" && seg[3] == "installedApps":
		switch m {
		case http.MethodPost:
			s.installApp(c, seg[1])
		case http.MethodGet:
			s.listInstalled(c, seg[1])
		default:
			methodNotAllowed(c)
		}
	case len(seg) == 2 && seg[0] == "appCatalogs" && seg[1] == "teamsApps":
		switch m {
		case http.MethodGet:
			s.listCatalog(c)
		case http.MethodPost:
			s.publishApp(c)
		default:
			methodNotAllowed(c)
		}
	case m == http.MethodPost && len(seg) == 4 && seg[0] == "appCatalogs" && seg[1] == "teamsApps" && seg[3] == "appDefinitions":
		s.updateApp(c, seg[2])
	case len(seg) == 1 && seg[0] == "$batch":
		if m != http.MethodPost {
			methodNotAllowed(c)
			return
		}
		s.serveBatch(c)
	case m == http.MethodGet && len(seg) == 1 && seg[0] == "servicePrincipals":
		s.listServicePrincipals(c)
	case m == http.MethodGet && len(seg) == 2 && seg[0] == "servicePrincipals":
		s.getServicePrincipal(c, seg[1])
	case m == http.MethodGet && len(seg) == 3 && seg[0] == "servicePrincipals" && seg[2] == "oauth2PermissionGrants":
		s.listGrants(c, seg[1])
	case m == http.MethodGet && len(seg) == 3 && seg[0] == "servicePrincipals" && seg[2] == "appRoleAssignments":
		s.listAssignments(c, seg[1])
	case m == http.MethodGet && len(seg) == 1 && seg[0] == "oauth2PermissionGrants":
		s.listAllGrants(c)
	case m == http.MethodGet && len(seg) == 3 && seg[0] == "roleManagement" && seg[1] == "directory" && seg[2] == "roleAssignments":
		s.listRoleAssignments(c)
	default:
		writeError(c.w, http.StatusNotFound, "UnknownRequest", "graphtest: no route for "+m+" "+c.path, "")
	}
}

func methodNotAllowed(c *graphCtx) {
	writeError(c.w, http.StatusMethodNotAllowed, "MethodNotAllowed", "method not allowed", "")
}

func badRequest(c *graphCtx, msg string) {
	writeError(c.w, http.StatusBadRequest, "BadRequest", msg, "")
}

// query returns a query parameter, accepting "$name" and "%24name" forms.
func (c *graphCtx) query(name string) string {
	q := c.r.URL.Query()
	if v := q.Get("$" + name); v != "" {
		return v
	}
	return q.Get(name)
}

// activityBody is the body of both notification routes.
type activityBody struct {
	Topic *struct {
		Source string `json:"source"`
		Value  string `json:"value"`
		WebURL string `json:"webUrl"`
	} `json:"topic"`
	ActivityType string `json:"activityType"`
	PreviewText  *struct {
		Content string `json:"content"`
	} `json:"previewText"`
	TemplateParameters []struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	} `json:"templateParameters"`
	Recipients []struct {
		Type   string `json:"@odata.type"`
		UserID string `json:"userId"`
	} `json:"recipients"`
}

// checkActivity validates the fields both routes share.
func checkActivity(b activityBody) string {
	switch {
	case b.Topic == nil:
		return "topic is required"
	case b.Topic.Source != "entityUrl" && b.Topic.Source != "text":
		return "topic.source must be entityUrl or text"
	case b.Topic.Value == "":
		return "topic.value is required"
	case b.Topic.Source == "text" && !strings.HasPrefix(b.Topic.WebURL, "https://teams.microsoft.com"):
		return "topic.webUrl must start with the Microsoft Teams domain"
	case b.ActivityType == "":
		return "activityType is required"
	}
	return ""
}

func (s *Server) sendToUser(c *graphCtx, userID string) {
	var b activityBody
	if err := json.Unmarshal(c.body, &b); err != nil {
		badRequest(c, "invalid JSON body")
		return
	}
	if msg := checkActivity(b); msg != "" {
		badRequest(c, msg)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if req := c.tenant.requireApp; req != "" && !c.tenant.installedLocked(userID, req) {
		writeError(c.w, http.StatusForbidden, "Forbidden", notInstalledMessage(c.tok.clientID, "users/"+userID), "")
		return
	}
	s.notifications = append(s.notifications, SentNotification{Tenant: c.tenant.ID, UserIDs: []string{userID}, Body: append(json.RawMessage(nil), c.body...)})
	c.w.WriteHeader(http.StatusNoContent)
}

func (s *Server) sendBulk(c *graphCtx) {
	if time.Until(c.tok.expiresOn) < BulkTokenMinLifetime {
		writeError(c.w, http.StatusPreconditionFailed, "PreconditionFailed", "The token provided must be at least 45 minutes from expiry.", "")
		return
	}
	var b activityBody
	if err := json.Unmarshal(c.body, &b); err != nil {
		badRequest(c, "invalid JSON body")
		return
	}
	if msg := checkActivity(b); msg != "" {
		badRequest(c, msg)
		return
	}
	if b.Topic.Source == "entityUrl" && !strings.Contains(b.Topic.Value, "/appCatalogs/teamsApps/") {
		badRequest(c, "the bulk route accepts only a teamsCatalogApp entityUrl topic")
		return
	}
	switch n := len(b.Recipients); {
	case n == 0:
		badRequest(c, "recipients is required")
		return
	case n > MaxBulkRecipients:
		badRequest(c, fmt.Sprintf("at most %d recipients are allowed, got %d", MaxBulkRecipients, n))
		return
	}
	ids := make([]string, 0, len(b.Recipients))
	for _, r := range b.Recipients {
		if strings.TrimPrefix(r.Type, "#") != "microsoft.graph.aadUserNotificationRecipient" || r.UserID == "" {
			badRequest(c, "only aadUserNotificationRecipient recipients with a userId are supported")
			return
		}
		ids = append(ids, r.UserID)
	}
	s.mu.Lock()
	s.notifications = append(s.notifications, SentNotification{Tenant: c.tenant.ID, UserIDs: ids, Body: append(json.RawMessage(nil), c.body...)})
	s.mu.Unlock()
	c.w.WriteHeader(http.StatusAccepted)
}

func (s *Server) installApp(c *graphCtx, userID string) {
	var b map[string]any
	if err := json.Unmarshal(c.body, &b); err != nil {
		badRequest(c, "invalid JSON body")
		return
	}
	bind, _ := b["teamsApp@odata.bind"].(string)
	const marker = "/appCatalogs/teamsApps/"
	i := strings.LastIndex(bind, marker)
	if i < 0 || bind[i+len(marker):] == "" {
		badRequest(c, "teamsApp@odata.bind to appCatalogs/teamsApps/{id} is required")
		return
	}
	appID := bind[i+len(marker):]
	s.mu.Lock()
	defer s.mu.Unlock()
	if c.tenant.appByIDLocked(appID) == nil {
		writeError(c.w, http.StatusNotFound, "NotFound", "The app "+appID+" was not found in the catalog.", "")
		return
	}
	if c.tenant.installedLocked(userID, appID) {
		writeError(c.w, http.StatusConflict, "Conflict", "App is already installed.", "")
		return
	}
	c.tenant.installLocked(userID, appID)
	c.w.WriteHeader(http.StatusCreated)
}

func (s *Server) listInstalled(c *graphCtx, userID string) {
	conds, err := parseFilter(c.query("filter"))
	if err != nil {
		badRequest(c, err.Error())
		return
	}
	expand := c.query("expand")
	s.mu.Lock()
	var items []any
	for _, in := range c.tenant.installations[userID] {
		app := c.tenant.appByIDLocked(in.TeamsAppID)
		ok := true
		for _, cd := range conds {
			var v string
			switch cd.field {
			case "teamsApp/id":
				v = in.TeamsAppID
			case "teamsApp/externalId":
				if app != nil {
					v = app.ExternalID
				}
			default:
				ok = false
			}
			if !cd.match(v) {
				ok = false
			}
		}
		if !ok {
			continue
		}
		item := map[string]any{"@odata.type": "#microsoft.graph.userScopeTeamsAppInstallation", "id": in.ID}
		if strings.Contains(expand, "teamsApp") && app != nil {
			item["teamsApp"] = appJSON(*app, false)
		}
		items = append(items, item)
	}
	s.mu.Unlock()
	s.writePage(c, items)
}

// appJSON renders a catalog app.
func appJSON(a CatalogApp, withDefs bool) map[string]any {
	m := map[string]any{"id": a.ID, "externalId": nilIfEmpty(a.ExternalID), "displayName": a.DisplayName,
		"distributionMethod": a.DistributionMethod}
	if withDefs {
		defs := make([]any, 0, len(a.Definitions))
		for _, d := range sortedDefinitions(a.Definitions) {
			defs = append(defs, defJSON(a.ID, d))
		}
		m["appDefinitions"] = defs
	}
	return m
}

func defJSON(appID string, d AppDefinition) map[string]any {
	return map[string]any{"id": d.ID, "teamsAppId": appID, "displayName": d.DisplayName, "version": d.Version,
		"publishingState": d.PublishingState, "lastModifiedDateTime": d.LastModified.UTC().Format(time.RFC3339),
		"authorization": map[string]any{"clientAppId": nilIfEmpty(d.ClientAppID),
			"requiredPermissionSet": map[string]any{"resourceSpecificPermissions": []any{}}}}
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func (s *Server) listCatalog(c *graphCtx) {
	conds, err := parseFilter(c.query("filter"))
	if err != nil {
		badRequest(c, err.Error())
		return
	}
	withDefs := strings.Contains(c.query("expand"), "appDefinitions")
	s.mu.Lock()
	var items []any
	for _, a := range c.tenant.apps {
		if matchAll(conds, map[string]string{"id": a.ID, "externalId": a.ExternalID,
			"distributionMethod": a.DistributionMethod, "displayName": a.DisplayName}) {
			items = append(items, appJSON(*a, withDefs))
		}
	}
	s.mu.Unlock()
	s.writePage(c, items)
}

// manifestInfo is what the fake reads from an app package.
type manifestInfo struct {
	ID      string `json:"id"`
	Version string `json:"version"`
	Name    struct {
		Short string `json:"short"`
	} `json:"name"`
}

// readPackage checks the request is a zip app package and reads its manifest.
func readPackage(c *graphCtx) (manifestInfo, bool) {
	var m manifestInfo
	if c.tok.user == "" {
		writeError(c.w, http.StatusForbidden, "Forbidden", "Application permissions are not supported for publishing apps; use a delegated token.", "")
		return m, false
	}
	ct, _, _ := mime.ParseMediaType(c.r.Header.Get("Content-Type"))
	if ct != "application/zip" {
		writeError(c.w, http.StatusUnsupportedMediaType, "UnsupportedMediaType", "Content-Type must be application/zip", "")
		return m, false
	}
	zr, err := zip.NewReader(bytes.NewReader(c.body), int64(len(c.body)))
	if err != nil {
		badRequest(c, "the app package is not a zip file")
		return m, false
	}
	for _, f := range zr.File {
		if f.Name != "manifest.json" {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			badRequest(c, "manifest.json cannot be read")
			return m, false
		}
		b, err := io.ReadAll(io.LimitReader(rc, 1<<20))
		_ = rc.Close()
		if err != nil || json.Unmarshal(b, &m) != nil || m.ID == "" || m.Version == "" {
			badRequest(c, "manifest.json is invalid")
			return m, false
		}
		return m, true
	}
	badRequest(c, "manifest.json is missing at the root of the app package")
	return m, false
}

func (s *Server) publishApp(c *graphCtx) {
	m, ok := readPackage(c)
	if !ok {
		return
	}
	state := "published"
	if strings.EqualFold(c.r.URL.Query().Get("requiresReview"), "true") {
		state = "submitted"
	}
	s.mu.Lock()
	for _, a := range c.tenant.apps {
		if a.DistributionMethod == "organization" && a.ExternalID == m.ID {
			s.mu.Unlock()
			writeError(c.w, http.StatusConflict, "Conflict", "App with same id already exists in the tenant.", "")
			return
		}
	}
	app := &CatalogApp{ID: s.nextIDLocked(), ExternalID: m.ID, DisplayName: m.Name.Short, DistributionMethod: "organization",
		Definitions: []AppDefinition{{ID: s.nextIDLocked(), Version: m.Version, DisplayName: m.Name.Short, PublishingState: state, LastModified: time.Now()}}}
	c.tenant.apps = append(c.tenant.apps, app)
	out := appJSON(*app, false)
	s.mu.Unlock()
	writeJSON(c.w, http.StatusCreated, out)
}

func (s *Server) updateApp(c *graphCtx, appID string) {
	m, ok := readPackage(c)
	if !ok {
		return
	}
	s.mu.Lock()
	app := c.tenant.appByIDLocked(appID)
	if app == nil {
		s.mu.Unlock()
		writeError(c.w, http.StatusNotFound, "NotFound", "The app "+appID+" was not found in the catalog.", "")
		return
	}
	if app.ExternalID != m.ID {
		s.mu.Unlock()
		badRequest(c, "the manifest id does not match the app's externalId")
		return
	}
	d := AppDefinition{ID: s.nextIDLocked(), Version: m.Version, DisplayName: m.Name.Short, PublishingState: "published", LastModified: time.Now()}
	if strings.EqualFold(c.r.URL.Query().Get("requiresReview"), "true") {
		d.PublishingState = "submitted"
	}
	app.Definitions = append(app.Definitions, d)
	app.DisplayName = m.Name.Short
	out := defJSON(app.ID, d)
	s.mu.Unlock()
	writeJSON(c.w, http.StatusCreated, out)
}

// spJSON renders a service principal.
func spJSON(sp ServicePrincipal) map[string]any {
	roles := make([]any, 0, len(sp.AppRoles))
	for _, r := range sp.AppRoles {
		roles = append(roles, map[string]any{"id": r.ID, "value": r.Value, "displayName": r.DisplayName,
			"allowedMemberTypes": []string{"Application"}, "isEnabled": true, "origin": "Application", "description": r.DisplayName})
	}
	scopes := make([]any, 0, len(sp.Scopes))
	for _, sc := range sp.Scopes {
		scopes = append(scopes, map[string]any{"id": sc.ID, "value": sc.Value, "type": sc.Type,
			"adminConsentDisplayName": sc.AdminConsentDisplayName, "adminConsentDescription": sc.AdminConsentDisplayName, "isEnabled": true})
	}
	return map[string]any{"id": sp.ID, "appId": sp.AppID, "displayName": sp.DisplayName,
		"appOwnerOrganizationId": nilIfEmpty(sp.AppOwnerOrganizationID), "servicePrincipalType": "Application",
		"accountEnabled": true, "appRoles": roles, "oauth2PermissionScopes": scopes}
}

func (s *Server) listServicePrincipals(c *graphCtx) {
	conds, err := parseFilter(c.query("filter"))
	if err != nil {
		badRequest(c, err.Error())
		return
	}
	s.mu.Lock()
	var items []any
	for _, sp := range c.tenant.sps {
		if matchAll(conds, map[string]string{"appId": sp.AppID, "id": sp.ID, "displayName": sp.DisplayName}) {
			items = append(items, spJSON(*sp))
		}
	}
	s.mu.Unlock()
	s.writePage(c, items)
}

func (s *Server) getServicePrincipal(c *graphCtx, id string) {
	s.mu.Lock()
	sp := c.tenant.spByIDLocked(id)
	var out map[string]any
	if sp != nil {
		out = spJSON(*sp)
	}
	s.mu.Unlock()
	if out == nil {
		writeError(c.w, http.StatusNotFound, "Request_ResourceNotFound", "Resource '"+id+"' does not exist or one of its queried reference-property objects are not present.", "")
		return
	}
	writeJSON(c.w, http.StatusOK, out)
}

func (s *Server) listGrants(c *graphCtx, spID string) {
	s.mu.Lock()
	if c.tenant.spByIDLocked(spID) == nil {
		s.mu.Unlock()
		writeError(c.w, http.StatusNotFound, "Request_ResourceNotFound", "Resource '"+spID+"' does not exist.", "")
		return
	}
	var items []any
	for _, g := range c.tenant.grants {
		if g.ClientID == spID {
			items = append(items, grantJSON(g))
		}
	}
	s.mu.Unlock()
	s.writePage(c, items)
}

// grantJSON renders a delegated permission grant.
func grantJSON(g PermissionGrant) map[string]any {
	return map[string]any{"id": g.ID, "clientId": g.ClientID, "consentType": g.ConsentType,
		"principalId": nilIfEmpty(g.PrincipalID), "resourceId": g.ResourceID, "scope": g.Scope}
}

// listAllGrants serves GET /oauth2PermissionGrants: every delegated grant
// of the tenant, filtered by clientId or resourceId.
func (s *Server) listAllGrants(c *graphCtx) {
	conds, err := parseFilter(c.query("filter"))
	if err != nil {
		badRequest(c, err.Error())
		return
	}
	s.mu.Lock()
	var items []any
	for _, g := range c.tenant.grants {
		if matchAll(conds, map[string]string{"clientId": g.ClientID, "resourceId": g.ResourceID, "consentType": g.ConsentType}) {
			items = append(items, grantJSON(g))
		}
	}
	s.mu.Unlock()
	s.writePage(c, items)
}

// listRoleAssignments serves GET /roleManagement/directory/roleAssignments,
// filtered by principalId, roleDefinitionId or directoryScopeId.
func (s *Server) listRoleAssignments(c *graphCtx) {
	conds, err := parseFilter(c.query("filter"))
	if err != nil {
		badRequest(c, err.Error())
		return
	}
	s.mu.Lock()
	var items []any
	for _, a := range c.tenant.roles {
		if matchAll(conds, map[string]string{"principalId": a.PrincipalID, "roleDefinitionId": a.RoleDefinitionID,
			"directoryScopeId": a.DirectoryScopeID}) {
			items = append(items, map[string]any{"id": a.ID, "principalId": a.PrincipalID,
				"roleDefinitionId": a.RoleDefinitionID, "directoryScopeId": a.DirectoryScopeID})
		}
	}
	s.mu.Unlock()
	s.writePage(c, items)
}

func (s *Server) listAssignments(c *graphCtx, spID string) {
	s.mu.Lock()
	sp := c.tenant.spByIDLocked(spID)
	if sp == nil {
		s.mu.Unlock()
		writeError(c.w, http.StatusNotFound, "Request_ResourceNotFound", "Resource '"+spID+"' does not exist.", "")
		return
	}
	var items []any
	for _, a := range c.tenant.assignments {
		if a.PrincipalID == spID {
			items = append(items, map[string]any{"id": a.ID, "appRoleId": a.AppRoleID, "principalId": a.PrincipalID,
				"principalType": "ServicePrincipal", "principalDisplayName": sp.DisplayName, "resourceId": a.ResourceID,
				"resourceDisplayName": a.ResourceDisplayName, "createdDateTime": "2026-01-01T00:00:00Z"})
		}
	}
	s.mu.Unlock()
	s.writePage(c, items)
}

// writePage writes one page of items, honouring $top and $skiptoken, with
// an @odata.nextLink to the next page.
func (s *Server) writePage(c *graphCtx, items []any) {
	s.mu.Lock()
	size := s.pageSize
	s.mu.Unlock()
	if top := c.query("top"); top != "" {
		n, err := strconv.Atoi(top)
		if err != nil || n < 1 {
			badRequest(c, "invalid $top")
			return
		}
		size = min(n, 999)
	}
	start := 0
	if tok := c.query("skiptoken"); tok != "" {
		n, err := strconv.Atoi(tok)
		if err != nil || n < 0 || n > len(items) {
			badRequest(c, "invalid $skiptoken")
			return
		}
		start = n
	}
	end := min(start+size, len(items))
	page := items[start:end]
	if page == nil {
		page = []any{}
	}
	out := map[string]any{"@odata.context": s.URL + "/v1.0/$metadata#" + c.seg[len(c.seg)-1], "value": page}
	if end < len(items) {
		q := c.r.URL.Query()
		q.Del("skiptoken")
		q.Del("%24skiptoken")
		q.Set("$skiptoken", strconv.Itoa(end))
		out["@odata.nextLink"] = s.URL + c.r.URL.Path + "?" + q.Encode()
	}
	writeJSON(c.w, http.StatusOK, out)
}

// condition is one "field eq 'v'" or "field in ('a','b')" of a $filter.
type condition struct {
	field  string
	values []string
}

// matchAll reports whether an item, given as its filterable fields, meets
// every condition; a condition on another field never matches.
func matchAll(conds []condition, fields map[string]string) bool {
	for _, cd := range conds {
		v, ok := fields[cd.field]
		if !ok || !cd.match(v) {
			return false
		}
	}
	return true
}

func (cd condition) match(v string) bool {
	for _, x := range cd.values {
		if strings.EqualFold(x, v) {
			return true
		}
	}
	return false
}

var (
	eqRE = regexp.MustCompile(`^([A-Za-z/]+) eq '((?:[^']|'')*)'$`)
	inRE = regexp.MustCompile(`^([A-Za-z/]+) in \((.*)\)$`)
	qRE  = regexp.MustCompile(`^'((?:[^']|'')*)'$`)
)

// parseFilter parses the subset of OData $filter the fake supports:
// conditions joined with " and ", each "field eq 'v'" or
// "field in ('a', 'b')" (at most MaxInValues values, as Graph enforces).
func parseFilter(f string) ([]condition, error) {
	f = strings.TrimSpace(f)
	if f == "" {
		return nil, nil
	}
	var out []condition
	for part := range strings.SplitSeq(f, " and ") {
		part = strings.TrimSpace(part)
		if m := eqRE.FindStringSubmatch(part); m != nil {
			out = append(out, condition{field: m[1], values: []string{strings.ReplaceAll(m[2], "''", "'")}})
			continue
		}
		m := inRE.FindStringSubmatch(part)
		if m == nil {
			return nil, fmt.Errorf("unsupported $filter clause %q", part)
		}
		var vals []string
		for v := range strings.SplitSeq(m[2], ",") {
			q := qRE.FindStringSubmatch(strings.TrimSpace(v))
			if q == nil {
				return nil, fmt.Errorf("invalid value %q in $filter", v)
			}
			vals = append(vals, strings.ReplaceAll(q[1], "''", "'"))
		}
		if len(vals) > MaxInValues {
			return nil, fmt.Errorf("too many values in 'in' operator: %d (max %d)", len(vals), MaxInValues)
		}
		out = append(out, condition{field: m[1], values: vals})
	}
	return out, nil
}
