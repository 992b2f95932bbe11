package cards

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestAuditNumbersPerLocale checks that the audit card's figures group
// their digits the way the card's language does (a tenant catalog can
// hold thousands of apps), and the counting messages too.
func TestAuditNumbersPerLocale(t *testing.T) {
	r := &AuditReport{TenantID: "contoso.onmicrosoft.com", GeneratedAt: goldenNow, Apps: 2345, Certified: 1200, Attested: 1100, NoRecord: 45, GrantedBeyond: 1500}
	for locale, want := range map[string][]string{
		"en-US": {`"2,345"`, `"1,200"`, `"1,500 permissions"`},
		"de-DE": {`"2.345"`, `"1.200"`, `"1.500 Berechtigungen"`},
		"fr-FR": {"\"2\u00a0345\"", "\"1\u00a0200\"", "\"1\u00a0500 autorisations\""},
		"ja-JP": {`"2,345"`, `"1,200"`},
	} {
		raw, err := json.Marshal(New(WithClock(func() time.Time { return goldenNow })).For(locale).Audit(r, 0))
		require.NoError(t, err)
		for _, w := range want {
			require.Contains(t, string(raw), w, locale)
		}
	}
}
