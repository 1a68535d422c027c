package jsiiruntime

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMain(m *testing.M) {
	code := m.Run()
	Close()
	os.Exit(code)
}

// TestKernelRunsWithoutWrapper checks, in this test binary (restarted by
// init like any other), that the only process jsii started is Node.js on
// the kernel itself, and that it serves requests.
func TestKernelRunsWithoutWrapper(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("lists child processes through /proc, which only Linux has")
	}

	root := constructs.NewRootConstruct(jsii.String("root"))
	child := constructs.NewConstruct(root, jsii.String("child"))
	require.Equal(t, "root/child", *child.Node().Path(), "the kernel answers requests")

	var args [][]string
	for _, pid := range childProcesses(t) {
		cmdline, err := os.ReadFile(filepath.Join("/proc", pid, "cmdline"))
		require.NoError(t, err)
		args = append(args, strings.Split(strings.TrimRight(string(cmdline), "\x00"), "\x00"))
	}
	require.Len(t, args, 1, "one child process: %q", args)

	kernel := args[0]
	assert.Equal(t, "node", filepath.Base(kernel[0]))
	assert.Contains(t, kernel, "--preserve-symlinks")
	assert.Equal(t, "program.js", filepath.Base(kernel[len(kernel)-1]))
	for _, arg := range kernel {
		assert.NotEqual(t, wrapperName, filepath.Base(arg), "the wrapper does not run")
	}
}

func childProcesses(t *testing.T) []string {
	t.Helper()
	tasks, err := os.ReadDir("/proc/self/task")
	require.NoError(t, err)
	var pids []string
	for _, task := range tasks {
		data, err := os.ReadFile(filepath.Join("/proc/self/task", task.Name(), "children"))
		require.NoError(t, err)
		pids = append(pids, strings.Fields(string(data))...)
	}
	return pids
}

func TestKernelEnvironment(t *testing.T) {
	env := []string{"PATH=/usr/bin", launchEnv + "=1", nodeEnv + "=node", "JSII_NODE=/tmp/platform", "HOME=/root"}
	assert.Equal(t, []string{"PATH=/usr/bin", "HOME=/root"}, kernelEnv(env, "node"),
		"the package's variables and its JSII_NODE are removed")

	env[2] = nodeEnv + "=/opt/node22/bin/node"
	assert.Equal(t, []string{"PATH=/usr/bin", "HOME=/root", "JSII_NODE=/opt/node22/bin/node"},
		kernelEnv(env, "/opt/node22/bin/node"), "a JSII_NODE the process started with is restored")
}
