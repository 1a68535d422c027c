package addons

import (
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/honeyhive/platform/internal/synthtest"
)

func TestLoadBalancerController(t *testing.T) {
	stack := synthtest.Stack(t)
	zone := testZone(stack)
	cluster := testCluster()
	cluster.DependsOn = []cdktf.ITerraformDependable{zone}
	addon := NewLoadBalancerController(stack, "lbc", LoadBalancerControllerConfig{Cluster: cluster})
	doc := synthtest.Synth(t, stack)

	release := doc.Resource(t, "helm_release", "lbc_release")
	assertRelease(t, release, "aws-load-balancer-controller", "kube-system", "https://aws.github.io/eks-charts", "aws-load-balancer-controller", "1.14.1")
	assert.Contains(t, stringList(t, release["depends_on"]), "aws_route53_zone.zone", "the release waits for the cluster's dependencies")

	values := synthtest.HelmValues(t, release)
	assert.Equal(t, "prod-usw2", values["clusterName"])
	assert.Equal(t, "us-west-2", values["region"])
	assert.Equal(t, testVPCID, values["vpcId"])
	assert.Equal(t, float64(2), values["replicaCount"])
	assert.Equal(t, true, synthtest.ValueAt(values, "serviceAccount.create"))
	assert.Equal(t, "aws-load-balancer-controller", synthtest.ValueAt(values, "serviceAccount.name"))
	assert.Equal(t, float64(1), synthtest.ValueAt(values, "podDisruptionBudget.maxUnavailable"))
	assert.Equal(t, false, values["enableShield"])
	assert.Equal(t, false, values["enableWaf"])
	assert.Equal(t, true, values["enableWafv2"])
	assertTolerates(t, values["tolerations"], "controller")

	assertAssociation(t, doc, "lbc", "kube-system", "aws-load-balancer-controller")
	assert.Equal(t, "kube-system", addon.Namespace)
	assert.Equal(t, "aws-load-balancer-controller", addon.ServiceAccount)
	require.NotNil(t, addon.RoleARN)

	role := doc.Resource(t, "aws_iam_role", "lbc_pod_identity_role")
	assert.Equal(t, "prod-usw2-aws-load-balancer-controller", role["name"])
}

func TestLoadBalancerControllerPolicyIsScoped(t *testing.T) {
	stack := synthtest.Stack(t)
	NewLoadBalancerController(stack, "lbc", LoadBalancerControllerConfig{Cluster: testCluster()})
	doc := synthtest.Synth(t, stack)
	statements := policyStatements(t, doc, "lbc_pod_identity_policy")

	// IAM limits the inline policies of a role to 10,240 characters in
	// total.
	policy := doc.Resource(t, "aws_iam_role_policy", "lbc_pod_identity_policy")["policy"].(string)
	assert.Less(t, len(policy), 10240)

	// The EC2 and Elastic Load Balancing describe calls and the two
	// certificate list calls support no resource-level permissions.
	assertLeastPrivilege(t, statements, []string{
		"ec2:DescribeAccountAttributes", "ec2:DescribeAddresses", "ec2:DescribeAvailabilityZones",
		"ec2:DescribeInternetGateways", "ec2:DescribeVpcs", "ec2:DescribeVpcPeeringConnections",
		"ec2:DescribeSubnets", "ec2:DescribeSecurityGroups", "ec2:DescribeInstances",
		"ec2:DescribeNetworkInterfaces", "ec2:DescribeTags", "ec2:GetCoipPoolUsage",
		"ec2:DescribeCoipPools", "ec2:GetSecurityGroupsForVpc", "ec2:DescribeIpamPools",
		"ec2:DescribeRouteTables",
		"elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeLoadBalancerAttributes",
		"elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeListenerCertificates",
		"elasticloadbalancing:DescribeSSLPolicies", "elasticloadbalancing:DescribeRules",
		"elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetGroupAttributes",
		"elasticloadbalancing:DescribeTargetHealth", "elasticloadbalancing:DescribeTags",
		"elasticloadbalancing:DescribeTrustStores", "elasticloadbalancing:DescribeListenerAttributes",
		"elasticloadbalancing:DescribeCapacityReservation",
		"acm:ListCertificates", "iam:ListServerCertificates",
	})

	for sid, statement := range statements {
		for _, resource := range stringList(t, statement["Resource"]) {
			if resource == "*" {
				continue
			}
			switch {
			case hasAnyPrefix(resource, []string{"arn:aws:elasticloadbalancing:", "arn:aws:ec2:", "arn:aws:acm:", "arn:aws:cognito-idp:", "arn:aws:wafv2:"}):
				assert.Truef(t, hasAnyPrefix(resource[len("arn:aws:"):], []string{
					"elasticloadbalancing:us-west-2:100000000004:", "ec2:us-west-2:100000000004:",
					"acm:us-west-2:100000000004:", "cognito-idp:us-west-2:100000000004:", "wafv2:us-west-2:100000000004:",
				}), "statement %s resource %q is not limited to the cluster's region and account", sid, resource)
			case hasAnyPrefix(resource, []string{"arn:aws:iam:"}):
				assert.Truef(t, hasAnyPrefix(resource, []string{"arn:aws:iam::100000000004:"}), "statement %s resource %q is not limited to the account", sid, resource)
			default:
				t.Errorf("statement %s has an unexpected resource %q", sid, resource)
			}
		}
	}
}

func TestLoadBalancerControllerPolicyConditions(t *testing.T) {
	stack := synthtest.Stack(t)
	NewLoadBalancerController(stack, "lbc", LoadBalancerControllerConfig{Cluster: testCluster()})
	statements := policyStatements(t, synthtest.Synth(t, stack), "lbc_pod_identity_policy")

	createdForCluster := map[string]any{"aws:RequestTag/elbv2.k8s.aws/cluster": []any{"prod-usw2"}}
	ownedByCluster := map[string]any{"aws:ResourceTag/elbv2.k8s.aws/cluster": []any{"prod-usw2"}}

	t.Run("service-linked role", func(t *testing.T) {
		s := statements["CreateELBServiceLinkedRole"]
		require.NotNil(t, s)
		assert.Equal(t, map[string]any{"StringEquals": map[string]any{"iam:AWSServiceName": []any{"elasticloadbalancing.amazonaws.com"}}}, s["Condition"])
		assert.Equal(t, []string{"arn:aws:iam::100000000004:role/aws-service-role/*"}, stringList(t, s["Resource"]))
	})
	t.Run("creates need the cluster tag", func(t *testing.T) {
		s := statements["CreateLoadBalancersAndTargetGroups"]
		require.NotNil(t, s)
		assert.Equal(t, map[string]any{"StringEquals": createdForCluster}, s["Condition"])
	})
	t.Run("modifies need the cluster's resources", func(t *testing.T) {
		for _, sid := range []string{"ModifyOwnedLoadBalancersAndTargetGroups", "ManageOwnedSecurityGroups"} {
			s := statements[sid]
			require.NotNil(t, s, sid)
			assert.Equal(t, map[string]any{"StringEquals": ownedByCluster}, s["Condition"], sid)
		}
	})
	t.Run("tag changes keep the cluster tag", func(t *testing.T) {
		for _, sid := range []string{"TagOwnedLoadBalancersAndTargetGroups", "TagOwnedSecurityGroups"} {
			s := statements[sid]
			require.NotNil(t, s, sid)
			assert.Equal(t, map[string]any{
				"Null":         map[string]any{"aws:RequestTag/elbv2.k8s.aws/cluster": []any{"true"}},
				"StringEquals": ownedByCluster,
			}, s["Condition"], sid)
		}
	})
	t.Run("tags on create", func(t *testing.T) {
		elb := statements["TagLoadBalancersAndTargetGroupsOnCreate"]
		require.NotNil(t, elb)
		assert.Equal(t, map[string]any{"StringEquals": map[string]any{
			"elasticloadbalancing:CreateAction":    []any{"CreateTargetGroup", "CreateLoadBalancer"},
			"aws:RequestTag/elbv2.k8s.aws/cluster": []any{"prod-usw2"},
		}}, elb["Condition"])

		ec2 := statements["TagSecurityGroupsOnCreate"]
		require.NotNil(t, ec2)
		assert.Equal(t, map[string]any{"StringEquals": map[string]any{
			"ec2:CreateAction":                     []any{"CreateSecurityGroup"},
			"aws:RequestTag/elbv2.k8s.aws/cluster": []any{"prod-usw2"},
		}}, ec2["Condition"])
	})
	t.Run("security groups only in the cluster VPC", func(t *testing.T) {
		s := statements["CreateSecurityGroupsInClusterVPC"]
		require.NotNil(t, s)
		assert.ElementsMatch(t, []string{
			"arn:aws:ec2:us-west-2:100000000004:security-group/*",
			"arn:aws:ec2:us-west-2:100000000004:vpc/" + testVPCID,
		}, stringList(t, s["Resource"]))
	})
}

// TestLoadBalancerControllerPolicyKeepsUpstreamActions compares the policy
// with the actions of the upstream v2.14.1 iam_policy.json, less the WAF
// Classic and Shield actions whose integrations the values switch off.
func TestLoadBalancerControllerPolicyKeepsUpstreamActions(t *testing.T) {
	stack := synthtest.Stack(t)
	NewLoadBalancerController(stack, "lbc", LoadBalancerControllerConfig{Cluster: testCluster()})
	statements := policyStatements(t, synthtest.Synth(t, stack), "lbc_pod_identity_policy")

	granted := map[string]bool{}
	for _, s := range statements {
		for _, action := range stringList(t, s["Action"]) {
			granted[action] = true
		}
	}
	upstream := []string{
		"iam:CreateServiceLinkedRole",
		"ec2:DescribeAccountAttributes", "ec2:DescribeAddresses", "ec2:DescribeAvailabilityZones",
		"ec2:DescribeInternetGateways", "ec2:DescribeVpcs", "ec2:DescribeVpcPeeringConnections",
		"ec2:DescribeSubnets", "ec2:DescribeSecurityGroups", "ec2:DescribeInstances",
		"ec2:DescribeNetworkInterfaces", "ec2:DescribeTags", "ec2:GetCoipPoolUsage", "ec2:DescribeCoipPools",
		"ec2:GetSecurityGroupsForVpc", "ec2:DescribeIpamPools", "ec2:DescribeRouteTables",
		"elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeLoadBalancerAttributes",
		"elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeListenerCertificates",
		"elasticloadbalancing:DescribeSSLPolicies", "elasticloadbalancing:DescribeRules",
		"elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetGroupAttributes",
		"elasticloadbalancing:DescribeTargetHealth", "elasticloadbalancing:DescribeTags",
		"elasticloadbalancing:DescribeTrustStores", "elasticloadbalancing:DescribeListenerAttributes",
		"elasticloadbalancing:DescribeCapacityReservation",
		"cognito-idp:DescribeUserPoolClient", "acm:ListCertificates", "acm:DescribeCertificate",
		"iam:ListServerCertificates", "iam:GetServerCertificate",
		"wafv2:GetWebACL", "wafv2:GetWebACLForResource", "wafv2:AssociateWebACL", "wafv2:DisassociateWebACL",
		"ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress", "ec2:CreateSecurityGroup",
		"ec2:CreateTags", "ec2:DeleteTags", "ec2:DeleteSecurityGroup",
		"elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup",
		"elasticloadbalancing:CreateListener", "elasticloadbalancing:DeleteListener",
		"elasticloadbalancing:CreateRule", "elasticloadbalancing:DeleteRule",
		"elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags",
		"elasticloadbalancing:ModifyLoadBalancerAttributes", "elasticloadbalancing:SetIpAddressType",
		"elasticloadbalancing:SetSecurityGroups", "elasticloadbalancing:SetSubnets",
		"elasticloadbalancing:DeleteLoadBalancer", "elasticloadbalancing:ModifyTargetGroup",
		"elasticloadbalancing:ModifyTargetGroupAttributes", "elasticloadbalancing:DeleteTargetGroup",
		"elasticloadbalancing:ModifyListenerAttributes", "elasticloadbalancing:ModifyCapacityReservation",
		"elasticloadbalancing:ModifyIpPools",
		"elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets",
		"elasticloadbalancing:SetWebAcl", "elasticloadbalancing:ModifyListener",
		"elasticloadbalancing:AddListenerCertificates", "elasticloadbalancing:RemoveListenerCertificates",
		"elasticloadbalancing:ModifyRule", "elasticloadbalancing:SetRulePriorities",
	}
	for _, action := range upstream {
		assert.Truef(t, granted[action], "upstream action %s is missing", action)
	}
	for action := range granted {
		assert.Containsf(t, upstream, action, "action %s is not in the upstream policy", action)
	}
	for _, dropped := range []string{"waf-regional:AssociateWebACL", "shield:CreateProtection"} {
		assert.Falsef(t, granted[dropped], "%s belongs to an integration the values switch off", dropped)
	}
}

func TestLoadBalancerControllerValidate(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(*LoadBalancerControllerConfig)
		want   string
	}{
		{"missing VPC", func(c *LoadBalancerControllerConfig) { c.Cluster.VPCID = nil }, "Cluster.VPCID is missing"},
		{"literal that is no VPC ID", func(c *LoadBalancerControllerConfig) { c.Cluster.VPCID = jsii.String("subnet-0123456789abcdef0") }, `"subnet-0123456789abcdef0" is not a VPC ID`},
		{"version range", func(c *LoadBalancerControllerConfig) { c.ChartVersion = "^1.14" }, `ChartVersion: "^1.14" is not an exact chart version`},
		{"latest", func(c *LoadBalancerControllerConfig) { c.ChartVersion = "latest" }, `"latest" is not an exact chart version`},
		{"missing cluster ARN", func(c *LoadBalancerControllerConfig) { c.Cluster.ARN = nil }, "LoadBalancerControllerConfig.Cluster.ARN is missing"},
		{"missing cluster name token", func(c *LoadBalancerControllerConfig) { c.Cluster.NameToken = nil }, "Cluster.NameToken is missing"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := LoadBalancerControllerConfig{Cluster: testCluster()}
			c.mutate(&cfg)
			assert.ErrorContains(t, cfg.withDefaults().Validate(), c.want)
		})
	}
	assert.NoError(t, LoadBalancerControllerConfig{Cluster: testCluster()}.withDefaults().Validate())
}
