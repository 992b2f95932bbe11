package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/internal/catalogio"
)

const corpus = "../../sample/corpus"

func runCmd(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, &out, &errb, testClients)
	return out.String(), errb.String(), code
}

func importSample(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "attestbot.db")
	for _, locale := range []string{"de-DE", "es-ES", "fr-FR", "it-IT", "ja-JP", "ko-KR", "pt-BR", "ru-RU", "zh-CN", "zh-TW"} {
		_, stderr, code := runCmd(t, "catalog", "import", "--store", db, filepath.Join(corpus, locale))
		require.Equal(t, 0, code, stderr)
	}
	return db
}

func TestCatalogImport_JSON(t *testing.T) {
	db := filepath.Join(t.TempDir(), "a.db")
	out, stderr, code := runCmd(t, "catalog", "import", "--store", db, "--json", filepath.Join(corpus, "fr-FR"), filepath.Join(corpus, "de-DE"))
	require.Equal(t, 0, code, stderr)
	var got map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	for _, k := range []string{"pages", "records", "failed", "warnings", "elapsed_ms", "by_kind", "by_locale", "fields", "answers", "permissions"} {
		require.Contains(t, got, k)
	}
	require.EqualValues(t, 40, got["pages"])
	require.EqualValues(t, 40, got["records"])
	require.EqualValues(t, 0, got["failed"])
	fields := got["fields"].(map[string]any)
	for _, k := range []string{"name", "appsource_id", "teams_app_id", "publisher", "certification", "updated"} {
		require.Contains(t, fields, k)
	}
	answers := got["answers"].(map[string]any)
	require.EqualValues(t, 0, answers["unknown"])
	require.Equal(t, answers["total"], answers["keyed"])
	require.EqualValues(t, 33, got["by_locale"].(map[string]any)["fr-FR"])

	// Importing the same pages again changes nothing.
	out, _, code = runCmd(t, "catalog", "import", "--store", db, "--json", filepath.Join(corpus, "fr-FR"), filepath.Join(corpus, "de-DE"))
	require.Equal(t, 0, code)
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	require.EqualValues(t, 40, got["unchanged"])
	require.EqualValues(t, 0, got["added"])
	require.EqualValues(t, 0, got["updated"])
}

func TestCatalogImport_Errors(t *testing.T) {
	_, stderr, code := runCmd(t, "catalog", "import", "--store", filepath.Join(t.TempDir(), "x.db"), "/does/not/exist")
	require.Equal(t, 1, code)
	require.Contains(t, stderr, "/does/not/exist")
	_, stderr, code = runCmd(t, "catalog", "import")
	require.Equal(t, 1, code)
	require.Contains(t, stderr, "requires at least 1 arg")
}

func TestCatalogExport(t *testing.T) {
	db := importSample(t)
	out, stderr, code := runCmd(t, "catalog", "export", "--store", db)
	require.Equal(t, 0, code, stderr)
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(make([]byte, 4<<20), 4<<20)
	n := 0
	for sc.Scan() {
		var rec map[string]any
		require.NoError(t, json.Unmarshal(sc.Bytes(), &rec))
		for _, k := range []string{"slug", "kind", "locale", "name", "appsource_id", "teams_app_id", "publisher", "certification", "updated", "answers", "permissions", "warnings"} {
			require.Contains(t, rec, k)
		}
		if rec["slug"] == "plumm-health-ltd" && rec["locale"] == "fr-FR" {
			require.Equal(t, "2021-08-18", rec["updated"])
			ans := rec["answers"].([]any)[0].(map[string]any)
			require.Equal(t, []string{"key", "label", "section", "text", "value"}, sortedMapKeys(ans))
			perm := rec["permissions"].([]any)[0].(map[string]any)
			require.Equal(t, []string{"collected", "entra_app_id", "name", "stored", "type"}, sortedMapKeys(perm))
		}
		n++
	}
	require.Equal(t, 72, n)
}

func sortedMapKeys(m map[string]any) []string {
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	for i := range keys {
		for j := i + 1; j < len(keys); j++ {
			if keys[j] < keys[i] {
				keys[i], keys[j] = keys[j], keys[i]
			}
		}
	}
	return keys
}

func TestCatalogShow(t *testing.T) {
	db := importSample(t)
	tests := []struct {
		query []string
		want  string
	}{
		{[]string{"plumm"}, "Plumm Health LTD"},
		{[]string{"plum"}, "Plumm"},
		{[]string{"WA200003326"}, "plumm-health-ltd"},
		{[]string{"https://appsource.microsoft.com/en-us/product/office/WA200003326?tab=Overview"}, "Plumm"},
		{[]string{"d66da813-3337-4f88-8e08-f01c0bbb8f34"}, "Plumm"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.query, " "), func(t *testing.T) {
			args := append([]string{"catalog", "show", "--store", db}, tt.query...)
			out, stderr, code := runCmd(t, args...)
			require.Equal(t, 0, code, stderr)
			require.Contains(t, out, tt.want)
		})
	}
	out, _, code := runCmd(t, "catalog", "show", "--store", db, "--json", "--locale", "de-DE", "plumm")
	require.Equal(t, 0, code)
	var rec map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &rec))
	require.Equal(t, "de-DE", rec["locale"])

	_, stderr, code := runCmd(t, "catalog", "show", "--store", db, "zzzzqqqq")
	require.Equal(t, 2, code)
	require.Contains(t, stderr, "no app matches")
}

func TestCatalogSearch(t *testing.T) {
	db := importSample(t)
	out, stderr, code := runCmd(t, "catalog", "search", "--store", db, "--json", "hipaa=yes", "kind=teams")
	require.Equal(t, 0, code, stderr)
	var res catalogio.SearchOutput
	require.NoError(t, json.Unmarshal([]byte(out), &res))
	require.NotZero(t, res.Count)
	var slugs []string
	for _, r := range res.Results {
		slugs = append(slugs, r.Slug)
		require.Equal(t, "teams", r.Kind)
	}
	require.Contains(t, slugs, "plumm-health-ltd")

	out, _, code = runCmd(t, "catalog", "search", "--store", db, "--json", "permission=Mail.ReadWrite")
	require.Equal(t, 0, code)
	require.NoError(t, json.Unmarshal([]byte(out), &res))
	slugs = nil
	for _, r := range res.Results {
		slugs = append(slugs, r.Slug)
	}
	require.Contains(t, slugs, "emailgistics-corp")

	_, stderr, code = runCmd(t, "catalog", "search", "--store", db, "nosuchfilter=1")
	require.Equal(t, 1, code)
	require.Contains(t, stderr, "nosuchfilter")
}

func TestCatalogDiff(t *testing.T) {
	hist := filepath.Join(corpus, "history", "fr-FR", "ringcentral-inc")
	tests := []struct {
		old, new string
		empty    bool
		contains []string
	}{
		{"2021-09-13_9bcf6cc3.md", "2021-10-18_ae4772ad.md", true, nil},
		{"2022-03-21_a30d7e56.md", "2022-07-22_bd414b61.md", false, []string{"updated", "permission:Calendars.ReadWrite", "permission:offline_access"}},
	}
	for _, tt := range tests {
		out, stderr, code := runCmd(t, "catalog", "diff", "--json", filepath.Join(hist, tt.old), filepath.Join(hist, tt.new))
		require.Equal(t, 0, code, stderr)
		var got catalogio.DiffOutput
		require.NoError(t, json.Unmarshal([]byte(out), &got))
		require.NotNil(t, got.Changes)
		if tt.empty {
			require.Empty(t, got.Changes, out)
			require.Contains(t, out, `"changes": []`)
			continue
		}
		var fields []string
		for _, c := range got.Changes {
			fields = append(fields, c.Field)
			require.Equal(t, "ringcentral-inc", c.App)
		}
		for _, f := range tt.contains {
			require.Contains(t, fields, f)
		}
	}
}

func TestVersion(t *testing.T) {
	out, _, code := runCmd(t, "version")
	require.Equal(t, 0, code)
	require.Equal(t, "attestbot dev\n", out)
}

func TestCatalogShow_AttestbotOwnPage(t *testing.T) {
	db := filepath.Join(t.TempDir(), "a.db")
	_, stderr, code := runCmd(t, "catalog", "import", "--store", db, "../../deploy/compliance")
	require.Equal(t, 0, code, stderr)
	out, stderr, code := runCmd(t, "catalog", "show", "--store", db, "--json", "attestbot")
	require.Equal(t, 0, code, stderr)
	var rec map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &rec))
	require.Equal(t, "attestbot", rec["name"])
	var perms []string
	for _, p := range rec["permissions"].([]any) {
		perms = append(perms, p.(map[string]any)["name"].(string))
	}
	require.Contains(t, perms, "TeamsActivity.Send")
	for _, a := range rec["answers"].([]any) {
		require.NotEqual(t, "unknown", a.(map[string]any)["value"])
		require.NotEmpty(t, a.(map[string]any)["key"])
	}
}

func TestManifestCommands(t *testing.T) {
	zip := filepath.Join(t.TempDir(), "attestbot.zip")
	out, stderr, code := runCmd(t, "manifest", "build", "--out", zip)
	require.Equal(t, 0, code, stderr)
	require.Contains(t, out, "wrote")
	out, _, code = runCmd(t, "manifest", "validate", zip)
	require.Equal(t, 0, code, out)
	require.Contains(t, out, "valid")
	out, _, code = runCmd(t, "manifest", "validate", "catalog_test.go")
	require.Equal(t, 1, code)
	require.Contains(t, out, "catalog_test.go: error")
}

// TestCatalogImport_LocaleSource imports pages whose location tells no
// locale (a flat copy of a few pages) as fr-FR=DIR, the form the README
// gives for sources, and exports index pages as kind index.
func TestCatalogImport_LocaleSource(t *testing.T) {
	dir := t.TempDir()
	for _, page := range []string{"teams/plumm-health-ltd.md", "teams-index/teams-apps.md", "teams/saberr.md"} {
		data, err := os.ReadFile(filepath.Join(corpus, "fr-FR", page))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, filepath.Base(page)), data, 0o644))
	}
	db := filepath.Join(t.TempDir(), "a.db")
	out, stderr, code := runCmd(t, "catalog", "import", "--store", db, "--json", "fr-FR="+dir)
	require.Equal(t, 0, code, stderr)
	var got map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	require.EqualValues(t, 3, got["by_locale"].(map[string]any)["fr-FR"], out)

	out, stderr, code = runCmd(t, "catalog", "export", "--store", db)
	require.Equal(t, 0, code, stderr)
	kinds := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var rec catalogio.ExportRecord
		require.NoError(t, json.Unmarshal([]byte(line), &rec))
		kinds[rec.Slug] = rec.Kind + "/" + rec.Type
		if rec.Slug == "saberr" {
			require.NotEmpty(t, rec.Statements, "template-B free-text sections are exported")
			require.NotEmpty(t, rec.OtherAPIs)
			require.NotEmpty(t, rec.Services)
		}
	}
	require.Equal(t, "index/index", kinds["teams-apps"])
	require.Equal(t, "teams/app", kinds["plumm-health-ltd"])

	_, stderr, code = runCmd(t, "catalog", "import", "--store", db, "fr-FR=https://example.invalid/repo.git")
	require.Equal(t, 1, code)
	require.Contains(t, stderr, "use attestbot sync for git sources")
}
