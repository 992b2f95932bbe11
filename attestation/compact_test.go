package attestation

import (
	"bytes"
	"os"
	"runtime"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestParse_RecordsDoNotHoldThePage checks that a record keeps no
// reference to the page text it was parsed from: 13,000 records must fit
// in memory, and each page's text is several times its record's unique
// content.
func TestParse_RecordsDoNotHoldThePage(t *testing.T) {
	data, err := os.ReadFile(corpusDir + "/fr-FR/teams/plumm-health-ltd.md")
	require.NoError(t, err)
	const n = 300
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	recs := make([]*Record, 0, n)
	for i := 0; i < n; i++ {
		r, err := Parse("plumm.md", bytes.Clone(data))
		require.NoError(t, err)
		recs = append(recs, r)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	perRecord := int(after.HeapAlloc-before.HeapAlloc) / n
	t.Logf("page %d bytes, %d bytes kept per record", len(data), perRecord)
	require.Less(t, perRecord, len(data)*2/3)
	runtime.KeepAlive(recs)
}
