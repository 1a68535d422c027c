package backup

import (
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/stretchr/testify/assert"

	"github.com/honeyhive/platform/internal/synthtest"
)

const (
	testAccount = "111122223333"
	testKeyARN  = "arn:aws:kms:us-west-2:111122223333:key/0b1c2d3e-0000-4000-8000-000000000001"
	drKeyARN    = "arn:aws:kms:us-east-1:111122223333:key/0b1c2d3e-0000-4000-8000-000000000002"
)

func TestVaultResources(t *testing.T) {
	stack := synthtest.Stack(t)
	dr := provider.NewAwsProvider(stack, jsii.String("aws_dr"), &provider.AwsProviderConfig{
		Region: jsii.String("us-east-1"),
		Alias:  jsii.String("dr"),
	})
	primary := NewVault(stack, "primary", VaultConfig{Name: "prod-usw2", KMSKeyARN: jsii.String(testKeyARN)})
	NewVault(stack, "dr", VaultConfig{Name: "prod-use1-dr", KMSKeyARN: jsii.String(drKeyARN), Provider: dr, Lock: true})
	NewVault(stack, "custom_lock", VaultConfig{Name: "custom", KMSKeyARN: jsii.String(testKeyARN), Lock: true, LockMinRetentionDays: 14, LockMaxRetentionDays: 35})
	output(stack, "primary_vault_arn", primary.ARN)
	doc := synthtest.Synth(t, stack)

	assert.Equal(t, "prod-usw2", primary.Name)
	assert.Equal(t, "${aws_backup_vault.primary_vault.arn}", doc.Outputs()["primary_vault_arn"]["value"])

	t.Run("primary", func(t *testing.T) {
		vault := doc.Resource(t, "aws_backup_vault", "primary_vault")
		assert.Equal(t, "prod-usw2", vault["name"])
		assert.Equal(t, testKeyARN, vault["kms_key_arn"])
		assert.Equal(t, false, vault["force_destroy"])
		assert.Equal(t, map[string]any{"prevent_destroy": true}, vault["lifecycle"])
		assert.Equal(t, map[string]any{"Name": "prod-usw2"}, vault["tags"])
		assert.Nil(t, vault["provider"], "the primary vault uses the default provider")
		assert.NotContains(t, doc.Resources("aws_backup_vault_lock_configuration"), "primary_lock")
	})

	t.Run("dr with default lock", func(t *testing.T) {
		vault := doc.Resource(t, "aws_backup_vault", "dr_vault")
		assert.Equal(t, drKeyARN, vault["kms_key_arn"])
		assert.Equal(t, "aws.dr", vault["provider"])

		lock := doc.Resource(t, "aws_backup_vault_lock_configuration", "dr_lock")
		assert.Equal(t, "${aws_backup_vault.dr_vault.name}", lock["backup_vault_name"])
		assert.EqualValues(t, 7, lock["min_retention_days"])
		assert.EqualValues(t, 3650, lock["max_retention_days"])
		assert.NotContains(t, lock, "changeable_for_days", "governance mode leaves changeable_for_days unset")
		assert.Equal(t, "aws.dr", lock["provider"])
	})

	t.Run("custom lock range", func(t *testing.T) {
		lock := doc.Resource(t, "aws_backup_vault_lock_configuration", "custom_lock_lock")
		assert.EqualValues(t, 14, lock["min_retention_days"])
		assert.EqualValues(t, 35, lock["max_retention_days"])
	})
}

// output adds a stack output with value, so that a test can read the
// Terraform expression behind a token.
func output(stack cdktf.TerraformStack, name string, value *string) {
	cdktf.NewTerraformOutput(stack, jsii.String(name), &cdktf.TerraformOutputConfig{Value: value})
}

func TestVaultConfigValidate(t *testing.T) {
	valid := VaultConfig{Name: "prod-usw2", KMSKeyARN: jsii.String(testKeyARN)}
	assert.NoError(t, valid.withDefaults().Validate())

	cases := []struct {
		name   string
		modify func(*VaultConfig)
		want   string
	}{
		{"missing name", func(c *VaultConfig) { c.Name = "" }, "backup: VaultConfig.Name is missing"},
		{"name with dot", func(c *VaultConfig) { c.Name = "prod.usw2" }, `backup: VaultConfig.Name: "prod.usw2" is invalid`},
		{"name too short", func(c *VaultConfig) { c.Name = "a" }, `VaultConfig.Name: "a" is invalid`},
		{"missing key", func(c *VaultConfig) { c.KMSKeyARN = nil }, "backup: VaultConfig.KMSKeyARN is missing"},
		{"key alias", func(c *VaultConfig) { c.KMSKeyARN = jsii.String("alias/backup") }, `"alias/backup" is not a KMS key ARN`},
		{"negative lock minimum", func(c *VaultConfig) { c.Lock = true; c.LockMinRetentionDays = -1 }, "backup: VaultConfig.LockMinRetentionDays: -1 is invalid"},
		{"lock maximum below minimum", func(c *VaultConfig) { c.Lock = true; c.LockMinRetentionDays = 30; c.LockMaxRetentionDays = 7 }, "backup: VaultConfig.LockMaxRetentionDays: 7 is less than LockMinRetentionDays 30"},
		{"lock range without lock", func(c *VaultConfig) { c.LockMinRetentionDays = 7 }, "set but Lock is false"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := valid
			c.modify(&cfg)
			assert.ErrorContains(t, cfg.withDefaults().Validate(), c.want)
		})
	}
}

func TestNewVaultPanicsOnInvalidConfig(t *testing.T) {
	stack := synthtest.Stack(t)
	assert.PanicsWithError(t, "backup: VaultConfig.KMSKeyARN is missing; pass the ARN of a customer-managed KMS key", func() {
		NewVault(stack, "vault", VaultConfig{Name: "prod-usw2"})
	})
}
