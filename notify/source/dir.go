package source

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// dirSource reads a directory, comparing files by content hash. Its
// cursor is the JSON object of file path → SHA-256 (hex, first 16 bytes).
type dirSource struct {
	spec   Spec
	logger *slog.Logger
	now    func() time.Time
}

func openDir(spec Spec, logger *slog.Logger, now func() time.Time) (*dirSource, error) {
	fi, err := os.Stat(spec.Dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("open directory source %s: %w", spec, ErrNotFound)
		}
		return nil, fmt.Errorf("open directory source %s: %w", spec, err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("open directory source %s: not a directory: %w", spec, ErrBadSpec)
	}
	return &dirSource{spec: spec, logger: logger, now: now}, nil
}

// Spec implements Source.
func (d *dirSource) Spec() Spec { return d.spec }

// Close implements Source.
func (d *dirSource) Close() error { return nil }

// Steps implements Source. It emits at most one step.
func (d *dirSource) Steps(ctx context.Context, cursor string, fn func(Step) error) error {
	old := map[string]string{}
	if cursor != "" {
		if err := json.Unmarshal([]byte(cursor), &old); err != nil {
			d.logger.WarnContext(ctx, "unreadable directory cursor; reading every file again", "err", err)
			old = map[string]string{}
		}
	}
	cur := map[string]string{}
	var files []File
	err := filepath.WalkDir(d.spec.Dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if cerr := ctx.Err(); cerr != nil {
			return cerr
		}
		if e.IsDir() {
			if p != d.spec.Dir && strings.HasPrefix(e.Name(), ".") {
				return filepath.SkipDir
			}
			return nil
		}
		if !e.Type().IsRegular() || !isPage(e.Name()) {
			return nil
		}
		rel, err := filepath.Rel(d.spec.Dir, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if len(data) > maxPageBytes {
			d.logger.WarnContext(ctx, "page too large; skipped", "file", p, "bytes", len(data))
			return nil
		}
		sum := sha256.Sum256(data)
		h := hex.EncodeToString(sum[:16])
		cur[rel] = h
		if old[rel] != h {
			files = append(files, File{Path: rel, Name: p, Data: data})
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("read directory source %s: %w", d.spec, err)
	}
	for rel := range old {
		if _, ok := cur[rel]; !ok {
			files = append(files, File{Path: rel, Name: filepath.Join(d.spec.Dir, filepath.FromSlash(rel)), Deleted: true})
		}
	}
	if len(files) == 0 && cursor != "" {
		return nil
	}
	slices.SortFunc(files, func(x, y File) int { return strings.Compare(x.Path, y.Path) })
	next, err := json.Marshal(cur)
	if err != nil {
		return fmt.Errorf("encode directory cursor: %w", err)
	}
	sum := sha256.Sum256(next)
	return fn(Step{
		ID:       "dir:" + hex.EncodeToString(sum[:8]),
		Time:     d.now().UTC(),
		Baseline: cursor == "",
		Files:    files,
		Cursor:   string(next),
	})
}
