package attestation

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
)

// PageFiles lists the Markdown files below root in lexical order. A root
// that is a symbolic link to a directory is followed (links below it are
// not).
func PageFiles(root string) ([]string, error) {
	var files []string
	walk := root
	if fi, err := os.Lstat(root); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		// A trailing separator makes WalkDir read the link's target; the
		// paths it returns still start with root.
		walk = root + string(filepath.Separator)
	}
	err := filepath.WalkDir(walk, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			name := d.Name()
			if p != walk && (strings.HasPrefix(name, ".") || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(strings.ToLower(d.Name()), ".md") {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	return files, nil
}

// parseAhead bounds, per worker, how many files are parsed ahead of fn:
// the records waiting for fn are all held in memory.
const parseAhead = 16

// ParseSources parses sources (files that may name their locale, as an
// import of fr-FR=DIR does) concurrently, one worker a CPU, and calls fn
// for each in the order given, with the record or the error (ErrNotPage
// for files that hold no compliance data). fn runs on one goroutine at a
// time; an error from fn stops the walk. Each file is read from src.File.
// The workers parse
// at most a few files per CPU ahead of fn, so a slow fn (one that stores
// each record) bounds the records held at once.
func ParseSources(ctx context.Context, srcs []Source, fn func(src Source, rec *Record, err error) error) error {
	files := srcs
	type result struct {
		rec *Record
		err error
	}
	workers := runtime.GOMAXPROCS(0)
	results := make([]chan result, len(files))
	for i := range results {
		results[i] = make(chan result, 1)
	}
	jobs := make(chan int)
	ahead := make(chan struct{}, parseAhead*workers)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				data, err := os.ReadFile(files[i].File)
				if err != nil {
					results[i] <- result{err: err}
					continue
				}
				rec, err := ParseSource(files[i], data)
				results[i] <- result{rec: rec, err: err}
			}
		}()
	}
	go func() {
		defer close(jobs)
		for i := range files {
			select {
			case ahead <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case jobs <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	var ferr error
	for i := range files {
		var r result
		select {
		case r = <-results[i]:
		case <-ctx.Done():
			ferr = ctx.Err()
		}
		if ferr != nil {
			break
		}
		<-ahead
		if err := fn(files[i], r.rec, r.err); err != nil {
			ferr = err
			break
		}
	}
	cancel()
	// Drain the workers so none is left blocked.
	go func() {
		for range jobs {
		}
	}()
	wg.Wait()
	return ferr
}
