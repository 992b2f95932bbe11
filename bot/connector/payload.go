package connector

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http/httptrace"
	"sync"
	"sync/atomic"
)

// jsonAppender is a request body that appends its JSON to a buffer (an
// activity), so that the buffer can come from a pool.
type jsonAppender interface {
	AppendJSON(dst []byte) ([]byte, error)
}

// maxPooledPayload is the largest buffer kept for reuse: a reply with the
// largest card Teams accepts (40 KB) and its envelope.
const maxPooledPayload = 64 << 10

var payloadPool = sync.Pool{New: func() any { return new(payload) }}

// payload is the JSON body of one call, shared by its attempts.
//
// Each request gets the body as io.NopCloser over a *bytes.Reader, the one
// shape net/http treats as in memory: it then writes the headers and the
// body in one write, copied straight from the buffer. Any other reader
// makes it flush the headers on their own (one more write and TLS record)
// and copy the body through a buffer the size of the body, allocated for
// every request. Such a body's Close tells nothing, so the transport's
// word that a body has been read comes from httptrace's WroteRequest: a
// request written without error has read its body to the end, and the
// transport reads that body no more (a retry takes a new one from
// GetBody). The buffer goes back to the pool when the call is done with it
// and every body handed out has been written whole; a body whose write
// failed keeps its buffer out of the pool for good, and the collector
// takes it.
type payload struct {
	b    []byte
	refs atomic.Int32 // the call's own reference and one per unwritten body
	// unwritten counts the bodies handed out and not yet written whole; it
	// bounds the references WroteRequest drops (a request that follows a
	// redirect without a body is written too).
	unwritten atomic.Int32
}

// newPayload encodes in into a pooled buffer. The caller holds one
// reference and must release it.
func newPayload(in any) (*payload, error) {
	p := payloadPool.Get().(*payload)
	p.refs.Store(1)
	p.unwritten.Store(0)
	var err error
	if a, ok := in.(jsonAppender); ok {
		p.b, err = a.AppendJSON(p.b[:0])
	} else {
		var b []byte
		b, err = json.Marshal(in)
		p.b = append(p.b[:0], b...)
	}
	if err != nil {
		p.release()
		return nil, err
	}
	return p, nil
}

// release drops one reference; the last one returns the buffer.
func (p *payload) release() {
	if p.refs.Add(-1) != 0 {
		return
	}
	if cap(p.b) > maxPooledPayload {
		p.b = nil
	}
	p.b = p.b[:0]
	payloadPool.Put(p)
}

// body returns a new request body over the payload, holding a reference
// until a request is written whole. It is only called while the call holds
// its own reference (a request's GetBody runs inside Do).
func (p *payload) body() io.ReadCloser {
	p.refs.Add(1)
	p.unwritten.Add(1)
	return io.NopCloser(bytes.NewReader(p.b))
}

// wrote is the WroteRequest hook of the call's requests.
func (p *payload) wrote(info httptrace.WroteRequestInfo) {
	if info.Err != nil {
		return
	}
	for {
		n := p.unwritten.Load()
		if n <= 0 {
			return
		}
		if p.unwritten.CompareAndSwap(n, n-1) {
			p.release()
			return
		}
	}
}

// traced returns ctx with the payload's WroteRequest hook (joined to any
// trace ctx already has).
func (p *payload) traced(ctx context.Context) context.Context {
	return httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{WroteRequest: p.wrote})
}
