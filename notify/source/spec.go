package source

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"path"
	"path/filepath"
	"strings"
)

// Kind says how a source is read.
type Kind string

// Source kinds.
const (
	// KindDir is a directory of pages, compared by content hash per file.
	KindDir Kind = "dir"
	// KindGit is a git repository, read commit by commit.
	KindGit Kind = "git"
)

// ErrBadSpec is wrapped by ParseSpec for a spec it cannot read.
var ErrBadSpec = errors.New("bad source spec")

// maxSpecLen bounds a spec; longer input is refused.
const maxSpecLen = 4096

// Spec is a parsed catalog source spec. The syntax (ATTESTBOT_SOURCE,
// several specs separated by commas) is:
//
//	[<locale>=]<location>[#[<branch>][:<subpath>]]
//
// where location is one of
//
//	/srv/pages, ./pages, pages         a directory (no scheme): every .md file below it
//	dir:///srv/pages                   the same, explicit
//	git+file:///srv/OfficeDocs.fr-FR   a local git repository, read in place (no clone, no fetch)
//	https://host/org/repo.git          a remote git repository, cloned (bare) into the cache
//	http://…, ssh://…, git://…         likewise
//	git+https://…, git+ssh://…         likewise, with the git+ prefix spelled out
//
// The fragment selects the branch (default: the repository's HEAD) and the
// sub-path inside the repository whose pages are read (default: the whole
// tree), such as #live:Apps or #:Apps/teams or #live. A directory source
// takes no fragment. The optional locale prefix (fr-FR=…) names the locale
// of the pages; without it, the locale comes from each page's front matter
// (ms.contentlocale) or its location. Examples:
//
//	git+file:///srv/repos/OfficeDocs-AppCompliance-pr.fr-FR#live:Apps
//	fr-FR=https://github.com/MicrosoftDocs/OfficeDocs-AppCompliance-pr.fr-FR.git#live:Apps
//	/var/lib/attestbot/pages
type Spec struct {
	// Kind is dir or git.
	Kind Kind
	// Locale is the locale prefix, or "".
	Locale string
	// Dir is the directory of a dir source, or the repository path of a
	// local git source (git+file).
	Dir string
	// URL is the remote URL of a git source that is cloned ("" for a local
	// repository).
	URL string
	// Branch is the branch to read ("" for HEAD).
	Branch string
	// SubPath is the slash-separated path inside the repository whose pages
	// are read ("" for the whole tree).
	SubPath string
}

// ParseSpec parses one source spec.
func ParseSpec(s string) (Spec, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Spec{}, fmt.Errorf("empty source: %w", ErrBadSpec)
	}
	if len(s) > maxSpecLen {
		return Spec{}, fmt.Errorf("source spec longer than %d bytes: %w", maxSpecLen, ErrBadSpec)
	}
	var sp Spec
	if i := strings.IndexByte(s, '='); i == 5 && isLocale(s[:5]) {
		sp.Locale, s = s[:5], s[6:]
	}
	loc, frag, hasFrag := s, "", false
	if i := strings.LastIndexByte(s, '#'); i >= 0 {
		loc, frag, hasFrag = s[:i], s[i+1:], true
	}
	if loc == "" {
		return Spec{}, fmt.Errorf("source %q: no location: %w", redactSpec(s), ErrBadSpec)
	}
	scheme := ""
	if i := strings.Index(loc, "://"); i > 0 {
		scheme = strings.ToLower(loc[:i])
	}
	switch scheme {
	case "":
		if strings.Contains(loc, ":") && !filepath.IsAbs(loc) && !strings.HasPrefix(loc, ".") && looksLikeSCP(loc) {
			return Spec{}, fmt.Errorf("source %q: scp-style git address; write ssh://host/path instead: %w", redactSpec(s), ErrBadSpec)
		}
		sp.Kind, sp.Dir = KindDir, filepath.Clean(loc)
	case "dir":
		u, err := url.Parse(loc)
		if err != nil || u.Host != "" || u.Path == "" {
			return Spec{}, fmt.Errorf("source %q: want dir:///absolute/path: %w", redactSpec(s), ErrBadSpec)
		}
		sp.Kind, sp.Dir = KindDir, filepath.Clean(filepath.FromSlash(u.Path))
	case "git+file":
		u, err := url.Parse(loc)
		if err != nil || (u.Host != "" && u.Host != "localhost") || u.Path == "" {
			return Spec{}, fmt.Errorf("source %q: want git+file:///absolute/path: %w", redactSpec(s), ErrBadSpec)
		}
		sp.Kind, sp.Dir = KindGit, filepath.Clean(filepath.FromSlash(u.Path))
	case "https", "http", "ssh", "git", "git+https", "git+http", "git+ssh":
		raw := strings.TrimPrefix(loc, "git+")
		u, err := url.Parse(raw)
		if err != nil || u.Host == "" {
			return Spec{}, fmt.Errorf("source %q: bad repository URL: %w", redactSpec(s), ErrBadSpec)
		}
		sp.Kind, sp.URL = KindGit, u.String()
	default:
		return Spec{}, fmt.Errorf("source %q: unknown scheme %q (want a directory, dir://, git+file://, https://, ssh:// or git://): %w",
			redactSpec(s), scheme, ErrBadSpec)
	}
	if hasFrag {
		if sp.Kind == KindDir {
			return Spec{}, fmt.Errorf("source %q: a directory takes no #branch:subpath: %w", redactSpec(s), ErrBadSpec)
		}
		branch, sub, _ := strings.Cut(frag, ":")
		if err := checkBranch(branch); err != nil {
			return Spec{}, fmt.Errorf("source %q: %w", redactSpec(s), err)
		}
		clean, err := cleanSubPath(sub)
		if err != nil {
			return Spec{}, fmt.Errorf("source %q: %w", redactSpec(s), err)
		}
		sp.Branch, sp.SubPath = branch, clean
	}
	return sp, nil
}

// ParseSpecs parses a comma-separated list of specs (ATTESTBOT_SOURCE),
// or several arguments each holding such a list. Empty items are skipped.
func ParseSpecs(lists ...string) ([]Spec, error) {
	var out []Spec
	var errs []error
	for _, l := range lists {
		for _, item := range strings.Split(l, ",") {
			if strings.TrimSpace(item) == "" {
				continue
			}
			sp, err := ParseSpec(item)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			out = append(out, sp)
		}
	}
	return out, errors.Join(errs...)
}

func looksLikeSCP(s string) bool {
	// user@host:path or host:path (git's scp-like syntax). A Windows drive
	// letter (C:\x) is a path.
	i := strings.IndexByte(s, ':')
	return i > 1 && !strings.ContainsAny(s[:i], `/\`)
}

func checkBranch(b string) error {
	if b == "" {
		return nil
	}
	if strings.HasPrefix(b, "-") || strings.HasPrefix(b, "/") || strings.HasSuffix(b, "/") || strings.Contains(b, "..") ||
		strings.ContainsAny(b, " \t\n\\~^?*[") || strings.HasSuffix(b, ".lock") {
		return fmt.Errorf("bad branch name %q: %w", b, ErrBadSpec)
	}
	return nil
}

func cleanSubPath(p string) (string, error) {
	p = strings.Trim(strings.ReplaceAll(p, `\`, "/"), "/")
	if p == "" || p == "." {
		return "", nil
	}
	c := path.Clean(p)
	if c == ".." || strings.HasPrefix(c, "../") || strings.ContainsAny(c, "\x00\n") {
		return "", fmt.Errorf("sub-path %q leaves the repository: %w", p, ErrBadSpec)
	}
	return c, nil
}

func isLocale(s string) bool {
	return len(s) == 5 && s[2] == '-' && s[0] >= 'a' && s[0] <= 'z' && s[1] >= 'a' && s[1] <= 'z' &&
		s[3] >= 'A' && s[3] <= 'Z' && s[4] >= 'A' && s[4] <= 'Z'
}

// String writes the spec back in the syntax ParseSpec reads, with any
// password or token in a URL replaced by "xxxxx". It is safe to log.
func (s Spec) String() string {
	var b strings.Builder
	if s.Locale != "" {
		b.WriteString(s.Locale + "=")
	}
	switch {
	case s.Kind == KindDir:
		b.WriteString(s.Dir)
		return b.String()
	case s.URL != "":
		b.WriteString(redactURL(s.URL))
	default:
		b.WriteString("git+file://" + filepath.ToSlash(s.Dir))
	}
	if s.Branch != "" || s.SubPath != "" {
		b.WriteString("#" + s.Branch)
		if s.SubPath != "" {
			b.WriteString(":" + s.SubPath)
		}
	}
	return b.String()
}

// ID returns a short stable identifier of the source (a hash of its
// redacted form): the key of its sync state and of its events.
func (s Spec) ID() string {
	sum := sha256.Sum256([]byte(s.String()))
	return hex.EncodeToString(sum[:6])
}

func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unreadable URL)"
	}
	if u.User != nil {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
		}
	}
	return u.String()
}

// redactSpec removes credentials from a spec for an error message.
func redactSpec(s string) string {
	if i := strings.Index(s, "://"); i >= 0 {
		rest := s[i+3:]
		if at := strings.IndexByte(rest, '@'); at >= 0 && !strings.ContainsAny(rest[:at], "/#") {
			return s[:i+3] + "xxxxx@" + rest[at+1:]
		}
	}
	return s
}
