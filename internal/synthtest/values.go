package synthtest

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"sigs.k8s.io/yaml"
)

// HelmValues decodes the single YAML values document of a synthesized
// helm_release.
func HelmValues(t testing.TB, release map[string]any) map[string]any {
	t.Helper()
	documents, ok := release["values"].([]any)
	require.True(t, ok, "release has no values list")
	require.Len(t, documents, 1)

	var values map[string]any
	require.NoError(t, yaml.Unmarshal([]byte(documents[0].(string)), &values))
	return values
}

// ValueAt returns the value at a dotted path such as "server.replicas" in
// decoded values, or nil when a step of the path is missing. Keys that
// contain dots cannot be reached this way.
func ValueAt(values map[string]any, dotted string) any {
	var current any = values
	for _, key := range strings.Split(dotted, ".") {
		m, ok := current.(map[string]any)
		if !ok {
			return nil
		}
		current = m[key]
	}
	return current
}
