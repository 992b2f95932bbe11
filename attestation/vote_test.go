package attestation

import (
	"bytes"
	"os"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestReconcileStored_OneLocaleAtATime settles three locales of a sample
// page, the first of them with a HIPAA cell that reads otherwise, as a
// sync brings them: one at a time, each against the stored others. The
// first two disagree alone and both become unknown; the third outvotes
// the first, and the second is restored. The end is what an import of the
// three together gives.
func TestReconcileStored_OneLocaleAtATime(t *testing.T) {
	read := func(name string, edit func([]byte) []byte) *Record {
		data, err := os.ReadFile(corpusDir + "/" + name)
		require.NoError(t, err)
		if edit != nil {
			data = edit(data)
		}
		r, err := Parse(name, data)
		require.NoError(t, err)
		return r
	}
	flip := func(b []byte) []byte {
		const yes = "Accounting Act) ? | Oui |"
		require.Contains(t, string(b), yes)
		return bytes.Replace(b, []byte(yes), []byte("Accounting Act) ? | Non |"), 1)
	}
	pages := func() []*Record {
		return []*Record{
			read("fr-FR/teams/plumm-health-ltd.md", flip),
			read("de-DE/teams/plumm-health-ltd.md", nil),
			read("ja-JP/teams/plumm-health-ltd.md", nil),
		}
	}
	hipaa := func(r *Record) Value {
		a, ok := r.Answer("comp.hipaa")
		require.True(t, ok)
		return a.Value
	}

	together := pages()
	Reconcile(together)
	require.Equal(t, []Value{ValueUnknown, ValueYes, ValueYes}, []Value{hipaa(together[0]), hipaa(together[1]), hipaa(together[2])})

	var stored []*Record
	put := func(rs ...*Record) {
		for _, r := range rs {
			for i, o := range stored {
				if o.ID() == r.ID() {
					stored = append(stored[:i], stored[i+1:]...)
					break
				}
			}
			stored = append(stored, r)
		}
	}
	one := pages()
	put(one[0])
	st, changed := ReconcileStored([]*Record{one[1]}, stored)
	put(changed...)
	put(one[1])
	require.Equal(t, 2, st.Vote.Unknown, "two locales alone disagree: both unknown")
	st, changed = ReconcileStored([]*Record{one[2]}, stored)
	put(changed...)
	put(one[2])
	require.Equal(t, 1, st.Vote.Confirmed, "the second locale is restored")
	byLocale := map[string]*Record{}
	for _, r := range stored {
		byLocale[r.Locale] = r
	}
	for i, r := range together {
		require.Equal(t, hipaa(r), hipaa(byLocale[r.Locale]), "%s as imported together", r.Locale)
		require.Equal(t, answerValuesOf(together[i]), answerValuesOf(byLocale[r.Locale]), r.Locale)
	}
	// Settling again changes nothing more.
	st, changed = ReconcileStored(nil, stored)
	require.Empty(t, changed)
	require.Zero(t, st.Vote.Unknown+st.Vote.Confirmed)
}

func answerValuesOf(r *Record) []string {
	out := make([]string, 0, len(r.Answers))
	for _, a := range r.Answers {
		out = append(out, a.Key+"="+string(a.Value))
	}
	return out
}
