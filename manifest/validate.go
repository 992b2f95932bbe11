package manifest

import (
	"archive/zip"
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// Severity ranks a Problem.
type Severity string

// Severities. An error makes Teams (or Graph) refuse the package; a
// warning is worth fixing but does not.
const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
)

// Problem is one thing wrong with a manifest or a package.
type Problem struct {
	// Path locates the problem: a JSONPath into manifest.json ($.icons.outline,
	// $.bots[0].botId), a localization file followed by a JSONPath
	// (fr.json$['name.short']), or "package" / "package/<entry>" for the zip.
	Path string `json:"path"`
	// Message says what is wrong and, where it helps, how to fix it.
	Message string `json:"message"`
	// Severity is error or warning.
	Severity Severity `json:"severity"`
}

// String formats the problem as "error $.path: message".
func (p Problem) String() string { return string(p.Severity) + " " + p.Path + ": " + p.Message }

// HasErrors reports whether any problem is an error.
func HasErrors(ps []Problem) bool {
	return slices.ContainsFunc(ps, func(p Problem) bool { return p.Severity == SeverityError })
}

// Size limits checked by Validate.
const (
	// MaxPackageSize is the largest app package accepted. The Teams docs
	// name no exact figure that we could verify offline; 25 MiB is the
	// conservative upload limit this project uses, far above the ~20 KB of
	// attestbot's package.
	MaxPackageSize = 25 << 20
	// maxFileSize bounds what Validate reads of any one file (zip entry or
	// manifest.json on disk).
	maxFileSize = 8 << 20
	// maxIconDimension bounds the PNG sizes Validate decodes.
	maxIconDimension = 4096
)

// Validate checks a manifest.json file or a Teams app package (.zip) and
// returns every problem found, errors first, each with its location. An
// empty result means the manifest or package is valid.
//
// A package is checked for its layout (manifest.json at the root, no
// folders, referenced files present), size, the manifest against the
// bundled official JSON schema of its manifestVersion, GUID formats, icon
// sizes and outline transparency, the activity types attestbot sends, and
// its localization files. A bare manifest.json is checked the same way,
// with icons and localization files read from its folder.
func Validate(file string) []Problem {
	f, err := os.Open(file)
	if err != nil {
		return []Problem{errorf("file", "cannot open %s: %v", file, err)}
	}
	defer func() { _ = f.Close() }()
	fi, err := f.Stat()
	if err != nil {
		return []Problem{errorf("file", "cannot stat %s: %v", file, err)}
	}
	if fi.IsDir() {
		return []Problem{errorf("file", "%s is a folder; give the package .zip or its manifest.json", file)}
	}
	var head [4]byte
	n, _ := io.ReadFull(f, head[:])
	if isZip(head[:n]) || strings.EqualFold(filepath.Ext(file), ".zip") {
		return finish(validatePackage(f, fi.Size()))
	}
	if fi.Size() > maxFileSize {
		return []Problem{errorf("$", "%s is %d bytes; a manifest is a few kilobytes (limit %d)", file, fi.Size(), maxFileSize)}
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return []Problem{errorf("file", "cannot read %s: %v", file, err)}
	}
	v := &validator{src: dirSource(filepath.Dir(file))}
	v.manifest(data)
	return finish(v.problems)
}

func isZip(b []byte) bool {
	return bytes.HasPrefix(b, []byte("PK\x03\x04")) || bytes.HasPrefix(b, []byte("PK\x05\x06"))
}

// finish sorts problems: errors first, then by path and message, without
// duplicates.
func finish(ps []Problem) []Problem {
	slices.SortStableFunc(ps, func(a, b Problem) int {
		if a.Severity != b.Severity {
			if a.Severity == SeverityError {
				return -1
			}
			return 1
		}
		return cmp.Or(strings.Compare(a.Path, b.Path), strings.Compare(a.Message, b.Message))
	})
	return slices.Compact(ps)
}

func errorf(p, format string, a ...any) Problem {
	return Problem{Path: p, Message: fmt.Sprintf(format, a...), Severity: SeverityError}
}

func warnf(p, format string, a ...any) Problem {
	return Problem{Path: p, Message: fmt.Sprintf(format, a...), Severity: SeverityWarning}
}

// source reads the files a manifest references.
type source interface {
	// read returns the file's bytes; found is false when it does not exist.
	read(name string) (data []byte, found bool, err error)
}

type dirSource string

func (d dirSource) read(name string) ([]byte, bool, error) {
	f, err := os.Open(filepath.Join(string(d), filepath.FromSlash(name)))
	if errors.Is(err, os.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	defer func() { _ = f.Close() }()
	b, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return nil, true, err
	}
	if len(b) > maxFileSize {
		return nil, true, fmt.Errorf("larger than %d bytes", maxFileSize)
	}
	return b, true, nil
}

type zipSource struct {
	files map[string]*zip.File
	used  map[string]bool
}

func (z *zipSource) read(name string) ([]byte, bool, error) {
	f, ok := z.files[name]
	if !ok {
		return nil, false, nil
	}
	z.used[name] = true
	b, err := readEntry(f)
	return b, true, err
}

func readEntry(f *zip.File) ([]byte, error) {
	if f.UncompressedSize64 > maxFileSize {
		return nil, fmt.Errorf("uncompressed size %d bytes is over %d", f.UncompressedSize64, maxFileSize)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer func() { _ = rc.Close() }()
	b, err := io.ReadAll(io.LimitReader(rc, maxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxFileSize {
		return nil, fmt.Errorf("larger than %d bytes", maxFileSize)
	}
	return b, nil
}

func validatePackage(r io.ReaderAt, size int64) []Problem {
	var ps []Problem
	if size > MaxPackageSize {
		ps = append(ps, errorf("package", "package is %d bytes; the limit is %d bytes (%d MiB)", size, MaxPackageSize, MaxPackageSize>>20))
	}
	zr, err := zip.NewReader(r, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return append(ps, errorf("package", "not a valid zip archive: %v", err))
	}
	src := &zipSource{files: map[string]*zip.File{}, used: map[string]bool{}}
	var nested []string
	for _, f := range zr.File {
		name := f.Name
		p := "package/" + name
		switch {
		case name == "" || strings.HasPrefix(name, "/") || strings.Contains(name, `\`) || slices.Contains(strings.Split(name, "/"), ".."):
			ps = append(ps, errorf(p, "unsafe entry name; package entries are plain relative names"))
			continue
		case strings.HasSuffix(name, "/"):
			ps = append(ps, warnf(p, "folder entry; zip the files themselves, not their folder"))
			continue
		}
		if _, dup := src.files[name]; dup {
			ps = append(ps, errorf(p, "entry appears twice in the package"))
			continue
		}
		src.files[name] = f
		if strings.EqualFold(path.Base(name), ManifestFile) && name != ManifestFile {
			nested = append(nested, name)
		}
	}
	if _, ok := src.files[ManifestFile]; !ok {
		if len(nested) > 0 {
			return append(ps, errorf("package", "manifest.json is at %q, not at the root of the zip; zip the files themselves, not their folder", nested[0]))
		}
		return append(ps, errorf("package", "no manifest.json at the root of the zip"))
	}
	data, _, err := src.read(ManifestFile)
	if err != nil {
		return append(ps, errorf("package/"+ManifestFile, "cannot read: %v", err))
	}
	v := &validator{src: src}
	v.manifest(data)
	ps = append(ps, v.problems...)
	for _, name := range sortedKeys(src.files) {
		if src.used[name] {
			continue
		}
		if strings.Contains(name, "/") {
			ps = append(ps, warnf("package/"+name, "file in a folder that the manifest does not reference; keep the package flat"))
		} else {
			ps = append(ps, warnf("package/"+name, "file not referenced by the manifest"))
		}
	}
	return ps
}

// validator accumulates the problems of one manifest.
type validator struct {
	src      source // nil: referenced files are not checked
	problems []Problem
	custom   map[string]bool // paths with a specific problem that hides schema pattern errors
}

func (v *validator) add(p Problem) { v.problems = append(v.problems, p) }

func (v *validator) manifest(data []byte) {
	if bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		v.add(warnf("$", "manifest.json starts with a UTF-8 byte order mark; save it without one"))
		data = data[3:]
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		v.add(errorf("$", "manifest.json is not valid JSON: %v", err))
		return
	}
	obj, ok := doc.(map[string]any)
	if !ok {
		v.add(errorf("$", "manifest.json must hold a JSON object, not %s", jsonType(doc)))
		return
	}
	v.custom = map[string]bool{}
	version, _ := obj["manifestVersion"].(string)
	v.ids(obj)
	v.icons(obj)
	v.activities(obj)
	v.domains(obj)
	if s, ok := obj["$schema"].(string); ok && version != "" {
		if m := schemaVersionRe.FindStringSubmatch(s); m != nil && m[1] != version {
			v.add(warnf("$['$schema']", "$schema names version %s but manifestVersion is %s", m[1], version))
		}
	}
	switch {
	case version == "":
		v.add(errorf("$.manifestVersion", "missing: the schema version (for example %q) is required to validate the manifest", SchemaVersion))
	default:
		v.schema(doc, version, manifestSchema, "")
	}
	v.localization(obj, version)
}

var schemaVersionRe = regexp.MustCompile(`/v([0-9]+\.[0-9]+|DevPreview)/`)

// schema validates doc against the bundled schema; prefix is put before
// each JSONPath (a localization file name, or "" for manifest.json).
func (v *validator) schema(doc any, version string, kind schemaKind, prefix string) {
	sch, err := loadSchema(version, kind)
	if errors.Is(err, errNotBundled) {
		bundled := BundledVersions()
		v.add(errorf(prefix+"$.manifestVersion", "no schema is bundled for manifest version %q (bundled: %s to %s); attestbot validates offline only",
			version, bundled[0], bundled[len(bundled)-1]))
		return
	}
	if err != nil {
		v.add(errorf(prefix+"$", "cannot load the bundled schema: %v", err))
		return
	}
	err = sch.Validate(doc)
	var verr *jsonschema.ValidationError
	if !errors.As(err, &verr) {
		return
	}
	for _, leaf := range leaves(verr) {
		p := prefix + jsonPath(doc, leaf.InstanceLocation)
		msg := leaf.ErrorKind.LocalizedString(printer)
		if prefix == "" && v.custom[p] && strings.Contains(msg, "match pattern") {
			continue // already reported with a clearer message
		}
		v.add(errorf(p, "%s (schema v%s)", msg, version))
	}
}

var printer = message.NewPrinter(language.English)

// leaves returns the innermost errors of a validation error tree.
func leaves(e *jsonschema.ValidationError) []*jsonschema.ValidationError {
	if len(e.Causes) == 0 {
		return []*jsonschema.ValidationError{e}
	}
	var out []*jsonschema.ValidationError
	for _, c := range e.Causes {
		out = append(out, leaves(c)...)
	}
	return out
}

var identRe = regexp.MustCompile(`^[A-Za-z_$][A-Za-z0-9_$]*$`)

// jsonPath turns a JSON pointer's tokens into a JSONPath, walking doc to
// tell array indexes from object keys.
func jsonPath(doc any, tokens []string) string {
	var b strings.Builder
	b.WriteString("$")
	cur := doc
	for _, t := range tokens {
		switch c := cur.(type) {
		case []any:
			i, err := strconv.Atoi(t)
			b.WriteString("[" + t + "]")
			if err == nil && i >= 0 && i < len(c) {
				cur = c[i]
			} else {
				cur = nil
			}
			continue
		case map[string]any:
			cur = c[t]
		default:
			cur = nil
		}
		if identRe.MatchString(t) {
			b.WriteString("." + t)
		} else {
			b.WriteString("['" + strings.ReplaceAll(t, "'", `\'`) + "']")
		}
	}
	return b.String()
}

func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	default:
		return "a number"
	}
}

func (v *validator) guid(p string, val any) {
	s, ok := val.(string)
	if !ok {
		return // a missing or non-string ID is the schema's to report
	}
	v.custom[p] = true
	switch {
	case !IsGUID(s):
		v.add(errorf(p, "%q is not a GUID (8-4-4-4-12 hexadecimal digits, like 6f1a3c1e-2b4d-4e8f-9a0b-1c2d3e4f5a6b)", s))
	case s == nilGUID:
		v.add(errorf(p, "is the nil GUID; use the real ID"))
	}
}

func (v *validator) ids(obj map[string]any) {
	v.guid("$.id", obj["id"])
	for i, b := range arr(obj["bots"]) {
		v.guid(fmt.Sprintf("$.bots[%d].botId", i), field(b, "botId"))
	}
	for i, c := range arr(obj["composeExtensions"]) {
		if id := field(c, "botId"); id != nil {
			v.guid(fmt.Sprintf("$.composeExtensions[%d].botId", i), id)
		}
	}
	if w := field(obj, "webApplicationInfo"); w != nil {
		v.guid("$.webApplicationInfo.id", field(w, "id"))
	}
}

func arr(v any) []any {
	a, _ := v.([]any)
	return a
}

func field(v any, name string) any {
	m, _ := v.(map[string]any)
	return m[name]
}

// safeName reports whether a referenced file name stays inside the package.
func safeName(name string) bool {
	return name != "" && !strings.HasPrefix(name, "/") && !strings.Contains(name, `\`) &&
		!slices.Contains(strings.Split(name, "/"), "..") && !strings.Contains(name, "://")
}

// readRef reads a file the manifest references at JSONPath p.
func (v *validator) readRef(p string, val any) ([]byte, bool) {
	name, ok := val.(string)
	if !ok || v.src == nil {
		return nil, false
	}
	if !safeName(name) {
		v.add(errorf(p, "%q is not a relative path inside the package", name))
		return nil, false
	}
	data, found, err := v.src.read(name)
	switch {
	case !found:
		v.add(errorf(p, "file %q is not in the package", name))
		return nil, false
	case err != nil:
		v.add(errorf(p, "cannot read %q: %v", name, err))
		return nil, false
	}
	return data, true
}

func (v *validator) icons(obj map[string]any) {
	icons, _ := obj["icons"].(map[string]any)
	checks := []struct {
		key     string
		size    int
		outline bool
		what    string
	}{
		{"color", ColorIconSize, false, "colour icon"},
		{"outline", OutlineIconSize, true, "outline icon"},
		{"color32x32", 32, false, "32×32 colour icon"},
	}
	for _, c := range checks {
		p := "$.icons." + c.key
		data, ok := v.readRef(p, icons[c.key])
		if !ok {
			continue
		}
		name := icons[c.key].(string)
		cfg, err := png.DecodeConfig(bytes.NewReader(data))
		if err != nil {
			v.add(errorf(p, "%s is not a PNG image: %v", name, err))
			continue
		}
		if cfg.Width != c.size || cfg.Height != c.size {
			v.add(errorf(p, "%s is %d×%d pixels; the %s must be %d×%d", name, cfg.Width, cfg.Height, c.what, c.size, c.size))
		}
		if !c.outline || cfg.Width > maxIconDimension || cfg.Height > maxIconDimension {
			continue
		}
		img, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			v.add(errorf(p, "%s is not a readable PNG image: %v", name, err))
			continue
		}
		if msg := outlineProblem(img); msg != "" {
			v.add(errorf(p, "%s: %s", name, msg))
		}
	}
}

// outlineProblem checks that every pixel is fully transparent or white.
func outlineProblem(img image.Image) string {
	bad, opaque := 0, 0
	var first image.Point
	var firstC color.NRGBA
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
			if c.A == 0 {
				continue
			}
			if c.A == 255 {
				opaque++
			}
			if c.R != 255 || c.G != 255 || c.B != 255 {
				if bad == 0 {
					first, firstC = image.Pt(x, y), c
				}
				bad++
			}
		}
	}
	switch {
	case bad > 0:
		return fmt.Sprintf("%d pixels are neither transparent nor white (first at %d,%d: rgba(%d,%d,%d,%d)); the outline icon must be white on a transparent background",
			bad, first.X, first.Y, firstC.R, firstC.G, firstC.B, firstC.A)
	case opaque == b.Dx()*b.Dy():
		return "has no transparent pixel; the outline icon must be white on a transparent background"
	}
	return ""
}

func (v *validator) activities(obj map[string]any) {
	declared := map[string]string{} // type → templateText
	for i, a := range arr(field(obj["activities"], "activityTypes")) {
		t, _ := field(a, "type").(string)
		tt, _ := field(a, "templateText").(string)
		if t == "systemDefault" {
			v.add(errorf(fmt.Sprintf("$.activities.activityTypes[%d].type", i), "systemDefault is reserved by Graph and must not be declared"))
		}
		if _, dup := declared[t]; dup && t != "" {
			v.add(errorf(fmt.Sprintf("$.activities.activityTypes[%d].type", i), "activity type %q is declared twice", t))
		}
		declared[t] = tt
	}
	for _, a := range activities {
		tt, ok := declared[a.Type]
		if !ok {
			v.add(errorf("$.activities.activityTypes", "activity type %q, which attestbot sends, is not declared; Graph refuses undeclared activity types", a.Type))
			continue
		}
		for _, prm := range (Activity{TemplateText: tt}).Params() {
			if !slices.Contains(a.Params(), prm) {
				v.add(warnf("$.activities.activityTypes", "template of %q uses {%s}, which attestbot does not send (it sends %s)",
					a.Type, prm, strings.Join(a.Params(), ", ")))
			}
		}
	}
}

func (v *validator) domains(obj map[string]any) {
	for i, d := range arr(obj["validDomains"]) {
		s, ok := d.(string)
		if ok && (strings.Contains(s, "://") || strings.Contains(s, "/")) {
			v.add(warnf(fmt.Sprintf("$.validDomains[%d]", i), "%q should be a host name such as bot.example.com, not a URL", s))
		}
	}
}

func (v *validator) localization(obj map[string]any, version string) {
	li, ok := obj["localizationInfo"].(map[string]any)
	if !ok {
		return
	}
	type ref struct {
		p   string
		val any
	}
	var refs []ref
	if f := li["defaultLanguageFile"]; f != nil {
		refs = append(refs, ref{"$.localizationInfo.defaultLanguageFile", f})
	}
	for i, l := range arr(li["additionalLanguages"]) {
		refs = append(refs, ref{fmt.Sprintf("$.localizationInfo.additionalLanguages[%d].file", i), field(l, "file")})
	}
	for _, r := range refs {
		val := r.val
		data, ok := v.readRef(r.p, val)
		if !ok {
			continue
		}
		name := val.(string)
		data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			v.add(errorf(name+"$", "not valid JSON: %v", err))
			continue
		}
		v.localizedLengths(doc, name)
		if _, err := loadSchema(version, localizationSchema); err == nil {
			v.schema(doc, version, localizationSchema, name)
		}
	}
}

// localizedLimits are the string limits of the localized names and
// descriptions. The localization schemas declare them next to a $ref,
// which draft-04 validators ignore, so they are checked here.
var localizedLimits = []struct {
	key string
	max int
}{{"name.short", 30}, {"name.full", 100}, {"description.short", 80}, {"description.full", 4000}}

func (v *validator) localizedLengths(doc any, file string) {
	m, _ := doc.(map[string]any)
	for _, l := range localizedLimits {
		s, ok := m[l.key].(string)
		if n := utf8.RuneCountInString(s); ok && n > l.max {
			v.add(errorf(file+"$['"+l.key+"']", "is %d characters long; the limit is %d", n, l.max))
		}
	}
}
