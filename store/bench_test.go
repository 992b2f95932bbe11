package store_test

import (
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/internal/redistest"
	"github.com/attestbot/attestbot/store"
	"github.com/attestbot/attestbot/store/storetest"
)

var (
	catalogOnce sync.Once
	catalog     []*attestation.Record
)

// catalog13000 is a full import: 1,300 apps in each of ten locales.
func catalog13000() []*attestation.Record {
	catalogOnce.Do(func() { catalog = storetest.Records(13000) })
	return catalog
}

// BenchmarkPutRecords13000 imports 13,000 realistic records (about 60
// answers and a few permissions each) into an empty store: bbolt with the
// default fsync per transaction, and a local redis-server.
func BenchmarkPutRecords13000(b *testing.B) {
	recs := catalog13000()
	b.Run("bolt", func(b *testing.B) {
		storetest.BenchmarkPutRecords(b, func(b *testing.B) store.Store {
			s, err := store.OpenBolt(filepath.Join(b.TempDir(), "bench.db"), store.BoltOptions{})
			require.NoError(b, err)
			return s
		}, recs)
	})
	b.Run("bolt-unchanged", func(b *testing.B) {
		s, err := store.OpenBolt(filepath.Join(b.TempDir(), "bench.db"), store.BoltOptions{})
		require.NoError(b, err)
		defer s.Close()
		_, err = s.PutRecords(b.Context(), recs)
		require.NoError(b, err)
		b.ReportAllocs()
		b.ResetTimer()
		for range b.N {
			res, err := s.PutRecords(b.Context(), recs)
			require.NoError(b, err)
			require.Equal(b, len(recs), res.Unchanged)
		}
	})
	b.Run("redis", func(b *testing.B) {
		srv := redistest.Start(b)
		storetest.BenchmarkPutRecords(b, func(b *testing.B) store.Store {
			_, err := redistest.Do(srv.Addr(), "FLUSHALL")
			require.NoError(b, err)
			s, err := store.Open(b.Context(), srv.URL())
			require.NoError(b, err)
			return s
		}, recs)
	})
}

// TestBolt_Import13000 imports a catalog of 13,000 records into bbolt and
// checks that a second import of the same catalog finds everything
// unchanged. Its speed is measured by BenchmarkPutRecords13000, not here.
func TestBolt_Import13000(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("imports 13,000 records: not in -short or -race runs")
	}
	recs := catalog13000()
	s, err := store.OpenBolt(filepath.Join(t.TempDir(), "import.db"), store.BoltOptions{})
	require.NoError(t, err)
	defer s.Close()
	ctx := t.Context()
	start := time.Now()
	res, err := s.PutRecords(ctx, recs)
	elapsed := time.Since(start)
	require.NoError(t, err)
	require.Equal(t, 13000, res.Added)
	t.Logf("imported 13,000 records in %s", elapsed)

	res, err = s.PutRecords(ctx, recs)
	require.NoError(t, err)
	require.Equal(t, 13000, res.Unchanged)
	n, err := s.CountRecords(ctx)
	require.NoError(t, err)
	require.Equal(t, 13000, n)
}

// BenchmarkOpenBolt13000 opens a store holding a full import: the
// consistency check of every page at open is paid here.
func BenchmarkOpenBolt13000(b *testing.B) {
	path := filepath.Join(b.TempDir(), "full.db")
	s, err := store.OpenBolt(path, store.BoltOptions{NoSync: true})
	require.NoError(b, err)
	_, err = s.PutRecords(b.Context(), catalog13000())
	require.NoError(b, err)
	require.NoError(b, s.Close())
	b.ReportAllocs()
	for b.Loop() {
		s, err := store.OpenBolt(path, store.BoltOptions{})
		require.NoError(b, err)
		require.NoError(b, s.Close())
	}
}
