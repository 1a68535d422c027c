package stacks

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/honeyhive/platform/internal/stackgraph"
)

// TestREADMEEmbedsTheStackGraph keeps the README's diagram equal to the one
// `make graph -mermaid` prints for the bundled fleet.
func TestREADMEEmbedsTheStackGraph(t *testing.T) {
	s := synthAll(t)
	names := make([]string, len(s.built))
	for i, b := range s.built {
		names[i] = b.Name
	}
	g, err := stackgraph.Load(filepath.Join(synthDir, "manifest.json"), names)
	require.NoError(t, err)

	readme, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	_, after, found := strings.Cut(string(readme), "<!-- stack-graph:start -->\n```mermaid\n")
	require.True(t, found, "the README has no stack graph")
	embedded, _, found := strings.Cut(after, "```\n<!-- stack-graph:end -->")
	require.True(t, found, "the README's stack graph has no end marker")

	assert.Equal(t, g.Mermaid(), embedded, "run `go run ./cmd/graph -mermaid` after `make synth` and paste the output into the README")
}

func TestPlanOrderRespectsEveryDependency(t *testing.T) {
	s := synthAll(t)
	names := make([]string, len(s.built))
	for i, b := range s.built {
		names[i] = b.Name
	}
	g, err := stackgraph.Load(filepath.Join(synthDir, "manifest.json"), names)
	require.NoError(t, err)

	assert.Equal(t, names, g.Order, "the app already writes the stacks in an order that respects the manifest's dependencies")
}
