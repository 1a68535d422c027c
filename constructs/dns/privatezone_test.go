package dns

import (
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/honeyhive/platform/internal/synthtest"
)

func testZoneConfig() PrivateZoneConfig {
	return PrivateZoneConfig{
		Name:   "usw2.internal.prod.honeyhive.ai",
		VPCID:  jsii.String("vpc-0123456789abcdef0"),
		Region: "us-west-2",
	}
}

func TestNewPrivateZone(t *testing.T) {
	stack := synthtest.Stack(t)
	zone := NewPrivateZone(stack, "private_zone", testZoneConfig())
	doc := synthtest.Synth(t, stack)

	assert.Len(t, doc.Resources("aws_route53_zone"), 1)
	resource := doc.Resource(t, "aws_route53_zone", "private_zone_zone")

	t.Run("name and comment", func(t *testing.T) {
		assert.Equal(t, "usw2.internal.prod.honeyhive.ai", resource["name"])
		assert.Equal(t, "Private zone for usw2.internal.prod.honeyhive.ai", resource["comment"])
		assert.Equal(t, map[string]any{"Name": "usw2.internal.prod.honeyhive.ai"}, resource["tags"])
	})

	t.Run("VPC association", func(t *testing.T) {
		vpcs, ok := resource["vpc"].([]any)
		require.Truef(t, ok, "vpc is %T, expected a list of blocks", resource["vpc"])
		require.Len(t, vpcs, 1)
		assert.Equal(t, map[string]any{"vpc_id": "vpc-0123456789abcdef0", "vpc_region": "us-west-2"}, vpcs[0])
	})

	t.Run("deletion protection", func(t *testing.T) {
		assert.Equal(t, map[string]any{"prevent_destroy": true}, resource["lifecycle"])
		assert.Contains(t, resource, "force_destroy")
		assert.Equal(t, false, resource["force_destroy"])
	})

	t.Run("private zone has no delegation set", func(t *testing.T) {
		assert.NotContains(t, resource, "delegation_set_id")
	})

	t.Run("outputs", func(t *testing.T) {
		assert.Equal(t, "usw2.internal.prod.honeyhive.ai", zone.Name)
		require.NotNil(t, zone.ZoneID)
		assert.Contains(t, *zone.ZoneID, "TOKEN")
		require.NotNil(t, zone.ARN)
		assert.Contains(t, *zone.ARN, "TOKEN")
		assert.NotNil(t, zone.NameServers)
	})
}

func TestNewPrivateZoneCustomComment(t *testing.T) {
	stack := synthtest.Stack(t)
	cfg := testZoneConfig()
	cfg.Comment = "Internal service names for prod in us-west-2"
	NewPrivateZone(stack, "private_zone", cfg)
	doc := synthtest.Synth(t, stack)

	resource := doc.Resource(t, "aws_route53_zone", "private_zone_zone")
	assert.Equal(t, "Internal service names for prod in us-west-2", resource["comment"])
}

func TestPrivateZoneWithDefaults(t *testing.T) {
	cfg := testZoneConfig().withDefaults()
	assert.Equal(t, "Private zone for usw2.internal.prod.honeyhive.ai", cfg.Comment)

	custom := testZoneConfig()
	custom.Comment = "kept"
	assert.Equal(t, "kept", custom.withDefaults().Comment)
}

func TestPrivateZoneValidate(t *testing.T) {
	longLabel := strings.Repeat("a", 64)
	longName := strings.Repeat(strings.Repeat("a", 60)+".", 4) + "honeyhive.ai"

	cases := []struct {
		name     string
		mutate   func(*PrivateZoneConfig)
		expected string
	}{
		{"empty name", func(c *PrivateZoneConfig) { c.Name = "" }, "PrivateZoneConfig.Name is empty"},
		{"uppercase name", func(c *PrivateZoneConfig) { c.Name = "USW2.Internal.prod.honeyhive.ai" },
			`"USW2.Internal.prod.honeyhive.ai" contains uppercase letters; use "usw2.internal.prod.honeyhive.ai"`},
		{"single label", func(c *PrivateZoneConfig) { c.Name = "internal" }, `"internal" is a single label`},
		{"label too long", func(c *PrivateZoneConfig) { c.Name = longLabel + ".honeyhive.ai" }, `label "` + longLabel + `" of "` + longLabel + `.honeyhive.ai" is 64 characters; shorten it to at most 63`},
		{"name too long", func(c *PrivateZoneConfig) { c.Name = longName }, "is 256 characters; use a name of at most 253"},
		{"trailing dot", func(c *PrivateZoneConfig) { c.Name = "usw2.internal.prod.honeyhive.ai." },
			`"usw2.internal.prod.honeyhive.ai." ends with a dot; use "usw2.internal.prod.honeyhive.ai" without the trailing dot`},
		{"only a dot", func(c *PrivateZoneConfig) { c.Name = "." }, `"." ends with a dot`},
		{"empty label", func(c *PrivateZoneConfig) { c.Name = "usw2..honeyhive.ai" }, `"usw2..honeyhive.ai" has an empty label at position 1`},
		{"leading dot", func(c *PrivateZoneConfig) { c.Name = ".honeyhive.ai" }, `".honeyhive.ai" has an empty label at position 0`},
		{"leading hyphen", func(c *PrivateZoneConfig) { c.Name = "-usw2.honeyhive.ai" }, `label "-usw2" of "-usw2.honeyhive.ai" is invalid`},
		{"trailing hyphen", func(c *PrivateZoneConfig) { c.Name = "usw2-.honeyhive.ai" }, `label "usw2-" of "usw2-.honeyhive.ai" is invalid`},
		{"underscore", func(c *PrivateZoneConfig) { c.Name = "us_w2.honeyhive.ai" }, `label "us_w2" of "us_w2.honeyhive.ai" is invalid`},
		{"space", func(c *PrivateZoneConfig) { c.Name = "us w2.honeyhive.ai" }, `label "us w2" of "us w2.honeyhive.ai" is invalid`},
		{"missing VPC ID", func(c *PrivateZoneConfig) { c.VPCID = nil }, "PrivateZoneConfig.VPCID is missing"},
		{"empty region", func(c *PrivateZoneConfig) { c.Region = "" }, "PrivateZoneConfig.Region is empty"},
		{"bad region", func(c *PrivateZoneConfig) { c.Region = "usw2" }, `PrivateZoneConfig.Region: "usw2" is not an AWS region name`},
		{"comment too long", func(c *PrivateZoneConfig) { c.Comment = strings.Repeat("x", 257) }, "PrivateZoneConfig.Comment is 257 characters; shorten it to at most 256"},
	}

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := testZoneConfig()
			tc.mutate(&cfg)
			err := cfg.withDefaults().Validate()
			assert.ErrorContains(t, err, tc.expected)
			assert.ErrorContains(t, err, "dns: ")
		})
	}
}

func TestPrivateZoneValidateAcceptsValidNames(t *testing.T) {
	names := []string{
		"usw2.internal.prod.honeyhive.ai",
		"internal.test",
		"a.b",
		"xn--bcher-kva.example",
		"1usw2.honeyhive.ai",
		strings.Repeat("a", 63) + ".honeyhive.ai",
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			cfg := testZoneConfig()
			cfg.Name = name
			assert.NoError(t, cfg.withDefaults().Validate())
		})
	}
}

func TestPrivateZoneValidateReportsMistakeOnce(t *testing.T) {
	cfg := testZoneConfig()
	cfg.Name = "USW2.honeyhive.ai."
	err := cfg.withDefaults().Validate()
	require.Error(t, err)

	lines := strings.Split(err.Error(), "\n")
	assert.Len(t, lines, 2, "expected only the trailing dot and the uppercase letters: %v", lines)
	assert.ErrorContains(t, err, `use "USW2.honeyhive.ai" without the trailing dot`)
	assert.ErrorContains(t, err, `use "usw2.honeyhive.ai"`)
}

func TestNewPrivateZonePanicsOnInvalidConfig(t *testing.T) {
	stack := synthtest.Stack(t)
	cfg := testZoneConfig()
	cfg.VPCID = nil

	assert.PanicsWithError(t, "dns: PrivateZoneConfig.VPCID is missing; set it to the ID of the VPC that resolves the zone", func() {
		NewPrivateZone(stack, "private_zone", cfg)
	})
}
