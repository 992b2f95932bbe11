package catalogio

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/sample"
	"github.com/attestbot/attestbot/store"
)

// writeCatalog writes the sample's current pages, copies times each under
// new slugs (with their AppSource IDs, so that the copies are listings of
// one app), in the layout of the public repositories, and returns them
// in a shuffled order (the locales of a page apart).
func writeCatalog(t *testing.T, copies int) []attestation.Source {
	t.Helper()
	dir := t.TempDir()
	var files []string
	for _, p := range sample.CurrentPages() {
		data, err := fs.ReadFile(sample.FS(), p)
		require.NoError(t, err)
		locale, rest, _ := strings.Cut(p, "/")
		kind, name, _ := strings.Cut(rest, "/")
		kind = strings.TrimSuffix(strings.TrimSuffix(kind, "-id"), "-index")
		for i := 0; i < copies; i++ {
			n := fmt.Sprintf("%d-%s", i, name)
			if strings.HasSuffix(name, "-apps.md") {
				if i > 0 {
					continue
				}
				n = name
			}
			f := filepath.Join(dir, "OfficeDocs-AppCompliance-pr."+locale, "Apps", kind, n)
			require.NoError(t, os.MkdirAll(filepath.Dir(f), 0o755))
			require.NoError(t, os.WriteFile(f, bytes.Replace(data, []byte("ms.topic:"), []byte(fmt.Sprintf("copy: %d\nms.topic:", i)), 1), 0o644))
			files = append(files, f)
		}
	}
	srcs := make([]attestation.Source, len(files))
	for i, f := range files {
		srcs[(i*7919)%len(files)] = attestation.Source{File: f} // 7919 is prime: a permutation unless len is its multiple
	}
	require.NotEqual(t, 0, len(files)%7919)
	return srcs
}

// TestImportStreamsAsReconcile imports pages in two streaming passes and
// checks that every stored record is the one Reconcile over the whole set
// gives, and so are the counts.
func TestImportStreamsAsReconcile(t *testing.T) {
	ctx := context.Background()
	srcs := writeCatalog(t, 3)

	var recs []*attestation.Record
	require.NoError(t, attestation.ParseSources(ctx, srcs, func(_ attestation.Source, r *attestation.Record, err error) error {
		if err == nil {
			recs = append(recs, r)
		}
		return nil
	}))
	want := attestation.Reconcile(recs)
	require.Positive(t, want.SharedAppSource)
	require.Positive(t, want.Vote.Groups)
	wantStore, err := store.OpenBolt(filepath.Join(t.TempDir(), "want.db"), store.BoltOptions{NoSync: true})
	require.NoError(t, err)
	defer wantStore.Close()
	_, err = wantStore.PutRecords(ctx, recs)
	require.NoError(t, err)

	gotStore, err := store.OpenBolt(filepath.Join(t.TempDir(), "got.db"), store.BoltOptions{NoSync: true})
	require.NoError(t, err)
	defer gotStore.Close()
	progress := 0
	stats, err := Import(ctx, gotStore, srcs, ImportOptions{Progress: func() { progress++ }})
	require.NoError(t, err)
	require.Equal(t, 2*len(srcs), progress, "two passes")
	require.Equal(t, len(recs), stats.Records)
	require.Equal(t, len(recs), stats.Pages)
	require.Equal(t, len(recs), stats.Added)
	require.Equal(t, LinkCounts{
		AzureApps: want.AzureLinks, AzureResolved: want.AzureResolved, EntraIDs: want.EntraIDs,
		EntraResolved: want.EntraResolved, ScopesRestored: want.ScopesRestored, EntraRestored: want.EntraRestored,
		DatesRestored: want.DatesRestored, Rekeyed: want.Vote.Rekeyed, Confirmed: want.Vote.Confirmed, Unknown: want.Vote.Unknown,
		Filled: want.Vote.Filled, Dropped: want.Vote.Dropped,
	}, stats.Links)

	for _, r := range recs {
		w, err := wantStore.GetRecord(ctx, r.ID())
		require.NoError(t, err)
		g, err := gotStore.GetRecord(ctx, r.ID())
		require.NoError(t, err, r.ID())
		wj, err := json.Marshal(w)
		require.NoError(t, err)
		gj, err := json.Marshal(g)
		require.NoError(t, err)
		require.JSONEq(t, string(wj), string(gj), r.ID())
	}
}

const corpus = "../../sample/corpus"

func TestSourceFiles(t *testing.T) {
	plumm := filepath.Join(corpus, "fr-FR", "teams", "plumm-health-ltd.md")
	tests := []struct {
		name    string
		args    []string
		want    int    // files listed
		locale  string // of the first file
		wantErr string
	}{
		{name: "ok, a file", args: []string{plumm}, want: 1},
		{name: "ok, a directory with its locale", args: []string{"fr-FR=" + filepath.Join(corpus, "fr-FR")}, want: 33, locale: "fr-FR"},
		{name: "nok, git source", args: []string{"https://example.invalid/repo.git"}, wantErr: "use attestbot sync for git sources"},
		{name: "nok, missing", args: []string{"/does/not/exist"}, wantErr: "/does/not/exist"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := SourceFiles(tt.args)
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			require.Len(t, got, tt.want)
			require.Equal(t, tt.locale, got[0].Locale)
		})
	}
}

// TestImport: the counts of a first import, and a second import of the
// same pages that changes nothing.
func TestImport(t *testing.T) {
	ctx := context.Background()
	files, err := SourceFiles([]string{filepath.Join(corpus, "fr-FR"), filepath.Join(corpus, "de-DE")})
	require.NoError(t, err)
	st, err := store.OpenBolt(filepath.Join(t.TempDir(), "a.db"), store.BoltOptions{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = st.Close() })
	progress := 0
	stats, err := Import(ctx, st, files, ImportOptions{Progress: func() { progress++ }})
	require.NoError(t, err)
	require.Equal(t, 2*len(files), progress, "each pass reads each file")
	require.Equal(t, 40, stats.Pages)
	require.Equal(t, 40, stats.Records)
	require.Equal(t, 40, stats.Added)
	require.Zero(t, stats.Failed)
	require.Equal(t, 33, stats.ByLocale["fr-FR"])
	require.Equal(t, stats.Answers.Total, stats.Answers.Keyed)

	again, err := Import(ctx, st, files, ImportOptions{})
	require.NoError(t, err)
	require.Equal(t, 40, again.Unchanged)
	require.Zero(t, again.Added+again.Updated)

	var exported []ExportRecord
	require.NoError(t, st.Records(ctx, func(r *attestation.Record) error {
		exported = append(exported, Export(r))
		return nil
	}))
	require.Len(t, exported, 40)
	for _, e := range exported {
		require.NotNil(t, e.Answers, "export writes [] rather than null")
		require.NotNil(t, e.Warnings)
	}
}
