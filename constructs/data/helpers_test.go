package data

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/honeyhive/platform/internal/synthtest"
)

const (
	testAccount   = "111122223333"
	testRegion    = "us-west-2"
	testDRRegion  = "us-east-2"
	testDataKey   = "arn:aws:kms:us-west-2:111122223333:key/0b1c2d3e-0000-4000-8000-000000000001"
	testDRDataKey = "arn:aws:kms:us-east-2:111122223333:key/0b1c2d3e-0000-4000-8000-000000000002"
	testSecrets   = "arn:aws:kms:us-west-2:111122223333:key/0b1c2d3e-0000-4000-8000-000000000003"
	testLogsKey   = "arn:aws:kms:us-west-2:111122223333:key/0b1c2d3e-0000-4000-8000-000000000004"
)

var preventDestroy = map[string]any{"prevent_destroy": true}

// only returns the single element of a synthesized block list.
func only(t *testing.T, value any) map[string]any {
	t.Helper()
	list, ok := value.([]any)
	require.Truef(t, ok, "expected a block list, got %T", value)
	require.Len(t, list, 1)
	block, ok := list[0].(map[string]any)
	require.True(t, ok, "block is not an object")
	return block
}

// statementsBySid decodes a policy attribute and returns its statements by
// Sid, failing when a statement has no Sid or shares one.
func statementsBySid(t *testing.T, policy any) map[string]map[string]any {
	t.Helper()
	doc := synthtest.JSON(t, policy)
	assert.Equal(t, "2012-10-17", doc["Version"])
	list, ok := doc["Statement"].([]any)
	require.True(t, ok, "policy has no Statement list")

	result := map[string]map[string]any{}
	for _, s := range list {
		statement := s.(map[string]any)
		sid, _ := statement["Sid"].(string)
		require.NotEmpty(t, sid, "statement without Sid: %v", statement)
		require.NotContains(t, result, sid, "Sid %q is used twice", sid)
		result[sid] = statement
	}
	return result
}

// stringList returns a decoded JSON list of strings.
func stringList(t *testing.T, value any) []string {
	t.Helper()
	list, ok := value.([]any)
	require.Truef(t, ok, "expected a list, got %T", value)
	result := make([]string, len(list))
	for i, v := range list {
		result[i], ok = v.(string)
		require.Truef(t, ok, "element %d is %T, not a string", i, v)
	}
	return result
}

// assertLeastPrivilege fails for an Allow statement with a "*" resource, a
// resource with a wildcard anywhere but a trailing "/*" object path, or a
// wildcard action.
func assertLeastPrivilege(t *testing.T, statements map[string]map[string]any) {
	t.Helper()
	for sid, s := range statements {
		assert.Equalf(t, "Allow", s["Effect"], "statement %s", sid)
		for _, resource := range stringList(t, s["Resource"]) {
			assert.NotEqualf(t, "*", resource, "statement %s allows every resource", sid)
			assert.NotContainsf(t, strings.TrimSuffix(resource, "/*"), "*", "statement %s has a wildcard resource %q", sid, resource)
		}
		for _, action := range stringList(t, s["Action"]) {
			assert.NotContainsf(t, action, "*", "statement %s has a wildcard action", sid)
		}
	}
}
