// Command graph prints the synthesized stacks and their dependencies in
// deploy order, as text or as a Mermaid diagram, and the lists the delivery
// scripts use.
//
// Usage:
//
//	go run ./cmd/graph              text, from cdktf.out/manifest.json
//	go run ./cmd/graph -mermaid     the same as a Mermaid flowchart
//	go run ./cmd/graph -env prod -order
//	                                prod's own stacks in deploy order, one per line
//	go run ./cmd/graph -plannable   the stacks the read-only plan role can plan
//
// The stacks are those the PLATFORM_ENV, PLATFORM_REGION and PLATFORM_LAYER
// variables select, as for the app itself.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/honeyhive/platform/environments"
	"github.com/honeyhive/platform/internal/jsiiruntime"
	"github.com/honeyhive/platform/internal/stackgraph"
	"github.com/honeyhive/platform/stacks"
)

func main() {
	code := run(os.Args[1:], os.Getenv, environments.All(), os.Stdout, os.Stderr)
	// The stacks package links jsii, whose runtime unpacks itself into the
	// temporary directory when the program starts; Close removes it.
	jsiiruntime.Close()
	os.Exit(code)
}

func run(args []string, getenv func(string) string, envs []environments.Environment, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("graph", flag.ContinueOnError)
	fs.SetOutput(stderr)
	manifest := fs.String("manifest", "cdktf.out/manifest.json", "manifest.json of the synth to describe")
	mermaid := fs.Bool("mermaid", false, "print a Mermaid flowchart instead of text")
	env := fs.String("env", "", "with -order, the environment whose stacks to list")
	order := fs.Bool("order", false, "print the stacks of -env in deploy order, one per line, without reading a synth")
	plannable := fs.Bool("plannable", false, "print the selected stacks the read-only plan role can plan, one per line")
	if err := fs.Parse(args); err != nil {
		return 2
	}

	if err := errors.Join(environments.Validate(envs), stacks.Validate(envs)); err != nil {
		fmt.Fprintf(stderr, "graph: invalid environment definitions:\n%v\n", err)
		return 1
	}
	sel := stacks.ParseSelection(getenv("PLATFORM_ENV"), getenv("PLATFORM_REGION"), getenv("PLATFORM_LAYER"))
	if *order {
		if *env == "" {
			fmt.Fprintln(stderr, "graph: -order needs -env, the environment whose stacks to list")
			return 2
		}
		sel = stacks.Selection{Environments: []string{*env}}
	}
	if err := sel.Validate(envs); err != nil {
		fmt.Fprintf(stderr, "graph: %v\n", err)
		return 2
	}
	plan := stacks.Plan(envs, sel)

	switch {
	case *order:
		for _, b := range plan {
			if b.Environment == *env && b.Layer != stacks.LayerBootstrap && b.Layer != stacks.LayerOrchestration {
				fmt.Fprintln(stdout, b.Name)
			}
		}
		return 0

	case *plannable:
		for _, b := range plan {
			if b.Plannable() {
				fmt.Fprintln(stdout, b.Name)
			}
		}
		return 0
	}

	names := make([]string, len(plan))
	for i, b := range plan {
		names[i] = b.Name
	}
	g, err := stackgraph.Load(*manifest, names)
	if err != nil {
		fmt.Fprintf(stderr, "graph: %v\n", err)
		return 1
	}
	if *mermaid {
		fmt.Fprint(stdout, g.Mermaid())
	} else {
		fmt.Fprint(stdout, g.Text())
	}
	return 0
}
