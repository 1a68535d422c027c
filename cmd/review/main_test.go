package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	vpc16 = `{"resource":{"aws_vpc":{"network_vpc":{"cidr_block":"10.0.0.0/16"}}}}`
	vpc20 = `{"resource":{"aws_vpc":{"network_vpc":{"cidr_block":"10.0.0.0/20"}}}}`
)

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
}

// fixture writes one snapshot and one synthesized stack named app and
// returns the snapshots and stacks folders.
func fixture(t *testing.T, snapshot, synthesized string) (string, string) {
	t.Helper()
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "__snapshots__", "app.json"), snapshot)
	writeFile(t, filepath.Join(dir, "stacks", "app", "cdk.tf.json"), synthesized)
	return filepath.Join(dir, "__snapshots__"), filepath.Join(dir, "stacks")
}

func runReview(args ...string) (int, string, string) {
	var stdout, stderr strings.Builder
	code := run(context.Background(), args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestRunUnchanged(t *testing.T) {
	snapshots, stacks := fixture(t, vpc16, vpc16)

	code, stdout, stderr := runReview("-snapshots", snapshots, "-stacks", stacks)

	assert.Equal(t, exitUnchanged, code, stderr)
	assert.Contains(t, stdout, "No stack changed.")
}

func TestRunChanged(t *testing.T) {
	snapshots, stacks := fixture(t, vpc16, vpc20)

	code, stdout, stderr := runReview("-snapshots", snapshots, "-stacks", stacks)

	assert.Equal(t, exitChanged, code, stderr)
	assert.Contains(t, stdout, "| app | changed | 0 | 0 | 1 | 1 | 0 | 0 | 0 |")
	assert.Contains(t, stdout, "- **REPLACE** `aws_vpc.network_vpc` changed: replaced, because cidr_block forces replacement")
}

func TestRunTextFormat(t *testing.T) {
	snapshots, stacks := fixture(t, vpc16, vpc20)

	code, stdout, _ := runReview("-snapshots", snapshots, "-stacks", stacks, "-format", "text")

	assert.Equal(t, exitChanged, code)
	assert.Contains(t, stdout, "- REPLACE aws_vpc.network_vpc changed")
}

func TestRunUsageAndReadErrors(t *testing.T) {
	snapshots, stacks := fixture(t, vpc16, vpc16)
	missing := filepath.Join(t.TempDir(), "missing")

	tests := []struct {
		name    string
		args    []string
		message string
	}{
		{"unknown flag", []string{"-nope"}, "flag provided but not defined"},
		{"positional ref", []string{"-snapshots", snapshots, "-stacks", stacks, "main"}, `unexpected argument "main"; pass the git ref with -ref`},
		{"invalid format", []string{"-snapshots", snapshots, "-stacks", stacks, "-format", "html"}, `invalid -format "html"`},
		{"missing stacks", []string{"-snapshots", snapshots, "-stacks", missing}, "reading synthesized stacks"},
		{"missing snapshots", []string{"-snapshots", missing, "-stacks", stacks}, "reading snapshots"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runReview(tt.args...)
			assert.Equal(t, exitError, code)
			assert.Empty(t, stdout)
			assert.Contains(t, stderr, tt.message)
		})
	}
}

func TestRunWithRef(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	repo := t.TempDir()
	gitIn := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = repo
		cmd.Env = append(os.Environ(),
			"GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_SYSTEM=/dev/null",
			"GIT_AUTHOR_NAME=test", "GIT_AUTHOR_EMAIL=test@example.com",
			"GIT_COMMITTER_NAME=test", "GIT_COMMITTER_EMAIL=test@example.com")
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "git %v: %s", args, out)
	}
	gitIn("init", "--quiet", "--initial-branch=main")
	writeFile(t, filepath.Join(repo, "__snapshots__", "app.json"), vpc16)
	gitIn("add", ".")
	gitIn("commit", "--quiet", "-m", "baseline")

	// The working tree's snapshot changes too; -ref must ignore it.
	writeFile(t, filepath.Join(repo, "__snapshots__", "app.json"), vpc20)
	writeFile(t, filepath.Join(repo, "cdktf.out", "stacks", "app", "cdk.tf.json"), vpc20)
	t.Chdir(filepath.Join(repo, "cdktf.out"))

	code, stdout, stderr := runReview("-stacks", "stacks", "-ref", "main")
	assert.Equal(t, exitChanged, code, stderr)
	assert.Contains(t, stdout, "with the snapshots in __snapshots__ at git ref main")
	assert.Contains(t, stdout, "`cidr_block`: `\"10.0.0.0/16\"` -> `\"10.0.0.0/20\"` (forces replacement)")

	code, _, stderr = runReview("-stacks", "stacks", "-ref", "no-such-ref")
	assert.Equal(t, exitError, code)
	assert.Contains(t, stderr, `git ref "no-such-ref" not found`)
}
