package notify_test

import (
	"bytes"
	"io/fs"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/notify/notifytest"
	"github.com/attestbot/attestbot/sample"
)

const plummPath = "Apps/teams/plumm-health-ltd.md"

// samplePage reads a page of the bundled sample.
func samplePage(t testing.TB, name string) []byte {
	t.Helper()
	b, err := fs.ReadFile(sample.FS(), name)
	require.NoError(t, err)
	return b
}

// rehash gives a page another source hash (the English source moved on).
func rehash(t testing.TB, page []byte, hash string) []byte {
	t.Helper()
	const old = "ms.openlocfilehash: b6c63d81a94f20689685b3700594c85230b55718"
	require.Contains(t, string(page), old)
	return bytes.Replace(page, []byte(old), []byte("ms.openlocfilehash: "+hash), 1)
}

// dropRowInDoubt deletes the first question row of page whose absence
// leaves the page, parsed alone, with answers in doubt (unknown) that the
// intact page reads: the shift a translation that drops a row makes. It
// returns the shifted page and the number of those unknown answers.
func dropRowInDoubt(t testing.TB, name string, page []byte) ([]byte, int) {
	t.Helper()
	intact, err := attestation.Parse(name, page)
	require.NoError(t, err)
	lines := strings.SplitAfter(string(page), "\n")
	for _, a := range intact.Answers {
		if a.Line < 1 || a.Line > len(lines) || a.Key == "" {
			continue
		}
		shifted := strings.Join(append(append([]string(nil), lines[:a.Line-1]...), lines[a.Line:]...), "")
		rec, err := attestation.Parse(name, []byte(shifted))
		require.NoError(t, err)
		n := 0
		for _, b := range rec.Answers {
			if w, ok := intact.Answer(b.Key); ok && b.Value == attestation.ValueUnknown && w.Value != attestation.ValueUnknown {
				n++
			}
		}
		if n > 0 {
			return []byte(shifted), n
		}
	}
	t.Fatalf("%s: no row whose deletion leaves answers in doubt", name)
	return nil, 0
}

// TestSync_CrossLocaleVote syncs three locales of a page to a new source
// hash where the last locale is shifted (a row dropped, or a cell that
// reads otherwise than the other locales): the sync votes it against the
// stored locales at the same hash as catalog import does, so no answer is
// flipped and no alert is raised. The same shifted page synced with no
// other locale raises the false alert the vote prevents.
func TestSync_CrossLocaleVote(t *testing.T) {
	fr := samplePage(t, "fr-FR/teams/plumm-health-ltd.md")
	de := samplePage(t, "de-DE/teams/plumm-health-ltd.md")
	ja := samplePage(t, "ja-JP/teams/plumm-health-ltd.md")
	const hipaaYes = "(HIPAA) に準拠していますか? | はい |"
	require.Contains(t, string(ja), hipaaYes)
	dropped, inDoubt := dropRowInDoubt(t, "ja-JP/teams/plumm-health-ltd.md", ja)
	tests := []struct {
		name    string
		shifted []byte
		// alone is what the shifted page raises when synced with no
		// other locale ("" for no event).
		alone string
	}{
		{"cell reads otherwise", bytes.Replace(ja, []byte(hipaaYes), []byte("(HIPAA) に準拠していますか? | いいえ |"), 1), "comp.hipaa"},
		{"row dropped", dropped, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := ctxT(t)
			day := func(d int) time.Time { return time.Date(2022, 3, d, 0, 0, 0, 0, time.UTC) }
			frRepo, deRepo, jaRepo := newRepo(t), newRepo(t), newRepo(t)
			st := openBolt(t, true)
			p := newPipeline(t, st, pipelineOpts{
				specs: []string{"git+file://" + frRepo.dir + "#:Apps", "git+file://" + deRepo.dir + "#:Apps", "git+file://" + jaRepo.dir + "#:Apps"},
				clock: notifytest.NewClock(day(1)),
			})
			frRepo.commit("fr", day(1), map[string][]byte{plummPath: fr})
			deRepo.commit("de", day(1), map[string][]byte{plummPath: de})
			jaRepo.commit("ja", day(1), map[string][]byte{plummPath: ja})
			_, err := p.syncer.Sync(ctx)
			require.NoError(t, err)

			const h2 = "0123456789abcdef0123456789abcdef01234567"
			frRepo.commit("fr", day(2), map[string][]byte{plummPath: rehash(t, fr, h2)})
			deRepo.commit("de", day(2), map[string][]byte{plummPath: rehash(t, de, h2)})
			jaRepo.commit("ja", day(2), map[string][]byte{plummPath: rehash(t, tt.shifted, h2)})
			res, err := p.syncer.Sync(ctx)
			require.NoError(t, err)
			require.Empty(t, res.Events, "a shifted page raises no alert")
			if tt.alone != "" {
				require.Positive(t, res.Sources[2].Repaired, "the vote settled the ja-JP page")
			}

			got, err := st.GetRecord(ctx, "ja-JP/"+plummPath)
			require.NoError(t, err)
			intact, err := attestation.Parse("ja.md", ja)
			require.NoError(t, err)
			for _, a := range got.Answers {
				if w, ok := intact.Answer(a.Key); ok && a.Value != attestation.ValueUnknown {
					require.Equal(t, w.Value, a.Value, "%s: no flipped answer", a.Key)
				}
			}
			// The sync settles the page as an import of the same pages does.
			var imported []*attestation.Record
			for _, b := range [][]byte{fr, de, tt.shifted} {
				r, err := attestation.Parse("p.md", rehash(t, b, h2))
				require.NoError(t, err)
				r.Path = plummPath
				imported = append(imported, r)
			}
			attestation.Reconcile(imported)
			require.Equal(t, answerValues(imported[2]), answerValues(got))
			if tt.name == "row dropped" {
				// The dropped row itself comes back, unknown, so that the
				// locales share one key sequence.
				filled := map[string]bool{}
				for _, r := range got.Repairs {
					if strings.HasPrefix(r.Note, "row missing in this locale") {
						filled[r.Field] = true
					}
				}
				require.LessOrEqual(t, len(filled), 1, "only the dropped row is filled")
				unknown := 0
				for _, a := range got.Answers {
					if w, ok := intact.Answer(a.Key); ok && !filled[a.Key] && a.Value == attestation.ValueUnknown && w.Value != attestation.ValueUnknown {
						unknown++
					}
				}
				require.LessOrEqual(t, unknown, inDoubt, "the other locales never add doubt beyond the shifted rows")
				t.Logf("row dropped: %d answers in doubt alone, %d unknown after the vote, %d row filled", inDoubt, unknown, len(filled))
			}

			// The same shifted page with no other locale to vote.
			alone := newRepo(t)
			st2 := openBolt(t, true)
			p2 := newPipeline(t, st2, pipelineOpts{specs: []string{"git+file://" + alone.dir + "#:Apps"}, clock: notifytest.NewClock(day(1))})
			alone.commit("ja", day(1), map[string][]byte{plummPath: ja})
			_, err = p2.syncer.Sync(ctx)
			require.NoError(t, err)
			alone.commit("ja", day(2), map[string][]byte{plummPath: rehash(t, tt.shifted, h2)})
			res, err = p2.syncer.Sync(ctx)
			require.NoError(t, err)
			var fields []string
			for _, e := range res.Events {
				for _, c := range e.Changes {
					fields = append(fields, c.Field)
				}
			}
			if tt.alone == "" {
				require.Empty(t, fields)
			} else {
				require.Contains(t, fields, tt.alone)
			}
		})
	}
}

// TestSync_SiblingDate syncs a zh-TW page whose developer date lost its
// month (issue 13) after a locale of the same page at the same source hash
// that has it: the sync takes the date from it, as catalog import does.
func TestSync_SiblingDate(t *testing.T) {
	ctx := ctxT(t)
	zh, err := os.ReadFile("testdata/siblings/fabasoft-austria-gmbh-cloud-office-add-in.md")
	require.NoError(t, err)
	require.Contains(t, string(zh), "2021月14日")
	// The ja-JP twin: the same page with a whole date.
	ja := bytes.Replace(bytes.Replace(zh, []byte("ms.contentlocale: zh-TW"), []byte("ms.contentlocale: ja-JP"), 1),
		[]byte("2021月14日"), []byte("2021年12月14日"), 1)
	const path = "Apps/word/fabasoft-austria-gmbh-cloud-office-add-in.md"
	jaRepo, zhRepo := newRepo(t), newRepo(t)
	day := time.Date(2022, 3, 1, 0, 0, 0, 0, time.UTC)
	jaRepo.commit("ja", day, map[string][]byte{path: ja})
	zhRepo.commit("zh", day, map[string][]byte{path: zh})
	st := openBolt(t, true)
	p := newPipeline(t, st, pipelineOpts{specs: []string{"git+file://" + jaRepo.dir + "#:Apps", "git+file://" + zhRepo.dir + "#:Apps"}, clock: notifytest.NewClock(day)})
	res, err := p.syncer.Sync(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, res.Sources[1].Repaired)
	got, err := st.GetRecord(ctx, "zh-TW/"+path)
	require.NoError(t, err)
	require.Equal(t, "2021-12-14", got.Updated.String())
	require.Equal(t, attestation.FieldUpdated, got.Repairs[len(got.Repairs)-1].Field)
	require.Equal(t, []string{"ja-JP"}, got.Repairs[len(got.Repairs)-1].From)
}

// answerValues returns key=value for every keyed answer, in order.
func answerValues(r *attestation.Record) []string {
	var out []string
	for _, a := range r.Answers {
		out = append(out, a.Key+"="+string(a.Value))
	}
	return out
}
