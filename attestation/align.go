package attestation

import (
	"regexp"
	"strings"
	"unicode"
)

// qaRow is one question row of a two-column table.
type qaRow struct {
	line  int
	label string // cleaned label as written
	fold  string // labelFold(label)
	raw   string // raw answer cell
	text  string // cleaned answer
}

var (
	reDateLike = regexp.MustCompile(`\d{4}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}`)
	reSOCType  = regexp.MustCompile(`(?i)^\s*(type|typ|tipo|тип|유형|類型|类型|タイプ)?\s*(1|2|i|ii)\s*$|(?i)type\s*[12]|typ\s*[12]|tipo\s*[12]|тип\s*[12]`)
	reAppID    = regexp.MustCompile(`^(WA\d{9}|[\w-]+\.[\w.-]+)$`)
	reURLish   = regexp.MustCompile(`(?i)https?://|www\.|\.[a-z]{2,4}(/|$)`)
)

// Alignment scores. A matched row earns matchBase plus evidence; skipping a
// key costs skipWeight times its frequency; leaving a row unmapped costs
// rowSkip.
const (
	matchBase    = 1.0
	anchorBonus  = 2.5
	anchorClash  = -3.0
	valueFits    = 1.5
	valueClashes = -3.5
	skipWeight   = 4.0
	rowSkip      = -7.0
	dictBonus    = 4.0
)

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
	dict := learnedLabels(locale, kind)
	feats := make([]rowFeatures, n)
	for i := range rows {
		feats[i] = features(rows[i])
	}
	// anchorHit[i][j]: row i's label holds an anchor of key j.
	score := make([][]float64, n)
	hits := make([]bool, m)
	for i := range rows {
		for j := range defs {
			hits[j] = len(defs[j].Anchors) > 0 && hasAnchor(rows[i].fold, defs[j].Anchors)
		}
		score[i] = make([]float64, m)
		for j := range defs {
			score[i][j] = matchScore(rows[i], feats[i], defs, j, hits, dict)
		}
	}
	// best[i][j]: best total for the first i rows using the first j keys.
	const neg = -1e18
	best := make([][]float64, n+1)
	move := make([][]uint8, n+1) // 1 match, 2 skip key, 3 skip row
	for i := range best {
		best[i] = make([]float64, m+1)
		move[i] = make([]uint8, m+1)
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
// keys' anchors the row's label holds.
func matchScore(r qaRow, f rowFeatures, defs []keyDef, j int, hits []bool, dict map[string][]int) float64 {
	d := defs[j]
	s := matchBase
	if ks, ok := dict[r.fold]; ok {
		hit := false
		for _, k := range ks {
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
		r = lastRune(s[:i+1])
	} else {
		r = []rune(s[i:])[0]
	}
	if r < 128 {
		return unicode.IsLetter(r) || unicode.IsDigit(r)
	}
	return unicode.In(r, unicode.Latin, unicode.Cyrillic, unicode.Greek)
}

func lastRune(s string) rune {
	rs := []rune(s)
	if len(rs) == 0 {
		return ' '
	}
	return rs[len(rs)-1]
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
	v, ok := normalizeYesNo(t)
	f := rowFeatures{
		yn:      ok && v != ValueUnanswered && len([]rune(t)) <= 20,
		date:    reDateLike.MatchString(t),
		url:     reURLish.MatchString(t),
		socType: reSOCType.MatchString(t),
		appID:   reAppID.MatchString(t),
		hasLink: strings.Contains(r.raw, "]("),
		words:   strings.Fields(labelFold(t)),
	}
	f.shortDate = f.date && len(t) <= 12
	f.anyEnum = matchesEnum(f.words, allEnums)
	f.url = f.url && !strings.Contains(t, " ") || f.hasLink
	return f
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
