package chat

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/cards"
)

// storedRecords is a store look-alike: it lists records and reads one by
// ID, counting the reads.
type storedRecords struct {
	memRecords
	byID  map[string]*attestation.Record
	reads atomic.Int64
	fail  atomic.Bool
}

func (s *storedRecords) GetRecord(_ context.Context, id string) (*attestation.Record, error) {
	s.reads.Add(1)
	if s.fail.Load() {
		return nil, errors.New("store down")
	}
	r, ok := s.byID[id]
	if !ok {
		return nil, errors.New("not found")
	}
	return r, nil
}

// TestCompactCatalogSameCards answers the same messages, buttons and
// queries from a catalog of whole records and from a compact one: the
// cards are the same, and the compact index holds no free text.
func TestCompactCatalogSameCards(t *testing.T) {
	recs := sampleRecords(t)
	stored := &storedRecords{memRecords: recs, byID: map[string]*attestation.Record{}}
	for _, r := range recs {
		stored.byID[r.ID()] = r
	}
	ctx := context.Background()
	clock := cards.WithClock(func() time.Time { return time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC) })
	newSvc := func(src RecordSource) (*Service, *Catalog) {
		cat := NewCatalog(src)
		n, err := cat.Reload(ctx)
		require.NoError(t, err)
		require.Equal(t, len(recs), n)
		return NewService(cat, cards.New(clock), WithAdmins([]string{"admin-1"})), cat
	}
	whole, _ := newSvc(recs)
	compact, cat := newSvc(stored)
	require.Nil(t, whole.cat.get, "an in-memory source keeps whole records")
	require.NotNil(t, cat.get)

	for _, res := range cat.Index().Search("", attestation.SearchOptions{Limit: -1}) {
		for _, r := range res.Records {
			for _, a := range r.Answers {
				require.True(t, searchTextKeys[a.Key], "%s keeps answer %s", r.ID(), a.Key)
			}
			for _, p := range r.Permissions {
				require.Empty(t, p.Collected+p.Stored, r.ID())
			}
			require.Empty(t, r.Statements, r.ID())
		}
	}

	texts := []string{
		"plumm", "plum", "WA200003326", "show plumm security", "plumm compliance", "show plumm permissions",
		"is plumm hipaa compliant?", "is plumm iso 27001 compliant?", "does plumm enforce mfa?",
		"compare plumm and saberr", "apps with hipaa and iso 27001", "who requests Mail.ReadWrite",
		"apps with mfa", "apps storing data in the EU", "certified teams apps", "what changed for plumm",
		"https://teams.microsoft.com/l/app/d66da813-3337-4f88-8e08-f01c0bbb8f34",
	}
	for _, locale := range []string{"en-US", "fr-FR"} {
		u := user
		u.Locale = locale
		for _, text := range texts {
			require.JSONEq(t, cardJSON(t, whole.Text(ctx, u, text)), cardJSON(t, compact.Text(ctx, u, text)), "%s: %s", locale, text)
		}
		res, ok := cat.App("teams", "plumm-health-ltd")
		require.True(t, ok)
		for _, d := range []cards.ActionData{
			{Verb: cards.VerbApp, Kind: res.Kind, Slug: res.Slug, Locale: "fr-FR"},
			{Verb: cards.VerbSection, Kind: res.Kind, Slug: res.Slug, Section: attestation.SectionData},
			{Verb: cards.VerbSection, Kind: res.Kind, Slug: res.Slug, Section: attestation.SectionPrivacy, Original: true},
			{Verb: cards.VerbPermissions, Kind: res.Kind, Slug: res.Slug},
		} {
			require.JSONEq(t, cardJSON(t, whole.Action(ctx, u, d)), cardJSON(t, compact.Action(ctx, u, d)), "%s: %+v", locale, d)
		}
		for _, q := range []string{"plumm", "hipaa", ""} {
			a, b := whole.Query(ctx, u, q, 5), compact.Query(ctx, u, q, 5)
			require.Len(t, b, len(a))
			for i := range a {
				ja, err := cards.Encode(a[i].Content)
				require.NoError(t, err)
				jb, err := cards.Encode(b[i].Content)
				require.NoError(t, err)
				require.JSONEq(t, string(ja), string(jb), "query %q", q)
			}
		}
	}
	require.Positive(t, stored.reads.Load())

	// A warm summary is answered from the cache without a store read.
	compact.Text(ctx, user, "plumm")
	before := stored.reads.Load()
	compact.Text(ctx, user, "plumm")
	require.Equal(t, before, stored.reads.Load())
}

func TestCompactCatalogStoreDown(t *testing.T) {
	recs := sampleRecords(t)
	stored := &storedRecords{memRecords: recs, byID: map[string]*attestation.Record{}}
	stored.fail.Store(true)
	cat := NewCatalog(stored)
	_, err := cat.Reload(context.Background())
	require.NoError(t, err)
	s := NewService(cat, cards.New())
	// The card still comes, from what the index holds.
	got := cardJSON(t, s.Text(context.Background(), user, "show plumm permissions"))
	require.Contains(t, got, "TeamsActivity.Send")
}
