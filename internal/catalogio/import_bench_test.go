package catalogio

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/chat"
	"github.com/attestbot/attestbot/sample"
	"github.com/attestbot/attestbot/store"
)

// catalogOf13000 writes about 13,000 page files (the sample's current pages,
// each copied under new slugs, as in the ten public repositories) and
// returns their paths. Each copy of an app page is an app of its own, as
// in the real catalog (see writeCopies).
func catalogOf13000(tb testing.TB) []string {
	tb.Helper()
	pages := sample.CurrentPages()
	written := writeCopies(tb, tb.TempDir(), (13000+len(pages)-1)/len(pages))
	files := make([]string, len(written))
	for k, w := range written {
		files[k] = w.File
	}
	return files
}

// copiedPage is one page file of a set written by writeCopies.
type copiedPage struct {
	File string // the file written
	Orig string // the sample page it copies (locale/kind/name.md)
	I    int    // the copy number; 0 for the page itself
}

// writeCopies writes copies of each of the sample's current pages into
// dir, in the layout of the public repositories (one folder a kind, one
// index page a folder), and returns them. Copy 0 is the page itself, under
// its own file name. Every other copy of an app page is another app:
// copyNames gives it a name, a publisher and so a file name (slug) that
// share no word with the original's or another app's, and renameApp writes
// them, with its own AppSource ID and Teams app ID, into the page. All are
// derived from the page's file name (or IDs) and i, so the locales of copy
// i of one page still share them (one app at one source hash), and pages
// that share an AppSource ID in the sample share one in each copy (1-3
// listings an app, as in the real catalog). Copy i of another page (an
// Entra app ID page) is written as i-name.md. Each copy also carries a
// "copy: i" line, so that no copy's content is another's.
func writeCopies(tb testing.TB, dir string, copies int) []copiedPage {
	tb.Helper()
	require.LessOrEqual(tb, copies, 1000, "copyAppSourceID and copyNames keep the copy number in 3 digits")
	ids := map[string]string{}   // derived AppSource ID → the original it stands for
	words := map[string]string{} // folded word of a name or publisher → the app it names
	type page struct {
		path string
		data []byte
		rec  *attestation.Record // nil when the page did not parse
	}
	var pages []page
	for _, p := range sample.CurrentPages() {
		data, err := fs.ReadFile(sample.FS(), p)
		require.NoError(tb, err)
		rec, err := attestation.Parse(p, data)
		if err != nil {
			rec = nil // not an app page: copied as it is
		}
		pages = append(pages, page{p, data, rec})
		if rec != nil && rec.Type == attestation.PageApp {
			for _, w := range strings.Fields(attestation.Fold(rec.Name + " " + rec.Publisher + " " + rec.Slug)) {
				words[w] = "the sample"
			}
		}
	}
	var out []copiedPage
	for _, pg := range pages {
		p, data, rec := pg.path, pg.data, pg.rec
		app := rec != nil && rec.Type == attestation.PageApp
		locale, rest, _ := strings.Cut(p, "/")
		kind, name, _ := strings.Cut(rest, "/")
		kind = strings.TrimSuffix(strings.TrimSuffix(kind, "-id"), "-index")
		n := copies
		if strings.HasSuffix(name, "-apps.md") {
			n = 1 // one index page per folder, as in the repositories
		}
		folder := filepath.Join(dir, "OfficeDocs-AppCompliance-pr."+locale, "Apps", kind)
		for i := 0; i < n; i++ {
			f, page := filepath.Join(folder, name), data
			switch {
			case i > 0 && app:
				appName, pub := copyNames(name, i)
				for role, text := range map[string]string{"name": appName, "publisher": strings.TrimSuffix(pub, " Ltd")} {
					w, owner := attestation.Fold(text), fmt.Sprintf("the %s of copy %d of %s", role, i, name)
					if was, ok := words[w]; ok {
						require.Equal(tb, owner, was, "%q is two names", w)
					}
					words[w] = owner
				}
				if rec.AppSourceID != "" {
					id := copyAppSourceID(rec.AppSourceID, i)
					if was, ok := ids[id]; ok {
						require.Equal(tb, rec.AppSourceID, was, "two AppSource IDs derive %s in copy %d", id, i)
					}
					ids[id] = rec.AppSourceID
				}
				f = filepath.Join(folder, strings.ToLower(appName)+".md")
				page = renameApp(data, rec, i, appName, pub)
			case i > 0:
				f = filepath.Join(folder, fmt.Sprintf("%d-%s", i, name))
			}
			require.NoError(tb, os.MkdirAll(folder, 0o755))
			require.NoError(tb, os.WriteFile(f, copyPage(page, i), 0o644))
			out = append(out, copiedPage{File: f, Orig: p, I: i})
		}
	}
	return out
}

// copyPage returns copy i of a page: the page with a "copy: i" line in its
// front matter.
func copyPage(data []byte, i int) []byte {
	return bytes.Replace(data, []byte("ms.topic:"), []byte(fmt.Sprintf("copy: %d\nms.topic:", i)), 1)
}

// renameApp makes the page of rec the page of another app, copy i, named
// name and published by pub: the app-name and publisher rows hold them,
// the H1 heading is the name (its anchor the name lower-cased), every
// other occurrence of the original name and publisher (title, description,
// prose; the longer first, so that "Plumm Health LTD" is not read as
// "Plumm") becomes the new one, the AppSource ID becomes copyAppSourceID
// and the Teams app ID copyTeamsAppID. The answers and the source hash
// stay the original's.
func renameApp(data []byte, rec *attestation.Record, i int, name, pub string) []byte {
	// The IDs first: a SaaS offer's ID holds the publisher's name.
	if rec.AppSourceID != "" {
		data = bytes.ReplaceAll(data, []byte(rec.AppSourceID), []byte(copyAppSourceID(rec.AppSourceID, i)))
	}
	if rec.TeamsAppID != "" {
		re := regexp.MustCompile(`(?i)` + regexp.QuoteMeta(rec.TeamsAppID))
		data = re.ReplaceAllLiteral(data, []byte(copyTeamsAppID(rec.TeamsAppID, i)))
	}
	lines := strings.SplitAfter(string(data), "\n")
	rows := map[int]string{} // line → new last cell
	if a, ok := rec.Answer("gen.app_name"); ok && a.Line > 0 && a.Line <= len(lines) {
		rows[a.Line-1] = name
	}
	if a, ok := rec.Answer("gen.partner_company_name"); ok && a.Line > 0 && a.Line <= len(lines) {
		rows[a.Line-1] = pub
	}
	olds := [][2]string{{rec.Publisher, pub}, {rec.Name, name}}
	if len(rec.Name) > len(rec.Publisher) {
		olds[0], olds[1] = olds[1], olds[0]
	}
	h1 := false
	for k, l := range lines {
		if cell, ok := rows[k]; ok {
			// The row's last cell is the answer: replaced whole.
			t := strings.TrimRight(l, " \t\r\n")
			if t, ok := strings.CutSuffix(t, "|"); ok {
				if j := strings.LastIndex(t, "|"); j >= 0 {
					lines[k] = t[:j+1] + " " + cell + " |\n"
					continue
				}
			}
		}
		if !h1 && strings.HasPrefix(l, "# ") {
			h1 = true
			if strings.Contains(l, "</a>") {
				lines[k] = `# <a name="` + strings.ToLower(name) + `"></a>` + name + "\n"
			} else {
				lines[k] = "# " + name + "\n"
			}
			continue
		}
		for _, o := range olds {
			l = replaceWords(l, o[0], o[1])
		}
		lines[k] = l
	}
	return []byte(strings.Join(lines, ""))
}

// replaceWords replaces in s each occurrence of old, in any case, that
// is not part of a longer word (a letter or digit on either side of an
// end of old that is itself one), with new.
func replaceWords(s, old, new string) string {
	if strings.TrimSpace(old) == "" {
		return s
	}
	re := regexp.MustCompile(`(?i)` + regexp.QuoteMeta(old))
	isWord := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
	var b strings.Builder
	last := 0
	for _, m := range re.FindAllStringIndex(s, -1) {
		first, _ := utf8.DecodeRuneInString(s[m[0]:m[1]])
		end, _ := utf8.DecodeLastRuneInString(s[m[0]:m[1]])
		before, _ := utf8.DecodeLastRuneInString(s[:m[0]])
		after, _ := utf8.DecodeRuneInString(s[m[1]:])
		if isWord(first) && m[0] > 0 && isWord(before) || isWord(end) && m[1] < len(s) && isWord(after) {
			continue
		}
		b.WriteString(s[last:m[0]])
		b.WriteString(new)
		last = m[1]
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// Pseudo-words are spelled with syllables of one consonant and one vowel:
// 16 × 5 = 80 syllables, so 80³ words of 3 syllables and 80⁴ of 4.
const (
	pseudoConsonants = "bdfghklmnprstvwz"
	pseudoVowels     = "aeiou"
	pseudoSyllables  = len(pseudoConsonants) * len(pseudoVowels)
	pseudoHi         = 6480 // pseudoWords = pseudoHi × pseudoLo
	pseudoLo         = 6400
	pseudoWords      = 80*80*80 + 80*80*80*80 // 41,472,000
	pseudoFileCodes  = pseudoWords / 2000     // file codes, times 1000 copy numbers, times 2 roles
)

// copyNames derives the name ("Kovamira") and publisher ("Tesuvo Ltd") of
// copy i (1-999) of the app page with file name file. Each is a pseudo-word
// of 3-4 syllables numbered (code of file, i, role), where the code is a
// hash of the file name, through a bijection of the pseudo-words: words of
// two copies differ unless the codes of two file names do, which
// writeCopies checks (with the sample's own names and publishers).
func copyNames(file string, i int) (name, publisher string) {
	code := int(fnvOf(file) % pseudoFileCodes)
	word := func(role int) string {
		// Three Feistel-like rounds on (hi, lo) spread neighbouring
		// numbers over the whole space; each round is a bijection.
		n := (code*1000+i)*2 + role
		hi, lo := n/pseudoLo, n%pseudoLo
		lo = (lo + int(fnvOf(fmt.Sprint("a", hi))%pseudoLo)) % pseudoLo
		hi = (hi + int(fnvOf(fmt.Sprint("b", lo))%pseudoHi)) % pseudoHi
		lo = (lo + int(fnvOf(fmt.Sprint("c", hi))%pseudoLo)) % pseudoLo
		n = hi*pseudoLo + lo
		syllables := 3
		if n >= 80*80*80 {
			n, syllables = n-80*80*80, 4
		}
		var b strings.Builder
		for range syllables {
			s := n % pseudoSyllables
			n /= pseudoSyllables
			b.WriteByte(pseudoConsonants[s/len(pseudoVowels)])
			b.WriteByte(pseudoVowels[s%len(pseudoVowels)])
		}
		w := b.String()
		return strings.ToUpper(w[:1]) + w[1:]
	}
	return word(0), word(1) + " Ltd"
}

// fnvOf is the 32-bit FNV-1a hash of s.
func fnvOf(s string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(s))
	return h.Sum32()
}

// copyAppSourceID derives the AppSource ID of copy i (1-999) of an app:
// WA, then 9 digits: 9, the copy number, and 5 digits of a hash of the
// original ID. Real IDs start WA1 or WA2, so a derived one never names a
// sample app; writeCopies checks that no two originals derive one ID.
func copyAppSourceID(id string, i int) string {
	h := fnv.New32a()
	h.Write([]byte(id))
	return fmt.Sprintf("WA9%03d%05d", i, h.Sum32()%100000)
}

// copyTeamsAppID derives the Teams app ID (a version-4-shaped GUID) of
// copy i of an app from a hash of the original ID and i.
func copyTeamsAppID(id string, i int) string {
	s := sha256.Sum256([]byte(fmt.Sprintf("%s/%d", strings.ToLower(id), i)))
	s[6] = s[6]&0x0f | 0x40
	s[8] = s[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", s[0:4], s[4:6], s[6:8], s[8:10], s[10:16])
}

// BenchmarkImport13000 imports about 13,000 pages into a new bbolt store:
// parse on every core, reconcile, store in batches. Target: under 10 s on a
// 2-core machine.
func BenchmarkImport13000(b *testing.B) {
	files := catalogOf13000(b)
	opts := ImportOptions{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		st, err := store.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
		require.NoError(b, err)
		srcs := make([]attestation.Source, len(files))
		for i, f := range files {
			srcs[i] = attestation.Source{File: f}
		}
		stats, err := Import(ctx, st, srcs, opts)
		require.NoError(b, err)
		require.Equal(b, len(files), stats.Records)
		require.NoError(b, st.Close())
	}
	b.ReportMetric(float64(len(files)), "pages/op")
}

// TestCatalogMemory13000 loads about 13,000 records into the searchable
// catalog and reports the heap it holds (target: under 150 MB).
func TestCatalogMemory13000(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("writes and parses 13,000 files: not in -short or -race runs (make bench runs it)")
	}
	files := catalogOf13000(t)
	var recs []*attestation.Record
	srcs := make([]attestation.Source, len(files))
	for i, f := range files {
		srcs[i] = attestation.Source{File: f}
	}
	err := attestation.ParseSources(context.Background(), srcs, func(_ attestation.Source, r *attestation.Record, err error) error {
		if err == nil {
			recs = append(recs, r)
		}
		return nil
	})
	require.NoError(t, err)
	require.Len(t, recs, len(files))
	require.Greater(t, len(recs), 12400)
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	cat := chat.NewCatalog(sample.Records(recs))
	_, err = cat.Reload(context.Background())
	require.NoError(t, err)
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	t.Logf("%d records: %.1f MB of heap with the search index (index alone %.1f MB)", len(recs),
		float64(after.HeapAlloc)/(1<<20), float64(after.HeapAlloc-before.HeapAlloc)/(1<<20))
	require.Less(t, after.HeapAlloc, uint64(150<<20))
	runtime.KeepAlive(cat)
	runtime.KeepAlive(recs)
}

// TestCopiesAreDistinctApps checks the 13k set's shape on a few copies:
// every copy of an app page parses with the answers of the original, its
// own name, publisher, slug, anchor, AppSource ID and Teams app ID, at the
// original's source hash; the index holds copies times the apps of the
// sample, each with the listings of its own copy; "plumm" finds Plumm
// itself and none of its copies.
func TestCopiesAreDistinctApps(t *testing.T) {
	const copies = 4
	ctx := context.Background()
	written := writeCopies(t, t.TempDir(), copies)
	srcs := make([]attestation.Source, len(written))
	for k, w := range written {
		srcs[k] = attestation.Source{File: w.File}
	}
	byFile := map[string]*attestation.Record{}
	var recs []*attestation.Record
	require.NoError(t, attestation.ParseSources(ctx, srcs, func(src attestation.Source, r *attestation.Record, err error) error {
		require.NoError(t, err, src.File)
		byFile[src.File] = r
		recs = append(recs, r)
		return nil
	}))
	require.Len(t, recs, len(written))

	origOf := map[string]*attestation.Record{} // sample page → its record (copy 0)
	for _, w := range written {
		if w.I == 0 {
			origOf[w.Orig] = byFile[w.File]
		}
	}
	type pageCopy struct {
		page string // kind/slug of the original
		i    int
	}
	keyOf := map[pageCopy]string{} // copy i of a page → its kind/slug
	copyOf := map[*attestation.Record]int{}
	copyNamesSeen := map[string]bool{}
	copied := 0
	for _, w := range written {
		r, orig := byFile[w.File], origOf[w.Orig]
		require.NotNil(t, orig, w.Orig)
		keyOf[pageCopy{orig.Kind + "/" + orig.Slug, w.I}] = r.Kind + "/" + r.Slug
		copyOf[r] = w.I
		if r.Type != attestation.PageApp || w.I == 0 {
			continue
		}
		name, pub := copyNames(path.Base(w.Orig), w.I)
		require.Equal(t, name, r.Name, w.File)
		require.Equal(t, pub, r.Publisher, w.File)
		require.Equal(t, strings.ToLower(name), r.Anchor, w.File)
		require.Equal(t, strings.ToLower(name), r.Slug, w.File)
		require.Equal(t, copyAppSourceID(orig.AppSourceID, w.I), r.AppSourceID, w.File)
		if orig.TeamsAppID != "" {
			require.Equal(t, copyTeamsAppID(orig.TeamsAppID, w.I), r.TeamsAppID, w.File)
		}
		require.Equal(t, orig.Meta.SourceHash, r.Meta.SourceHash, w.File)
		require.Len(t, r.Answers, len(orig.Answers), w.File)
		for k, a := range r.Answers {
			require.Equal(t, orig.Answers[k].Key, a.Key, w.File)
		}
		copyNamesSeen[r.Name] = true
		copied++
	}
	require.Positive(t, copied)

	attestation.Reconcile(recs)
	ix := attestation.NewIndex(recs)
	apps := map[int]map[string]bool{} // copy → app keys
	for _, w := range written {
		r, orig := byFile[w.File], origOf[w.Orig]
		if r.Type != attestation.PageApp {
			continue
		}
		res := ix.Lookup(r.Kind + "/" + r.Slug)
		require.Len(t, res, 1, w.File)
		o := ix.Lookup(orig.Kind + "/" + orig.Slug)
		require.Len(t, o, 1, w.Orig)
		want := make([]string, 0, len(o[0].Listings))
		for _, l := range o[0].Listings {
			k, ok := keyOf[pageCopy{l.Kind + "/" + l.Slug, w.I}]
			require.True(t, ok, "%s: listing %s", w.File, l.Key)
			want = append(want, k)
		}
		got := make([]string, 0, len(res[0].Listings))
		for _, l := range res[0].Listings {
			got = append(got, l.Key)
		}
		require.ElementsMatch(t, want, got, w.File)
		if apps[w.I] == nil {
			apps[w.I] = map[string]bool{}
		}
		apps[w.I][res[0].App] = true
	}
	require.Len(t, apps, copies)
	for i := 1; i < copies; i++ {
		require.Len(t, apps[i], len(apps[0]), "apps of copy %d", i)
	}
	t.Logf("%d pages, %d apps a copy, %d page groups", len(recs), len(apps[0]), ix.Len())

	res := ix.Search("plumm", attestation.SearchOptions{})
	require.NotEmpty(t, res)
	require.Equal(t, "teams/plumm-health-ltd", res[0].Key)
	require.Equal(t, "Plumm", res[0].Name)
	require.Empty(t, res[0].Listings)
	for _, r := range res {
		require.False(t, copyNamesSeen[r.Name], "%q, a copy, found by plumm", r.Name)
	}
	for _, r := range res[1:] {
		require.NotEqual(t, res[0].App, r.App)
	}
}

// TestWriteCatalog13000 writes the 13k set into the folder named by
// ATTESTBOT_13K_DIR, for measuring the real binary on it
// (scripts/bench-13k.sh); without the variable it is skipped.
func TestWriteCatalog13000(t *testing.T) {
	dir := os.Getenv("ATTESTBOT_13K_DIR")
	if dir == "" {
		t.Skip("set ATTESTBOT_13K_DIR to a folder to write the 13k set into")
	}
	pages := sample.CurrentPages()
	written := writeCopies(t, dir, (13000+len(pages)-1)/len(pages))
	t.Logf("%d pages written to %s", len(written), dir)
}
