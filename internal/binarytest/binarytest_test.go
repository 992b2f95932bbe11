package binarytest_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/internal/binarytest"
)

func TestMain(m *testing.M) { binarytest.Main(m) }

// The binary is built once and runs in a clean environment: the caller's
// MicrosoftAppId does not leak into it.
func TestRunAndStart(t *testing.T) {
	t.Setenv("MicrosoftAppId", "from-the-test-process")
	code, out := binarytest.Run(t, nil, "version")
	require.Equal(t, 0, code)
	require.Contains(t, out, "attestbot")
	require.Equal(t, binarytest.Binary(t), binarytest.Binary(t))

	srv := binarytest.Start(t, []string{"ATTESTBOT_LOG_FORMAT=json"}, binarytest.Options{})
	status, body, err := srv.Ready(t.Context())
	require.NoError(t, err)
	require.Equal(t, 200, status)
	require.NotContains(t, body["features"], "inbound_auth", "local mode: the test's MicrosoftAppId is not inherited")
	require.NotEmpty(t, srv.LogRecords())
	require.NoError(t, srv.Stop())
	require.NoError(t, srv.Stop(), "a second Stop is a no-op")
}
