package attestation

import (
	"bytes"
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// ErrNotPage is returned by Parse for files that hold no compliance data
// (guides, includes, overviews, tables of contents).
var ErrNotPage = errors.New("not a compliance page")

// Source tells the parser where a page comes from. File names the page in
// warnings; Path (Apps/<host>/<slug>.md) and Locale are inferred from File
// and the front matter when empty.
type Source struct {
	File   string
	Path   string
	Locale string
}

// hosts are the app page folders of corpus.md §1.1.
var hosts = map[string]bool{
	"teams": true, "saas": true, "word": true, "outlook": true, "sharepoint": true, "excel": true,
	"web": true, "powerpoint": true, "project": true, "onenote": true, "azure": true,
}

var (
	reZoneStart = regexp.MustCompile(`^:::\s*zone\s+pivot\s*=\s*"([^"]*)"`)
	reZoneEnd   = regexp.MustCompile(`^:::\s*zone-end`)
	reGUID      = regexp.MustCompile(`(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)
	reGUIDExact = regexp.MustCompile(`(?i)^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	reTeamsLink = regexp.MustCompile(`(?i)teams\.microsoft\.com/l/app/([0-9a-f-]{36})`)
	reAppSource = regexp.MustCompile(`(?i)appsource\.microsoft\.com/(?:[a-z]{2}-[a-z]{2}/)?product/(office|web-apps|[a-z-]+)/([^?#/)"'\s]+)`)
	reForward   = regexp.MustCompile(`(?i)forward/([^/)]+?)(?:\.md)?$`)
	reAzureLink = regexp.MustCompile(`(?i)azure/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:\.md)?\b`)
)

// Parse reads one page. file names the page in warnings and, laid out as
// .../Apps/<host>/<slug>.md or .../<locale>/<kind>/<slug>.md, gives its
// path and locale. A page that cannot be read whole yields what can be
// read, with warnings; only files that are not compliance pages return an
// error (ErrNotPage).
func Parse(file string, data []byte) (*Record, error) {
	return ParseSource(Source{File: file}, data)
}

// ParseSource reads one page from src.
func ParseSource(src Source, data []byte) (rec *Record, err error) {
	defer func() {
		// The parser is written not to panic; this is the last line of
		// defence so that one page can never take the process down.
		if r := recover(); r != nil {
			rec, err = nil, fmt.Errorf("%s: parser failure: %v", src.File, r)
		}
	}()
	p := newPageParser(src, data)
	return p.parse()
}

type line struct {
	n    int
	text string
}

type rawRow struct {
	line  int
	cells []string
}

type rawTable struct {
	zone   string
	anchor string
	quote  bool
	line   int
	header []string
	rows   []rawRow
}

type statementRaw struct {
	zone, anchor string
	line         int
	text         string
}

type pageParser struct {
	src   Source
	data  []byte
	rec   *Record
	front map[string]string

	tables     []rawTable
	statements []statementRaw
	bullets    []line // "- label: value" lines (azure pages)

	start    time.Time // when parsing began (time budget)
	ticks    int       // budget checks so far
	stopped  bool      // the time budget ran out
	preamble []line    // lines before the first zone
	h1Anchor string
	h1Text   string
	h1Line   int
	zones    []string
}

func newPageParser(src Source, data []byte) *pageParser {
	rec := &Record{Answers: []Answer{}, Permissions: []Permission{}, Warnings: []Warning{}}
	return &pageParser{src: src, rec: rec, data: data, start: time.Now()}
}

func (p *pageParser) warn(lineNo int, format string, args ...any) {
	p.rec.Warnings = append(p.rec.Warnings, Warning{File: p.src.File, Line: lineNo, Message: fmt.Sprintf(format, args...)})
}

// pageText returns the text of a page: valid UTF-8 without a BOM.
func pageText(data []byte) string {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		data = bytes.ToValidUTF8(data, []byte("\uFFFD"))
	}
	return string(data)
}

// splitText splits a page text into numbered lines without copying it.
func splitText(text string) []line {
	out := make([]line, 0, strings.Count(text, "\n")+1)
	for n := 1; ; n++ {
		i := strings.IndexByte(text, '\n')
		if i < 0 {
			out = append(out, line{n: n, text: strings.TrimRight(text, "\r")})
			return out
		}
		out = append(out, line{n: n, text: strings.TrimRight(text[:i], "\r")})
		text = text[i+1:]
	}
}

// locatePage infers the repository path, kind and locale of a page from its
// file name.
func locatePage(file string) (pagePath, locale string) {
	f := filepath.ToSlash(file)
	parts := strings.Split(f, "/")
	for i := len(parts) - 3; i >= 0; i-- {
		if parts[i] == "Apps" && i+2 < len(parts) {
			pagePath = strings.Join(parts[i:i+3], "/")
			if i > 0 {
				locale = localeFromRepo(parts[i-1])
			}
			return pagePath, locale
		}
	}
	if len(parts) >= 3 {
		dir, name := parts[len(parts)-2], parts[len(parts)-1]
		parent := parts[len(parts)-3]
		kind := strings.TrimSuffix(dir, "-id")
		kind = strings.TrimSuffix(kind, "-index")
		if hosts[kind] && isLocale(parent) {
			return "Apps/" + kind + "/" + name, parent
		}
		// history/<locale>/<slug>/<date>_<commit>.md
		if isLocale(parent) {
			return "Apps/?/" + dir + ".md", parent
		}
	}
	return "", ""
}

func localeFromRepo(s string) string {
	if i := strings.LastIndex(s, ".pr."); i >= 0 {
		s = s[i+4:]
	}
	if isLocale(s) {
		return s
	}
	return ""
}

func isLocale(s string) bool {
	return len(s) == 5 && s[2] == '-' && s[0] >= 'a' && s[0] <= 'z' && s[3] >= 'A' && s[3] <= 'Z'
}

func slugOf(pagePath string) string {
	return strings.TrimSuffix(path.Base(pagePath), ".md")
}
