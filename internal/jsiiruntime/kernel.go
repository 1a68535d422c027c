package jsiiruntime

import (
	"encoding/base64"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/aws/jsii-runtime-go"
)

// jsii-runtime-go v1.111.0 starts Node.js twice for every process: a wrapper
// (bin/jsii-runtime.js) that starts the kernel (lib/program.js) as its child
// and relays every request and response between Go's pipes and the kernel's
// file descriptor 3. A synth of the fleet makes about 7,000 requests, and
// through the relay each of them crosses two more pipes and one more Node.js
// process. Without the relay, the fleet synthesized 0.2 to 0.5 s faster (in
// one process, on 2 CPUs) with about 25 MiB less Node.js memory.
//
// This package therefore starts the kernel without the wrapper. JSII_NODE
// names the program jsii-runtime-go runs with the wrapper's path as its only
// argument, and jsii-runtime-go reads it while the binding packages
// initialize, before any code of this module runs. So this package's init
// sets JSII_NODE to the process's own executable and restarts the process
// with exec (about 10 ms, and no process stays behind). In the restarted
// process, jsii-runtime-go starts the executable once more as its "Node.js",
// and that process, seeing the wrapper's path, replaces itself with a shell
// that connects the descriptors as the kernel expects and execs Node.js on
// the kernel:
//
//   - descriptor 3, where the kernel writes its responses, becomes Go's
//     response pipe (the launcher's standard output);
//   - standard output becomes standard error, so anything the JavaScript
//     code prints cannot corrupt the responses; jsii-runtime-go copies it
//     to the Go process's standard error;
//   - the kernel reads its requests from descriptor 3 as well, so a module
//     loaded before the kernel (kernelPreload) makes its reads of descriptor
//     3 read standard input, Go's request pipe, instead.
//
// The kernel and its files are jsii's own, unchanged, and so are its Node.js
// flags but two, both for memory. V8's young generation is capped at
// semi-spaces of 4 MiB, below the size V8 picks by default, and V8 gets one
// background thread instead of Node.js's default of four. With two synth processes on 2 CPUs,
// the fleet's peak Node.js memory was about 305-320 MiB without them,
// 280-285 MiB with the first and 266-269 MiB with both. Time did not suffer:
// the fleet's median was 1.83 s with both and 1.87 s with the first.
//
// Node.js 22 warns on every synth that CDKTF calls the deprecated
// util.isArray (DEP0044). The user of a synth cannot act on it, so that one
// warning is turned off.
//
// Two differences in behaviour remain. The wrapper passes what the
// JavaScript code prints to standard output on to the Go process's standard
// output, and here it goes to standard error. Nothing in a synth prints
// there. And jsii's check of the Node.js version, which runs in the wrapper,
// does not run.
//
// Setting JSII_RUNTIME, or HONEYHIVE_JSII_LAUNCH=0, keeps jsii's own way of
// starting the kernel.
const (
	// launchEnv is "1" in the environment of a process restarted by this
	// package and of the processes it starts, and "0" to turn the launch
	// off.
	launchEnv = "HONEYHIVE_JSII_LAUNCH"

	// nodeEnv names the Node.js binary the kernel runs on: the JSII_NODE
	// this process started with, or "node" from PATH.
	nodeEnv = "HONEYHIVE_JSII_NODE"

	// wrapperName is the base name of the wrapper jsii-runtime-go unpacks
	// and passes to JSII_NODE.
	wrapperName = "jsii-runtime.js"
)

// kernelPreload is an ES module that Node.js loads before the kernel.
//
// It redirects reads of descriptor 3 to descriptor 0. The kernel reads
// through fs.readSync, and no file the kernel opens can get descriptor 3,
// because the response pipe occupies it for the kernel's whole life.
//
// It also makes SIGINT and SIGTERM end the kernel through process.exit,
// which runs the kernel's exit handler. That handler removes the kernel's
// jsii-kernel-* folder in the temporary directory, which a kernel killed by
// the signal (as the wrapper's kernel is when Ctrl-C reaches the whole
// process group) leaves behind. The kernel handles the signal between two
// requests, or sooner when the Go process closes its input.
const kernelPreload = `import fs from "node:fs";
import os from "node:os";
const readSync = fs.readSync;
fs.readSync = function (fd, ...rest) {
  return readSync.call(this, fd === 3 ? 0 : fd, ...rest);
};
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, () => process.exit(128 + os.constants.signals[signal]));
}
`

func init() {
	switch os.Getenv(launchEnv) {
	case "0":
		return

	case "1":
		if len(os.Args) == 2 && filepath.Base(os.Args[1]) == wrapperName {
			// The bindings' initialization made jsii-runtime-go unpack a
			// runtime of this process's own, which the kernel does not use.
			jsii.Close()
			err := execKernel(os.Args[1])
			fmt.Fprintf(os.Stderr, "error: starting the jsii kernel failed: %v\n", err)
			os.Exit(1)
		}
		// Restarted already, or started by such a process: JSII_NODE
		// names an executable that launches the kernel.

	default:
		restartWithLauncher()
	}
}

// restartWithLauncher points JSII_NODE at this executable and restarts the
// process with exec. It returns without a restart when JSII_RUNTIME is set
// or the executable cannot be run again, and then jsii starts its wrapper
// as usual.
func restartWithLauncher() {
	if os.Getenv("JSII_RUNTIME") != "" {
		return
	}
	self, err := os.Executable()
	if err != nil || syscall.Access(self, 0x1 /* X_OK */) != nil {
		return
	}

	node := os.Getenv("JSII_NODE")
	if node == "" {
		node = "node"
	}
	os.Setenv(nodeEnv, node)
	os.Setenv("JSII_NODE", self)
	os.Setenv(launchEnv, "1")

	// jsii-runtime-go unpacked its runtime into a temporary folder while
	// the bindings initialized; Close removes it. No Node.js runs yet.
	jsii.Close()
	err = syscall.Exec(self, os.Args, os.Environ())
	fmt.Fprintf(os.Stderr, "error: restarting %s to start the jsii kernel directly failed: %v; set %s=0 to skip the restart\n", self, err, launchEnv)
	os.Exit(1)
}

// execKernel replaces this process with Node.js running the kernel that
// lies beside wrapper, with the descriptors described above. It returns only
// on failure.
func execKernel(wrapper string) error {
	program := filepath.Join(filepath.Dir(filepath.Dir(wrapper)), "lib", "program.js")
	node, err := exec.LookPath(os.Getenv(nodeEnv))
	if err != nil {
		return fmt.Errorf("finding Node.js: %w", err)
	}
	preload := "data:text/javascript;base64," + base64.StdEncoding.EncodeToString([]byte(kernelPreload))

	// The shell gets the paths as arguments, so nothing in them is parsed.
	const script = `exec "$0" --preserve-symlinks --max-semi-space-size=4 --v8-pool-size=1 --disable-warning=DEP0044 --import "$1" "$2" 3>&1 1>&2`
	args := []string{"sh", "-c", script, node, preload, program}
	return syscall.Exec("/bin/sh", args, kernelEnv(os.Environ(), os.Getenv(nodeEnv)))
}

// kernelEnv returns env without this package's variables and with JSII_NODE
// as it was before restartWithLauncher, so the kernel gets the environment
// the wrapper would have passed on.
func kernelEnv(env []string, node string) []string {
	out := make([]string, 0, len(env))
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		switch name {
		case launchEnv, nodeEnv, "JSII_NODE":
			continue
		}
		out = append(out, kv)
	}
	if node != "node" {
		out = append(out, "JSII_NODE="+node)
	}
	return out
}
