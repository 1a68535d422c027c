package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runAsMainEnv makes the test binary run main, so that a test can start the
// platform as a process of its own.
const runAsMainEnv = "PLATFORM_TEST_RUN_MAIN"

// TestInterruptLeavesNothingBehind starts a synth of the fleet and
// interrupts the whole process group once the synth is under way, as Ctrl-C
// in a terminal does. The previous output must be untouched, and no staging
// directory, temporary file or process may be left.
func TestInterruptLeavesNothingBehind(t *testing.T) {
	self, err := os.Executable()
	require.NoError(t, err)

	for _, workers := range []string{"1", "2"} {
		t.Run("workers="+workers, func(t *testing.T) {
			out := previousOutput(t)
			tmp := t.TempDir()

			var stdout, stderr bytes.Buffer
			cmd := exec.Command(self)
			cmd.Env = append(os.Environ(), runAsMainEnv+"=1", "CDKTF_OUTDIR="+out, "TMPDIR="+tmp, workersEnv+"="+workers)
			cmd.Stdout = &stdout
			cmd.Stderr = &stderr
			cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
			require.NoError(t, cmd.Start())

			// The synth is under way once jsii has unpacked a runtime or a
			// synth process has its folder.
			underWay := func() bool {
				runtimes, _ := filepath.Glob(filepath.Join(tmp, "jsii-*"))
				parts, _ := filepath.Glob(filepath.Join(filepath.Dir(out), "cdktf.out.staging-*", ".part-*"))
				return len(runtimes)+len(parts) > 0
			}
			require.Eventually(t, underWay, 10*time.Second, 5*time.Millisecond)
			time.Sleep(300 * time.Millisecond)
			require.NoError(t, syscall.Kill(-cmd.Process.Pid, syscall.SIGINT))

			err := cmd.Wait()
			var exitErr *exec.ExitError
			require.ErrorAs(t, err, &exitErr, "stdout: %s\nstderr: %s", stdout.String(), stderr.String())
			assert.Equal(t, 130, exitErr.ExitCode())
			assert.Equal(t, "interrupted; "+out+" was left as it was\n", stderr.String())
			assertUntouched(t, out)

			left, err := os.ReadDir(tmp)
			require.NoError(t, err)
			assert.Empty(t, left, "the temporary directory is empty")
			assert.ErrorIs(t, syscall.Kill(-cmd.Process.Pid, 0), syscall.ESRCH, "no process of the group is left")
		})
	}
}
