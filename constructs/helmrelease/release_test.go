package helmrelease

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"sigs.k8s.io/yaml"

	"github.com/honeyhive/platform/internal/synthtest"
)

type testValues struct {
	ReplicaCount int               `json:"replicaCount"`
	Labels       map[string]string `json:"labels,omitempty"`
}

func validConfig() Config {
	return Config{
		Name:       "metrics-server",
		Namespace:  "kube-system",
		Repository: "https://kubernetes-sigs.github.io/metrics-server",
		Chart:      "metrics-server",
		Version:    "3.12.2",
		Values:     testValues{ReplicaCount: 2},
	}
}

func TestNewRelease(t *testing.T) {
	stack := synthtest.Stack(t)
	New(stack, "metrics_server", validConfig())
	doc := synthtest.Synth(t, stack)

	r := doc.Resource(t, "helm_release", "metrics_server")
	assert.Equal(t, "metrics-server", r["name"])
	assert.Equal(t, "kube-system", r["namespace"])
	assert.Equal(t, "3.12.2", r["version"])
	assert.Equal(t, true, r["atomic"])
	assert.Equal(t, true, r["wait"])
	assert.Equal(t, true, r["create_namespace"])
	assert.Equal(t, float64(DefaultTimeoutSeconds), r["timeout"])

	values := r["values"].([]any)
	require.Len(t, values, 1)
	var decoded testValues
	require.NoError(t, yaml.Unmarshal([]byte(values[0].(string)), &decoded))
	assert.Equal(t, 2, decoded.ReplicaCount)
}

func TestConfigValidate(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(*Config)
		want   string
	}{
		{"version range", func(c *Config) { c.Version = "^3.12" }, `"^3.12" is not an exact version`},
		{"empty version", func(c *Config) { c.Version = "" }, "is not an exact version"},
		{"bad name", func(c *Config) { c.Name = "Metrics" }, "is not a valid release name"},
		{"long name", func(c *Config) { c.Name = "a123456789012345678901234567890123456789012345678901234" }, "is not a valid release name"},
		{"bad namespace", func(c *Config) { c.Namespace = "" }, "is not a valid namespace name"},
		{"no repository", func(c *Config) { c.Repository = "" }, "Config.Repository is empty"},
		{"no chart", func(c *Config) { c.Chart = "" }, "Config.Chart is empty"},
		{"values that are not YAML", func(c *Config) { c.Values = map[string]any{"f": func() {}} }, "cannot be marshalled to YAML"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := validConfig()
			c.mutate(&cfg)
			assert.ErrorContains(t, cfg.Validate(), c.want)
		})
	}
	assert.NoError(t, validConfig().Validate())
}

func TestNewManifests(t *testing.T) {
	stack := synthtest.Stack(t)
	NewManifests(stack, "node_pools", ManifestsConfig{
		Name:      "karpenter-node-pools",
		Namespace: "kube-system",
		Manifests: []any{
			map[string]any{"apiVersion": "karpenter.sh/v1", "kind": "NodePool", "metadata": map[string]any{"name": "default"}},
		},
	})
	doc := synthtest.Synth(t, stack)

	r := doc.Resource(t, "helm_release", "node_pools_release")
	assert.Equal(t, "karpenter-node-pools", r["name"])
	assert.Regexp(t, `^assets/`, r["chart"], "the chart travels with the stack as an asset")
	assert.NotContains(t, r, "repository")

	var values struct {
		Manifests []map[string]any `json:"manifests"`
	}
	require.NoError(t, yaml.Unmarshal([]byte(r["values"].([]any)[0].(string)), &values))
	require.Len(t, values.Manifests, 1)
	assert.Equal(t, "NodePool", values.Manifests[0]["kind"])
}

func TestManifestsValidate(t *testing.T) {
	cases := []struct {
		name string
		cfg  ManifestsConfig
		want string
	}{
		{"no manifests", ManifestsConfig{Name: "x", Namespace: "y"}, "has no manifests"},
		{"manifest without kind", ManifestsConfig{Name: "x", Namespace: "y", Manifests: []any{map[string]any{"apiVersion": "v1", "metadata": map[string]any{"name": "a"}}}}, "Manifests[0] needs apiVersion, kind and metadata.name"},
		{"bad name", ManifestsConfig{Name: "X", Namespace: "y", Manifests: []any{map[string]any{}}}, "is not a valid release name"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.ErrorContains(t, validateManifests(c.cfg), c.want)
		})
	}
}

func TestWriteChartIsStable(t *testing.T) {
	dir1, hash1, err := writeChart()
	require.NoError(t, err)
	dir2, hash2, err := writeChart()
	require.NoError(t, err)

	assert.Equal(t, dir1, dir2)
	assert.Equal(t, hash1, hash2)
	assert.FileExists(t, dir1+"/Chart.yaml")
	assert.FileExists(t, dir1+"/templates/manifests.yaml")
}
