package connector

import (
	"bytes"
	"encoding/json"
	"io"
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

// payload is the JSON body of one call, shared by its attempts. Its buffer
// goes back to the pool when the call is done with it and the transport
// has closed every reader of it: a transport may close a request body
// after it returned the response, so neither alone is enough.
type payload struct {
	b    []byte
	refs atomic.Int32
}

// newPayload encodes in into a pooled buffer. The caller holds one
// reference and must release it.
func newPayload(in any) (*payload, error) {
	p := payloadPool.Get().(*payload)
	p.refs.Store(1)
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

// reader returns a new reader of the payload holding a reference, which
// its Close releases. It is only called while the call holds its own
// reference (a request's GetBody runs inside Do).
func (p *payload) reader() io.ReadCloser {
	p.refs.Add(1)
	r := &payloadReader{p: p}
	r.Reset(p.b)
	return r
}

// payloadReader reads a payload; Close releases its reference once.
type payloadReader struct {
	bytes.Reader
	p      *payload
	closed atomic.Bool
}

// Close releases the reader's reference to its payload.
func (r *payloadReader) Close() error {
	if r.closed.CompareAndSwap(false, true) {
		r.p.release()
	}
	return nil
}
