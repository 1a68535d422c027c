package kms

import (
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/honeyhive/platform/internal/synthtest"
)

const (
	testAccount   = "111122223333"
	testRegion    = "us-west-2"
	testDeployARN = "arn:aws:iam::111122223333:role/deploy"
	testRootARN   = "arn:aws:iam::111122223333:root"
)

func testKeyConfig(purpose Purpose) KeyConfig {
	return KeyConfig{
		Alias:         "test-" + string(purpose),
		Purpose:       purpose,
		AccountID:     testAccount,
		Region:        testRegion,
		AdminRoleARNs: []string{testDeployARN},
	}
}

// statementsBySid decodes a key policy and indexes its statements by Sid.
func statementsBySid(t *testing.T, policy any) map[string]map[string]any {
	t.Helper()
	doc := synthtest.JSON(t, policy)
	assert.Equal(t, "2012-10-17", doc["Version"])

	raw, ok := doc["Statement"].([]any)
	require.True(t, ok, "policy has no Statement list")
	bySid := map[string]map[string]any{}
	for _, s := range raw {
		statement, ok := s.(map[string]any)
		require.True(t, ok, "statement is not an object")
		sid, _ := statement["Sid"].(string)
		require.NotContains(t, bySid, sid, "Sid %q is repeated", sid)
		bySid[sid] = statement
	}
	return bySid
}

// stringList decodes a JSON value that is a string or a list of strings.
func stringList(t *testing.T, value any) []string {
	t.Helper()
	switch v := value.(type) {
	case string:
		return []string{v}
	case []any:
		out := make([]string, len(v))
		for i, item := range v {
			s, ok := item.(string)
			require.Truef(t, ok, "list item %v is not a string", item)
			out[i] = s
		}
		return out
	}
	require.Failf(t, "not a string or list", "%T: %v", value, value)
	return nil
}

func condition(t *testing.T, statement map[string]any, operator, key string) any {
	t.Helper()
	conditions, ok := statement["Condition"].(map[string]any)
	require.True(t, ok, "statement %v has no Condition", statement["Sid"])
	byKey, ok := conditions[operator].(map[string]any)
	require.Truef(t, ok, "statement %v has no %s condition", statement["Sid"], operator)
	return byKey[key]
}

func TestKeyPolicyByPurpose(t *testing.T) {
	cases := []struct {
		purpose     Purpose
		viaServices []string
		grants      bool
	}{
		{PurposeLogs, []string{"logs.us-west-2.amazonaws.com", "xray.us-west-2.amazonaws.com"}, false},
		{PurposeCluster, []string{"eks.us-west-2.amazonaws.com"}, true},
		{PurposeData, []string{
			"s3.us-west-2.amazonaws.com",
			"rds.us-west-2.amazonaws.com",
			"ec2.us-west-2.amazonaws.com",
			"dynamodb.us-west-2.amazonaws.com",
			"backup.us-west-2.amazonaws.com",
		}, true},
		{PurposeSecrets, []string{"secretsmanager.us-west-2.amazonaws.com"}, true},
		{PurposeState, []string{"s3.us-west-2.amazonaws.com", "dynamodb.us-west-2.amazonaws.com"}, true},
	}

	stack := synthtest.Stack(t)
	for _, c := range cases {
		NewKey(stack, string(c.purpose), testKeyConfig(c.purpose))
	}
	doc := synthtest.Synth(t, stack)

	for _, c := range cases {
		t.Run(string(c.purpose), func(t *testing.T) {
			key := doc.Resource(t, "aws_kms_key", string(c.purpose)+"_key")
			statements := statementsBySid(t, key["policy"])

			wantSids := []string{sidAdministration, sidServiceUse}
			if c.grants {
				wantSids = append(wantSids, sidServiceGrants)
			}
			if c.purpose == PurposeLogs {
				wantSids = append(wantSids, sidLogsService)
			}
			if c.purpose == PurposeData {
				wantSids = append(wantSids, sidAutoScaling, sidAutoScalingGrt)
			}
			assert.ElementsMatch(t, wantSids, keys(statements))

			admin := statements[sidAdministration]
			assert.Equal(t, "Allow", admin["Effect"])
			assert.ElementsMatch(t, []string{testRootARN, testDeployARN}, stringList(t, admin["Principal"].(map[string]any)["AWS"]))
			for _, action := range stringList(t, admin["Action"]) {
				assert.NotRegexp(t, `^kms:(Encrypt|Decrypt|ReEncrypt|GenerateDataKey|CreateGrant|Create\*)`, action, "administrators must not be able to use the key")
			}
			assert.Contains(t, stringList(t, admin["Action"]), "kms:ScheduleKeyDeletion")
			assert.Nil(t, admin["Condition"])

			use := statements[sidServiceUse]
			assert.Equal(t, []string{testRootARN}, stringList(t, use["Principal"].(map[string]any)["AWS"]))
			assert.ElementsMatch(t, []string{"kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"}, stringList(t, use["Action"]))
			assert.ElementsMatch(t, c.viaServices, stringList(t, condition(t, use, "StringEquals", "kms:ViaService")))
			assert.Equal(t, testAccount, condition(t, use, "StringEquals", "kms:CallerAccount"))

			if c.grants {
				grant := statements[sidServiceGrants]
				assert.Equal(t, []string{"kms:CreateGrant"}, stringList(t, grant["Action"]))
				assert.Equal(t, []string{testRootARN}, stringList(t, grant["Principal"].(map[string]any)["AWS"]))
				assert.Equal(t, true, condition(t, grant, "Bool", "kms:GrantIsForAWSResource"))
				assert.ElementsMatch(t, c.viaServices, stringList(t, condition(t, grant, "StringEquals", "kms:ViaService")))
			}

			if c.purpose == PurposeLogs {
				logs := statements[sidLogsService]
				assert.Equal(t, map[string]any{"Service": "logs.us-west-2.amazonaws.com"}, logs["Principal"])
				assert.ElementsMatch(t, []string{"kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"}, stringList(t, logs["Action"]))
				assert.Equal(t, "arn:aws:logs:us-west-2:111122223333:log-group:*", condition(t, logs, "ArnLike", "kms:EncryptionContext:aws:logs:arn"))
			}

			if c.purpose == PurposeData {
				slr := []any{
					"arn:aws:iam::111122223333:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling",
					"arn:aws:iam::111122223333:role/aws-service-role/spot.amazonaws.com/AWSServiceRoleForEC2Spot",
				}
				use := statements[sidAutoScaling]
				assert.Equal(t, slr, condition(t, use, "StringEquals", "aws:PrincipalArn"))
				assert.ElementsMatch(t, []string{"kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"}, stringList(t, use["Action"]))
				grant := statements[sidAutoScalingGrt]
				assert.Equal(t, []string{"kms:CreateGrant"}, stringList(t, grant["Action"]))
				assert.Equal(t, slr, condition(t, grant, "StringEquals", "aws:PrincipalArn"))
				assert.Equal(t, true, condition(t, grant, "Bool", "kms:GrantIsForAWSResource"))
			}

			for sid, statement := range statements {
				assert.Equalf(t, "*", statement["Resource"], "statement %s", sid)
				for _, action := range stringList(t, statement["Action"]) {
					assert.NotEqualf(t, "kms:*", action, "statement %s allows every action", sid)
				}
				assert.NotEqualf(t, "*", statement["Principal"], "statement %s names every principal", sid)

				// A "*" principal is allowed only when a condition pins the
				// caller's ARN and account.
				if statement["Principal"].(map[string]any)["AWS"] == "*" {
					assert.NotEmptyf(t, condition(t, statement, "StringEquals", "aws:PrincipalArn"), "statement %s", sid)
					assert.Equalf(t, testAccount, condition(t, statement, "StringEquals", "kms:CallerAccount"), "statement %s", sid)
				}
			}
		})
	}
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestKeyResources(t *testing.T) {
	stack := synthtest.Stack(t)
	defaults := NewKey(stack, "defaults", testKeyConfig(PurposeData))

	custom := testKeyConfig(PurposeSecrets)
	custom.Alias = "prod/usw2_secrets"
	custom.Description = "Secrets of the prod environment"
	custom.DeletionWindowDays = 7
	custom.AdminRoleARNs = []string{testDeployARN, "arn:aws:iam::444455556666:role/break-glass", testDeployARN}
	NewKey(stack, "custom", custom)

	cdktf.NewTerraformOutput(stack, jsii.String("key_arn"), &cdktf.TerraformOutputConfig{Value: defaults.ARN})
	cdktf.NewTerraformOutput(stack, jsii.String("key_id"), &cdktf.TerraformOutputConfig{Value: defaults.KeyID})
	cdktf.NewTerraformOutput(stack, jsii.String("alias_arn"), &cdktf.TerraformOutputConfig{Value: defaults.AliasARN})
	doc := synthtest.Synth(t, stack)

	t.Run("defaults", func(t *testing.T) {
		key := doc.Resource(t, "aws_kms_key", "defaults_key")
		assert.Equal(t, true, key["enable_key_rotation"])
		assert.EqualValues(t, 30, key["deletion_window_in_days"])
		assert.Equal(t, "data key for test-data", key["description"])
		assert.Equal(t, map[string]any{"Name": "test-data"}, key["tags"])
		assert.Equal(t, map[string]any{"prevent_destroy": true}, key["lifecycle"])
		assert.Nil(t, key["provider"])

		alias := doc.Resource(t, "aws_kms_alias", "defaults_alias")
		assert.Equal(t, "alias/test-data", alias["name"])
		assert.Equal(t, "${aws_kms_key.defaults_key.key_id}", alias["target_key_id"])
		assert.Equal(t, "alias/test-data", defaults.AliasName)
		assert.Equal(t, PurposeData, defaults.Purpose)
	})

	t.Run("custom", func(t *testing.T) {
		key := doc.Resource(t, "aws_kms_key", "custom_key")
		assert.EqualValues(t, 7, key["deletion_window_in_days"])
		assert.Equal(t, "Secrets of the prod environment", key["description"])

		admin := statementsBySid(t, key["policy"])[sidAdministration]
		assert.Equal(t,
			[]string{testRootARN, testDeployARN, "arn:aws:iam::444455556666:role/break-glass"},
			stringList(t, admin["Principal"].(map[string]any)["AWS"]),
			"root first, each role once, in the order given")

		alias := doc.Resource(t, "aws_kms_alias", "custom_alias")
		assert.Equal(t, "alias/prod/usw2_secrets", alias["name"])
	})

	t.Run("outputs", func(t *testing.T) {
		outputs := doc.Outputs()
		assert.Equal(t, "${aws_kms_key.defaults_key.arn}", outputs["key_arn"]["value"])
		assert.Equal(t, "${aws_kms_key.defaults_key.key_id}", outputs["key_id"]["value"])
		assert.Equal(t, "${aws_kms_alias.defaults_alias.arn}", outputs["alias_arn"]["value"])
	})
}

func TestKeyProviderAndPartition(t *testing.T) {
	stack := synthtest.Stack(t)
	east := provider.NewAwsProvider(stack, jsii.String("aws_use1"), &provider.AwsProviderConfig{
		Region: jsii.String("us-east-1"),
		Alias:  jsii.String("use1"),
	})
	cfg := testKeyConfig(PurposeLogs)
	cfg.Region = "us-east-1"
	cfg.Provider = east
	NewKey(stack, "east", cfg)

	gov := KeyConfig{
		Alias:         "gov-logs",
		Purpose:       PurposeLogs,
		AccountID:     testAccount,
		Region:        "us-gov-west-1",
		Partition:     "aws-us-gov",
		AdminRoleARNs: []string{"arn:aws-us-gov:iam::111122223333:role/deploy"},
	}
	NewKey(stack, "gov", gov)
	doc := synthtest.Synth(t, stack)

	assert.Equal(t, "aws.use1", doc.Resource(t, "aws_kms_key", "east_key")["provider"])
	assert.Equal(t, "aws.use1", doc.Resource(t, "aws_kms_alias", "east_alias")["provider"])
	eastLogs := statementsBySid(t, doc.Resource(t, "aws_kms_key", "east_key")["policy"])[sidLogsService]
	assert.Equal(t, map[string]any{"Service": "logs.us-east-1.amazonaws.com"}, eastLogs["Principal"])

	govStatements := statementsBySid(t, doc.Resource(t, "aws_kms_key", "gov_key")["policy"])
	assert.Contains(t, stringList(t, govStatements[sidAdministration]["Principal"].(map[string]any)["AWS"]), "arn:aws-us-gov:iam::111122223333:root")
	assert.Equal(t, "arn:aws-us-gov:logs:us-gov-west-1:111122223333:log-group:*",
		condition(t, govStatements[sidLogsService], "ArnLike", "kms:EncryptionContext:aws:logs:arn"))
}

func TestKeyConfigValidate(t *testing.T) {
	cases := []struct {
		name   string
		modify func(*KeyConfig)
		want   string
	}{
		{"missing alias", func(c *KeyConfig) { c.Alias = "" }, "KeyConfig.Alias is missing"},
		{"alias with prefix", func(c *KeyConfig) { c.Alias = "alias/prod-logs" }, `KeyConfig.Alias: "alias/prod-logs" starts with "alias/"`},
		{"reserved alias", func(c *KeyConfig) { c.Alias = "aws/logs" }, `KeyConfig.Alias: "aws/logs" starts with "aws/"`},
		{"alias with space", func(c *KeyConfig) { c.Alias = "prod logs" }, `KeyConfig.Alias: "prod logs" is invalid`},
		{"alias with dot", func(c *KeyConfig) { c.Alias = "prod.logs" }, `KeyConfig.Alias: "prod.logs" is invalid`},
		{"alias too long", func(c *KeyConfig) { c.Alias = strings.Repeat("a", 251) }, "is too long"},
		{"missing purpose", func(c *KeyConfig) { c.Purpose = "" }, `KeyConfig.Purpose: "" is unknown`},
		{"unknown purpose", func(c *KeyConfig) { c.Purpose = "backups" }, `KeyConfig.Purpose: "backups" is unknown`},
		{"short account", func(c *KeyConfig) { c.AccountID = "12345" }, `KeyConfig.AccountID: "12345" is not a 12-digit AWS account ID`},
		{"account with letters", func(c *KeyConfig) { c.AccountID = "11112222333a" }, `KeyConfig.AccountID: "11112222333a" is not a 12-digit AWS account ID`},
		{"missing region", func(c *KeyConfig) { c.Region = "" }, "KeyConfig.Region is missing"},
		{"malformed region", func(c *KeyConfig) { c.Region = "usw2" }, `KeyConfig.Region: "usw2" is not an AWS region name`},
		{"china partition", func(c *KeyConfig) { c.Partition = "aws-cn" }, `KeyConfig.Partition: "aws-cn" is not supported`},
		{"no admin roles", func(c *KeyConfig) { c.AdminRoleARNs = nil }, "KeyConfig.AdminRoleARNs is empty"},
		{"admin user", func(c *KeyConfig) { c.AdminRoleARNs = []string{"arn:aws:iam::111122223333:user/alice"} }, `KeyConfig.AdminRoleARNs[0]: "arn:aws:iam::111122223333:user/alice" is not an IAM role ARN`},
		{"admin role name only", func(c *KeyConfig) { c.AdminRoleARNs = []string{testDeployARN, "deploy"} }, `KeyConfig.AdminRoleARNs[1]: "deploy" is not an IAM role ARN`},
		{"admin role in other partition", func(c *KeyConfig) { c.AdminRoleARNs = []string{"arn:aws-us-gov:iam::111122223333:role/deploy"} }, `is in partition "aws-us-gov", not "aws"`},
		{"deletion window too short", func(c *KeyConfig) { c.DeletionWindowDays = 6 }, "KeyConfig.DeletionWindowDays: 6 is out of range"},
		{"deletion window too long", func(c *KeyConfig) { c.DeletionWindowDays = 31 }, "KeyConfig.DeletionWindowDays: 31 is out of range"},
		{"negative deletion window", func(c *KeyConfig) { c.DeletionWindowDays = -1 }, "KeyConfig.DeletionWindowDays: -1 is out of range"},
	}

	require.NoError(t, testKeyConfig(PurposeLogs).withDefaults().Validate())
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := testKeyConfig(PurposeLogs)
			c.modify(&cfg)
			err := cfg.withDefaults().Validate()
			assert.ErrorContains(t, err, c.want)
			assert.ErrorContains(t, err, "kms: ")
		})
	}
}

func TestKeyConfigValidateReportsEveryProblem(t *testing.T) {
	err := KeyConfig{}.withDefaults().Validate()
	for _, field := range []string{"Alias", "Purpose", "AccountID", "Region", "AdminRoleARNs"} {
		assert.ErrorContains(t, err, "KeyConfig."+field)
	}
}

func TestNewKeyPanicsOnInvalidConfig(t *testing.T) {
	stack := synthtest.Stack(t)
	cfg := testKeyConfig(PurposeData)
	cfg.AccountID = "not-an-account"
	assert.PanicsWithError(t, `kms: KeyConfig.AccountID: "not-an-account" is not a 12-digit AWS account ID`, func() {
		NewKey(stack, "bad", cfg)
	})
}
