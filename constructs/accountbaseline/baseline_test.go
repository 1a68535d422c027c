package accountbaseline

import (
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/stretchr/testify/assert"

	"github.com/honeyhive/platform/internal/synthtest"
)

const (
	testAccount = "111122223333"
	testKeyARN  = "arn:aws:kms:us-west-2:111122223333:key/0b1c2d3e-0000-4000-8000-000000000001"
)

func testConfig() Config {
	return Config{
		AccountID:    testAccount,
		Region:       "us-west-2",
		Name:         "prod",
		EBSKMSKeyARN: jsii.String(testKeyARN),
	}
}

func TestBaselineResources(t *testing.T) {
	stack := synthtest.Stack(t)
	baseline := New(stack, "baseline", testConfig())
	cdktf.NewTerraformOutput(stack, jsii.String("analyzer_arn"), &cdktf.TerraformOutputConfig{Value: baseline.AnalyzerARN})

	// A second baseline takes its key from another resource, as the global
	// stack does with the substrate's data key.
	tokenStack := synthtest.Stack(t)
	cfg := testConfig()
	cfg.EBSKMSKeyARN = cdktf.Fn_Lower(jsii.String("ARN"))
	New(tokenStack, "baseline", cfg)

	doc := synthtest.Synth(t, stack)

	t.Run("s3 public access block", func(t *testing.T) {
		block := doc.Resource(t, "aws_s3_account_public_access_block", "baseline_s3_public_access_block")
		assert.Equal(t, testAccount, block["account_id"])
		for _, setting := range []string{"block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"} {
			assert.Equal(t, true, block[setting], setting)
		}
	})

	t.Run("ebs encryption", func(t *testing.T) {
		encryption := doc.Resource(t, "aws_ebs_encryption_by_default", "baseline_ebs_encryption_by_default")
		assert.Equal(t, true, encryption["enabled"])
		assert.Contains(t, encryption["depends_on"], "aws_ebs_default_kms_key.baseline_ebs_default_kms_key")

		key := doc.Resource(t, "aws_ebs_default_kms_key", "baseline_ebs_default_kms_key")
		assert.Equal(t, testKeyARN, key["key_arn"])
	})

	t.Run("access analyzer", func(t *testing.T) {
		analyzer := doc.Resource(t, "aws_accessanalyzer_analyzer", "baseline_access_analyzer")
		assert.Equal(t, "prod-account", analyzer["analyzer_name"])
		assert.Equal(t, "ACCOUNT", analyzer["type"])
		assert.Equal(t, map[string]any{"Name": "prod-account"}, analyzer["tags"])
		assert.Len(t, doc.Resources("aws_accessanalyzer_analyzer"), 1)
	})

	t.Run("outputs", func(t *testing.T) {
		assert.Equal(t, "prod-account", baseline.AnalyzerName)
		assert.Equal(t, "${aws_accessanalyzer_analyzer.baseline_access_analyzer.arn}", doc.Outputs()["analyzer_arn"]["value"])
	})

	t.Run("key token", func(t *testing.T) {
		tokenDoc := synthtest.Synth(t, tokenStack)
		key := tokenDoc.Resource(t, "aws_ebs_default_kms_key", "baseline_ebs_default_kms_key")
		assert.Equal(t, `${lower("ARN")}`, key["key_arn"])
	})
}

func TestConfigDefaults(t *testing.T) {
	cfg := testConfig().withDefaults()
	assert.Equal(t, "aws", cfg.Partition)
	assert.NoError(t, cfg.Validate())
}

func TestConfigValidate(t *testing.T) {
	cases := []struct {
		name   string
		modify func(*Config)
		want   string
	}{
		{"bad account", func(c *Config) { c.AccountID = "abc" }, `accountbaseline: Config.AccountID: "abc" is not a 12-digit AWS account ID`},
		{"missing region", func(c *Config) { c.Region = "" }, "accountbaseline: Config.Region is missing"},
		{"bad region", func(c *Config) { c.Region = "US-WEST-2" }, `accountbaseline: Config.Region: "US-WEST-2" is not an AWS region name`},
		{"China partition", func(c *Config) { c.Partition = "aws-cn" }, `accountbaseline: Config.Partition: "aws-cn" is not supported`},
		{"missing name", func(c *Config) { c.Name = "" }, "accountbaseline: Config.Name is missing"},
		{"name starting with digit", func(c *Config) { c.Name = "1prod" }, `accountbaseline: Config.Name: "1prod" is invalid`},
		{"name with space", func(c *Config) { c.Name = "prod env" }, `accountbaseline: Config.Name: "prod env" is invalid`},
		{"name too long", func(c *Config) { c.Name = "a" + strings.Repeat("b", 247) }, "is too long; use at most 247 characters"},
		{"missing key", func(c *Config) { c.EBSKMSKeyARN = nil }, "accountbaseline: Config.EBSKMSKeyARN is missing"},
		{"empty key", func(c *Config) { c.EBSKMSKeyARN = jsii.String("") }, "accountbaseline: Config.EBSKMSKeyARN is missing"},
		{"key alias", func(c *Config) { c.EBSKMSKeyARN = jsii.String("alias/aws/ebs") }, `accountbaseline: Config.EBSKMSKeyARN: "alias/aws/ebs" is not a KMS key ARN`},
		{"key of other region", func(c *Config) {
			c.EBSKMSKeyARN = jsii.String("arn:aws:kms:us-east-1:111122223333:key/0b1c2d3e-0000-4000-8000-000000000001")
		}, `is in region "us-east-1", not "us-west-2"`},
		{"key of other partition", func(c *Config) {
			c.EBSKMSKeyARN = jsii.String("arn:aws-us-gov:kms:us-west-2:111122223333:key/0b1c2d3e-0000-4000-8000-000000000001")
		}, `is in partition "aws-us-gov", not "aws"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := testConfig()
			c.modify(&cfg)
			assert.ErrorContains(t, cfg.withDefaults().Validate(), c.want)
		})
	}

	t.Run("longest name", func(t *testing.T) {
		cfg := testConfig()
		cfg.Name = "a" + strings.Repeat("b", 246)
		assert.NoError(t, cfg.withDefaults().Validate())
	})

	t.Run("key token", func(t *testing.T) {
		cfg := testConfig()
		cfg.EBSKMSKeyARN = cdktf.Fn_Lower(jsii.String("ARN"))
		assert.NoError(t, cfg.withDefaults().Validate())
	})

	t.Run("every problem reported", func(t *testing.T) {
		err := Config{}.withDefaults().Validate()
		assert.ErrorContains(t, err, "Config.AccountID")
		assert.ErrorContains(t, err, "Config.Region")
		assert.ErrorContains(t, err, "Config.Name")
		assert.ErrorContains(t, err, "Config.EBSKMSKeyARN")
	})
}

func TestNewPanicsOnInvalidConfig(t *testing.T) {
	stack := synthtest.Stack(t)
	cfg := testConfig()
	cfg.EBSKMSKeyARN = nil
	assert.PanicsWithError(t, "accountbaseline: Config.EBSKMSKeyARN is missing; pass the ARN of a customer-managed KMS key", func() {
		New(stack, "baseline", cfg)
	})
}
