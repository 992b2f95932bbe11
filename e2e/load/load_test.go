// Package load is a cheap regression check of attestbot under load: the
// real binary against the project's fake cloud (internal/fakecloud), a cold
// burst of first requests and a few seconds of messages, asserting on
// counts (metadata, key set and token fetches, connections opened per
// reply), never on time. `make bench-e2e` measures speed with the shared
// harness instead.
package load

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/sync/errgroup"

	"github.com/attestbot/attestbot/internal/binarytest"
	"github.com/attestbot/attestbot/internal/fakecloud"
)

func TestMain(m *testing.M) { binarytest.Main(m) }

const (
	appID    = "3b0b1b1e-0009-4000-8000-00000000b0b9"
	secret   = "load-secret"
	tenantID = "72f988bf-0000-4000-8000-00000000c0de"

	// coldBurst is the number of first requests sent at once.
	coldBurst = 64
	// workers send messages one after the other, messagesEach each.
	workers      = 16
	messagesEach = 25
)

// send posts one message per conversation of convs at once and waits for
// every reply.
func send(t *testing.T, cloud *fakecloud.Cloud, url string, convs []string, text string) {
	t.Helper()
	g, ctx := errgroup.WithContext(t.Context())
	for i, conv := range convs {
		g.Go(func() error {
			status, err := cloud.Send(ctx, url, fakecloud.Message{ID: fmt.Sprintf("m-%d", i), AppID: appID,
				TenantID: tenantID, UserObjectID: fmt.Sprintf("0c9d2a8e-0000-4000-8000-%012d", i),
				ConversationID: conv, Text: text})
			if err == nil && status != http.StatusOK {
				err = fmt.Errorf("%s: status %d", conv, status)
			}
			return err
		})
	}
	require.NoError(t, g.Wait())
	for _, conv := range convs {
		_, err := cloud.WaitReplies(conv, 1, 30*time.Second)
		require.NoError(t, err)
	}
}

// outboundConnections reads attestbot_outbound_connections_opened_total
// from /metrics, by class.
func outboundConnections(t *testing.T, base string) map[string]int64 {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	require.NoError(t, err)
	defer resp.Body.Close()
	out := map[string]int64{}
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line, ok := strings.CutPrefix(sc.Text(), `attestbot_outbound_connections_opened_total{class="`)
		if !ok {
			continue
		}
		class, value, _ := strings.Cut(line, `"} `)
		n, err := strconv.ParseFloat(value, 64)
		require.NoError(t, err, line)
		out[class] = int64(n)
	}
	require.NoError(t, sc.Err())
	return out
}

func sum(m map[string]int64) int64 {
	var n int64
	for _, v := range m {
		n += v
	}
	return n
}

func TestLoadCounts(t *testing.T) {
	binarytest.Binary(t)
	cloud, err := fakecloud.Start()
	require.NoError(t, err)
	t.Cleanup(cloud.Close)
	cloud.AddSecretApp(appID, secret)
	dir := t.TempDir()
	ca := filepath.Join(dir, "fakecloud-ca.pem")
	require.NoError(t, cloud.WriteCA(ca))
	srv := binarytest.Start(t, []string{
		"MicrosoftAppId=" + appID, "MicrosoftAppPassword=" + secret,
		"ATTESTBOT_OPENID_METADATA_URL=" + cloud.MetadataURL(), "ATTESTBOT_LOGIN_URL=" + cloud.LoginURL(),
		"ATTESTBOT_GRAPH_URL=" + cloud.URL, "SSL_CERT_FILE=" + ca, "ATTESTBOT_LOG_LEVEL=warn",
	}, binarytest.Options{Dir: dir})

	// A cold burst: every first request needs the signing keys and the
	// first reply a token; they share one fetch each.
	var convs []string
	for i := range coldBurst {
		convs = append(convs, fmt.Sprintf("a:cold-%d", i))
	}
	send(t, cloud, srv.MessagesURL(), convs, "plumm")
	cold := cloud.Stats()
	t.Logf("cold burst of %d: %+v", coldBurst, cold)
	require.Equal(t, int64(coldBurst), cold.Replies)
	require.LessOrEqual(t, cold.MetadataFetches, int64(2), "OpenID metadata fetches")
	require.LessOrEqual(t, cold.JWKSFetches, int64(2), "key set fetches")
	require.LessOrEqual(t, cold.TokensIssued, int64(2), "token requests")

	// Warm: workers keep sending; the bot's connections stay open.
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range messagesEach {
				conv := fmt.Sprintf("a:warm-%d-%d", w, i)
				status, err := cloud.Send(context.Background(), srv.MessagesURL(), fakecloud.Message{ID: "m", AppID: appID,
					TenantID: tenantID, UserObjectID: "0c9d2a8e-0000-4000-8000-0000000000a1", ConversationID: conv, Text: "plumm"})
				if err == nil && status != http.StatusOK {
					err = fmt.Errorf("%s: status %d", conv, status)
				}
				if err == nil {
					_, err = cloud.WaitReplies(conv, 1, 30*time.Second)
				}
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	warm := cloud.Stats()
	replies := warm.Replies - cold.Replies
	opened := warm.ConnectionsOpened - cold.ConnectionsOpened
	t.Logf("warm: %d replies, %d connections opened (%.3f a reply); %+v", replies, opened, float64(opened)/float64(replies), warm)
	require.Equal(t, int64(workers*messagesEach), replies)
	require.Zero(t, warm.RepliesUnauthorized+warm.RepliesBad)
	require.Equal(t, cold.TokensIssued, warm.TokensIssued, "the token is reused")
	require.Equal(t, cold.MetadataFetches, warm.MetadataFetches)
	require.Equal(t, cold.JWKSFetches, warm.JWKSFetches)
	// The connections the burst opened are kept: a warm reply opens none
	// (a connection per reply was the failure this guards against).
	require.LessOrEqual(t, opened, int64(workers), "connections opened during %d warm replies", replies)

	// /metrics counts the same connections the fake accepted.
	byClass := outboundConnections(t, srv.URL)
	t.Logf("outbound connections by class: %v", byClass)
	require.Positive(t, byClass["connector"])
	require.Equal(t, warm.ConnectionsOpened, sum(byClass), "metrics and fake agree")
}
