package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/honeyhive/platform/environments"
	"github.com/honeyhive/platform/internal/jsiiruntime"
	"github.com/honeyhive/platform/stacks"
)

// A synth of many stacks runs in several processes: jsii runs all of an
// app's JavaScript in one Node.js process, so one app uses about one CPU.
// The selection is split into parts (stacks.Partition), and each part is
// synthesized by this executable started again as a synth process, which
// reads its request from standard input and writes its stacks into a folder
// of the staging directory. When every part has succeeded, the stacks are
// moved together and the manifests merged. The policy check and the commit
// then run as for a synth in one process.
const (
	// workerEnv is set to "1" in the environment of a synth process. The
	// name is far from PLATFORM_SYNTH_WORKERS on purpose, so that a typo of
	// the setting cannot turn a synth into a synth process.
	workerEnv = "HONEYHIVE_INTERNAL_SYNTH_PROCESS"

	// workersEnv sets the number of synth processes: a positive number, or
	// unset for one per CPU, at most maxWorkers.
	workersEnv = "PLATFORM_SYNTH_WORKERS"

	// maxWorkers bounds the default number of synth processes, because each
	// needs about 100 MiB of Node.js memory before its first stack.
	maxWorkers = 4

	// maxSetWorkers bounds PLATFORM_SYNTH_WORKERS. The bundled fleet splits
	// into five parts at most.
	maxSetWorkers = 64
)

// workerCount returns the number of synth processes that PLATFORM_SYNTH_WORKERS
// sets, or the default.
func workerCount(getenv func(string) string) (int, error) {
	value := strings.TrimSpace(getenv(workersEnv))
	if value == "" {
		// GOMAXPROCS defaults to the CPUs this process may use, a
		// container's CPU limit included, where NumCPU counts the host's.
		return min(runtime.GOMAXPROCS(0), maxWorkers), nil
	}
	n, err := strconv.Atoi(value)
	if err != nil || n < 1 || n > maxSetWorkers {
		return 0, fmt.Errorf("%s: %q is not a whole number from 1 to %d; set it to 1 to synthesize in this process, or unset it for one process per CPU (at most %d)", workersEnv, value, maxSetWorkers, maxWorkers)
	}
	return n, nil
}

// workerRequest is the request a synth process reads from standard input.
type workerRequest struct {
	Environments []environments.Environment
	Selection    stacks.Selection
	Options      stacks.Options
	Outdir       string
}

// workerResult is the result a synth process writes to standard output:
// the errors of a failed synth, one per entry.
type workerResult struct {
	Errors []string
}

// runWorker serves one request as a synth process and returns the exit code.
func runWorker(stdin io.Reader, stdout io.Writer) int {
	// A synth process dies with its parent's interrupt. Closing jsii first
	// stops Node.js and removes jsii's temporary files.
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	go func() {
		sig := <-signals
		jsiiruntime.Close()
		os.Exit(exitCode(sig))
	}()

	var req workerRequest
	err := json.NewDecoder(stdin).Decode(&req)
	if err == nil {
		err = synthApp(req.Outdir, req.Environments, req.Selection, req.Options)
	}

	var result workerResult
	for _, e := range flatten(err) {
		if e != nil {
			result.Errors = append(result.Errors, e.Error())
		}
	}
	if encodeErr := json.NewEncoder(stdout).Encode(result); encodeErr != nil {
		return 1
	}
	if err != nil {
		return 1
	}
	return 0
}

// workerPool runs synth processes and stops them on an interrupt.
type workerPool struct {
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

func newWorkerPool() *workerPool {
	ctx, cancel := context.WithCancel(context.Background())
	return &workerPool{ctx: ctx, cancel: cancel}
}

// stop stops the running synth processes and waits until they have exited.
func (p *workerPool) stop() {
	p.cancel()
	p.wg.Wait()
}

// synthesizeParts runs one synth process of executable per part, each
// writing into its own folder under staged, and returns those folders. The
// error joins the errors of every failed part, each reported once.
//
// prepare runs the step that creates the folders and requests. main passes
// interruptGuard.uninterrupted, whose lock keeps an interrupt from removing
// the staged directory while the step creates folders in it.
func (p *workerPool) synthesizeParts(executable, staged string, envs []environments.Environment, parts []stacks.Selection, opts stacks.Options, prepare func(func() error) error) ([]string, error) {
	// Everything that can fail is prepared before the first process starts,
	// so that an error never leaves processes running.
	dirs := make([]string, len(parts))
	cmds := make([]*exec.Cmd, len(parts))
	outputs := make([]struct{ stdout, stderr bytes.Buffer }, len(parts))
	err := prepare(func() error {
		for i, part := range parts {
			dirs[i] = filepath.Join(staged, fmt.Sprintf(".part-%d", i))
			request, err := json.Marshal(workerRequest{Environments: envs, Selection: part, Options: opts, Outdir: dirs[i]})
			if err != nil {
				return fmt.Errorf("encoding the request of a synth process: %w", err)
			}

			// A private temporary directory collects whatever jsii leaves
			// behind when an interrupt stops the process in the middle of
			// a request, and is removed when the process has exited.
			tmp := dirs[i] + ".tmp"
			if err := os.MkdirAll(tmp, 0o755); err != nil {
				return fmt.Errorf("creating the temporary directory of a synth process: %w", err)
			}

			cmd := exec.CommandContext(p.ctx, executable)
			cmd.Env = append(os.Environ(), workerEnv+"=1", "TMPDIR="+tmp)
			cmd.Stdin = bytes.NewReader(request)
			cmd.Stdout = &outputs[i].stdout
			cmd.Stderr = &outputs[i].stderr
			cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
			cmd.WaitDelay = 10 * time.Second
			stopWithParent(cmd)
			cmds[i] = cmd
		}
		return nil
	})
	if err != nil {
		return nil, err
	}

	errs := make([][]string, len(parts))
	for i, cmd := range cmds {
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			if err := cmd.Run(); err != nil {
				errs[i] = workerErrors(parts[i], err, outputs[i].stdout.Bytes(), outputs[i].stderr.Bytes())
			}
			_ = os.RemoveAll(dirs[i] + ".tmp")
		}()
	}
	p.wg.Wait()

	var joined []error
	var seen []string
	for _, partErrs := range errs {
		for _, e := range partErrs {
			if !slices.Contains(seen, e) {
				seen = append(seen, e)
				joined = append(joined, errors.New(e))
			}
		}
	}
	return dirs, errors.Join(joined...)
}

// workerErrors returns the errors a failed synth process reported, followed
// by what it wrote to standard error, which may hold the cause (a missing
// Node.js, a crash). A process that reported no errors is described by its
// exit status instead.
func workerErrors(part stacks.Selection, runErr error, stdout, stderr []byte) []string {
	process := "the synth process for environments " + strings.Join(part.Environments, ",")
	text := strings.TrimSpace(string(stderr))
	if lines := strings.Split(text, "\n"); len(lines) > maxStderrLines {
		text = strings.Join(lines[len(lines)-maxStderrLines:], "\n")
	}

	// The result is the last line. Anything before it was printed by the
	// synth itself, which jsii's relay process (when it runs) passes on to
	// standard output.
	lines := strings.Split(strings.TrimSpace(string(stdout)), "\n")
	var result workerResult
	if json.Unmarshal([]byte(lines[len(lines)-1]), &result) == nil && len(result.Errors) > 0 {
		if text != "" {
			return append(result.Errors, process+" wrote to standard error: "+text)
		}
		return result.Errors
	}

	msg := fmt.Sprintf("%s failed: %v", process, runErr)
	if text != "" {
		msg += ": " + text
	}
	return []string{msg}
}

// maxStderrLines is the number of last lines of a failed synth process's
// standard error that its error report includes.
const maxStderrLines = 20

// mergeParts moves the stacks of the part folders into staged, checks that
// they are exactly the planned stacks, writes the merged manifest and
// removes the part folders. A stack that more than one part synthesized must
// be byte-identical in each.
func mergeParts(staged string, dirs []string, plan []stacks.Built) error {
	planned := map[string]bool{}
	for _, b := range plan {
		planned[b.Name] = true
	}

	var version json.RawMessage
	merged := map[string]json.RawMessage{}
	for _, dir := range dirs {
		var manifest struct {
			Stacks  map[string]json.RawMessage `json:"stacks"`
			Version json.RawMessage            `json:"version"`
		}
		data, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
		if err != nil {
			return fmt.Errorf("reading the manifest of a synth process: %w", err)
		}
		if err := json.Unmarshal(data, &manifest); err != nil {
			return fmt.Errorf("parsing %s: %w", filepath.Join(dir, "manifest.json"), err)
		}
		if version != nil && !bytes.Equal(version, manifest.Version) {
			return fmt.Errorf("the synth processes wrote manifests of versions %s and %s", version, manifest.Version)
		}
		version = manifest.Version

		for name, entry := range manifest.Stacks {
			if !planned[name] {
				return fmt.Errorf("a synth process wrote the stack %s, which the selection does not plan", name)
			}
			if previous := merged[name]; previous != nil && !sameJSON(previous, entry) {
				return fmt.Errorf("two synth processes wrote different manifest entries for the stack %s; synthesize with %s=1 and report the difference", name, workersEnv)
			}
			if err := moveStack(staged, dir, name, merged[name] != nil); err != nil {
				return err
			}
			merged[name] = entry
		}
	}
	for _, b := range plan {
		if merged[b.Name] == nil {
			return fmt.Errorf("no synth process wrote the planned stack %s", b.Name)
		}
	}

	data, err := json.MarshalIndent(map[string]any{"stacks": merged, "version": version}, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding the merged manifest: %w", err)
	}
	if err := os.WriteFile(filepath.Join(staged, "manifest.json"), append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("writing the merged manifest: %w", err)
	}
	for _, dir := range dirs {
		if err := os.RemoveAll(dir); err != nil {
			return fmt.Errorf("removing the folder of a synth process: %w", err)
		}
	}
	return nil
}

// moveStack moves the folder of the stack name from the part folder dir into
// staged. When another part moved it already, it checks instead that both
// synthesized the same Terraform JSON.
func moveStack(staged, dir, name string, moved bool) error {
	from := filepath.Join(dir, "stacks", name)
	to := filepath.Join(staged, "stacks", name)
	if !moved {
		if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
			return fmt.Errorf("creating the stacks folder: %w", err)
		}
		if err := os.Rename(from, to); err != nil {
			return fmt.Errorf("moving the stack %s: %w", name, err)
		}
		return nil
	}

	first, err := os.ReadFile(filepath.Join(to, "cdk.tf.json"))
	if err != nil {
		return fmt.Errorf("reading the stack %s: %w", name, err)
	}
	again, err := os.ReadFile(filepath.Join(from, "cdk.tf.json"))
	if err != nil {
		return fmt.Errorf("reading the stack %s: %w", name, err)
	}
	if !bytes.Equal(first, again) {
		return fmt.Errorf("two synth processes wrote different versions of the stack %s; synthesize with %s=1 and report the difference", name, workersEnv)
	}
	return nil
}

// sameJSON reports whether two JSON documents are equal apart from
// whitespace.
func sameJSON(a, b json.RawMessage) bool {
	var compactA, compactB bytes.Buffer
	if json.Compact(&compactA, a) != nil || json.Compact(&compactB, b) != nil {
		return false
	}
	return bytes.Equal(compactA.Bytes(), compactB.Bytes())
}
