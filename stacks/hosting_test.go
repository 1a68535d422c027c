package stacks

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHostingClusterEndpointIsPrivate(t *testing.T) {
	s := synthAll(t)

	for _, name := range []string{"test-usw2-hosting", "stage-usw2-hosting", "prod-euw1-hosting"} {
		t.Run(name, func(t *testing.T) {
			cluster := resources(s.docs[name], "aws_eks_cluster")["eks_cluster"]
			require.NotNil(t, cluster)
			vpc := cluster["vpc_config"].(map[string]any)

			assert.Equal(t, true, vpc["endpoint_private_access"])
			assert.Equal(t, false, vpc["endpoint_public_access"])
			for _, subnet := range vpc["subnet_ids"].([]any) {
				assert.Contains(t, subnet, "intra_subnet", "control-plane ENIs go to the intra subnets")
			}
		})
	}
}

func TestHostingReadsItsOwnSubstrate(t *testing.T) {
	s := synthAll(t)

	remote := dig(t, s.docs["prod-euw1-hosting"], "data", "terraform_remote_state")
	require.Len(t, remote, 1)
	for name, v := range remote {
		assert.Contains(t, name, "prod-euw1-substrate")
		config := v.(map[string]any)["config"].(map[string]any)
		assert.Equal(t, "prod/eu-west-1/substrate/terraform.tfstate", config["key"])
		assert.Equal(t, "honeyhive-tfstate-100000000001-eu-west-1", config["bucket"])
	}
}

func TestHostingTwingateReachesTheAPI(t *testing.T) {
	s := synthAll(t)

	rules := resources(s.docs["prod-usw2-hosting"], "aws_vpc_security_group_ingress_rule")
	require.Len(t, rules, 1)
	for _, rule := range rules {
		assert.Equal(t, float64(443), rule["from_port"])
		assert.Contains(t, rule["referenced_security_group_id"], "twingate_security_group", "only the Twingate connectors reach the private endpoint")
	}
}

func TestHostingArgoCDHighAvailabilityInProdOnly(t *testing.T) {
	s := synthAll(t)

	values := func(stack string) string {
		release := resources(s.docs[stack], "helm_release")["argocd_release"]
		require.NotNil(t, release)
		return release["values"].([]any)[0].(string)
	}
	assert.Contains(t, values("prod-usw2-hosting"), "redis-ha:\n  enabled: true")
	assert.Contains(t, values("stage-usw2-hosting"), "redis-ha:\n  enabled: false")
}

func TestHostingKarpenterLimitsFollowEnvironment(t *testing.T) {
	s := synthAll(t)

	pools := func(stack string) string {
		release := resources(s.docs[stack], "helm_release")["karpenter_node_pools_release"]
		require.NotNil(t, release)
		return release["values"].([]any)[0].(string)
	}
	assert.Contains(t, pools("test-usw2-hosting"), `cpu: "64"`)
	assert.Contains(t, pools("prod-usw2-hosting"), `cpu: "1024"`)
}

func TestHostingProvidersUseTheClusterToken(t *testing.T) {
	s := synthAll(t)
	doc := s.docs["stage-use1-hosting"]

	k8s := dig(t, doc, "provider")["kubernetes"].([]any)[0].(map[string]any)
	assert.Equal(t, "${aws_eks_cluster.eks_cluster.endpoint}", k8s["host"])
	assert.Equal(t, "${data.aws_eks_cluster_auth.cluster_auth.token}", k8s["token"])

	auth := dig(t, doc, "data", "aws_eks_cluster_auth", "cluster_auth")
	dependsOn := auth["depends_on"].([]any)
	assert.NotEmpty(t, dependsOn, "the token waits for the access entries")
	for _, d := range dependsOn {
		assert.True(t, strings.HasPrefix(d.(string), "aws_eks_access_"), "unexpected dependency %v", d)
	}
}

func TestHostingNodePoolsChartAsset(t *testing.T) {
	s := synthAll(t)

	release := resources(s.docs["test-usw2-hosting"], "helm_release")["karpenter_node_pools_release"]
	chart := release["chart"].(string)
	assert.FileExists(t, filepath.Join(synthDir, "stacks", "test-usw2-hosting", chart, "Chart.yaml"))

	_, err := os.Stat(filepath.Join(synthDir, "stacks", "test-usw2-hosting", chart, "templates", "manifests.yaml"))
	assert.NoError(t, err)
}

func TestManifestOrdersHostingAfterSubstrate(t *testing.T) {
	synthAll(t)

	data, err := os.ReadFile(filepath.Join(synthDir, "manifest.json"))
	require.NoError(t, err)
	var manifest struct {
		Stacks map[string]struct {
			Dependencies []string `json:"dependencies"`
		} `json:"stacks"`
	}
	require.NoError(t, json.Unmarshal(data, &manifest))

	assert.Equal(t, []string{"prod-euw1-substrate"}, manifest.Stacks["prod-euw1-hosting"].Dependencies,
		"cdktf deploy must apply the substrate first")
}
