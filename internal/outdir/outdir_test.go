package outdir

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
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

// previousOutput writes an output directory with one stack that Terraform
// has initialized, and returns its path.
func previousOutput(t *testing.T) string {
	t.Helper()
	final := filepath.Join(t.TempDir(), "cdktf.out")
	write(t, filepath.Join(final, "manifest.json"), "old")
	write(t, filepath.Join(final, "stacks", "a", "cdk.tf.json"), "old a")
	write(t, filepath.Join(final, "stacks", "a", ".terraform", "terraform.tfstate"), "backend settings")
	write(t, filepath.Join(final, "stacks", "a", ".terraform.lock.hcl"), "lock")
	return final
}

// failRenames makes rename fail, until the test ends, for every source path
// for which fails returns true.
func failRenames(t *testing.T, fails func(from string) bool) {
	t.Helper()
	t.Cleanup(func() { rename = os.Rename })
	rename = func(from, to string) error {
		if fails(from) {
			return &os.LinkError{Op: "rename", Old: from, New: to, Err: errors.New("injected failure")}
		}
		return os.Rename(from, to)
	}
}

func TestStageCreatesMode0755(t *testing.T) {
	staged, err := Stage(filepath.Join(t.TempDir(), "cdktf.out"))
	require.NoError(t, err)

	info, err := os.Stat(staged)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o755), info.Mode().Perm())
}

func TestCommitFailedWorkingFileMoveKeepsPrevious(t *testing.T) {
	final := previousOutput(t)
	staged, err := Stage(final)
	require.NoError(t, err)
	write(t, filepath.Join(staged, "manifest.json"), "new")
	write(t, filepath.Join(staged, "stacks", "a", "cdk.tf.json"), "new a")
	failRenames(t, func(from string) bool { return strings.Contains(from, ".terraform") })

	err = Commit(staged, final, false)

	var kept *KeptError
	require.ErrorAs(t, err, &kept)
	assert.Contains(t, err.Error(), kept.Previous, "the message says where the previous output is")
	assert.Equal(t, "backend settings", read(t, filepath.Join(kept.Previous, "stacks", "a", ".terraform", "terraform.tfstate")))
	assert.Equal(t, "new", read(t, filepath.Join(final, "manifest.json")))
}

func TestCommitFailedSwapLeavesFinal(t *testing.T) {
	final := previousOutput(t)
	staged, err := Stage(final)
	require.NoError(t, err)
	write(t, filepath.Join(staged, "manifest.json"), "new")
	failRenames(t, func(from string) bool { return from == staged })

	err = Commit(staged, final, false)

	require.Error(t, err)
	var kept *KeptError
	assert.False(t, errors.As(err, &kept), "the previous output is back in place")
	assert.Equal(t, "old", read(t, filepath.Join(final, "manifest.json")))
	assert.Equal(t, "backend settings", read(t, filepath.Join(final, "stacks", "a", ".terraform", "terraform.tfstate")))
	assert.Equal(t, "lock", read(t, filepath.Join(final, "stacks", "a", ".terraform.lock.hcl")))
}

func TestCommitFailedRestoreKeepsPrevious(t *testing.T) {
	final := previousOutput(t)
	staged, err := Stage(final)
	require.NoError(t, err)
	write(t, filepath.Join(staged, "manifest.json"), "new")
	// Both the staged directory and the previous output, renamed aside to
	// staged + ".previous", match.
	failRenames(t, func(from string) bool { return strings.HasPrefix(from, staged) })

	err = Commit(staged, final, false)

	var kept *KeptError
	require.ErrorAs(t, err, &kept)
	assert.Contains(t, err.Error(), kept.Previous)
	assert.Equal(t, "backend settings", read(t, filepath.Join(kept.Previous, "stacks", "a", ".terraform", "terraform.tfstate")))
}

func TestCommitSwapsWithoutExistingOutput(t *testing.T) {
	final := filepath.Join(t.TempDir(), "cdktf.out")
	staged, err := Stage(final)
	require.NoError(t, err)
	write(t, filepath.Join(staged, "stacks", "a", "cdk.tf.json"), "new a")

	require.NoError(t, Commit(staged, final, true))

	info, err := os.Stat(final)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o755), info.Mode().Perm(), "the committed output keeps the staged mode")
	assert.Equal(t, "new a", read(t, filepath.Join(final, "stacks", "a", "cdk.tf.json")))
}
