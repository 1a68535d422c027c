package review

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReadStacksDirErrors(t *testing.T) {
	empty := t.TempDir()
	_, err := ReadStacksDir(empty)
	assert.ErrorContains(t, err, "no stacks found in "+empty)

	_, err = ReadStacksDir(filepath.Join(empty, "missing"))
	assert.ErrorContains(t, err, "reading synthesized stacks")

	broken := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(broken, "app"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(broken, "app", StackFile), []byte("{"), 0o644))
	_, err = ReadStacksDir(broken)
	assert.ErrorContains(t, err, "is not valid Terraform JSON")
}

func TestReadSnapshotsDirErrors(t *testing.T) {
	empty := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(empty, "notes.txt"), []byte("x"), 0o644))
	_, err := ReadSnapshotsDir(empty)
	assert.ErrorContains(t, err, "no snapshots found")

	broken := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(broken, "app.json"), []byte("[]"), 0o644))
	_, err = ReadSnapshotsDir(broken)
	assert.ErrorContains(t, err, "app.json is not valid Terraform JSON")
}
