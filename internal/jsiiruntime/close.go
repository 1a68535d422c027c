// Package jsiiruntime starts the jsii kernel without jsii's relay process
// (kernel.go), stops it at the end of a process and owns the process's
// scratch directory. Every program and test binary that uses jsii imports
// it.
package jsiiruntime

import (
	"os"
	"sync"

	"github.com/aws/jsii-runtime-go"
)

var (
	scratchOnce sync.Once
	scratchDir  string
	scratchErr  error
)

// ScratchDir returns a directory private to this process, created on first
// use, for files that CDKTF reads during synth, such as the source folders of
// assets (synth copies them into the output). Close removes it, so a synth
// leaves nothing behind in the temporary directory.
func ScratchDir() (string, error) {
	scratchOnce.Do(func() {
		scratchDir, scratchErr = os.MkdirTemp("", "honeyhive-synth-")
	})
	return scratchDir, scratchErr
}

// Close stops Node.js, removes the directory jsii unpacked its runtime into
// and removes the scratch directory. Call it last, right before the process
// exits: it silences stderr for good, because jsii-runtime-go v1.111.0 reaps
// Node.js in two goroutines and the one that loses prints "Runtime process
// exited abnormally: waitid: no child processes", a false alarm, at an
// unpredictable moment.
func Close() {
	if devNull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0); err == nil {
		os.Stderr = devNull
	}
	jsii.Close()
	if scratchDir != "" {
		_ = os.RemoveAll(scratchDir)
	}
}
