// Package e2e holds attestbot's end-to-end tests: a Go test that drives a
// running attestbot through the Microsoft 365 Agents Playground's internal
// REST and websocket API (playground_test.go), and the scripts that start
// the bot and the Playground in a loopback-only network namespace (run.sh,
// inner.sh) and drive the Playground's web UI in headless Chromium (ui.mjs).
//
// The Go test needs PG_URL, the Playground's address; without it the test
// is skipped, unless E2E_REQUIRED=1, when it fails. Run everything with
// e2e/run.sh.
package e2e
