package attestation

import "strings"

// Replan returns the changes that still hold once rec was settled again
// by its other locales at the same source hash (the vote re-keyed or
// marked an answer unknown, a date or scope name was taken from a
// sibling): changes were computed by Diff from an earlier revision to an
// earlier state of rec, before the siblings arrived. A change of rec's app
// and locale holds when rec still shows its new value; one that rec no
// longer shows (an answer now unknown or back to its old value, a
// permission row restored) was the shift the vote repaired, and is left
// out. Changes of other apps or locales, and fields a sibling never
// settles (certification, links, publisher, page), are kept as they are.
func Replan(changes []Change, rec *Record) []Change {
	out := changes[:0:0]
	var answers map[string]*Answer
	for _, c := range changes {
		if c.App != rec.Slug || c.Locale != rec.Locale {
			out = append(out, c)
			continue
		}
		if answers == nil {
			answers = answerIndex(rec)
		}
		if changeHolds(c, rec, answers) {
			out = append(out, c)
		}
	}
	return out
}

// changeHolds tells whether rec still shows change c.
func changeHolds(c Change, rec *Record, answers map[string]*Answer) bool {
	switch {
	case c.Field == FieldUpdated:
		return !rec.Updated.IsZero() && rec.Updated.String() == c.New
	case c.Field == FieldEntraAppID:
		return strings.Join(sortedAppIDs(rec), ", ") == c.New
	case strings.HasPrefix(c.Field, FieldPermissionPrefix):
		scope := strings.ToLower(strings.TrimPrefix(c.Field, FieldPermissionPrefix))
		want, present := c.New, true
		if c.Kind == ChangeRemoved {
			want, present = c.Old, false
		}
		for _, p := range permRows(rec) {
			if p.scope == scope && string(p.typ) == want {
				return present
			}
		}
		return !present
	case c.Field == FieldPage || c.Field == FieldCertification || c.Field == FieldPublisher || strings.HasPrefix(c.Field, "link:"):
		return true
	}
	a := answers[c.Field]
	if a != nil && a.Value == ValueUnknown {
		return false // an unreadable answer is never a change
	}
	if c.Kind == ChangeWithdrawn {
		return a == nil || isBlank(a.Value)
	}
	if a == nil || isBlank(a.Value) {
		return false
	}
	if a.Value == ValueText {
		return sameText(a.Text, c.New)
	}
	return string(a.Value) == c.New
}
