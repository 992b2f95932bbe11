package attestation

import (
	"math"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// qaRow is one question row of a two-column table.
type qaRow struct {
	line     int
	label    string // cleaned label as written
	rawLabel string // label cell as written (links kept)
	fold     string // labelFold(label)
	raw      string // raw answer cell
	text     string // cleaned answer
	tfold    string // labelFold(text), for short answers only
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

// missingPenalty is what leaving a required question without a row costs:
// more than a row skip, so that the alignment prefers the structure of
// corpus.md §2.4, but finite, so that a page that really lacks a row still
// aligns (and its neighbours are then marked doubtful).
const missingPenalty = 10.0

// Fuzzy label match: a trigram Jaccard similarity at fuzzyFloor earns
// nothing, at fuzzySure the full dictionary bonus; a label at least
// fuzzySure similar to one key and fuzzyMargin ahead of every other pins
// its row to that key.
const (
	fuzzyFloor  = 0.3
	fuzzySure   = 0.55
	fuzzyMargin = 0.15
)

// useLearnedLabels turns the learned label dictionary on; tests turn it
// off to check that alignment holds on labels it has never seen.
var useLearnedLabels = true

// alignment is what alignRows found.
type alignment struct {
	// keys holds the key index of each row, or -1.
	keys []int
	// doubt holds, per row, why its key is in doubt ("" when it is not):
	// such answers are stored as unknown.
	doubt []string
	// missing lists the required keys no row took.
	missing []int
	// pin[i*m+j]: row i's label or value pins it to key j.
	pin []bool
	m   int
}

// pinned reports whether row i's label or value pins it to key k.
func (al alignment) pinned(i, k int) bool {
	return al.pin != nil && al.pin[i*al.m+k]
}

// alignRows maps every row of a question table to a key index of defs, or
// -1, with an order-preserving alignment (rows always follow the canonical
// key order; optional keys may be absent): label similarity against the
// labels learned for the locale, language-independent anchors (HIPAA,
// 27001, OWASP…), the answer's shape against the key's type, how often
// each key is present, and which keys occur together (keyrules.go). Every
// choice of present key groups is aligned and the best one kept. Rows
// whose key is in doubt are flagged: a label known for another key, or a
// place next to a required key that no row took (a translated page that
// dropped a row), between the nearest rows that are pinned by their label
// or their value. See corpus.md §2.4.
func alignRows(locale string, kind tableKind, defs []keyDef, rows []qaRow) alignment {
	n, m := len(rows), len(defs)
	al := alignment{keys: make([]int, n), doubt: make([]string, n)}
	if n == 0 {
		return al
	}
	feats := make([]rowFeatures, n)
	for i := range rows {
		feats[i] = features(rows[i])
	}
	// One allocation holds the scores (n×m) and the DP's best table
	// ((n+1)×(m+1)).
	flat := make([]float64, n*m+(n+1)*(m+1))
	ev := scoreRows(locale, kind, defs, rows, feats, flat[:n*m])
	best, move := dpTables(n, m, flat[n*m:])
	pattern, total := choosePattern(kind, defs, ev.score, feats, best, move, &al)
	al.markAmbiguous(defs, &ev, pattern, best, total)
	al.markLabelClashes(defs, &ev)
	al.markMissingNeighbours(defs, &ev)
	al.pin, al.m = ev.pinned, m
	return al
}

// rowEvidence is what alignRows reads of each row before aligning: its
// score against every key and what ties it to a key.
type rowEvidence struct {
	m     int
	score [][]float64
	// pinned[i*m+j]: row i's label or value pins it to key j.
	pinned []bool
	// inDict[i]: row i's label is in the learned label dictionary.
	inDict []bool
	// knownOK[i*m+j]: the dictionary knows row i's label for key j.
	knownOK []bool
	// fuzzyKey[i] is the key row i's label clearly resembles, or -1.
	fuzzyKey []int
}

// scoreRows scores every row against every key (into flat, n×m) from its
// label (the learned dictionary, else trigram similarity to the learned
// labels), its anchors and its value's shape.
func scoreRows(locale string, kind tableKind, defs []keyDef, rows []qaRow, feats []rowFeatures, flat []float64) rowEvidence {
	n, m := len(rows), len(defs)
	var dict map[string][]int
	if useLearnedLabels {
		dict = learnedLabels(locale, kind)
	}
	ev := rowEvidence{m: m, score: make([][]float64, n), pinned: make([]bool, n*m), inDict: make([]bool, n),
		knownOK: make([]bool, n*m), fuzzyKey: make([]int, n)}
	var grams [][][]uint32
	if useLearnedLabels {
		grams = learnedGrams(locale, kind)
	}
	hits := make([]bool, m)
	sims := make([]float64, m)
	for i := range rows {
		ev.score[i] = flat[i*m : (i+1)*m]
		ev.scoreRow(i, &rows[i], feats[i], defs, dict, grams, hits, sims)
	}
	return ev
}

// scoreRow fills row i's scores and pins; hits and sims are scratch of
// one entry per key.
func (ev *rowEvidence) scoreRow(i int, row *qaRow, feat rowFeatures, defs []keyDef, dict map[string][]int, grams [][][]uint32, hits []bool, sims []float64) {
	m := ev.m
	var hitKeys []int // the keys whose anchors the label names: few or none
	for j := range defs {
		hits[j] = len(defs[j].Anchors) > 0 && row.fold != "" && hasAnchor(row.fold, defs[j].Anchors)
		if hits[j] {
			hitKeys = append(hitKeys, j)
		}
	}
	known, ok := dict[row.fold]
	ev.inDict[i] = ok
	for _, k := range known {
		ev.knownOK[i*m+k] = true
	}
	fuzzy := !ok && len(grams) == m && row.fold != ""
	bestSim, bestKey, second := 0.0, -1, 0.0
	if fuzzy {
		// A label the dictionary does not hold: compare it with the
		// learned labels of every key.
		bestSim, bestKey, second = labelSimilarity(row.fold, grams, sims)
	}
	sure := fuzzy && bestSim >= fuzzySure && bestSim-second >= fuzzyMargin
	for j := range defs {
		fit := valueFit(defs[j], feat)
		ev.score[i][j] = matchScore(row.fold != "", fit, defs, j, hits, hitKeys, known, ok)
		ev.pinned[i*m+j] = ev.knownOK[i*m+j] || (hits[j] && fit > 0) || fit >= valueFits*2
		if fuzzy && sims[j] >= 0 {
			ev.score[i][j] += dictBonus * min(1, max(-0.5, (sims[j]-fuzzyFloor)/(fuzzySure-fuzzyFloor)))
			if j == bestKey && sure {
				ev.pinned[i*m+j] = true
			}
		}
	}
	ev.fuzzyKey[i] = -1
	if sure {
		ev.fuzzyKey[i] = bestKey
	}
}

// labelSimilarity sets sims[j] to the best trigram similarity of a folded
// label to the learned labels of key j, and returns the best similarity,
// its key (-1 for none) and the second best.
func labelSimilarity(fold string, grams [][][]uint32, sims []float64) (best float64, bestKey int, second float64) {
	bestKey = -1
	g := trigrams(fold)
	for j := range grams {
		sims[j] = -1
		for _, lg := range grams[j] {
			sims[j] = max(sims[j], jaccard(g, lg))
		}
		switch {
		case sims[j] > best:
			best, bestKey, second = sims[j], j, best
		case sims[j] > second:
			second = sims[j]
		}
	}
	return best, bestKey, second
}

// dpTables slices the DP's best table out of bflat ((n+1)×(m+1)) and
// allocates its move table (1 match, 2 skip key, 3 skip row).
func dpTables(n, m int, bflat []float64) (best [][]float64, move [][]uint8) {
	mflat := make([]uint8, (n+1)*(m+1))
	best = make([][]float64, n+1)
	move = make([][]uint8, n+1)
	for i := range best {
		best[i] = bflat[i*(m+1) : (i+1)*(m+1)]
		move[i] = mflat[i*(m+1) : (i+1)*(m+1)]
	}
	return best, move
}

// choosePattern aligns the rows under every pattern of present key groups
// and keeps the best: al holds its alignment, best and move its DP tables,
// total its score.
func choosePattern(kind tableKind, defs []keyDef, score [][]float64, feats []rowFeatures, best [][]float64, move [][]uint8, al *alignment) (pattern rulePattern, total float64) {
	patterns := rulePatterns[kind]
	if len(patterns) == 0 {
		patterns = []rulePattern{nil}
	}
	total = math.Inf(-1)
	fresh := false // best and move hold the chosen pattern's run
	for _, p := range patterns {
		t, cur, ok := alignUnder(kind, defs, score, feats, p, best, move, al)
		fresh = ok && t > total
		if fresh {
			total, pattern = t, cur
		}
	}
	if !fresh {
		total = alignDP(defs, score, pattern, best, move)
		backtrack(pattern, move, al)
	}
	return pattern, total
}

// alignUnder aligns the rows under pattern p. An alignment that gives a
// follow-up question a row although the question it follows is answered
// No is aligned again without that key, up to four times; ok is false
// when the value rules still break. used is the pattern aligned last.
func alignUnder(kind tableKind, defs []keyDef, score [][]float64, feats []rowFeatures, p rulePattern, best [][]float64, move [][]uint8, al *alignment) (total float64, used rulePattern, ok bool) {
	cur := p
	for range 4 {
		t := alignDP(defs, score, cur, best, move)
		backtrack(cur, move, al)
		bad := valueRuleBreaks(kind, defs, al.keys, feats)
		if len(bad) == 0 {
			return t, cur, true
		}
		if cur == nil {
			cur = make(rulePattern, len(defs))
		} else {
			cur = slices.Clone(cur)
		}
		for _, k := range bad {
			cur[k] = keyForbidden
		}
	}
	return 0, cur, false
}

// markAmbiguous puts in doubt a row that is not pinned and could take
// another key (or none) at almost no cost: nothing on the page tells the
// two readings apart.
func (al *alignment) markAmbiguous(defs []keyDef, ev *rowEvidence, pattern rulePattern, best [][]float64, total float64) {
	var suf [][]float64
	for i, k := range al.keys {
		if k < 0 || ev.pinned[i*ev.m+k] {
			continue
		}
		if suf == nil {
			suf = suffixDP(defs, ev.score, pattern)
		}
		alt, altKey := math.Inf(-1), -1
		for j := range defs {
			if j == k || (pattern != nil && pattern[j] == keyForbidden) || best[i][j] <= -1e17 || suf[i+1][j+1] <= -1e17 {
				continue
			}
			if v := best[i][j] + ev.score[i][j] + suf[i+1][j+1]; v > alt {
				alt, altKey = v, j
			}
		}
		if altKey >= 0 && total-alt < ambiguityMargin {
			al.doubt[i] = "it fits " + defs[altKey].Key + " almost as well"
		}
	}
}

// markLabelClashes puts in doubt a row whose label the dictionary knows,
// or clearly resembles, for another key than the one it took.
func (al *alignment) markLabelClashes(defs []keyDef, ev *rowEvidence) {
	for i, k := range al.keys {
		if k >= 0 && ev.inDict[i] && !ev.knownOK[i*ev.m+k] {
			al.doubt[i] = "its label is the one of another question"
		}
		if k >= 0 && ev.fuzzyKey[i] >= 0 && ev.fuzzyKey[i] != k {
			al.doubt[i] = "its label resembles the one of " + defs[ev.fuzzyKey[i]].Key
		}
	}
}

// markMissingNeighbours puts in doubt, for each missing required key, the
// rows that may have moved into its place: every row not pinned between
// the nearest pinned rows around it.
func (al *alignment) markMissingNeighbours(defs []keyDef, ev *rowEvidence) {
	for _, k := range al.missing {
		lo, hi := al.pinnedAround(k, len(defs), ev)
		for i, rk := range al.keys {
			if rk > lo && rk < hi && !ev.pinned[i*ev.m+rk] && al.doubt[i] == "" {
				al.doubt[i] = "no row answers " + defs[k].Key + ", so the rows near it may have moved"
			}
		}
	}
}

// pinnedAround returns the nearest keys below and above k taken by a
// pinned row (-1 and m when there are none).
func (al *alignment) pinnedAround(k, m int, ev *rowEvidence) (lo, hi int) {
	lo, hi = -1, m
	for i, rk := range al.keys {
		if rk < 0 || !ev.pinned[i*ev.m+rk] {
			continue
		}
		if rk < k && rk > lo {
			lo = rk
		}
		if rk > k && rk < hi {
			hi = rk
		}
	}
	return lo, hi
}

// ambiguityMargin is how much better the chosen alignment must score than
// the best one that gives a row another key for the row to be trusted.
const ambiguityMargin = 1.5

// suffixDP returns suf[i][j]: the best score of rows i… against keys j…
// under the pattern (the mirror of alignDP).
func suffixDP(defs []keyDef, score [][]float64, pattern rulePattern) [][]float64 {
	const neg = -1e18
	n, m := len(score), len(defs)
	suf := make([][]float64, n+1)
	flat := make([]float64, (n+1)*(m+1))
	for i := range suf {
		suf[i] = flat[i*(m+1) : (i+1)*(m+1)]
		for j := range suf[i] {
			suf[i][j] = neg
		}
	}
	suf[n][m] = 0
	for i := n; i >= 0; i-- {
		for j := m; j >= 0; j-- {
			if i == n && j == m {
				continue
			}
			b := neg
			state := keyOptional
			if j < m && pattern != nil {
				state = pattern[j]
			}
			if i < n && j < m && state != keyForbidden && suf[i+1][j+1] > neg {
				b = max(b, suf[i+1][j+1]+score[i][j])
			}
			if j < m && suf[i][j+1] > neg {
				cost := skipWeight * defs[j].Freq
				switch state {
				case keyMandatory:
					cost = missingPenalty
				case keyForbidden:
					cost = 0
				}
				b = max(b, suf[i][j+1]-cost)
			}
			if i < n && suf[i+1][j] > neg {
				b = max(b, suf[i+1][j]+rowSkip)
			}
			suf[i][j] = b
		}
	}
	return suf
}

// backtrack reads the alignment out of move into al.keys and al.missing.
func backtrack(pattern rulePattern, move [][]uint8, al *alignment) {
	al.missing = al.missing[:0]
	i, j := len(move)-1, len(move[0])-1
	for i > 0 || j > 0 {
		switch move[i][j] {
		case 1:
			al.keys[i-1] = j - 1
			i, j = i-1, j-1
		case 2:
			if pattern != nil && pattern[j-1] == keyMandatory {
				al.missing = append(al.missing, j-1)
			}
			j--
		default:
			al.keys[i-1] = -1
			i--
		}
	}
}

// alignDP fills best and move for the scores under a pattern of key
// states (nil: every key optional) and returns the best total.
func alignDP(defs []keyDef, score [][]float64, pattern rulePattern, best [][]float64, move [][]uint8) float64 {
	const neg = -1e18
	n, m := len(score), len(defs)
	for i := range best {
		for j := range best[i] {
			best[i][j] = neg
			move[i][j] = 0
		}
	}
	best[0][0] = 0
	for i := 0; i <= n; i++ {
		for j := 0; j <= m; j++ {
			if i == 0 && j == 0 {
				continue
			}
			b, mv := neg, uint8(0)
			state := keyOptional
			if j > 0 && pattern != nil {
				state = pattern[j-1]
			}
			if i > 0 && j > 0 && state != keyForbidden && best[i-1][j-1] > neg {
				if v := best[i-1][j-1] + score[i-1][j-1]; v > b {
					b, mv = v, 1
				}
			}
			if j > 0 && best[i][j-1] > neg {
				cost := skipWeight * defs[j-1].Freq
				switch state {
				case keyMandatory:
					cost = missingPenalty
				case keyForbidden:
					cost = 0
				}
				if v := best[i][j-1] - cost; v > b {
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
	return best[n][m]
}

// matchScore scores a row as the answer to defs[j]; labelled tells that
// the row has a label, hits which keys' anchors the label holds (hitKeys
// lists them), and known the keys the learned labels give the label
// (inDict when the label is known at all).
func matchScore(labelled bool, fit float64, defs []keyDef, j int, hits []bool, hitKeys, known []int, inDict bool) float64 {
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
		if len(d.Anchors) > 0 && labelled {
			// The key's question names HIPAA, TLS, OWASP… in every
			// locale; a label that does not is probably another question.
			s += anchorMissing
		}
		for _, k := range hitKeys { // hitKeys holds k with hits[k], j excluded (hits[j] is false here)
			if !sharesAnchor(d.Anchors, defs[k].Anchors) {
				s += anchorClash
				break
			}
		}
	}
	s += fit
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
	no                                                       bool // the answer is a No token
	dash                                                     bool // a dash: not applicable, or nothing to list
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
		f.yn = isYesNoToken(t, r.tfold)
		f.dash = t == "-" || t == "–" || t == "—"
		if f.yn {
			v, _ := normalizeYesNoFolded(t, r.tfold)
			f.no = v == ValueNo
		}
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
	if f.empty || f.dash && (d.Type == typeYN || d.Type == typeText) {
		// A dash answers a yes/no question (not applicable) as well as a
		// free-text one (nothing to list): it tells them not apart.
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

// isYesNoToken reports whether an answer is exactly a yes/no-type token of
// some locale (Oui, いいえ, N/D, –), not a sentence that starts with one:
// "Non conservato" (not retained) answers a free-text question.
func isYesNoToken(t, tfold string) bool {
	switch t {
	case "–", "—", "-":
		return true
	}
	if tfold == "" {
		tfold = labelFold(t)
	}
	_, ok := yesNoValues[tfold]
	return ok
}
