package notify

import (
	"encoding/json"
	"net/url"
	"strings"
)

// DeepLink returns the activity feed webUrl that opens the bot's chat with
// the event ID in the context:
//
//	https://teams.microsoft.com/l/entity/<teamsAppId>/conversations?context={"subEntityId":"event:<id>"}
//
// Why this form: the Teams deep-link docs give
// https://teams.microsoft.com/l/entity/<appId>/<entityId>?context=<JSON with subEntityId>
// for a personal app, and the bot chat of a personal app is its built-in
// tab whose entityId is "conversations" (the reserved staticTabs entity
// of the manifest). The l/chat/0/0?users=… form takes only user principal
// names, not a bot, and carries no context. topic.webUrl must start with
// https://teams.microsoft.com (graph-msal-manifest.md §1.2) and is kept
// far below the 1024 characters reported to fail (§1.4).
func DeepLink(teamsAppID, eventID string) string {
	ctx, _ := json.Marshal(map[string]string{"subEntityId": "event:" + eventID})
	return "https://teams.microsoft.com/l/entity/" + url.PathEscape(strings.TrimSpace(teamsAppID)) +
		"/conversations?context=" + url.QueryEscape(string(ctx))
}
