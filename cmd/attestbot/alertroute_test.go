package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/app"
)

// lockedBuffer is a log sink the server writes while the test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// fakeConnector is a Bot Connector on loopback that keeps what the bot
// posts, by conversation.
type fakeConnector struct {
	mu    sync.Mutex
	posts []connectorPost
	got   chan connectorPost
}

type connectorPost struct {
	Path string
	Body string
}

func (f *fakeConnector) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	p := connectorPost{Path: r.URL.Path, Body: string(body)}
	f.mu.Lock()
	f.posts = append(f.posts, p)
	f.mu.Unlock()
	select {
	case f.got <- p:
	default:
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	_, _ = w.Write([]byte(`{"id":"m1"}`))
}

// waitPost waits for a post whose body contains every string of want.
func (f *fakeConnector) waitPost(t *testing.T, want ...string) connectorPost {
	t.Helper()
	deadline := time.After(20 * time.Second) // guards a hung test only
	for {
		select {
		case p := <-f.got:
			ok := true
			for _, w := range want {
				ok = ok && strings.Contains(p.Body, w)
			}
			if ok {
				return p
			}
		case <-deadline:
			t.Fatalf("no post with %q", want)
		}
	}
}

func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	require.NoError(t, filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if d.IsDir() {
			if d.Name() == "history" {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	}))
}

// Finding 3 of issue 10: a user who subscribes by message, the bot never
// having seen an installation or conversationUpdate, gets the alert. The
// real serve command in local mode syncs a directory source; the Bot
// Connector is a fake on loopback.
func TestServe_SubscribeByMessageThenAlertDelivered(t *testing.T) {
	conn := &fakeConnector{got: make(chan connectorPost, 64)}
	cs := httptest.NewServer(conn)
	t.Cleanup(cs.Close)

	dir := t.TempDir()
	source := filepath.Join(dir, "catalog")
	copyDir(t, corpus, source)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	for k, v := range map[string]string{
		"ATTESTBOT_STORE": filepath.Join(dir, "attestbot.db"), "ATTESTBOT_LISTEN": addr,
		"ATTESTBOT_SOURCE": source, "ATTESTBOT_SOURCE_CACHE": filepath.Join(dir, "cache"),
		"ATTESTBOT_SYNC_INTERVAL": "200ms", "MicrosoftAppId": "", "BOT_ID": "",
	} {
		t.Setenv(k, v)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var out, errb lockedBuffer
	root := newRootCmd(&out, &errb, app.NewClients())
	root.SetArgs([]string{"serve"})
	done := make(chan error, 1)
	go func() { done <- root.ExecuteContext(ctx) }()
	t.Cleanup(func() {
		cancel()
		<-done
		if t.Failed() {
			conn.mu.Lock()
			t.Logf("posts: %+v", conn.posts)
			conn.mu.Unlock()
			t.Logf("serve output:\n%s\n%s", out.String(), errb.String())
		}
	})

	ready := func() bool {
		resp, err := http.Get("http://" + addr + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	}
	require.Eventually(t, ready, 60*time.Second, 50*time.Millisecond, "serve ready")
	require.Eventually(t, func() bool { return strings.Contains(errb.String(), "catalog reloaded") }, 60*time.Second, 50*time.Millisecond,
		"the first sync loaded the catalog")

	const tenant, userAAD = "66666666-6666-4666-8666-666666666666", "55555555-5555-4555-8555-555555555555"
	msg, err := json.Marshal(map[string]any{
		"type": "message", "id": "msg-1", "channelId": "msteams", "serviceUrl": cs.URL + "/",
		"text": "subscribe plumm", "locale": "en-US",
		"from":         map[string]any{"id": "29:user", "aadObjectId": userAAD, "name": "Alex"},
		"recipient":    map[string]any{"id": "28:bot", "name": "attestbot"},
		"conversation": map[string]any{"id": "a:personal-1", "conversationType": "personal", "tenantId": tenant},
		"channelData":  map[string]any{"tenant": map[string]any{"id": tenant}},
	})
	require.NoError(t, err)
	resp, err := http.Post("http://"+addr+"/api/messages", "application/json", bytes.NewReader(msg))
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	reply := conn.waitPost(t, "Subscribed to Plumm")
	require.Contains(t, reply.Path, "/v3/conversations/a:personal-1/activities")
	require.NotContains(t, reply.Body, "cannot reach you")

	// The publisher withdraws the HIPAA claim.
	page := filepath.Join(source, "fr-FR", "teams", "plumm-health-ltd.md")
	data, err := os.ReadFile(page)
	require.NoError(t, err)
	text := regexp.MustCompile(`(?m)^ms\.openlocfilehash: .*$`).ReplaceAllString(string(data), "ms.openlocfilehash: 00000000000000000000000000000000e2e00001")
	changed := strings.Replace(text, "(Health Insurance Portability and Accounting Act) ? | Oui |", "(Health Insurance Portability and Accounting Act) ? | Non |", 1)
	require.NotEqual(t, text, changed)
	require.NoError(t, os.WriteFile(page, []byte(changed), 0o644))

	alert := conn.waitPost(t, "HIPAA", "What changed")
	require.Contains(t, alert.Path, "/v3/conversations/a:personal-1/activities", "the alert went to the chat the user wrote in")
	require.NotContains(t, errb.String()+out.String(), "no_conversation")
}
