package chat

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"runtime"
	"sync"
	"testing"
	"time"
	"unsafe"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/cards"
	"github.com/attestbot/attestbot/internal/pack"
)

// TestSlimRecordsPointIntoTheirKeep walks every slim record of a compact
// catalog: the collector does not read the blocks they are in, so each
// string, slice and pointer in them must point into memory the catalog's
// Keep holds, or a collection could free it under them.
func TestSlimRecordsPointIntoTheirKeep(t *testing.T) {
	recs := sampleRecords(t)
	stored := newStoredRecords(recs)
	cat := NewCatalog(stored)
	// Collections while the catalog loads: the index's build reads answers
	// the slim records point to before trimAnswers packs the few kept.
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-stop:
				return
			default:
				runtime.GC()
			}
		}
	}()
	_, err := cat.Reload(context.Background())
	close(stop)
	<-done
	require.NoError(t, err)
	keep := cat.keep.Load()
	require.NotNil(t, keep)
	checked, kinds := 0, map[attestation.PageType]bool{}
	slims := catalogRecords(t, cat, recs)
	for _, r := range slims {
		require.True(t, keep.Holds(unsafe.Pointer(r), unsafe.Sizeof(*r)), "record %s", r.ID())
		checked += heldByKeep(t, keep, reflect.ValueOf(r).Elem(), r.ID())
		src := stored.byID[r.ID()]
		require.Equal(t, src.Name+src.Publisher+src.Slug, r.Name+r.Publisher+r.Slug)
		want, _ := src.Answer("sec.mfa_enabled_for")
		got, _ := r.Answer("sec.mfa_enabled_for")
		require.Equal(t, want.Text+string(want.Value), got.Text+string(got.Value), r.ID())
		kinds[r.Type] = true
	}
	require.Greater(t, checked, 10*len(recs), "pointers checked")
	require.Greater(t, len(slims), len(recs)*9/10, "records checked")
	// The azure-id pages and the answers kept are checked too.
	require.True(t, kinds[attestation.PageAzure], "azure-id pages checked")
}

// heldByKeep checks what v points to against keep, recursively, and
// returns the number of pointers checked.
func heldByKeep(t *testing.T, keep *pack.Keep, v reflect.Value, where string) int {
	t.Helper()
	n := 0
	switch v.Kind() {
	case reflect.String:
		if v.Len() > 0 {
			require.True(t, keep.Holds(unsafe.Pointer(unsafe.StringData(v.String())), uintptr(v.Len())), "%s: string %q", where, v.String())
			n++
		}
	case reflect.Slice:
		if v.Cap() > 0 {
			require.True(t, keep.Holds(v.UnsafePointer(), uintptr(v.Cap())*v.Type().Elem().Size()), "%s: %s", where, v.Type())
			n++
		}
		for i := range v.Len() {
			n += heldByKeep(t, keep, v.Index(i), where)
		}
	case reflect.Pointer:
		if !v.IsNil() {
			require.True(t, keep.Holds(v.UnsafePointer(), v.Type().Elem().Size()), "%s: %s", where, v.Type())
			n += 1 + heldByKeep(t, keep, v.Elem(), where)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			n += heldByKeep(t, keep, v.Field(i), where)
		}
	case reflect.Map, reflect.Interface, reflect.Func, reflect.Chan, reflect.UnsafePointer:
		require.True(t, v.IsNil(), "%s: a %s in a slim record", where, v.Kind())
	}
	return n
}

// catalogRecords returns the records of a catalog's index, each once: those
// of the apps of recs.
func catalogRecords(t *testing.T, cat *Catalog, recs []*attestation.Record) []*attestation.Record {
	var out []*attestation.Record
	seen := map[*attestation.Record]bool{}
	for _, r := range recs {
		res, ok := cat.App(r.Kind, r.Slug)
		if !ok {
			continue // an index page
		}
		for _, ir := range res.Records {
			if !seen[ir] {
				seen[ir] = true
				out = append(out, ir)
			}
		}
	}
	require.NotEmpty(t, out)
	return out
}

// TestSummaryCacheEmptiedByReload: a reload empties the summary cache,
// whose keys (slim records) would otherwise keep the previous catalog, all
// of its blocks, in memory.
func TestSummaryCacheEmptiedByReload(t *testing.T) {
	recs := sampleRecords(t)
	cat, _ := compactCatalog(t, recs)
	ctx := context.Background()
	s := NewService(cat, cards.New())
	first := s.Text(ctx, user, "plumm")
	require.Same(t, first, s.Text(ctx, user, "plumm"), "cached")
	old := cat.keep.Load()
	_, err := cat.Reload(ctx)
	require.NoError(t, err)
	require.NotSame(t, old, cat.keep.Load())
	again := s.Text(ctx, user, "plumm")
	require.NotSame(t, first, again, "built again from the new catalog")
	require.Equal(t, cardJSON(t, first), cardJSON(t, again))
	s.summaries.mu.Lock()
	defer s.summaries.mu.Unlock()
	require.Len(t, s.summaries.m, 1)
	for k := range s.summaries.m {
		require.True(t, cat.keep.Load().Holds(unsafe.Pointer(k.rec), unsafe.Sizeof(*k.rec)), "a record of the new catalog")
	}
}

// TestReloadWhileAnswering reloads a compact catalog again and again while
// other goroutines answer questions and the collector runs: a turn that
// still holds records of a replaced catalog reads them whole (its blocks
// live as long as a record of it is reachable), and every answer is the
// one a quiet catalog gives.
func TestReloadWhileAnswering(t *testing.T) {
	recs := sampleRecords(t)
	cat, _ := compactCatalog(t, recs)
	ctx := context.Background()
	s := NewService(cat, cards.New(cards.WithClock(func() time.Time { return time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC) })))
	questions := []string{"plumm", "show plumm permissions", "compare plumm and saberr", "apps with hipaa"}
	want := make([]string, len(questions))
	for i, q := range questions {
		want[i] = cardJSON(t, s.Text(ctx, user, q))
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for w := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				q := (i + w) % len(questions)
				b, err := json.Marshal(s.Text(ctx, user, questions[q]))
				if err == nil && string(b) != want[q] {
					err = fmt.Errorf("%q answered differently during reloads", questions[q])
				}
				if err != nil {
					errs <- err
					return
				}
				if i%16 == 0 {
					runtime.GC()
				}
			}
		}()
	}
	for range 8 {
		_, err := cat.Reload(ctx)
		require.NoError(t, err)
		runtime.GC()
	}
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
}
