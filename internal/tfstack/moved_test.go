package tfstack

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucket"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// synthStack builds a stack with two buckets, the first under id, calls
// change on it, and returns the synthesized JSON.
func synthStack(t *testing.T, id string, change func(s3bucket.S3Bucket)) map[string]any {
	t.Helper()
	dir := t.TempDir()
	app := cdktf.NewApp(&cdktf.AppConfig{Outdir: jsii.String(dir), StackTraces: jsii.Bool(false)})
	stack := New(app, "rename")
	provider.NewAwsProvider(stack, jsii.String("aws"), &provider.AwsProviderConfig{Region: jsii.String("us-west-2")})

	logs := s3bucket.NewS3Bucket(stack, jsii.String(id), &s3bucket.S3BucketConfig{Bucket: jsii.String("honeyhive-logs")})
	s3bucket.NewS3Bucket(stack, jsii.String("exports"), &s3bucket.S3BucketConfig{Bucket: jsii.String("honeyhive-exports")})
	if change != nil {
		change(logs)
	}
	app.Synth()

	data, err := os.ReadFile(filepath.Join(dir, "stacks", "rename", "cdk.tf.json"))
	require.NoError(t, err)
	var doc map[string]any
	require.NoError(t, json.Unmarshal(data, &doc))
	return doc
}

func addresses(doc map[string]any) []string {
	var out []string
	resources, _ := doc["resource"].(map[string]any)
	for typ, byName := range resources {
		for name := range byName.(map[string]any) {
			out = append(out, typ+"."+name)
		}
	}
	slices.Sort(out)
	return out
}

// TestRenameWithMoveKeepsTheResource renames a construct as the README
// describes: the new ID plus MoveFromId with the old address, which writes
// a moved block, so Terraform moves the state instead of destroying the
// bucket and creating another.
func TestRenameWithMoveKeepsTheResource(t *testing.T) {
	before := synthStack(t, "logs_bucket", nil)
	after := synthStack(t, "audit_logs_bucket", func(b s3bucket.S3Bucket) {
		b.MoveFromId(jsii.String("aws_s3_bucket.logs_bucket"))
	})

	assert.Equal(t, []string{"aws_s3_bucket.exports", "aws_s3_bucket.logs_bucket"}, addresses(before))
	assert.Equal(t, []string{"aws_s3_bucket.audit_logs_bucket", "aws_s3_bucket.exports"}, addresses(after),
		"only the renamed address changes")

	moved, ok := after["moved"].([]any)
	require.True(t, ok, "the stack has a moved block")
	assert.Equal(t, []any{map[string]any{
		"from": "aws_s3_bucket.logs_bucket",
		"to":   "aws_s3_bucket.audit_logs_bucket",
	}}, moved)
	assert.NotContains(t, before, "moved")
}
