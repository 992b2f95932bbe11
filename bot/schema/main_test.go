package schema

import (
	"flag"
	"os"
	"testing"
)

// fuzzMinimizeDefault bounds how long the fuzzer minimizes each new
// interesting input when -fuzzminimizetime is not given (as in package
// attestation). Go's default is 60 seconds, during which the worker
// reports 0 executions a second: go test -fuzz FuzzDecodeActivity showed
// 0/sec for 40 of 60 seconds, a stall to the eye though no input was
// slow. With a bounded count the reported rate stays steady (about
// 5,000-16,000 executions a second on one worker).
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
