package podidentity

import (
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/honeyhive/platform/constructs/iampolicy"
	"github.com/honeyhive/platform/internal/synthtest"
)

func validConfig() RoleConfig {
	return RoleConfig{
		Name:           "prod-usw2-external-dns",
		ClusterName:    jsii.String("prod-usw2"),
		ClusterARN:     jsii.String("arn:aws:eks:us-west-2:100000000004:cluster/prod-usw2"),
		AccountID:      "100000000004",
		Namespace:      "external-dns",
		ServiceAccount: "external-dns",
		Policy: &iampolicy.Document{Statements: []iampolicy.Statement{{
			Actions:   []string{"route53:ChangeResourceRecordSets"},
			Resources: []string{"arn:aws:route53:::hostedzone/Z1"},
		}}},
	}
}

func TestNewRole(t *testing.T) {
	stack := synthtest.Stack(t)
	cfg := validConfig()
	cfg.ManagedPolicyARNs = []string{"arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"}
	NewRole(stack, "external_dns", cfg)
	doc := synthtest.Synth(t, stack)

	role := doc.Resource(t, "aws_iam_role", "external_dns_role")
	assert.Equal(t, "prod-usw2-external-dns", role["name"])

	trust := synthtest.JSON(t, role["assume_role_policy"])
	statement := trust["Statement"].([]any)[0].(map[string]any)
	assert.Equal(t, map[string]any{"Service": []any{"pods.eks.amazonaws.com"}}, statement["Principal"])
	assert.Equal(t, []any{"sts:AssumeRole", "sts:TagSession"}, statement["Action"])
	conditions := statement["Condition"].(map[string]any)
	assert.Equal(t, map[string]any{"aws:SourceAccount": []any{"100000000004"}}, conditions["StringEquals"])
	assert.Equal(t, map[string]any{"aws:SourceArn": []any{"arn:aws:eks:us-west-2:100000000004:cluster/prod-usw2"}}, conditions["ArnEquals"])

	policy := doc.Resource(t, "aws_iam_role_policy", "external_dns_policy")
	assert.Contains(t, policy["policy"], "route53:ChangeResourceRecordSets")

	attachment := doc.Resource(t, "aws_iam_role_policy_attachment", "external_dns_managed_policy_0")
	assert.Equal(t, "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy", attachment["policy_arn"])

	association := doc.Resource(t, "aws_eks_pod_identity_association", "external_dns_association")
	assert.Equal(t, "prod-usw2", association["cluster_name"])
	assert.Equal(t, "external-dns", association["namespace"])
	assert.Equal(t, "external-dns", association["service_account"])
	assert.Equal(t, "${aws_iam_role.external_dns_role.arn}", association["role_arn"])
}

func TestRoleConfigValidate(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(*RoleConfig)
		want   string
	}{
		{"bad role name", func(c *RoleConfig) { c.Name = "has space" }, "is not a valid IAM role name"},
		{"missing cluster", func(c *RoleConfig) { c.ClusterARN = nil }, "ClusterName and ClusterARN are required"},
		{"bad account", func(c *RoleConfig) { c.AccountID = "1" }, "is not a 12-digit AWS account ID"},
		{"bad namespace", func(c *RoleConfig) { c.Namespace = "Kube_System" }, "is not a valid Kubernetes namespace name"},
		{"bad service account", func(c *RoleConfig) { c.ServiceAccount = "" }, "is not a valid service account name"},
		{"no permissions", func(c *RoleConfig) { c.Policy = nil }, "needs a Policy or ManagedPolicyARNs"},
		{"bad managed policy", func(c *RoleConfig) { c.ManagedPolicyARNs = []string{"AmazonEBSCSIDriverPolicy"} }, "is not an IAM policy ARN"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := validConfig()
			c.mutate(&cfg)
			assert.ErrorContains(t, cfg.Validate(), c.want)
		})
	}
	require.NoError(t, validConfig().Validate())
}

func TestNewRolePanicsOnInvalidConfig(t *testing.T) {
	stack := synthtest.Stack(t)
	cfg := validConfig()
	cfg.Namespace = ""
	assert.Panics(t, func() { NewRole(stack, "bad", cfg) })
}
