package attestation

import (
	"strings"
	"unicode/utf8"
)

// This file grades how sure a search is that a result is the app named:
// the Confidence of a Result.

// genericNameWords are words a name often carries besides the product's
// own name ("Stack Overflow for Teams", "Zoho CRM pour la messagerie"):
// a query equal to the name without them is still an exact match. Keyed
// by folded word; languages share the table because names are shown in
// every locale.
var genericNameWords = map[string]bool{
	// en
	"for": true, "in": true, "the": true, "app": true, "apps": true, "add": true, "addin": true, "microsoft": true,
	"teams": true, "365": true, "m365": true, "office": true, "outlook": true, "word": true, "excel": true,
	"powerpoint": true, "sharepoint": true, "onenote": true, "project": true, "and": true,
	// fr, de, es, it, pt
	"pour": true, "la": true, "le": true, "les": true, "et": true, "fur": true, "und": true, "fuer": true,
	"para": true, "y": true, "per": true, "e": true, "messagerie": true,
}

// addName records a folded name of the group and its core without
// generic words.
func (g *searchGroup) addName(folded string) {
	if folded == "" {
		return
	}
	add := func(n string) {
		for _, have := range g.names {
			if have == n {
				return
			}
		}
		g.names = append(g.names, n)
	}
	add(folded)
	if c := coreName(folded); c != "" && c != folded {
		add(c)
	}
}

// coreName drops generic words from a folded name; it returns "" when
// nothing else is left.
func coreName(folded string) string {
	if !hasGenericWord(folded) {
		return folded
	}
	words := strings.Fields(folded)
	kept := words[:0:0]
	for _, w := range words {
		if !genericNameWords[w] {
			kept = append(kept, w)
		}
	}
	return strings.Join(kept, " ")
}

// confidence grades a hit for the folded query fq ("" for a lookup by
// identifier) whose core (coreName) is qcore.
func (ix *Index) confidence(h hit, fq, qcore string) Confidence {
	switch h.match {
	case MatchAppSourceID, MatchTeamsAppID, MatchEntraAppID, MatchSlug, MatchName:
		return ConfidenceExact
	case MatchFilter:
		return ConfidenceLoose
	}
	if fq == "" {
		return ConfidenceLoose
	}
	// The group's names already hold their cores.
	return nameConfidence(fq, qcore, ix.groups[h.group].names, false)
}

// NameConfidence grades how well a folded query names one of the folded
// names (see Fold): exact when it equals a name or its core without
// generic words; close when it is within the typo budget of one
// (closeBudget) or types at least three quarters of one from its start
// (four letters at least); loose otherwise.
func NameConfidence(fq string, names []string) Confidence {
	return nameConfidence(fq, coreName(fq), names, true)
}

func nameConfidence(fq, qcore string, names []string, cores bool) Confidence {
	best := ConfidenceLoose
	for _, n := range names {
		if n == fq || (qcore != "" && n == qcore) || sameWithoutSpaces(n, fq) {
			return ConfidenceExact
		}
		if cores {
			if nc := coreName(n); nc != "" && (nc == fq || nc == qcore) {
				return ConfidenceExact
			}
		}
		if best == ConfidenceClose {
			continue
		}
		if isClose(fq, n) || (qcore != "" && qcore != fq && isClose(qcore, n)) {
			best = ConfidenceClose
		}
	}
	return best
}

// sameWithoutSpaces reports whether a and b, both with a space, are the
// same letters once spaces are dropped: "quick minutes" names
// "QuickMinutes", "work board" "WorkBoard".
func sameWithoutSpaces(a, b string) bool {
	if strings.IndexByte(a, ' ') < 0 && strings.IndexByte(b, ' ') < 0 {
		return false
	}
	for a != "" || b != "" {
		a, b = strings.TrimLeft(a, " "), strings.TrimLeft(b, " ")
		if a == "" || b == "" || a[0] != b[0] {
			return a == b
		}
		a, b = a[1:], b[1:]
	}
	return true
}

// isClose reports whether q is a typo of name n or most of it.
func isClose(q, n string) bool {
	qn, nn := utf8.RuneCountInString(q), utf8.RuneCountInString(n)
	if qn >= 4 && strings.HasPrefix(n, q) && 4*qn >= 3*nn {
		return true
	}
	k := closeBudget(nn)
	if k == 0 {
		return false
	}
	// The first letter must agree: "Slack" is not a typo of "Stack"
	// however close, and admins rarely mistype it.
	qr, _ := utf8.DecodeRuneInString(q)
	nr, _ := utf8.DecodeRuneInString(n)
	if qr != nr {
		return false
	}
	return damerau(q, n, k) <= k
}

// closeBudget is the number of edits a whole name of n runes tolerates: a
// short name tolerates none (one letter changes a word into another), six
// to nine runes one, longer two.
func closeBudget(n int) int {
	switch {
	case n < 6:
		return 0
	case n < 10:
		return 1
	default:
		return 2
	}
}

// hasGenericWord reports whether a folded name has a generic word.
func hasGenericWord(folded string) bool {
	for len(folded) > 0 {
		w, rest, _ := strings.Cut(folded, " ")
		if genericNameWords[w] {
			return true
		}
		folded = rest
	}
	return false
}
