package binarytest

import (
	"os/exec"
	"syscall"
)

// setParentDeathSignal makes the kernel kill the binary if the test
// process dies without running its cleanups.
func setParentDeathSignal(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
