package notify

import "context"

// Delivery channels: the idempotency key of a delivery is (event, tenant,
// user, channel).
const (
	// ChannelFeed is the Teams activity feed (Graph).
	ChannelFeed = "feed"
	// ChannelCard is the diff card in the user's bot chat.
	ChannelCard = "card"
)

// DeliveredLog remembers which users got which event on which channel, so
// that a retried or re-claimed message never notifies anyone twice
// (store.NewDeliveredLog picks the one of a store).
type DeliveredLog interface {
	// Undelivered returns the users of userIDs who did not get eventID on
	// channel yet, in input order.
	Undelivered(ctx context.Context, tenantID, eventID, channel string, userIDs []string) ([]string, error)
	// MarkDelivered records that userIDs got eventID on channel, through
	// message msgID.
	MarkDelivered(ctx context.Context, tenantID, eventID, channel, msgID string, userIDs []string) error
}
