package attestation

import (
	"flag"
	"os"
	"testing"
)

// fuzzMinimizeDefault bounds how long the fuzzer minimizes each new
// interesting input when -fuzzminimizetime is not given. Go's default is
// 60 seconds, during which the worker reports no executions: with the
// parser's many branches new inputs come often, and a plain
// go test -fuzz FuzzParse then shows 0 executions a second for minutes at
// a time although it runs thousands. A bounded count keeps the reported
// rate steady; minimized inputs stay small.
const fuzzMinimizeDefault = "500x"

func TestMain(m *testing.M) {
	flag.Parse()
	set := false
	flag.Visit(func(f *flag.Flag) {
		if f.Name == "test.fuzzminimizetime" {
			set = true
		}
	})
	if !set && flag.Lookup("test.fuzzminimizetime") != nil {
		if err := flag.Set("test.fuzzminimizetime", fuzzMinimizeDefault); err != nil {
			panic(err)
		}
	}
	os.Exit(m.Run())
}
