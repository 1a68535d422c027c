package stackgraph

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewOrdersByDependenciesThenByGivenOrder(t *testing.T) {
	order := []string{"app", "global", "substrate", "hosting"}
	deps := map[string][]string{
		"substrate": {"global"},
		"hosting":   {"substrate"},
		"app":       {"hosting", "substrate"},
	}

	g, err := New(order, deps)
	require.NoError(t, err)

	assert.Equal(t, []string{"global", "substrate", "hosting", "app"}, g.Order)
	assert.Equal(t, []string{"hosting"}, g.DependsOn["app"], "substrate is implied through hosting")
}

func TestNewRejectsACycle(t *testing.T) {
	_, err := New([]string{"a", "b"}, map[string][]string{"a": {"b"}, "b": {"a"}})
	assert.EqualError(t, err, "the stack dependencies have a cycle among a, b")
}

func TestTextAndMermaid(t *testing.T) {
	g, err := New([]string{"prod-global", "prod-usw2-substrate"}, map[string][]string{"prod-usw2-substrate": {"prod-global"}})
	require.NoError(t, err)

	assert.Equal(t, "  1  prod-global\n  2  prod-usw2-substrate  after prod-global\n", g.Text())
	assert.Equal(t, "flowchart LR\n  prod_global[prod-global]\n  prod_usw2_substrate[prod-usw2-substrate]\n  prod_global --> prod_usw2_substrate\n", g.Mermaid())
}

func TestLoadReadsTheManifest(t *testing.T) {
	path := filepath.Join(t.TempDir(), "manifest.json")
	require.NoError(t, os.WriteFile(path, []byte(`{"stacks":{"a":{"dependencies":[]},"b":{"dependencies":["a","elsewhere"]}}}`), 0o644))

	g, err := Load(path, []string{"b", "a"})
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "b"}, g.Order)
	assert.Equal(t, []string{"a"}, g.DependsOn["b"], "a dependency outside the selection is left out")

	_, err = Load(path, []string{"a", "c"})
	assert.ErrorContains(t, err, "stack c is not in")
}
