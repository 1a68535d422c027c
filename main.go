// Command platform synthesizes HoneyHive's AWS platform into Terraform JSON.
//
// It validates every bundled environment, builds the selected stacks and
// writes them to cdktf.out/ (or $CDKTF_OUTDIR), replacing the previous output
// only when synthesis succeeds. The cdktf CLI runs it through cdktf.json;
// `make synth` runs it directly.
//
// Environment variables select a subset of the stacks; each takes a
// comma-separated list, and an unset variable selects everything:
//
//	PLATFORM_ENV     environment names, for example "prod,stage"
//	PLATFORM_REGION  region names or codes, for example "us-west-2" or "usw2"
//	PLATFORM_LAYER   layers, for example "substrate"
//
// PLATFORM_BOOTSTRAP_LOCAL_STATE=1 gives the bootstrap stack a local backend,
// for its first deploy before its state bucket exists.
//
// A selection of several environments synthesizes in parallel synth
// processes, one per CPU and at most four; PLATFORM_SYNTH_WORKERS sets their
// number, and PLATFORM_SYNTH_WORKERS=1 synthesizes in this process.
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/honeyhive/platform/environments"
	"github.com/honeyhive/platform/internal/jsiiruntime"
	"github.com/honeyhive/platform/internal/outdir"
	"github.com/honeyhive/platform/policy"
	"github.com/honeyhive/platform/stacks"
)

func main() {
	var code int
	if os.Getenv(workerEnv) == "1" {
		code = runWorker(os.Stdin, os.Stdout)
	} else {
		code = run(os.Stdout, os.Stderr, os.Getenv, environments.All())
	}
	jsiiruntime.Close()
	os.Exit(code)
}

// run validates envs, synthesizes the stacks that the PLATFORM_*
// variables select and returns the process exit code.
func run(stdout, stderr io.Writer, getenv func(string) string, envs []environments.Environment) int {
	start := time.Now()

	if err := errors.Join(environments.Validate(envs), stacks.Validate(envs)); err != nil {
		printErrors(stderr, "invalid environment definitions; nothing was written", err)
		return 1
	}

	sel := stacks.ParseSelection(getenv("PLATFORM_ENV"), getenv("PLATFORM_REGION"), getenv("PLATFORM_LAYER"))
	if err := sel.Validate(envs); err != nil {
		printErrors(stderr, "invalid selection; nothing was written", err)
		return 1
	}
	opts := stacks.Options{
		BootstrapLocalState: getenv("PLATFORM_BOOTSTRAP_LOCAL_STATE") == "1",
		PlanMode:            getenv("PLATFORM_PLAN") == "1",
	}
	workers, err := workerCount(getenv)
	if err != nil {
		printErrors(stderr, "invalid settings; nothing was written", err)
		return 1
	}

	final := getenv("CDKTF_OUTDIR")
	if final == "" {
		final = "cdktf.out"
	}
	// The cdktf CLI sets CDKTF_CONTEXT_JSON when it runs the app, and then
	// removes the folders of stacks that are no longer synthesized itself.
	underCLI := getenv("CDKTF_CONTEXT_JSON") != ""

	guard := watchInterrupts(stderr, final)
	defer guard.stop()

	written, report, processes, err := synthesize(final, envs, sel, opts, workers, underCLI, guard)
	sig := guard.received()

	var kept *outdir.KeptError
	var violations *policyError
	switch {
	case errors.Is(err, errNoStack):
		printErrors(stderr, "invalid selection; nothing was written", err)
		return 1

	case errors.As(err, &violations):
		printErrors(stderr, fmt.Sprintf("%d policy violations; nothing was written", len(violations.violations)), err)

	case errors.As(err, &kept):
		printErrors(stderr, "replacing "+final+" failed; the previous output is kept in "+kept.Previous, err)

	case err != nil:
		printErrors(stderr, "synth failed; "+final+" was left as it was", err)

	default:
		if opts.PlanMode {
			fmt.Fprintln(stdout, "plan mode: stacks of HoneyHive's target accounts read state and plan with the read-only roles; do not deploy this output")
		}
		printSummary(stdout, sel, written, final, processes, time.Since(start))
		printPolicy(stdout, report, final)
	}

	if sig != nil {
		fmt.Fprintf(stderr, "interrupted; exiting after the commit of %s finished\n", final)
		return exitCode(sig)
	}
	if err != nil {
		return 1
	}
	return 0
}

// printSummary writes one line per written stack and a total.
func printSummary(w io.Writer, sel stacks.Selection, written []writtenStack, final string, processes int, elapsed time.Duration) {
	fmt.Fprintf(w, "selected %s\n", sel)
	total := 0
	for _, s := range written {
		note := ""
		if s.Dependency {
			note = "  (dependency of the selection)"
		}
		fmt.Fprintf(w, "  wrote %-28s %4d resources%s\n", s.Name, s.Resources, note)
		total += s.Resources
	}
	noun := "stacks"
	if len(written) == 1 {
		noun = "stack"
	}
	parallel := ""
	if processes > 1 {
		parallel = fmt.Sprintf(" (%d synth processes)", processes)
	}
	fmt.Fprintf(w, "synthesized %d %s, %d resources into %s in %.1fs%s\n",
		len(written), noun, total, final, elapsed.Seconds(), parallel)
}

// printPolicy writes the outcome of the policy check: the count, and each
// suppression under its rule and reason.
func printPolicy(w io.Writer, report policy.Report, final string) {
	fmt.Fprintf(w, "policy: %d rules passed, %d suppressions (listed in %s)\n",
		len(report.Rules), len(report.Suppressions), filepath.Join(final, policyReportFile))

	type group struct{ rule, reason string }
	var order []group
	paths := map[group][]string{}
	for _, s := range report.Suppressions {
		g := group{s.Rule, s.Reason}
		if _, seen := paths[g]; !seen {
			order = append(order, g)
		}
		paths[g] = append(paths[g], s.Path)
	}
	for _, g := range order {
		fmt.Fprintf(w, "  suppressed %s: %s\n", g.rule, g.reason)
		for _, p := range paths[g] {
			fmt.Fprintf(w, "    %s\n", p)
		}
	}
}

// policyReportFile is the machine-readable policy report, written next to
// the stacks.
const policyReportFile = "policy-report.json"

// policyError is the error of a synth whose stacks break policy rules. It
// unwraps to one error per violation.
type policyError struct {
	violations []policy.Violation
}

func (e *policyError) Error() string {
	return fmt.Sprintf("%d policy violations", len(e.violations))
}

func (e *policyError) Unwrap() []error {
	errs := make([]error, len(e.violations))
	for i, v := range e.violations {
		errs[i] = errors.New(v.String())
	}
	return errs
}

// errNoStack is the error for a valid selection that matches no stack, for
// example a region that has no stack of the selected layer.
var errNoStack = errors.New("matches no stack")

// writtenStack is one stack in the committed output.
type writtenStack struct {
	Name      string
	Resources int

	// Dependency marks a stack written only because a selected stack reads
	// its outputs.
	Dependency bool
}

// synthesize builds and synthesizes the selected stacks into a staging
// directory and moves it into place only when everything succeeded. It
// returns the number of processes that synthesized.
//
// A selection that stacks.Partition can split synthesizes in up to workers
// synth processes (see workers.go), any other in this process.
//
// Every synthesized stack must pass the policy pack: a violation fails the
// synth before anything reaches final, and the report of the rules and
// suppressions is written next to the stacks.
func synthesize(final string, envs []environments.Environment, sel stacks.Selection, opts stacks.Options, workers int, underCLI bool, guard *interruptGuard) (written []writtenStack, report policy.Report, processes int, err error) {
	plan := stacks.Plan(envs, sel)
	if len(plan) == 0 {
		return nil, report, 0, fmt.Errorf("the selection %s %w", sel, errNoStack)
	}

	staged, err := guard.stage(final)
	if err != nil {
		return nil, report, 0, fmt.Errorf("creating a staging directory beside %s: %w", final, err)
	}

	// The staged directory never holds Terraform working files, because
	// Commit moves them only after the staged directory has become final,
	// so removing it loses nothing.
	defer func() {
		if err != nil {
			guard.discard()
		}
	}()

	processes = 1
	if parts := stacks.Partition(envs, sel, workers); parts != nil {
		processes = len(parts)
		executable, err := os.Executable()
		if err != nil {
			return nil, report, processes, fmt.Errorf("finding this executable to start synth processes: %w", err)
		}
		pool := newWorkerPool()
		guard.beforeDiscard(pool.stop)
		dirs, err := pool.synthesizeParts(executable, staged, envs, parts, opts, guard.uninterrupted)
		if err != nil {
			return nil, report, processes, err
		}
		if err := guard.uninterrupted(func() error { return mergeParts(staged, dirs, plan) }); err != nil {
			return nil, report, processes, err
		}
	} else if err := synthApp(staged, envs, sel, opts); err != nil {
		return nil, report, processes, err
	}

	err = guard.uninterrupted(func() error {
		var checkErr error
		written, report, checkErr = checkStaged(staged, plan, envs)
		return checkErr
	})
	if err != nil {
		return nil, report, processes, err
	}

	guard.beginCommit()
	if err := outdir.Commit(staged, final, underCLI); err != nil {
		return nil, report, processes, fmt.Errorf("moving the output into %s: %w", final, err)
	}
	return written, report, processes, nil
}

// synthApp builds the stacks sel selects in a new app and synthesizes them
// into outdir. Construct validation panics and jsii reports JavaScript
// errors as panics; both become the returned error.
func synthApp(outdir string, envs []environments.Environment, sel stacks.Selection, opts stacks.Options) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = panicError(r)
		}
	}()

	app := cdktf.NewApp(&cdktf.AppConfig{
		Outdir:      jsii.String(outdir),
		StackTraces: jsii.Bool(false),
	})
	if built := stacks.Build(app, envs, sel, opts); len(built) == 0 {
		return fmt.Errorf("the selection %s %w", sel, errNoStack)
	}
	app.Synth()
	return nil
}

// panicError turns a recovered panic value into an error. An error value is
// kept as it is, so that the errors a construct joined are still listed one
// per line.
func panicError(r any) error {
	if err, ok := r.(error); ok {
		return err
	}
	return fmt.Errorf("%v", r)
}

// interruptGuard handles SIGINT and SIGTERM while run synthesizes. Before
// the commit starts, a signal removes the staged output and exits at once.
// Once the commit has started, the signal is only recorded, and run exits
// with its code after the commit has finished, because a commit stopped half
// way could leave Terraform working files behind in the previous output.
type interruptGuard struct {
	signals chan os.Signal
	stderr  io.Writer
	final   string

	// mu guards the fields below. The signal handler keeps it locked while
	// the process exits, so that the main goroutine can neither start the
	// commit nor report an error caused by the shutdown.
	mu         sync.Mutex
	staged     string
	committing bool
	signal     os.Signal

	// stopWorkers, when set, stops the synth processes, which write into
	// the staged directory, before the handler removes it.
	stopWorkers func()
}

// watchInterrupts starts handling SIGINT and SIGTERM until stop is called.
func watchInterrupts(stderr io.Writer, final string) *interruptGuard {
	g := &interruptGuard{signals: make(chan os.Signal, 1), stderr: stderr, final: final}
	signal.Notify(g.signals, os.Interrupt, syscall.SIGTERM)
	go g.handle()
	return g
}

func (g *interruptGuard) handle() {
	sig, ok := <-g.signals
	if !ok {
		return
	}

	g.mu.Lock()
	if g.committing {
		g.signal = sig
		g.mu.Unlock()
		return
	}

	// Whatever writes into the staged directory stops first: the synth
	// processes, and the jsii kernel of a synth in this process. The kernel
	// finishes the request it is serving, at most the synth itself. Closing
	// jsii in the middle of a request can make Node.js print an EPIPE stack
	// trace, so jsiiruntime.Close silences stderr; g.stderr is kept.
	if g.stopWorkers != nil {
		g.stopWorkers()
	}
	// After Close, a jsii call that the synth makes in the meantime would
	// start a new runtime and unpack it into the temporary directory, racing
	// with the removal below. With TMPDIR naming a folder that does not
	// exist, that call fails instead.
	_ = os.Setenv("TMPDIR", filepath.Join(os.TempDir(), "closed-by-interrupt-does-not-exist"))
	jsiiruntime.Close()

	if g.staged != "" {
		_ = outdir.Discard(g.staged)
	}
	fmt.Fprintf(g.stderr, "interrupted; %s was left as it was\n", g.final)
	os.Exit(exitCode(sig))
}

// uninterrupted runs step, which writes into the staged directory, unless an
// interrupt is being handled. The handler holds the lock until the process
// exits, so a step never starts after an interrupt, and an interrupt waits
// for a running step before it removes the staged directory.
func (g *interruptGuard) uninterrupted(step func() error) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	return step()
}

// stop restores the default signal handling.
func (g *interruptGuard) stop() {
	signal.Stop(g.signals)
	close(g.signals)
}

// stage creates the staging directory and records it for the signal
// handler in one step, so that an interrupt cannot leave it behind.
func (g *interruptGuard) stage(final string) (string, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	staged, err := outdir.Stage(final)
	g.staged = staged
	return staged, err
}

// beforeDiscard makes an interrupt call stop before it removes the staging
// directory.
func (g *interruptGuard) beforeDiscard(stop func()) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.stopWorkers = stop
}

// discard removes the staging directory after a failed synth.
func (g *interruptGuard) discard() {
	g.mu.Lock()
	defer g.mu.Unlock()
	_ = outdir.Discard(g.staged)
}

// beginCommit makes later signals wait for the commit instead of exiting.
func (g *interruptGuard) beginCommit() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.committing = true
}

// received returns the signal that arrived during the commit, or nil.
func (g *interruptGuard) received() os.Signal {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.signal
}

// exitCode returns the exit code a shell reports for a process killed by
// sig: 128 plus the signal number, so 130 for SIGINT and 143 for SIGTERM.
func exitCode(sig os.Signal) int {
	if s, ok := sig.(syscall.Signal); ok {
		return 128 + int(s)
	}
	return 1
}

// checkStaged reads the stacks synthesized into staged, checks them against
// the policy pack, and writes the policy report next to them. A violation
// returns a *policyError and writes no report.
func checkStaged(staged string, built []stacks.Built, envs []environments.Environment) ([]writtenStack, policy.Report, error) {
	tiers := map[string]string{}
	for _, e := range envs {
		tiers[e.Name] = string(e.Tier)
	}
	var written []writtenStack
	checked := make([]policy.Stack, 0, len(built))
	for _, b := range built {
		doc, n, err := readStack(filepath.Join(staged, "stacks", b.Name, "cdk.tf.json"))
		if err != nil {
			return nil, policy.Report{}, err
		}
		written = append(written, writtenStack{Name: b.Name, Resources: n, Dependency: b.Dependency})
		checked = append(checked, policy.Stack{Name: b.Name, Region: b.Region, Tier: tiers[b.Environment], Document: doc})
	}

	report := policy.Check(checked)
	if len(report.Violations) > 0 {
		return nil, report, &policyError{violations: report.Violations}
	}
	data, err := json.MarshalIndent(report, "", "  ")
	if err != nil {
		return nil, report, fmt.Errorf("encoding the policy report: %w", err)
	}
	if err := os.WriteFile(filepath.Join(staged, policyReportFile), append(data, '\n'), 0o644); err != nil {
		return nil, report, fmt.Errorf("writing the policy report: %w", err)
	}
	return written, report, nil
}

// readStack decodes a synthesized stack and counts the resources it declares.
func readStack(path string) (map[string]any, int, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, 0, fmt.Errorf("reading the synthesized stack: %w", err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, 0, fmt.Errorf("parsing %s: %w", path, err)
	}
	n := 0
	resources, _ := doc["resource"].(map[string]any)
	for _, byName := range resources {
		named, _ := byName.(map[string]any)
		n += len(named)
	}
	return doc, n, nil
}

// printErrors writes a summary line and then each joined error on its own
// line, flattening joins of joins.
func printErrors(w io.Writer, summary string, err error) {
	fmt.Fprintf(w, "error: %s\n", summary)
	for _, e := range flatten(err) {
		fmt.Fprintf(w, "  - %v\n", e)
	}
}

// flatten returns the leaf errors of err, which errors.Join may have nested.
func flatten(err error) []error {
	joined, ok := err.(interface{ Unwrap() []error })
	if !ok {
		return []error{err}
	}
	var leaves []error
	for _, e := range joined.Unwrap() {
		leaves = append(leaves, flatten(e)...)
	}
	return leaves
}
