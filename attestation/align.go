package attestation

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// qaRow is one question row of a two-column table.
type qaRow struct {
	line  int
	label string // cleaned label as written
	fold  string // labelFold(label)
	raw   string // raw answer cell
	text  string // cleaned answer
	tfold string // labelFold(text), for short answers only
}

var (
	reURLish = regexp.MustCompile(`(?i)https?://|www\.|\.[a-z]{2,4}(/|$)`)
)

// Alignment scores. A matched row earns matchBase plus evidence; skipping a
// key costs skipWeight times its frequency; leaving a row unmapped costs
// rowSkip.
const (
	matchBase     = 1.0
	anchorBonus   = 2.5
	anchorClash   = -3.0
	anchorMissing = -1.5
	valueFits     = 1.5
	valueClashes  = -3.5
	skipWeight    = 4.0
	rowSkip       = -7.0
	dictBonus     = 4.0
)

// useLearnedLabels turns the learned label dictionary on; tests turn it
// off to check that alignment holds on labels it has never seen.
var useLearnedLabels = true

// alignRows maps every row of a question table to a key index of defs, or
// -1, with an order-preserving alignment (rows always follow the canonical
// key order; optional keys may be absent): label similarity against the
// labels learned for the locale, language-independent anchors (HIPAA,
// 27001, OWASP…), the answer's shape against the key's type, and how
// often each key is present. See corpus.md §2.4.
func alignRows(locale string, kind tableKind, defs []keyDef, rows []qaRow) []int {
	n, m := len(rows), len(defs)
	out := make([]int, n)
	if n == 0 {
		return out
	}
	var dict map[string][]int
	if useLearnedLabels {
		dict = learnedLabels(locale, kind)
	}
	feats := make([]rowFeatures, n)
	for i := range rows {
		feats[i] = features(rows[i])
	}
	// anchorHit[i][j]: row i's label holds an anchor of key j.
	flat := make([]float64, n*m+(n+1)*(m+1))
	score := make([][]float64, n)
	hits := make([]bool, m)
	for i := range rows {
		for j := range defs {
			hits[j] = len(defs[j].Anchors) > 0 && hasAnchor(rows[i].fold, defs[j].Anchors)
		}
		score[i] = flat[i*m : (i+1)*m]
		known, inDict := dict[rows[i].fold]
		for j := range defs {
			score[i][j] = matchScore(rows[i], feats[i], defs, j, hits, known, inDict)
		}
	}
	bflat := flat[n*m:]
	mflat := make([]uint8, (n+1)*(m+1))
	// best[i][j]: best total for the first i rows using the first j keys.
	const neg = -1e18
	best := make([][]float64, n+1)
	move := make([][]uint8, n+1) // 1 match, 2 skip key, 3 skip row
	for i := range best {
		best[i] = bflat[i*(m+1) : (i+1)*(m+1)]
		move[i] = mflat[i*(m+1) : (i+1)*(m+1)]
		for j := range best[i] {
			best[i][j] = neg
		}
	}
	best[0][0] = 0
	for i := 0; i <= n; i++ {
		for j := 0; j <= m; j++ {
			if i == 0 && j == 0 {
				continue
			}
			b, mv := neg, uint8(0)
			if i > 0 && j > 0 && best[i-1][j-1] > neg {
				if v := best[i-1][j-1] + score[i-1][j-1]; v > b {
					b, mv = v, 1
				}
			}
			if j > 0 && best[i][j-1] > neg {
				if v := best[i][j-1] - skipWeight*defs[j-1].Freq; v > b {
					b, mv = v, 2
				}
			}
			if i > 0 && best[i-1][j] > neg {
				if v := best[i-1][j] + rowSkip; v > b {
					b, mv = v, 3
				}
			}
			best[i][j], move[i][j] = b, mv
		}
	}
	i, j := n, m
	for i > 0 || j > 0 {
		switch move[i][j] {
		case 1:
			out[i-1] = j - 1
			i, j = i-1, j-1
		case 2:
			j--
		default:
			out[i-1] = -1
			i--
		}
	}
	return out
}

// matchScore scores row r as the answer to defs[j]; hits tells which
// keys' anchors the row's label holds, and known the keys the learned
// labels give the row's label (inDict when the label is known at all).
func matchScore(r qaRow, f rowFeatures, defs []keyDef, j int, hits []bool, known []int, inDict bool) float64 {
	d := defs[j]
	s := matchBase
	if inDict {
		hit := false
		for _, k := range known {
			if k == j {
				hit = true
			}
		}
		if hit {
			s += dictBonus
		} else {
			s -= dictBonus / 2
		}
	}
	if hits[j] {
		s += anchorBonus
	} else {
		if len(d.Anchors) > 0 && r.fold != "" {
			// The key's question names HIPAA, TLS, OWASP… in every
			// locale; a label that does not is probably another question.
			s += anchorMissing
		}
		for k, o := range defs {
			if k != j && hits[k] && !sharesAnchor(d.Anchors, o.Anchors) {
				s += anchorClash
				break
			}
		}
	}
	s += valueFit(d, f)
	return s
}

func sharesAnchor(a, b []string) bool {
	for _, x := range a {
		for _, y := range b {
			if x == y {
				return true
			}
		}
	}
	return false
}

// hasAnchor reports whether folded text contains one of the anchors as a
// whole word (or a run of words).
func hasAnchor(fold string, anchors []string) bool {
	for _, a := range anchors {
		if containsWord(fold, a) {
			return true
		}
	}
	return false
}

func containsWord(s, w string) bool {
	for from := 0; ; {
		i := strings.Index(s[from:], w)
		if i < 0 {
			return false
		}
		i += from
		end := i + len(w)
		okL := i == 0 || !isWordByte(s, i-1, true)
		okR := end == len(s) || !isWordByte(s, end, false)
		if okL && okR {
			return true
		}
		from = i + 1
		if from >= len(s) {
			return false
		}
	}
}

// isWordByte reports whether the rune ending before (left) or starting at
// (right) byte i is a Latin letter or digit: CJK text has no spaces, so a
// neighbouring CJK character does not glue an anchor to a word.
func isWordByte(s string, i int, left bool) bool {
	var r rune
	if left {
		r, _ = utf8.DecodeLastRuneInString(s[:i+1])
	} else {
		r, _ = utf8.DecodeRuneInString(s[i:])
	}
	if r < 128 {
		return unicode.IsLetter(r) || unicode.IsDigit(r)
	}
	return unicode.In(r, unicode.Latin, unicode.Cyrillic, unicode.Greek)
}

// rowFeatures is what alignment needs to know of an answer, computed once
// a row.
type rowFeatures struct {
	empty, yn, date, shortDate, url, socType, appID, anyEnum bool
	words                                                    []string
	hasLink                                                  bool
}

func features(r qaRow) rowFeatures {
	t := strings.TrimSpace(r.text)
	if t == "" {
		return rowFeatures{empty: true}
	}
	f := rowFeatures{hasLink: strings.Contains(r.raw, "](")}
	short := len(t) <= 48
	if short {
		v, ok := normalizeYesNoFolded(t, r.tfold)
		f.yn = ok && v != ValueUnanswered && utf8.RuneCountInString(t) <= 20
		f.socType = isSOCType(t)
		f.appID = isAppID(t)
		f.date = hasDigitRun(t, 4) || isNumericDate(t)
	} else {
		f.date = hasDigitRun(t, 4)
	}
	f.shortDate = f.date && len(t) <= 12
	f.url = (!strings.Contains(t, " ") && (strings.Contains(t, "http") || strings.Contains(t, "www.") || reURLish.MatchString(t))) || f.hasLink
	if short && r.tfold != "" {
		f.words = strings.Fields(r.tfold)
		f.anyEnum = matchesEnum(f.words, allEnums)
	} else if short || strings.IndexFunc(t, unicode.IsUpper) >= 0 {
		f.words = strings.Fields(labelFold(t))
		f.anyEnum = matchesEnum(f.words, allEnums)
	}
	return f
}

// socTypePrefixes are the words for "type" seen before a SOC 2 report
// type (type2, Typ 2, tipo 2…).
var socTypePrefixes = []string{"type", "typ", "tipo", "тип", "유형", "類型", "类型", "タイプ"}

// isSOCType reports whether an answer names a SOC 2 report type.
func isSOCType(t string) bool {
	f := strings.ReplaceAll(labelFold(t), " ", "")
	for _, p := range socTypePrefixes {
		if rest, ok := strings.CutPrefix(f, p); ok {
			f = rest
			break
		}
	}
	switch f {
	case "1", "2", "i", "ii":
		return true
	}
	return false
}

// isAppID reports whether an answer is an AppSource ID: WA and nine digits,
// or a publisher.offer pair.
func isAppID(t string) bool {
	if len(t) == 11 && (t[0] == 'W' || t[0] == 'w') && (t[1] == 'A' || t[1] == 'a') {
		for i := 2; i < 11; i++ {
			if t[i] < '0' || t[i] > '9' {
				return false
			}
		}
		return true
	}
	dot := false
	for i := 0; i < len(t); i++ {
		c := t[i]
		switch {
		case c == '.':
			if i == 0 {
				return false
			}
			dot = true
		case c == '-' || c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
		default:
			return false
		}
	}
	return dot
}

// isNumericDate reports whether t starts with d.m.y, d/m/y or d-m-y (one
// to four digits each).
func isNumericDate(t string) bool {
	t = strings.TrimSpace(t)
	parts, digits := 0, 0
	for i := 0; i < len(t); i++ {
		c := t[i]
		switch {
		case c >= '0' && c <= '9':
			digits++
			if digits > 4 {
				return false
			}
		case c == '.' || c == '/' || c == '-':
			if digits == 0 {
				return false
			}
			parts++
			digits = 0
			if parts == 2 {
				// the third part must follow
				rest := t[i+1:]
				return len(rest) > 0 && rest[0] >= '0' && rest[0] <= '9'
			}
		default:
			return false
		}
	}
	return false
}

// hasDigitRun reports whether s holds n ASCII digits in a row.
func hasDigitRun(s string, n int) bool {
	run := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			run++
			if run >= n {
				return true
			}
		} else {
			run = 0
		}
	}
	return false
}

// valueFit scores the answer's shape against the key's type.
func valueFit(d keyDef, f rowFeatures) float64 {
	if f.empty {
		return 0
	}
	switch d.Type {
	case typeYN:
		if f.yn {
			return valueFits
		}
		if f.anyEnum || f.url || f.shortDate {
			return valueClashes
		}
		return -1
	case typeDate:
		if f.date {
			return valueFits
		}
		if f.yn {
			return valueClashes
		}
	case typeSOCType:
		if f.socType {
			return valueFits * 2
		}
		if f.yn || f.date {
			return valueClashes
		}
	case typeEnum:
		if matchesEnum(f.words, d.Enum) {
			return valueFits * 2
		}
		if f.yn {
			return valueClashes
		}
	case typeURL:
		if f.url {
			return valueFits
		}
		if f.yn {
			return valueClashes / 2
		}
	case typeID:
		if f.appID {
			return valueFits * 2
		}
		return valueClashes
	case typeText:
		if f.yn && len(d.Enum) == 0 {
			return -0.5
		}
		if f.anyEnum {
			return valueClashes
		}
	}
	return 0
}

var allEnums = []string{"traditionalantimalware", "applicationcontrols", "coderepositories", "dnsmanagement", "noneoftheabove", "paas", "iaas", "isvhosted"}

func matchesEnum(words []string, enum []string) bool {
	for _, w := range words {
		for _, e := range enum {
			if w == e {
				return true
			}
		}
	}
	return false
}
