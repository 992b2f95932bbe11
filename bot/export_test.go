package bot

import (
	"time"

	"github.com/attestbot/attestbot/bot/connector"
)

// Options and methods only the tests use.

// WithConnector replaces the connector client. The bot still records
// authenticated serviceUrls in its own trust set; a replacement client must
// enforce its own.
func WithConnector(c Connector) Option { return func(b *Bot) { b.conn = c } }

// WithClock sets the clock used for stored conversation references.
func WithClock(now func() time.Time) Option { return func(b *Bot) { b.now = now } }

// LocalMode reports whether inbound auth is off (no app ID).
func (b *Bot) LocalMode() bool { return b.cfg.LocalMode() }

// TrustedURLs returns the bot's serviceUrl trust set.
func (b *Bot) TrustedURLs() *connector.TrustedURLs { return b.trust }
