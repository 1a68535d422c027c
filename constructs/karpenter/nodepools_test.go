package karpenter

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/honeyhive/platform/internal/synthtest"
)

// nodeManifests holds the decoded manifests of the node pools release.
type nodeManifests struct {
	nodeClass ec2NodeClass
	pools     map[string]nodePool
}

// decodeNodeManifests decodes the node pools release's values: one
// EC2NodeClass followed by the NodePools.
func decodeNodeManifests(t *testing.T, doc synthtest.Document) nodeManifests {
	t.Helper()
	r := doc.Resource(t, "helm_release", "karpenter_node_pools_release")
	var values struct {
		Manifests []json.RawMessage `json:"manifests"`
	}
	releaseValues(t, r, &values)
	require.Len(t, values.Manifests, 3)

	out := nodeManifests{pools: map[string]nodePool{}}
	decodeStrict(t, values.Manifests[0], &out.nodeClass)
	require.Equal(t, "EC2NodeClass", out.nodeClass.Kind)
	for _, raw := range values.Manifests[1:] {
		var pool nodePool
		decodeStrict(t, raw, &pool)
		require.Equal(t, "NodePool", pool.Kind)
		out.pools[pool.Metadata.Name] = pool
	}
	return out
}

// decodeStrict decodes JSON into out and fails on fields out does not have.
func decodeStrict(t *testing.T, data []byte, out any) {
	t.Helper()
	decoder := json.NewDecoder(bytes.NewReader(data))
	decoder.DisallowUnknownFields()
	require.NoError(t, decoder.Decode(out))
}

func TestNodeClass(t *testing.T) {
	doc := synthDefault(t)
	class := decodeNodeManifests(t, doc).nodeClass

	assert.Equal(t, "karpenter.k8s.aws/v1", class.APIVersion)
	assert.Equal(t, "default", class.Metadata.Name)
	assert.Equal(t, "${aws_iam_role.karpenter_node_role.name}", class.Spec.Role)

	require.Len(t, class.Spec.AMISelectorTerms, 1)
	alias := class.Spec.AMISelectorTerms[0].Alias
	assert.Regexp(t, `^al2023@v[0-9]{8}$`, alias, "the AMI is pinned, never @latest")

	discovery := []tagSelectorTerm{{Tags: map[string]string{"karpenter.sh/discovery": "prod-usw2"}}}
	assert.Equal(t, discovery, class.Spec.SubnetSelectorTerms)
	assert.Equal(t, discovery, class.Spec.SecurityGroupSelectorTerms)
	assert.False(t, class.Spec.AssociatePublicIPAddress)

	assert.Equal(t, "required", class.Spec.MetadataOptions.HTTPTokens, "IMDSv2 only")
	assert.Equal(t, 1, class.Spec.MetadataOptions.HTTPPutResponseHopLimit, "pods cannot reach IMDS")

	require.Len(t, class.Spec.BlockDeviceMappings, 1)
	root := class.Spec.BlockDeviceMappings[0]
	assert.Equal(t, "/dev/xvda", root.DeviceName)
	assert.True(t, root.RootVolume)
	assert.Equal(t, "gp3", root.EBS.VolumeType)
	assert.True(t, root.EBS.Encrypted)
	assert.Equal(t, testVolumeKeyARN, root.EBS.KMSKeyID)
	assert.Equal(t, "50Gi", root.EBS.VolumeSize)
}

func TestNodePools(t *testing.T) {
	doc := synthDefault(t)
	pools := decodeNodeManifests(t, doc).pools
	require.Len(t, pools, 2)

	for _, capacityType := range []string{"on-demand", "spot"} {
		t.Run(capacityType, func(t *testing.T) {
			pool, ok := pools[capacityType]
			require.True(t, ok)
			assert.Equal(t, "karpenter.sh/v1", pool.APIVersion)

			spec := pool.Spec.Template.Spec
			assert.Equal(t, nodeClassRef{Group: "karpenter.k8s.aws", Kind: "EC2NodeClass", Name: "default"}, spec.NodeClassRef)
			assert.Contains(t, spec.Requirements, requirement{Key: "karpenter.sh/capacity-type", Operator: "In", Values: []string{capacityType}})
			assert.Contains(t, spec.Requirements, requirement{Key: "kubernetes.io/arch", Operator: "In", Values: []string{"arm64"}})
			assert.Contains(t, spec.Requirements, requirement{Key: "karpenter.k8s.aws/instance-family", Operator: "In", Values: []string{"m7g", "c7g", "r7g"}})
			assert.NotEmpty(t, spec.ExpireAfter)
			assert.NotEmpty(t, spec.TerminationGracePeriod)
			for _, r := range spec.Requirements {
				assert.NotEqual(t, "topology.kubernetes.io/zone", r.Key, "no zone restriction unless AvailabilityZones is set")
			}

			assert.Equal(t, resourceList{CPU: "1024", Memory: "4096Gi"}, pool.Spec.Limits)
			assert.Equal(t, "WhenEmptyOrUnderutilized", pool.Spec.Disruption.ConsolidationPolicy)
			assert.NotEmpty(t, pool.Spec.Disruption.ConsolidateAfter)
			assert.NotEmpty(t, pool.Spec.Disruption.Budgets)
		})
	}
	assert.Greater(t, pools["on-demand"].Spec.Weight, pools["spot"].Spec.Weight, "on-demand is preferred")
}

func TestNodePoolsRestrictedZones(t *testing.T) {
	stack, helm := testStack(t)
	cfg := validConfig(helm)
	cfg.AvailabilityZones = []string{"us-west-2a", "us-west-2b", "us-west-2c"}
	cfg.InstanceFamilies = []string{"m8g"}
	New(stack, "karpenter", cfg)
	pools := decodeNodeManifests(t, synthtest.Synth(t, stack)).pools

	for name, pool := range pools {
		requirements := pool.Spec.Template.Spec.Requirements
		assert.Contains(t, requirements, requirement{Key: "topology.kubernetes.io/zone", Operator: "In", Values: cfg.AvailabilityZones}, name)
		assert.Contains(t, requirements, requirement{Key: "karpenter.k8s.aws/instance-family", Operator: "In", Values: []string{"m8g"}}, name)
	}
}

func TestNodePoolsReleaseOrder(t *testing.T) {
	doc := synthDefault(t)

	r := doc.Resource(t, "helm_release", "karpenter_node_pools_release")
	assert.Equal(t, "kube-system", r["namespace"])
	deps := stringList(t, r["depends_on"])
	assert.Contains(t, deps, "helm_release.karpenter_controller_release")
	assert.Contains(t, deps, "aws_eks_access_entry.karpenter_node_access_entry")
	assert.Contains(t, deps, "aws_ec2_tag.karpenter_cluster_security_group_discovery_tag")
	assert.Contains(t, deps, "aws_iam_role_policy_attachment.karpenter_node_role_worker_node_policy")
}
