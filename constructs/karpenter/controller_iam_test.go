package karpenter

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/honeyhive/platform/internal/synthtest"
)

// policyStatements decodes a policy attribute into its statements by Sid.
func policyStatements(t *testing.T, policy any) map[string]map[string]any {
	t.Helper()
	doc := synthtest.JSON(t, policy)
	bySid := map[string]map[string]any{}
	for _, s := range doc["Statement"].([]any) {
		statement := s.(map[string]any)
		sid, _ := statement["Sid"].(string)
		require.NotContains(t, bySid, sid, "duplicate Sid")
		bySid[sid] = statement
	}
	return bySid
}

// stringList returns a JSON list of strings as a Go slice.
func stringList(t *testing.T, value any) []string {
	t.Helper()
	list, ok := value.([]any)
	require.Truef(t, ok, "expected a list, got %T", value)
	out := make([]string, len(list))
	for i, v := range list {
		out[i] = v.(string)
	}
	return out
}

// condition returns the values of key under operator in a statement.
func condition(t *testing.T, statement map[string]any, operator, key string) []string {
	t.Helper()
	conditions, ok := statement["Condition"].(map[string]any)
	require.Truef(t, ok, "statement %v has no conditions", statement["Sid"])
	byKey, ok := conditions[operator].(map[string]any)
	require.Truef(t, ok, "statement %v has no %s condition", statement["Sid"], operator)
	return stringList(t, byKey[key])
}

func controllerStatements(t *testing.T) map[string]map[string]any {
	t.Helper()
	doc := synthDefault(t)
	policy := doc.Resource(t, "aws_iam_role_policy", "karpenter_controller_policy")
	assert.Equal(t, "${aws_iam_role.karpenter_controller_role.name}", policy["role"])
	// IAM limits the inline policies of a role to 10,240 characters in
	// total; the margin covers the tokens' longer resolved ARNs.
	assert.Less(t, len(policy["policy"].(string)), 9000)
	return policyStatements(t, policy["policy"])
}

const (
	queueARNToken    = "${aws_sqs_queue.karpenter_interruption_queue.arn}"
	nodeRoleARNToken = "${aws_iam_role.karpenter_node_role.arn}"
	clusterOwnedTag  = "kubernetes.io/cluster/prod-usw2"
)

func TestControllerPolicyStatements(t *testing.T) {
	statements := controllerStatements(t)

	want := []string{
		"AllowScopedEC2InstanceAccessActions",
		"AllowScopedEC2LaunchTemplateAccessActions",
		"AllowScopedEC2InstanceActionsWithTags",
		"AllowScopedResourceCreationTagging",
		"AllowScopedResourceTagging",
		"AllowScopedDeletion",
		"AllowRegionalReadActions",
		"AllowSSMReadActions",
		"AllowPricingReadActions",
		"AllowInterruptionQueueActions",
		"AllowPassingInstanceRole",
		"AllowScopedInstanceProfileCreationActions",
		"AllowScopedInstanceProfileTagActions",
		"AllowScopedInstanceProfileActions",
		"AllowInstanceProfileReadActions",
		"AllowAPIServerEndpointDiscovery",
		"AllowVolumeKeyUse",
		"AllowVolumeKeyGrants",
	}
	var got []string
	for sid, s := range statements {
		got = append(got, sid)
		assert.Equal(t, "Allow", s["Effect"], sid)
	}
	assert.ElementsMatch(t, want, got)
}

func TestControllerPolicyScoping(t *testing.T) {
	statements := controllerStatements(t)

	t.Run("interruption queue", func(t *testing.T) {
		s := statements["AllowInterruptionQueueActions"]
		assert.Equal(t, []string{queueARNToken}, stringList(t, s["Resource"]))
		assert.ElementsMatch(t, []string{"sqs:DeleteMessage", "sqs:GetQueueUrl", "sqs:ReceiveMessage"}, stringList(t, s["Action"]))
	})

	t.Run("pass role", func(t *testing.T) {
		s := statements["AllowPassingInstanceRole"]
		assert.Equal(t, []string{"iam:PassRole"}, stringList(t, s["Action"]))
		assert.Equal(t, []string{nodeRoleARNToken}, stringList(t, s["Resource"]))
		assert.Equal(t, []string{"ec2.amazonaws.com"}, condition(t, s, "StringEquals", "iam:PassedToService"))
	})

	t.Run("launch requires cluster tags", func(t *testing.T) {
		for _, sid := range []string{"AllowScopedEC2InstanceActionsWithTags", "AllowScopedResourceCreationTagging"} {
			s := statements[sid]
			assert.Equal(t, []string{"owned"}, condition(t, s, "StringEquals", "aws:RequestTag/"+clusterOwnedTag), sid)
			assert.Equal(t, []string{"prod-usw2"}, condition(t, s, "StringEquals", "aws:RequestTag/eks:eks-cluster-name"), sid)
			assert.Equal(t, []string{"*"}, condition(t, s, "StringLike", "aws:RequestTag/karpenter.sh/nodepool"), sid)
		}
		assert.ElementsMatch(t, []string{"RunInstances", "CreateFleet", "CreateLaunchTemplate"},
			condition(t, statements["AllowScopedResourceCreationTagging"], "StringEquals", "ec2:CreateAction"))
	})

	t.Run("changes require owned resources", func(t *testing.T) {
		for _, sid := range []string{"AllowScopedEC2LaunchTemplateAccessActions", "AllowScopedResourceTagging", "AllowScopedDeletion"} {
			s := statements[sid]
			assert.Equal(t, []string{"owned"}, condition(t, s, "StringEquals", "aws:ResourceTag/"+clusterOwnedTag), sid)
			assert.Equal(t, []string{"*"}, condition(t, s, "StringLike", "aws:ResourceTag/karpenter.sh/nodepool"), sid)
		}
		tagging := statements["AllowScopedResourceTagging"]
		assert.ElementsMatch(t, []string{"eks:eks-cluster-name", "karpenter.sh/nodeclaim", "Name"},
			condition(t, tagging, "ForAllValues:StringEquals", "aws:TagKeys"))
		assert.Equal(t, []string{"prod-usw2"}, condition(t, tagging, "StringEqualsIfExists", "aws:RequestTag/eks:eks-cluster-name"))
	})

	t.Run("instance profiles", func(t *testing.T) {
		for _, sid := range []string{"AllowScopedInstanceProfileCreationActions", "AllowScopedInstanceProfileTagActions"} {
			s := statements[sid]
			assert.Equal(t, []string{"arn:aws:iam::100000000004:instance-profile/*"}, stringList(t, s["Resource"]), sid)
			assert.Equal(t, []string{"owned"}, condition(t, s, "StringEquals", "aws:RequestTag/"+clusterOwnedTag), sid)
			assert.Equal(t, []string{"prod-usw2"}, condition(t, s, "StringEquals", "aws:RequestTag/eks:eks-cluster-name"), sid)
			assert.Equal(t, []string{"us-west-2"}, condition(t, s, "StringEquals", "aws:RequestTag/topology.kubernetes.io/region"), sid)
			assert.Equal(t, []string{"*"}, condition(t, s, "StringLike", "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass"), sid)
		}
		for _, sid := range []string{"AllowScopedInstanceProfileTagActions", "AllowScopedInstanceProfileActions"} {
			s := statements[sid]
			assert.Equal(t, []string{"owned"}, condition(t, s, "StringEquals", "aws:ResourceTag/"+clusterOwnedTag), sid)
			assert.Equal(t, []string{"us-west-2"}, condition(t, s, "StringEquals", "aws:ResourceTag/topology.kubernetes.io/region"), sid)
			assert.Equal(t, []string{"*"}, condition(t, s, "StringLike", "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass"), sid)
		}
		assert.ElementsMatch(t, []string{"iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile", "iam:DeleteInstanceProfile"},
			stringList(t, statements["AllowScopedInstanceProfileActions"]["Action"]))
	})

	t.Run("regional reads", func(t *testing.T) {
		s := statements["AllowRegionalReadActions"]
		assert.Equal(t, []string{"us-west-2"}, condition(t, s, "StringEquals", "aws:RequestedRegion"))
		for _, action := range stringList(t, s["Action"]) {
			assert.True(t, strings.HasPrefix(action, "ec2:Describe"), action)
		}
	})

	t.Run("AL2023 parameters only", func(t *testing.T) {
		s := statements["AllowSSMReadActions"]
		assert.Equal(t, []string{"ssm:GetParameter"}, stringList(t, s["Action"]))
		assert.Equal(t, []string{"arn:aws:ssm:us-west-2::parameter/aws/service/eks/optimized-ami/*/amazon-linux-2023/*"}, stringList(t, s["Resource"]))
	})

	t.Run("cluster endpoint", func(t *testing.T) {
		s := statements["AllowAPIServerEndpointDiscovery"]
		assert.Equal(t, []string{"eks:DescribeCluster"}, stringList(t, s["Action"]))
		assert.Equal(t, []string{testClusterARN}, stringList(t, s["Resource"]))
	})

	t.Run("volume key through EC2", func(t *testing.T) {
		use := statements["AllowVolumeKeyUse"]
		assert.ElementsMatch(t, []string{"kms:GenerateDataKeyWithoutPlaintext", "kms:Decrypt", "kms:DescribeKey"}, stringList(t, use["Action"]))
		grants := statements["AllowVolumeKeyGrants"]
		assert.Equal(t, []string{"kms:CreateGrant"}, stringList(t, grants["Action"]))
		assert.Equal(t, []string{"true"}, condition(t, grants, "Bool", "kms:GrantIsForAWSResource"))
		for _, s := range []map[string]any{use, grants} {
			assert.Equal(t, []string{testVolumeKeyARN}, stringList(t, s["Resource"]), s["Sid"])
			assert.Equal(t, []string{"ec2.us-west-2.amazonaws.com"}, condition(t, s, "StringEquals", "kms:ViaService"), s["Sid"])
		}
	})
}

// unscopedActions are the controller's actions that have no resource-level
// permissions in IAM, so "*" is their only possible resource.
func unscopedAction(action string) bool {
	return strings.HasPrefix(action, "ec2:Describe") || action == "pricing:GetProducts"
}

func TestControllerPolicyLeastPrivilege(t *testing.T) {
	statements := controllerStatements(t)

	for sid, s := range statements {
		actions := stringList(t, s["Action"])
		resources := stringList(t, s["Resource"])
		for _, action := range actions {
			assert.NotContains(t, action, "*", "%s: wildcard action", sid)
		}
		for _, resource := range resources {
			if resource == "*" {
				for _, action := range actions {
					assert.Truef(t, unscopedAction(action), "%s: %s supports resource-level permissions but has resource *", sid, action)
				}
				continue
			}
			if !strings.HasPrefix(resource, "arn:") {
				continue // a token of a resource in this stack
			}
			parts := strings.SplitN(resource, ":", 6)
			require.Len(t, parts, 6, resource)
			assert.Equal(t, "aws", parts[1], "%s: partition of %s", sid, resource)
			assert.Contains(t, []string{"", "us-west-2"}, parts[3], "%s: region of %s", sid, resource)
			assert.Contains(t, []string{"", "100000000004"}, parts[4], "%s: account of %s", sid, resource)
		}
	}
}

func TestControllerRolePodIdentity(t *testing.T) {
	doc := synthDefault(t)

	role := doc.Resource(t, "aws_iam_role", "karpenter_controller_role")
	assert.Equal(t, "prod-usw2-karpenter-controller", role["name"])

	association := doc.Resource(t, "aws_eks_pod_identity_association", "karpenter_controller_association")
	assert.Equal(t, "kube-system", association["namespace"])
	assert.Equal(t, "karpenter", association["service_account"])
	assert.Equal(t, "prod-usw2", association["cluster_name"])
	assert.Equal(t, "${aws_iam_role.karpenter_controller_role.arn}", association["role_arn"])
}
