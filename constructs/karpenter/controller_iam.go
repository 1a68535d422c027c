package karpenter

import (
	"fmt"

	"github.com/honeyhive/platform/constructs/iampolicy"
)

// conditions is the type of iampolicy.Statement.Conditions: operator, then
// condition key, then values.
type conditions = map[string]map[string][]string

// controllerPolicy returns the controller's inline policy. It follows the
// statements of the Karpenter v1.6 CloudFormation reference, with two
// changes that narrow it. Resources the controller creates or launches into
// (instances, volumes, subnets, security groups and so on) must be in this
// account, where the reference allows any account. ssm:GetParameter is
// limited to the AL2023 AMI parameters instead of every public parameter.
// The KMS statements are not in the reference: they let EC2 encrypt node
// volumes with the customer-managed key on the controller's behalf.
//
// queueARN and nodeRoleARN are usually tokens of the queue and the node role.
func controllerPolicy(c Config, queueARN, nodeRoleARN string) iampolicy.Document {
	p, region, account := c.Partition, c.Region, c.AccountID
	clusterTag := "kubernetes.io/cluster/" + c.ClusterName

	regional := func(resource string) string {
		return fmt.Sprintf("arn:%s:ec2:%s:%s:%s", p, region, account, resource)
	}
	// Karpenter creates and tags these while it launches a node.
	launched := []string{
		regional("fleet/*"),
		regional("instance/*"),
		regional("volume/*"),
		regional("network-interface/*"),
		regional("launch-template/*"),
		regional("spot-instances-request/*"),
	}
	instanceProfiles := fmt.Sprintf("arn:%s:iam::%s:instance-profile/*", p, account)

	// ownedByCluster admits only resources that Karpenter of this cluster
	// tagged when it created them.
	ownedByCluster := conditions{
		"StringEquals": {"aws:ResourceTag/" + clusterTag: {"owned"}},
		"StringLike":   {"aws:ResourceTag/karpenter.sh/nodepool": {"*"}},
	}
	// requestTagsOwnedByCluster requires the tags that ownedByCluster later
	// checks on every resource Karpenter creates.
	requestTagsOwnedByCluster := func(extra map[string][]string) conditions {
		equals := map[string][]string{
			"aws:RequestTag/" + clusterTag:        {"owned"},
			"aws:RequestTag/eks:eks-cluster-name": {c.ClusterName},
		}
		for k, v := range extra {
			equals[k] = v
		}
		return conditions{
			"StringEquals": equals,
			"StringLike":   {"aws:RequestTag/karpenter.sh/nodepool": {"*"}},
		}
	}

	statements := []iampolicy.Statement{
		{
			Sid:     "AllowScopedEC2InstanceAccessActions",
			Actions: []string{"ec2:RunInstances", "ec2:CreateFleet"},
			Resources: []string{
				// Public AMIs and their snapshots belong to no account.
				fmt.Sprintf("arn:%s:ec2:%s::image/*", p, region),
				fmt.Sprintf("arn:%s:ec2:%s::snapshot/*", p, region),
				regional("security-group/*"),
				regional("subnet/*"),
				regional("capacity-reservation/*"),
			},
		},
		{
			Sid:        "AllowScopedEC2LaunchTemplateAccessActions",
			Actions:    []string{"ec2:RunInstances", "ec2:CreateFleet"},
			Resources:  []string{regional("launch-template/*")},
			Conditions: ownedByCluster,
		},
		{
			Sid:        "AllowScopedEC2InstanceActionsWithTags",
			Actions:    []string{"ec2:RunInstances", "ec2:CreateFleet", "ec2:CreateLaunchTemplate"},
			Resources:  launched,
			Conditions: requestTagsOwnedByCluster(nil),
		},
		{
			Sid:       "AllowScopedResourceCreationTagging",
			Actions:   []string{"ec2:CreateTags"},
			Resources: launched,
			Conditions: requestTagsOwnedByCluster(map[string][]string{
				"ec2:CreateAction": {"RunInstances", "CreateFleet", "CreateLaunchTemplate"},
			}),
		},
		{
			// After launch, Karpenter may only add the node claim and name
			// tags to its own instances.
			Sid:       "AllowScopedResourceTagging",
			Actions:   []string{"ec2:CreateTags"},
			Resources: []string{regional("instance/*")},
			Conditions: conditions{
				"StringEquals":              ownedByCluster["StringEquals"],
				"StringLike":                ownedByCluster["StringLike"],
				"StringEqualsIfExists":      {"aws:RequestTag/eks:eks-cluster-name": {c.ClusterName}},
				"ForAllValues:StringEquals": {"aws:TagKeys": {"eks:eks-cluster-name", "karpenter.sh/nodeclaim", "Name"}},
			},
		},
		{
			Sid:        "AllowScopedDeletion",
			Actions:    []string{"ec2:TerminateInstances", "ec2:DeleteLaunchTemplate"},
			Resources:  []string{regional("instance/*"), regional("launch-template/*")},
			Conditions: ownedByCluster,
		},
		{
			// EC2 Describe actions do not support resource-level
			// permissions, so the region condition is the only scope.
			Sid: "AllowRegionalReadActions",
			Actions: []string{
				"ec2:DescribeCapacityReservations",
				"ec2:DescribeImages",
				"ec2:DescribeInstances",
				"ec2:DescribeInstanceTypeOfferings",
				"ec2:DescribeInstanceTypes",
				"ec2:DescribeLaunchTemplates",
				"ec2:DescribeSecurityGroups",
				"ec2:DescribeSpotPriceHistory",
				"ec2:DescribeSubnets",
			},
			Resources:  []string{"*"},
			Conditions: conditions{"StringEquals": {"aws:RequestedRegion": {region}}},
		},
		{
			// Karpenter resolves the AMI alias through the public parameter
			// /aws/service/eks/optimized-ami/<k8s>/amazon-linux-2023/<arch>/
			// <variant>/<release>/image_id.
			Sid:       "AllowSSMReadActions",
			Actions:   []string{"ssm:GetParameter"},
			Resources: []string{fmt.Sprintf("arn:%s:ssm:%s::parameter/aws/service/eks/optimized-ami/*/amazon-linux-2023/*", p, region)},
		},
		{
			// The Price List API has no resource-level permissions, and its
			// endpoints live in a few regions only, so no region condition.
			Sid:       "AllowPricingReadActions",
			Actions:   []string{"pricing:GetProducts"},
			Resources: []string{"*"},
		},
		{
			Sid:       "AllowInterruptionQueueActions",
			Actions:   []string{"sqs:DeleteMessage", "sqs:GetQueueUrl", "sqs:ReceiveMessage"},
			Resources: []string{queueARN},
		},
		{
			// Karpenter adds the node role to the instance profiles it
			// creates, which passes the role to EC2.
			Sid:        "AllowPassingInstanceRole",
			Actions:    []string{"iam:PassRole"},
			Resources:  []string{nodeRoleARN},
			Conditions: conditions{"StringEquals": {"iam:PassedToService": {"ec2." + c.dnsSuffix()}}},
		},
		{
			// Karpenter v1 creates one instance profile per EC2NodeClass and
			// tags it. The tags scope every later instance profile action.
			Sid:       "AllowScopedInstanceProfileCreationActions",
			Actions:   []string{"iam:CreateInstanceProfile"},
			Resources: []string{instanceProfiles},
			Conditions: conditions{
				"StringEquals": {
					"aws:RequestTag/" + clusterTag:                 {"owned"},
					"aws:RequestTag/eks:eks-cluster-name":          {c.ClusterName},
					"aws:RequestTag/topology.kubernetes.io/region": {region},
				},
				"StringLike": {"aws:RequestTag/karpenter.k8s.aws/ec2nodeclass": {"*"}},
			},
		},
		{
			Sid:       "AllowScopedInstanceProfileTagActions",
			Actions:   []string{"iam:TagInstanceProfile"},
			Resources: []string{instanceProfiles},
			Conditions: conditions{
				"StringEquals": {
					"aws:ResourceTag/" + clusterTag:                 {"owned"},
					"aws:ResourceTag/topology.kubernetes.io/region": {region},
					"aws:RequestTag/" + clusterTag:                  {"owned"},
					"aws:RequestTag/eks:eks-cluster-name":           {c.ClusterName},
					"aws:RequestTag/topology.kubernetes.io/region":  {region},
				},
				"StringLike": {
					"aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": {"*"},
					"aws:RequestTag/karpenter.k8s.aws/ec2nodeclass":  {"*"},
				},
			},
		},
		{
			Sid:       "AllowScopedInstanceProfileActions",
			Actions:   []string{"iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile", "iam:DeleteInstanceProfile"},
			Resources: []string{instanceProfiles},
			Conditions: conditions{
				"StringEquals": {
					"aws:ResourceTag/" + clusterTag:                 {"owned"},
					"aws:ResourceTag/topology.kubernetes.io/region": {region},
				},
				"StringLike": {"aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": {"*"}},
			},
		},
		{
			Sid:       "AllowInstanceProfileReadActions",
			Actions:   []string{"iam:GetInstanceProfile"},
			Resources: []string{instanceProfiles},
		},
		{
			Sid:       "AllowAPIServerEndpointDiscovery",
			Actions:   []string{"eks:DescribeCluster"},
			Resources: []string{*c.ClusterARN},
		},
	}
	statements = append(statements, volumeKeyStatements(c)...)
	return iampolicy.Document{Statements: statements}
}

// volumeKeyStatements let EC2 use the volume key for the nodes the
// controller launches: EC2 generates the volume's data key and creates a
// grant that lets the instance's host decrypt it, with the caller's
// permissions. Both work only through EC2 in this region.
func volumeKeyStatements(c Config) []iampolicy.Statement {
	viaEC2 := map[string][]string{"kms:ViaService": {fmt.Sprintf("ec2.%s.%s", c.Region, c.dnsSuffix())}}
	return []iampolicy.Statement{
		{
			Sid:        "AllowVolumeKeyUse",
			Actions:    []string{"kms:GenerateDataKeyWithoutPlaintext", "kms:Decrypt", "kms:DescribeKey"},
			Resources:  []string{*c.VolumeKMSKeyARN},
			Conditions: conditions{"StringEquals": viaEC2},
		},
		{
			Sid:       "AllowVolumeKeyGrants",
			Actions:   []string{"kms:CreateGrant"},
			Resources: []string{*c.VolumeKMSKeyARN},
			Conditions: conditions{
				"StringEquals": viaEC2,
				"Bool":         {"kms:GrantIsForAWSResource": {"true"}},
			},
		},
	}
}
