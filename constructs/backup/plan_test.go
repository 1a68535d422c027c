package backup

import (
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/honeyhive/platform/constructs/awsid"
	"github.com/honeyhive/platform/internal/synthtest"
)

const testDRVaultARN = "arn:aws:backup:us-east-1:111122223333:backup-vault:prod-use1-dr"

func testPlanConfig() PlanConfig {
	return PlanConfig{
		Name:               "prod-usw2-daily",
		VaultName:          jsii.String("prod-usw2"),
		DailyRetentionDays: 35,
		AccountID:          testAccount,
	}
}

// onlyRule returns the single rule of a synthesized backup plan.
func onlyRule(t *testing.T, plan map[string]any) map[string]any {
	t.Helper()
	rules, ok := plan["rule"].([]any)
	require.True(t, ok, "plan has no rule list")
	require.Len(t, rules, 1)
	return rules[0].(map[string]any)
}

func TestPlanWithCopy(t *testing.T) {
	stack := synthtest.Stack(t)
	vault := NewVault(stack, "vault", VaultConfig{Name: "prod-usw2", KMSKeyARN: jsii.String(testKeyARN)})
	cfg := testPlanConfig()
	cfg.VaultName = jsii.String(vault.Name)
	cfg.CopyToVaultARN = jsii.String(testDRVaultARN)
	plan := NewPlan(stack, "backup", cfg)
	output(stack, "plan_id", plan.PlanID)
	output(stack, "plan_arn", plan.PlanARN)
	output(stack, "role_arn", plan.RoleARN)
	doc := synthtest.Synth(t, stack)

	outputs := doc.Outputs()
	assert.Equal(t, "${aws_backup_plan.backup_plan.id}", outputs["plan_id"]["value"])
	assert.Equal(t, "${aws_backup_plan.backup_plan.arn}", outputs["plan_arn"]["value"])
	assert.Equal(t, "${aws_iam_role.backup_role.arn}", outputs["role_arn"]["value"])

	resource := doc.Resource(t, "aws_backup_plan", "backup_plan")
	assert.Equal(t, "prod-usw2-daily", resource["name"])
	rule := onlyRule(t, resource)
	assert.Equal(t, "daily", rule["rule_name"])
	assert.Equal(t, "prod-usw2", rule["target_vault_name"])
	assert.Equal(t, "cron(0 5 * * ? *)", rule["schedule"])
	assert.Equal(t, true, rule["enable_continuous_backup"])
	assert.Equal(t, map[string]any{"delete_after": float64(35)}, rule["lifecycle"])

	copies, ok := rule["copy_action"].([]any)
	require.True(t, ok, "rule has no copy_action list")
	require.Len(t, copies, 1)
	copyAction := copies[0].(map[string]any)
	assert.Equal(t, testDRVaultARN, copyAction["destination_vault_arn"])
	assert.Equal(t, map[string]any{"delete_after": float64(35)}, copyAction["lifecycle"], "copies default to the daily retention")

	selection := doc.Resource(t, "aws_backup_selection", "backup_selection")
	assert.Equal(t, "${aws_backup_plan.backup_plan.id}", selection["plan_id"])
	assert.Equal(t, "${aws_iam_role.backup_role.arn}", selection["iam_role_arn"])
	assert.Equal(t, []any{map[string]any{"type": "STRINGEQUALS", "key": "backup", "value": "true"}}, selection["selection_tag"])
	assert.NotContains(t, selection, "resources", "the tag alone selects resources")
}

func TestPlanWithoutCopy(t *testing.T) {
	stack := synthtest.Stack(t)
	cfg := testPlanConfig()
	cfg.Name = "eu-daily"
	cfg.DailyRetentionDays = 7
	cfg.SelectionTagKey = "honeyhive/backup"
	cfg.SelectionTagValue = "daily"
	NewPlan(stack, "eu_backup", cfg)
	doc := synthtest.Synth(t, stack)

	rule := onlyRule(t, doc.Resource(t, "aws_backup_plan", "eu_backup_plan"))
	assert.NotContains(t, rule, "copy_action", "backups without a copy vault stay in their region")
	assert.Equal(t, map[string]any{"delete_after": float64(7)}, rule["lifecycle"])

	selection := doc.Resource(t, "aws_backup_selection", "eu_backup_selection")
	assert.Equal(t, []any{map[string]any{"type": "STRINGEQUALS", "key": "honeyhive/backup", "value": "daily"}}, selection["selection_tag"])
}

func TestPlanCopyRetention(t *testing.T) {
	stack := synthtest.Stack(t)
	cfg := testPlanConfig()
	cfg.DailyRetentionDays = 14
	cfg.CopyToVaultARN = NewVault(stack, "dr", VaultConfig{Name: "prod-use1-dr", KMSKeyARN: jsii.String(drKeyARN)}).ARN
	cfg.CopyRetentionDays = 90
	NewPlan(stack, "backup", cfg)
	doc := synthtest.Synth(t, stack)

	rule := onlyRule(t, doc.Resource(t, "aws_backup_plan", "backup_plan"))
	assert.Equal(t, map[string]any{"delete_after": float64(14)}, rule["lifecycle"])
	copyAction := rule["copy_action"].([]any)[0].(map[string]any)
	assert.Equal(t, "${aws_backup_vault.dr_vault.arn}", copyAction["destination_vault_arn"], "a vault ARN token passes validation")
	assert.Equal(t, map[string]any{"delete_after": float64(90)}, copyAction["lifecycle"])
}

func TestPlanRole(t *testing.T) {
	stack := synthtest.Stack(t)
	cfg := testPlanConfig()
	cfg.Partition = "aws-us-gov"
	NewPlan(stack, "backup", cfg)
	doc := synthtest.Synth(t, stack)

	role := doc.Resource(t, "aws_iam_role", "backup_role")
	assert.Equal(t, "prod-usw2-daily-backup", role["name"])

	trust := synthtest.JSON(t, role["assume_role_policy"])
	statements := trust["Statement"].([]any)
	require.Len(t, statements, 1)
	statement := statements[0].(map[string]any)
	assert.Equal(t, "Allow", statement["Effect"])
	assert.Equal(t, map[string]any{"Service": []any{"backup.amazonaws.com"}}, statement["Principal"])
	assert.Equal(t, []any{"sts:AssumeRole"}, statement["Action"])
	assert.Equal(t, map[string]any{"StringEquals": map[string]any{"aws:SourceAccount": []any{testAccount}}}, statement["Condition"])

	var policies []string
	for _, attachment := range doc.Resources("aws_iam_role_policy_attachment") {
		assert.Equal(t, "${aws_iam_role.backup_role.name}", attachment["role"])
		policies = append(policies, attachment["policy_arn"].(string))
	}
	assert.ElementsMatch(t, []string{
		"arn:aws-us-gov:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
		"arn:aws-us-gov:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
		"arn:aws-us-gov:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup",
		"arn:aws-us-gov:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore",
	}, policies)
	assert.Empty(t, doc.Resources("aws_iam_role_policy"), "the role has no inline policy")
}

func TestPlanConfigValidate(t *testing.T) {
	assert.NoError(t, testPlanConfig().withDefaults().Validate())

	cases := []struct {
		name   string
		modify func(*PlanConfig)
		want   string
	}{
		{"missing name", func(c *PlanConfig) { c.Name = "" }, "backup: PlanConfig.Name is missing"},
		{"name with space", func(c *PlanConfig) { c.Name = "daily plan" }, `backup: PlanConfig.Name: "daily plan" is invalid`},
		{"missing vault", func(c *PlanConfig) { c.VaultName = nil }, "backup: PlanConfig.VaultName is missing"},
		{"vault ARN as name", func(c *PlanConfig) { c.VaultName = jsii.String(testDRVaultARN) }, "is not a backup vault name"},
		{"copy to a key ARN", func(c *PlanConfig) { c.CopyToVaultARN = jsii.String(drKeyARN) }, `backup: PlanConfig.CopyToVaultARN: "` + drKeyARN + `" is not a backup vault ARN`},
		{"zero retention", func(c *PlanConfig) { c.DailyRetentionDays = 0 }, "backup: PlanConfig.DailyRetentionDays: 0 is out of range; use 1 to 35 days"},
		{"retention over continuous limit", func(c *PlanConfig) { c.DailyRetentionDays = 36 }, "PlanConfig.DailyRetentionDays: 36 is out of range"},
		{"negative copy retention", func(c *PlanConfig) { c.CopyToVaultARN = jsii.String(testDRVaultARN); c.CopyRetentionDays = -1 }, "backup: PlanConfig.CopyRetentionDays: -1 is invalid"},
		{"copy retention without copy", func(c *PlanConfig) { c.CopyRetentionDays = 30 }, "PlanConfig.CopyRetentionDays: 30 is set but CopyToVaultARN is nil"},
		{"reserved tag key", func(c *PlanConfig) { c.SelectionTagKey = "aws:backup" }, `backup: PlanConfig.SelectionTagKey: "aws:backup" starts with the reserved prefix`},
		{"bad account", func(c *PlanConfig) { c.AccountID = "1234" }, `backup: PlanConfig.AccountID: "1234" is not a 12-digit AWS account ID`},
		{"china partition", func(c *PlanConfig) { c.Partition = "aws-cn" }, `backup: PlanConfig.Partition: "aws-cn" is not supported`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := testPlanConfig()
			c.modify(&cfg)
			assert.ErrorContains(t, cfg.withDefaults().Validate(), c.want)
		})
	}
}

func TestPlanConfigDefaults(t *testing.T) {
	cfg := testPlanConfig()
	cfg.CopyToVaultARN = jsii.String(testDRVaultARN)
	cfg.DailyRetentionDays = 10
	got := cfg.withDefaults()
	assert.Equal(t, 10, got.CopyRetentionDays)
	assert.Equal(t, "backup", got.SelectionTagKey)
	assert.Equal(t, "true", got.SelectionTagValue)
	assert.Equal(t, "aws", got.Partition)

	assert.Equal(t, 0, testPlanConfig().withDefaults().CopyRetentionDays, "no copy retention without a copy vault")
	assert.True(t, awsid.Missing(testPlanConfig().withDefaults().CopyToVaultARN))
}

func TestNewPlanPanicsOnInvalidConfig(t *testing.T) {
	stack := synthtest.Stack(t)
	cfg := testPlanConfig()
	cfg.DailyRetentionDays = 0
	assert.PanicsWithError(t, "backup: PlanConfig.DailyRetentionDays: 0 is out of range; use 1 to 35 days, the limit for continuous backups", func() {
		NewPlan(stack, "backup", cfg)
	})
}

func TestPlanUsesRegionalProvider(t *testing.T) {
	stack := synthtest.Stack(t)
	eu := provider.NewAwsProvider(stack, jsii.String("aws_euw1"), &provider.AwsProviderConfig{
		Region: jsii.String("eu-west-1"),
		Alias:  jsii.String("euw1"),
	})
	cfg := testPlanConfig()
	cfg.Provider = eu
	NewPlan(stack, "eu_backup", cfg)
	doc := synthtest.Synth(t, stack)

	assert.Equal(t, "aws.euw1", doc.Resource(t, "aws_backup_plan", "eu_backup_plan")["provider"])
	assert.Equal(t, "aws.euw1", doc.Resource(t, "aws_backup_selection", "eu_backup_selection")["provider"])
}
