package notify_test

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/sample"
	"github.com/attestbot/attestbot/store"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// historyCommit is one date of the sample history: the revisions of that
// date, committed together.
type historyCommit struct {
	Date  string            // 2021-10-18
	Short map[string]string // slug -> short commit of the revision
	Files map[string][]byte // Apps/teams/<slug>.md -> content
}

// sampleHistory reads sample/corpus/history/fr-FR and groups the
// revisions by date, oldest first.
func sampleHistory(t testing.TB) []historyCommit {
	t.Helper()
	fsys := sample.FS()
	byDate := map[string]*historyCommit{}
	err := fs.WalkDir(fsys, "history/fr-FR", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		slug := path.Base(path.Dir(p))
		date, short, ok := strings.Cut(strings.TrimSuffix(path.Base(p), ".md"), "_")
		if !ok {
			return nil
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		c := byDate[date]
		if c == nil {
			c = &historyCommit{Date: date, Short: map[string]string{}, Files: map[string][]byte{}}
			byDate[date] = c
		}
		c.Short[slug] = short
		c.Files["Apps/teams/"+slug+".md"] = data
		return nil
	})
	require.NoError(t, err)
	var out []historyCommit
	for _, c := range byDate {
		out = append(out, *c)
	}
	slices.SortFunc(out, func(a, b historyCommit) int { return strings.Compare(a.Date, b.Date) })
	return out
}

// repoBuilder commits files into a git repository with go-git.
type repoBuilder struct {
	t   testing.TB
	dir string
	wt  *git.Worktree
}

func newRepo(t testing.TB) *repoBuilder {
	t.Helper()
	dir := t.TempDir()
	repo, err := git.PlainInit(dir, false)
	require.NoError(t, err)
	wt, err := repo.Worktree()
	require.NoError(t, err)
	// A file outside the synced sub-path, to check it is ignored.
	require.NoError(t, os.WriteFile(filepath.Join(dir, "README.md"), []byte("# pages\n"), 0o600))
	_, err = wt.Add("README.md")
	require.NoError(t, err)
	_, err = wt.Commit("initial", &git.CommitOptions{Author: sig(time.Date(2021, 9, 1, 0, 0, 0, 0, time.UTC))})
	require.NoError(t, err)
	return &repoBuilder{t: t, dir: dir, wt: wt}
}

func sig(when time.Time) *object.Signature {
	return &object.Signature{Name: "olprod", Email: "olprod@example.com", When: when}
}

// commit writes files (nil content deletes) and commits them at when.
func (r *repoBuilder) commit(msg string, when time.Time, files map[string][]byte) string {
	r.t.Helper()
	keys := make([]string, 0, len(files))
	for k := range files {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, p := range keys {
		full := filepath.Join(r.dir, filepath.FromSlash(p))
		if files[p] == nil {
			_, err := r.wt.Remove(p)
			require.NoError(r.t, err)
			continue
		}
		require.NoError(r.t, os.MkdirAll(filepath.Dir(full), 0o750))
		require.NoError(r.t, os.WriteFile(full, files[p], 0o600))
		_, err := r.wt.Add(p)
		require.NoError(r.t, err)
	}
	h, err := r.wt.Commit(msg, &git.CommitOptions{Author: sig(when), Committer: sig(when), AllowEmptyCommits: true})
	require.NoError(r.t, err)
	return h.String()
}

func openBolt(t testing.TB, noSync bool) *store.BoltStore {
	t.Helper()
	st, err := store.OpenBolt(filepath.Join(t.TempDir(), "attestbot.db"), store.BoltOptions{NoSync: noSync})
	require.NoError(t, err)
	t.Cleanup(func() { _ = st.Close() })
	return st
}

func quietLogger() *slog.Logger {
	if os.Getenv("NOTIFY_TEST_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	return slog.New(slog.NewTextHandler(discard{}, &slog.HandlerOptions{Level: slog.LevelError}))
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// golden compares got (marshalled as indented JSON) with testdata/<name>,
// rewriting it with -update.
func golden(t *testing.T, name string, got any) {
	t.Helper()
	b, err := json.MarshalIndent(got, "", "  ")
	require.NoError(t, err)
	b = append(b, '\n')
	p := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o750))
		require.NoError(t, os.WriteFile(p, b, 0o600))
	}
	want, err := os.ReadFile(p)
	require.NoError(t, err, "golden file missing; run with -update")
	require.Equal(t, string(want), string(b))
}

func ctxT(t testing.TB) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// requireSameDeliveries compares delivery counts and reports only the
// differences (missing, duplicated or unexpected notifications).
func requireSameDeliveries(t *testing.T, want, got map[string]int) {
	t.Helper()
	var diffs []string
	for k, w := range want {
		if g := got[k]; g != w {
			diffs = append(diffs, fmt.Sprintf("%s: want %d, got %d", k, w, g))
		}
	}
	for k, g := range got {
		if _, ok := want[k]; !ok {
			diffs = append(diffs, fmt.Sprintf("%s: unexpected, got %d", k, g))
		}
	}
	slices.Sort(diffs)
	if len(diffs) > 20 {
		diffs = append(diffs[:20], fmt.Sprintf("… and %d more", len(diffs)-20))
	}
	require.Empty(t, diffs, "deliveries differ (%d expected)", len(want))
}
