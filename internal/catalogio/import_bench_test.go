package catalogio

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
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
// returns their paths. Each copy of an app page is an app of its own, as
// in the real catalog (see writeCopies).
func catalogOf13000(tb testing.TB) []string {
	tb.Helper()
	pages := sample.CurrentPages()
	return writeCopies(tb, tb.TempDir(), (13000+len(pages)-1)/len(pages))
}

// writeCopies writes copies of each of the sample's current pages into
// dir, in the layout of the public repositories (copy i of
// Apps/teams/x.md is Apps/teams/i-x.md; one index page per folder), and
// returns their paths. Copy 0 is the page itself. Every other copy of an
// app page is another app: copyPage gives it its own AppSource ID, Teams
// app ID, name and English anchor, derived from the page's own and i, so
// the locales of copy i of one page still share them (one app at one
// source hash), and pages that share an AppSource ID in the sample share
// one in each copy (1-3 listings an app, as in the real catalog). Each copy
// also carries a "copy: i" line, so that no copy's content is another's.
func writeCopies(tb testing.TB, dir string, copies int) []string {
	tb.Helper()
	require.LessOrEqual(tb, copies, 1000, "copyAppSourceID keeps the copy number in 3 digits")
	ids := map[string]string{} // derived AppSource ID → the original it stands for
	var files []string
	for _, p := range sample.CurrentPages() {
		data, err := fs.ReadFile(sample.FS(), p)
		require.NoError(tb, err)
		rec, err := attestation.Parse(p, data)
		if err != nil {
			rec = nil // not an app page: copied as it is
		}
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
			if i > 0 && rec != nil && rec.AppSourceID != "" {
				id := copyAppSourceID(rec.AppSourceID, i)
				if was, ok := ids[id]; ok {
					require.Equal(tb, rec.AppSourceID, was, "two AppSource IDs derive %s in copy %d", id, i)
				}
				ids[id] = rec.AppSourceID
			}
			require.NoError(tb, os.MkdirAll(filepath.Dir(f), 0o755))
			require.NoError(tb, os.WriteFile(f, copyPage(data, rec, i), 0o644))
			files = append(files, f)
		}
	}
	return files
}

// copyPage returns copy i of a page whose parsed record is rec (nil when
// the page did not parse). Every copy gets a "copy: i" line in its front
// matter. In copy i > 0 of an app page, the AppSource ID becomes
// copyAppSourceID, the Teams app ID copyTeamsAppID, the app name gets " i"
// (in the app-name row, the H1 heading and the title) and the H1 anchor
// "-i"; the rest of the page, its source hash included, stays as it is.
func copyPage(data []byte, rec *attestation.Record, i int) []byte {
	if i > 0 && rec != nil && rec.Type == attestation.PageApp {
		data = renameApp(data, rec, i)
	}
	return bytes.Replace(data, []byte("ms.topic:"), []byte(fmt.Sprintf("copy: %d\nms.topic:", i)), 1)
}

// renameApp makes the page of rec the page of another app, copy i.
func renameApp(data []byte, rec *attestation.Record, i int) []byte {
	suffix := fmt.Sprintf(" %d", i)
	lines := strings.SplitAfter(string(data), "\n")
	if a, ok := rec.Answer("gen.app_name"); ok && a.Line > 0 && a.Line <= len(lines) {
		// The row's last cell is the name as written (entities and
		// markup kept): the suffix goes after it.
		l := strings.TrimRight(lines[a.Line-1], " \t\r\n")
		if cell, ok := strings.CutSuffix(l, "|"); ok {
			lines[a.Line-1] = strings.TrimRight(cell, " ") + suffix + " |\n"
		}
	}
	for k, l := range lines {
		switch {
		case strings.HasPrefix(l, "title:") && rec.Name != "":
			lines[k] = strings.Replace(l, rec.Name, rec.Name+suffix, 1)
		case strings.HasPrefix(l, "# "):
			head, text, ok := strings.Cut(strings.TrimRight(l, " \t\r\n"), "</a>")
			if ok && rec.Anchor != "" {
				head = strings.Replace(head, `"`+rec.Anchor+`"`, `"`+rec.Anchor+"-"+suffix[1:]+`"`, 1)
				lines[k] = head + "</a>" + text + suffix + "\n"
			} else if !ok {
				lines[k] = head + suffix + "\n"
			}
		}
	}
	out := []byte(strings.Join(lines, ""))
	if rec.AppSourceID != "" {
		out = bytes.ReplaceAll(out, []byte(rec.AppSourceID), []byte(copyAppSourceID(rec.AppSourceID, i)))
	}
	if rec.TeamsAppID != "" {
		re := regexp.MustCompile(`(?i)` + regexp.QuoteMeta(rec.TeamsAppID))
		out = re.ReplaceAllLiteral(out, []byte(copyTeamsAppID(rec.TeamsAppID, i)))
	}
	return out
}

// copyAppSourceID derives the AppSource ID of copy i (1-999) of an app:
// WA, then 9 digits: 9, the copy number, and 5 digits of a hash of the
// original ID. Real IDs start WA1 or WA2, so a derived one never names a
// sample app; writeCopies checks that no two originals derive one ID.
func copyAppSourceID(id string, i int) string {
	h := fnv.New32a()
	h.Write([]byte(id))
	return fmt.Sprintf("WA9%03d%05d", i, h.Sum32()%100000)
}

// copyTeamsAppID derives the Teams app ID (a version-4-shaped GUID) of
// copy i of an app from a hash of the original ID and i.
func copyTeamsAppID(id string, i int) string {
	s := sha256.Sum256([]byte(fmt.Sprintf("%s/%d", strings.ToLower(id), i)))
	s[6] = s[6]&0x0f | 0x40
	s[8] = s[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", s[0:4], s[4:6], s[6:8], s[8:10], s[10:16])
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

// TestCopiesAreDistinctApps checks the 13k set's shape on a few copies:
// every copy of an app page parses with its own AppSource ID, Teams app
// ID, name and anchor at the original's source hash; the index holds
// copies times the apps of the sample, each with the listings of its own
// copy; "plumm" finds Plumm itself, not one of its copies.
func TestCopiesAreDistinctApps(t *testing.T) {
	const copies = 4
	ctx := context.Background()
	files := writeCopies(t, t.TempDir(), copies)
	srcs := make([]attestation.Source, len(files))
	for i, f := range files {
		srcs[i] = attestation.Source{File: f}
	}
	byID := map[string]*attestation.Record{} // locale/path
	var recs []*attestation.Record
	require.NoError(t, attestation.ParseSources(ctx, srcs, func(src attestation.Source, r *attestation.Record, err error) error {
		require.NoError(t, err, src.File)
		byID[r.Locale+"/"+r.Path] = r
		recs = append(recs, r)
		return nil
	}))
	require.Len(t, recs, len(files))

	copied := 0
	for _, r := range recs {
		dir, base := filepath.Split(r.Path)
		n, slug, ok := strings.Cut(base, "-")
		if r.Type != attestation.PageApp || !ok || n == "0" {
			continue
		}
		i, err := strconv.Atoi(n)
		require.NoError(t, err, r.Path)
		orig := byID[r.Locale+"/"+dir+"0-"+slug]
		require.NotNil(t, orig, r.Path)
		require.Equal(t, fmt.Sprintf("%s %d", orig.Name, i), r.Name, r.Path)
		require.Equal(t, fmt.Sprintf("%s-%d", orig.Anchor, i), r.Anchor, r.Path)
		require.Equal(t, copyAppSourceID(orig.AppSourceID, i), r.AppSourceID, r.Path)
		if orig.TeamsAppID != "" {
			require.Equal(t, copyTeamsAppID(orig.TeamsAppID, i), r.TeamsAppID, r.Path)
		}
		require.Equal(t, orig.Publisher, r.Publisher, r.Path)
		require.Equal(t, orig.Meta.SourceHash, r.Meta.SourceHash, r.Path)
		copied++
	}
	require.Positive(t, copied)

	attestation.Reconcile(recs)
	ix := attestation.NewIndex(recs)
	apps := map[int]map[string]bool{} // copy → app keys
	for _, r := range recs {
		if r.Type != attestation.PageApp {
			continue
		}
		n, slug, _ := strings.Cut(r.Slug, "-")
		i, err := strconv.Atoi(n)
		require.NoError(t, err, r.Slug)
		res := ix.Lookup(r.Kind + "/" + r.Slug)
		require.Len(t, res, 1, r.Slug)
		orig := ix.Lookup(r.Kind + "/0-" + slug)
		require.Len(t, orig, 1, slug)
		want := make([]string, 0, len(orig[0].Listings))
		for _, l := range orig[0].Listings {
			want = append(want, l.Kind+"/"+n+strings.TrimPrefix(l.Slug, "0"))
		}
		got := make([]string, 0, len(res[0].Listings))
		for _, l := range res[0].Listings {
			got = append(got, l.Key)
		}
		require.ElementsMatch(t, want, got, r.Slug)
		if apps[i] == nil {
			apps[i] = map[string]bool{}
		}
		apps[i][res[0].App] = true
	}
	require.Len(t, apps, copies)
	for i := 1; i < copies; i++ {
		require.Len(t, apps[i], len(apps[0]), "apps of copy %d", i)
	}
	t.Logf("%d pages, %d apps a copy, %d page groups", len(recs), len(apps[0]), ix.Len())

	res := ix.Search("plumm", attestation.SearchOptions{})
	require.NotEmpty(t, res)
	require.Equal(t, "teams/0-plumm-health-ltd", res[0].Key)
	require.Equal(t, "Plumm", res[0].Name)
	require.Empty(t, res[0].Listings)
	for _, r := range res[1:] {
		require.NotEqual(t, res[0].App, r.App)
	}
}

// TestWriteCatalog13000 writes the 13k set into the folder named by
// ATTESTBOT_13K_DIR, for measuring the real binary on it
// (scripts/bench-13k.sh); without the variable it is skipped.
func TestWriteCatalog13000(t *testing.T) {
	dir := os.Getenv("ATTESTBOT_13K_DIR")
	if dir == "" {
		t.Skip("set ATTESTBOT_13K_DIR to a folder to write the 13k set into")
	}
	pages := sample.CurrentPages()
	files := writeCopies(t, dir, (13000+len(pages)-1)/len(pages))
	t.Logf("%d pages written to %s", len(files), dir)
}
