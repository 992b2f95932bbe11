package jsonw

import (
	"testing"

	"github.com/attestbot/attestbot/internal/fuzzmin"
)

// TestMain bounds the fuzzer's minimization of new inputs (fuzzmin), so
// that go test -fuzz reports a steady rate.
func TestMain(m *testing.M) { fuzzmin.Main(m) }
