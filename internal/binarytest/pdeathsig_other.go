//go:build !linux

package binarytest

import "os/exec"

// setParentDeathSignal does nothing outside Linux; test cleanup stops the
// binary.
func setParentDeathSignal(*exec.Cmd) {}
