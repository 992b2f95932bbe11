package manifest

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func goodFiles(t *testing.T) []File {
	t.Helper()
	files, err := Files(testConfig())
	require.NoError(t, err)
	return files
}

func zipOf(t *testing.T, files []File) []byte {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, writeZip(&buf, files))
	return buf.Bytes()
}

// editJSON decodes the named file, lets edit change it, and encodes it back.
func editJSON(t *testing.T, files []File, name string, edit func(m map[string]any)) []File {
	t.Helper()
	out := slices.Clone(files)
	for i, f := range out {
		if f.Name != name {
			continue
		}
		var m map[string]any
		require.NoError(t, json.Unmarshal(f.Data, &m))
		edit(m)
		b, err := json.Marshal(m)
		require.NoError(t, err)
		out[i] = File{f.Name, b}
		return out
	}
	t.Fatalf("no %s in package", name)
	return nil
}

func replaceFile(files []File, name string, data []byte) []File {
	out := slices.Clone(files)
	for i, f := range out {
		if f.Name == name {
			out[i] = File{name, data}
		}
	}
	return out
}

func dropFile(files []File, name string) []File {
	return slices.DeleteFunc(slices.Clone(files), func(f File) bool { return f.Name == name })
}

func pngOf(t *testing.T, w, h int, fill color.NRGBA) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.SetNRGBA(x, y, fill)
		}
	}
	var buf bytes.Buffer
	require.NoError(t, png.Encode(&buf, img))
	return buf.Bytes()
}

type wantProblem struct{ path, contains string }

func TestValidate_GoodPackage(t *testing.T) {
	dir := t.TempDir()
	zipPath := filepath.Join(dir, "attestbot.zip")
	f, err := os.Create(zipPath)
	require.NoError(t, err)
	require.NoError(t, WritePackage(f, testConfig()))
	require.NoError(t, f.Close())
	require.Empty(t, Validate(zipPath))

	// The same files unpacked: Validate reads a manifest.json and the
	// files it references from its folder.
	for _, file := range goodFiles(t) {
		require.NoError(t, os.WriteFile(filepath.Join(dir, file.Name), file.Data, 0o644))
	}
	require.Empty(t, Validate(filepath.Join(dir, "manifest.json")))

	// Packages are reproducible.
	require.Equal(t, mustPackage(t, testConfig()), mustPackage(t, testConfig()))
}

func TestValidate_DefectivePackages(t *testing.T) {
	good := goodFiles(t)
	pad := make([]byte, MaxPackageSize+1024)
	tests := []struct {
		name  string
		pkg   func(t *testing.T) []byte
		want  []wantProblem // every error, and no other
		warns []wantProblem // warnings that must be among the problems
	}{
		{
			name: "missing outline icon",
			pkg:  func(t *testing.T) []byte { return zipOf(t, dropFile(good, OutlineIconFile)) },
			want: []wantProblem{{"$.icons.outline", `file "outline.png" is not in the package`}},
		},
		{
			name: "colour icon of the wrong size",
			pkg: func(t *testing.T) []byte {
				return zipOf(t, replaceFile(good, ColorIconFile, pngOf(t, 100, 100, color.NRGBA{11, 92, 173, 255})))
			},
			want: []wantProblem{{"$.icons.color", "color.png is 100×100 pixels; the colour icon must be 192×192"}},
		},
		{
			name: "outline icon of the wrong size",
			pkg: func(t *testing.T) []byte {
				return zipOf(t, replaceFile(good, OutlineIconFile, pngOf(t, 192, 192, color.NRGBA{255, 255, 255, 0})))
			},
			want: []wantProblem{{"$.icons.outline", "outline.png is 192×192 pixels; the outline icon must be 32×32"}},
		},
		{
			name: "outline icon not transparent",
			pkg: func(t *testing.T) []byte {
				return zipOf(t, replaceFile(good, OutlineIconFile, pngOf(t, 32, 32, color.NRGBA{11, 92, 173, 255})))
			},
			want: []wantProblem{{"$.icons.outline", "1024 pixels are neither transparent nor white (first at 0,0: rgba(11,92,173,255))"}},
		},
		{
			name: "outline icon all opaque white",
			pkg: func(t *testing.T) []byte {
				return zipOf(t, replaceFile(good, OutlineIconFile, pngOf(t, 32, 32, color.NRGBA{255, 255, 255, 255})))
			},
			want: []wantProblem{{"$.icons.outline", "has no transparent pixel"}},
		},
		{
			name: "icon is not a PNG",
			pkg:  func(t *testing.T) []byte { return zipOf(t, replaceFile(good, ColorIconFile, []byte("GIF89a"))) },
			want: []wantProblem{{"$.icons.color", "color.png is not a PNG image"}},
		},
		{
			name: "bad GUIDs",
			pkg: func(t *testing.T) []byte {
				return zipOf(t, editJSON(t, good, ManifestFile, func(m map[string]any) {
					m["id"] = "not-a-guid"
					m["bots"].([]any)[0].(map[string]any)["botId"] = "{3b2a1c0d-9e8f-4a7b-8c6d-5e4f3a2b1c0d}"
					m["webApplicationInfo"].(map[string]any)["id"] = nilGUID
				}))
			},
			want: []wantProblem{
				{"$.bots[0].botId", `"{3b2a1c0d-9e8f-4a7b-8c6d-5e4f3a2b1c0d}" is not a GUID`},
				{"$.id", `"not-a-guid" is not a GUID`},
				{"$.webApplicationInfo.id", "is the nil GUID"},
			},
		},
		{
			name: "undeclared activity type",
			pkg: func(t *testing.T) []byte {
				return zipOf(t, editJSON(t, good, ManifestFile, func(m map[string]any) {
					at := m["activities"].(map[string]any)
					types := at["activityTypes"].([]any)
					at["activityTypes"] = types[:len(types)-1] // drops auditDigest
				}))
			},
			want: []wantProblem{{"$.activities.activityTypes", `activity type "auditDigest", which attestbot sends, is not declared`}},
		},
		{
			name: "systemDefault declared",
			pkg: func(t *testing.T) []byte {
				return zipOf(t, editJSON(t, good, ManifestFile, func(m map[string]any) {
					at := m["activities"].(map[string]any)
					at["activityTypes"] = append(at["activityTypes"].([]any),
						map[string]any{"type": "systemDefault", "description": "x", "templateText": "{systemDefaultText}"})
				}))
			},
			want: []wantProblem{{"$.activities.activityTypes[7].type", "systemDefault is reserved"}},
		},
		{
			name: "template parameter attestbot does not send",
			pkg: func(t *testing.T) []byte {
				return zipOf(t, editJSON(t, good, ManifestFile, func(m map[string]any) {
					at := m["activities"].(map[string]any)["activityTypes"].([]any)
					at[0].(map[string]any)["templateText"] = "{appName}: {summary} {severity}"
				}))
			},
			warns: []wantProblem{{"$.activities.activityTypes", `template of "recordChanged" uses {severity}`}},
		},
		{
			name: "schema violations",
			pkg: func(t *testing.T) []byte {
				return zipOf(t, editJSON(t, good, ManifestFile, func(m map[string]any) {
					m["accentColor"] = "blue"
					m["name"].(map[string]any)["short"] = strings.Repeat("n", 31)
					m["unknownField"] = true
					delete(m, "version")
				}))
			},
			want: []wantProblem{
				{"$", "additional properties 'unknownField' not allowed"},
				{"$", "missing property 'version'"},
				{"$.accentColor", "'blue' does not match pattern '^#[0-9a-fA-F]{6}$' (schema v1.30)"},
				{"$.name.short", "maxLength: got 31, want 30 (schema v1.30)"},
			},
		},
		{
			name: "manifest version not bundled",
			pkg: func(t *testing.T) []byte {
				return zipOf(t, editJSON(t, good, ManifestFile, func(m map[string]any) { m["manifestVersion"] = "1.99" }))
			},
			want:  []wantProblem{{"$.manifestVersion", `no schema is bundled for manifest version "1.99" (bundled: 1.20 to 1.30)`}},
			warns: []wantProblem{{"$['$schema']", "$schema names version 1.30 but manifestVersion is 1.99"}},
		},
		{
			name: "localization file missing and invalid",
			pkg: func(t *testing.T) []byte {
				files := dropFile(good, "de.json")
				return zipOf(t, editJSON(t, files, "fr.json", func(m map[string]any) { m["name.short"] = strings.Repeat("n", 31) }))
			},
			want: []wantProblem{
				{"$.localizationInfo.additionalLanguages[0].file", `file "de.json" is not in the package`},
				{"fr.json$['name.short']", "is 31 characters long; the limit is 30"},
			},
		},
		{
			name: "manifest not at the root",
			pkg: func(t *testing.T) []byte {
				var nested []File
				for _, f := range good {
					nested = append(nested, File{"attestbot/" + f.Name, f.Data})
				}
				return zipOf(t, nested)
			},
			want: []wantProblem{{"package", `manifest.json is at "attestbot/manifest.json", not at the root of the zip`}},
		},
		{
			name: "no manifest at all",
			pkg:  func(t *testing.T) []byte { return zipOf(t, dropFile(good, ManifestFile)) },
			want: []wantProblem{{"package", "no manifest.json at the root of the zip"}},
		},
		{
			name: "extra file in a folder",
			pkg: func(t *testing.T) []byte {
				return zipOf(t, append(slices.Clone(good), File{"extra/readme.txt", []byte("x")}))
			},
			warns: []wantProblem{{"package/extra/readme.txt", "keep the package flat"}},
		},
		{
			name: "unsafe entry name",
			pkg: func(t *testing.T) []byte {
				return zipOf(t, append(slices.Clone(good), File{"../evil.png", []byte("x")}))
			},
			want: []wantProblem{{"package/../evil.png", "unsafe entry name"}},
		},
		{
			name: "oversize package",
			pkg: func(t *testing.T) []byte {
				var buf bytes.Buffer
				zw := zip.NewWriter(&buf)
				for _, f := range good {
					w, err := zw.Create(f.Name)
					require.NoError(t, err)
					_, err = w.Write(f.Data)
					require.NoError(t, err)
				}
				// Raw entry: the validator never reads it, so skip the CRC.
				w, err := zw.CreateRaw(&zip.FileHeader{Name: "padding.bin", Method: zip.Store,
					CompressedSize64: uint64(len(pad)), UncompressedSize64: uint64(len(pad))})
				require.NoError(t, err)
				_, err = w.Write(pad)
				require.NoError(t, err)
				require.NoError(t, zw.Close())
				return buf.Bytes()
			},
			want:  []wantProblem{{"package", "the limit is 26214400 bytes (25 MiB)"}},
			warns: []wantProblem{{"package/padding.bin", "file not referenced by the manifest"}},
		},
		{
			name: "corrupt zip",
			pkg:  func(t *testing.T) []byte { return zipOf(t, good)[:200] },
			want: []wantProblem{{"package", "not a valid zip archive"}},
		},
		{
			name: "manifest is not JSON",
			pkg:  func(t *testing.T) []byte { return zipOf(t, replaceFile(good, ManifestFile, []byte("{ nope"))) },
			want: []wantProblem{{"$", "manifest.json is not valid JSON"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pkg := tt.pkg(t)
			path := filepath.Join(t.TempDir(), "app.zip")
			require.NoError(t, os.WriteFile(path, pkg, 0o644))
			for _, ps := range [][]Problem{Validate(path), ValidateBytes(pkg)} {
				var errs []Problem
				for _, p := range ps {
					require.NotEmpty(t, p.Message)
					if p.Severity == SeverityError {
						errs = append(errs, p)
					}
				}
				require.Len(t, errs, len(tt.want), "errors: %v", ps)
				for i, w := range tt.want {
					require.Equal(t, w.path, errs[i].Path, "errors: %v", ps)
					require.Contains(t, errs[i].Message, w.contains)
				}
				require.Equal(t, len(tt.want) > 0, HasErrors(ps))
				for _, w := range tt.warns {
					require.True(t, slices.ContainsFunc(ps, func(p Problem) bool {
						return p.Severity == SeverityWarning && p.Path == w.path && strings.Contains(p.Message, w.contains)
					}), "want warning %v in %v", w, ps)
				}
			}
		})
	}
}

func TestValidate_Files(t *testing.T) {
	dir := t.TempDir()
	good := goodFiles(t)

	t.Run("nok, missing file", func(t *testing.T) {
		ps := Validate(filepath.Join(dir, "nope.json"))
		require.Len(t, ps, 1)
		require.Equal(t, "file", ps[0].Path)
		require.Contains(t, ps[0].Message, "cannot open")
	})
	t.Run("nok, folder", func(t *testing.T) {
		ps := Validate(dir)
		require.Len(t, ps, 1)
		require.Contains(t, ps[0].Message, "is a folder")
	})
	t.Run("nok, manifest with a missing icon and a BOM", func(t *testing.T) {
		sub := filepath.Join(dir, "bare")
		require.NoError(t, os.MkdirAll(sub, 0o755))
		for _, f := range good {
			if f.Name == ManifestFile {
				require.NoError(t, os.WriteFile(filepath.Join(sub, f.Name), append([]byte("\xef\xbb\xbf"), f.Data...), 0o644))
			} else if f.Name != ColorIconFile {
				require.NoError(t, os.WriteFile(filepath.Join(sub, f.Name), f.Data, 0o644))
			}
		}
		ps := Validate(filepath.Join(sub, ManifestFile))
		require.Equal(t, []Problem{
			{Path: "$.icons.color", Message: `file "color.png" is not in the package`, Severity: SeverityError},
			{Path: "$", Message: "manifest.json starts with a UTF-8 byte order mark; save it without one", Severity: SeverityWarning},
		}, ps)
	})
	t.Run("ok, bare manifest bytes skip referenced files", func(t *testing.T) {
		require.Empty(t, ValidateBytes(good[0].Data))
	})
	t.Run("nok, manifest is an array", func(t *testing.T) {
		ps := ValidateBytes([]byte(`[1,2]`))
		require.Equal(t, []Problem{{Path: "$", Message: "manifest.json must hold a JSON object, not an array", Severity: SeverityError}}, ps)
	})
	t.Run("nok, no manifestVersion", func(t *testing.T) {
		ps := ValidateBytes([]byte(`{"id":"x"}`))
		require.True(t, slices.ContainsFunc(ps, func(p Problem) bool {
			return p.Path == "$.manifestVersion" && strings.Contains(p.Message, "missing")
		}), "%v", ps)
		require.True(t, slices.ContainsFunc(ps, func(p Problem) bool {
			return p.Path == "$.id" && strings.Contains(p.Message, "is not a GUID")
		}), "%v", ps)
	})
}

func TestJSONPath(t *testing.T) {
	doc := map[string]any{"a": []any{map[string]any{"b.c": 1, "d": 2}}}
	require.Equal(t, "$", jsonPath(doc, nil))
	require.Equal(t, "$.a[0]['b.c']", jsonPath(doc, []string{"a", "0", "b.c"}))
	require.Equal(t, "$.a[0].d", jsonPath(doc, []string{"a", "0", "d"}))
	require.Equal(t, "$.a[7].x", jsonPath(doc, []string{"a", "7", "x"}))
	require.Equal(t, "$['it''s']", strings.ReplaceAll(jsonPath(doc, []string{"it's"}), `\'`, "''"))
}

func TestBundledSchemas(t *testing.T) {
	versions := BundledVersions()
	require.Equal(t, "1.20", versions[0])
	require.Equal(t, SchemaVersion, versions[len(versions)-1])
	for _, v := range versions {
		_, err := loadSchema(v, manifestSchema)
		require.NoError(t, err, v)
		_, err = loadSchema(v, localizationSchema)
		require.NoError(t, err, v)
	}
	_, err := loadSchema("../x", manifestSchema)
	require.ErrorIs(t, err, errNotBundled)
	_, err = os.Stat(filepath.Join("schemas", "LICENSE"))
	require.NoError(t, err, "the schemas' licence must sit next to them")
}

// TestMicrosoftValidator runs Microsoft's own offline validator
// (@microsoft/app-manifest, pinned in validatorcheck/package.json) on the
// built package and on a broken one. It needs node and
// `npm ci --prefix manifest/validatorcheck`.
func TestMicrosoftValidator(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not installed")
	}
	if _, err := os.Stat(filepath.Join("validatorcheck", "node_modules", "@microsoft", "app-manifest")); err != nil {
		t.Skip("run npm ci --prefix manifest/validatorcheck to enable this test")
	}
	dir := t.TempDir()
	good := filepath.Join(dir, "attestbot.zip")
	require.NoError(t, os.WriteFile(good, mustPackage(t, testConfig()), 0o644))
	out, err := exec.Command(node, filepath.Join("validatorcheck", "check.mjs"), good).CombinedOutput()
	require.NoError(t, err, "%s", out)
	require.Contains(t, string(out), "manifest.json [1.30] -> VALID")
	require.Contains(t, string(out), "all valid")

	bad := filepath.Join(dir, "bad.zip")
	require.NoError(t, os.WriteFile(bad, zipOf(t, editJSON(t, goodFiles(t), ManifestFile, func(m map[string]any) {
		m["accentColor"] = "blue"
		delete(m["icons"].(map[string]any), "outline")
	})), 0o644))
	out, err = exec.Command(node, filepath.Join("validatorcheck", "check.mjs"), bad).CombinedOutput()
	var exitErr *exec.ExitError
	require.ErrorAs(t, err, &exitErr, "%s", out)
	require.Equal(t, 1, exitErr.ExitCode(), "%s", out)
	require.Contains(t, string(out), "/accentColor must match pattern")
	require.Contains(t, string(out), "must have required property 'outline'")
}

func FuzzValidate(f *testing.F) {
	files, err := Files(testConfig())
	require.NoError(f, err)
	var buf bytes.Buffer
	require.NoError(f, writeZip(&buf, files))
	pkg := buf.Bytes()
	f.Add(pkg)
	f.Add(pkg[:len(pkg)/2])
	f.Add(files[0].Data)
	f.Add([]byte(`{"manifestVersion":"1.30","icons":{"color":"../x","outline":"/etc/passwd"},"localizationInfo":{"additionalLanguages":[{"file":"fr.json"}]}}`))
	f.Add([]byte(`{"manifestVersion":"1.7","activities":{"activityTypes":[{"type":"systemDefault"},null,7]}}`))
	f.Add([]byte("PK\x05\x06"))
	f.Add([]byte{})
	path := filepath.Join(f.TempDir(), "in")
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, ps := range [][]Problem{ValidateBytes(data), validateFile(t, path, data)} {
			for _, p := range ps {
				if p.Path == "" || p.Message == "" || (p.Severity != SeverityError && p.Severity != SeverityWarning) {
					t.Fatalf("malformed problem %#v", p)
				}
			}
		}
	})
}

func validateFile(t *testing.T, path string, data []byte) []Problem {
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return Validate(path)
}
