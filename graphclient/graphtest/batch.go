package graphtest

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
)

// MaxBatchRequests is the most requests one JSON batch may carry, as Graph
// enforces.
const MaxBatchRequests = 20

// batchBody is a JSON batch request (POST /v1.0/$batch).
type batchBody struct {
	Requests []struct {
		ID        string            `json:"id"`
		Method    string            `json:"method"`
		URL       string            `json:"url"`
		Headers   map[string]string `json:"headers"`
		Body      json.RawMessage   `json:"body"`
		DependsOn []string          `json:"dependsOn"`
	} `json:"requests"`
}

// batchAnswer is one response of a JSON batch.
type batchAnswer struct {
	ID      string            `json:"id"`
	Status  int               `json:"status"`
	Headers map[string]string `json:"headers,omitempty"`
	Body    any               `json:"body,omitempty"`
}

// serveBatch answers a JSON batch: each request is served as if it had
// been sent alone with the batch's token (so programmed failures match
// their own paths, and each may be throttled on its own), and recorded
// with InBatch set. Like Graph, it refuses more than MaxBatchRequests
// requests, duplicate or empty IDs and nested batches, and answers 200
// with every response in the body.
func (s *Server) serveBatch(c *graphCtx) {
	var b batchBody
	if err := json.Unmarshal(c.body, &b); err != nil {
		badRequest(c, "invalid JSON batch body")
		return
	}
	switch n := len(b.Requests); {
	case n == 0:
		badRequest(c, "the batch has no requests")
		return
	case n > MaxBatchRequests:
		badRequest(c, "The number of requests in the batch exceeds the limit of "+strconv.Itoa(MaxBatchRequests)+".")
		return
	}
	ids := map[string]bool{}
	for _, r := range b.Requests {
		if r.ID == "" || ids[r.ID] {
			badRequest(c, "every request of a batch needs a unique id")
			return
		}
		ids[r.ID] = true
	}
	out := struct {
		Responses []batchAnswer `json:"responses"`
	}{Responses: make([]batchAnswer, 0, len(b.Requests))}
	for _, r := range b.Requests {
		out.Responses = append(out.Responses, s.serveBatched(c, r.ID, r.Method, r.URL, r.Body))
	}
	writeJSON(c.w, http.StatusOK, out)
}

// serveBatched serves one request of a batch and records it.
func (s *Server) serveBatched(c *graphCtx, id, method, rawURL string, body json.RawMessage) batchAnswer {
	if !strings.HasPrefix(rawURL, "/") {
		rawURL = "/" + rawURL
	}
	if method == "" {
		method = http.MethodGet
	}
	inner := bytes.TrimSpace(body)
	if bytes.Equal(inner, []byte("null")) {
		inner = nil
	}
	rec := Request{Method: method, Path: "/v1.0" + rawURL, Body: inner, InBatch: true, Tenant: c.tok.tenant}
	ans := s.serveInner(c, id, method, rawURL, inner, &rec)
	rec.Status = ans.Status
	s.mu.Lock()
	defer s.mu.Unlock()
	s.batched++
	if !s.recordDisabled {
		s.requests = append(s.requests, rec)
	}
	return ans
}

// serveInner runs one request of a batch through the Graph routes.
func (s *Server) serveInner(c *graphCtx, id, method, rawURL string, body []byte, rec *Request) batchAnswer {
	invalid := batchAnswer{ID: id, Status: http.StatusBadRequest,
		Body: map[string]any{"error": map[string]any{"code": "BadRequest", "message": "invalid request url in batch"}}}
	if strings.HasPrefix(rawURL, "/$batch") || strings.HasPrefix(rawURL, "/%24batch") || strings.Contains(rawURL, "://") {
		return invalid
	}
	req, err := http.NewRequestWithContext(c.r.Context(), method, s.URL+"/v1.0"+rawURL, bytes.NewReader(body))
	if err != nil {
		return invalid
	}
	req.Header.Set("Authorization", c.r.Header.Get("Authorization"))
	rec.Path, rec.RawQuery, rec.Header = req.URL.Path, req.URL.RawQuery, req.Header.Clone()
	w := httptest.NewRecorder()
	rec.Tenant = s.serveGraph(w, req, body)
	res := w.Result()
	ans := batchAnswer{ID: id, Status: res.StatusCode, Headers: map[string]string{}}
	for _, h := range []string{"Content-Type", "Retry-After"} {
		if v := res.Header.Get(h); v != "" {
			ans.Headers[h] = v
		}
	}
	if raw := w.Body.Bytes(); len(raw) > 0 {
		if strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") && json.Valid(raw) {
			ans.Body = json.RawMessage(raw)
		} else {
			ans.Body = base64.StdEncoding.EncodeToString(raw)
		}
	}
	return ans
}

// BatchedRequests returns how many requests arrived inside JSON batches
// so far (Counts counts each batch as one Graph call).
func (s *Server) BatchedRequests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.batched
}
