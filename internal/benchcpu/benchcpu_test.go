package benchcpu

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestProcessCPUAdvances(t *testing.T) {
	before, ok := processCPU()
	if !ok {
		t.Skip("no process CPU time on this platform")
	}
	// Spin until the kernel's accounting moves: it counts in ticks.
	x := 0
	for after, _ := processCPU(); after == before; after, _ = processCPU() {
		for i := range 1_000_000 {
			x += i
		}
	}
	after, _ := processCPU()
	require.Greater(t, after, before, "spun %d", x)
}

func BenchmarkLoop(b *testing.B) {
	sum := 0
	Loop(b, func(i int) { sum += i })
	_ = sum
}

func BenchmarkReportMilliseconds(b *testing.B) {
	m := Start()
	for b.Loop() {
		time.Sleep(time.Microsecond)
	}
	m.Report(b, b.N, time.Millisecond)
}
