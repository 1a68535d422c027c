package karpenter

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestConfigDefaults(t *testing.T) {
	_, helm := testStack(t)
	cfg := validConfig(helm).withDefaults()

	assert.Equal(t, "aws", cfg.Partition)
	assert.Equal(t, DefaultChartVersion, cfg.ChartVersion)
	assert.Equal(t, "arm64", cfg.Architecture)
	assert.Equal(t, DefaultAMIAlias, cfg.AMIAlias)
	assert.Equal(t, DefaultRootVolumeSizeGiB, cfg.RootVolumeSizeGiB)
	assert.Equal(t, DefaultInstanceFamilies, cfg.InstanceFamilies)
	require.NoError(t, cfg.Validate())

	cfg.InstanceFamilies[0] = "x"
	assert.Equal(t, "m7g", DefaultInstanceFamilies[0], "defaults are copied, not shared")
}

func TestPinnedDefaults(t *testing.T) {
	assert.Regexp(t, `^1\.[0-9]+\.[0-9]+$`, DefaultChartVersion)
	assert.Regexp(t, `^al2023@v20[0-9]{6}$`, DefaultAMIAlias)
	assert.NotContains(t, DefaultAMIAlias, "latest")
}

func TestConfigValidate(t *testing.T) {
	_, helm := testStack(t)

	cases := []struct {
		name   string
		mutate func(*Config)
		want   string
	}{
		{"bad cluster name", func(c *Config) { c.ClusterName = "prod usw2" }, `Config.ClusterName: "prod usw2" is not an EKS cluster name`},
		{"missing cluster token", func(c *Config) { c.Cluster = nil }, "Config.Cluster is missing"},
		{"missing cluster ARN", func(c *Config) { c.ClusterARN = nil }, "Config.ClusterARN is missing"},
		{"missing endpoint", func(c *Config) { c.ClusterEndpoint = nil }, "Config.ClusterEndpoint is missing"},
		{"missing security group", func(c *Config) { c.ClusterSecurityGroupID = nil }, "Config.ClusterSecurityGroupID is missing"},
		{"bad account", func(c *Config) { c.AccountID = "1234" }, `Config.AccountID: "1234" is not a 12-digit AWS account ID`},
		{"bad region", func(c *Config) { c.Region = "uswest2" }, `Config.Region: "uswest2" is not an AWS region name`},
		{"unknown partition", func(c *Config) { c.Partition = "aws-iso" }, `Config.Partition: "aws-iso" is not supported`},
		{"empty name", func(c *Config) { c.Name = "" }, "Config.Name is empty"},
		{"bad name", func(c *Config) { c.Name = "Prod_usw2" }, `Config.Name: "Prod_usw2" is invalid`},
		{"long name", func(c *Config) { c.Name = strings.Repeat("a", maxNameLength+1) }, "characters long; use at most 32"},
		{"missing volume key", func(c *Config) { c.VolumeKMSKeyARN = nil }, "Config.VolumeKMSKeyARN is missing"},
		{"chart version range", func(c *Config) { c.ChartVersion = "1.6.x" }, `Config.ChartVersion: "1.6.x" is not an exact 1.x.y version`},
		{"chart version before v1", func(c *Config) { c.ChartVersion = "0.37.0" }, `Config.ChartVersion: "0.37.0" is not an exact 1.x.y version`},
		{"zero CPU limit", func(c *Config) { c.CPULimit = 0 }, "Config.CPULimit: 0 must be above zero"},
		{"negative memory limit", func(c *Config) { c.MemoryLimitGiB = -1 }, "Config.MemoryLimitGiB: -1 must be above zero"},
		{"instance type instead of family", func(c *Config) { c.InstanceFamilies = []string{"m7g.large"} }, `Config.InstanceFamilies[0]: "m7g.large" is not an EC2 instance family`},
		{"x86 family on arm64", func(c *Config) { c.InstanceFamilies = []string{"m7g", "m7i"} }, `Config.InstanceFamilies[1]: "m7i" is an amd64 family but Architecture is "arm64"`},
		{"Graviton family on amd64", func(c *Config) { c.Architecture = "amd64"; c.InstanceFamilies = []string{"c7gn"} }, `Config.InstanceFamilies[0]: "c7gn" is an arm64 family but Architecture is "amd64"`},
		{"duplicate family", func(c *Config) { c.InstanceFamilies = []string{"m7g", "c7g", "m7g"} }, `Config.InstanceFamilies[2]: "m7g" is listed twice`},
		{"unknown architecture", func(c *Config) { c.Architecture = "x86_64" }, `Config.Architecture: "x86_64" is not supported`},
		{"zone of another region", func(c *Config) { c.AvailabilityZones = []string{"us-east-1a"} }, `Config.AvailabilityZones[0]: "us-east-1a" is not a zone of region "us-west-2"`},
		{"zone ID instead of name", func(c *Config) { c.AvailabilityZones = []string{"usw2-az1"} }, `Config.AvailabilityZones[0]: "usw2-az1" is not a zone`},
		{"latest AMI", func(c *Config) { c.AMIAlias = "al2023@latest" }, `Config.AMIAlias: "al2023@latest" is not a pinned AL2023 alias`},
		{"other AMI family", func(c *Config) { c.AMIAlias = "bottlerocket@v1.40.0" }, `Config.AMIAlias: "bottlerocket@v1.40.0" is not a pinned AL2023 alias`},
		{"root volume smaller than the AMI", func(c *Config) { c.RootVolumeSizeGiB = 8 }, "Config.RootVolumeSizeGiB: 8 is out of range"},
		{"missing Helm provider", func(c *Config) { c.HelmProvider = nil }, "Config.HelmProvider is missing"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := validConfig(helm)
			c.mutate(&cfg)
			assert.ErrorContains(t, cfg.withDefaults().Validate(), c.want)
		})
	}
}

func TestConfigValidateAcceptsVariants(t *testing.T) {
	_, helm := testStack(t)

	cases := []struct {
		name   string
		mutate func(*Config)
	}{
		{"amd64 families", func(c *Config) { c.Architecture = "amd64"; c.InstanceFamilies = []string{"m7i", "c7a", "m7i-flex"} }},
		{"Graviton variants", func(c *Config) { c.InstanceFamilies = []string{"c7gn", "r6gd", "x2gd", "a1", "m8g"} }},
		{"zones of the region", func(c *Config) { c.AvailabilityZones = []string{"us-west-2a", "us-west-2d"} }},
		{"China partition", func(c *Config) { c.Partition = "aws-cn"; c.Region = "cn-north-1" }},
		{"longest name", func(c *Config) { c.Name = strings.Repeat("a", maxNameLength) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := validConfig(helm)
			c.mutate(&cfg)
			assert.NoError(t, cfg.withDefaults().Validate())
		})
	}
}

func TestValidateReportsEveryProblem(t *testing.T) {
	err := Config{}.withDefaults().Validate()
	require.Error(t, err)
	for _, field := range []string{"ClusterName", "Cluster ", "AccountID", "Region", "Name", "VolumeKMSKeyARN", "CPULimit", "MemoryLimitGiB", "HelmProvider"} {
		assert.Contains(t, err.Error(), "Config."+field)
	}
}

func TestNewPanicsOnInvalidConfig(t *testing.T) {
	stack, helm := testStack(t)
	cfg := validConfig(helm)
	cfg.AMIAlias = "al2023@latest"
	assert.PanicsWithError(t, `karpenter: Config.AMIAlias: "al2023@latest" is not a pinned AL2023 alias; use al2023@vYYYYMMDD, for example "`+DefaultAMIAlias+`"`, func() {
		New(stack, "karpenter", cfg)
	})
}
