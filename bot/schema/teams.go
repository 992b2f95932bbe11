package schema

import "encoding/json"

// TeamsChannelData is the channelData Teams attaches to activities
// (botframework.md §4.1). Fields not modelled here are simply not decoded;
// the raw channelData on the activity keeps them.
type TeamsChannelData struct {
	Tenant         *TenantInfo       `json:"tenant,omitempty"`
	Team           *TeamInfo         `json:"team,omitempty"`
	Channel        *ChannelInfo      `json:"channel,omitempty"`
	EventType      string            `json:"eventType,omitempty"`
	Notification   *NotificationInfo `json:"notification,omitempty"`
	Meeting        *MeetingInfo      `json:"meeting,omitempty"`
	Settings       *TeamsSettings    `json:"settings,omitempty"`
	Source         *SourceInfo       `json:"source,omitempty"`
	TeamsChannelID string            `json:"teamsChannelId,omitempty"`
	TeamsTeamID    string            `json:"teamsTeamId,omitempty"`
	OnBehalfOf     json.RawMessage   `json:"onBehalfOf,omitempty"`
}

// TenantInfo names an Entra tenant.
type TenantInfo struct {
	ID string `json:"id"`
}

// TeamInfo describes a team.
type TeamInfo struct {
	ID         string `json:"id,omitempty"`
	Name       string `json:"name,omitempty"`
	AADGroupID string `json:"aadGroupId,omitempty"`
}

// ChannelInfo describes a team channel.
type ChannelInfo struct {
	ID   string `json:"id,omitempty"`
	Name string `json:"name,omitempty"`
	Type string `json:"type,omitempty"`
}

// NotificationInfo controls how Teams notifies the user of a bot message.
type NotificationInfo struct {
	Alert               bool   `json:"alert,omitempty"`
	AlertInMeeting      bool   `json:"alertInMeeting,omitempty"`
	ExternalResourceURL string `json:"externalResourceUrl,omitempty"`
}

// MeetingInfo identifies a meeting.
type MeetingInfo struct {
	ID string `json:"id,omitempty"`
}

// TeamsSettings carries installation settings.
type TeamsSettings struct {
	SelectedChannel *ChannelInfo `json:"selectedChannel,omitempty"`
}

// SourceInfo tells where in the client an activity came from
// ("message", "compose", ...).
type SourceInfo struct {
	Name string `json:"name,omitempty"`
}
