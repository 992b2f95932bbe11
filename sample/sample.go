// Package sample bundles the developer sample of Microsoft 365 App
// Compliance pages (CC BY 4.0, see corpus/README.md and corpus/LICENSE):
// 72 current pages in ten locales and 15 historical revisions. attestbot
// serve imports the current pages in local mode, so that a newcomer can
// chat with the bot at once; tests use the pages and the history.
package sample

import (
	"embed"
	"io/fs"
	"strings"
)

//go:embed corpus
var corpus embed.FS

// FS returns the whole sample: <locale>/<kind>/<slug>.md pages and
// history/<locale>/<slug>/<date>_<commit>.md revisions.
func FS() fs.FS {
	sub, _ := fs.Sub(corpus, "corpus")
	return sub
}

// CurrentPages lists the paths (within FS) of the current pages, without
// the historical revisions, in lexical order.
func CurrentPages() []string {
	var out []string
	_ = fs.WalkDir(FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && p == "history" {
			return fs.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(p, ".md") && strings.Contains(p, "/") {
			out = append(out, p)
		}
		return nil
	})
	return out
}
