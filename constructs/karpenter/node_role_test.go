package karpenter

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/honeyhive/platform/internal/synthtest"
)

func TestNodeRole(t *testing.T) {
	doc := synthDefault(t)

	role := doc.Resource(t, "aws_iam_role", "karpenter_node_role")
	assert.Equal(t, "prod-usw2-karpenter-node", role["name"])

	trust := synthtest.JSON(t, role["assume_role_policy"])
	statements := trust["Statement"].([]any)
	require.Len(t, statements, 1)
	statement := statements[0].(map[string]any)
	assert.Equal(t, map[string]any{"Service": []any{"ec2.amazonaws.com"}}, statement["Principal"])
	assert.Equal(t, []any{"sts:AssumeRole"}, statement["Action"])

	var attached []string
	for _, a := range doc.Resources("aws_iam_role_policy_attachment") {
		if a["role"] == "${aws_iam_role.karpenter_node_role.name}" {
			attached = append(attached, a["policy_arn"].(string))
		}
	}
	assert.ElementsMatch(t, []string{
		"arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
		"arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
		"arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly",
		"arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
	}, attached)
}

func TestNodeAccessEntry(t *testing.T) {
	doc := synthDefault(t)

	entry := doc.Resource(t, "aws_eks_access_entry", "karpenter_node_access_entry")
	assert.Equal(t, "EC2_LINUX", entry["type"])
	assert.Equal(t, "prod-usw2", entry["cluster_name"])
	assert.Equal(t, nodeRoleARNToken, entry["principal_arn"])
	assert.NotContains(t, entry, "kubernetes_groups", "EKS rejects groups on EC2_LINUX entries")
}

func TestClusterSecurityGroupDiscoveryTag(t *testing.T) {
	doc := synthDefault(t)

	tag := doc.Resource(t, "aws_ec2_tag", "karpenter_cluster_security_group_discovery_tag")
	assert.Equal(t, testSecurityGroupID, tag["resource_id"])
	assert.Equal(t, "karpenter.sh/discovery", tag["key"])
	assert.Equal(t, "prod-usw2", tag["value"])
}
