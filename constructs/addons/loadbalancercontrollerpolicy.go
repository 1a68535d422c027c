package addons

import "github.com/honeyhive/platform/constructs/iampolicy"

// clusterTagKey is the tag the load balancer controller puts on every load
// balancer, target group and security group it creates. Its value is the
// cluster name.
const clusterTagKey = "elbv2.k8s.aws/cluster"

// loadBalancerControllerPolicy returns the controller's IAM policy. It
// follows docs/install/iam_policy.json of controller v2.14.1 statement by
// statement, with these changes:
//
//   - ARNs use the cluster's partition, region and account instead of "*".
//     Statements that the upstream policy grants on "*" without a condition
//     are narrowed to the matching resource ARNs of this account and region.
//   - The cluster-tag conditions compare the tag with this cluster's name
//     instead of only requiring the tag, so that one cluster's controller
//     cannot change another cluster's load balancers in the same account.
//   - ec2:CreateSecurityGroup is limited to the cluster VPC.
//   - The WAF Classic (waf-regional) and Shield actions are left out,
//     because the chart values switch those integrations off.
//
// EC2 and Elastic Load Balancing describe calls, acm:ListCertificates and
// iam:ListServerCertificates support no resource-level permissions, so they
// stay on "*".
func loadBalancerControllerPolicy(c ClusterInfo) iampolicy.Document {
	elb := func(resource string) string { return c.arn("elasticloadbalancing", c.Region, c.AccountID, resource) }
	ec2 := func(resource string) string { return c.arn("ec2", c.Region, c.AccountID, resource) }

	allELBResources := []string{elb("*")}
	loadBalancersAndTargetGroups := []string{elb("targetgroup/*/*"), elb("loadbalancer/net/*/*"), elb("loadbalancer/app/*/*")}
	securityGroups := []string{ec2("security-group/*")}
	securityGroupsAndRules := []string{ec2("security-group/*"), ec2("security-group-rule/*")}

	createdForCluster := map[string][]string{"aws:RequestTag/" + clusterTagKey: {c.Name}}
	ownedByCluster := map[string][]string{"aws:ResourceTag/" + clusterTagKey: {c.Name}}
	leavesClusterTag := map[string][]string{"aws:RequestTag/" + clusterTagKey: {"true"}}

	return iampolicy.Document{Statements: []iampolicy.Statement{
		{
			Sid:       "CreateELBServiceLinkedRole",
			Actions:   []string{"iam:CreateServiceLinkedRole"},
			Resources: []string{c.arn("iam", "", c.AccountID, "role/aws-service-role/*")},
			Conditions: map[string]map[string][]string{
				"StringEquals": {"iam:AWSServiceName": {"elasticloadbalancing.amazonaws.com"}},
			},
		},
		{
			Sid: "DescribeNetworkAndLoadBalancers",
			Actions: []string{
				"ec2:DescribeAccountAttributes",
				"ec2:DescribeAddresses",
				"ec2:DescribeAvailabilityZones",
				"ec2:DescribeInternetGateways",
				"ec2:DescribeVpcs",
				"ec2:DescribeVpcPeeringConnections",
				"ec2:DescribeSubnets",
				"ec2:DescribeSecurityGroups",
				"ec2:DescribeInstances",
				"ec2:DescribeNetworkInterfaces",
				"ec2:DescribeTags",
				"ec2:GetCoipPoolUsage",
				"ec2:DescribeCoipPools",
				"ec2:GetSecurityGroupsForVpc",
				"ec2:DescribeIpamPools",
				"ec2:DescribeRouteTables",
				"elasticloadbalancing:DescribeLoadBalancers",
				"elasticloadbalancing:DescribeLoadBalancerAttributes",
				"elasticloadbalancing:DescribeListeners",
				"elasticloadbalancing:DescribeListenerCertificates",
				"elasticloadbalancing:DescribeSSLPolicies",
				"elasticloadbalancing:DescribeRules",
				"elasticloadbalancing:DescribeTargetGroups",
				"elasticloadbalancing:DescribeTargetGroupAttributes",
				"elasticloadbalancing:DescribeTargetHealth",
				"elasticloadbalancing:DescribeTags",
				"elasticloadbalancing:DescribeTrustStores",
				"elasticloadbalancing:DescribeListenerAttributes",
				"elasticloadbalancing:DescribeCapacityReservation",
			},
			Resources: []string{"*"},
		},
		{
			Sid:       "ListCertificates",
			Actions:   []string{"acm:ListCertificates", "iam:ListServerCertificates"},
			Resources: []string{"*"},
		},
		{
			Sid:     "ReadCertificatesAndUserPools",
			Actions: []string{"acm:DescribeCertificate", "iam:GetServerCertificate", "cognito-idp:DescribeUserPoolClient"},
			Resources: []string{
				c.arn("acm", c.Region, c.AccountID, "certificate/*"),
				c.arn("iam", "", c.AccountID, "server-certificate/*"),
				c.arn("cognito-idp", c.Region, c.AccountID, "userpool/*"),
			},
		},
		{
			Sid:       "AssociateWAFv2WebACLs",
			Actions:   []string{"wafv2:GetWebACL", "wafv2:GetWebACLForResource", "wafv2:AssociateWebACL", "wafv2:DisassociateWebACL"},
			Resources: []string{c.arn("wafv2", c.Region, c.AccountID, "regional/webacl/*/*"), elb("loadbalancer/app/*/*")},
		},
		{
			// Rules on security groups the controller does not own, such as
			// the node security group, let load balancer traffic reach the
			// targets.
			Sid:       "AuthorizeIngressToTargets",
			Actions:   []string{"ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"},
			Resources: securityGroupsAndRules,
		},
		{
			Sid:       "CreateSecurityGroupsInClusterVPC",
			Actions:   []string{"ec2:CreateSecurityGroup"},
			Resources: []string{ec2("security-group/*"), ec2("vpc/" + *c.VPCID)},
		},
		{
			Sid:       "TagSecurityGroupsOnCreate",
			Actions:   []string{"ec2:CreateTags"},
			Resources: securityGroups,
			Conditions: map[string]map[string][]string{
				"StringEquals": merge(map[string][]string{"ec2:CreateAction": {"CreateSecurityGroup"}}, createdForCluster),
			},
		},
		{
			Sid:       "TagOwnedSecurityGroups",
			Actions:   []string{"ec2:CreateTags", "ec2:DeleteTags"},
			Resources: securityGroups,
			Conditions: map[string]map[string][]string{
				"Null":         leavesClusterTag,
				"StringEquals": ownedByCluster,
			},
		},
		{
			Sid:        "ManageOwnedSecurityGroups",
			Actions:    []string{"ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress", "ec2:DeleteSecurityGroup"},
			Resources:  securityGroupsAndRules,
			Conditions: map[string]map[string][]string{"StringEquals": ownedByCluster},
		},
		{
			Sid:        "CreateLoadBalancersAndTargetGroups",
			Actions:    []string{"elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"},
			Resources:  loadBalancersAndTargetGroups,
			Conditions: map[string]map[string][]string{"StringEquals": createdForCluster},
		},
		{
			Sid: "ManageListenersAndRules",
			Actions: []string{
				"elasticloadbalancing:CreateListener",
				"elasticloadbalancing:DeleteListener",
				"elasticloadbalancing:CreateRule",
				"elasticloadbalancing:DeleteRule",
			},
			Resources: allELBResources,
		},
		{
			Sid:       "TagOwnedLoadBalancersAndTargetGroups",
			Actions:   []string{"elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"},
			Resources: loadBalancersAndTargetGroups,
			Conditions: map[string]map[string][]string{
				"Null":         leavesClusterTag,
				"StringEquals": ownedByCluster,
			},
		},
		{
			Sid:     "TagListenersAndRules",
			Actions: []string{"elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"},
			Resources: []string{
				elb("listener/net/*/*/*"),
				elb("listener/app/*/*/*"),
				elb("listener-rule/net/*/*/*"),
				elb("listener-rule/app/*/*/*"),
			},
		},
		{
			Sid: "ModifyOwnedLoadBalancersAndTargetGroups",
			Actions: []string{
				"elasticloadbalancing:ModifyLoadBalancerAttributes",
				"elasticloadbalancing:SetIpAddressType",
				"elasticloadbalancing:SetSecurityGroups",
				"elasticloadbalancing:SetSubnets",
				"elasticloadbalancing:DeleteLoadBalancer",
				"elasticloadbalancing:ModifyTargetGroup",
				"elasticloadbalancing:ModifyTargetGroupAttributes",
				"elasticloadbalancing:DeleteTargetGroup",
				"elasticloadbalancing:ModifyListenerAttributes",
				"elasticloadbalancing:ModifyCapacityReservation",
				"elasticloadbalancing:ModifyIpPools",
			},
			Resources:  allELBResources,
			Conditions: map[string]map[string][]string{"StringEquals": ownedByCluster},
		},
		{
			Sid:       "TagLoadBalancersAndTargetGroupsOnCreate",
			Actions:   []string{"elasticloadbalancing:AddTags"},
			Resources: loadBalancersAndTargetGroups,
			Conditions: map[string]map[string][]string{
				"StringEquals": merge(
					map[string][]string{"elasticloadbalancing:CreateAction": {"CreateTargetGroup", "CreateLoadBalancer"}},
					createdForCluster,
				),
			},
		},
		{
			Sid:       "RegisterTargets",
			Actions:   []string{"elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"},
			Resources: []string{elb("targetgroup/*/*")},
		},
		{
			Sid: "ModifyListenersAndRules",
			Actions: []string{
				"elasticloadbalancing:SetWebAcl",
				"elasticloadbalancing:ModifyListener",
				"elasticloadbalancing:AddListenerCertificates",
				"elasticloadbalancing:RemoveListenerCertificates",
				"elasticloadbalancing:ModifyRule",
				"elasticloadbalancing:SetRulePriorities",
			},
			Resources: allELBResources,
		},
	}}
}

// merge returns the union of condition-key maps whose keys do not overlap.
func merge(maps ...map[string][]string) map[string][]string {
	merged := map[string][]string{}
	for _, m := range maps {
		for k, v := range m {
			merged[k] = v
		}
	}
	return merged
}
