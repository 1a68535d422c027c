package monitoring

import (
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/kmskey"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/honeyhive/platform/internal/synthtest"
)

func TestConfigValidate(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(*Config)
		want   string
	}{
		{"missing cluster token", func(c *Config) { c.Cluster.NameToken = nil }, "Config.Cluster.NameToken is missing"},
		{"missing cluster ARN", func(c *Config) { c.Cluster.ARN = nil }, "Config.Cluster.ARN is missing"},
		{"bad account", func(c *Config) { c.Cluster.AccountID = "1234" }, `Config.Cluster.AccountID: "1234" is not a 12-digit AWS account ID`},
		{"bad region", func(c *Config) { c.Cluster.Region = "usw2" }, `Config.Cluster.Region: "usw2" is not an AWS region name`},
		{"unsupported partition", func(c *Config) { c.Cluster.Partition = "aws-cn" }, `Config.Cluster.Partition: "aws-cn" is not supported`},
		{"empty name", func(c *Config) { c.Name = "" }, "Config.Name is empty"},
		{"uppercase name", func(c *Config) { c.Name = "Prod-USW2" }, `Config.Name: "Prod-USW2" is invalid`},
		{"name too long for roles", func(c *Config) { c.Name = strings.Repeat("a", 50) }, "is longer than 49 characters"},
		{"empty secrets prefix", func(c *Config) { c.SecretsPrefix = "" }, "Config.SecretsPrefix is empty"},
		{"prefix without slash", func(c *Config) { c.SecretsPrefix = "prod/usw2" }, `Config.SecretsPrefix: "prod/usw2" does not end with "/"`},
		{"wildcard prefix", func(c *Config) { c.SecretsPrefix = "prod/*/" }, `Config.SecretsPrefix: "prod/*/" contains characters`},
		{"missing secrets key", func(c *Config) { c.SecretsKMSKeyARN = nil }, "Config.SecretsKMSKeyARN is missing"},
		{"missing logs key", func(c *Config) { c.LogsKMSKeyARN = jsii.String("") }, "Config.LogsKMSKeyARN is missing"},
		{"missing traces key", func(c *Config) { c.TracesKMSKeyARN = nil }, "Config.TracesKMSKeyARN is missing"},
		{"alias instead of key", func(c *Config) {
			c.TracesKMSKeyARN = jsii.String("arn:aws:kms:us-west-2:100000000004:alias/traces")
		}, "Config.TracesKMSKeyARN: \"arn:aws:kms:us-west-2:100000000004:alias/traces\" is not a KMS key ARN"},
		{"log retention not accepted", func(c *Config) { c.LogRetentionDays = 10 }, "Config.LogRetentionDays: 10 days is not a retention period CloudWatch Logs accepts"},
		{"log retention missing", func(c *Config) { c.LogRetentionDays = 0 }, "Config.LogRetentionDays is missing"},
		{"prometheus retention zero", func(c *Config) { c.PrometheusRetentionDays = 0 }, "Config.PrometheusRetentionDays: 0 days is out of range"},
		{"prometheus storage too small", func(c *Config) { c.PrometheusStorageGiB = 9 }, "Config.PrometheusStorageGiB: 9 GiB is out of range"},
		{"prometheus storage too large", func(c *Config) { c.PrometheusStorageGiB = 20000 }, "Config.PrometheusStorageGiB: 20000 GiB is out of range"},
		{"unpinned stack", func(c *Config) { c.KubePrometheusStackVersion = "93.x" }, `Config.KubePrometheusStackVersion: "93.x" is not an exact version`},
		{"unpinned fluent bit", func(c *Config) { c.FluentBitVersion = "latest" }, `Config.FluentBitVersion: "latest" is not an exact version`},
		{"unpinned collector", func(c *Config) { c.OpenTelemetryCollectorVersion = ">=0.182.0" }, `Config.OpenTelemetryCollectorVersion: ">=0.182.0" is not an exact version`},
		{"unpinned collector image", func(c *Config) { c.OpenTelemetryCollectorImageTag = "latest" }, `Config.OpenTelemetryCollectorImageTag: "latest" is not an exact version`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := testConfig()
			c.mutate(&cfg)
			assert.ErrorContains(t, cfg.withDefaults().Validate(), c.want)
		})
	}
	require.NoError(t, testConfig().withDefaults().Validate())
}

func TestConfigValidateAcceptsTokenKeys(t *testing.T) {
	stack := synthtest.Stack(t)
	cfg := testConfig()
	cfg.TracesKMSKeyARN = kmskey.NewKmsKey(stack, jsii.String("traces_key"), &kmskey.KmsKeyConfig{}).Arn()
	assert.NoError(t, cfg.withDefaults().Validate())
}

func TestConfigDefaults(t *testing.T) {
	cfg := testConfig().withDefaults()
	assert.Equal(t, "aws", cfg.Cluster.Partition)
	assert.Equal(t, DefaultKubePrometheusStackVersion, cfg.KubePrometheusStackVersion)
	assert.Equal(t, DefaultFluentBitVersion, cfg.FluentBitVersion)
	assert.Equal(t, DefaultOpenTelemetryCollectorVersion, cfg.OpenTelemetryCollectorVersion)
	assert.Equal(t, DefaultOpenTelemetryCollectorImageTag, cfg.OpenTelemetryCollectorImageTag)

	pinned := testConfig()
	pinned.FluentBitVersion = "0.58.0"
	assert.Equal(t, "0.58.0", pinned.withDefaults().FluentBitVersion, "an explicit version is kept")
}

func TestNewPanicsOnInvalidConfig(t *testing.T) {
	stack := synthtest.Stack(t)
	cfg := testConfig()
	cfg.SecretsPrefix = "prod/usw2"
	assert.PanicsWithError(t, `monitoring: Config.SecretsPrefix: "prod/usw2" does not end with "/"; use "prod/usw2/"`, func() {
		New(stack, "monitoring", cfg)
	})
}
