//go:build !linux

package attestation

import "time"

// threadCPU is not available outside Linux.
func threadCPU() (time.Duration, bool) { return 0, false }
