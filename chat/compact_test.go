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

// compactCatalog returns a compact catalog of recs, loaded, and the store
// look-alike it reads.
func compactCatalog(t testing.TB, recs memRecords) (*Catalog, *storedRecords) {
	t.Helper()
	stored := newStoredRecords(recs)
	cat := NewCatalog(stored)
	_, err := cat.Reload(context.Background())
	require.NoError(t, err)
	return cat, stored
}

// newStoredRecords returns a store look-alike of recs.
func newStoredRecords(recs memRecords) *storedRecords {
	s := &storedRecords{memRecords: recs, byID: map[string]*attestation.Record{}}
	for _, r := range recs {
		s.byID[r.ID()] = r
	}
	return s
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
	stored := newStoredRecords(recs)
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

	for _, r := range catalogRecords(t, cat, recs) {
		for _, a := range r.Answers {
			require.True(t, searchTextKeys[a.Key], "%s keeps answer %s", r.ID(), a.Key)
		}
		for _, p := range r.Permissions {
			require.Empty(t, p.Collected+p.Stored, r.ID())
		}
		require.Empty(t, r.Statements, r.ID())
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

// TestSummaryWithoutStoreRead builds the summary card of every record, and
// of records changed to show every part of the card (failed controls, free
// text claims, SOC 2 details, an unreadable date, data statements), from
// the compact index's summary facts: the same card as from the whole
// record, and no store read.
func TestSummaryWithoutStoreRead(t *testing.T) {
	recs := variedRecords(t)
	cat, stored := compactCatalog(t, recs)
	ctx := context.Background()
	clock := cards.WithClock(func() time.Time { return time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC) })
	n := 0
	for _, whole := range recs {
		if whole.Type != attestation.PageApp {
			continue
		}
		res, ok := cat.App(whole.Kind, whole.Slug)
		require.True(t, ok, whole.ID())
		slimRec := res.Record(whole.Locale)
		require.Equal(t, whole.ID(), slimRec.ID())
		for _, lang := range []string{"en-US", "fr-FR"} {
			b := cards.New(clock).For(lang).WithLocales(res.Locales)
			compact := cat.summaryCard(ctx, slimRec, func(view *attestation.Record) *cards.AdaptiveCard {
				require.NotSame(t, whole, view)
				return b.Summary(view)
			})
			require.JSONEq(t, cardJSON(t, b.Summary(whole)), cardJSON(t, compact), "%s in %s", whole.ID(), lang)
		}
		n++
	}
	require.Greater(t, n, 60)
	require.Zero(t, stored.reads.Load(), "summary cards read no whole record")
}

func cardsClaim(key string) bool {
	for _, cl := range append(append([]attestation.Claim(nil), attestation.KeyClaims...), attestation.MoreClaims...) {
		if cl.Key == key {
			return true
		}
	}
	return false
}

// variedRecords returns the sample records and, for every other app,
// a copy changed to show every part of the summary card (failed controls,
// free text claims, SOC 2 details, an unreadable date, data statements).
func variedRecords(t *testing.T) memRecords {
	t.Helper()
	recs := sampleRecords(t)
	for i, r := range recs {
		if r.Type != attestation.PageApp || i%2 == 1 {
			continue
		}
		c := *r
		c.Slug += "-varied"
		c.Answers = append([]attestation.Answer(nil), r.Answers...)
		for j := range c.Answers {
			a := &c.Answers[j]
			switch {
			case j%7 == 3:
				a.Value = attestation.ValueFail
			case a.Key == "comp.soc2":
				a.Value = attestation.ValueYes
			case a.Key == "comp.soc2_type", a.Key == "comp.soc2_latest_cert_date":
				a.Text = "Type II " + a.Key
			case j%5 == 0 && cardsClaim(a.Key):
				a.Value, a.Text = attestation.ValueText, "Only in the EU, see our trust centre "+a.Key
			}
		}
		c.Answers = append(c.Answers,
			attestation.Answer{Key: "comp.soc2", Section: attestation.SectionCompliance, Value: attestation.ValueYes},
			attestation.Answer{Key: "comp.soc2_type", Section: attestation.SectionCompliance, Value: attestation.ValueText, Text: "Type 2"},
			attestation.Answer{Label: "An unmapped row", Section: attestation.SectionSecurity, Value: attestation.ValueFail, PageLabel: "Une ligne"})
		c.UpdatedRaw = "sometime in spring"
		c.Updated = attestation.Date{}
		c.Statements = []attestation.Statement{{Anchor: "telemetry", Text: "We collect nothing."}}
		recs = append(recs, &c)
	}
	return recs
}

// TestSummaryCardPooledRecord builds the summary card of every record of
// variedRecords, in two languages, from records the compact catalog
// rebuilds and gives back to its pool (cleared) after each card, and only
// then encodes them: each is the card built from the whole record, so no
// card keeps a pointer into the record it was built from.
func TestSummaryCardPooledRecord(t *testing.T) {
	recs := variedRecords(t)
	cat, stored := compactCatalog(t, recs)
	ctx := context.Background()
	clock := cards.WithClock(func() time.Time { return time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC) })
	type built struct {
		name       string
		want, card *cards.AdaptiveCard
	}
	var all []built
	for _, whole := range recs {
		if whole.Type != attestation.PageApp {
			continue
		}
		res, ok := cat.App(whole.Kind, whole.Slug)
		require.True(t, ok, whole.ID())
		for _, lang := range []string{"en-US", "fr-FR"} {
			b := cards.New(clock).For(lang).WithLocales(res.Locales)
			all = append(all, built{whole.ID() + " in " + lang, b.Summary(whole), cat.summaryCard(ctx, res.Record(whole.Locale), b.Summary)})
		}
	}
	require.Greater(t, len(all), 120)
	for _, c := range all {
		require.Equal(t, cardJSON(t, c.want), cardJSON(t, c.card), c.name)
	}
	require.Zero(t, stored.reads.Load(), "summary cards read no whole record")
}
