package iampolicy

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDocumentJSON(t *testing.T) {
	d := Document{Statements: []Statement{
		{
			Sid:       "Read",
			Actions:   []string{"s3:GetObject"},
			Resources: []string{"arn:aws:s3:::bucket/*"},
			Conditions: map[string]map[string][]string{
				"StringEquals": {"aws:SourceAccount": {"123456789012"}},
			},
		},
		{
			Effect:    "Deny",
			Principal: map[string][]string{"AWS": {"*"}},
			Actions:   []string{"s3:*"},
		},
	}}

	var got map[string]any
	require.NoError(t, json.Unmarshal([]byte(d.JSON()), &got))

	assert.Equal(t, "2012-10-17", got["Version"])
	statements := got["Statement"].([]any)
	require.Len(t, statements, 2)

	first := statements[0].(map[string]any)
	assert.Equal(t, "Allow", first["Effect"], "Allow is the default effect")
	assert.Equal(t, []any{"s3:GetObject"}, first["Action"])
	assert.NotContains(t, first, "Principal", "empty fields are left out")

	second := statements[1].(map[string]any)
	assert.Equal(t, "Deny", second["Effect"])
	assert.NotContains(t, second, "Resource")
}

func TestDocumentJSONKeepsHTMLCharacters(t *testing.T) {
	d := Document{Statements: []Statement{{Actions: []string{"a"}, Resources: []string{"x<y>&z"}}}}
	assert.Contains(t, d.JSON(), "x<y>&z")
}

func TestWildcardActions(t *testing.T) {
	d := Document{Statements: []Statement{
		{Actions: []string{"ec2:DescribeInstances", "ec2:Describe*"}},
		{Actions: []string{"*"}},
	}}
	assert.Equal(t, []string{"ec2:Describe*", "*"}, d.WildcardActions())
}
