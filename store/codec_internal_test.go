package store

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/attestation"
)

func TestCodec_RoundTripAndHash(t *testing.T) {
	recs := []*attestation.Record{
		{Locale: "fr-FR", Path: "Apps/teams/a.md", Name: "A", Answers: []attestation.Answer{{Key: "comp.hipaa", Value: attestation.ValueYes}}},
		{Locale: "fr-FR", Path: "Apps/teams/a.md", Name: "A", Answers: []attestation.Answer{{Key: "comp.hipaa", Value: attestation.ValueYes}}},
		{Locale: "fr-FR", Path: "Apps/teams/a.md", Name: "A", Answers: []attestation.Answer{{Key: "comp.hipaa", Value: attestation.ValueNo}}},
	}
	enc, err := encodeRecords(recs)
	require.NoError(t, err)
	require.Equal(t, enc[0].sum, enc[1].sum, "equal content, equal hash")
	require.NotEqual(t, enc[0].sum, enc[2].sum)
	require.NoError(t, compressRecords(enc, func(i int) bool { return i != 1 }))
	require.Nil(t, enc[1].blob, "only needed records are compressed")
	for _, i := range []int{0, 2} {
		got, err := decodeBlob(enc[i].id, enc[i].blob)
		require.NoError(t, err)
		require.Equal(t, recs[i], got)
	}
}

// FuzzDecodeBlob checks that a corrupt stored revision gives an error,
// never a panic.
func FuzzDecodeBlob(f *testing.F) {
	enc, err := encodeRecords([]*attestation.Record{{Locale: "de-DE", Path: "Apps/saas/x.md", Name: "X"}})
	require.NoError(f, err)
	require.NoError(f, compressRecords(enc, func(int) bool { return true }))
	f.Add(enc[0].blob)
	f.Add([]byte{})
	f.Add([]byte{blobFormat})
	f.Add([]byte{2, 1, 2, 3})
	f.Add(append([]byte{blobFormat}, enc[0].blob[1:len(enc[0].blob)/2]...))
	f.Fuzz(func(t *testing.T, b []byte) {
		rec, err := decodeBlob("id", b)
		if err == nil {
			require.NotNil(t, rec)
		}
	})
}
