package schema

// ConversationReference is what the bot needs to message a conversation
// later (proactively).
type ConversationReference struct {
	ActivityID   string               `json:"activityId,omitempty"`
	User         *ChannelAccount      `json:"user,omitempty"`
	Bot          *ChannelAccount      `json:"bot,omitempty"`
	Conversation *ConversationAccount `json:"conversation,omitempty"`
	ChannelID    string               `json:"channelId,omitempty"`
	ServiceURL   string               `json:"serviceUrl,omitempty"`
	Locale       string               `json:"locale,omitempty"`
}

// ConversationParameters is the body of POST /v3/conversations.
type ConversationParameters struct {
	IsGroup     bool             `json:"isGroup"`
	Bot         *ChannelAccount  `json:"bot,omitempty"`
	Members     []ChannelAccount `json:"members,omitempty"`
	TopicName   string           `json:"topicName,omitempty"`
	TenantID    string           `json:"tenantId,omitempty"`
	Activity    *Activity        `json:"activity,omitempty"`
	ChannelData any              `json:"channelData,omitempty"`
}

// ResourceResponse is the answer to an activity send, reply or update. A
// 202 without a body yields an empty ID.
type ResourceResponse struct {
	ID string `json:"id,omitempty"`
}

// ConversationResourceResponse is the answer to POST /v3/conversations.
type ConversationResourceResponse struct {
	ID         string `json:"id,omitempty"`
	ActivityID string `json:"activityId,omitempty"`
	ServiceURL string `json:"serviceUrl,omitempty"`
}

// ErrorResponse is the error body of the Bot Connector.
type ErrorResponse struct {
	Error ErrorBody `json:"error"`
}

// ErrorBody is the code and message of a Bot Connector error.
type ErrorBody struct {
	Code    string `json:"code,omitempty"`
	Message string `json:"message,omitempty"`
}
