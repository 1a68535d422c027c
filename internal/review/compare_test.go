package review

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCompareNoChange(t *testing.T) {
	report, markdown := compareFixture(t, "no_change")

	assert.False(t, report.Changed(), "version and construct-path metadata are ignored")
	assert.Empty(t, report.Stacks)
	assert.Contains(t, markdown, "No stack changed.")
}

func TestCompareStackAdded(t *testing.T) {
	report, markdown := compareFixture(t, "stack_added")

	stack := onlyStack(t, report)
	assert.Equal(t, "extra", stack.Name)
	assert.Equal(t, StackAdded, stack.Status)
	assert.Equal(t, 2, stack.Counts().Added)
	rule := resourceAt(t, stack, "aws_vpc_security_group_ingress_rule.extra_https")
	assert.Equal(t, Create, rule.Action)
	assert.Equal(t, []Category{CategorySecurityGroup}, rule.Categories)

	assert.Contains(t, markdown, "| extra | added | 2 | 0 | 0 | 0 | 1 | 0 | 1 |")
	assert.Contains(t, markdown, "New stack: the deploy creates everything in it.")
	assert.Contains(t, markdown, "- **SG** `aws_vpc_security_group_ingress_rule.extra_https`")
}

func TestCompareStackRemoved(t *testing.T) {
	report, markdown := compareFixture(t, "stack_removed")

	stack := onlyStack(t, report)
	assert.Equal(t, "old", stack.Name)
	assert.Equal(t, StackRemoved, stack.Status)
	assert.Equal(t, Delete, resourceAt(t, stack, "aws_vpc.old_vpc").Action)
	assert.Contains(t, markdown, "| old | removed | 0 | 1 | 0 | 0 | 0 | 0 | 0 |")
	assert.Contains(t, markdown, "Removed stack:")
}

func TestCompareResourceAdded(t *testing.T) {
	report, markdown := compareFixture(t, "resource_added")

	stack := onlyStack(t, report)
	assert.Equal(t, StackChanged, stack.Status)
	subnet := resourceAt(t, stack, "aws_subnet.network_private_subnet_0")
	assert.Equal(t, Create, subnet.Action)
	assert.False(t, subnet.Replaced)
	assert.Empty(t, subnet.Attributes, "attributes of created resources are listed only when they need review")
	assert.Contains(t, markdown, "#### Added\n\n- `aws_subnet.network_private_subnet_0` created")
}

func TestCompareResourceRemoved(t *testing.T) {
	report, markdown := compareFixture(t, "resource_removed")

	subnet := resourceAt(t, onlyStack(t, report), "aws_subnet.network_private_subnet_0")
	assert.Equal(t, Delete, subnet.Action)
	assert.False(t, subnet.Replaced, "a delete is not counted as a replacement")
	assert.Contains(t, markdown, "#### Removed (destroyed on deploy)\n\n- `aws_subnet.network_private_subnet_0` destroyed")
}

func TestCompareAttributeChanged(t *testing.T) {
	report, markdown := compareFixture(t, "attribute_changed")

	cluster := resourceAt(t, onlyStack(t, report), "aws_eks_cluster.eks_cluster")
	assert.Equal(t, Update, cluster.Action)
	assert.False(t, cluster.Replaced, "subnet_ids and endpoint access update in place")
	assert.False(t, cluster.ReplacementUnknown)
	require.Len(t, cluster.Attributes, 3)

	public := attributeAt(t, cluster, "vpc_config.endpoint_public_access")
	assert.Equal(t, false, public.Before)
	assert.Equal(t, true, public.After)
	assert.Contains(t, markdown, "- `vpc_config.endpoint_public_access`: `false` -> `true`")
	assert.Contains(t, markdown, "- `vpc_config.subnet_ids`: `[\"subnet-a\",\"subnet-b\"]` -> `[\"subnet-a\",\"subnet-b\",\"subnet-c\"]`")
	assert.Contains(t, markdown, "- `version`: `\"1.32\"` -> `\"1.33\"`")
	assert.Contains(t, markdown, "#### Changed in place")
}

func TestCompareAddressChangeIsReplacement(t *testing.T) {
	report, markdown := compareFixture(t, "address_changed")
	stack := onlyStack(t, report)

	role := resourceAt(t, stack, "aws_iam_role.plan_role")
	assert.Equal(t, Readdress, role.Action)
	assert.Equal(t, "aws_iam_role.plan_role_role", role.PreviousAddress)
	assert.True(t, role.Replaced)
	assert.Empty(t, role.Attributes, "the role's configuration is unchanged")
	assert.Contains(t, markdown, "- **REPLACE** `aws_iam_role.plan_role` address changed from `aws_iam_role.plan_role_role` without a moved block: destroy and create")

	for _, c := range stack.Resources {
		assert.NotEqual(t, "aws_iam_role_policy_attachment.plan_read_only", c.Address,
			"a reference to the configured role name resolves to the same value")
	}

	tag := resourceAt(t, stack, "aws_ec2_tag.plan_tag")
	assert.True(t, tag.Replaced, "the new role's arn is unknown until apply")
	assert.True(t, attributeAt(t, tag, "resource_id").ForcesReplacement)
}

func TestCompareMovedBlockIsNotReplacement(t *testing.T) {
	report, markdown := compareFixture(t, "moved_rename")
	stack := onlyStack(t, report)
	require.Len(t, stack.Resources, 1, "the versioning resource only follows the moved bucket")

	bucket := stack.Resources[0]
	assert.Equal(t, "aws_s3_bucket.audit_logs_bucket", bucket.Address)
	assert.Equal(t, Move, bucket.Action)
	assert.Equal(t, "aws_s3_bucket.logs_bucket", bucket.PreviousAddress)
	assert.False(t, bucket.Replaced)
	assert.Equal(t, 0, stack.Counts().Replacements)
	assert.Contains(t, markdown, "#### Moved (kept by a moved block)\n\n- `aws_s3_bucket.audit_logs_bucket` moved from `aws_s3_bucket.logs_bucket`")
	assert.NotContains(t, markdown, "REPLACE")
}

func TestCompareForceNewAttribute(t *testing.T) {
	report, markdown := compareFixture(t, "force_new")
	stack := onlyStack(t, report)

	subnet := resourceAt(t, stack, "aws_subnet.network_private_subnet_0")
	assert.True(t, subnet.Replaced)
	assert.Equal(t, []string{"cidr_block forces replacement"}, subnet.ReplaceReasons)
	assert.True(t, attributeAt(t, subnet, "cidr_block").ForcesReplacement)
	assert.False(t, attributeAt(t, subnet, "tags.Name").ForcesReplacement)
	assert.Contains(t, markdown, "- **REPLACE** `aws_subnet.network_private_subnet_0` changed: replaced, because cidr_block forces replacement")
	assert.Contains(t, markdown, "- `cidr_block`: `\"10.0.0.0/20\"` -> `\"10.0.16.0/20\"` (forces replacement)")
}

func TestCompareTypeWithoutForceNewEntry(t *testing.T) {
	report, markdown := compareFixture(t, "force_new")

	parameter := resourceAt(t, onlyStack(t, report), "aws_ssm_parameter.cluster_name")
	assert.False(t, parameter.Replaced)
	assert.True(t, parameter.ReplacementUnknown)
	assert.Contains(t, markdown, "- `aws_ssm_parameter.cluster_name` changed (replacement unknown: no force-new entry for `aws_ssm_parameter`)")
}

func TestCompareIAMStatementChange(t *testing.T) {
	report, markdown := compareFixture(t, "iam_statement")

	policy := resourceAt(t, onlyStack(t, report), "aws_iam_role_policy.loader_policy")
	assert.Equal(t, []Category{CategoryIAM}, policy.Categories)
	assert.False(t, policy.Replaced)
	diff := attributeAt(t, policy, "policy").Policy
	require.NotNil(t, diff)
	assert.Len(t, diff.Statements, 3, "the unnamed statement moved but did not change")

	read := statementAt(t, diff, "ReadData")
	assert.Equal(t, Update, read.Action)
	assert.Equal(t, []string{"s3:PutObject"}, fieldAt(t, read, "Action").Added)
	assert.Empty(t, fieldAt(t, read, "Action").Removed)
	assert.Equal(t, Create, statementAt(t, diff, "ListData").Action)
	assert.Equal(t, Delete, statementAt(t, diff, "Decrypt").Action)

	assert.Contains(t, markdown, "#### IAM, trust and security-group changes")
	assert.Contains(t, markdown, "- **IAM** `aws_iam_role_policy.loader_policy` changed")
	assert.Contains(t, markdown, "  - statement `ReadData` changed: Action +`s3:PutObject`")
	assert.Contains(t, markdown, "  - statement `ListData` added: Effect `Allow`; Action `s3:ListBucket`; Resource `arn:aws:s3:::data`")
	assert.Contains(t, markdown, "  - statement `Decrypt` removed: Effect `Allow`; Action `kms:Decrypt`; Resource `${aws_kms_key.data.arn}`")
}

func TestComparePolicyDocumentDataSource(t *testing.T) {
	report, markdown := compareFixture(t, "iam_statement")

	document := resourceAt(t, onlyStack(t, report), "data.aws_iam_policy_document.bucket_policy")
	assert.True(t, document.Data)
	assert.Equal(t, []Category{CategoryIAM}, document.Categories)
	require.Len(t, document.Attributes, 1, "the statement blocks are compared as one policy")

	deny := statementAt(t, document.Attributes[0].Policy, "DenyInsecureTransport")
	assert.Equal(t, []string{"Bool aws:SecureTransport=null"}, fieldAt(t, deny, "Condition").Added)
	assert.Contains(t, markdown, "statement `DenyInsecureTransport` changed: Condition +`Bool aws:SecureTransport=null`")
}

func TestCompareTrustPolicyChange(t *testing.T) {
	report, markdown := compareFixture(t, "trust_policy")

	role := resourceAt(t, onlyStack(t, report), "aws_iam_role.deploy_role")
	assert.Equal(t, []Category{CategoryTrust}, role.Categories)
	trust := attributeAt(t, role, "assume_role_policy")
	assert.Equal(t, CategoryTrust, trust.Category)

	condition := fieldAt(t, statementAt(t, trust.Policy, "GitHubActions"), "Condition")
	assert.Equal(t, []string{"StringLike token.actions.githubusercontent.com:sub=repo:honeyhive/platform:*"}, condition.Added)
	assert.Equal(t, []string{"StringEquals token.actions.githubusercontent.com:sub=repo:honeyhive/platform:ref:refs/heads/main"}, condition.Removed)
	assert.Contains(t, markdown, "- **TRUST** `aws_iam_role.deploy_role` changed")
	assert.Contains(t, markdown, "-`StringEquals token.actions.githubusercontent.com:sub=repo:honeyhive/platform:ref:refs/heads/main`")
}

func TestCompareSecurityGroupRuleChange(t *testing.T) {
	report, markdown := compareFixture(t, "security_group_rule")
	stack := onlyStack(t, report)

	rule := resourceAt(t, stack, "aws_vpc_security_group_ingress_rule.cluster_https")
	assert.Equal(t, []Category{CategorySecurityGroup}, rule.Categories)
	assert.False(t, rule.Replaced, "rule resources update their peer in place")
	assert.Contains(t, markdown, "- **SG** `aws_vpc_security_group_ingress_rule.cluster_https` changed")
	assert.Contains(t, markdown, "- `cidr_ipv4`: `\"10.0.0.0/16\"` -> `\"0.0.0.0/0\"`")

	group := resourceAt(t, stack, "aws_security_group.cluster")
	assert.Equal(t, []Category{CategorySecurityGroup}, group.Categories)
	assert.Equal(t, CategorySecurityGroup, attributeAt(t, group, "egress[0].cidr_blocks").Category)
	assert.Equal(t, 2, stack.Counts().Reviewed)
}

func TestCompareSuppressionChange(t *testing.T) {
	report, markdown := compareFixture(t, "suppression_change")
	stack := onlyStack(t, report)

	reworded := resourceAt(t, stack, "aws_cloudwatch_log_group.twingate_log_group")
	assert.Empty(t, reworded.Attributes, "a suppression is metadata, not configuration")
	require.Len(t, reworded.Suppressions, 1)
	assert.Equal(t, SuppressionChange{
		Rule: "HH-STATE-001", Action: Update,
		Before: "performance events only", After: "performance events only; nothing is lost on replacement",
	}, reworded.Suppressions[0])

	added := resourceAt(t, stack, "aws_cloudwatch_log_group.flow_log_group")
	require.Len(t, added.Suppressions, 1)
	assert.Equal(t, Create, added.Suppressions[0].Action)
	assert.Equal(t, 2, stack.Counts().Suppressions)

	assert.Contains(t, markdown, "#### Policy suppressions")
	assert.Contains(t, markdown, "- **SUPPRESSION** `aws_cloudwatch_log_group.flow_log_group` changed")
	assert.Contains(t, markdown, "  - policy suppression `HH-LOG-002` added: flow logs are kept for one year")
	assert.Contains(t, markdown, "  - policy suppression `HH-STATE-001` reworded: performance events only -> performance events only; nothing is lost on replacement")
}

func TestCompareOutputsAndSettings(t *testing.T) {
	report, markdown := compareFixture(t, "outputs_change")
	stack := onlyStack(t, report)

	assert.Empty(t, stack.Resources)
	require.Len(t, stack.Outputs, 3)
	assert.Equal(t, BlockChange{Address: "output.vpc_arn", Action: Create, Attributes: []AttributeChange{
		{Path: "sensitive", After: false, AfterSet: true},
		{Path: "value", After: "${aws_vpc.network_vpc.arn}", AfterSet: true},
	}}, stack.Outputs[0])
	assert.Equal(t, "output.vpc_cidr", stack.Outputs[1].Address)
	assert.Equal(t, Delete, stack.Outputs[1].Action)
	assert.Equal(t, Update, stack.Outputs[2].Action)

	require.Len(t, stack.Settings, 1)
	assert.Equal(t, "terraform.required_providers", stack.Settings[0].Address)
	assert.Contains(t, markdown, "#### Outputs\n\n- `output.vpc_arn` added")
	assert.Contains(t, markdown, "#### Providers and settings\n\n- `terraform.required_providers` changed\n  - `aws.version`: `\"5.99.1\"` -> `\"5.100.0\"`")
}
