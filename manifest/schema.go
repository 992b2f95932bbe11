package manifest

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/dlclark/regexp2/v2"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// schemaFS holds Microsoft's manifest and localization schemas, copied
// unmodified from npm @microsoft/app-manifest 1.1.2 (MIT, see
// schemas/LICENSE and schemas/README.md).
//
//go:embed schemas/*/MicrosoftTeams.schema.json schemas/*/MicrosoftTeams.Localization.schema.json
var schemaFS embed.FS

// BundledVersions returns the manifest versions whose schemas are bundled,
// oldest first.
func BundledVersions() []string {
	entries, err := schemaFS.ReadDir("schemas")
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		if e.IsDir() && strings.HasPrefix(e.Name(), "v") {
			out = append(out, strings.TrimPrefix(e.Name(), "v"))
		}
	}
	slices.SortFunc(out, compareVersions)
	return out
}

func compareVersions(a, b string) int {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(pa) && i < len(pb); i++ {
		if c := len(pa[i]) - len(pb[i]); c != 0 {
			return c
		}
		if c := strings.Compare(pa[i], pb[i]); c != 0 {
			return c
		}
	}
	return len(pa) - len(pb)
}

type schemaKind string

const (
	manifestSchema     schemaKind = "MicrosoftTeams.schema.json"
	localizationSchema schemaKind = "MicrosoftTeams.Localization.schema.json"
)

type schemaKey struct {
	version string
	kind    schemaKind
}

var (
	schemaMu    sync.Mutex
	schemaCache = map[schemaKey]*jsonschema.Schema{}
)

// errNotBundled tells that no schema is bundled for a version.
var errNotBundled = errors.New("schema not bundled")

// loadSchema compiles (once) the bundled schema of a manifest version.
func loadSchema(version string, kind schemaKind) (*jsonschema.Schema, error) {
	if !versionNameRe.MatchString(version) {
		return nil, errNotBundled
	}
	key := schemaKey{version, kind}
	schemaMu.Lock()
	defer schemaMu.Unlock()
	if s, ok := schemaCache[key]; ok {
		return s, nil
	}
	name := "schemas/v" + version + "/" + string(kind)
	raw, err := schemaFS.ReadFile(name)
	if err != nil {
		return nil, errNotBundled
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("read bundled %s: %w", name, err)
	}
	url := "https://developer.microsoft.com/json-schemas/teams/v" + version + "/" + string(kind)
	c := jsonschema.NewCompiler()
	c.UseRegexpEngine(compilePattern)
	c.AssertFormat()
	if err := c.AddResource(url, doc); err != nil {
		return nil, fmt.Errorf("load bundled %s: %w", name, err)
	}
	s, err := c.Compile(url)
	if err != nil {
		return nil, fmt.Errorf("compile bundled %s: %w", name, err)
	}
	schemaCache[key] = s
	return s, nil
}

var versionNameRe = regexp.MustCompile(`^[0-9]+\.[0-9]+$`)

// compilePattern compiles a schema "pattern". The schemas are written for
// ECMAScript (ajv); most patterns are also valid RE2 and use Go's regexp,
// the others (lookaheads, \b in a class) fall back to regexp2 in
// ECMAScript mode, bounded by a match timeout.
func compilePattern(s string) (jsonschema.Regexp, error) {
	if re, err := regexp.Compile(s); err == nil {
		return re, nil
	}
	re, err := regexp2.Compile(s, regexp2.ECMAScript)
	if err != nil {
		return nil, err
	}
	re.MatchTimeout = time.Second
	return (*ecmaRegexp)(re), nil
}

type ecmaRegexp regexp2.Regexp

func (re *ecmaRegexp) MatchString(s string) bool {
	ok, err := (*regexp2.Regexp)(re).MatchString(s)
	return err == nil && ok
}

func (re *ecmaRegexp) String() string { return (*regexp2.Regexp)(re).String() }
