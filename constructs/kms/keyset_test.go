package kms

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/honeyhive/platform/internal/synthtest"
)

func testKeySetConfig() KeySetConfig {
	return KeySetConfig{
		NamePrefix:    "prod-usw2",
		AccountID:     testAccount,
		Region:        testRegion,
		AdminRoleARNs: []string{testDeployARN},
	}
}

func TestKeySet(t *testing.T) {
	stack := synthtest.Stack(t)
	cfg := testKeySetConfig()
	cfg.DeletionWindowDays = 14
	set := NewKeySet(stack, "keys", cfg)
	doc := synthtest.Synth(t, stack)

	assert.Len(t, doc.Resources("aws_kms_key"), 4)
	assert.Len(t, doc.Resources("aws_kms_alias"), 4)

	cases := []struct {
		purpose Purpose
		key     *Key
		alias   string
		via     string
	}{
		{PurposeLogs, set.Logs, "alias/prod-usw2-logs", "logs.us-west-2.amazonaws.com"},
		{PurposeCluster, set.Cluster, "alias/prod-usw2-cluster", "eks.us-west-2.amazonaws.com"},
		{PurposeData, set.Data, "alias/prod-usw2-data", "rds.us-west-2.amazonaws.com"},
		{PurposeSecrets, set.Secrets, "alias/prod-usw2-secrets", "secretsmanager.us-west-2.amazonaws.com"},
	}
	for _, c := range cases {
		t.Run(string(c.purpose), func(t *testing.T) {
			require.NotNil(t, c.key)
			assert.Equal(t, c.purpose, c.key.Purpose)
			assert.Equal(t, c.alias, c.key.AliasName)

			name := "keys_" + string(c.purpose)
			alias := doc.Resource(t, "aws_kms_alias", name+"_alias")
			assert.Equal(t, c.alias, alias["name"])
			assert.Equal(t, "${aws_kms_key."+name+"_key.key_id}", alias["target_key_id"])

			key := doc.Resource(t, "aws_kms_key", name+"_key")
			assert.EqualValues(t, 14, key["deletion_window_in_days"])
			assert.Equal(t, true, key["enable_key_rotation"])
			use := statementsBySid(t, key["policy"])[sidServiceUse]
			assert.Contains(t, stringList(t, condition(t, use, "StringEquals", "kms:ViaService")), c.via)
		})
	}
}

func TestKeySetUsesExistingKeys(t *testing.T) {
	const dataKey = "arn:aws:kms:us-west-2:111122223333:key/3f6d2a10-8c4b-4e2a-9d1f-5b7c0e9a1d21"
	stack := synthtest.Stack(t)
	cfg := testKeySetConfig()
	cfg.Existing = map[Purpose]string{PurposeData: dataKey}
	set := NewKeySet(stack, "keys", cfg)
	doc := synthtest.Synth(t, stack)

	assert.Equal(t, dataKey, *set.Data.ARN, "the existing key's ARN is used as given")
	assert.Len(t, doc.Resources("aws_kms_key"), 3, "no key is created for the existing one")
	assert.NotContains(t, doc.Resources("aws_kms_key"), "keys_data_key")
	assert.Contains(t, doc.Resources("aws_kms_key"), "keys_logs_key")
}

func TestKeySetConfigValidate(t *testing.T) {
	cases := []struct {
		name   string
		modify func(*KeySetConfig)
		want   string
	}{
		{"missing prefix", func(c *KeySetConfig) { c.NamePrefix = "" }, "KeySetConfig.NamePrefix is missing"},
		{"prefix with alias prefix", func(c *KeySetConfig) { c.NamePrefix = "alias/prod" }, `KeySetConfig.NamePrefix: "alias/prod" starts with "alias/"`},
		{"reserved prefix", func(c *KeySetConfig) { c.NamePrefix = "aws/prod" }, `KeySetConfig.NamePrefix: "aws/prod" starts with "aws/"`},
		{"prefix with colon", func(c *KeySetConfig) { c.NamePrefix = "prod:usw2" }, `KeySetConfig.NamePrefix: "prod:usw2" is invalid`},
		{"prefix too long for secrets alias", func(c *KeySetConfig) { c.NamePrefix = strings.Repeat("p", 243) }, "is too long"},
		{"bad account", func(c *KeySetConfig) { c.AccountID = "1111-2222-3333" }, `KeySetConfig.AccountID: "1111-2222-3333" is not a 12-digit AWS account ID`},
		{"missing region", func(c *KeySetConfig) { c.Region = "" }, "KeySetConfig.Region is missing"},
		{"unknown partition", func(c *KeySetConfig) { c.Partition = "aws-iso" }, `KeySetConfig.Partition: "aws-iso" is not supported`},
		{"no admin roles", func(c *KeySetConfig) { c.AdminRoleARNs = []string{} }, "KeySetConfig.AdminRoleARNs is empty"},
		{"admin not a role", func(c *KeySetConfig) { c.AdminRoleARNs = []string{"arn:aws:iam::111122223333:root"} }, "KeySetConfig.AdminRoleARNs[0]"},
		{"deletion window too long", func(c *KeySetConfig) { c.DeletionWindowDays = 90 }, "KeySetConfig.DeletionWindowDays: 90 is out of range"},
		{"existing key given as alias", func(c *KeySetConfig) { c.Existing = map[Purpose]string{PurposeData: "alias/acme"} }, `KeySetConfig.Existing[data]: "alias/acme" is not a KMS key ARN`},
		{"existing state key", func(c *KeySetConfig) { c.Existing = map[Purpose]string{PurposeState: testDeployARN} }, `KeySetConfig.Existing[state]: a key set has no "state" key`},
	}

	require.NoError(t, testKeySetConfig().withDefaults().Validate())
	// The longest prefix that still fits: "alias/" + 242 + "-secrets" = 256.
	longest := testKeySetConfig()
	longest.NamePrefix = strings.Repeat("p", 242)
	require.NoError(t, longest.withDefaults().Validate())

	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := testKeySetConfig()
			c.modify(&cfg)
			assert.ErrorContains(t, cfg.withDefaults().Validate(), c.want)
		})
	}
}

func TestNewKeySetPanicsOnInvalidConfig(t *testing.T) {
	stack := synthtest.Stack(t)
	cfg := testKeySetConfig()
	cfg.AdminRoleARNs = nil
	assert.Panics(t, func() { NewKeySet(stack, "keys", cfg) })
}
