package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/bot/connector"
	"github.com/attestbot/attestbot/bot/schema"
)

// memTransport answers every connector call in memory with 201 {"id":"1"}
// and signals each call on done.
type memTransport struct{ done chan struct{} }

func (m memTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		_, _ = io.Copy(io.Discard, req.Body)
		_ = req.Body.Close()
	}
	m.done <- struct{}{}
	return &http.Response{
		StatusCode: http.StatusCreated,
		Header:     http.Header{"Content-Type": []string{"application/json"}},
		Body:       io.NopCloser(strings.NewReader(`{"id":"1"}`)),
		Request:    req,
	}, nil
}

// allowAll is a cheap Authenticator stub standing in for the JWT validator.
type allowAll struct{}

func (allowAll) AuthenticateHeader(context.Context, string) (func(string, string) error, error) {
	return func(string, string) error { return nil }, nil
}

// benchCard is the small card both benchmarks send.
var benchCard = json.RawMessage(`{"type":"AdaptiveCard","version":"1.5","body":[{"type":"TextBlock","text":"Plumm","weight":"Bolder"},` +
	`{"type":"FactSet","facts":[{"title":"Certification","value":"Publisher Attestation"}]}]}`)

// benchBody returns a Playground message with a fixed-width id whose digits
// start at the returned offset, and an authenticated-looking serviceUrl.
func benchBody(b *testing.B) ([]byte, int) {
	b.Helper()
	body := withField(b, fixtureBody(b, "message.json"), "id", "00000000000000000000")
	body = withField(b, body, "serviceUrl", "https://smba.trafficmanager.net/emea/")
	off := bytes.Index(body, []byte(`"00000000000000000000"`))
	require.Positive(b, off)
	return body, off + 1
}

// setID writes n as 20 zero-padded digits at off.
func setID(body []byte, off, n int) {
	var buf [20]byte
	s := strconv.AppendInt(buf[:0], int64(n), 10)
	copy(body[off:off+20], "00000000000000000000")
	copy(body[off+20-len(s):off+20], s)
}

// BenchmarkInboundTurn measures the whole inbound path of a message through
// the Echo handler (no sockets): envelope, decode, a stub authenticator,
// trust recording, routing, built-in middleware (logging, recovery, tenant,
// dedup), the worker pool, a handler building a small card reply, and the
// connector client (trust check, JSON encode, retry loop) posting it to an
// in-memory transport. Each iteration waits for the reply to be posted.
func BenchmarkInboundTurn(b *testing.B) { benchInbound(b, nil) }

// BenchmarkInboundTurn_Reference is BenchmarkInboundTurn with a conversation
// store: every personal message refreshes the user's reference, which costs
// a store write only when it changed (here: once); writes/op reports it.
func BenchmarkInboundTurn_Reference(b *testing.B) {
	st := newMemStore()
	benchInbound(b, st)
	b.ReportMetric(float64(st.putCount())/float64(b.N), "writes/op")
}

func benchInbound(b *testing.B, st ConversationStore) {
	done := make(chan struct{}, 1)
	r := NewRouter()
	r.OnDefaultMessage(func(ctx context.Context, t *Turn) error {
		_, err := t.Reply(ctx, "", schema.NewAdaptiveCardAttachment(benchCard))
		return err
	})
	opts := []Option{WithAuthenticator(allowAll{}), WithTokenSource(fixedToken("token")),
		WithConnectorOptions(connector.WithHTTPClient(&http.Client{Transport: memTransport{done: done}}))}
	if st != nil {
		opts = append(opts, WithConversationStore(st))
	}
	bot, err := New(Config{AppID: "app"}, r, opts...)
	require.NoError(b, err)
	h := bot
	body, off := benchBody(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		setID(body, off, i)
		req := httptest.NewRequest(http.MethodPost, PathMessages, bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer x")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
		<-done
	}
}

// BenchmarkBareEcho is the floor: a bare Echo handler that decodes the body
// and synchronously posts a fixed card to the same in-memory transport.
func BenchmarkBareEcho(b *testing.B) {
	done := make(chan struct{}, 1)
	client := &http.Client{Transport: memTransport{done: done}}
	e := echo.New()
	e.POST(PathMessages, func(c echo.Context) error {
		var a struct {
			Type         string `json:"type"`
			ID           string `json:"id"`
			ServiceURL   string `json:"serviceUrl"`
			Conversation struct {
				ID string `json:"id"`
			} `json:"conversation"`
			From      json.RawMessage `json:"from"`
			Recipient json.RawMessage `json:"recipient"`
		}
		if err := json.NewDecoder(c.Request().Body).Decode(&a); err != nil {
			return c.NoContent(http.StatusBadRequest)
		}
		reply, err := json.Marshal(map[string]any{
			"type": "message", "from": a.Recipient, "recipient": a.From, "replyToId": a.ID,
			"attachments": []map[string]any{{"contentType": schema.ContentTypeAdaptiveCard, "content": benchCard}},
		})
		if err != nil {
			return err
		}
		url := strings.TrimRight(a.ServiceURL, "/") + "/v3/conversations/" + a.Conversation.ID + "/activities/" + a.ID
		req, err := http.NewRequestWithContext(c.Request().Context(), http.MethodPost, url, bytes.NewReader(reply))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
		return c.NoContent(http.StatusOK)
	})
	body, off := benchBody(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		setID(body, off, i)
		req := httptest.NewRequest(http.MethodPost, PathMessages, bytes.NewReader(body))
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
		<-done
	}
}
