package app

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/bot/connector"
	"github.com/attestbot/attestbot/bot/schema"
	"github.com/attestbot/attestbot/notify"
	"github.com/attestbot/attestbot/store"
)

// failingConnector answers every proactive message with err.
type failingConnector struct{ err error }

func (f failingConnector) ReplyToActivity(context.Context, string, string, string, *schema.Activity) (*schema.ResourceResponse, error) {
	return nil, f.err
}

func (f failingConnector) SendToConversation(context.Context, string, string, *schema.Activity) (*schema.ResourceResponse, error) {
	return nil, f.err
}

func (f failingConnector) GetConversationMembers(context.Context, string, string) ([]schema.ChannelAccount, error) {
	return nil, f.err
}

// TestProactiveErrors: a card that cannot reach its user (blocked,
// removed, conversation gone, serviceUrl not callable) is notify's
// permanent failure, so the tenant's other subscribers still get theirs;
// throttling, server and token failures fail the delivery, to be tried
// again.
func TestProactiveErrors(t *testing.T) {
	apiErr := func(status int, code string) error {
		return fmt.Errorf("bot connector send: %w", &connector.APIError{Operation: "send", StatusCode: status, Code: code})
	}
	for _, tc := range []struct {
		name      string
		err       error
		permanent bool
	}{
		{"blocked", apiErr(http.StatusForbidden, "MessageWritesBlocked"), true},
		{"removed", apiErr(http.StatusForbidden, "BotNotInConversationRoster"), true},
		{"conversation gone", apiErr(http.StatusNotFound, "ConversationNotFound"), true},
		{"bad request", apiErr(http.StatusBadRequest, "BadArgument"), true},
		{"untrusted serviceUrl", fmt.Errorf("bot connector send: %w: https://x.example", connector.ErrUntrustedServiceURL), true},
		{"throttled", apiErr(http.StatusTooManyRequests, ""), false},
		{"server error", apiErr(http.StatusBadGateway, ""), false},
		{"unauthorized", apiErr(http.StatusUnauthorized, ""), false},
		{"network", errors.New("dial tcp: connection refused"), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := proactiveSender{conn: failingConnector{err: tc.err}}.SendCard(context.Background(),
				store.ConversationRef{ServiceURL: "https://smba.trafficmanager.net/emea/", ConversationID: "a:1"}, notify.Card{Content: []byte(`{}`)})
			require.ErrorIs(t, err, tc.err)
			var perm *notify.PermanentError
			require.Equal(t, tc.permanent, errors.As(err, &perm))
		})
	}
	require.NoError(t, proactiveSender{conn: failingConnector{}}.SendCard(context.Background(), store.ConversationRef{}, notify.Card{Content: []byte(`{}`)}))
}
