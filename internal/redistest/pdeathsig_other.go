//go:build !linux

package redistest

import "os/exec"

// setParentDeathSignal does nothing outside Linux; test cleanup stops the
// server.
func setParentDeathSignal(*exec.Cmd) {}
