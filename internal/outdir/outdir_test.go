package outdir

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func write(t *testing.T, path, content string) {
	t.Helper()
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return string(b)
}

func TestCommitIntoEmptyDirectory(t *testing.T) {
	final := filepath.Join(t.TempDir(), "cdktf.out")
	staged, err := Stage(final)
	require.NoError(t, err)
	write(t, filepath.Join(staged, "manifest.json"), "new")

	require.NoError(t, Commit(staged, final, false))

	assert.Equal(t, "new", read(t, filepath.Join(final, "manifest.json")))
	assert.NoDirExists(t, staged)
}

func TestCommitReplacesAndKeepsWorkingFiles(t *testing.T) {
	final := filepath.Join(t.TempDir(), "cdktf.out")
	write(t, filepath.Join(final, "manifest.json"), "old")
	write(t, filepath.Join(final, "stacks", "a", "cdk.tf.json"), "old a")
	write(t, filepath.Join(final, "stacks", "a", ".terraform", "terraform.tfstate"), "backend settings")
	write(t, filepath.Join(final, "stacks", "a", ".terraform.lock.hcl"), "lock")
	write(t, filepath.Join(final, "stacks", "gone", "cdk.tf.json"), "stale")

	staged, err := Stage(final)
	require.NoError(t, err)
	write(t, filepath.Join(staged, "manifest.json"), "new")
	write(t, filepath.Join(staged, "stacks", "a", "cdk.tf.json"), "new a")

	require.NoError(t, Commit(staged, final, false))

	assert.Equal(t, "new", read(t, filepath.Join(final, "manifest.json")))
	assert.Equal(t, "new a", read(t, filepath.Join(final, "stacks", "a", "cdk.tf.json")), "synthesized files win")
	assert.Equal(t, "backend settings", read(t, filepath.Join(final, "stacks", "a", ".terraform", "terraform.tfstate")))
	assert.Equal(t, "lock", read(t, filepath.Join(final, "stacks", "a", ".terraform.lock.hcl")))
	assert.NoDirExists(t, filepath.Join(final, "stacks", "gone"), "a stack no longer synthesized must not stay deployable")

	siblings, err := os.ReadDir(filepath.Dir(final))
	require.NoError(t, err)
	assert.Len(t, siblings, 1, "no staging or previous directory is left behind")
}

func TestDiscardLeavesFinalUntouched(t *testing.T) {
	final := filepath.Join(t.TempDir(), "cdktf.out")
	write(t, filepath.Join(final, "manifest.json"), "old")

	staged, err := Stage(final)
	require.NoError(t, err)
	write(t, filepath.Join(staged, "manifest.json"), "half")

	require.NoError(t, Discard(staged))

	assert.Equal(t, "old", read(t, filepath.Join(final, "manifest.json")))
	assert.NoDirExists(t, staged)
}

func TestCommitKeepsRemovedStacksForTheCLI(t *testing.T) {
	final := filepath.Join(t.TempDir(), "cdktf.out")
	write(t, filepath.Join(final, "stacks", "gone", "cdk.tf.json"), "stale")

	staged, err := Stage(final)
	require.NoError(t, err)
	write(t, filepath.Join(staged, "stacks", "a", "cdk.tf.json"), "new a")

	require.NoError(t, Commit(staged, final, true))

	assert.Equal(t, "stale", read(t, filepath.Join(final, "stacks", "gone", "cdk.tf.json")), "left for the cdktf CLI to delete")
	assert.Equal(t, "new a", read(t, filepath.Join(final, "stacks", "a", "cdk.tf.json")))
}
