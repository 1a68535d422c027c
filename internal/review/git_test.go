package review

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// gitRepository creates a repository in a temporary folder with two commits
// of __snapshots__/app.json: the first has a /16 VPC, the second a /20 one
// and a second stack. It returns the folder.
func gitRepository(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	gitIn := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(),
			"GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_SYSTEM=/dev/null",
			"GIT_AUTHOR_NAME=test", "GIT_AUTHOR_EMAIL=test@example.com",
			"GIT_COMMITTER_NAME=test", "GIT_COMMITTER_EMAIL=test@example.com")
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "git %v: %s", args, out)
	}
	write := func(name, content string) {
		t.Helper()
		path := filepath.Join(dir, "__snapshots__", name)
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
	}

	gitIn("init", "--quiet", "--initial-branch=main")
	write("app.json", `{"resource":{"aws_vpc":{"network_vpc":{"cidr_block":"10.0.0.0/16"}}}}`)
	write("README.txt", "not a snapshot")
	gitIn("add", ".")
	gitIn("commit", "--quiet", "-m", "first")
	gitIn("tag", "v1")

	write("app.json", `{"resource":{"aws_vpc":{"network_vpc":{"cidr_block":"10.0.0.0/20"}}}}`)
	write("extra.json", `{"resource":{}}`)
	gitIn("add", ".")
	gitIn("commit", "--quiet", "-m", "second")
	return dir
}

func TestReadSnapshotsAtRef(t *testing.T) {
	dir := gitRepository(t)
	ctx := context.Background()

	first, err := ReadSnapshotsAtRef(ctx, dir, "v1", "__snapshots__")
	require.NoError(t, err)
	assert.Equal(t, []string{"app"}, first.Names())

	second, err := ReadSnapshotsAtRef(ctx, dir, "main", "__snapshots__/")
	require.NoError(t, err)
	assert.Equal(t, []string{"app", "extra"}, second.Names())

	report := Compare(first, second)
	require.Len(t, report.Stacks, 2)
	vpc := resourceAt(t, report.Stacks[0], "aws_vpc.network_vpc")
	assert.True(t, vpc.Replaced, "cidr_block forces replacement")
	assert.Equal(t, StackAdded, report.Stacks[1].Status)
}

func TestReadSnapshotsAtRefErrors(t *testing.T) {
	dir := gitRepository(t)
	ctx := context.Background()

	tests := []struct {
		name, ref, dir, message string
	}{
		{"unknown ref", "no-such-branch", "__snapshots__", `git ref "no-such-branch" not found`},
		{"option-like ref", "--output=/tmp/x", "__snapshots__", `invalid git ref "--output=/tmp/x"`},
		{"empty ref", "", "__snapshots__", `invalid git ref ""`},
		{"missing folder", "main", "snapshots", "no snapshots found in snapshots/ at main"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadSnapshotsAtRef(ctx, dir, tt.ref, tt.dir)
			assert.ErrorContains(t, err, tt.message)
		})
	}
}

func TestRepositoryRoot(t *testing.T) {
	dir := gitRepository(t)

	root, err := RepositoryRoot(context.Background(), filepath.Join(dir, "__snapshots__"))

	require.NoError(t, err)
	resolved, err := filepath.EvalSymlinks(dir)
	require.NoError(t, err)
	assert.Equal(t, resolved, root)
}
