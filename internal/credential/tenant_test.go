package credential

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestCheckTenant(t *testing.T) {
	for _, tc := range []struct {
		tenant string
		ok     bool
	}{
		{"botframework.com", true},
		{"72f988bf-86f1-41af-91ab-2d7cd011db47", true},
		{"contoso.onmicrosoft.com", true},
		{"a", true},
		{strings.Repeat("a", 253), true},
		{strings.Repeat("a", 254), false},
		{"", false},
		{"-contoso", false},
		{".contoso", false},
		{"contoso/../x", false},
		{"contoso com", false},
		{"contosö.com", false},
		{"common", false},
		{"Organizations", false},
		{"CONSUMERS", false},
	} {
		err := CheckTenant(tc.tenant)
		require.Equal(t, tc.ok, err == nil, "%q: %v", tc.tenant, err)
	}
	// The hand-written check accepts what the pattern it replaced accepts.
	re := regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$`)
	alphabet := []byte("aZ09.-_/ é\x00")
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		b := make([]byte, rng.IntN(8))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		require.Equal(t, re.Match(b), isTenantName(string(b)), "%q", b)
	}
}
