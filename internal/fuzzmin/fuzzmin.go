// Package fuzzmin bounds how long go test -fuzz minimizes each new
// interesting input, for the TestMain of a package with fuzz targets.
//
// Go's default is 60 seconds per input, during which the worker reports 0
// executions a second: a parser with many branches finds new inputs often,
// and a plain go test -fuzz then shows 0/sec for minutes at a time although
// it runs thousands of inputs (FuzzParse), or for 40 of 60 seconds
// (FuzzDecodeActivity): a stall to the eye, though no input is slow. A
// bounded count keeps the reported rate steady and minimized inputs small.
package fuzzmin

import (
	"flag"
	"os"
	"testing"
)

// Default is the minimization bound used when -fuzzminimizetime is not
// given.
const Default = "500x"

// Main parses the test flags, sets -test.fuzzminimizetime to Default when
// it was not given, runs the tests and exits with their status.
func Main(m *testing.M) {
	flag.Parse()
	set := false
	flag.Visit(func(f *flag.Flag) {
		if f.Name == "test.fuzzminimizetime" {
			set = true
		}
	})
	if !set && flag.Lookup("test.fuzzminimizetime") != nil {
		if err := flag.Set("test.fuzzminimizetime", Default); err != nil {
			panic(err)
		}
	}
	os.Exit(m.Run())
}
