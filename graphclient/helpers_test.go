package graphclient_test

import (
	"archive/zip"
	"bytes"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/graphclient"
	"github.com/attestbot/attestbot/graphclient/graphtest"
)

const (
	testClientID = "11111111-2222-3333-4444-555555555555"
	testSecret   = "Sup3r~Secret.Value_42"
	homeTenant   = "home-tenant"
)

// fixture is a fake Graph with an app credential and a client over it.
type fixture struct {
	srv    *graphtest.Server
	cred   *graphclient.AppCredential
	client *graphclient.Client
	logw   *lockedWriter
}

type fixtureOption func(*graphclient.Config, *graphclient.CredentialOptions)

func withNow(now func() time.Time) fixtureOption {
	return func(_ *graphclient.Config, o *graphclient.CredentialOptions) { o.Now = now }
}

func withConfig(f func(*graphclient.Config)) fixtureOption {
	return func(c *graphclient.Config, _ *graphclient.CredentialOptions) { f(c) }
}

// newFixture starts a fake and builds a secret-based app credential and a
// client logging at Debug into a buffer.
func newFixture(t testing.TB, opts ...fixtureOption) *fixture {
	t.Helper()
	srv := graphtest.New(t)
	srv.SetClientSecret(testClientID, testSecret)
	logw := &lockedWriter{w: &bytes.Buffer{}}
	logger := slog.New(slog.NewTextHandler(logw, &slog.HandlerOptions{Level: slog.LevelDebug}))
	cfg := graphclient.Config{GraphURL: srv.GraphURL(), HTTPClient: srv.Client(), Logger: logger, BulkInterval: -1}
	copts := graphclient.CredentialOptions{HTTPClient: srv.Client(), Logger: logger}
	for _, o := range opts {
		o(&cfg, &copts)
	}
	cred, err := graphclient.NewAppCredential(graphclient.AppCredentialConfig{
		ClientID: testClientID, ClientSecret: testSecret, HomeTenantID: homeTenant,
		LoginURL: srv.LoginURL(), Scope: srv.GraphURL() + "/.default",
	}, copts)
	require.NoError(t, err)
	client, err := graphclient.New(cfg, cred)
	require.NoError(t, err)
	return &fixture{srv: srv, cred: cred, client: client, logw: logw}
}

// lockedWriter serializes writes of concurrent log calls.
type lockedWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (w *lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.w.Write(p)
}

// String returns what was written so far.
func (f *fixture) logText() string {
	lw := f.logw
	lw.mu.Lock()
	defer lw.mu.Unlock()
	return lw.w.String()
}

// appPackage builds an app package zip with a minimal manifest.
func appPackage(t testing.TB, id, version, name string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	f, err := zw.Create("manifest.json")
	require.NoError(t, err)
	_, err = f.Write([]byte(`{"manifestVersion":"1.29","id":"` + id + `","version":"` + version + `","name":{"short":"` + name + `"}}`))
	require.NoError(t, err)
	for _, n := range []string{"color.png", "outline.png"} {
		f, err := zw.Create(n)
		require.NoError(t, err)
		_, err = f.Write([]byte("png"))
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	return buf.Bytes()
}
