package app

import (
	"bytes"
	"context"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/bot"
	"github.com/attestbot/attestbot/bot/auth/authtest"
	"github.com/attestbot/attestbot/bot/connector"
	"github.com/attestbot/attestbot/cards"
	"github.com/attestbot/attestbot/chat"
	"github.com/attestbot/attestbot/internal/benchcpu"
	"github.com/attestbot/attestbot/internal/config"
	"github.com/attestbot/attestbot/sample"
	"github.com/attestbot/attestbot/store"
)

const (
	benchAppID      = "44444444-4444-4444-8444-444444444444"
	benchServiceURL = "https://smba.trafficmanager.net/emea/"
)

// memConnector answers every Bot Connector call in memory and signals it.
type memConnector struct{ done chan struct{} }

func (m memConnector) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		_, _ = io.Copy(io.Discard, req.Body)
		_ = req.Body.Close()
	}
	// As net/http's transport, say that the request was written.
	if t := httptrace.ContextClientTrace(req.Context()); t != nil && t.WroteRequest != nil {
		t.WroteRequest(httptrace.WroteRequestInfo{})
	}
	m.done <- struct{}{}
	return &http.Response{StatusCode: http.StatusCreated, Header: http.Header{"Content-Type": []string{"application/json"}},
		Body: io.NopCloser(strings.NewReader(`{"id":"1"}`)), Request: req}, nil
}

type staticToken string

func (s staticToken) Token(context.Context) (string, error) { return string(s), nil }

// benchMessage returns a Teams message asking for an app, with a
// 20-digit id whose digits start at the returned offset.
func benchMessage(text string) ([]byte, int) {
	body, _ := json.Marshal(map[string]any{
		"type": "message", "id": "00000000000000000000", "channelId": "msteams", "serviceUrl": benchServiceURL,
		"text": text, "locale": "en-US",
		"from":         map[string]any{"id": "29:user", "aadObjectId": "55555555-5555-4555-8555-555555555555", "name": "Alex"},
		"recipient":    map[string]any{"id": "28:" + benchAppID, "name": "attestbot"},
		"conversation": map[string]any{"id": "a:personal", "conversationType": "personal", "tenantId": "66666666-6666-4666-8666-666666666666"},
		"channelData":  map[string]any{"tenant": map[string]any{"id": "66666666-6666-4666-8666-666666666666"}},
	})
	return body, bytes.Index(body, []byte(`"00000000000000000000"`)) + 1
}

func setBenchID(body []byte, off, n int) {
	s := strconv.Itoa(n)
	copy(body[off:off+20], "00000000000000000000")
	copy(body[off+20-len(s):off+20], s)
}

// BenchmarkServeTurn is attestbot's whole inbound path with auth on: the
// channel token validated (RS256, warm key cache, endorsements,
// serviceurl), routing, a catalog lookup of "plumm" over the sample, the
// summary card built and posted to an in-memory Bot Connector.
func BenchmarkServeTurn(b *testing.B) {
	idp := authtest.NewServer(b)
	done := make(chan struct{}, 1)
	h := benchBot(b, idp, sampleCatalog(b), config.DefaultCardCache, done)
	body, off := benchMessage("plumm")
	postTurns(b, h, idp.AuthorizationHeader(b, benchAppID, benchServiceURL), [][]byte{body}, []int{off}, done)
}

// BenchmarkServeTurnNoCardCache is BenchmarkServeTurn with
// ATTESTBOT_CARD_CACHE=0: every turn builds and encodes the summary card,
// as the first question about an app does. The harness measures the same
// path end to end with that setting.
func BenchmarkServeTurnNoCardCache(b *testing.B) {
	idp := authtest.NewServer(b)
	done := make(chan struct{}, 1)
	h := benchBot(b, idp, sampleCatalog(b), 0, done)
	body, off := benchMessage("plumm")
	postTurns(b, h, idp.AuthorizationHeader(b, benchAppID, benchServiceURL), [][]byte{body}, []int{off}, done)
}

// benchBot is the bot as serve builds it for benchmarks: auth on against
// idp, the chat routes over cat, replies to an in-memory Bot Connector
// that signals done. cardCache is ATTESTBOT_CARD_CACHE.
func benchBot(b *testing.B, idp *authtest.Server, cat *chat.Catalog, cardCache int, done chan struct{}) http.Handler {
	b.Helper()
	return benchBotWith(b, idp, cat, cardCache, &http.Client{Transport: memConnector{done: done}})
}

// benchBotWith is benchBot replying through client.
func benchBotWith(b *testing.B, idp *authtest.Server, cat *chat.Catalog, cardCache int, client *http.Client) http.Handler {
	b.Helper()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	router := bot.NewRouter()
	NewRoutes(chat.NewService(cat, cards.New(), chat.WithSummaryCache(cardCache)), quiet, cardCache).Register(router)
	bt, err := bot.New(bot.Config{AppID: benchAppID}, router,
		bot.WithAuthenticator(idp.Validator(b, benchAppID)), bot.WithTokenSource(staticToken("t")), bot.WithLogger(quiet),
		bot.WithConnectorOptions(connector.WithHTTPClient(client)))
	require.NoError(b, err)
	return bt
}

// postTurns posts the messages of asks in turn (each with a fresh
// activity ID at its offset in offs) to h, waits for each reply to reach
// the connector, and reports the process CPU per turn.
func postTurns(b *testing.B, h http.Handler, header string, asks [][]byte, offs []int, done <-chan struct{}) {
	b.Helper()
	b.ReportAllocs()
	cpu := benchcpu.Start()
	n := 0
	for i := 0; b.Loop(); i++ {
		n++
		body := asks[i%len(asks)]
		setBenchID(body, offs[i%len(asks)], i)
		req := httptest.NewRequest(http.MethodPost, "/api/messages", bytes.NewReader(body))
		req.Header.Set("Authorization", header)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
		<-done
	}
	cpu.Report(b, n, time.Nanosecond)
}

// BenchmarkBareEchoJWT is the floor the issue compares with: a bare Echo
// handler that only verifies the JWT (RS256 signature with a known key) and
// posts a fixed card: the same Plumm summary card, encoded once beforehand.
func BenchmarkBareEchoJWT(b *testing.B) {
	idp := authtest.NewServer(b)
	done := make(chan struct{}, 1)
	e := bareEcho(b, &http.Client{Transport: memConnector{done: done}})
	body, off := benchMessage("plumm")
	postTurns(b, e, idp.AuthorizationHeader(b, benchAppID, benchServiceURL), [][]byte{body}, []int{off}, done)
}

// bareEcho is the bare bot of BenchmarkBareEchoJWT, posting its replies
// with client.
func bareEcho(b *testing.B, client *http.Client) *echo.Echo {
	b.Helper()
	key := &authtest.RSAKey(b, 0).PublicKey
	res, ok := sampleCatalog(b).App("teams", "plumm-health-ltd")
	require.True(b, ok)
	fixed, err := cards.Encode(cards.New().Summary(res.Record("fr-FR")))
	require.NoError(b, err)
	card := json.RawMessage(fixed)
	e := echo.New()
	e.POST("/api/messages", func(c echo.Context) error {
		tok := strings.TrimPrefix(c.Request().Header.Get("Authorization"), "Bearer ")
		_, err := jwt.Parse(tok, func(*jwt.Token) (any, error) { return (*rsa.PublicKey)(key), nil },
			jwt.WithValidMethods([]string{"RS256"}), jwt.WithAudience(benchAppID), jwt.WithExpirationRequired())
		if err != nil {
			return c.NoContent(http.StatusUnauthorized)
		}
		var a struct {
			ID           string          `json:"id"`
			ServiceURL   string          `json:"serviceUrl"`
			From         json.RawMessage `json:"from"`
			Recipient    json.RawMessage `json:"recipient"`
			Conversation struct {
				ID string `json:"id"`
			} `json:"conversation"`
		}
		if err := json.NewDecoder(c.Request().Body).Decode(&a); err != nil {
			return c.NoContent(http.StatusBadRequest)
		}
		reply, _ := json.Marshal(map[string]any{"type": "message", "from": a.Recipient, "recipient": a.From, "replyToId": a.ID,
			"attachments": []map[string]any{{"contentType": "application/vnd.microsoft.card.adaptive", "content": card}}})
		req, _ := http.NewRequestWithContext(c.Request().Context(), http.MethodPost,
			strings.TrimRight(a.ServiceURL, "/")+"/v3/conversations/"+a.Conversation.ID+"/activities/"+a.ID, bytes.NewReader(reply))
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
		return c.NoContent(http.StatusOK)
	})
	return e
}

// sampleCatalog is the catalog of the bundled sample's current pages.
func sampleCatalog(tb testing.TB) *chat.Catalog {
	tb.Helper()
	recs, err := sample.ParseRecords()
	require.NoError(tb, err)
	cat := chat.NewCatalog(recs)
	_, err = cat.Reload(context.Background())
	require.NoError(tb, err)
	return cat
}

// BenchmarkServeTurnCacheMiss is BenchmarkServeTurn where every question is
// the first about its app: 2,000 apps in a bbolt store (compact catalog),
// asked in turn, so that each turn misses the summary and whole-record
// caches, reads the record from the store and builds its card.
func BenchmarkServeTurnCacheMiss(b *testing.B) {
	recs, err := sample.ParseRecords()
	require.NoError(b, err)
	var apps []*attestation.Record
	for _, r := range recs {
		if r.Type == attestation.PageApp {
			apps = append(apps, r)
		}
	}
	require.NotEmpty(b, apps)
	const copies = 2000
	var all []*attestation.Record
	var asks [][]byte
	var offs []int
	for i := range copies {
		c := *apps[i%len(apps)]
		c.Slug = fmt.Sprintf("%d-%s", i, c.Slug)
		c.Path = fmt.Sprintf("Apps/%s/%s.md", c.Kind, c.Slug)
		c.AppSourceID, c.TeamsAppID = "", ""
		all = append(all, &c)
		body, off := benchMessage(c.Kind + "/" + c.Slug)
		asks, offs = append(asks, body), append(offs, off)
	}
	st, err := store.OpenBolt(filepath.Join(b.TempDir(), "miss.db"), store.BoltOptions{NoSync: true})
	require.NoError(b, err)
	b.Cleanup(func() { _ = st.Close() })
	_, err = st.PutRecords(context.Background(), all)
	require.NoError(b, err)
	cat := chat.NewCatalog(st)
	_, err = cat.Reload(context.Background())
	require.NoError(b, err)

	idp := authtest.NewServer(b)
	done := make(chan struct{}, 1)
	h := benchBot(b, idp, cat, config.DefaultCardCache, done)
	postTurns(b, h, idp.AuthorizationHeader(b, benchAppID, benchServiceURL), asks, offs, done)
}
