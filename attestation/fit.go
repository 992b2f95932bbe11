package attestation

import (
	"slices"
	"strings"
)

// maxFitCells bounds the alignment table of one section (rows of a locale
// times the keys of the sequence it is fitted to): real sections have at
// most a few dozen rows, a hostile page thousands.
const maxFitCells = 1 << 20

// keyRank orders canonical keys as the question tables list them.
var keyRank = func() map[string]int {
	m := map[string]int{}
	for _, t := range tableOrder {
		for _, d := range keyTables[t] {
			if _, ok := m[d.Key]; !ok {
				m[d.Key] = len(m) + 1
			}
		}
	}
	return m
}()

// fitAll gives every locale of the vote the key sequence of win in section
// sec (see fit). Locales without the section take it too, unknown, as long
// as they have answers elsewhere.
func (v *sectionVote) fitAll(sec Section, win *ballot) {
	for i, r := range v.g {
		if n, d := fit(r, sec, win.seq, win.locales); n+d > 0 {
			v.st.Filled += n
			v.st.Unknown += n
			v.st.Dropped += d
			v.repaired[r] = true
			v.rows[i] = sectionRows(r, sec)
		}
	}
}

// fit makes the key sequence of r's section sec equal to seq, the
// sequence the locales from agree on at the same source hash. The rows
// that the longest common subsequence pairs keep their answers; a key of
// seq with no row is added, unknown; a row whose key seq lacks is
// removed, its value being in doubt. Each change is a warning and a
// Repair. It returns the rows added and removed.
func fit(r *Record, sec Section, seq []string, from []string) (filled, dropped int) {
	rows := sectionRows(r, sec)
	mine := sectionKeys(r, rows)
	if slices.Equal(mine, seq) {
		return 0, 0
	}
	pairs := alignKeys(mine, seq)
	others := withoutLocale(from, r.Locale)
	by := strings.Join(others, ", ")
	if by == "" {
		by = "the other locales"
	}
	out := make([]Answer, 0, len(seq))
	m := 0 // next row of mine
	line := 0
	if len(rows) > 0 {
		line = r.Answers[rows[0]].Line
	}
	for t, key := range seq {
		for m < len(mine) && (pairs[m] < 0 || pairs[m] < t) {
			a := r.Answers[rows[m]]
			dropped++
			r.Warnings = append(r.Warnings, Warning{File: warningFile(r), Line: a.Line,
				Message: "row " + orNone(a.Key) + " is not in the key sequence of " + by + " at the same source hash: removed"})
			r.Repairs = append(r.Repairs, Repair{Field: orNone(a.Key), Old: string(a.Value), From: others,
				Note: "row not in the key sequence of the other locales, removed"})
			m++
		}
		if m < len(mine) && pairs[m] == t {
			a := r.Answers[rows[m]]
			line = a.Line
			out = append(out, a)
			m++
			continue
		}
		filled++
		out = append(out, Answer{Key: key, Label: keyDefs[key].Label, Section: sec, Value: ValueUnknown, Line: line})
		r.Warnings = append(r.Warnings, Warning{File: warningFile(r), Line: line,
			Message: "no row for " + orNone(key) + " here, but " + by + " at the same source hash have one: stored as unknown"})
		r.Repairs = append(r.Repairs, Repair{Field: orNone(key), New: string(ValueUnknown), From: others,
			Note: "row missing in this locale, added as unknown"})
	}
	for ; m < len(mine); m++ {
		a := r.Answers[rows[m]]
		dropped++
		r.Warnings = append(r.Warnings, Warning{File: warningFile(r), Line: a.Line,
			Message: "row " + orNone(a.Key) + " is not in the key sequence of " + by + " at the same source hash: removed"})
		r.Repairs = append(r.Repairs, Repair{Field: orNone(a.Key), Old: string(a.Value), From: others,
			Note: "row not in the key sequence of the other locales, removed"})
	}
	r.Answers = spliceSection(r.Answers, sec, out)
	return filled, dropped
}

// spliceSection returns answers with the rows of section sec replaced by
// rows, placed where the section's first row was, or, for a section the
// record lacks, before the first answer of a later section.
func spliceSection(answers []Answer, sec Section, rows []Answer) []Answer {
	order := slices.Index(Sections, sec)
	out := make([]Answer, 0, len(answers)+len(rows))
	placed := false
	for _, a := range answers {
		if a.Section == sec || (!placed && slices.Index(Sections, a.Section) > order) {
			if !placed {
				out = append(out, rows...)
				placed = true
			}
			if a.Section == sec {
				continue
			}
		}
		out = append(out, a)
	}
	if !placed {
		out = append(out, rows...)
	}
	return out
}

// alignKeys pairs the keys of a with those of b along a longest common
// subsequence: pairs[i] is the index in b of a[i], or -1. Above
// maxFitCells nothing is paired.
func alignKeys(a, b []string) []int {
	pairs := make([]int, len(a))
	for i := range pairs {
		pairs[i] = -1
	}
	if len(a)*len(b) > maxFitCells || len(a) == 0 || len(b) == 0 {
		return pairs
	}
	w := len(b) + 1
	dp := make([]int32, (len(a)+1)*w)
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				dp[i*w+j] = dp[(i+1)*w+j+1] + 1
			} else {
				dp[i*w+j] = max(dp[(i+1)*w+j], dp[i*w+j+1])
			}
		}
	}
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] == b[j]:
			pairs[i] = j
			i++
			j++
		case dp[(i+1)*w+j] >= dp[i*w+j+1]:
			i++
		default:
			j++
		}
	}
	return pairs
}

// supersequence merges two key sequences into one that holds each as a
// subsequence: the common rows once, the others in canonical key order.
func supersequence(a, b []string) []string {
	pairs := alignKeys(a, b)
	paired := make([]bool, len(b))
	for _, p := range pairs {
		if p >= 0 {
			paired[p] = true
		}
	}
	out := make([]string, 0, len(a)+len(b))
	j := 0
	for i, p := range pairs {
		if p < 0 {
			// b's rows before a[i] in key order come first.
			for j < len(b) && !paired[j] && rankBefore(b[j], a[i]) {
				out = append(out, b[j])
				j++
			}
			out = append(out, a[i])
			continue
		}
		for ; j < p; j++ {
			out = append(out, b[j])
		}
		out = append(out, a[i])
		j = p + 1
	}
	return append(out, b[j:]...)
}

// rankBefore tells whether key x comes before key y in the question
// tables; keys without a rank (no key) never do.
func rankBefore(x, y string) bool {
	rx, ry := keyRank[x], keyRank[y]
	return rx > 0 && ry > 0 && rx < ry
}
