package eks

import (
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/honeyhive/platform/internal/synthtest"
)

const (
	testAccount      = "111122223333"
	testSecretsKey   = "arn:aws:kms:us-west-2:111122223333:key/secrets"
	testLogsKey      = "arn:aws:kms:us-west-2:111122223333:key/logs"
	testDataKey      = "arn:aws:kms:us-west-2:111122223333:key/data"
	testDeployRole   = "arn:aws:iam::111122223333:role/deploy"
	testAdminRole    = "arn:aws:iam::111122223333:role/admin"
	testAuditorRole  = "arn:aws:iam::111122223333:role/sso/platform-admin"
	testOperatorRole = "arn:aws:iam::111122223333:role/honeyhive-operator"
	testPlanRole     = "arn:aws:iam::111122223333:role/platform-plan"
)

func validClusterConfig() ClusterConfig {
	return ClusterConfig{
		Name:                  "prod-usw2",
		Version:               "1.33",
		AccountID:             testAccount,
		Region:                "us-west-2",
		ControlPlaneSubnetIDs: []*string{jsii.String("subnet-intra-a"), jsii.String("subnet-intra-b")},
		SecretsKMSKeyARN:      jsii.String(testSecretsKey),
		LogsKMSKeyARN:         jsii.String(testLogsKey),
		LogRetentionDays:      365,
		DeployRoleARN:         testDeployRole,
		AdminRoleARNs:         []string{testAdminRole},
	}
}

func TestCluster(t *testing.T) {
	stack := synthtest.Stack(t)

	private := validClusterConfig()
	private.AdminRoleARNs = []string{testAdminRole, testAuditorRole}
	private.ViewerRoleARNs = []string{testOperatorRole}
	private.AdminViewerRoleARNs = []string{testPlanRole}
	private.APIAccessSecurityGroupIDs = []*string{jsii.String("sg-twingate"), jsii.String("sg-bastion")}
	cluster := NewCluster(stack, "eks", private)

	public := validClusterConfig()
	public.Name = "test-usw2"
	public.Version = "1.32"
	public.PublicAccessCIDRs = []string{"203.0.113.0/24", "198.51.100.7/32"}
	NewCluster(stack, "public_eks", public)

	doc := synthtest.Synth(t, stack)
	resource := doc.Resource(t, "aws_eks_cluster", "eks_cluster")

	t.Run("endpoint private by default", func(t *testing.T) {
		vpc := resource["vpc_config"].(map[string]any)
		assert.Equal(t, true, vpc["endpoint_private_access"])
		assert.Equal(t, false, vpc["endpoint_public_access"])
		assert.NotContains(t, vpc, "public_access_cidrs")
		assert.Equal(t, []any{"subnet-intra-a", "subnet-intra-b"}, vpc["subnet_ids"])
	})

	t.Run("public endpoint with CIDRs", func(t *testing.T) {
		other := doc.Resource(t, "aws_eks_cluster", "public_eks_cluster")
		vpc := other["vpc_config"].(map[string]any)
		assert.Equal(t, true, vpc["endpoint_private_access"])
		assert.Equal(t, true, vpc["endpoint_public_access"])
		assert.Equal(t, []any{"203.0.113.0/24", "198.51.100.7/32"}, vpc["public_access_cidrs"])
		assert.Equal(t, "1.32", other["version"])
	})

	t.Run("control plane settings", func(t *testing.T) {
		assert.Equal(t, "prod-usw2", resource["name"])
		assert.Equal(t, "1.33", resource["version"])
		assert.Equal(t, "${aws_iam_role.eks_cluster_role.arn}", resource["role_arn"])
		assert.Equal(t, []any{"api", "audit", "authenticator", "controllerManager", "scheduler"}, resource["enabled_cluster_log_types"])
		assert.Equal(t, false, resource["bootstrap_self_managed_addons"])
		assert.Equal(t, map[string]any{"support_type": "STANDARD"}, resource["upgrade_policy"])
		assert.Equal(t, map[string]any{"prevent_destroy": true}, resource["lifecycle"])
	})

	t.Run("secrets encryption", func(t *testing.T) {
		encryption := resource["encryption_config"].(map[string]any)
		assert.Equal(t, []any{"secrets"}, encryption["resources"])
		assert.Equal(t, map[string]any{"key_arn": testSecretsKey}, encryption["provider"])
	})

	t.Run("access entries only", func(t *testing.T) {
		access := resource["access_config"].(map[string]any)
		assert.Equal(t, "API", access["authentication_mode"])
		assert.Equal(t, false, access["bootstrap_cluster_creator_admin_permissions"])
	})

	t.Run("log group before cluster", func(t *testing.T) {
		group := doc.Resource(t, "aws_cloudwatch_log_group", "eks_log_group")
		assert.Equal(t, "/aws/eks/prod-usw2/cluster", group["name"])
		assert.Equal(t, testLogsKey, group["kms_key_id"])
		assert.Equal(t, float64(365), group["retention_in_days"])
		assert.Equal(t, map[string]any{"prevent_destroy": true}, group["lifecycle"])
		assert.Contains(t, resource["depends_on"], "aws_cloudwatch_log_group.eks_log_group")
	})

	t.Run("cluster role", func(t *testing.T) {
		role := doc.Resource(t, "aws_iam_role", "eks_cluster_role")
		assert.Equal(t, "prod-usw2-cluster", role["name"])

		trust := synthtest.JSON(t, role["assume_role_policy"])
		statements := trust["Statement"].([]any)
		require.Len(t, statements, 1)
		statement := statements[0].(map[string]any)
		assert.Equal(t, map[string]any{"Service": []any{"eks.amazonaws.com"}}, statement["Principal"])
		assert.Equal(t, []any{"sts:AssumeRole", "sts:TagSession"}, statement["Action"])
		assert.Equal(t, map[string]any{"StringEquals": map[string]any{"aws:SourceAccount": []any{testAccount}}}, statement["Condition"])

		attachment := doc.Resource(t, "aws_iam_role_policy_attachment", "eks_cluster_role_policy")
		assert.Equal(t, "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy", attachment["policy_arn"])
		assert.Equal(t, "${aws_iam_role.eks_cluster_role.name}", attachment["role"])
		assert.Contains(t, resource["depends_on"], "aws_iam_role_policy_attachment.eks_cluster_role_policy")
		assert.Contains(t, resource["depends_on"], "aws_iam_role_policy.eks_cluster_role_encryption")
	})

	t.Run("cluster role key policy is scoped", func(t *testing.T) {
		inline := doc.Resource(t, "aws_iam_role_policy", "eks_cluster_role_encryption")
		policy := synthtest.JSON(t, inline["policy"])
		for _, s := range policy["Statement"].([]any) {
			statement := s.(map[string]any)
			assert.Equal(t, []any{testSecretsKey}, statement["Resource"])
			for _, action := range statement["Action"].([]any) {
				assert.NotContains(t, action, "*", "actions are spelled out")
			}
		}
	})

	t.Run("cluster admin for deploy and each admin", func(t *testing.T) {
		principals := map[string]string{
			"deploy":  testDeployRole,
			"admin_0": testAdminRole,
			"admin_1": testAuditorRole,
		}
		assert.Len(t, doc.Resources("aws_eks_access_entry"), 7, "five for eks and two for public_eks")
		assert.Len(t, cluster.AccessEntries, 10, "an entry and an association per principal")

		for suffix, arn := range principals {
			entry := doc.Resource(t, "aws_eks_access_entry", "eks_access_entry_"+suffix)
			assert.Equal(t, arn, entry["principal_arn"], suffix)
			assert.Equal(t, "STANDARD", entry["type"], suffix)
			assert.Equal(t, "${aws_eks_cluster.eks_cluster.name}", entry["cluster_name"], suffix)

			association := doc.Resource(t, "aws_eks_access_policy_association", "eks_access_policy_"+suffix)
			assert.Equal(t, "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy", association["policy_arn"], suffix)
			assert.Equal(t, map[string]any{"type": "cluster"}, association["access_scope"], suffix)
			assert.Equal(t, "${aws_eks_access_entry.eks_access_entry_"+suffix+".principal_arn}", association["principal_arn"], suffix,
				"referencing the entry makes the association wait for it")
		}
	})

	t.Run("API ingress per security group", func(t *testing.T) {
		rules := doc.Resources("aws_vpc_security_group_ingress_rule")
		assert.Len(t, rules, 2)
		for name, source := range map[string]string{"eks_api_access_0": "sg-twingate", "eks_api_access_1": "sg-bastion"} {
			rule := doc.Resource(t, "aws_vpc_security_group_ingress_rule", name)
			assert.Equal(t, "${aws_eks_cluster.eks_cluster.vpc_config[0].cluster_security_group_id}", rule["security_group_id"], name)
			assert.Equal(t, source, rule["referenced_security_group_id"], name)
			assert.Equal(t, "tcp", rule["ip_protocol"], name)
			assert.Equal(t, float64(443), rule["from_port"], name)
			assert.Equal(t, float64(443), rule["to_port"], name)
			assert.NotContains(t, rule, "cidr_ipv4", name)
		}
	})

	t.Run("outputs are set", func(t *testing.T) {
		assert.Equal(t, "1.33", cluster.Version)
		for name, value := range map[string]*string{
			"Name":                     cluster.Name,
			"ARN":                      cluster.ARN,
			"Endpoint":                 cluster.Endpoint,
			"CertificateAuthorityData": cluster.CertificateAuthorityData,
			"ClusterSecurityGroupID":   cluster.ClusterSecurityGroupID,
			"OIDCIssuerURL":            cluster.OIDCIssuerURL,
			"RoleARN":                  cluster.RoleARN,
			"LogGroupName":             cluster.LogGroupName,
		} {
			assert.NotNil(t, value, name)
		}
		assert.NotNil(t, cluster.Resource)
	})
}

func TestClusterConfigValidate(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(*ClusterConfig)
		want   string
	}{
		{"missing name", func(c *ClusterConfig) { c.Name = "" }, "ClusterConfig.Name is missing"},
		{"name too long for role", func(c *ClusterConfig) { c.Name = "a234567890123456789012345678901234567890123456789012345678" }, "fits IAM's 64 characters"},
		{"invalid name", func(c *ClusterConfig) { c.Name = "-prod.usw2" }, `"-prod.usw2" is not a valid EKS cluster name`},
		{"unsupported version", func(c *ClusterConfig) { c.Version = "1.29" }, `ClusterConfig.Version: "1.29" is not a supported Kubernetes version; use one of "1.32", "1.33"`},
		{"bad account", func(c *ClusterConfig) { c.AccountID = "12345" }, `ClusterConfig.AccountID: "12345" is not a 12-digit AWS account ID`},
		{"bad region", func(c *ClusterConfig) { c.Region = "uswest2" }, `ClusterConfig.Region: "uswest2" is not an AWS region name`},
		{"unsupported partition", func(c *ClusterConfig) { c.Partition = "aws-cn" }, `ClusterConfig.Partition: "aws-cn" is not supported`},
		{"one subnet", func(c *ClusterConfig) { c.ControlPlaneSubnetIDs = c.ControlPlaneSubnetIDs[:1] }, "ControlPlaneSubnetIDs has 1 subnets; EKS needs at least 2"},
		{"nil subnet", func(c *ClusterConfig) { c.ControlPlaneSubnetIDs[1] = nil }, "ControlPlaneSubnetIDs[1] is missing"},
		{"not a subnet", func(c *ClusterConfig) { c.ControlPlaneSubnetIDs[0] = jsii.String("vpc-123") }, `ControlPlaneSubnetIDs[0]: "vpc-123" is not a subnet ID`},
		{"whole IPv4 internet", func(c *ClusterConfig) { c.PublicAccessCIDRs = []string{"0.0.0.0/0"} }, `PublicAccessCIDRs[0]: "0.0.0.0/0" opens the cluster API to the whole internet`},
		{"whole IPv6 internet", func(c *ClusterConfig) { c.PublicAccessCIDRs = []string{"203.0.113.0/24", "::/0"} }, `PublicAccessCIDRs[1]: "::/0" opens the cluster API to the whole internet`},
		{"not a CIDR", func(c *ClusterConfig) { c.PublicAccessCIDRs = []string{"203.0.113.7"} }, `PublicAccessCIDRs[0]: "203.0.113.7" is not a CIDR range`},
		{"host bits", func(c *ClusterConfig) { c.PublicAccessCIDRs = []string{"203.0.113.7/24"} }, `"203.0.113.7/24" has host bits set; use "203.0.113.0/24"`},
		{"not a security group", func(c *ClusterConfig) { c.APIAccessSecurityGroupIDs = []*string{jsii.String("sgr-1")} }, `APIAccessSecurityGroupIDs[0]: "sgr-1" is not a security group ID`},
		{"missing secrets key", func(c *ClusterConfig) { c.SecretsKMSKeyARN = nil }, "ClusterConfig.SecretsKMSKeyARN is missing"},
		{"logs key alias", func(c *ClusterConfig) { c.LogsKMSKeyARN = jsii.String("alias/logs") }, `ClusterConfig.LogsKMSKeyARN: "alias/logs" is not a KMS key ARN`},
		{"missing retention", func(c *ClusterConfig) { c.LogRetentionDays = 0 }, "ClusterConfig.LogRetentionDays is missing"},
		{"invalid retention", func(c *ClusterConfig) { c.LogRetentionDays = 42 }, "42 days is not a retention period CloudWatch Logs accepts"},
		{"missing deploy role", func(c *ClusterConfig) { c.DeployRoleARN = "" }, "ClusterConfig.DeployRoleARN is missing"},
		{"deploy user instead of role", func(c *ClusterConfig) { c.DeployRoleARN = "arn:aws:iam::111122223333:user/ci" }, `DeployRoleARN: "arn:aws:iam::111122223333:user/ci" is not an IAM role ARN`},
		{"role of another partition", func(c *ClusterConfig) { c.AdminRoleARNs = []string{"arn:aws-us-gov:iam::111122223333:role/admin"} }, `is in partition "aws-us-gov", not "aws"`},
		{"no admins", func(c *ClusterConfig) { c.AdminRoleARNs = nil }, "ClusterConfig.AdminRoleARNs is empty"},
		{"admin is deploy role", func(c *ClusterConfig) { c.AdminRoleARNs = []string{testAdminRole, testDeployRole} }, "AdminRoleARNs[1]: \"" + testDeployRole + "\" is already listed as DeployRoleARN"},
		{"viewer is an admin", func(c *ClusterConfig) { c.ViewerRoleARNs = []string{testAdminRole} }, "ViewerRoleARNs[0]: \"" + testAdminRole + "\" is already listed as AdminRoleARNs[0]"},
		{"viewer not a role", func(c *ClusterConfig) { c.ViewerRoleARNs = []string{"arn:aws:iam::111122223333:user/ops"} }, "ClusterConfig.ViewerRoleARNs[0]"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := validClusterConfig()
			c.mutate(&cfg)
			assert.ErrorContains(t, cfg.withDefaults().Validate(), c.want)
		})
	}

	t.Run("valid config", func(t *testing.T) {
		require.NoError(t, validClusterConfig().withDefaults().Validate())
	})

	t.Run("tokens pass", func(t *testing.T) {
		stack := synthtest.Stack(t)
		other := NewCluster(stack, "other", validClusterConfig())
		cfg := validClusterConfig()
		cfg.ControlPlaneSubnetIDs = []*string{other.ClusterSecurityGroupID, other.Name}
		cfg.APIAccessSecurityGroupIDs = []*string{other.ClusterSecurityGroupID}
		assert.NoError(t, cfg.withDefaults().Validate(), "tokens cannot be checked at synth time")
	})

	t.Run("every problem reported", func(t *testing.T) {
		err := ClusterConfig{}.withDefaults().Validate()
		require.Error(t, err)
		for _, field := range []string{"Name", "Version", "AccountID", "Region", "ControlPlaneSubnetIDs", "SecretsKMSKeyARN", "LogsKMSKeyARN", "LogRetentionDays", "DeployRoleARN", "AdminRoleARNs"} {
			assert.ErrorContains(t, err, "ClusterConfig."+field)
		}
	})
}

func TestNewClusterPanicsOnInvalidConfig(t *testing.T) {
	stack := synthtest.Stack(t)
	cfg := validClusterConfig()
	cfg.PublicAccessCIDRs = []string{"0.0.0.0/0"}
	assert.PanicsWithError(t, `eks: ClusterConfig.PublicAccessCIDRs[0]: "0.0.0.0/0" opens the cluster API to the whole internet; list the office or VPN egress ranges instead`,
		func() { NewCluster(stack, "eks", cfg) })
}
