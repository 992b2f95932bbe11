package source

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/stretchr/testify/require"
)

func collect(t *testing.T, src Source, cursor string) []Step {
	t.Helper()
	var steps []Step
	require.NoError(t, src.Steps(context.Background(), cursor, func(s Step) error {
		steps = append(steps, s)
		return nil
	}))
	return steps
}

func TestDirSource_HashesPerFile(t *testing.T) {
	dir := t.TempDir()
	write := func(p, s string) {
		require.NoError(t, os.MkdirAll(filepath.Dir(filepath.Join(dir, p)), 0o750))
		require.NoError(t, os.WriteFile(filepath.Join(dir, p), []byte(s), 0o600))
	}
	write("fr-FR/teams/a.md", "a1")
	write("fr-FR/teams/b.md", "b1")
	write("fr-FR/teams/notes.txt", "ignored")
	write(".git/x.md", "hidden")
	src, err := Open(context.Background(), Spec{Kind: KindDir, Dir: dir}, Options{Logger: slog.Default()})
	require.NoError(t, err)

	steps := collect(t, src, "")
	require.Len(t, steps, 1)
	require.True(t, steps[0].Baseline)
	require.Len(t, steps[0].Files, 2)
	cur := steps[0].Cursor

	require.Empty(t, collect(t, src, cur), "nothing changed")

	write("fr-FR/teams/a.md", "a2")
	require.NoError(t, os.Remove(filepath.Join(dir, "fr-FR/teams/b.md")))
	write("fr-FR/teams/c.md", "c1")
	steps = collect(t, src, cur)
	require.Len(t, steps, 1)
	require.False(t, steps[0].Baseline)
	var got []string
	for _, f := range steps[0].Files {
		got = append(got, f.Path+map[bool]string{true: " deleted", false: ""}[f.Deleted])
	}
	require.Equal(t, []string{"fr-FR/teams/a.md", "fr-FR/teams/b.md deleted", "fr-FR/teams/c.md"}, got)

	_, err = Open(context.Background(), Spec{Kind: KindDir, Dir: filepath.Join(dir, "missing")}, Options{})
	require.ErrorIs(t, err, ErrNotFound)
}

// TestGitSource_CloneAndFetch reads a repository through a clone (a file://
// URL served by git-upload-pack) and fetches new commits on later calls.
func TestGitSource_CloneAndFetch(t *testing.T) {
	if _, err := os.Stat("/usr/bin/git-upload-pack"); err != nil {
		t.Skip("git-upload-pack not installed")
	}
	upstream := t.TempDir()
	repo, err := git.PlainInit(upstream, false)
	require.NoError(t, err)
	wt, err := repo.Worktree()
	require.NoError(t, err)
	commit := func(p, content string, when time.Time) string {
		require.NoError(t, os.MkdirAll(filepath.Dir(filepath.Join(upstream, p)), 0o750))
		require.NoError(t, os.WriteFile(filepath.Join(upstream, p), []byte(content), 0o600))
		_, err := wt.Add(p)
		require.NoError(t, err)
		sig := &object.Signature{Name: "t", Email: "t@example.com", When: when}
		h, err := wt.Commit("c", &git.CommitOptions{Author: sig, Committer: sig})
		require.NoError(t, err)
		return h.String()
	}
	t0 := time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)
	first := commit("Apps/teams/a.md", "a1", t0)
	commit("README.md", "outside the sub-path", t0.Add(time.Hour))

	spec := Spec{Kind: KindGit, URL: "file://" + upstream, Branch: "master", SubPath: "Apps"}
	src, err := Open(context.Background(), spec, Options{CacheDir: t.TempDir()})
	require.NoError(t, err)
	steps := collect(t, src, "")
	require.Len(t, steps, 1)
	require.True(t, steps[0].Baseline)
	require.Len(t, steps[0].Files, 1)
	require.Equal(t, "Apps/teams/a.md", steps[0].Files[0].Path)

	second := commit("Apps/teams/a.md", "a2", t0.Add(2*time.Hour))
	third := commit("Apps/teams/b.md", "b1", t0.Add(3*time.Hour))
	steps = collect(t, src, first)
	require.Len(t, steps, 2, "the README commit touches no page and is folded")
	require.Equal(t, second, steps[0].ID)
	require.Equal(t, "a2", string(steps[0].Files[0].Data))
	require.Equal(t, third, steps[1].ID)
	require.Equal(t, third, steps[1].Cursor)
	require.Empty(t, collect(t, src, third))

	// A cursor that is no longer in the history: one rewritten step.
	steps = collect(t, src, "0123456789012345678901234567890123456789")
	require.Len(t, steps, 1)
	require.True(t, steps[0].Rewritten)
	require.Len(t, steps[0].Files, 2)
}

func TestGitSource_MissingBranch(t *testing.T) {
	dir := t.TempDir()
	_, err := git.PlainInit(dir, false)
	require.NoError(t, err)
	src, err := Open(context.Background(), Spec{Kind: KindGit, Dir: dir, Branch: "live"}, Options{})
	require.NoError(t, err)
	err = src.Steps(context.Background(), "", func(Step) error { return nil })
	require.ErrorIs(t, err, ErrNotFound)
	_, err = Open(context.Background(), Spec{Kind: KindGit, Dir: filepath.Join(dir, "nope")}, Options{})
	require.ErrorIs(t, err, ErrNotFound)
}
