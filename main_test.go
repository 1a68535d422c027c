package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/honeyhive/platform/environments"
	"github.com/honeyhive/platform/internal/jsiiruntime"
	"github.com/honeyhive/platform/stacks"
)

// TestMain stops the jsii Node.js process and removes its temporary
// directory after the tests. The test binary also serves as the synth
// process of the tests that synthesize in several processes.
func TestMain(m *testing.M) {
	// main serves synth processes itself, so both cases end in main.
	if os.Getenv(workerEnv) == "1" || os.Getenv(runAsMainEnv) == "1" {
		main()
	}
	code := m.Run()
	jsiiruntime.Close()
	os.Exit(code)
}

// previousOutput creates an output directory as an earlier synth would have
// left it, and returns its path.
func previousOutput(t *testing.T) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "cdktf.out")
	stale := filepath.Join(out, "stacks", "retired-usw2-substrate")
	require.NoError(t, os.MkdirAll(stale, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(stale, "cdk.tf.json"), []byte("{}"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(out, "manifest.json"), []byte("previous"), 0o644))
	return out
}

func getenvFrom(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func assertUntouched(t *testing.T, out string) {
	t.Helper()
	manifest, err := os.ReadFile(filepath.Join(out, "manifest.json"))
	require.NoError(t, err)
	assert.Equal(t, "previous", string(manifest))

	siblings, err := os.ReadDir(filepath.Dir(out))
	require.NoError(t, err)
	assert.Len(t, siblings, 1, "no staging directory is left behind")
}

func TestRunRejectsInvalidEnvironments(t *testing.T) {
	out := previousOutput(t)
	envs := environments.All()
	envs[0].Accounts.Target.ID = "12345"
	envs[2].Regions[2].VPCCIDR = "10.30.0.0/16"

	var stdout, stderr bytes.Buffer
	code := run(&stdout, &stderr, getenvFrom(map[string]string{"CDKTF_OUTDIR": out}), envs)

	assert.Equal(t, 1, code)
	assert.Contains(t, stderr.String(), `environment "test", field Accounts.Target.ID: "12345" is not an AWS account ID`)
	assert.Contains(t, stderr.String(), `environment "prod", field Regions[2].VPCCIDR`)
	assert.Empty(t, stdout.String())
	assertUntouched(t, out)
}

func TestRunRejectsInvalidPatternCombinations(t *testing.T) {
	out := previousOutput(t)
	envs := environments.All()
	byName := map[string]*environments.Environment{}
	for i := range envs {
		byName[envs[i].Name] = &envs[i]
	}
	byName["test"].Pattern = environments.PatternDataPlane
	byName["acme"].Accounts.Target.ExternalID = ""
	byName["globex-cp"].Components.GitOps = false
	byName["acme"].Regions[0].ExistingVPC.IntraSubnets = nil

	var stdout, stderr bytes.Buffer
	code := run(&stdout, &stderr, getenvFrom(map[string]string{"CDKTF_OUTDIR": out}), envs)

	assert.Equal(t, 1, code)
	for _, want := range []string{
		`environment "test", field ControlPlane.Endpoint: the "data-plane" pattern connects to a remote control plane`,
		`environment "acme", field Accounts.Target.ExternalID`,
		`environment "globex-cp", field Components.GitOps: the "control-plane" pattern needs GitOps, which is off`,
		`environment "acme", field Regions[0].ExistingVPC.IntraSubnets: the subnets cover 0 availability zones`,
	} {
		assert.Contains(t, stderr.String(), want)
	}
	assert.Empty(t, stdout.String())
	assertUntouched(t, out)
}

func TestRunRejectsUnknownSelection(t *testing.T) {
	out := previousOutput(t)

	var stdout, stderr bytes.Buffer
	code := run(&stdout, &stderr, getenvFrom(map[string]string{"CDKTF_OUTDIR": out, "PLATFORM_ENV": "qa"}), environments.All())

	assert.Equal(t, 1, code)
	assert.Contains(t, stderr.String(), `unknown environment "qa"; valid environments: test, stage, prod`)
	assertUntouched(t, out)
}

func TestRunRejectsEmptySelection(t *testing.T) {
	out := previousOutput(t)
	vars := map[string]string{"CDKTF_OUTDIR": out, "PLATFORM_ENV": "test", "PLATFORM_REGION": "eu-west-1", "PLATFORM_LAYER": "substrate"}

	var stdout, stderr bytes.Buffer
	code := run(&stdout, &stderr, getenvFrom(vars), environments.All())

	assert.Equal(t, 1, code)
	assert.Contains(t, stderr.String(), "error: invalid selection; nothing was written")
	assert.Contains(t, stderr.String(), "matches no stack")
	assert.NotContains(t, stderr.String(), "synth failed")
	assertUntouched(t, out)
}

func TestRunWritesSelectedStacksOnly(t *testing.T) {
	out := previousOutput(t)
	vars := map[string]string{"CDKTF_OUTDIR": out, "PLATFORM_ENV": "test", "PLATFORM_LAYER": "substrate"}

	var stdout, stderr bytes.Buffer
	code := run(&stdout, &stderr, getenvFrom(vars), environments.All())

	require.Equalf(t, 0, code, "stderr: %s", stderr.String())
	assert.Empty(t, stderr.String())
	assert.Contains(t, stdout.String(), "selected environments=test regions=all layers=substrate")
	assert.Regexp(t, `wrote test-usw2-substrate\s+\d+ resources\n`, stdout.String())
	assert.Regexp(t, `wrote test-global\s+\d+ resources  \(dependency of the selection\)`, stdout.String(),
		"the substrate follows its environment's account-wide stack")
	assert.Regexp(t, `synthesized 3 stacks, \d+ resources into `, stdout.String())

	assert.FileExists(t, filepath.Join(out, "stacks", "test-usw2-substrate", "cdk.tf.json"))
	assert.FileExists(t, filepath.Join(out, "manifest.json"))
	assert.NoDirExists(t, filepath.Join(out, "stacks", "retired-usw2-substrate"), "stacks not synthesized any more are removed")
}

func TestRunUnderCLILeavesRemovedStacksToIt(t *testing.T) {
	out := previousOutput(t)
	vars := map[string]string{"CDKTF_OUTDIR": out, "CDKTF_CONTEXT_JSON": "{}", "PLATFORM_LAYER": "bootstrap"}

	var stdout, stderr bytes.Buffer
	code := run(&stdout, &stderr, getenvFrom(vars), environments.All())

	require.Equalf(t, 0, code, "stderr: %s", stderr.String())
	assert.FileExists(t, filepath.Join(out, "stacks", "orchestration-bootstrap", "cdk.tf.json"))
	assert.DirExists(t, filepath.Join(out, "stacks", "retired-usw2-substrate"), "the cdktf CLI deletes it after the app exits")
}

func TestSummaryPluralizesStacks(t *testing.T) {
	written := []writtenStack{{Name: "stage-usw2-substrate", Resources: 10}, {Name: "stage-use1-substrate", Resources: 12}}

	var stdout bytes.Buffer
	printSummary(&stdout, stacks.ParseSelection("stage", "", "substrate"), written, "cdktf.out", 1, time.Second)

	assert.Contains(t, stdout.String(), "synthesized 2 stacks, 22 resources into cdktf.out in 1.0s\n")
}

func TestSummaryCountsSynthProcesses(t *testing.T) {
	written := []writtenStack{{Name: "stage-usw2-substrate", Resources: 10}}

	var stdout bytes.Buffer
	printSummary(&stdout, stacks.ParseSelection("", "", ""), written, "cdktf.out", 3, time.Second)

	assert.Contains(t, stdout.String(), "synthesized 1 stack, 10 resources into cdktf.out in 1.0s (3 synth processes)\n")
}

func TestPanicErrorKeepsJoinedErrors(t *testing.T) {
	joined := errors.Join(errors.New("dns: first problem"), errors.New("dns: second problem"))

	var stderr bytes.Buffer
	printErrors(&stderr, "synth failed", panicError(joined))

	assert.Equal(t, "error: synth failed\n  - dns: first problem\n  - dns: second problem\n", stderr.String())
	assert.ErrorIs(t, panicError(joined), joined, "an error value is kept as it is")
}

func TestPanicErrorFormatsOtherValues(t *testing.T) {
	err := panicError(fmt.Sprintf("bad value %d", 3))
	assert.EqualError(t, err, "bad value 3")
}

func TestPrintErrorsFlattensNestedJoins(t *testing.T) {
	var out bytes.Buffer
	err := errors.Join(errors.Join(errors.New("first"), errors.New("second")), errors.New("third"))

	printErrors(&out, "invalid", err)

	assert.Equal(t, "error: invalid\n  - first\n  - second\n  - third\n", out.String())
}

// stagedStack writes doc as the synthesized stack name into a staging
// folder and returns the folder.
func stagedStack(t *testing.T, name, doc string) string {
	t.Helper()
	staged := t.TempDir()
	dir := filepath.Join(staged, "stacks", name)
	require.NoError(t, os.MkdirAll(dir, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "cdk.tf.json"), []byte(doc), 0o644))
	return staged
}

func TestCheckStagedRejectsAPolicyViolation(t *testing.T) {
	staged := stagedStack(t, "prod-global", `{"resource":{"aws_kms_key":{"key":{
		"//":{"metadata":{"path":"prod-global/kms/key"}},
		"enable_key_rotation":false,"deletion_window_in_days":30,"lifecycle":{"prevent_destroy":true}}}}}`)
	built := []stacks.Built{{Name: "prod-global", Environment: "prod", Region: "us-west-2", Layer: stacks.LayerGlobal}}

	_, _, err := checkStaged(staged, built, environments.All())

	var violations *policyError
	require.ErrorAs(t, err, &violations)
	require.Len(t, violations.violations, 1)
	assert.Equal(t, "HH-KMS-001", violations.violations[0].Rule)

	var stderr bytes.Buffer
	printErrors(&stderr, fmt.Sprintf("%d policy violations; nothing was written", len(violations.violations)), err)
	assert.Equal(t, "error: 1 policy violations; nothing was written\n"+
		"  - HH-KMS-001 prod-global/kms/key (aws_kms_key.key in prod-global): key rotation is off. Fix: set enable_key_rotation to true\n",
		stderr.String())
	assert.NoFileExists(t, filepath.Join(staged, policyReportFile), "no report is written for a failed check")
}

func TestCheckStagedWritesTheReport(t *testing.T) {
	staged := stagedStack(t, "prod-global", `{"resource":{"aws_sqs_queue":{"queue":{"sqs_managed_sse_enabled":true}}}}`)
	built := []stacks.Built{{Name: "prod-global", Environment: "prod", Region: "us-west-2", Layer: stacks.LayerGlobal}}

	written, report, err := checkStaged(staged, built, environments.All())

	require.NoError(t, err)
	assert.Equal(t, []writtenStack{{Name: "prod-global", Resources: 1}}, written)
	assert.Empty(t, report.Violations)
	data, err := os.ReadFile(filepath.Join(staged, policyReportFile))
	require.NoError(t, err)
	assert.Contains(t, string(data), `"id": "HH-KMS-001"`, "the report lists the rules")
}
