package stacks

import (
	"encoding/json"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/honeyhive/platform/internal/tfstack"
)

func TestClusterProvidersUseShortLivedTokens(t *testing.T) {
	app := cdktf.Testing_App(nil)
	stack := tfstack.New(app, "hosting")
	NewClusterProviders(stack, ClusterConnection{
		Name:                     "prod-usw2",
		Region:                   "us-west-2",
		Endpoint:                 jsii.String("https://example.eks.amazonaws.com"),
		CertificateAuthorityData: jsii.String("Y2E="),
		RoleARN:                  "arn:aws:iam::100000000004:role/platform-deploy",
	})

	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(*cdktf.Testing_Synth(stack, jsii.Bool(false))), &doc))

	wantArgs := []any{"eks", "get-token", "--cluster-name", "prod-usw2", "--region", "us-west-2", "--role-arn", "arn:aws:iam::100000000004:role/platform-deploy"}

	k8s := dig(t, doc, "provider")["kubernetes"].([]any)[0].(map[string]any)
	assert.Equal(t, "https://example.eks.amazonaws.com", k8s["host"])
	assert.Equal(t, `${base64decode("Y2E=")}`, k8s["cluster_ca_certificate"])
	exec := k8s["exec"].([]any)[0].(map[string]any)
	assert.Equal(t, "aws", exec["command"])
	assert.Equal(t, wantArgs, exec["args"])
	assert.NotContains(t, k8s, "token", "no static token")

	helmCluster := dig(t, doc, "provider")["helm"].([]any)[0].(map[string]any)["kubernetes"].(map[string]any)
	assert.Equal(t, "https://example.eks.amazonaws.com", helmCluster["host"])
	assert.Equal(t, wantArgs, helmCluster["exec"].(map[string]any)["args"])

	required := dig(t, doc, "terraform", "required_providers")
	assert.Equal(t, "hashicorp/helm", required["helm"].(map[string]any)["source"])
	assert.Equal(t, "hashicorp/kubernetes", required["kubernetes"].(map[string]any)["source"])
}
