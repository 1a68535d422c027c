// Command synthbench measures whole synth processes: the reference app (a
// stock CDKTF app with one VPC), the platform app synthesizing every bundled
// stack, and the platform app synthesizing one selected stack. It runs one
// untimed warm-up round, then the measured rounds, rotating the order of the
// cases from round to round so that no case always runs first or last.
//
// For each run it records the wall time from the start of the process until
// the last process it started (Node.js included) has exited, and the peak
// memory of the Go and the Node.js processes separately. The peak of a group
// is the sum of each process's own peak resident set (VmHWM in /proc), read
// every 10 ms. That sum is an upper bound of the group's simultaneous peak,
// and it can miss growth in the last 10 ms of a process.
//
// Every run gets a temporary directory of its own as TMPDIR, and a run that
// leaves anything in it is reported.
//
//	go run ./cmd/synthbench -reference BIN -platform BIN [-rounds 5]
//
// scripts/bench.sh (make bench) builds the two binaries and runs this.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// benchCase is one command that a round runs.
type benchCase struct {
	name  string
	label string
	path  string
	env   []string

	// unset lists variables removed from the inherited environment.
	unset []string
}

// sample is the outcome of one run.
type sample struct {
	wall    time.Duration
	goMiB   float64
	nodeMiB float64
	stacks  int
	litter  []string
}

func main() {
	reference := flag.String("reference", "", "binary of the reference app (bench/reference)")
	platform := flag.String("platform", "", "binary of the platform app")
	rounds := flag.Int("rounds", 5, "measured rounds, after one warm-up round")
	flag.Parse()
	if *reference == "" || *platform == "" || *rounds < 1 {
		fmt.Fprintln(os.Stderr, "usage: synthbench -reference BIN -platform BIN [-rounds N]")
		os.Exit(2)
	}

	// Processes whose parent exits (the Node.js processes jsii starts) are
	// re-parented to this process, so that the wait covers them too.
	if err := setChildSubreaper(); err != nil {
		fmt.Fprintf(os.Stderr, "synthbench: making this process a child subreaper failed: %v\n", err)
		os.Exit(1)
	}

	cases := []benchCase{
		// The reference is a stock app, so it runs on the Node.js of PATH even
		// where the platform's JSII_NODE names another one.
		{name: "a", label: "reference app, 1 stack with a VPC", path: *reference, unset: []string{"JSII_NODE"}},
		{name: "b", label: "platform, every bundled stack", path: *platform},
		{name: "c", label: "platform, orchestration-bootstrap only", path: *platform,
			env: []string{"PLATFORM_ENV=test", "PLATFORM_LAYER=bootstrap"}},
	}

	results := map[string][]sample{}
	for round := 0; round <= *rounds; round++ {
		for i := range cases {
			c := cases[(i+round)%len(cases)]
			s, err := run(c)
			if err != nil {
				fmt.Fprintf(os.Stderr, "synthbench: case %s (%s): %v\n", c.name, c.label, err)
				os.Exit(1)
			}
			if len(s.litter) > 0 {
				fmt.Fprintf(os.Stderr, "synthbench: case %s left in its TMPDIR: %s\n", c.name, strings.Join(s.litter, ", "))
			}
			if round > 0 {
				results[c.name] = append(results[c.name], s)
			}
		}
	}
	report(os.Stdout, cases, results, *rounds)
}

// run starts one case in a fresh working and temporary directory and waits
// until every process it started has exited.
func run(c benchCase) (sample, error) {
	dir, err := os.MkdirTemp("", "synthbench-")
	if err != nil {
		return sample{}, err
	}
	defer os.RemoveAll(dir)
	tmp := dir + "/tmp"
	work := dir + "/work"
	for _, d := range []string{tmp, work} {
		if err := os.Mkdir(d, 0o755); err != nil {
			return sample{}, err
		}
	}
	out, err := os.Create(dir + "/stdout")
	if err != nil {
		return sample{}, err
	}
	defer out.Close()
	// The stock reference app prints a false alarm from jsii-runtime-go's
	// Close on some runs, so stderr is shown only when a run fails.
	errOut, err := os.Create(dir + "/stderr")
	if err != nil {
		return sample{}, err
	}
	defer errOut.Close()

	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if !slices.Contains(c.unset, name) {
			env = append(env, kv)
		}
	}
	env = append(env, "TMPDIR="+tmp, "CDKTF_OUTDIR="+work+"/cdktf.out")
	env = append(env, c.env...)

	// The sampler must see the processes from the start, so it runs before
	// the process is started and stops after the last one was reaped.
	var mu sync.Mutex
	peaks := map[int]procPeak{}
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		ticker := time.NewTicker(10 * time.Millisecond)
		defer ticker.Stop()
		for {
			for pid, p := range readTree(os.Getpid()) {
				mu.Lock()
				peaks[pid] = p
				mu.Unlock()
			}
			select {
			case <-stop:
				return
			case <-ticker.C:
			}
		}
	}()

	start := time.Now()
	proc, err := os.StartProcess(c.path, []string{c.path}, &os.ProcAttr{
		Dir:   work,
		Env:   env,
		Files: []*os.File{nil, out, errOut},
	})
	if err != nil {
		close(stop)
		return sample{}, err
	}

	// Reap every child, the re-parented ones included, until none is left.
	var status syscall.WaitStatus
	mainStatus := -1
	for {
		pid, err := syscall.Wait4(-1, &status, 0, nil)
		if err == syscall.EINTR {
			continue
		}
		if err == syscall.ECHILD {
			break
		}
		if err != nil {
			close(stop)
			return sample{}, fmt.Errorf("waiting for the processes: %w", err)
		}
		if pid == proc.Pid {
			mainStatus = status.ExitStatus()
		}
	}
	wall := time.Since(start)
	close(stop)
	<-sampled

	if mainStatus != 0 {
		stderr, _ := os.ReadFile(errOut.Name())
		return sample{}, fmt.Errorf("%s exited with status %d:\n%s", c.path, mainStatus, stderr)
	}

	s := sample{wall: wall}
	for _, p := range peaks {
		if p.name == "node" {
			s.nodeMiB += p.hwmKiB / 1024
		} else {
			s.goMiB += p.hwmKiB / 1024
		}
	}
	if _, err := out.Seek(0, io.SeekStart); err == nil {
		data, _ := io.ReadAll(out)
		if m := stackCount.FindSubmatch(data); m != nil {
			s.stacks, _ = strconv.Atoi(string(m[1]))
		}
	}
	entries, err := os.ReadDir(tmp)
	if err != nil {
		return sample{}, err
	}
	for _, e := range entries {
		s.litter = append(s.litter, e.Name())
	}
	return s, nil
}

var stackCount = regexp.MustCompile(`synthesized (\d+) stacks?`)

// procPeak is the latest reading of one process.
type procPeak struct {
	name   string
	hwmKiB float64
}

// readTree returns the descendants of pid with their peak resident set.
func readTree(pid int) map[int]procPeak {
	found := map[int]procPeak{}
	queue := children(pid)
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p))
		if err != nil {
			continue
		}
		var peak procPeak
		for _, line := range strings.Split(string(status), "\n") {
			key, value, ok := strings.Cut(line, ":")
			if !ok {
				continue
			}
			value = strings.TrimSpace(value)
			switch key {
			case "Name":
				peak.name = value
			case "VmHWM":
				kib, _ := strconv.ParseFloat(strings.TrimSuffix(value, " kB"), 64)
				peak.hwmKiB = kib
			}
		}
		if peak.hwmKiB > 0 {
			found[p] = peak
		}
		queue = append(queue, children(p)...)
	}
	return found
}

// children returns the child processes of every thread of pid.
func children(pid int) []int {
	tasks, _ := os.ReadDir(fmt.Sprintf("/proc/%d/task", pid))
	var pids []int
	for _, t := range tasks {
		data, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%s/children", pid, t.Name()))
		if err != nil {
			continue
		}
		for _, f := range strings.Fields(string(data)) {
			if n, err := strconv.Atoi(f); err == nil {
				pids = append(pids, n)
			}
		}
	}
	return pids
}

// setChildSubreaper makes orphaned descendants children of this process
// (Linux prctl PR_SET_CHILD_SUBREAPER).
func setChildSubreaper() error {
	const prSetChildSubreaper = 36
	if runtime.GOOS != "linux" {
		return fmt.Errorf("needs Linux, not %s", runtime.GOOS)
	}
	_, _, errno := syscall.Syscall(syscall.SYS_PRCTL, prSetChildSubreaper, 1, 0)
	if errno != 0 {
		return errno
	}
	return nil
}

// report prints the medians and ranges of every case and the ratios.
func report(w io.Writer, cases []benchCase, results map[string][]sample, rounds int) {
	fmt.Fprintf(w, "%d measured rounds after 1 warm-up round; Go %s, %d CPUs, load average %s\n",
		rounds, runtime.Version(), runtime.NumCPU(), loadAverage())
	platformNode := os.Getenv("JSII_NODE")
	if platformNode == "" {
		platformNode = "node"
	}
	fmt.Fprintf(w, "Node.js: reference %s (node from PATH), platform %s (%s)\n\n",
		nodeVersion("node"), nodeVersion(platformNode), platformNode)
	fmt.Fprintf(w, "%-4s %-40s %6s %18s %16s %16s\n", "case", "what", "stacks", "wall s (min-max)", "Go MiB (max)", "Node MiB (max)")
	medians := map[string]float64{}
	stacks := map[string]int{}
	for _, c := range cases {
		samples := results[c.name]
		walls := collect(samples, func(s sample) float64 { return s.wall.Seconds() })
		goMem := collect(samples, func(s sample) float64 { return s.goMiB })
		nodeMem := collect(samples, func(s sample) float64 { return s.nodeMiB })
		medians[c.name] = median(walls)
		stacks[c.name] = samples[0].stacks
		n := strconv.Itoa(samples[0].stacks)
		if c.name == "a" {
			n = "1"
		}
		fmt.Fprintf(w, "%-4s %-40s %6s %6.2f (%.2f-%.2f) %9.0f (%4.0f) %9.0f (%4.0f)\n",
			c.name, c.label, n, medians[c.name], walls[0], walls[len(walls)-1],
			median(goMem), goMem[len(goMem)-1], median(nodeMem), nodeMem[len(nodeMem)-1])
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "b/a = %.2f   c/a = %.2f\n", medians["b"]/medians["a"], medians["c"]/medians["a"])
	if extra := stacks["b"] - stacks["c"]; extra > 0 {
		fmt.Fprintf(w, "cost per extra stack = (b - c) / %d = %.0f ms\n", extra, (medians["b"]-medians["c"])/float64(extra)*1000)
	}
}

func collect(samples []sample, value func(sample) float64) []float64 {
	values := make([]float64, len(samples))
	for i, s := range samples {
		values[i] = value(s)
	}
	sort.Float64s(values)
	return values
}

// median returns the median of sorted values.
func median(sorted []float64) float64 {
	n := len(sorted)
	if n%2 == 1 {
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}

// nodeVersion returns the version the Node.js binary node reports.
func nodeVersion(node string) string {
	out, err := exec.Command(node, "--version").Output()
	if err != nil {
		return "unknown"
	}
	return strings.TrimSpace(string(out))
}

func loadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	return strings.Join(strings.Fields(string(data))[:3], " ")
}
