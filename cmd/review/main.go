// Command review compares the synthesized stacks with the reviewed
// snapshots and prints the difference as Markdown for a pull-request
// comment, or as plain text. It flags the changes that replace a resource
// and the changes to IAM policies, trust policies, security-group rules and
// policy suppressions. It reads files and git only: it never runs
// Terraform.
//
// Usage:
//
//	go run ./cmd/review [-stacks cdktf.out/stacks] [-snapshots __snapshots__] [-ref <git ref>] [-format markdown|text]
//
// Without -ref the baseline is the snapshots folder of the working tree.
// With -ref it is the snapshots folder as committed at that ref, read with
// git from the repository that contains the current folder; -snapshots is
// then a path inside the repository.
//
// Exit status: 0 when nothing changed, 1 when something changed, 2 on a
// usage error or when the stacks, the snapshots or the ref cannot be read.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/honeyhive/platform/internal/review"
)

// Exit codes.
const (
	exitUnchanged = 0
	exitChanged   = 1
	exitError     = 2
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("review", flag.ContinueOnError)
	fs.SetOutput(stderr)
	stacks := fs.String("stacks", "cdktf.out/stacks", "folder of synthesized stacks, one <stack>/cdk.tf.json each")
	snapshots := fs.String("snapshots", "__snapshots__", "folder of reviewed snapshots, one <stack>.json each; with -ref, a path inside the repository")
	ref := fs.String("ref", "", "git ref (branch, tag or commit) whose committed snapshots are the baseline; empty compares with the working tree")
	format := fs.String("format", string(review.FormatMarkdown), "output format: markdown or text")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: review [-stacks dir] [-snapshots dir] [-ref git-ref] [-format markdown|text]")
		fmt.Fprintln(stderr, "exit status: 0 nothing changed, 1 something changed, 2 usage or read error")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return exitError
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "review: unexpected argument %q; pass the git ref with -ref\n", fs.Arg(0))
		return exitError
	}
	outputFormat := review.Format(*format)
	if outputFormat != review.FormatMarkdown && outputFormat != review.FormatText {
		fmt.Fprintf(stderr, "review: invalid -format %q; use markdown or text\n", *format)
		return exitError
	}

	current, err := review.ReadStacksDir(*stacks)
	if err != nil {
		fmt.Fprintf(stderr, "review: %v\n", err)
		return exitError
	}
	baseline, description, err := readBaseline(ctx, *snapshots, *ref)
	if err != nil {
		fmt.Fprintf(stderr, "review: %v\n", err)
		return exitError
	}

	report := review.Compare(baseline, current)
	opts := review.RenderOptions{Format: outputFormat, Baseline: description, Current: *stacks}
	if err := review.Render(stdout, report, opts); err != nil {
		fmt.Fprintf(stderr, "review: writing the report: %v\n", err)
		return exitError
	}
	if report.Changed() {
		return exitChanged
	}
	return exitUnchanged
}

// readBaseline reads the snapshots from the working tree, or from git when
// ref is set, and returns them with a description for the report header.
func readBaseline(ctx context.Context, snapshots, ref string) (review.Fleet, string, error) {
	if ref == "" {
		fleet, err := review.ReadSnapshotsDir(snapshots)
		return fleet, "the snapshots in " + snapshots, err
	}
	cwd, err := os.Getwd()
	if err != nil {
		return nil, "", err
	}
	root, err := review.RepositoryRoot(ctx, cwd)
	if err != nil {
		return nil, "", err
	}
	fleet, err := review.ReadSnapshotsAtRef(ctx, root, ref, snapshots)
	return fleet, fmt.Sprintf("the snapshots in %s at git ref %s", snapshots, ref), err
}
