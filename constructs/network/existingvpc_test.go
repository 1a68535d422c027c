package network

import (
	"fmt"
	"net/netip"
	"sort"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/honeyhive/platform/internal/synthtest"
)

const (
	testVPCID       = "vpc-0a1b2c3d4e5f60718"
	testClusterName = "acme-usw2"
)

func existingSubnet(id, az, cidr string) ExistingSubnet {
	return ExistingSubnet{ID: id, AvailabilityZone: az, CIDR: netip.MustParsePrefix(cidr)}
}

// validExistingVPCConfig has three private subnets, two database and two
// public subnets, no intra subnets and two private route tables.
func validExistingVPCConfig() ExistingVPCConfig {
	return ExistingVPCConfig{
		Name:        "acme-usw2",
		VPCID:       testVPCID,
		CIDR:        netip.MustParsePrefix("10.40.0.0/16"),
		ClusterName: testClusterName,
		Private: []ExistingSubnet{
			existingSubnet("subnet-0a000000000000001", "us-west-2a", "10.40.0.0/19"),
			existingSubnet("subnet-0a000000000000002", "us-west-2b", "10.40.32.0/19"),
			existingSubnet("subnet-0a000000000000003", "us-west-2c", "10.40.64.0/19"),
		},
		Database: []ExistingSubnet{
			existingSubnet("subnet-0d000000000000001", "us-west-2a", "10.40.96.0/24"),
			existingSubnet("subnet-0d000000000000002", "us-west-2b", "10.40.97.0/24"),
		},
		Public: []ExistingSubnet{
			existingSubnet("subnet-0b000000000000001", "us-west-2a", "10.40.128.0/24"),
			existingSubnet("subnet-0b000000000000002", "us-west-2b", "10.40.129.0/24"),
		},
		RouteTableIDs:        []string{"rtb-0c000000000000001", "rtb-0c000000000000002"},
		FlowLogRetentionDays: 365,
		LogsKMSKeyARN:        jsii.String(testKeyARN),
	}
}

func TestExistingVPC(t *testing.T) {
	cfg := validExistingVPCConfig()
	stack := synthtest.Stack(t)
	v := NewExistingVPC(stack, "network", cfg)
	cdktf.NewTerraformOutput(stack, jsii.String("database_subnet_group"), &cdktf.TerraformOutputConfig{Value: v.DatabaseSubnetGroupName})
	doc := synthtest.Synth(t, stack)

	clusterTag := "kubernetes.io/cluster/" + testClusterName
	tags := tagsByResource(doc)

	t.Run("private subnets carry discovery tags", func(t *testing.T) {
		for i, s := range cfg.Private {
			assert.Equal(t, map[string]string{
				"kubernetes.io/role/internal-elb": "1",
				clusterTag:                        "shared",
				"karpenter.sh/discovery":          testClusterName,
			}, tags[s.ID], "private subnet %d", i)
		}
	})

	t.Run("public subnets carry elb tags", func(t *testing.T) {
		for i, s := range cfg.Public {
			assert.Equal(t, map[string]string{
				"kubernetes.io/role/elb": "1",
				clusterTag:               "shared",
			}, tags[s.ID], "public subnet %d", i)
		}
	})

	t.Run("only private and public subnets are tagged", func(t *testing.T) {
		for _, s := range cfg.Database {
			assert.NotContains(t, tags, s.ID, "database subnet")
		}
		assert.NotContains(t, tags, testVPCID)
		assert.Len(t, doc.Resources("aws_ec2_tag"), 3*len(cfg.Private)+2*len(cfg.Public))
	})

	t.Run("tag addresses name subnet and key", func(t *testing.T) {
		tag := doc.Resource(t, "aws_ec2_tag", "network_private_subnet_2_karpenter_discovery_tag")
		assert.Equal(t, cfg.Private[2].ID, tag["resource_id"])
		assert.Equal(t, "karpenter.sh/discovery", tag["key"])

		tag = doc.Resource(t, "aws_ec2_tag", "network_public_subnet_1_elb_tag")
		assert.Equal(t, cfg.Public[1].ID, tag["resource_id"])
		assert.Equal(t, "kubernetes.io/role/elb", tag["key"])
	})

	t.Run("creates no network resources", func(t *testing.T) {
		for _, typ := range []string{
			"aws_vpc", "aws_subnet", "aws_route", "aws_route_table", "aws_route_table_association",
			"aws_default_route_table", "aws_main_route_table_association", "aws_network_acl",
			"aws_network_acl_rule", "aws_default_network_acl", "aws_default_security_group",
			"aws_security_group", "aws_internet_gateway", "aws_nat_gateway", "aws_eip",
		} {
			assert.Empty(t, doc.Resources(typ), typ)
		}
	})

	t.Run("creates only tags, subnet group and flow logs", func(t *testing.T) {
		resources, _ := doc["resource"].(map[string]any)
		var types []string
		for typ := range resources {
			types = append(types, typ)
		}
		sort.Strings(types)
		assert.Equal(t, []string{
			"aws_cloudwatch_log_group", "aws_db_subnet_group", "aws_ec2_tag",
			"aws_flow_log", "aws_iam_role", "aws_iam_role_policy",
		}, types)
	})

	t.Run("database subnet group", func(t *testing.T) {
		group := doc.Resource(t, "aws_db_subnet_group", "network_database_subnet_group")
		assert.Equal(t, "acme-usw2-database", group["name"])
		assert.Equal(t, []any{cfg.Database[0].ID, cfg.Database[1].ID}, group["subnet_ids"])
		assert.Equal(t, map[string]any{"Name": "acme-usw2-database"}, tagsOf(group))
		assert.Equal(t, ref("aws_db_subnet_group.network_database_subnet_group", "name"), doc.Outputs()["database_subnet_group"]["value"])
	})

	t.Run("flow log covers the VPC", func(t *testing.T) {
		require.NotNil(t, v.FlowLogs)
		flowLog := doc.Resource(t, "aws_flow_log", "network_flow_logs_flow_log")
		assert.Equal(t, testVPCID, flowLog["vpc_id"])
		group := doc.Resource(t, "aws_cloudwatch_log_group", "network_flow_logs_log_group")
		assert.Equal(t, testKeyARN, group["kms_key_id"])
		assert.Equal(t, float64(365), group["retention_in_days"])
	})

	t.Run("data sources check the configuration", func(t *testing.T) {
		vpc := doc.DataSources("aws_vpc")["network_vpc"]
		require.NotNil(t, vpc, "data.aws_vpc.network_vpc")
		assert.Equal(t, testVPCID, vpc["id"])
		assert.Equal(t, "10.40.0.0/16", vpc["cidr_block"])

		subnets := doc.DataSources("aws_subnet")
		assert.Len(t, subnets, len(cfg.Private)+len(cfg.Database)+len(cfg.Public))
		tiers := map[string][]ExistingSubnet{"private": cfg.Private, "database": cfg.Database, "public": cfg.Public}
		for tier, listed := range tiers {
			for i, s := range listed {
				name := fmt.Sprintf("network_%s_subnet_%d", tier, i)
				subnet := subnets[name]
				require.NotNil(t, subnet, "data.aws_subnet.%s", name)
				assert.Equal(t, s.ID, subnet["id"], name)
				assert.Equal(t, testVPCID, subnet["vpc_id"], name)
				assert.Equal(t, s.AvailabilityZone, subnet["availability_zone"], name)
				assert.Equal(t, s.CIDR.String(), subnet["cidr_block"], name)
			}
		}

		tables := doc.DataSources("aws_route_table")
		assert.Len(t, tables, len(cfg.RouteTableIDs))
		for i, id := range cfg.RouteTableIDs {
			name := fmt.Sprintf("network_private_route_table_%d", i)
			table := tables[name]
			require.NotNil(t, table, "data.aws_route_table.%s", name)
			assert.Equal(t, id, table["route_table_id"], name)
			assert.Equal(t, testVPCID, table["vpc_id"], name)
		}
	})

	t.Run("outputs mirror the configuration", func(t *testing.T) {
		assert.Equal(t, testVPCID, *v.ID)
		assert.Equal(t, cfg.CIDR, v.CIDR)
		assert.Equal(t, []string{"us-west-2a", "us-west-2b", "us-west-2c"}, v.AvailabilityZones)
		assert.Equal(t, []string{"subnet-0a000000000000001", "subnet-0a000000000000002", "subnet-0a000000000000003"}, derefAll(v.PrivateSubnetIDs))
		assert.Equal(t, []string{"subnet-0d000000000000001", "subnet-0d000000000000002"}, derefAll(v.DatabaseSubnetIDs))
		assert.Equal(t, []string{"subnet-0b000000000000001", "subnet-0b000000000000002"}, derefAll(v.PublicSubnetIDs))
		assert.Equal(t, []string{"10.40.0.0/19", "10.40.32.0/19", "10.40.64.0/19"}, v.PrivateSubnetCIDRs)
		assert.Equal(t, []string{"10.40.96.0/24", "10.40.97.0/24"}, v.DatabaseSubnetCIDRs)
		assert.Equal(t, []string{"10.40.128.0/24", "10.40.129.0/24"}, v.PublicSubnetCIDRs)
		assert.Equal(t, []string{"rtb-0c000000000000001", "rtb-0c000000000000002"}, derefAll(v.RouteTableIDs()))
	})

	t.Run("intra falls back to private", func(t *testing.T) {
		assert.Equal(t, derefAll(v.PrivateSubnetIDs), derefAll(v.IntraSubnetIDs))
	})
}

func TestExistingVPCMinimal(t *testing.T) {
	cfg := validExistingVPCConfig()
	cfg.Private = []ExistingSubnet{
		existingSubnet("subnet-0a000001", "us-west-2a", "10.40.0.0/19"),
		existingSubnet("subnet-0a000002", "us-west-2b", "10.40.32.0/19"),
		existingSubnet("subnet-0a000003", "us-west-2a", "10.40.64.0/19"),
	}
	cfg.Intra = []ExistingSubnet{
		existingSubnet("subnet-0e000001", "us-west-2a", "10.40.100.0/28"),
		existingSubnet("subnet-0e000002", "us-west-2b", "10.40.100.16/28"),
	}
	cfg.Database = nil
	cfg.Public = nil
	cfg.RouteTableIDs = nil
	cfg.SkipFlowLogs = true
	cfg.FlowLogRetentionDays = 0
	cfg.LogsKMSKeyARN = nil

	stack := synthtest.Stack(t)
	v := NewExistingVPC(stack, "network", cfg)
	doc := synthtest.Synth(t, stack)

	t.Run("no flow logs when skipped", func(t *testing.T) {
		assert.Nil(t, v.FlowLogs)
		assert.Empty(t, doc.Resources("aws_flow_log"))
		assert.Empty(t, doc.Resources("aws_cloudwatch_log_group"))
		assert.Empty(t, doc.Resources("aws_iam_role"))
	})

	t.Run("no subnet group without database subnets", func(t *testing.T) {
		assert.Nil(t, v.DatabaseSubnetGroupName)
		assert.Empty(t, v.DatabaseSubnetIDs)
		assert.Empty(t, doc.Resources("aws_db_subnet_group"))
	})

	t.Run("only private subnets are tagged", func(t *testing.T) {
		tags := tagsByResource(doc)
		assert.Len(t, tags, len(cfg.Private))
		for i, s := range cfg.Private {
			assert.Contains(t, tags, s.ID, "private subnet %d", i)
		}
		for _, keys := range tags {
			assert.NotContains(t, keys, "kubernetes.io/role/elb")
		}
	})

	t.Run("intra subnets when listed", func(t *testing.T) {
		assert.Equal(t, []string{"subnet-0e000001", "subnet-0e000002"}, derefAll(v.IntraSubnetIDs))
		assert.Len(t, doc.DataSources("aws_subnet"), len(cfg.Private)+len(cfg.Intra))
	})

	t.Run("zones are distinct and ordered", func(t *testing.T) {
		assert.Equal(t, []string{"us-west-2a", "us-west-2b"}, v.AvailabilityZones)
	})

	t.Run("no route tables", func(t *testing.T) {
		assert.Empty(t, v.RouteTableIDs())
		assert.Empty(t, doc.DataSources("aws_route_table"))
	})
}

func TestExistingVPCConfigValidate(t *testing.T) {
	require.NoError(t, validExistingVPCConfig().Validate())

	cases := []struct {
		name   string
		modify func(*ExistingVPCConfig)
		want   string
	}{
		{"missing name", func(c *ExistingVPCConfig) { c.Name = "" }, "ExistingVPCConfig.Name is missing"},
		{"uppercase name", func(c *ExistingVPCConfig) { c.Name = "Acme" }, `ExistingVPCConfig.Name: "Acme" is not a valid name prefix`},
		{"long name", func(c *ExistingVPCConfig) { c.Name = strings.Repeat("a", 51) }, "use at most 50"},

		{"missing VPC ID", func(c *ExistingVPCConfig) { c.VPCID = "" }, "ExistingVPCConfig.VPCID is missing"},
		{"short VPC ID", func(c *ExistingVPCConfig) { c.VPCID = "vpc-0a1b2c3" }, `ExistingVPCConfig.VPCID: "vpc-0a1b2c3" is not a VPC ID`},
		{"uppercase VPC ID", func(c *ExistingVPCConfig) { c.VPCID = "vpc-0A1B2C3D" }, `ExistingVPCConfig.VPCID: "vpc-0A1B2C3D" is not a VPC ID`},
		{"subnet ID as VPC ID", func(c *ExistingVPCConfig) { c.VPCID = "subnet-0a1b2c3d" }, `ExistingVPCConfig.VPCID: "subnet-0a1b2c3d" is not a VPC ID`},

		{"missing CIDR", func(c *ExistingVPCConfig) { c.CIDR = netip.Prefix{} }, "ExistingVPCConfig.CIDR is missing"},
		{"IPv6 CIDR", func(c *ExistingVPCConfig) { c.CIDR = netip.MustParsePrefix("fd00::/56") }, `ExistingVPCConfig.CIDR "fd00::/56" is not IPv4`},
		{"CIDR too large", func(c *ExistingVPCConfig) { c.CIDR = netip.MustParsePrefix("10.0.0.0/15") }, `ExistingVPCConfig.CIDR "10.0.0.0/15" is not a range AWS accepts; use a /16 to /28 range`},
		{"CIDR too small", func(c *ExistingVPCConfig) { c.CIDR = netip.MustParsePrefix("10.40.0.0/29") }, `ExistingVPCConfig.CIDR "10.40.0.0/29" is not a range AWS accepts`},
		{"CIDR with host bits", func(c *ExistingVPCConfig) { c.CIDR = netip.MustParsePrefix("10.40.4.0/16") }, `ExistingVPCConfig.CIDR "10.40.4.0/16" has host bits set; use the network address "10.40.0.0/16"`},

		{"missing cluster name", func(c *ExistingVPCConfig) { c.ClusterName = "" }, "ExistingVPCConfig.ClusterName is missing"},
		{"cluster name with space", func(c *ExistingVPCConfig) { c.ClusterName = "acme cluster" }, `ExistingVPCConfig.ClusterName: "acme cluster" is not a valid EKS cluster name`},

		{"missing subnet ID", func(c *ExistingVPCConfig) { c.Private[1].ID = "" }, "ExistingVPCConfig.Private[1].ID is missing"},
		{"malformed subnet ID", func(c *ExistingVPCConfig) { c.Private[1].ID = "subnet-xyz" }, `ExistingVPCConfig.Private[1].ID: "subnet-xyz" is not a subnet ID`},
		{"subnet ID of 9 digits", func(c *ExistingVPCConfig) { c.Public[0].ID = "subnet-0a1b2c3d4" }, `ExistingVPCConfig.Public[0].ID: "subnet-0a1b2c3d4" is not a subnet ID`},
		{"subnet listed twice in a tier", func(c *ExistingVPCConfig) { c.Private[2].ID = c.Private[0].ID }, `ExistingVPCConfig.Private[2].ID: "subnet-0a000000000000001" is already listed as ExistingVPCConfig.Private[0]`},
		{"subnet listed in two tiers", func(c *ExistingVPCConfig) { c.Database[0].ID = c.Private[1].ID }, `ExistingVPCConfig.Database[0].ID: "subnet-0a000000000000002" is already listed as ExistingVPCConfig.Private[1]; list each subnet once, in one tier`},

		{"missing subnet AZ", func(c *ExistingVPCConfig) { c.Database[1].AvailabilityZone = "" }, "ExistingVPCConfig.Database[1].AvailabilityZone is missing"},
		{"region as subnet AZ", func(c *ExistingVPCConfig) { c.Private[0].AvailabilityZone = "us-west-2" }, `ExistingVPCConfig.Private[0].AvailabilityZone: "us-west-2" is not an availability zone name`},
		{"Local Zone subnet", func(c *ExistingVPCConfig) { c.Public[1].AvailabilityZone = "us-west-2-lax-1a" }, `ExistingVPCConfig.Public[1].AvailabilityZone: "us-west-2-lax-1a" is not an availability zone name`},
		{"subnets of two regions", func(c *ExistingVPCConfig) { c.Public[0].AvailabilityZone = "us-east-1a" }, `ExistingVPCConfig.Public[0].AvailabilityZone: "us-east-1a" is in region "us-east-1" but ExistingVPCConfig.Private[0] is in "us-west-2"`},

		{"missing subnet CIDR", func(c *ExistingVPCConfig) { c.Private[0].CIDR = netip.Prefix{} }, "ExistingVPCConfig.Private[0].CIDR is missing"},
		{"subnet CIDR with host bits", func(c *ExistingVPCConfig) { c.Public[0].CIDR = netip.MustParsePrefix("10.40.128.7/24") }, `ExistingVPCConfig.Public[0].CIDR "10.40.128.7/24" has host bits set`},
		{"subnet CIDR too small", func(c *ExistingVPCConfig) { c.Public[0].CIDR = netip.MustParsePrefix("10.40.128.0/29") }, `ExistingVPCConfig.Public[0].CIDR "10.40.128.0/29" is not a range AWS accepts`},
		{"subnet outside VPC", func(c *ExistingVPCConfig) { c.Database[0].CIDR = netip.MustParsePrefix("10.41.0.0/24") }, `ExistingVPCConfig.Database[0].CIDR: "10.41.0.0/24" is outside the VPC range "10.40.0.0/16"`},
		{"subnet larger than VPC", func(c *ExistingVPCConfig) {
			c.CIDR = netip.MustParsePrefix("10.40.0.0/17")
			c.Public = nil
			c.Private[0].CIDR = netip.MustParsePrefix("10.40.0.0/16")
		}, `ExistingVPCConfig.Private[0].CIDR: "10.40.0.0/16" is outside the VPC range "10.40.0.0/17"`},
		{"overlapping subnets", func(c *ExistingVPCConfig) { c.Database[1].CIDR = netip.MustParsePrefix("10.40.33.0/24") }, `ExistingVPCConfig.Database[1].CIDR: "10.40.33.0/24" overlaps ExistingVPCConfig.Private[1].CIDR "10.40.32.0/19"`},

		{"no private subnets", func(c *ExistingVPCConfig) { c.Private = nil }, "ExistingVPCConfig.Private is empty"},
		{"private subnets in one AZ", func(c *ExistingVPCConfig) {
			for i := range c.Private {
				c.Private[i].AvailabilityZone = "us-west-2a"
			}
		}, `ExistingVPCConfig.Private: the subnets are in ["us-west-2a"] only; EKS needs subnets in at least 2 availability zones`},
		{"intra subnets in one AZ", func(c *ExistingVPCConfig) {
			c.Intra = []ExistingSubnet{existingSubnet("subnet-0e000001", "us-west-2c", "10.40.100.0/28")}
		}, `ExistingVPCConfig.Intra: the subnets are in ["us-west-2c"] only`},
		{"database subnets in one AZ", func(c *ExistingVPCConfig) { c.Database[1].AvailabilityZone = "us-west-2a" }, `ExistingVPCConfig.Database: the subnets are in ["us-west-2a"] only; a DB subnet group needs subnets in at least 2 availability zones`},
		{"required database subnets missing", func(c *ExistingVPCConfig) {
			c.Database = nil
			c.RequireDatabaseSubnets = true
		}, "ExistingVPCConfig.Database is empty but RequireDatabaseSubnets is set"},

		{"malformed route table ID", func(c *ExistingVPCConfig) { c.RouteTableIDs[1] = "rtb-main" }, `ExistingVPCConfig.RouteTableIDs[1]: "rtb-main" is not a route table ID`},
		{"route table listed twice", func(c *ExistingVPCConfig) { c.RouteTableIDs[1] = c.RouteTableIDs[0] }, `ExistingVPCConfig.RouteTableIDs[1]: "rtb-0c000000000000001" is already listed as RouteTableIDs[0]`},

		{"missing retention", func(c *ExistingVPCConfig) { c.FlowLogRetentionDays = 0 }, "ExistingVPCConfig.FlowLogRetentionDays is missing"},
		{"unsupported retention", func(c *ExistingVPCConfig) { c.FlowLogRetentionDays = 10 }, "ExistingVPCConfig.FlowLogRetentionDays: 10 days is not a retention period CloudWatch Logs accepts"},
		{"missing KMS key", func(c *ExistingVPCConfig) { c.LogsKMSKeyARN = nil }, "ExistingVPCConfig.LogsKMSKeyARN is missing"},
		{"KMS alias", func(c *ExistingVPCConfig) { c.LogsKMSKeyARN = jsii.String("alias/logs") }, `ExistingVPCConfig.LogsKMSKeyARN: "alias/logs" is not a KMS key ARN`},
	}

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := validExistingVPCConfig()
			tc.modify(&cfg)
			err := cfg.Validate()
			assert.ErrorContains(t, err, tc.want)
			assert.ErrorContains(t, err, "network: ")
		})
	}
}

func TestExistingVPCConfigValidateReportsEveryProblem(t *testing.T) {
	err := ExistingVPCConfig{}.Validate()

	for _, field := range []string{"Name", "VPCID", "CIDR", "ClusterName", "Private", "FlowLogRetentionDays", "LogsKMSKeyARN"} {
		assert.ErrorContains(t, err, "ExistingVPCConfig."+field)
	}
}

func TestExistingVPCConfigOptionalParts(t *testing.T) {
	t.Run("flow log settings unused when skipped", func(t *testing.T) {
		cfg := validExistingVPCConfig()
		cfg.SkipFlowLogs = true
		cfg.FlowLogRetentionDays = 0
		cfg.LogsKMSKeyARN = nil
		assert.NoError(t, cfg.Validate())
	})

	t.Run("database and public subnets optional", func(t *testing.T) {
		cfg := validExistingVPCConfig()
		cfg.Database = nil
		cfg.Public = nil
		cfg.RouteTableIDs = nil
		assert.NoError(t, cfg.Validate())
	})

	t.Run("8-digit IDs accepted", func(t *testing.T) {
		cfg := validExistingVPCConfig()
		cfg.VPCID = "vpc-0a1b2c3d"
		cfg.Private[0].ID = "subnet-0a1b2c3d"
		cfg.RouteTableIDs[0] = "rtb-0a1b2c3d"
		assert.NoError(t, cfg.Validate())
	})

	t.Run("key token accepted", func(t *testing.T) {
		stack := synthtest.Stack(t)
		key := cdktf.NewTerraformVariable(stack, jsii.String("logs_key_arn"), &cdktf.TerraformVariableConfig{Type: jsii.String("string")})
		cfg := validExistingVPCConfig()
		cfg.LogsKMSKeyARN = key.StringValue()
		assert.NoError(t, cfg.Validate())
	})
}

func TestNewExistingVPCPanicsOnInvalidConfig(t *testing.T) {
	cfg := validExistingVPCConfig()
	cfg.Database[0].ID = cfg.Private[0].ID

	assertPanicsWithErrorContaining(t, `ExistingVPCConfig.Database[0].ID: "subnet-0a000000000000001" is already listed`, func() {
		NewExistingVPC(synthtest.Stack(t), "network", cfg)
	})
}

// tagsByResource collects every aws_ec2_tag in doc as resource ID, then key,
// then value.
func tagsByResource(doc synthtest.Document) map[string]map[string]string {
	tags := map[string]map[string]string{}
	for _, tag := range doc.Resources("aws_ec2_tag") {
		id, _ := tag["resource_id"].(string)
		key, _ := tag["key"].(string)
		value, _ := tag["value"].(string)
		if tags[id] == nil {
			tags[id] = map[string]string{}
		}
		tags[id][key] = value
	}
	return tags
}

func derefAll(values []*string) []string {
	result := make([]string, len(values))
	for i, v := range values {
		result[i] = *v
	}
	return result
}
