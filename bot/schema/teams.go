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

// ChannelDataTenantID returns channelData.tenant.id, or "" when there is
// none, decoding nothing else of the channel data: it runs for every inbound
// activity (IdentityOf), where decoding the whole TeamsChannelData cost more
// than the rest of the identity. A channelData that is not an object, or
// whose tenant is not an object with a string id, is an error.
func (a *Activity) ChannelDataTenantID() (string, error) {
	if a == nil || len(a.ChannelData) == 0 {
		return "", nil
	}
	var cd channelDataTenant
	if err := channelDataTenantCodec.decodeDocument(a.ChannelData, &cd, nil); err != nil || cd.Tenant == nil {
		return "", err
	}
	return cd.Tenant.ID, nil
}

// channelDataTenant is the part of TeamsChannelData IdentityOf reads.
type channelDataTenant struct {
	Tenant *TenantInfo
}

var tenantInfoCodec = newCodec("tenant", map[string]fieldFunc[TenantInfo]{
	"id": str(func(t *TenantInfo) *string { return &t.ID }),
})

var channelDataTenantCodec = newCodec("channelData", map[string]fieldFunc[channelDataTenant]{
	"tenant": ptr(func(c *channelDataTenant) **TenantInfo { return &c.Tenant }, func(raw []byte, t *TenantInfo) error {
		return tenantInfoCodec.decode(raw, t, nil)
	}),
})
