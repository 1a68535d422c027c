package review

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func mustParsePolicy(t *testing.T, text string) ([]statement, map[string][]string) {
	t.Helper()
	statements, doc, ok := parsePolicy(text)
	require.True(t, ok, "not a policy document: %s", text)
	return statements, doc
}

func TestDiffPoliciesInsertedUnnamedStatement(t *testing.T) {
	before, beforeDoc := mustParsePolicy(t, `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::a/*"},
		{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::a"}]}`)
	after, afterDoc := mustParsePolicy(t, `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:us-west-2:111111111111:q"},
		{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::a/*"},
		{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::a"}]}`)

	diff := diffPolicies(before, after, beforeDoc, afterDoc)

	require.NotNil(t, diff)
	require.Len(t, diff.Statements, 1, "the two unchanged statements are matched by content")
	assert.Equal(t, "statement 1 (no Sid)", diff.Statements[0].Key)
	assert.Equal(t, Create, diff.Statements[0].Action)
}

func TestDiffPoliciesSingleStatementObject(t *testing.T) {
	before, beforeDoc := mustParsePolicy(t, `{"Version":"2012-10-17","Statement":{"Sid":"A","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}`)
	after, afterDoc := mustParsePolicy(t, `{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Action":["s3:GetObject"],"Resource":["*"]}]}`)

	assert.Nil(t, diffPolicies(before, after, beforeDoc, afterDoc), "a single statement object equals a list of one")
}

func TestDiffPoliciesPrincipalChange(t *testing.T) {
	before, beforeDoc := mustParsePolicy(t, `{"Statement":[{"Sid":"Admin","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111111111111:root"]},"Action":"kms:*","Resource":"*"}]}`)
	after, afterDoc := mustParsePolicy(t, `{"Statement":[{"Sid":"Admin","Effect":"Allow","Principal":{"AWS":"*"},"Action":"kms:*","Resource":"*"}]}`)

	diff := diffPolicies(before, after, beforeDoc, afterDoc)

	principal := fieldAt(t, statementAt(t, diff, "Admin"), "Principal")
	assert.Equal(t, []string{"AWS:*"}, principal.Added)
	assert.Equal(t, []string{"AWS:arn:aws:iam::111111111111:root"}, principal.Removed)
}

func TestDiffPoliciesDuplicateSid(t *testing.T) {
	before, beforeDoc := mustParsePolicy(t, `{"Statement":[{"Sid":"A","Effect":"Allow","Action":"s3:GetObject","Resource":"*"},{"Sid":"A","Effect":"Allow","Action":"s3:PutObject","Resource":"*"}]}`)
	after, afterDoc := mustParsePolicy(t, `{"Statement":[{"Sid":"A","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`)

	diff := diffPolicies(before, after, beforeDoc, afterDoc)

	require.NotNil(t, diff)
	require.Len(t, diff.Statements, 1)
	assert.Equal(t, "A (2)", diff.Statements[0].Key)
	assert.Equal(t, Delete, diff.Statements[0].Action)
}

func TestParsePolicyRejectsTokens(t *testing.T) {
	for _, value := range []any{
		"${data.aws_iam_policy_document.bucket.json}",
		`{"rules":[]}`,
		42,
	} {
		_, _, ok := parsePolicy(value)
		assert.False(t, ok, "%v", value)
	}
}

func TestEquivalentPolicyText(t *testing.T) {
	before := map[string]any{"policy": `{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Action":["b","a"],"Resource":"*"}]}`}
	after := map[string]any{"policy": `{"Statement":[{"Resource":"*","Action":["a","b"],"Effect":"Allow","Sid":"A"}],"Version":"2012-10-17"}`}

	change, changed := resourceChange(Update,
		resource{address: "aws_iam_role_policy.p", typ: "aws_iam_role_policy", block: before},
		resource{address: "aws_iam_role_policy.p", typ: "aws_iam_role_policy", block: after})

	require.True(t, changed, "the JSON text differs")
	policy := attributeAt(t, change, "policy").Policy
	require.NotNil(t, policy)
	assert.Empty(t, policy.Statements)
	assert.Empty(t, policy.Document)
}
