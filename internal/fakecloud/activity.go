package fakecloud

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// Message is a Teams personal-chat message activity, as Teams posts it to a
// bot. Zero fields get test defaults.
type Message struct {
	// ID is the activity ID (default "msg-1").
	ID string
	// AppID is the bot's app ID (the recipient, "28:" + AppID).
	AppID string
	// ServiceURL is the Bot Connector URL (default the cloud's ServiceURL).
	ServiceURL string
	// TenantID is the user's Entra tenant.
	TenantID string
	// UserObjectID is the user's Entra object ID (aadObjectId).
	UserObjectID string
	// UserName is the display name (default "Alex").
	UserName string
	// ConversationID is the 1:1 conversation (default "a:personal-" +
	// UserObjectID).
	ConversationID string
	// Text is the message text.
	Text string
	// Locale defaults to en-US.
	Locale string
}

func orDefault(v, d string) string {
	if v == "" {
		return d
	}
	return v
}

// withDefaults fills the zero fields.
func (m Message) withDefaults(c *Cloud) Message {
	m.ID = orDefault(m.ID, "msg-1")
	if c != nil {
		m.ServiceURL = orDefault(m.ServiceURL, c.ServiceURL())
	}
	m.UserName = orDefault(m.UserName, "Alex")
	m.ConversationID = orDefault(m.ConversationID, "a:personal-"+m.UserObjectID)
	m.Locale = orDefault(m.Locale, "en-US")
	return m
}

// Activity returns the activity JSON.
func (m Message) Activity() []byte {
	b, _ := json.Marshal(map[string]any{
		"type": "message", "id": m.ID, "channelId": ChannelID, "serviceUrl": m.ServiceURL,
		"timestamp": "2026-01-01T00:00:00Z", "text": m.Text, "textFormat": "plain", "locale": m.Locale,
		"from":      map[string]any{"id": "29:" + m.UserObjectID, "aadObjectId": m.UserObjectID, "name": m.UserName},
		"recipient": map[string]any{"id": "28:" + m.AppID, "name": "attestbot"},
		"conversation": map[string]any{"id": m.ConversationID, "conversationType": "personal",
			"tenantId": m.TenantID},
		"channelData": map[string]any{"tenant": map[string]any{"id": m.TenantID}},
	})
	return b
}

// Send posts m to the bot's messages endpoint (http or https, loopback)
// with a channel token minted for m.AppID, and returns the status code. m's
// zero fields get their defaults; its ServiceURL defaults to the cloud's.
func (c *Cloud) Send(ctx context.Context, endpoint string, m Message) (int, error) {
	if err := loopbackURL(endpoint); err != nil {
		return 0, err
	}
	m = m.withDefaults(c)
	tok, err := c.ChannelToken(m.AppID, m.ServiceURL)
	if err != nil {
		return 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(m.Activity()))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, fmt.Errorf("fakecloud: post to the bot: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, nil
}

// loopbackURL refuses a bot endpoint that is not on loopback: tests never
// talk to anything else.
func loopbackURL(raw string) error {
	for _, p := range []string{"http://127.0.0.1:", "https://127.0.0.1:", "http://localhost:", "http://[::1]:"} {
		if strings.HasPrefix(raw, p) {
			return nil
		}
	}
	return fmt.Errorf("fakecloud: %q is not a loopback URL", raw)
}
