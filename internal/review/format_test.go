package review

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestFormatPairShowsFirstDifference(t *testing.T) {
	prefix := strings.Repeat("replicaCount: 2\n", 20)
	a := AttributeChange{
		Path:   "values[0]",
		Before: prefix + "image: v1.0.0\n" + strings.Repeat("x", 100), BeforeSet: true,
		After: prefix + "image: v1.1.0\n" + strings.Repeat("x", 100), AfterSet: true,
	}

	before, after := formatPair(a)

	assert.Contains(t, before, "image: v1.0.0")
	assert.Contains(t, after, "image: v1.1.0")
	assert.True(t, strings.HasPrefix(before, "..."), "the common start is cut: %s", before)
	assert.True(t, strings.HasSuffix(after, "..."), "the tail is cut: %s", after)
	assert.LessOrEqual(t, len([]rune(before)), maxValueLength+6)
}

func TestFormatValueUnset(t *testing.T) {
	assert.Equal(t, "(unset)", formatValue(nil, false))
	assert.Equal(t, "null", formatValue(nil, true))
	assert.Equal(t, `">= 1.6.1"`, formatValue(">= 1.6.1", true), "no HTML escaping")
}

func TestPathKeyQuotesTagKeys(t *testing.T) {
	leaves := flatten(map[string]any{"tags": map[string]any{"kubernetes.io/role/elb": "1"}, "rule": []any{map[string]any{"id": "a"}}})

	assert.Contains(t, leaves, `tags["kubernetes.io/role/elb"]`)
	assert.Contains(t, leaves, "rule[0].id")
}

func TestFlattenSplitsListsOfLongStrings(t *testing.T) {
	short := flatten(map[string]any{"subnet_ids": []any{"subnet-a", "subnet-b"}})
	long := flatten(map[string]any{"values": []any{strings.Repeat("a: 1\n", 30)}})

	assert.Contains(t, short, "subnet_ids")
	assert.Contains(t, long, "values[0]")
}
