package network

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/honeyhive/platform/internal/synthtest"
)

const testKeyARN = "arn:aws:kms:us-west-2:111122223333:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"

func validVPCConfig() VPCConfig {
	return VPCConfig{
		Name:                 "prod-usw2",
		CIDR:                 netip.MustParsePrefix("10.30.0.0/16"),
		AvailabilityZones:    []string{"us-west-2a", "us-west-2b", "us-west-2c"},
		NATMode:              NATPerAZ,
		ClusterName:          "prod-usw2",
		FlowLogRetentionDays: 365,
		LogsKMSKeyARN:        jsii.String(testKeyARN),
	}
}

// ref is the Terraform expression for an attribute of a resource or data
// source, as it appears in synthesized JSON.
func ref(address, attribute string) string {
	return fmt.Sprintf("${%s.%s}", address, attribute)
}

func TestVPCPerAZ(t *testing.T) {
	stack := synthtest.Stack(t)
	v := NewVPC(stack, "network", validVPCConfig())
	cdktf.NewTerraformOutput(stack, jsii.String("route_table_ids"), &cdktf.TerraformOutputConfig{Value: v.RouteTableIDs()})
	cdktf.NewTerraformOutput(stack, jsii.String("nat_public_ips"), &cdktf.TerraformOutputConfig{Value: v.NATGatewayPublicIPs})
	cdktf.NewTerraformOutput(stack, jsii.String("private_subnet_ids"), &cdktf.TerraformOutputConfig{Value: v.PrivateSubnetIDs})
	cdktf.NewTerraformOutput(stack, jsii.String("database_subnet_group"), &cdktf.TerraformOutputConfig{Value: v.DatabaseSubnetGroupName})
	doc := synthtest.Synth(t, stack)

	azs := []string{"us-west-2a", "us-west-2b", "us-west-2c"}

	t.Run("resource counts", func(t *testing.T) {
		assert.Len(t, doc.Resources("aws_vpc"), 1)
		assert.Len(t, doc.Resources("aws_internet_gateway"), 1)
		assert.Len(t, doc.Resources("aws_subnet"), 12)
		assert.Len(t, doc.Resources("aws_nat_gateway"), 3)
		assert.Len(t, doc.Resources("aws_eip"), 3)
		assert.Len(t, doc.Resources("aws_route_table"), 6)
		assert.Len(t, doc.Resources("aws_route_table_association"), 12)
		assert.Len(t, doc.Resources("aws_db_subnet_group"), 1)
		assert.Len(t, doc.Resources("aws_default_security_group"), 1)
		assert.Len(t, doc.Resources("aws_flow_log"), 1)
	})

	t.Run("VPC has DNS on", func(t *testing.T) {
		vpc := doc.Resource(t, "aws_vpc", "network_vpc")
		assert.Equal(t, "10.30.0.0/16", vpc["cidr_block"])
		assert.Equal(t, true, vpc["enable_dns_support"])
		assert.Equal(t, true, vpc["enable_dns_hostnames"])
		assert.Equal(t, map[string]any{"Name": "prod-usw2"}, vpc["tags"])
	})

	t.Run("subnets follow the plan", func(t *testing.T) {
		tiers := map[string][]netip.Prefix{"public": v.Plan.Public, "private": v.Plan.Private, "intra": v.Plan.Intra, "database": v.Plan.Database}
		for tier, ranges := range tiers {
			for i, r := range ranges {
				s := doc.Resource(t, "aws_subnet", fmt.Sprintf("network_%s_subnet_%d", tier, i))
				assert.Equal(t, r.String(), s["cidr_block"], "%s subnet %d range", tier, i)
				assert.Equal(t, azs[i], s["availability_zone"], "%s subnet %d AZ", tier, i)
				assert.Equal(t, ref("aws_vpc.network_vpc", "id"), s["vpc_id"], "%s subnet %d VPC", tier, i)
				assert.Equal(t, fmt.Sprintf("prod-usw2-%s-%s", tier, azs[i]), tagsOf(s)["Name"], "%s subnet %d Name tag", tier, i)
			}
		}
	})

	t.Run("no subnet maps public IPs", func(t *testing.T) {
		for name, s := range doc.Resources("aws_subnet") {
			assert.Equal(t, false, s["map_public_ip_on_launch"], name)
		}
	})

	t.Run("private subnets carry discovery tags", func(t *testing.T) {
		for i := range azs {
			tags := tagsOf(doc.Resource(t, "aws_subnet", fmt.Sprintf("network_private_subnet_%d", i)))
			assert.Equal(t, "prod-usw2", tags["karpenter.sh/discovery"], "private subnet %d", i)
			assert.Equal(t, "1", tags["kubernetes.io/role/internal-elb"], "private subnet %d", i)
			assert.Equal(t, "shared", tags["kubernetes.io/cluster/prod-usw2"], "private subnet %d", i)
			assert.NotContains(t, tags, "kubernetes.io/role/elb", "private subnet %d", i)
		}
	})

	t.Run("public subnets carry elb tags", func(t *testing.T) {
		for i := range azs {
			tags := tagsOf(doc.Resource(t, "aws_subnet", fmt.Sprintf("network_public_subnet_%d", i)))
			assert.Equal(t, "1", tags["kubernetes.io/role/elb"], "public subnet %d", i)
			assert.Equal(t, "shared", tags["kubernetes.io/cluster/prod-usw2"], "public subnet %d", i)
			assert.NotContains(t, tags, "karpenter.sh/discovery", "public subnet %d", i)
			assert.NotContains(t, tags, "kubernetes.io/role/internal-elb", "public subnet %d", i)
		}
	})

	t.Run("isolated subnets carry no discovery tags", func(t *testing.T) {
		for _, tier := range []string{"intra", "database"} {
			for i := range azs {
				tags := tagsOf(doc.Resource(t, "aws_subnet", fmt.Sprintf("network_%s_subnet_%d", tier, i)))
				assert.Equal(t, []string{"Name"}, keysOf(tags), "%s subnet %d", tier, i)
			}
		}
	})

	t.Run("NAT gateway per AZ", func(t *testing.T) {
		for i, az := range azs {
			nat := doc.Resource(t, "aws_nat_gateway", fmt.Sprintf("network_nat_gateway_%d", i))
			assert.Equal(t, ref(fmt.Sprintf("aws_subnet.network_public_subnet_%d", i), "id"), nat["subnet_id"], "NAT gateway %d subnet", i)
			assert.Equal(t, ref(fmt.Sprintf("aws_eip.network_nat_eip_%d", i), "allocation_id"), nat["allocation_id"], "NAT gateway %d EIP", i)
			assert.Equal(t, []any{"aws_internet_gateway.network_internet_gateway"}, nat["depends_on"], "NAT gateway %d", i)
			assert.Equal(t, "prod-usw2-nat-"+az, tagsOf(nat)["Name"], "NAT gateway %d", i)

			address := doc.Resource(t, "aws_eip", fmt.Sprintf("network_nat_eip_%d", i))
			assert.Equal(t, "vpc", address["domain"], "EIP %d", i)
		}
	})

	t.Run("private routes use their own AZ's NAT gateway", func(t *testing.T) {
		for i, az := range azs {
			table := fmt.Sprintf("aws_route_table.network_private_route_table_%d", i)
			routes := routesOf(doc, table)
			require.Len(t, routes, 1, "routes of %s", table)
			assert.Equal(t, allRoutes, routes[0]["destination_cidr_block"], table)

			natAddress := strings.TrimSuffix(strings.TrimPrefix(routes[0]["nat_gateway_id"].(string), "${aws_nat_gateway."), ".id}")
			nat := doc.Resource(t, "aws_nat_gateway", natAddress)
			subnetAddress := strings.TrimSuffix(strings.TrimPrefix(nat["subnet_id"].(string), "${aws_subnet."), ".id}")
			natSubnet := doc.Resource(t, "aws_subnet", subnetAddress)
			assert.Equal(t, az, natSubnet["availability_zone"], "NAT gateway of %s", table)

			assert.Equal(t, table, associatedTable(t, doc, fmt.Sprintf("aws_subnet.network_private_subnet_%d", i)), "private subnet %d", i)
		}
	})

	t.Run("public route goes to the internet gateway", func(t *testing.T) {
		routes := routesOf(doc, "aws_route_table.network_public_route_table")
		require.Len(t, routes, 1)
		assert.Equal(t, allRoutes, routes[0]["destination_cidr_block"])
		assert.Equal(t, ref("aws_internet_gateway.network_internet_gateway", "id"), routes[0]["gateway_id"])

		for i := range azs {
			assert.Equal(t, "aws_route_table.network_public_route_table",
				associatedTable(t, doc, fmt.Sprintf("aws_subnet.network_public_subnet_%d", i)), "public subnet %d", i)
		}
	})

	t.Run("isolated tables have no internet route", func(t *testing.T) {
		for _, tier := range []string{"intra", "database"} {
			table := fmt.Sprintf("aws_route_table.network_%s_route_table", tier)
			assert.Empty(t, routesOf(doc, table), table)
			assert.NotContains(t, doc.Resource(t, "aws_route_table", "network_"+tier+"_route_table"), "route", table)

			for i := range azs {
				assert.Equal(t, table, associatedTable(t, doc, fmt.Sprintf("aws_subnet.network_%s_subnet_%d", tier, i)), "%s subnet %d", tier, i)
			}
		}
	})

	t.Run("route tables define no inline routes", func(t *testing.T) {
		for name, table := range doc.Resources("aws_route_table") {
			assert.NotContains(t, table, "route", name)
		}
	})

	t.Run("default security group has no rules", func(t *testing.T) {
		group := doc.Resource(t, "aws_default_security_group", "network_default_security_group")
		assert.Equal(t, ref("aws_vpc.network_vpc", "id"), group["vpc_id"])
		require.Contains(t, group, "ingress")
		require.Contains(t, group, "egress")
		assert.Empty(t, group["ingress"])
		assert.Empty(t, group["egress"])
	})

	t.Run("database subnet group", func(t *testing.T) {
		group := doc.Resource(t, "aws_db_subnet_group", "network_database_subnet_group")
		assert.Equal(t, "prod-usw2-database", group["name"])
		assert.Equal(t, []any{
			ref("aws_subnet.network_database_subnet_0", "id"),
			ref("aws_subnet.network_database_subnet_1", "id"),
			ref("aws_subnet.network_database_subnet_2", "id"),
		}, group["subnet_ids"])
	})

	t.Run("flow log covers the VPC", func(t *testing.T) {
		flowLog := doc.Resource(t, "aws_flow_log", "network_flow_logs_flow_log")
		assert.Equal(t, ref("aws_vpc.network_vpc", "id"), flowLog["vpc_id"])
		group := doc.Resource(t, "aws_cloudwatch_log_group", "network_flow_logs_log_group")
		assert.Equal(t, testKeyARN, group["kms_key_id"])
		assert.Equal(t, float64(365), group["retention_in_days"])
	})

	t.Run("outputs resolve to the resources", func(t *testing.T) {
		outputs := doc.Outputs()
		assert.Equal(t, []any{
			ref("aws_route_table.network_public_route_table", "id"),
			ref("aws_route_table.network_private_route_table_0", "id"),
			ref("aws_route_table.network_private_route_table_1", "id"),
			ref("aws_route_table.network_private_route_table_2", "id"),
			ref("aws_route_table.network_intra_route_table", "id"),
			ref("aws_route_table.network_database_route_table", "id"),
		}, outputs["route_table_ids"]["value"])
		assert.Equal(t, []any{
			ref("aws_eip.network_nat_eip_0", "public_ip"),
			ref("aws_eip.network_nat_eip_1", "public_ip"),
			ref("aws_eip.network_nat_eip_2", "public_ip"),
		}, outputs["nat_public_ips"]["value"])
		assert.Equal(t, []any{
			ref("aws_subnet.network_private_subnet_0", "id"),
			ref("aws_subnet.network_private_subnet_1", "id"),
			ref("aws_subnet.network_private_subnet_2", "id"),
		}, outputs["private_subnet_ids"]["value"])
		assert.Equal(t, ref("aws_db_subnet_group.network_database_subnet_group", "name"), outputs["database_subnet_group"]["value"])
	})

	t.Run("Go outputs have one entry per AZ", func(t *testing.T) {
		assert.Len(t, v.PublicSubnetIDs, 3)
		assert.Len(t, v.PrivateSubnetIDs, 3)
		assert.Len(t, v.IntraSubnetIDs, 3)
		assert.Len(t, v.DatabaseSubnetIDs, 3)
		assert.Len(t, v.PrivateRouteTableIDs, 3)
		assert.Len(t, v.NATGatewayIDs, 3)
		assert.Len(t, v.NATGatewayPublicIPs, 3)
		assert.NotNil(t, v.ID)
		assert.NotNil(t, v.DefaultSecurityGroupID)
		assert.NotNil(t, v.FlowLogs)
		assert.Equal(t, azs, v.AvailabilityZones)
	})
}

func TestVPCSingleNAT(t *testing.T) {
	cfg := validVPCConfig()
	cfg.Name = "test-usw2"
	cfg.CIDR = netip.MustParsePrefix("10.10.0.0/16")
	cfg.AvailabilityZones = []string{"us-west-2a", "us-west-2b"}
	cfg.NATMode = NATSingle
	cfg.FlowLogRetentionDays = 14

	stack := synthtest.Stack(t)
	v := NewVPC(stack, "network", cfg)
	doc := synthtest.Synth(t, stack)

	t.Run("resource counts", func(t *testing.T) {
		assert.Len(t, doc.Resources("aws_subnet"), 8)
		assert.Len(t, doc.Resources("aws_nat_gateway"), 1)
		assert.Len(t, doc.Resources("aws_eip"), 1)
		assert.Len(t, doc.Resources("aws_route_table"), 5)
		assert.Len(t, v.NATGatewayPublicIPs, 1)
		assert.Len(t, v.PrivateRouteTableIDs, 2)
		assert.Len(t, v.RouteTableIDs(), 5)
	})

	t.Run("NAT gateway is in the first AZ", func(t *testing.T) {
		nat := doc.Resource(t, "aws_nat_gateway", "network_nat_gateway_0")
		assert.Equal(t, ref("aws_subnet.network_public_subnet_0", "id"), nat["subnet_id"])
	})

	t.Run("every private route table uses it", func(t *testing.T) {
		for i := range cfg.AvailabilityZones {
			table := fmt.Sprintf("aws_route_table.network_private_route_table_%d", i)
			routes := routesOf(doc, table)
			require.Len(t, routes, 1, table)
			assert.Equal(t, allRoutes, routes[0]["destination_cidr_block"], table)
			assert.Equal(t, ref("aws_nat_gateway.network_nat_gateway_0", "id"), routes[0]["nat_gateway_id"], table)
		}
	})
}

func TestVPCInternalLoadBalancersOnly(t *testing.T) {
	cfg := validVPCConfig()
	cfg.InternalLoadBalancersOnly = true
	stack := synthtest.Stack(t)
	NewVPC(stack, "network", cfg)
	doc := synthtest.Synth(t, stack)

	for i := range cfg.AvailabilityZones {
		public := tagsOf(doc.Resource(t, "aws_subnet", fmt.Sprintf("network_public_subnet_%d", i)))
		assert.NotContains(t, public, "kubernetes.io/role/elb", "public subnet %d offers no internet-facing load balancer", i)
		private := tagsOf(doc.Resource(t, "aws_subnet", fmt.Sprintf("network_private_subnet_%d", i)))
		assert.Equal(t, "1", private["kubernetes.io/role/internal-elb"], "private subnet %d still takes internal ones", i)
	}
}

func TestVPCConfigValidate(t *testing.T) {
	require.NoError(t, validVPCConfig().Validate())

	cases := []struct {
		name   string
		modify func(*VPCConfig)
		want   string
	}{
		{"missing name", func(c *VPCConfig) { c.Name = "" }, "VPCConfig.Name is missing"},
		{"uppercase name", func(c *VPCConfig) { c.Name = "Prod" }, `VPCConfig.Name: "Prod" is not a valid name prefix`},
		{"name ending in hyphen", func(c *VPCConfig) { c.Name = "prod-" }, `VPCConfig.Name: "prod-" is not a valid name prefix`},
		{"long name", func(c *VPCConfig) { c.Name = strings.Repeat("a", 51) }, "use at most 50"},
		{"missing CIDR", func(c *VPCConfig) { c.CIDR = netip.Prefix{} }, "VPCConfig.CIDR is missing"},
		{"CIDR too large", func(c *VPCConfig) { c.CIDR = netip.MustParsePrefix("10.0.0.0/8") }, `VPCConfig.CIDR "10.0.0.0/8" is too large; use a /16 to /20 range`},
		{"CIDR too small", func(c *VPCConfig) { c.CIDR = netip.MustParsePrefix("10.0.0.0/21") }, `VPCConfig.CIDR "10.0.0.0/21" is too small`},
		{"IPv6 CIDR", func(c *VPCConfig) { c.CIDR = netip.MustParsePrefix("fd00::/56") }, "is not IPv4"},
		{"CIDR with host bits", func(c *VPCConfig) { c.CIDR = netip.MustParsePrefix("10.0.4.0/16") }, "has host bits set"},
		{"one AZ", func(c *VPCConfig) { c.AvailabilityZones = []string{"us-west-2a"} }, "VPCConfig.AvailabilityZones: [\"us-west-2a\"] has 1 zones; list 2 or 3"},
		{"four AZs", func(c *VPCConfig) {
			c.AvailabilityZones = []string{"us-west-2a", "us-west-2b", "us-west-2c", "us-west-2d"}
		}, "has 4 zones"},
		{"no AZs", func(c *VPCConfig) { c.AvailabilityZones = nil }, "has 0 zones"},
		{"duplicate AZ", func(c *VPCConfig) { c.AvailabilityZones = []string{"us-west-2a", "us-west-2a"} }, `AvailabilityZones[1]: "us-west-2a" is already listed as AvailabilityZones[0]`},
		{"region instead of AZ", func(c *VPCConfig) { c.AvailabilityZones = []string{"us-west-2", "us-west-2b"} }, `AvailabilityZones[0]: "us-west-2" is not an availability zone name`},
		{"Local Zone", func(c *VPCConfig) { c.AvailabilityZones = []string{"us-west-2a", "us-west-2-lax-1a"} }, `AvailabilityZones[1]: "us-west-2-lax-1a" is not an availability zone name`},
		{"AZs of two regions", func(c *VPCConfig) { c.AvailabilityZones = []string{"us-west-2a", "us-east-1b"} }, `AvailabilityZones[1]: "us-east-1b" is in region "us-east-1"`},
		{"unknown NAT mode", func(c *VPCConfig) { c.NATMode = NATMode(7) }, `VPCConfig.NATMode: "NATMode(7)" is not a NAT mode`},
		{"missing cluster name", func(c *VPCConfig) { c.ClusterName = "" }, "VPCConfig.ClusterName is missing"},
		{"cluster name with space", func(c *VPCConfig) { c.ClusterName = "prod cluster" }, `VPCConfig.ClusterName: "prod cluster" is not a valid EKS cluster name`},
		{"missing retention", func(c *VPCConfig) { c.FlowLogRetentionDays = 0 }, "VPCConfig.FlowLogRetentionDays is missing"},
		{"unsupported retention", func(c *VPCConfig) { c.FlowLogRetentionDays = 10 }, "VPCConfig.FlowLogRetentionDays: 10 days is not a retention period CloudWatch Logs accepts"},
		{"missing KMS key", func(c *VPCConfig) { c.LogsKMSKeyARN = nil }, "VPCConfig.LogsKMSKeyARN is missing"},
		{"empty KMS key", func(c *VPCConfig) { c.LogsKMSKeyARN = jsii.String("") }, "VPCConfig.LogsKMSKeyARN is missing"},
		{"KMS alias", func(c *VPCConfig) { c.LogsKMSKeyARN = jsii.String("alias/logs") }, `VPCConfig.LogsKMSKeyARN: "alias/logs" is not a KMS key ARN`},
	}

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := validVPCConfig()
			tc.modify(&cfg)
			err := cfg.Validate()
			assert.ErrorContains(t, err, tc.want)
			assert.ErrorContains(t, err, "network: ")
		})
	}
}

func TestVPCConfigValidateReportsEveryProblem(t *testing.T) {
	err := VPCConfig{}.Validate()

	for _, field := range []string{"Name", "CIDR", "AvailabilityZones", "ClusterName", "FlowLogRetentionDays", "LogsKMSKeyARN"} {
		assert.ErrorContains(t, err, "VPCConfig."+field)
	}
}

func TestVPCConfigAcceptsKeyToken(t *testing.T) {
	stack := synthtest.Stack(t)
	key := cdktf.NewTerraformVariable(stack, jsii.String("logs_key_arn"), &cdktf.TerraformVariableConfig{Type: jsii.String("string")})
	cfg := validVPCConfig()
	cfg.LogsKMSKeyARN = key.StringValue()

	assert.NoError(t, cfg.Validate())
}

func TestNewVPCPanicsOnInvalidConfig(t *testing.T) {
	cfg := validVPCConfig()
	cfg.CIDR = netip.MustParsePrefix("10.0.0.0/8")

	assertPanicsWithErrorContaining(t, `VPCConfig.CIDR "10.0.0.0/8" is too large`, func() {
		NewVPC(synthtest.Stack(t), "network", cfg)
	})
}

// assertPanicsWithErrorContaining checks that fn panics with an error whose
// message contains want.
func assertPanicsWithErrorContaining(t *testing.T, want string, fn func()) {
	t.Helper()
	defer func() {
		t.Helper()
		recovered := recover()
		require.NotNil(t, recovered, "expected a panic")
		err, ok := recovered.(error)
		require.Truef(t, ok, "panic value is %T, not an error", recovered)
		assert.ErrorContains(t, err, want)
	}()
	fn()
}

func tagsOf(resource map[string]any) map[string]any {
	tags, _ := resource["tags"].(map[string]any)
	return tags
}

func keysOf(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	return keys
}

// routesOf returns every aws_route whose route table is tableAddress.
func routesOf(doc synthtest.Document, tableAddress string) []map[string]any {
	var routes []map[string]any
	for _, r := range doc.Resources("aws_route") {
		if r["route_table_id"] == ref(tableAddress, "id") {
			routes = append(routes, r)
		}
	}
	return routes
}

// associatedTable returns the address of the route table that subnetAddress
// is associated with, and fails unless there is exactly one.
func associatedTable(t *testing.T, doc synthtest.Document, subnetAddress string) string {
	t.Helper()
	var tables []string
	for _, a := range doc.Resources("aws_route_table_association") {
		if a["subnet_id"] == ref(subnetAddress, "id") {
			table := a["route_table_id"].(string)
			tables = append(tables, strings.TrimSuffix(strings.TrimPrefix(table, "${"), ".id}"))
		}
	}
	require.Len(t, tables, 1, "route table associations of %s", subnetAddress)
	return tables[0]
}
