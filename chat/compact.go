package chat

import (
	"context"
	"log/slog"
	"sync"

	"github.com/attestbot/attestbot/attestation"
)

// RecordGetter reads one whole record by ID (store.Store does). A
// [RecordSource] that also implements it gets a compact catalog: the index
// holds only what search, filters and result lists read, and the cards read
// the whole record, with the publisher's free text, from the store when they
// need it.
type RecordGetter interface {
	GetRecord(ctx context.Context, id string) (*attestation.Record, error)
}

// searchTextKeys are the answers whose text the index reads after it is
// built: the MFA filter reads it on every search.
var searchTextKeys = map[string]bool{"sec.mfa_enabled_for": true}

// buildTextKeys are the answers whose text the index reads while it is
// built (the places of the storage and headquarters filters).
var buildTextKeys = map[string]bool{
	attestation.KeyStorageLocation: true, attestation.KeyHQLocation: true, "sec.mfa_enabled_for": true,
}

// slim returns the part of r the index and the result lists read: names,
// IDs, links, dates, certification, permissions without their
// justifications, and the keyed answers without their text (the index keeps
// their values in its answer table). Statements, services, warnings, page
// labels and the publisher's free text stay in the store.
func slim(in attestation.Interner, r *attestation.Record) *attestation.Record {
	s := &attestation.Record{
		Slug: r.Slug, Kind: in.String(r.Kind), Type: attestation.PageType(in.String(string(r.Type))),
		Locale: in.String(r.Locale), Path: r.Path, Name: r.Name, Anchor: r.Anchor,
		AppSourceID: r.AppSourceID, TeamsAppID: r.TeamsAppID, Publisher: in.String(r.Publisher),
		Certification: attestation.Certification(in.String(string(r.Certification))),
		Updated:       r.Updated, Links: r.Links, Azure: r.Azure,
	}
	if n := len(r.Permissions); n > 0 {
		s.Permissions = make([]attestation.Permission, n)
		for i, p := range r.Permissions {
			s.Permissions[i] = attestation.Permission{Name: in.String(p.Name), RawName: in.String(p.RawName),
				Type: attestation.PermissionType(in.String(string(p.Type))), EntraAppID: in.String(p.EntraAppID)}
		}
	}
	n := 0
	for _, a := range r.Answers {
		if a.Key != "" {
			n++
		}
	}
	if n > 0 {
		s.Answers = make([]attestation.Answer, 0, n)
		for _, a := range r.Answers {
			if a.Key == "" {
				continue
			}
			c := attestation.Answer{Key: in.String(a.Key), Section: attestation.Section(in.String(string(a.Section))),
				Value: attestation.Value(in.String(string(a.Value)))}
			if buildTextKeys[a.Key] {
				c.Text = a.Text
			}
			s.Answers = append(s.Answers, c)
		}
	}
	return s
}

// trimAnswers drops the answers the built index no longer reads from r.
func trimAnswers(r *attestation.Record) {
	var kept []attestation.Answer
	for _, a := range r.Answers {
		if searchTextKeys[a.Key] {
			kept = append(kept, a)
		}
	}
	r.Answers = kept
}

// fullCache keeps the whole records read last, by indexed record.
type fullCache struct {
	mu sync.Mutex
	m  map[*attestation.Record]*attestation.Record
}

// fullCacheSize bounds the whole records kept (about 25 KB each).
const fullCacheSize = 256

func (c *fullCache) get(r *attestation.Record) (*attestation.Record, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	f, ok := c.m[r]
	return f, ok
}

func (c *fullCache) put(r, full *attestation.Record) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= fullCacheSize {
		c.m = make(map[*attestation.Record]*attestation.Record, fullCacheSize)
	}
	c.m[r] = full
}

func (c *fullCache) reset() {
	c.mu.Lock()
	c.m = nil
	c.mu.Unlock()
}

// Full returns the whole record of r, a record of the index: r itself when
// the catalog keeps whole records, else the stored record (cached). When
// the store cannot be read, it logs and returns r, whose cards then lack
// the free text.
func (c *Catalog) Full(ctx context.Context, r *attestation.Record) *attestation.Record {
	if r == nil || c.get == nil {
		return r
	}
	if f, ok := c.full.get(r); ok {
		return f
	}
	f, err := c.get.GetRecord(ctx, r.ID())
	if err != nil || f == nil {
		c.log.Warn("whole record not read, answering from the index", "record", r.ID(), "err", err)
		return r
	}
	c.full.put(r, f)
	return f
}

// discard is the logger of a catalog built without one.
var discard = slog.New(slog.DiscardHandler)
