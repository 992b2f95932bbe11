package attestation

import (
	"bytes"
	"os"
	"runtime"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestParse_RecordsDoNotHoldThePage checks that a record keeps no
// reference to the page text it was parsed from, so that 13,000 records
// fit in memory.
func TestParse_RecordsDoNotHoldThePage(t *testing.T) {
	page, err := os.ReadFile(corpusDir + "/fr-FR/teams/plumm-health-ltd.md")
	require.NoError(t, err)
	// 64 KiB of comment after the page: a record that kept any piece of the
	// page text would keep all of it.
	data := append(bytes.Clone(page), []byte("\n<!-- "+string(bytes.Repeat([]byte("x"), 64<<10))+" -->\n")...)
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
	require.Less(t, perRecord, 32<<10)
	runtime.KeepAlive(recs)
}
