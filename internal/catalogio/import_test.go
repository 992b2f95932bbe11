package catalogio

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/store"
)

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
	require.Equal(t, len(files), progress)
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
