// Package storetest is the contract test suite of store.Store: every
// backend runs the same [Run] suite, plus [BenchmarkPutRecords] for the
// catalog import. It also builds realistic records ([Record], [Records]).
package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/store"
)

// Run runs the contract suite. newStore must return a fresh, empty store
// for each call and register its own cleanup (Close).
func Run(t *testing.T, newStore func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		run  func(t *testing.T, s store.Store)
	}{
		{"Ping", testPing},
		{"Records_AddGetCount", testRecordsAdd},
		{"Records_Unchanged", testRecordsUnchanged},
		{"Records_UpdateKeepsPrevious", testRecordsUpdate},
		{"Records_Delete", testRecordsDelete},
		{"Records_BatchWithDuplicates", testRecordsDuplicates},
		{"Records_ManyBatches", testRecordsManyBatches},
		{"Records_IterateOrderErrorAndWrite", testRecordsIterate},
		{"Records_Invalid", testRecordsInvalid},
		{"Conversations", testConversations},
		{"Conversations_TenantIsolation", testConversationTenants},
		{"MarkSeen", testMarkSeen},
		{"MarkSeen_TTLExpiry", testMarkSeenExpiry},
		{"KV", testKV},
		{"KV_ScanPrefix", testKVScan},
		{"CanceledContext", testCanceled},
		{"Concurrent", testConcurrent},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.run(t, newStore(t))
		})
	}
}

// smallRecord is a record with two answers and one permission, for tests
// that need many records but not their bulk (the race detector slows
// compression down a lot).
func smallRecord(locale string, n int) *attestation.Record {
	slug := fmt.Sprintf("small-%05d", n)
	return &attestation.Record{
		Slug: slug, Kind: "teams", Type: attestation.PageApp, Locale: locale,
		Path: "Apps/teams/" + slug + ".md", Name: fmt.Sprintf("Small %d", n),
		AppSourceID: fmt.Sprintf("WA3000%05d", n), Certification: attestation.Attested,
		Answers: []attestation.Answer{
			{Key: "comp.hipaa", Label: "HIPAA", Section: attestation.SectionCompliance, Value: attestation.ValueYes, Text: "Yes", Line: 10},
			{Key: "data.retention", Label: "Retention", Section: attestation.SectionData, Value: attestation.ValueText, Text: fmt.Sprintf("%d days", n%90), Line: 12},
		},
		Permissions: []attestation.Permission{{Name: "User.Read", Type: attestation.Delegated, Line: 20}},
		Warnings:    []attestation.Warning{},
	}
}

func smallRecords(n int) []*attestation.Record {
	out := make([]*attestation.Record, 0, n)
	for i := range n {
		out = append(out, smallRecord(Locales[i%len(Locales)], i/len(Locales)))
	}
	return out
}

// clone deep-copies a record through JSON, as a fresh parse would give.
func clone(t *testing.T, r *attestation.Record) *attestation.Record {
	t.Helper()
	b, err := json.Marshal(r)
	require.NoError(t, err)
	var c attestation.Record
	require.NoError(t, json.Unmarshal(b, &c))
	return &c
}

func testPing(t *testing.T, s store.Store) {
	require.NoError(t, s.Ping(t.Context()))
}

func testRecordsAdd(t *testing.T, s store.Store) {
	ctx := t.Context()
	recs := []*attestation.Record{Record("fr-FR", 1), Record("de-DE", 1), Record("fr-FR", 2)}
	res, err := s.PutRecords(ctx, recs)
	require.NoError(t, err)
	require.Equal(t, 3, res.Added)
	require.Equal(t, 0, res.Updated)
	require.Equal(t, 0, res.Unchanged)
	require.Equal(t, []string{recs[0].ID(), recs[1].ID(), recs[2].ID()}, res.AddedIDs)
	for _, r := range recs {
		got, err := s.GetRecord(ctx, r.ID())
		require.NoError(t, err)
		require.Equal(t, r, got)
		_, err = s.PreviousRecord(ctx, r.ID())
		require.ErrorIs(t, err, store.ErrNotFound)
	}
	n, err := s.CountRecords(ctx)
	require.NoError(t, err)
	require.Equal(t, 3, n)
	_, err = s.GetRecord(ctx, "fr-FR/Apps/teams/absent.md")
	require.ErrorIs(t, err, store.ErrNotFound)

	res, err = s.PutRecords(ctx, nil)
	require.NoError(t, err)
	require.Equal(t, store.PutResult{}, res)
}

func testRecordsUnchanged(t *testing.T, s store.Store) {
	ctx := t.Context()
	recs := Records(20)
	_, err := s.PutRecords(ctx, recs)
	require.NoError(t, err)
	again := make([]*attestation.Record, len(recs))
	for i, r := range recs {
		again[i] = clone(t, r)
	}
	res, err := s.PutRecords(ctx, again)
	require.NoError(t, err)
	require.Equal(t, store.PutResult{Unchanged: 20}, res)
	for _, r := range recs {
		_, err := s.PreviousRecord(ctx, r.ID())
		require.ErrorIs(t, err, store.ErrNotFound, "an unchanged put must not create a previous revision")
	}
}

func testRecordsUpdate(t *testing.T, s store.Store) {
	mutations := []struct {
		name   string
		mutate func(r *attestation.Record)
	}{
		{"answer value", func(r *attestation.Record) { r.Answers[3].Value = attestation.ValueNo; r.Answers[3].Text = "Non" }},
		{"permission added", func(r *attestation.Record) {
			r.Permissions = append(r.Permissions, attestation.Permission{Name: "Mail.Read", Type: attestation.Application})
		}},
		{"permission type", func(r *attestation.Record) { r.Permissions[0].Type = attestation.Both }},
		{"certification", func(r *attestation.Record) { r.Certification = attestation.Certified }},
		{"date", func(r *attestation.Record) { r.Updated.Day = 29 }},
		{"link", func(r *attestation.Record) { r.Links.Privacy = "https://example.com/new-privacy" }},
		{"publisher", func(r *attestation.Record) { r.Publisher = "New Owner Inc" }},
		{"metadata", func(r *attestation.Record) { r.Meta.SourceCommit = "0000" }},
	}
	ctx := t.Context()
	for i, m := range mutations {
		t.Run(m.name, func(t *testing.T) {
			orig := Record("fr-FR", 100+i)
			_, err := s.PutRecords(ctx, []*attestation.Record{orig})
			require.NoError(t, err)

			next := clone(t, orig)
			m.mutate(next)
			res, err := s.PutRecords(ctx, []*attestation.Record{next})
			require.NoError(t, err)
			require.Equal(t, store.PutResult{Updated: 1, UpdatedIDs: []string{orig.ID()}}, res)

			cur, err := s.GetRecord(ctx, orig.ID())
			require.NoError(t, err)
			require.Equal(t, next, cur)
			prev, err := s.PreviousRecord(ctx, orig.ID())
			require.NoError(t, err)
			require.Equal(t, orig, prev)

			// Re-putting the new revision changes nothing, previous stays.
			res, err = s.PutRecords(ctx, []*attestation.Record{clone(t, next)})
			require.NoError(t, err)
			require.Equal(t, store.PutResult{Unchanged: 1}, res)
			prev, err = s.PreviousRecord(ctx, orig.ID())
			require.NoError(t, err)
			require.Equal(t, orig, prev)

			// A third revision makes the second one previous.
			third := clone(t, next)
			third.Name = "Renamed"
			res, err = s.PutRecords(ctx, []*attestation.Record{third})
			require.NoError(t, err)
			require.Equal(t, 1, res.Updated)
			prev, err = s.PreviousRecord(ctx, orig.ID())
			require.NoError(t, err)
			require.Equal(t, next, prev)
		})
	}
	n, err := s.CountRecords(ctx)
	require.NoError(t, err)
	require.Equal(t, len(mutations), n)
}

func testRecordsDelete(t *testing.T, s store.Store) {
	ctx := t.Context()
	a, b := Record("fr-FR", 1), Record("fr-FR", 2)
	_, err := s.PutRecords(ctx, []*attestation.Record{a, b})
	require.NoError(t, err)
	a2 := clone(t, a)
	a2.Publisher = "Changed"
	_, err = s.PutRecords(ctx, []*attestation.Record{a2})
	require.NoError(t, err)

	require.NoError(t, s.DeleteRecord(ctx, a.ID()))
	_, err = s.GetRecord(ctx, a.ID())
	require.ErrorIs(t, err, store.ErrNotFound)
	prev, err := s.PreviousRecord(ctx, a.ID())
	require.NoError(t, err)
	require.Equal(t, a2, prev, "delete keeps the last revision as previous")
	n, err := s.CountRecords(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	var ids []string
	require.NoError(t, s.Records(ctx, func(r *attestation.Record) error { ids = append(ids, r.ID()); return nil }))
	require.Equal(t, []string{b.ID()}, ids)

	require.ErrorIs(t, s.DeleteRecord(ctx, a.ID()), store.ErrNotFound)
	require.ErrorIs(t, s.DeleteRecord(ctx, "xx-XX/none.md"), store.ErrNotFound)

	// The page comes back: added again, the deleted revision stays previous.
	res, err := s.PutRecords(ctx, []*attestation.Record{clone(t, a2)})
	require.NoError(t, err)
	require.Equal(t, store.PutResult{Added: 1, AddedIDs: []string{a.ID()}}, res)
	prev, err = s.PreviousRecord(ctx, a.ID())
	require.NoError(t, err)
	require.Equal(t, a2, prev)
	n, err = s.CountRecords(ctx)
	require.NoError(t, err)
	require.Equal(t, 2, n)
}

func testRecordsDuplicates(t *testing.T, s store.Store) {
	ctx := t.Context()
	first := Record("ja-JP", 7)
	second := clone(t, first)
	second.Name = "Second"
	res, err := s.PutRecords(ctx, []*attestation.Record{first, clone(t, first), second})
	require.NoError(t, err)
	require.Equal(t, store.PutResult{Added: 1, Unchanged: 1, Updated: 1,
		AddedIDs: []string{first.ID()}, UpdatedIDs: []string{first.ID()}}, res)
	cur, err := s.GetRecord(ctx, first.ID())
	require.NoError(t, err)
	require.Equal(t, second, cur)
	prev, err := s.PreviousRecord(ctx, first.ID())
	require.NoError(t, err)
	require.Equal(t, first, prev)
}

func testRecordsManyBatches(t *testing.T, s store.Store) {
	ctx := t.Context()
	n := store.BatchSize + 37 // two batches
	recs := smallRecords(n)
	res, err := s.PutRecords(ctx, recs)
	require.NoError(t, err)
	require.Equal(t, n, res.Added)
	require.Len(t, res.AddedIDs, n)
	count, err := s.CountRecords(ctx)
	require.NoError(t, err)
	require.Equal(t, n, count)

	// Change every 100th record, across batch boundaries.
	var changed []string
	for i := 0; i < n; i += 100 {
		recs[i] = clone(t, recs[i])
		recs[i].Answers[0].Value = attestation.ValueUnanswered
		recs[i].Answers[0].Text = "changed"
		changed = append(changed, recs[i].ID())
	}
	res, err = s.PutRecords(ctx, recs)
	require.NoError(t, err)
	require.Equal(t, len(changed), res.Updated)
	require.Equal(t, n-len(changed), res.Unchanged)
	require.Equal(t, changed, res.UpdatedIDs)
}

func testRecordsIterate(t *testing.T, s store.Store) {
	ctx := t.Context()
	recs := smallRecords(300) // more than one bbolt scan page
	_, err := s.PutRecords(ctx, recs)
	require.NoError(t, err)

	var ids []string
	want := map[string]*attestation.Record{}
	for _, r := range recs {
		want[r.ID()] = r
	}
	err = s.Records(ctx, func(r *attestation.Record) error {
		require.Equal(t, want[r.ID()], r)
		ids = append(ids, r.ID())
		// fn may write to the store while iterating.
		return s.Put(ctx, "visited", r.ID(), []byte("1"))
	})
	require.NoError(t, err)
	require.Len(t, ids, len(recs))
	require.True(t, slices.IsSorted(ids), "Records yields records in ID order")

	stop := errors.New("stop")
	calls := 0
	err = s.Records(ctx, func(*attestation.Record) error {
		calls++
		if calls == 5 {
			return stop
		}
		return nil
	})
	require.ErrorIs(t, err, stop)
	require.Equal(t, 5, calls)

	visited := 0
	require.NoError(t, s.Scan(ctx, "visited", "", func(string, []byte) error { visited++; return nil }))
	require.Equal(t, len(recs), visited)
}

func testRecordsInvalid(t *testing.T, s store.Store) {
	ctx := t.Context()
	noLocale := Record("fr-FR", 1)
	noLocale.Locale = ""
	noPath := Record("fr-FR", 2)
	noPath.Path = ""
	cases := []struct {
		name string
		recs []*attestation.Record
	}{
		{"nil record", []*attestation.Record{Record("fr-FR", 3), nil}},
		{"empty locale", []*attestation.Record{noLocale}},
		{"empty path", []*attestation.Record{noPath}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.PutRecords(ctx, tc.recs)
			require.ErrorIs(t, err, store.ErrInvalid)
		})
	}
	n, err := s.CountRecords(ctx)
	require.NoError(t, err)
	require.Equal(t, 0, n, "an invalid batch writes nothing")

	_, err = s.GetRecord(ctx, "")
	require.ErrorIs(t, err, store.ErrInvalid)
	_, err = s.PreviousRecord(ctx, "")
	require.ErrorIs(t, err, store.ErrInvalid)
	require.ErrorIs(t, s.DeleteRecord(ctx, ""), store.ErrInvalid)
}

func conv(tenant, user, name string) store.ConversationRef {
	return store.ConversationRef{
		TenantID: tenant, UserID: user, UserName: name,
		ConversationID: "a:1" + tenant + user, ServiceURL: "https://smba.trafficmanager.net/emea/",
		ChannelID: "msteams", BotID: "28:bot", BotName: "attestbot",
		UpdatedAt: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC),
	}
}

func testConversations(t *testing.T, s store.Store) {
	ctx := t.Context()
	ref := conv("tenant-a", "29:alice", "Alice")
	require.NoError(t, s.PutConversation(ctx, ref))
	got, err := s.GetConversation(ctx, "tenant-a", "29:alice")
	require.NoError(t, err)
	require.Equal(t, ref, got)

	ref.ConversationID = "a:changed"
	ref.UpdatedAt = time.Time{}
	before := time.Now().UTC().Add(-time.Second)
	require.NoError(t, s.PutConversation(ctx, ref))
	got, err = s.GetConversation(ctx, "tenant-a", "29:alice")
	require.NoError(t, err)
	require.Equal(t, "a:changed", got.ConversationID)
	require.True(t, got.UpdatedAt.After(before), "a zero UpdatedAt is set to now")

	require.NoError(t, s.DeleteConversation(ctx, "tenant-a", "29:alice"))
	_, err = s.GetConversation(ctx, "tenant-a", "29:alice")
	require.ErrorIs(t, err, store.ErrNotFound)
	require.NoError(t, s.DeleteConversation(ctx, "tenant-a", "29:alice"), "delete is idempotent")
	require.NoError(t, s.DeleteConversation(ctx, "tenant-none", "29:alice"))

	invalid := []struct {
		name string
		ref  store.ConversationRef
	}{
		{"no tenant", conv("", "29:u", "U")},
		{"no user", conv("t", "", "U")},
	}
	for _, tc := range invalid {
		t.Run(tc.name, func(t *testing.T) {
			require.ErrorIs(t, s.PutConversation(ctx, tc.ref), store.ErrInvalid)
			_, err := s.GetConversation(ctx, tc.ref.TenantID, tc.ref.UserID)
			require.ErrorIs(t, err, store.ErrInvalid)
			require.ErrorIs(t, s.DeleteConversation(ctx, tc.ref.TenantID, tc.ref.UserID), store.ErrInvalid)
		})
	}
	err = s.Conversations(ctx, "", func(store.ConversationRef) error { return nil })
	require.ErrorIs(t, err, store.ErrInvalid)
}

func testConversationTenants(t *testing.T, s store.Store) {
	ctx := t.Context()
	// Tenant IDs that are prefixes of each other or contain separators
	// must not leak into each other.
	tenants := []string{"t1", "t1:x", "t", "t1/x", "t10"}
	for _, tenant := range tenants {
		for _, user := range []string{"29:shared", "29:only-" + tenant} {
			require.NoError(t, s.PutConversation(ctx, conv(tenant, user, tenant+" "+user)))
		}
	}
	for _, tenant := range tenants {
		t.Run(tenant, func(t *testing.T) {
			got, err := s.GetConversation(ctx, tenant, "29:shared")
			require.NoError(t, err)
			require.Equal(t, tenant, got.TenantID)
			require.Equal(t, tenant+" 29:shared", got.UserName)

			var users []string
			err = s.Conversations(ctx, tenant, func(r store.ConversationRef) error {
				require.Equal(t, tenant, r.TenantID, "a tenant's listing holds only its own references")
				users = append(users, r.UserID)
				return nil
			})
			require.NoError(t, err)
			require.Equal(t, []string{"29:only-" + tenant, "29:shared"}, users)

			for _, other := range tenants {
				if other == tenant {
					continue
				}
				_, err := s.GetConversation(ctx, tenant, "29:only-"+other)
				require.ErrorIs(t, err, store.ErrNotFound, "tenant %s must not see %s's user", tenant, other)
			}
		})
	}
	// Deleting in one tenant leaves the same user ID of another alone.
	require.NoError(t, s.DeleteConversation(ctx, "t1", "29:shared"))
	_, err := s.GetConversation(ctx, "t1:x", "29:shared")
	require.NoError(t, err)
	err = s.Conversations(ctx, "unknown-tenant", func(store.ConversationRef) error {
		return errors.New("no reference expected")
	})
	require.NoError(t, err)
}

func testMarkSeen(t *testing.T, s store.Store) {
	ctx := t.Context()
	steps := []struct {
		key  string
		want bool
	}{
		{"activity-1", true},
		{"activity-1", false},
		{"activity-2", true},
		{"activity-1", false},
		{"activity-2", false},
	}
	for i, st := range steps {
		first, err := s.MarkSeen(ctx, st.key, time.Hour)
		require.NoError(t, err)
		require.Equal(t, st.want, first, "step %d key %s", i, st.key)
	}
	invalid := []struct {
		key string
		ttl time.Duration
	}{{"", time.Minute}, {"k", 0}, {"k", -time.Second}}
	for _, tc := range invalid {
		_, err := s.MarkSeen(ctx, tc.key, tc.ttl)
		require.ErrorIs(t, err, store.ErrInvalid)
	}
}

func testMarkSeenExpiry(t *testing.T, s store.Store) {
	ctx := t.Context()
	const ttl = 150 * time.Millisecond
	first, err := s.MarkSeen(ctx, "short", ttl)
	require.NoError(t, err)
	require.True(t, first)
	first, err = s.MarkSeen(ctx, "long", time.Hour)
	require.NoError(t, err)
	require.True(t, first)
	first, err = s.MarkSeen(ctx, "short", ttl)
	require.NoError(t, err)
	require.False(t, first)

	time.Sleep(3 * ttl)
	first, err = s.MarkSeen(ctx, "short", ttl)
	require.NoError(t, err)
	require.True(t, first, "an expired key is new again")
	first, err = s.MarkSeen(ctx, "long", time.Hour)
	require.NoError(t, err)
	require.False(t, first, "an unexpired key stays seen")
}

func testKV(t *testing.T, s store.Store) {
	ctx := t.Context()
	_, err := s.Get(ctx, "subs", "k")
	require.ErrorIs(t, err, store.ErrNotFound)
	require.NoError(t, s.Delete(ctx, "subs", "k"), "deleting an absent key is not an error")

	cases := []struct {
		name  string
		key   string
		value []byte
	}{
		{"simple", "k", []byte("v1")},
		{"overwrite", "k", []byte("v2")},
		{"binary", "bin", []byte{0, 1, 2, 0xff, '\n'}},
		{"empty", "empty", []byte{}},
		{"nil", "nil", nil},
		{"unicode key", "clé:ü:日本", []byte("x")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			require.NoError(t, s.Put(ctx, "subs", tc.key, tc.value))
			got, err := s.Get(ctx, "subs", tc.key)
			require.NoError(t, err)
			require.Equal(t, len(tc.value), len(got))
			if len(tc.value) > 0 {
				require.Equal(t, tc.value, got)
			}
		})
	}
	// Buckets are separate.
	_, err = s.Get(ctx, "outbox", "k")
	require.ErrorIs(t, err, store.ErrNotFound)
	// The caller owns the returned value and the value it passed.
	v := []byte("abc")
	require.NoError(t, s.Put(ctx, "subs", "own", v))
	v[0] = 'X'
	got, err := s.Get(ctx, "subs", "own")
	require.NoError(t, err)
	require.Equal(t, []byte("abc"), got)

	require.NoError(t, s.Delete(ctx, "subs", "k"))
	_, err = s.Get(ctx, "subs", "k")
	require.ErrorIs(t, err, store.ErrNotFound)

	_, err = s.Get(ctx, "", "k")
	require.ErrorIs(t, err, store.ErrInvalid)
	require.ErrorIs(t, s.Put(ctx, "b", "", nil), store.ErrInvalid)
	require.ErrorIs(t, s.Delete(ctx, "", "k"), store.ErrInvalid)
	require.ErrorIs(t, s.Scan(ctx, "", "", func(string, []byte) error { return nil }), store.ErrInvalid)
}

func testKVScan(t *testing.T, s store.Store) {
	ctx := t.Context()
	keys := []string{"sub:a:1", "sub:a:2", "sub:b:1", "sub*x", "sub?y", "sub[z]", "sub\\w", "lease:sync", "outbox:0001", "outbox:0002", "su"}
	for _, k := range keys {
		require.NoError(t, s.Put(ctx, "area", k, []byte("v="+k)))
	}
	require.NoError(t, s.Put(ctx, "other", "sub:a:9", []byte("elsewhere")))
	// Enough keys to span several scan pages.
	for i := range 600 {
		require.NoError(t, s.Put(ctx, "big", fmt.Sprintf("item:%04d", i), []byte{byte(i)}))
	}
	cases := []struct {
		name, bucket, prefix string
		want                 []string
	}{
		{"all", "area", "", []string{"lease:sync", "outbox:0001", "outbox:0002", "su", "sub*x", "sub:a:1", "sub:a:2", "sub:b:1", "sub?y", "sub[z]", "sub\\w"}},
		{"prefix", "area", "sub:", []string{"sub:a:1", "sub:a:2", "sub:b:1"}},
		{"longer prefix", "area", "sub:a:", []string{"sub:a:1", "sub:a:2"}},
		{"glob star is literal", "area", "sub*", []string{"sub*x"}},
		{"glob question is literal", "area", "sub?", []string{"sub?y"}},
		{"glob bracket is literal", "area", "sub[", []string{"sub[z]"}},
		{"backslash is literal", "area", "sub\\", []string{"sub\\w"}},
		{"exact key as prefix", "area", "su", []string{"su", "sub*x", "sub:a:1", "sub:a:2", "sub:b:1", "sub?y", "sub[z]", "sub\\w"}},
		{"no match", "area", "zzz", nil},
		{"missing bucket", "none", "", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			err := s.Scan(ctx, tc.bucket, tc.prefix, func(k string, v []byte) error {
				require.Equal(t, "v="+k, string(v))
				got = append(got, k)
				return nil
			})
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
	t.Run("many pages", func(t *testing.T) {
		var got []string
		require.NoError(t, s.Scan(ctx, "big", "item:", func(k string, v []byte) error {
			require.Equal(t, []byte{byte(len(got))}, v)
			got = append(got, k)
			// fn may write to the store during a scan.
			return s.Put(ctx, "big-copy", k, v)
		}))
		require.Len(t, got, 600)
		require.True(t, slices.IsSorted(got))
	})
	t.Run("fn error stops", func(t *testing.T) {
		stop := errors.New("stop")
		calls := 0
		err := s.Scan(ctx, "big", "", func(string, []byte) error { calls++; return stop })
		require.ErrorIs(t, err, stop)
		require.Equal(t, 1, calls)
	})
}

func testCanceled(t *testing.T, s store.Store) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	noop := func(string, []byte) error { return nil }
	calls := []struct {
		name string
		call func() error
	}{
		{"PutRecords", func() error { _, err := s.PutRecords(ctx, Records(2)); return err }},
		{"GetRecord", func() error { _, err := s.GetRecord(ctx, "fr-FR/x"); return err }},
		{"Records", func() error { return s.Records(ctx, func(*attestation.Record) error { return nil }) }},
		{"CountRecords", func() error { _, err := s.CountRecords(ctx); return err }},
		{"PutConversation", func() error { return s.PutConversation(ctx, conv("t", "u", "n")) }},
		{"Conversations", func() error {
			return s.Conversations(ctx, "t", func(store.ConversationRef) error { return nil })
		}},
		{"MarkSeen", func() error { _, err := s.MarkSeen(ctx, "k", time.Minute); return err }},
		{"Put", func() error { return s.Put(ctx, "b", "k", nil) }},
		{"Scan", func() error { return s.Scan(ctx, "b", "", noop) }},
	}
	for _, c := range calls {
		t.Run(c.name, func(t *testing.T) {
			require.ErrorIs(t, c.call(), context.Canceled)
		})
	}
	n, err := s.CountRecords(t.Context())
	require.NoError(t, err)
	require.Equal(t, 0, n, "nothing was written under a canceled context")
}

func testConcurrent(t *testing.T, s store.Store) {
	ctx := t.Context()
	const workers = 8
	var wg sync.WaitGroup
	var firsts atomic.Int32
	errs := make(chan error, workers*4)
	for w := range workers {
		wg.Go(func() {
			recs := make([]*attestation.Record, 0, 20)
			for i := range 20 {
				if i%4 == 0 {
					recs = append(recs, Record(Locales[w%len(Locales)], w*100+i))
				} else {
					recs = append(recs, smallRecord(Locales[w%len(Locales)], w*100+i))
				}
			}
			if _, err := s.PutRecords(ctx, recs); err != nil {
				errs <- err
				return
			}
			for _, r := range recs {
				if _, err := s.GetRecord(ctx, r.ID()); err != nil {
					errs <- err
					return
				}
			}
			first, err := s.MarkSeen(ctx, "same-activity", time.Minute)
			if err != nil {
				errs <- err
				return
			}
			if first {
				firsts.Add(1)
			}
			tenant := fmt.Sprintf("tenant-%d", w%2)
			if err := s.PutConversation(ctx, conv(tenant, fmt.Sprintf("29:user-%d", w), "u")); err != nil {
				errs <- err
				return
			}
			for i := range 10 {
				if err := s.Put(ctx, "outbox", fmt.Sprintf("w%d:%02d", w, i), []byte("x")); err != nil {
					errs <- err
					return
				}
			}
			if err := s.Scan(ctx, "outbox", fmt.Sprintf("w%d:", w), func(string, []byte) error { return nil }); err != nil {
				errs <- err
			}
			if err := s.Records(ctx, func(*attestation.Record) error { return nil }); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	require.Equal(t, int32(1), firsts.Load(), "exactly one concurrent MarkSeen is first")
	n, err := s.CountRecords(ctx)
	require.NoError(t, err)
	require.Equal(t, workers*20, n)
	for tenant := range 2 {
		count := 0
		require.NoError(t, s.Conversations(ctx, fmt.Sprintf("tenant-%d", tenant), func(store.ConversationRef) error {
			count++
			return nil
		}))
		require.Equal(t, workers/2, count)
	}
	keys := 0
	require.NoError(t, s.Scan(ctx, "outbox", "", func(string, []byte) error { keys++; return nil }))
	require.Equal(t, workers*10, keys)
}

// BenchmarkPutRecords imports recs into a fresh store per iteration (made
// by newStore with the timer stopped, and closed after) and reports
// ns/op for the whole import, MB/s of record JSON and records/s.
func BenchmarkPutRecords(b *testing.B, newStore func(b *testing.B) store.Store, recs []*attestation.Record) {
	var size int64
	for _, r := range recs {
		j, err := json.Marshal(r)
		require.NoError(b, err)
		size += int64(len(j))
	}
	b.SetBytes(size)
	b.ReportAllocs()
	ctx := b.Context()
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		s := newStore(b)
		b.StartTimer()
		res, err := s.PutRecords(ctx, recs)
		b.StopTimer()
		require.NoError(b, err)
		require.Equal(b, len(recs), res.Added)
		require.NoError(b, s.Close())
		b.StartTimer()
	}
	b.StopTimer()
	b.ReportMetric(float64(len(recs))*float64(b.N)/b.Elapsed().Seconds(), "records/s")
}
