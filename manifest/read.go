package manifest

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
)

// ReadPackage reads and validates the app package at path and returns its
// bytes and its manifest ID. An invalid package is an error listing every
// problem.
func ReadPackage(path string) (pkg []byte, manifestID string, err error) {
	if problems := Validate(path); HasErrors(problems) {
		msgs := make([]string, 0, len(problems))
		for _, p := range problems {
			msgs = append(msgs, p.String())
		}
		return nil, "", fmt.Errorf("%s is not a valid app package:\n  %s", path, strings.Join(msgs, "\n  "))
	}
	pkg, err = os.ReadFile(path)
	if err != nil {
		return nil, "", err
	}
	zr, err := zip.NewReader(bytes.NewReader(pkg), int64(len(pkg)))
	if err != nil {
		return nil, "", fmt.Errorf("%s: %w", path, err)
	}
	f, err := zr.Open(ManifestFile)
	if err != nil {
		return nil, "", fmt.Errorf("%s: %w", path, err)
	}
	defer f.Close()
	var m struct {
		ID string `json:"id"`
	}
	if err := json.NewDecoder(io.LimitReader(f, 1<<20)).Decode(&m); err != nil {
		return nil, "", fmt.Errorf("%s: manifest.json: %w", path, err)
	}
	return pkg, m.ID, nil
}
