// Command kics-scan runs KICS, the infrastructure-as-code scanner, over the
// synthesized stacks and fails on any finding that the checked-in
// exclusions do not cover. Each exclusion names one KICS query, a written
// reason and, optionally, the stacks and resources it covers. An exclusion
// that no longer matches anything fails the scan too, so the list stays
// true.
//
// Usage:
//
//	go run ./cmd/kics-scan -kics .tools/kics-v2.2.0 -assets <kics module>/assets \
//	    -config security/kics.yaml -stacks cdktf.out/stacks
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("kics-scan", flag.ContinueOnError)
	fs.SetOutput(stderr)
	kics := fs.String("kics", "", "path of the KICS binary (required)")
	assets := fs.String("assets", "", "KICS assets folder, which holds queries/ and libraries/ (required)")
	configPath := fs.String("config", "security/kics.yaml", "exclusions file")
	stacks := fs.String("stacks", "cdktf.out/stacks", "folder of synthesized stacks")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *kics == "" || *assets == "" {
		fmt.Fprintln(stderr, "kics-scan: -kics and -assets are required; run it through `make scan`")
		return 2
	}

	config, err := loadConfig(*configPath)
	if err != nil {
		fmt.Fprintf(stderr, "kics-scan: %v\n", err)
		return 2
	}

	start := time.Now()
	out, err := os.MkdirTemp("", "kics-scan-")
	if err != nil {
		fmt.Fprintf(stderr, "kics-scan: creating a report folder: %v\n", err)
		return 2
	}
	defer os.RemoveAll(out)

	// KICS exits non-zero when it finds anything; the findings are judged
	// here, so only a failure to scan counts. Its log goes to a file that
	// is shown only when it fails.
	logPath := filepath.Join(out, "kics.log")
	cmd := exec.Command(*kics, "scan",
		"--path", *stacks,
		"--queries-path", filepath.Join(*assets, "queries"),
		"--libraries-path", filepath.Join(*assets, "libraries"),
		"--cloud-provider", "aws",
		"--output-path", out,
		"--report-formats", "json",
		"--ignore-on-exit", "results",
		"--no-progress", "--ci", "--log-level", "ERROR",
		"--log-path", logPath,
	)
	log, _ := os.Create(filepath.Join(out, "kics.out"))
	cmd.Stdout, cmd.Stderr = log, log
	err = cmd.Run()
	log.Close()
	if err != nil {
		fmt.Fprintf(stderr, "kics-scan: KICS failed: %v\n", err)
		if text, readErr := os.ReadFile(filepath.Join(out, "kics.out")); readErr == nil {
			stderr.Write(text)
		}
		return 2
	}

	findings, scanned, err := readResults(filepath.Join(out, "results.json"))
	if err != nil {
		fmt.Fprintf(stderr, "kics-scan: %v\n", err)
		return 2
	}
	result := config.apply(findings)
	return report(stdout, stderr, result, scanned, time.Since(start))
}

// report prints the outcome and returns the exit code: 0 when every finding
// is excluded and every exclusion is used.
func report(stdout, stderr io.Writer, r result, scanned int, elapsed time.Duration) int {
	fmt.Fprintf(stdout, "kics: scanned %d files in %.0fs: %d findings excluded by %d exclusions, %d left\n",
		scanned, elapsed.Seconds(), r.excludedCount(), len(r.used), len(r.left))

	code := 0
	if len(r.left) > 0 {
		fmt.Fprintf(stderr, "error: %d KICS findings are not excluded; fix them, or exclude each in security/kics.yaml with a reason\n", len(r.left))
		for _, f := range r.left {
			fmt.Fprintf(stderr, "  - %s %s (%s) %s %s: %s\n", f.Severity, f.QueryName, f.QueryID, f.Stack, f.Resource, f.Actual)
		}
		code = 1
	}
	if len(r.miscounted) > 0 {
		fmt.Fprintf(stderr, "error: %d exclusions in security/kics.yaml cover another number of findings than their count\n", len(r.miscounted))
		for _, m := range r.miscounted {
			fmt.Fprintf(stderr, "  - %s (%s): count %d, covered %d; read the new findings, then fix them or update the count\n",
				m.exclusion.Name, m.exclusion.Query, m.exclusion.Count, m.covered)
		}
		code = 1
	}
	if len(r.stale) > 0 {
		fmt.Fprintf(stderr, "error: %d exclusions in security/kics.yaml match no finding; remove them\n", len(r.stale))
		for _, e := range r.stale {
			fmt.Fprintf(stderr, "  - %s (%s)\n", e.Name, e.Query)
		}
		code = 1
	}
	return code
}
