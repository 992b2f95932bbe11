package source

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// maxChain bounds how many commits one Steps call walks back from the tip
// looking for the cursor. Beyond it the cursor is treated as rewritten
// history.
const maxChain = 200000

// maxPageBytes bounds the size of a page read from a repository.
const maxPageBytes = 4 << 20

// gitSource reads a git repository with go-git.
type gitSource struct {
	spec   Spec
	dir    string // repository directory (local) or cache directory (remote)
	logger *slog.Logger
	repo   *git.Repository
	remote bool
}

func openGit(ctx context.Context, spec Spec, cacheDir string, logger *slog.Logger) (*gitSource, error) {
	g := &gitSource{spec: spec, logger: logger}
	if spec.URL == "" {
		repo, err := git.PlainOpenWithOptions(spec.Dir, &git.PlainOpenOptions{EnableDotGitCommonDir: true})
		if err != nil {
			if errors.Is(err, git.ErrRepositoryNotExists) {
				return nil, fmt.Errorf("open git source %s: %w", spec, ErrNotFound)
			}
			return nil, fmt.Errorf("open git source %s: %w", spec, err)
		}
		g.repo, g.dir = repo, spec.Dir
		return g, nil
	}
	sum := sha256.Sum256([]byte(spec.String()))
	g.dir = filepath.Join(cacheDir, hex.EncodeToString(sum[:8]))
	g.remote = true
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return g, nil
}

// Spec implements Source.
func (g *gitSource) Spec() Spec { return g.spec }

// Close implements Source.
func (g *gitSource) Close() error { return nil }

// fetch clones the remote repository (bare, one branch) into the cache on
// first use and fetches it afterwards.
func (g *gitSource) fetch(ctx context.Context) error {
	if !g.remote {
		return nil
	}
	if g.repo == nil {
		repo, err := git.PlainOpen(g.dir)
		if err == nil {
			g.repo = repo
		} else if !errors.Is(err, git.ErrRepositoryNotExists) {
			return fmt.Errorf("open cache %s: %w", g.dir, err)
		}
	}
	if g.repo == nil {
		if err := os.MkdirAll(filepath.Dir(g.dir), 0o750); err != nil {
			return fmt.Errorf("create cache directory: %w", err)
		}
		tmp := g.dir + ".tmp"
		_ = os.RemoveAll(tmp)
		opts := &git.CloneOptions{URL: g.spec.URL, SingleBranch: true, NoCheckout: true, Tags: git.NoTags}
		if g.spec.Branch != "" {
			opts.ReferenceName = plumbing.NewBranchReferenceName(g.spec.Branch)
		}
		g.logger.InfoContext(ctx, "cloning source repository", "cache", g.dir)
		if _, err := git.PlainCloneContext(ctx, tmp, true, opts); err != nil {
			_ = os.RemoveAll(tmp)
			return fmt.Errorf("clone %s: %w", g.spec, err)
		}
		if err := os.Rename(tmp, g.dir); err != nil {
			return fmt.Errorf("move clone into the cache: %w", err)
		}
		repo, err := git.PlainOpen(g.dir)
		if err != nil {
			return fmt.Errorf("open clone %s: %w", g.dir, err)
		}
		g.repo = repo
		return nil
	}
	branch := g.spec.Branch
	refspecs := []config.RefSpec{"+HEAD:refs/remotes/origin/HEAD"}
	if branch != "" {
		refspecs = []config.RefSpec{config.RefSpec(fmt.Sprintf("+refs/heads/%s:refs/heads/%s", branch, branch))}
	}
	err := g.repo.FetchContext(ctx, &git.FetchOptions{RemoteName: "origin", RefSpecs: refspecs, Tags: git.NoTags, Force: true})
	if err != nil && !errors.Is(err, git.NoErrAlreadyUpToDate) {
		return fmt.Errorf("fetch %s: %w", g.spec, err)
	}
	return nil
}

// tip resolves the branch (or HEAD) to a commit.
func (g *gitSource) tip() (*object.Commit, error) {
	var candidates []plumbing.ReferenceName
	if b := g.spec.Branch; b != "" {
		candidates = []plumbing.ReferenceName{
			plumbing.NewBranchReferenceName(b),
			plumbing.NewRemoteReferenceName("origin", b),
		}
	} else {
		candidates = []plumbing.ReferenceName{plumbing.HEAD, plumbing.NewRemoteHEADReferenceName("origin")}
	}
	for _, name := range candidates {
		ref, err := g.repo.Reference(name, true)
		if err != nil {
			continue
		}
		c, err := g.repo.CommitObject(ref.Hash())
		if err != nil {
			return nil, fmt.Errorf("read tip commit %s: %w", ref.Hash(), err)
		}
		return c, nil
	}
	return nil, fmt.Errorf("branch %q of %s: %w", g.spec.Branch, g.spec, ErrNotFound)
}

// subtree returns the tree at the spec's sub-path in c, or nil when the
// commit has no such directory.
func (g *gitSource) subtree(c *object.Commit) (*object.Tree, error) {
	if c == nil {
		return nil, nil
	}
	t, err := c.Tree()
	if err != nil {
		return nil, fmt.Errorf("read tree of %s: %w", c.Hash, err)
	}
	if g.spec.SubPath == "" {
		return t, nil
	}
	sub, err := t.Tree(g.spec.SubPath)
	if errors.Is(err, object.ErrDirectoryNotFound) || errors.Is(err, object.ErrEntryNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s in %s: %w", g.spec.SubPath, c.Hash, err)
	}
	return sub, nil
}

// Steps implements Source.
func (g *gitSource) Steps(ctx context.Context, cursor string, fn func(Step) error) error {
	if err := g.fetch(ctx); err != nil {
		return err
	}
	tip, err := g.tip()
	if err != nil {
		return err
	}
	if cursor == tip.Hash.String() {
		return nil
	}
	if cursor == "" {
		return g.fullStep(ctx, tip, nil, true, fn)
	}
	chain, found, err := g.chain(ctx, tip, plumbing.NewHash(cursor))
	if err != nil {
		return err
	}
	if !found {
		g.logger.WarnContext(ctx, "cursor commit is not an ancestor of the tip (history rewritten); diffing against the tip", "cursor", cursor, "tip", tip.Hash.String())
		from, _ := g.repo.CommitObject(plumbing.NewHash(cursor))
		return g.fullStep(ctx, tip, from, false, fn)
	}
	emittedLast := false
	for i, c := range chain {
		var parent *object.Commit
		if c.NumParents() > 0 {
			if parent, err = c.Parent(0); err != nil {
				return fmt.Errorf("read parent of %s: %w", c.Hash, err)
			}
		}
		files, err := g.diff(ctx, parent, c)
		if err != nil {
			return err
		}
		last := i == len(chain)-1
		if len(files) == 0 && !last {
			continue
		}
		emittedLast = last
		if err := fn(g.step(c, files)); err != nil {
			return err
		}
	}
	if !emittedLast && len(chain) > 0 {
		return fn(Step{ID: tip.Hash.String(), Time: tip.Committer.When, Cursor: tip.Hash.String()})
	}
	return nil
}

func (g *gitSource) step(c *object.Commit, files []File) Step {
	msg, _, _ := strings.Cut(c.Message, "\n")
	return Step{ID: c.Hash.String(), Time: c.Committer.When.UTC(), Message: msg, Files: files, Cursor: c.Hash.String()}
}

// chain walks first parents back from tip to the cursor and returns the
// commits after the cursor, oldest first.
func (g *gitSource) chain(ctx context.Context, tip *object.Commit, cursor plumbing.Hash) ([]*object.Commit, bool, error) {
	var out []*object.Commit
	c := tip
	for n := 0; n < maxChain; n++ {
		if err := ctx.Err(); err != nil {
			return nil, false, err
		}
		if c.Hash == cursor {
			slices.Reverse(out)
			return out, true, nil
		}
		out = append(out, c)
		if c.NumParents() == 0 {
			return nil, false, nil
		}
		p, err := c.Parent(0)
		if err != nil {
			return nil, false, fmt.Errorf("read parent of %s: %w", c.Hash, err)
		}
		c = p
	}
	return nil, false, nil
}

// fullStep emits one step with the difference between from (nil: nothing)
// and tip.
func (g *gitSource) fullStep(ctx context.Context, tip, from *object.Commit, baseline bool, fn func(Step) error) error {
	files, err := g.diff(ctx, from, tip)
	if err != nil {
		return err
	}
	st := g.step(tip, files)
	st.Baseline, st.Rewritten = baseline, !baseline
	return fn(st)
}

// diff returns the page files that differ between the sub-trees of a
// (nil: empty) and b.
func (g *gitSource) diff(ctx context.Context, a, b *object.Commit) ([]File, error) {
	ta, err := g.subtree(a)
	if err != nil {
		return nil, err
	}
	tb, err := g.subtree(b)
	if err != nil {
		return nil, err
	}
	if ta != nil && tb != nil && ta.Hash == tb.Hash {
		return nil, nil
	}
	changes, err := object.DiffTreeWithOptions(ctx, ta, tb, nil)
	if err != nil {
		return nil, fmt.Errorf("diff %s: %w", b.Hash, err)
	}
	files := make([]File, 0, len(changes))
	for _, ch := range changes {
		name := ch.To.Name
		entry := ch.To.TreeEntry
		deleted := name == ""
		if deleted {
			name = ch.From.Name
		}
		if !isPage(name) {
			continue
		}
		full := name
		if g.spec.SubPath != "" {
			full = g.spec.SubPath + "/" + name
		}
		f := File{Path: full, Name: g.spec.String() + "/" + full, Deleted: deleted}
		if !deleted {
			if !entry.Mode.IsFile() {
				continue
			}
			if f.Data, err = g.readBlob(entry.Hash); err != nil {
				return nil, fmt.Errorf("read %s at %s: %w", full, b.Hash, err)
			}
		}
		files = append(files, f)
	}
	slices.SortFunc(files, func(x, y File) int { return strings.Compare(x.Path, y.Path) })
	return files, nil
}

func (g *gitSource) readBlob(h plumbing.Hash) ([]byte, error) {
	blob, err := g.repo.BlobObject(h)
	if err != nil {
		return nil, err
	}
	if blob.Size > maxPageBytes {
		return nil, fmt.Errorf("blob %s is %d bytes, more than %d", h, blob.Size, maxPageBytes)
	}
	r, err := blob.Reader()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(io.LimitReader(r, maxPageBytes))
}
