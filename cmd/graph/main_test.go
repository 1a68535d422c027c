package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/honeyhive/platform/environments"
)

func noEnv(string) string { return "" }

func TestOrderListsOneEnvironment(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run([]string{"-env", "globex", "-order"}, noEnv, environments.All(), &stdout, &stderr)

	require.Equal(t, 0, code, stderr.String())
	assert.Equal(t, "globex-global\nglobex-usw2-substrate\nglobex-usw2-hosting\nglobex-usw2-application\n", stdout.String(),
		"only globex's own stacks, without the other half's hosting stack it depends on")
}

func TestOrderNeedsAnEnvironment(t *testing.T) {
	var stdout, stderr bytes.Buffer
	assert.Equal(t, 2, run([]string{"-order"}, noEnv, environments.All(), &stdout, &stderr))
	assert.Contains(t, stderr.String(), "-order needs -env")
}

func TestPlannableLeavesOutUnreachableStacks(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run([]string{"-plannable"}, noEnv, environments.All(), &stdout, &stderr)
	require.Equal(t, 0, code, stderr.String())

	stacks := strings.Fields(stdout.String())
	assert.Contains(t, stacks, "prod-usw2-hosting")
	assert.NotContains(t, stacks, "orchestration", "the orchestration stacks deploy with another role")
	assert.NotContains(t, stacks, "acme-usw2-substrate", "customers' accounts have no plan role")
}

func TestTextNeedsASynth(t *testing.T) {
	var stdout, stderr bytes.Buffer
	missing := filepath.Join(t.TempDir(), "manifest.json")
	assert.Equal(t, 1, run([]string{"-manifest", missing}, noEnv, environments.All(), &stdout, &stderr))
	assert.Contains(t, stderr.String(), "run make synth first")
}

func TestTextFromAManifest(t *testing.T) {
	manifest := filepath.Join(t.TempDir(), "manifest.json")
	require.NoError(t, os.WriteFile(manifest, []byte(`{"stacks":{
		"orchestration-bootstrap":{"dependencies":[]},
		"orchestration":{"dependencies":[]},
		"test-global":{"dependencies":["orchestration"]}}}`), 0o644))
	getenv := func(k string) string {
		return map[string]string{"PLATFORM_ENV": "test", "PLATFORM_LAYER": "bootstrap,orchestration,global"}[k]
	}

	var stdout, stderr bytes.Buffer
	require.Equal(t, 0, run([]string{"-manifest", manifest}, getenv, environments.All(), &stdout, &stderr), stderr.String())
	assert.Contains(t, stdout.String(), "test-global")
	assert.Contains(t, stdout.String(), "after orchestration")
}
