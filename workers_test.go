package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/honeyhive/platform/environments"
	"github.com/honeyhive/platform/stacks"
)

// TestRunInProcessesMatchesOneProcess synthesizes the whole fleet in two
// synth processes (this test binary, started again) and in this process, and
// compares the outputs file by file. The manifests are compared as JSON,
// because the merged one is written by Go rather than by CDKTF.
func TestRunInProcessesMatchesOneProcess(t *testing.T) {
	outDirs := map[string]string{}
	for _, workers := range []string{"1", "2"} {
		out := filepath.Join(t.TempDir(), "cdktf.out")
		var stdout, stderr bytes.Buffer
		code := run(&stdout, &stderr, getenvFrom(map[string]string{"CDKTF_OUTDIR": out, workersEnv: workers}), environments.All())
		require.Equalf(t, 0, code, "stderr: %s", stderr.String())
		outDirs[workers] = out

		if workers == "2" {
			assert.Contains(t, stdout.String(), "(2 synth processes)")
		} else {
			assert.NotContains(t, stdout.String(), "synth processes")
		}
	}

	single, parallel := outDirs["1"], outDirs["2"]
	files := func(root string) []string {
		var names []string
		require.NoError(t, filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				rel, _ := filepath.Rel(root, path)
				names = append(names, rel)
			}
			return err
		}))
		return names
	}
	names := files(single)
	require.Equal(t, names, files(parallel), "the same files")
	assert.Greater(t, len(names), 70)

	for _, name := range names {
		a, err := os.ReadFile(filepath.Join(single, name))
		require.NoError(t, err)
		b, err := os.ReadFile(filepath.Join(parallel, name))
		require.NoError(t, err)
		if name == "manifest.json" {
			assert.JSONEq(t, string(a), string(b), name)
			continue
		}
		assert.Truef(t, bytes.Equal(a, b), "%s differs", name)
	}
}

func TestWorkerCountValidatesTheSetting(t *testing.T) {
	for _, value := range []string{"0", "-2", "two", "65", "99999999999999999999"} {
		_, err := workerCount(getenvFrom(map[string]string{workersEnv: value}))
		require.Error(t, err, value)
		assert.Contains(t, err.Error(), workersEnv+": ")
		assert.Contains(t, err.Error(), "is not a whole number from 1 to 64")
	}

	n, err := workerCount(getenvFrom(map[string]string{workersEnv: " 3 "}))
	require.NoError(t, err)
	assert.Equal(t, 3, n)

	n, err = workerCount(getenvFrom(nil))
	require.NoError(t, err)
	assert.True(t, n >= 1 && n <= maxWorkers, "one per CPU, at most %d: %d", maxWorkers, n)
}

func TestRunRejectsInvalidWorkerCount(t *testing.T) {
	out := previousOutput(t)

	var stdout, stderr bytes.Buffer
	code := run(&stdout, &stderr, getenvFrom(map[string]string{"CDKTF_OUTDIR": out, workersEnv: "many"}), environments.All())

	assert.Equal(t, 1, code)
	assert.Contains(t, stderr.String(), "error: invalid settings; nothing was written")
	assertUntouched(t, out)
}

// runStep runs step, in place of interruptGuard.uninterrupted.
func runStep(step func() error) error { return step() }

// fakeWorker writes a shell script to run in place of a synth process.
func fakeWorker(t *testing.T, script string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "worker")
	require.NoError(t, os.WriteFile(path, []byte("#!/bin/sh\n"+script+"\n"), 0o755))
	return path
}

func TestSynthesizePartsReportsEachErrorOnce(t *testing.T) {
	worker := fakeWorker(t, `cat >/dev/null; echo '{"Errors":["network: the VPC range is too small","dns: the zone is missing"]}'; exit 1`)
	parts := []stacks.Selection{{Environments: []string{"test"}}, {Environments: []string{"stage"}}}

	_, err := newWorkerPool().synthesizeParts(worker, t.TempDir(), environments.All(), parts, stacks.Options{}, runStep)

	require.Error(t, err)
	assert.Len(t, flatten(err), 2, "both parts reported the same two errors")
	assert.Equal(t, "network: the VPC range is too small\ndns: the zone is missing", err.Error())
}

func TestSynthesizePartsDescribesACrash(t *testing.T) {
	worker := fakeWorker(t, `cat >/dev/null; echo "fatal error: out of memory" >&2; exit 2`)
	parts := []stacks.Selection{{Environments: []string{"test"}}, {Environments: []string{"stage", "prod"}}}

	_, err := newWorkerPool().synthesizeParts(worker, t.TempDir(), environments.All(), parts, stacks.Options{}, runStep)

	require.Error(t, err)
	assert.Contains(t, err.Error(), "the synth process for environments stage,prod failed: exit status 2: fatal error: out of memory")
	assert.Contains(t, err.Error(), "the synth process for environments test failed")
}

func TestSynthesizePartsSendsTheRequest(t *testing.T) {
	dir := t.TempDir()
	worker := fakeWorker(t, `cat > "$(mktemp "`+dir+`/request.XXXXXX")"; echo '{}'`)
	parts := []stacks.Selection{{Environments: []string{"test"}, Layers: []string{"substrate"}}, {Environments: []string{"acme"}}}
	staged := t.TempDir()

	dirs, err := newWorkerPool().synthesizeParts(worker, staged, environments.All(), parts, stacks.Options{PlanMode: true}, runStep)
	require.NoError(t, err)
	assert.Equal(t, []string{filepath.Join(staged, ".part-0"), filepath.Join(staged, ".part-1")}, dirs)

	requests, err := filepath.Glob(filepath.Join(dir, "request.*"))
	require.NoError(t, err)
	require.Len(t, requests, 2)
	var got []workerRequest
	for _, path := range requests {
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		var req workerRequest
		require.NoError(t, json.Unmarshal(data, &req))
		got = append(got, req)
	}
	for _, req := range got {
		assert.Equal(t, environments.All(), req.Environments, "the environments survive the round trip through JSON")
		assert.True(t, req.Options.PlanMode)
		assert.Contains(t, dirs, req.Outdir)
	}
	assert.ElementsMatch(t, parts, []stacks.Selection{got[0].Selection, got[1].Selection})
}

// part writes a synth process's output folder with the given stacks, each
// stack's Terraform JSON being its value.
func part(t *testing.T, staged, name string, stackDocs map[string]string) string {
	t.Helper()
	dir := filepath.Join(staged, name)
	manifest := map[string]any{"version": "0.20.12", "stacks": map[string]any{}}
	for stack, doc := range stackDocs {
		require.NoError(t, os.MkdirAll(filepath.Join(dir, "stacks", stack), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, "stacks", stack, "cdk.tf.json"), []byte(doc), 0o644))
		manifest["stacks"].(map[string]any)[stack] = map[string]any{"name": stack}
	}
	data, err := json.Marshal(manifest)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "manifest.json"), data, 0o644))
	return dir
}

func planOf(names ...string) []stacks.Built {
	var plan []stacks.Built
	for _, n := range names {
		plan = append(plan, stacks.Built{Name: n})
	}
	return plan
}

func TestMergePartsJoinsStacksAndManifests(t *testing.T) {
	staged := t.TempDir()
	a := part(t, staged, ".part-0", map[string]string{"orchestration": `{"o":1}`, "test-global": `{"t":1}`})
	b := part(t, staged, ".part-1", map[string]string{"orchestration": `{"o":1}`, "stage-global": `{"s":1}`})

	require.NoError(t, mergeParts(staged, []string{a, b}, planOf("orchestration", "test-global", "stage-global")))

	for stack, doc := range map[string]string{"orchestration": `{"o":1}`, "test-global": `{"t":1}`, "stage-global": `{"s":1}`} {
		data, err := os.ReadFile(filepath.Join(staged, "stacks", stack, "cdk.tf.json"))
		require.NoError(t, err)
		assert.Equal(t, doc, string(data))
	}
	manifest, err := os.ReadFile(filepath.Join(staged, "manifest.json"))
	require.NoError(t, err)
	assert.JSONEq(t, `{"version":"0.20.12","stacks":{
		"orchestration":{"name":"orchestration"},"test-global":{"name":"test-global"},"stage-global":{"name":"stage-global"}}}`, string(manifest))
	assert.NoDirExists(t, a)
	assert.NoDirExists(t, b)
}

func TestMergePartsRejectsDifferentCopies(t *testing.T) {
	staged := t.TempDir()
	a := part(t, staged, ".part-0", map[string]string{"orchestration": `{"o":1}`})
	b := part(t, staged, ".part-1", map[string]string{"orchestration": `{"o":2}`})

	err := mergeParts(staged, []string{a, b}, planOf("orchestration"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "two synth processes wrote different versions of the stack orchestration")
}

func TestMergePartsRejectsMissingAndUnplannedStacks(t *testing.T) {
	staged := t.TempDir()
	a := part(t, staged, ".part-0", map[string]string{"test-global": `{}`})
	err := mergeParts(staged, []string{a}, planOf("test-global", "stage-global"))
	require.Error(t, err)
	assert.Equal(t, "no synth process wrote the planned stack stage-global", err.Error())

	staged = t.TempDir()
	a = part(t, staged, ".part-0", map[string]string{"test-global": `{}`, "retired-global": `{}`})
	err = mergeParts(staged, []string{a}, planOf("test-global"))
	require.Error(t, err)
	assert.True(t, strings.HasPrefix(err.Error(), "a synth process wrote the stack retired-global"), err.Error())
}

func TestMergePartsRejectsDifferentManifestEntries(t *testing.T) {
	staged := t.TempDir()
	a := part(t, staged, ".part-0", map[string]string{"orchestration": `{"o":1}`})
	b := part(t, staged, ".part-1", map[string]string{"orchestration": `{"o":1}`})
	manifest := `{"version":"0.20.12","stacks":{"orchestration":{"name":"orchestration","dependencies":["x"]}}}`
	require.NoError(t, os.WriteFile(filepath.Join(b, "manifest.json"), []byte(manifest), 0o644))

	err := mergeParts(staged, []string{a, b}, planOf("orchestration"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "two synth processes wrote different manifest entries for the stack orchestration")
}

func TestSynthesizePartsReadsTheLastLine(t *testing.T) {
	worker := fakeWorker(t, `cat >/dev/null; echo "printed by the synth"; echo '{"Errors":["dns: the zone is missing"]}'; exit 1`)
	parts := []stacks.Selection{{Environments: []string{"test"}}, {Environments: []string{"stage"}}}

	_, err := newWorkerPool().synthesizeParts(worker, t.TempDir(), environments.All(), parts, stacks.Options{}, runStep)

	require.Error(t, err)
	assert.Equal(t, "dns: the zone is missing", err.Error())
}

func TestSynthesizePartsAddsStandardError(t *testing.T) {
	worker := fakeWorker(t, `cat >/dev/null; echo "error: starting the jsii kernel failed" >&2; echo '{"Errors":["no response received from child process"]}'; exit 1`)
	parts := []stacks.Selection{{Environments: []string{"test"}}, {Environments: []string{"stage"}}}

	_, err := newWorkerPool().synthesizeParts(worker, t.TempDir(), environments.All(), parts, stacks.Options{}, runStep)

	require.Error(t, err)
	assert.Equal(t, []string{
		"no response received from child process",
		"the synth process for environments test wrote to standard error: error: starting the jsii kernel failed",
		"the synth process for environments stage wrote to standard error: error: starting the jsii kernel failed",
	}, strings.Split(err.Error(), "\n"))
}
