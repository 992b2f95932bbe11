package catalogio

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/chat"
	"github.com/attestbot/attestbot/sample"
	"github.com/attestbot/attestbot/store"
)

// catalogOf13000 writes about 13,000 page files (the sample's current pages,
// each copied under new slugs, as in the ten public repositories) and
// returns their paths.
func catalogOf13000(tb testing.TB) []string {
	tb.Helper()
	dir := tb.TempDir()
	pages := sample.CurrentPages()
	copies := (13000 + len(pages) - 1) / len(pages)
	var files []string
	for _, p := range pages {
		data, err := fs.ReadFile(sample.FS(), p)
		require.NoError(tb, err)
		locale, rest, _ := strings.Cut(p, "/")
		kind, name, _ := strings.Cut(rest, "/")
		kind = strings.TrimSuffix(strings.TrimSuffix(kind, "-id"), "-index")
		n := copies
		if strings.HasSuffix(name, "-apps.md") {
			n = 1 // one index page per folder, as in the repositories
		}
		for i := 0; i < n; i++ {
			f := filepath.Join(dir, "OfficeDocs-AppCompliance-pr."+locale, "Apps", kind, fmt.Sprintf("%d-%s", i, name))
			if n == 1 {
				f = filepath.Join(dir, "OfficeDocs-AppCompliance-pr."+locale, "Apps", kind, name)
			}
			require.NoError(tb, os.MkdirAll(filepath.Dir(f), 0o755))
			// Make each copy's content differ so that no import is a no-op.
			require.NoError(tb, os.WriteFile(f, bytes.Replace(data, []byte("ms.topic:"), []byte(fmt.Sprintf("copy: %d\nms.topic:", i)), 1), 0o644))
			files = append(files, f)
		}
	}
	return files
}

// BenchmarkImport13000 imports about 13,000 pages into a new bbolt store:
// parse on every core, reconcile, store in batches. Target: under 10 s on a
// 2-core machine.
func BenchmarkImport13000(b *testing.B) {
	files := catalogOf13000(b)
	opts := ImportOptions{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		st, err := store.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
		require.NoError(b, err)
		srcs := make([]attestation.Source, len(files))
		for i, f := range files {
			srcs[i] = attestation.Source{File: f}
		}
		stats, err := Import(ctx, st, srcs, opts)
		require.NoError(b, err)
		require.Equal(b, len(files), stats.Records)
		require.NoError(b, st.Close())
	}
	b.ReportMetric(float64(len(files)), "pages/op")
}

// TestCatalogMemory13000 loads about 13,000 records into the searchable
// catalog and reports the heap it holds (target: under 150 MB).
func TestCatalogMemory13000(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("writes and parses 13,000 files: not in -short or -race runs (make bench runs it)")
	}
	files := catalogOf13000(t)
	var recs []*attestation.Record
	srcs := make([]attestation.Source, len(files))
	for i, f := range files {
		srcs[i] = attestation.Source{File: f}
	}
	err := attestation.ParseSources(context.Background(), srcs, func(_ attestation.Source, r *attestation.Record, err error) error {
		if err == nil {
			recs = append(recs, r)
		}
		return nil
	})
	require.NoError(t, err)
	require.Len(t, recs, len(files))
	require.Greater(t, len(recs), 12400)
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	cat := chat.NewCatalog(sample.Records(recs))
	_, err = cat.Reload(context.Background())
	require.NoError(t, err)
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	t.Logf("%d records: %.1f MB of heap with the search index (index alone %.1f MB)", len(recs),
		float64(after.HeapAlloc)/(1<<20), float64(after.HeapAlloc-before.HeapAlloc)/(1<<20))
	require.Less(t, after.HeapAlloc, uint64(150<<20))
	runtime.KeepAlive(cat)
	runtime.KeepAlive(recs)
}
