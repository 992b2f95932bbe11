// Package source reads the Microsoft 365 App Compliance pages of a catalog
// source, a directory or a git repository, as a stream of steps: the files
// that changed since a cursor, commit by commit for git, by content hash
// for a directory. It parses nothing; notify parses the pages of each step
// and diffs them.
package source

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"time"
)

// Step is one unit of change read from a source: for git, one commit (or
// several commits that touched no page, folded into the next); for a
// directory, everything that changed since the previous read.
type Step struct {
	// ID names the step: the commit hash, or "dir:<hash of the listing>".
	ID string
	// Time is the commit time (git) or the read time (directory).
	Time time.Time
	// Message is the commit subject (git).
	Message string
	// Baseline marks the first read of a source: Files lists every page,
	// which should be stored without raising events.
	Baseline bool
	// Rewritten marks a step that jumps over rewritten history (the cursor
	// commit is not an ancestor of the tip): Files is the difference
	// between the cursor's tree, if it still exists, and the tip's.
	Rewritten bool
	// Files lists the page files added, modified or deleted.
	Files []File
	// Cursor is the source position after the step; an empty step (no
	// Files) only advances it.
	Cursor string
}

// File is one page file of a step.
type File struct {
	// Path is the slash-separated path relative to the repository root
	// (git) or to the directory (dir), such as Apps/teams/plumm.md.
	Path string
	// Name is the name to show in warnings; for a directory source, the
	// file's path on disk.
	Name string
	// Data is the file content; nil when Deleted.
	Data []byte
	// Deleted is true when the file is gone.
	Deleted bool
}

// Source is a catalog source.
type Source interface {
	// Spec returns the source's spec.
	Spec() Spec
	// Steps fetches the source (a remote git repository is fetched into
	// its cache) and calls fn with every step after cursor ("" for the
	// first read), oldest first, until fn returns an error, which Steps
	// returns unchanged. It returns nil without calling fn when nothing
	// changed.
	Steps(ctx context.Context, cursor string, fn func(Step) error) error
	// Close releases the source.
	Close() error
}

// Options configure Open.
type Options struct {
	// CacheDir holds the bare clones of remote git repositories, one
	// directory per source. Default "data/sources".
	CacheDir string
	// Logger receives progress messages. Default slog.Default().
	Logger *slog.Logger
	// Now returns the current time (the time of directory steps). Default
	// time.Now.
	Now func() time.Time
}

// ErrNotFound is wrapped when a source's directory, repository or branch
// does not exist.
var ErrNotFound = errors.New("source not found")

// Open opens the source of spec. A remote git repository is cloned later,
// on the first Steps call.
func Open(ctx context.Context, spec Spec, opts Options) (Source, error) {
	if opts.CacheDir == "" {
		opts.CacheDir = filepath.Join("data", "sources")
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	logger := opts.Logger.With("source", spec.String())
	switch spec.Kind {
	case KindDir:
		return openDir(spec, logger, opts.Now)
	case KindGit:
		return openGit(ctx, spec, opts.CacheDir, logger)
	}
	return nil, fmt.Errorf("open source %s: unknown kind %q: %w", spec, spec.Kind, ErrBadSpec)
}

// isPage reports whether a file path names a Markdown page.
func isPage(p string) bool {
	base := p
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		base = p[i+1:]
	}
	return strings.HasSuffix(strings.ToLower(base), ".md") && !strings.HasPrefix(base, ".")
}
