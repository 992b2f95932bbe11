//go:build unix

package chat

import (
	"syscall"
	"time"
)

// processCPU returns the user and system CPU time of the test process, so
// that a benchmark can report CPU per operation on a machine shared with
// other work (where wall time per operation mostly measures waiting).
func processCPU() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
