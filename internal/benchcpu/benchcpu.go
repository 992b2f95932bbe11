// Package benchcpu reports the CPU time a benchmark spends per operation,
// beside the wall time that testing measures. On a machine shared with
// other work, wall time per operation mostly measures waiting; the process's
// user and system CPU time does not.
package benchcpu

import (
	"testing"
	"time"
)

// Meter is the process CPU time at the moment it was started.
type Meter struct {
	start time.Duration
	ok    bool
}

// Start reads the process CPU time now.
func Start() Meter {
	t, ok := processCPU()
	return Meter{start: t, ok: ok}
}

// Report adds the CPU time spent since m started, divided by n operations,
// to b's results, in unit: "cpu-ns/op" for time.Nanosecond, "cpu-µs/op" for
// time.Microsecond, "cpu-ms/op" for time.Millisecond. Nothing is reported
// where the platform does not give process CPU time, or when n is zero.
func (m Meter) Report(b *testing.B, n int, unit time.Duration) {
	b.Helper()
	end, ok := processCPU()
	if !m.ok || !ok || n <= 0 {
		return
	}
	name := "cpu-ns/op"
	switch unit {
	case time.Microsecond:
		name = "cpu-µs/op"
	case time.Millisecond:
		name = "cpu-ms/op"
	default:
		unit = time.Nanosecond
	}
	b.ReportMetric(float64(end-m.start)/float64(unit)/float64(n), name)
}

// Loop runs fn once per iteration of b.Loop, with the iteration's number,
// reports allocations, and reports the CPU time per operation in
// nanoseconds.
func Loop(b *testing.B, fn func(i int)) {
	b.Helper()
	b.ReportAllocs()
	m := Start()
	n := 0
	for b.Loop() {
		fn(n)
		n++
	}
	m.Report(b, n, time.Nanosecond)
}

// Elapsed returns the process CPU time spent since m started; false where
// the platform does not give it.
func (m Meter) Elapsed() (time.Duration, bool) {
	end, ok := processCPU()
	if !ok || !m.ok {
		return 0, false
	}
	return end - m.start, true
}
