package karpenter

import (
	"testing"

	"github.com/aws/jsii-runtime-go"
	helmprovider "github.com/cdktf/cdktf-provider-helm-go/helm/v10/provider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/honeyhive/platform/internal/synthtest"
)

// Literal stand-ins for the cluster and key tokens, so assertions can name
// them.
const (
	testClusterARN      = "arn:aws:eks:us-west-2:100000000004:cluster/prod-usw2"
	testClusterEndpoint = "https://0123456789ABCDEF.gr7.us-west-2.eks.amazonaws.com"
	testSecurityGroupID = "sg-0123456789abcdef0"
	testVolumeKeyARN    = "arn:aws:kms:us-west-2:100000000004:key/11111111-2222-3333-4444-555555555555"
)

// testStack returns a synthtest stack with a Helm provider.
func testStack(t *testing.T) (cdktf.TerraformStack, cdktf.TerraformProvider) {
	t.Helper()
	stack := synthtest.Stack(t)
	helm := helmprovider.NewHelmProvider(stack, jsii.String("helm"), &helmprovider.HelmProviderConfig{})
	return stack, helm
}

// validConfig returns a complete configuration for prod in us-west-2.
func validConfig(helm cdktf.TerraformProvider) Config {
	return Config{
		ClusterName:            "prod-usw2",
		Cluster:                jsii.String("prod-usw2"),
		ClusterARN:             jsii.String(testClusterARN),
		ClusterEndpoint:        jsii.String(testClusterEndpoint),
		ClusterSecurityGroupID: jsii.String(testSecurityGroupID),
		AccountID:              "100000000004",
		Region:                 "us-west-2",
		Name:                   "prod-usw2",
		VolumeKMSKeyARN:        jsii.String(testVolumeKeyARN),
		CPULimit:               1024,
		MemoryLimitGiB:         4096,
		HelmProvider:           helm,
	}
}

// synthDefault builds Karpenter from validConfig in a fresh stack and
// synthesizes it.
func synthDefault(t *testing.T) synthtest.Document {
	t.Helper()
	stack, helm := testStack(t)
	New(stack, "karpenter", validConfig(helm))
	return synthtest.Synth(t, stack)
}
