package karpenter

import (
	"fmt"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/ec2tag"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/eksaccessentry"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrole"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrolepolicyattachment"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/honeyhive/platform/constructs/iampolicy"
)

// discoveryTagKey is the key of the tag, with the cluster name as its value,
// by which the node class selects subnets and security groups.
const discoveryTagKey = "karpenter.sh/discovery"

// nodeManagedPolicies are the AWS managed policies of the node role, with the
// suffix of their attachment's construct ID. AmazonEC2ContainerRegistryPullOnly
// is what the Karpenter v1.6 CloudFormation reference attaches: it allows
// pulling images but, unlike AmazonEC2ContainerRegistryReadOnly, not listing
// or describing repositories.
var nodeManagedPolicies = []struct {
	id     string
	policy string
}{
	{"worker_node_policy", "AmazonEKSWorkerNodePolicy"},
	{"cni_policy", "AmazonEKS_CNI_Policy"},
	{"ecr_pull_policy", "AmazonEC2ContainerRegistryPullOnly"},
	{"ssm_policy", "AmazonSSMManagedInstanceCore"},
}

// nodeIdentity is the IAM role and cluster access of the nodes Karpenter
// launches.
type nodeIdentity struct {
	role iamrole.IamRole

	// joinResources must exist before a node can join the cluster: the
	// role's policies, its access entry and the security group tag.
	joinResources []cdktf.ITerraformDependable
}

// newNodeIdentity creates the node role, its access entry and the discovery
// tag on the cluster security group.
//
// The trust policy has no aws:SourceAccount condition: EC2 does not document
// that key for instance profile sessions, and a condition it never sets would
// stop every node from joining. Only principals allowed iam:PassRole on this
// role (the controller) can hand it to an instance.
func newNodeIdentity(scope constructs.Construct, c Config) nodeIdentity {
	name := c.Name + nodeRoleSuffix
	trust := iampolicy.Document{Statements: []iampolicy.Statement{{
		Sid:       "EC2AssumeRole",
		Principal: map[string][]string{"Service": {"ec2." + c.dnsSuffix()}},
		Actions:   []string{"sts:AssumeRole"},
	}}}
	role := iamrole.NewIamRole(scope, jsii.String("node_role"), &iamrole.IamRoleConfig{
		Name:             jsii.String(name),
		Description:      jsii.String("Role of the nodes Karpenter launches in cluster " + c.ClusterName),
		AssumeRolePolicy: jsii.String(trust.JSON()),
		Tags:             &map[string]*string{"Name": jsii.String(name)},
	})

	var join []cdktf.ITerraformDependable
	for _, m := range nodeManagedPolicies {
		attachment := iamrolepolicyattachment.NewIamRolePolicyAttachment(scope, jsii.String("node_role_"+m.id), &iamrolepolicyattachment.IamRolePolicyAttachmentConfig{
			Role:      role.Name(),
			PolicyArn: jsii.String(fmt.Sprintf("arn:%s:iam::aws:policy/%s", c.Partition, m.policy)),
		})
		join = append(join, attachment)
	}

	// Nodes outside managed node groups get no access entry from EKS, so
	// without this one the kubelet cannot authenticate. EC2_LINUX puts the
	// node in system:nodes, and EKS rejects extra groups for this type.
	accessEntry := eksaccessentry.NewEksAccessEntry(scope, jsii.String("node_access_entry"), &eksaccessentry.EksAccessEntryConfig{
		ClusterName:  c.Cluster,
		PrincipalArn: role.Arn(),
		Type:         jsii.String("EC2_LINUX"),
		Tags:         &map[string]*string{"Name": jsii.String(name)},
	})
	join = append(join, accessEntry)

	// The cluster security group admits the control plane and every other
	// node. EKS creates it without the discovery tag the node class selects.
	sgTag := ec2tag.NewEc2Tag(scope, jsii.String("cluster_security_group_discovery_tag"), &ec2tag.Ec2TagConfig{
		ResourceId: c.ClusterSecurityGroupID,
		Key:        jsii.String(discoveryTagKey),
		Value:      jsii.String(c.ClusterName),
	})
	join = append(join, sgTag)

	return nodeIdentity{role: role, joinResources: join}
}
