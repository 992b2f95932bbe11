package manifest

import (
	"bytes"
	"slices"
)

// Functions only the tests use: they read the package in memory.

// Activities returns every activity type attestbot sends, with its
// description and template text, in manifest order.
func Activities() []Activity { return slices.Clone(activities) }

// ActivityTypes returns the activityType names attestbot sends, in
// manifest order. Code that sends a notification can check its type
// against this list; Validate checks that a manifest declares them all.
func ActivityTypes() []string {
	out := make([]string, len(activities))
	for i, a := range activities {
		out[i] = a.Type
	}
	return out
}

// LookupActivity returns the declared activity of the given type.
func LookupActivity(activityType string) (Activity, bool) {
	for _, a := range activities {
		if a.Type == activityType {
			return a, true
		}
	}
	return Activity{}, false
}

// Package returns the app package bytes for cfg.
func Package(cfg Config) ([]byte, error) {
	var buf bytes.Buffer
	if err := WritePackage(&buf, cfg); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// ValidateBytes checks a package (zip bytes) or a manifest.json in memory,
// like Validate. For a bare manifest, icon and localization files are not
// checked, since there is no folder to read them from.
func ValidateBytes(data []byte) []Problem {
	if isZip(data) {
		return finish(validatePackage(bytes.NewReader(data), int64(len(data))))
	}
	v := &validator{}
	v.manifest(data)
	return finish(v.problems)
}
