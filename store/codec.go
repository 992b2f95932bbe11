package store

import (
	"bytes"
	"compress/flate"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/attestbot/attestbot/attestation"
)

// blobFormat is the first byte of every stored record revision: the JSON
// of the record compressed with raw DEFLATE (RFC 1951). Records are about
// 15 KB of repetitive JSON; compression cuts the bbolt file, the disk
// writes of an import and Redis memory about fivefold.
const blobFormat = 1

// encodedRecord is a record on its way to the store.
type encodedRecord struct {
	id string
	// json is the record's JSON.
	json []byte
	// sum is the SHA-256 of json: equal content, equal sum.
	sum [sha256.Size]byte
	// blob is blobFormat followed by the compressed JSON; it is only made
	// for records that are written (see compressRecords).
	blob []byte
}

var flateWriters = sync.Pool{New: func() any {
	w, _ := flate.NewWriter(nil, flate.BestSpeed) // BestSpeed is a valid level: no error
	return w
}}

var flateReaders = sync.Pool{New: func() any { return flate.NewReader(bytes.NewReader(nil)) }}

// validateRecords checks every record before anything is written, so that
// an invalid batch writes nothing.
func validateRecords(recs []*attestation.Record) error {
	for i, r := range recs {
		if r == nil {
			return fmt.Errorf("record %d is nil: %w", i, ErrInvalid)
		}
		if r.Locale == "" || r.Path == "" {
			return fmt.Errorf("record %d (%q): empty locale or path: %w", i, r.ID(), ErrInvalid)
		}
	}
	return nil
}

// encodeRecords marshals recs (validated) and hashes their JSON, in
// parallel.
func encodeRecords(recs []*attestation.Record) ([]encodedRecord, error) {
	out := make([]encodedRecord, len(recs))
	err := parallel(len(recs), func() (func(int) error, func()) {
		return func(i int) error {
			j, err := json.Marshal(recs[i])
			if err != nil {
				return fmt.Errorf("encode record %s: %w", recs[i].ID(), err)
			}
			out[i] = encodedRecord{id: recs[i].ID(), json: j, sum: sha256.Sum256(j)}
			return nil
		}, func() {}
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// compressRecords makes the blob of every record for which need is true,
// in parallel.
func compressRecords(recs []encodedRecord, need func(i int) bool) error {
	return parallel(len(recs), func() (func(int) error, func()) {
		w := flateWriters.Get().(*flate.Writer)
		var buf bytes.Buffer
		return func(i int) error {
			if !need(i) || recs[i].blob != nil {
				return nil
			}
			return compressRecord(&recs[i], w, &buf)
		}, func() { flateWriters.Put(w) }
	})
}

// compressRecord makes e.blob. w and buf are scratch space (w nil: one
// from the pool).
func compressRecord(e *encodedRecord, w *flate.Writer, buf *bytes.Buffer) error {
	if w == nil {
		w = flateWriters.Get().(*flate.Writer)
		defer flateWriters.Put(w)
	}
	if buf == nil {
		buf = new(bytes.Buffer)
	}
	buf.Reset()
	buf.WriteByte(blobFormat)
	w.Reset(buf)
	if _, err := w.Write(e.json); err != nil {
		return fmt.Errorf("compress record %s: %w", e.id, err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("compress record %s: %w", e.id, err)
	}
	e.blob = bytes.Clone(buf.Bytes())
	return nil
}

// parallel calls fn(i) for every i in [0, n) on up to GOMAXPROCS
// goroutines and returns the first error. setup runs once per goroutine
// and returns its fn and a function called when the goroutine ends.
func parallel(n int, setup func() (fn func(i int) error, done func())) error {
	workers := min(runtime.GOMAXPROCS(0), n/32+1)
	var (
		next     atomic.Int64
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
	)
	for range workers {
		wg.Go(func() {
			fn, done := setup()
			defer done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				if err := fn(i); err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					return
				}
			}
		})
	}
	wg.Wait()
	return firstErr
}

// decodeBlob decodes a stored revision (blobFormat + compressed JSON).
func decodeBlob(id string, blob []byte) (*attestation.Record, error) {
	if len(blob) == 0 || blob[0] != blobFormat {
		return nil, fmt.Errorf("decode record %s: unknown stored format", id)
	}
	fr := flateReaders.Get().(io.ReadCloser)
	defer flateReaders.Put(fr)
	if err := fr.(flate.Resetter).Reset(bytes.NewReader(blob[1:]), nil); err != nil {
		return nil, fmt.Errorf("decode record %s: %w", id, err)
	}
	j, err := io.ReadAll(io.LimitReader(fr, maxRecordJSON+1))
	if err != nil {
		return nil, fmt.Errorf("decode record %s: decompress: %w", id, err)
	}
	if len(j) > maxRecordJSON {
		return nil, fmt.Errorf("decode record %s: larger than %d bytes", id, maxRecordJSON)
	}
	var r attestation.Record
	if err := json.Unmarshal(j, &r); err != nil {
		return nil, fmt.Errorf("decode record %s: %w", id, err)
	}
	return &r, nil
}

// maxRecordJSON bounds a decompressed record (a real one is about 15 KB).
const maxRecordJSON = 64 << 20
