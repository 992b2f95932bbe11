// Package matrix starts the real attestbot binary with each documented
// configuration against the project's fake Microsoft cloud
// (internal/fakecloud) and checks that it starts, says which features are
// on and off, and answers an authenticated Teams message with a reply the
// fake Bot Connector accepts.
//
// It runs with go test ./... (make test): the binary is built once, each
// configuration starts in a second or two.
package matrix
