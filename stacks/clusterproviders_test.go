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
	app := cdktf.Testing_App(&cdktf.TestingAppConfig{Outdir: jsii.String(t.TempDir())})
	stack := tfstack.New(app, "hosting")
	NewClusterProviders(stack, ClusterConnection{
		Name:                     jsii.String("prod-usw2"),
		Endpoint:                 jsii.String("https://example.eks.amazonaws.com"),
		CertificateAuthorityData: jsii.String("Y2E="),
	})

	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(*cdktf.Testing_Synth(stack, jsii.Bool(false))), &doc))

	auth := dig(t, doc, "data", "aws_eks_cluster_auth", "cluster_auth")
	assert.Equal(t, "prod-usw2", auth["name"])

	k8s := dig(t, doc, "provider")["kubernetes"].([]any)[0].(map[string]any)
	assert.Equal(t, "https://example.eks.amazonaws.com", k8s["host"])
	assert.Equal(t, `${base64decode("Y2E=")}`, k8s["cluster_ca_certificate"])
	assert.Equal(t, "${data.aws_eks_cluster_auth.cluster_auth.token}", k8s["token"])
	assert.NotContains(t, k8s, "config_path", "no kubeconfig file")

	helmCluster := dig(t, doc, "provider")["helm"].([]any)[0].(map[string]any)["kubernetes"].(map[string]any)
	assert.Equal(t, "https://example.eks.amazonaws.com", helmCluster["host"])
	assert.Equal(t, "${data.aws_eks_cluster_auth.cluster_auth.token}", helmCluster["token"])
	assert.NotContains(t, helmCluster, "config_path", "no kubeconfig file")

	required := dig(t, doc, "terraform", "required_providers")
	assert.Equal(t, "hashicorp/helm", required["helm"].(map[string]any)["source"])
	assert.Equal(t, "hashicorp/kubernetes", required["kubernetes"].(map[string]any)["source"])
}
