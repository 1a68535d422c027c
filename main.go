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
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/honeyhive/platform/environments"
	"github.com/honeyhive/platform/internal/outdir"
	"github.com/honeyhive/platform/stacks"
)

func main() {
	os.Exit(run(os.Stdout, os.Stderr, os.Getenv, environments.All()))
}

// run validates envs, synthesizes the stacks that the PLATFORM_*
// variables select and returns the process exit code.
func run(stdout, stderr io.Writer, getenv func(string) string, envs []environments.Environment) int {
	start := time.Now()

	if err := environments.Validate(envs); err != nil {
		printErrors(stderr, "invalid environment definitions; nothing was written", err)
		return 1
	}

	sel := stacks.ParseSelection(getenv("PLATFORM_ENV"), getenv("PLATFORM_REGION"), getenv("PLATFORM_LAYER"))
	if err := sel.Validate(envs); err != nil {
		printErrors(stderr, "invalid selection; nothing was written", err)
		return 1
	}
	opts := stacks.Options{BootstrapLocalState: getenv("PLATFORM_BOOTSTRAP_LOCAL_STATE") == "1"}

	final := getenv("CDKTF_OUTDIR")
	if final == "" {
		final = "cdktf.out"
	}
	// The cdktf CLI sets CDKTF_CONTEXT_JSON when it runs the app, and then
	// removes the folders of stacks that are no longer synthesized itself.
	underCLI := getenv("CDKTF_CONTEXT_JSON") != ""

	written, err := synthesize(final, envs, sel, opts, underCLI)
	if err != nil {
		printErrors(stderr, "synth failed; "+final+" was left as it was", err)
		return 1
	}

	fmt.Fprintf(stdout, "selected %s\n", sel)
	total := 0
	for _, w := range written {
		fmt.Fprintf(stdout, "  wrote %-28s %4d resources\n", w.Name, w.Resources)
		total += w.Resources
	}
	fmt.Fprintf(stdout, "synthesized %d stacks, %d resources into %s in %.1fs\n",
		len(written), total, final, time.Since(start).Seconds())
	return 0
}

// writtenStack is one stack in the committed output.
type writtenStack struct {
	Name      string
	Resources int
}

// synthesize builds and synthesizes the selected stacks into a staging
// directory and moves it into place only when everything succeeded.
func synthesize(final string, envs []environments.Environment, sel stacks.Selection, opts stacks.Options, underCLI bool) (written []writtenStack, err error) {
	staged, err := outdir.Stage(final)
	if err != nil {
		return nil, fmt.Errorf("creating a staging directory beside %s: %w", final, err)
	}

	// An interrupted synth removes its staging directory, like a failed one.
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(signals)
	go func() {
		if _, ok := <-signals; ok {
			_ = outdir.Discard(staged)
			os.Exit(130)
		}
	}()

	// Construct validation panics and jsii reports JavaScript errors as
	// panics; both become an ordinary error here.
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
		if err != nil {
			_ = outdir.Discard(staged)
		}
	}()

	app := cdktf.NewApp(&cdktf.AppConfig{
		Outdir:      jsii.String(staged),
		StackTraces: jsii.Bool(false),
	})
	built := stacks.Build(app, envs, sel, opts)
	if len(built) == 0 {
		return nil, fmt.Errorf("the selection %s matches no stack", sel)
	}
	app.Synth()

	for _, b := range built {
		n, err := countResources(filepath.Join(staged, "stacks", b.Name, "cdk.tf.json"))
		if err != nil {
			return nil, err
		}
		written = append(written, writtenStack{Name: b.Name, Resources: n})
	}

	if err := outdir.Commit(staged, final, underCLI); err != nil {
		return nil, fmt.Errorf("moving the output into %s: %w", final, err)
	}
	return written, nil
}

// countResources returns how many resources a synthesized stack declares.
func countResources(path string) (int, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, fmt.Errorf("reading the synthesized stack: %w", err)
	}
	var doc struct {
		Resource map[string]map[string]json.RawMessage `json:"resource"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return 0, fmt.Errorf("parsing %s: %w", path, err)
	}
	n := 0
	for _, byName := range doc.Resource {
		n += len(byName)
	}
	return n, nil
}

// printErrors writes a summary line and then each joined error on its own
// line.
func printErrors(w io.Writer, summary string, err error) {
	fmt.Fprintf(w, "error: %s\n", summary)
	var joined interface{ Unwrap() []error }
	if errors.As(err, &joined) {
		for _, e := range joined.Unwrap() {
			fmt.Fprintf(w, "  - %v\n", e)
		}
		return
	}
	fmt.Fprintf(w, "  - %v\n", err)
}
