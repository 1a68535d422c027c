//go:build !linux

package main

import "os/exec"

// stopWithParent does nothing outside Linux, which alone has a signal for
// the death of a parent process: there, a parent killed with SIGKILL leaves
// its synth processes running until they finish.
func stopWithParent(*exec.Cmd) {}
