package main

import (
	"os/exec"
	"syscall"
)

// stopWithParent makes Linux send cmd SIGTERM when the process that started
// it dies, so that a parent killed with SIGKILL leaves no synth process
// writing into its staging directory. Go starts processes from threads that
// live as long as the process, so the signal comes with the parent's death.
func stopWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
}
