// Package schema holds the Bot Framework and Microsoft Teams wire types the bot
// exchanges with the Bot Connector service: activities, accounts, attachments,
// entities, Teams channel data, invoke values and invoke responses.
//
// Decoding is lenient: unknown top-level fields of an Activity (and of the
// accounts and entities inside it) are kept in an Extra map and written back
// on encoding, and payloads such as channelData and value stay raw JSON until
// a typed accessor decodes them. Nothing in this package panics on any input.
package schema
