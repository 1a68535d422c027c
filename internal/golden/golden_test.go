package golden

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const before = `{"resource":{"aws_vpc":{"network_vpc":{"cidr_block":"10.0.0.0/16"}},"aws_subnet":{"old":{"cidr_block":"10.0.1.0/24"}}},"output":{"vpc_id":{"value":"x"}}}`

func TestCompareMatchesCanonicalForm(t *testing.T) {
	path := filepath.Join(t.TempDir(), "stack.json")
	require.NoError(t, Write(path, []byte(before)))

	// Same content, different key order and spacing.
	reordered := `{"output":{"vpc_id":{"value":"x"}},  "resource":{"aws_subnet":{"old":{"cidr_block":"10.0.1.0/24"}},"aws_vpc":{"network_vpc":{"cidr_block":"10.0.0.0/16"}}}}`
	report, err := Compare(path, []byte(reordered))
	require.NoError(t, err)
	assert.Empty(t, report)
}

func TestCompareListsAddressesFirst(t *testing.T) {
	path := filepath.Join(t.TempDir(), "stack.json")
	require.NoError(t, Write(path, []byte(before)))

	after := `{"resource":{"aws_vpc":{"network_vpc":{"cidr_block":"10.1.0.0/16"}},"aws_subnet":{"new":{"cidr_block":"10.0.1.0/24"}}},"output":{"vpc_id":{"value":"x"}}}`
	report, err := Compare(path, []byte(after))
	require.NoError(t, err)

	assert.Contains(t, report, "+ aws_subnet.new (new address")
	assert.Contains(t, report, "- aws_subnet.old (address gone")
	assert.Contains(t, report, "10.1.0.0/16", "the full difference shows changed values")
	assert.Less(t, strings.Index(report, "aws_subnet.new"), strings.Index(report, "difference (-snapshot"), "addresses come before the full difference")
}

func TestCompareMissingSnapshot(t *testing.T) {
	report, err := Compare(filepath.Join(t.TempDir(), "absent.json"), []byte(before))
	require.NoError(t, err)
	assert.Contains(t, report, "does not exist yet")
}

func TestCompareRejectsInvalidJSON(t *testing.T) {
	_, err := Compare(filepath.Join(t.TempDir(), "x.json"), []byte("{"))
	assert.Error(t, err)
}

func TestWriteIsCanonical(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dir", "stack.json")
	require.NoError(t, Write(path, []byte(`{"b":1,"a":{"d":2,"c":3}}`)))

	data, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "{\n  \"a\": {\n    \"c\": 3,\n    \"d\": 2\n  },\n  \"b\": 1\n}\n", string(data))
}

func TestCanonicalKeepsComparisonOperators(t *testing.T) {
	out, err := Canonical([]byte(`{"required_version":">= 1.6.1"}`))
	require.NoError(t, err)
	assert.Equal(t, "{\n  \"required_version\": \">= 1.6.1\"\n}\n", string(out))
}

func TestAddresses(t *testing.T) {
	doc := map[string]any{
		"resource": map[string]any{"aws_vpc": map[string]any{"a": map[string]any{}}},
		"data":     map[string]any{"aws_caller_identity": map[string]any{"me": map[string]any{}}},
		"output":   map[string]any{"vpc_id": map[string]any{}},
	}
	assert.Equal(t, []string{"aws_vpc.a", "data.aws_caller_identity.me", "output.vpc_id"}, Addresses(doc))
}
