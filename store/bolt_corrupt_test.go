package store_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/store"
	"github.com/attestbot/attestbot/store/storetest"
)

// corrupt overwrites the given pages (4 KiB each) of a closed bbolt file
// with a byte pattern, as a failing disk or a torn copy would; -1 alone
// means every page but the two meta pages.
func corrupt(t *testing.T, path string, pages ...int64) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	require.NoError(t, err)
	defer f.Close()
	junk := make([]byte, 4096)
	for i := range junk {
		junk[i] = byte(i*7 + 3)
	}
	if len(pages) == 1 && pages[0] == -1 {
		st, err := f.Stat()
		require.NoError(t, err)
		pages = pages[:0]
		for p := int64(2); p*4096 < st.Size(); p++ {
			pages = append(pages, p)
		}
	}
	for _, p := range pages {
		_, err := f.WriteAt(junk, p*4096)
		require.NoError(t, err)
	}
}

// Finding 7 of issue 10: a bbolt file with corrupted pages is refused with a
// clear error at open, never a panic.
func TestBolt_CorruptedFileRefusedAtOpen(t *testing.T) {
	ctx := t.Context()
	tests := []struct {
		name  string
		pages []int64
	}{
		{name: "nok, bucket pages", pages: []int64{2, 3, 4, 5}},
		{name: "nok, data pages", pages: []int64{6, 7, 8, 9, 10, 11, 12}},
		{name: "nok, every page after the meta pages", pages: []int64{-1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "a.db")
			s, err := store.OpenBolt(path, store.BoltOptions{})
			require.NoError(t, err)
			recs := make([]*attestation.Record, 0, 40)
			for i := range 40 {
				recs = append(recs, storetest.Record("en-US", i))
			}
			_, err = s.PutRecords(ctx, recs)
			require.NoError(t, err)
			require.NoError(t, s.Close())
			corrupt(t, path, tt.pages...)

			var opened *store.BoltStore
			require.NotPanics(t, func() { opened, err = store.OpenBolt(path, store.BoltOptions{}) })
			if opened != nil {
				_ = opened.Close()
			}
			require.ErrorIs(t, err, store.ErrCorrupt)
			require.Contains(t, err.Error(), path)
			require.Contains(t, err.Error(), "corrupt")
		})
	}
}
