package attestation

import (
	"context"
	"errors"
)

// ParseDir parses every page below root, skipping files that are not
// compliance pages, and calls fn with each record in path order.
func ParseDir(ctx context.Context, root string, fn func(*Record) error) error {
	files, err := PageFiles(root)
	if err != nil {
		return err
	}
	srcs := make([]Source, len(files))
	for i, f := range files {
		srcs[i] = Source{File: f}
	}
	return ParseSources(ctx, srcs, func(_ Source, rec *Record, err error) error {
		if errors.Is(err, ErrNotPage) {
			return nil
		}
		if err != nil {
			return err
		}
		return fn(rec)
	})
}
