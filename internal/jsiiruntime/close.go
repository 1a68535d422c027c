// Package jsiiruntime stops the jsii runtime at the end of a process.
package jsiiruntime

import (
	"os"

	"github.com/aws/jsii-runtime-go"
)

// Close stops Node.js and removes the directory jsii unpacked its runtime
// into. Call it last, right before the process exits: it silences stderr for
// good, because jsii-runtime-go v1.111.0 reaps Node.js in two goroutines and
// the one that loses prints "Runtime process exited abnormally: waitid: no
// child processes", a false alarm, at an unpredictable moment.
func Close() {
	if devNull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0); err == nil {
		os.Stderr = devNull
	}
	jsii.Close()
}
