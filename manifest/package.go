package manifest

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"time"
)

// packageTime is the modification time of every zip entry, so that the
// same Config always yields the same bytes.
var packageTime = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// File is one file of the app package.
type File struct {
	Name string
	Data []byte
}

// Files returns the files of attestbot's app package for cfg, in package
// order: manifest.json, the two icons, then one localization file per
// additional language.
func Files(cfg Config) ([]File, error) {
	m, err := Build(cfg)
	if err != nil {
		return nil, err
	}
	cfg = cfg.WithDefaults()
	mj, err := m.JSON()
	if err != nil {
		return nil, err
	}
	colorPNG, err := ColorIcon(cfg.AccentColor)
	if err != nil {
		return nil, err
	}
	outlinePNG, err := OutlineIcon()
	if err != nil {
		return nil, err
	}
	files := []File{
		{ManifestFile, mj},
		{ColorIconFile, colorPNG},
		{OutlineIconFile, outlinePNG},
	}
	if m.LocalizationInfo != nil {
		for _, l := range m.LocalizationInfo.AdditionalLanguages {
			b, err := marshalIndent(localizationFile(l.LanguageTag, cfg.Localized[l.LanguageTag], m))
			if err != nil {
				return nil, fmt.Errorf("localization %s: %w", l.LanguageTag, err)
			}
			files = append(files, File{l.File, b})
		}
	}
	return files, nil
}

// WritePackage writes attestbot's Teams app package (a zip with
// manifest.json and the icons at its root, plus the localization files)
// for cfg to w. The output is byte-for-byte reproducible.
func WritePackage(w io.Writer, cfg Config) error {
	files, err := Files(cfg)
	if err != nil {
		return err
	}
	return writeZip(w, files)
}

func writeZip(w io.Writer, files []File) error {
	zw := zip.NewWriter(w)
	for _, f := range files {
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Deflate, Modified: packageTime})
		if err != nil {
			return fmt.Errorf("add %s to package: %w", f.Name, err)
		}
		if _, err := fw.Write(f.Data); err != nil {
			return fmt.Errorf("write %s to package: %w", f.Name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("finish package: %w", err)
	}
	return nil
}

func marshalIndent(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
