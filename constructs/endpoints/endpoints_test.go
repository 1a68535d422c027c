package endpoints

import (
	"net/netip"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/honeyhive/platform/internal/synthtest"
)

const securityGroupRef = "${aws_security_group.endpoints_security_group.id}"

// testConfig returns a valid config with three subnets and three route
// tables, as a three-zone VPC has.
func testConfig() Config {
	return Config{
		Name:          "prod-usw2",
		VPCID:         jsii.String("vpc-0123456789abcdef0"),
		VPCCIDR:       netip.MustParsePrefix("10.20.0.0/16"),
		Region:        "us-west-2",
		SubnetIDs:     []*string{jsii.String("subnet-a"), jsii.String("subnet-b"), jsii.String("subnet-c")},
		RouteTableIDs: []*string{jsii.String("rtb-a"), jsii.String("rtb-b"), jsii.String("rtb-c")},
	}
}

func synthEndpoints(t *testing.T, cfg Config) (*Endpoints, synthtest.Document) {
	t.Helper()
	stack := synthtest.Stack(t)
	e := New(stack, "endpoints", cfg)
	return e, synthtest.Synth(t, stack)
}

func TestNewDefaultInterfaceEndpoints(t *testing.T) {
	_, doc := synthEndpoints(t, testConfig())

	expected := map[string]string{
		"endpoints_interface_ecr_api":              "com.amazonaws.us-west-2.ecr.api",
		"endpoints_interface_ecr_dkr":              "com.amazonaws.us-west-2.ecr.dkr",
		"endpoints_interface_sts":                  "com.amazonaws.us-west-2.sts",
		"endpoints_interface_ec2":                  "com.amazonaws.us-west-2.ec2",
		"endpoints_interface_logs":                 "com.amazonaws.us-west-2.logs",
		"endpoints_interface_kms":                  "com.amazonaws.us-west-2.kms",
		"endpoints_interface_secretsmanager":       "com.amazonaws.us-west-2.secretsmanager",
		"endpoints_interface_ssm":                  "com.amazonaws.us-west-2.ssm",
		"endpoints_interface_ssmmessages":          "com.amazonaws.us-west-2.ssmmessages",
		"endpoints_interface_ec2messages":          "com.amazonaws.us-west-2.ec2messages",
		"endpoints_interface_elasticloadbalancing": "com.amazonaws.us-west-2.elasticloadbalancing",
		"endpoints_interface_autoscaling":          "com.amazonaws.us-west-2.autoscaling",
		"endpoints_interface_sqs":                  "com.amazonaws.us-west-2.sqs",
		"endpoints_interface_eks":                  "com.amazonaws.us-west-2.eks",
		"endpoints_interface_eks_auth":             "com.amazonaws.us-west-2.eks-auth",
	}

	interfaces := map[string]map[string]any{}
	for name, endpoint := range doc.Resources("aws_vpc_endpoint") {
		if endpoint["vpc_endpoint_type"] == "Interface" {
			interfaces[name] = endpoint
		}
	}
	assert.Len(t, interfaces, len(expected))

	for name, serviceName := range expected {
		t.Run(name, func(t *testing.T) {
			endpoint := doc.Resource(t, "aws_vpc_endpoint", name)
			assert.Equal(t, serviceName, endpoint["service_name"])
			assert.Equal(t, "Interface", endpoint["vpc_endpoint_type"])
			assert.Equal(t, true, endpoint["private_dns_enabled"])
			assert.Equal(t, "vpc-0123456789abcdef0", endpoint["vpc_id"])
			assert.Equal(t, []any{securityGroupRef}, endpoint["security_group_ids"])
			assert.Equal(t, []any{"subnet-a", "subnet-b", "subnet-c"}, endpoint["subnet_ids"])
			assert.Nil(t, endpoint["route_table_ids"])
		})
	}
}

func TestNewDefaultGatewayEndpoints(t *testing.T) {
	_, doc := synthEndpoints(t, testConfig())

	expected := map[string]string{
		"endpoints_gateway_s3":       "com.amazonaws.us-west-2.s3",
		"endpoints_gateway_dynamodb": "com.amazonaws.us-west-2.dynamodb",
	}

	gateways := map[string]map[string]any{}
	for name, endpoint := range doc.Resources("aws_vpc_endpoint") {
		if endpoint["vpc_endpoint_type"] == "Gateway" {
			gateways[name] = endpoint
		}
	}
	assert.Len(t, gateways, len(expected))

	for name, serviceName := range expected {
		t.Run(name, func(t *testing.T) {
			endpoint := doc.Resource(t, "aws_vpc_endpoint", name)
			assert.Equal(t, serviceName, endpoint["service_name"])
			assert.Equal(t, "Gateway", endpoint["vpc_endpoint_type"])
			assert.Equal(t, "vpc-0123456789abcdef0", endpoint["vpc_id"])
			assert.Equal(t, []any{"rtb-a", "rtb-b", "rtb-c"}, endpoint["route_table_ids"])
			assert.Nil(t, endpoint["subnet_ids"])
			assert.Nil(t, endpoint["security_group_ids"])
			assert.Nil(t, endpoint["private_dns_enabled"])
		})
	}
}

func TestSecurityGroupAllowsOnlyHTTPSFromVPC(t *testing.T) {
	_, doc := synthEndpoints(t, testConfig())

	groups := doc.Resources("aws_security_group")
	assert.Len(t, groups, 1)
	group := doc.Resource(t, "aws_security_group", "endpoints_security_group")
	assert.Equal(t, "vpc-0123456789abcdef0", group["vpc_id"])
	assert.NotEmpty(t, group["description"])
	assert.NotContains(t, group, "ingress", "inline rules would fight the separate rule resource")
	assert.NotContains(t, group, "egress", "the group needs no egress rule")

	ingress := doc.Resources("aws_vpc_security_group_ingress_rule")
	assert.Len(t, ingress, 1)
	rule := doc.Resource(t, "aws_vpc_security_group_ingress_rule", "endpoints_https_from_vpc")
	assert.Equal(t, securityGroupRef, rule["security_group_id"])
	assert.Equal(t, "tcp", rule["ip_protocol"])
	assert.EqualValues(t, 443, rule["from_port"])
	assert.EqualValues(t, 443, rule["to_port"])
	assert.Equal(t, "10.20.0.0/16", rule["cidr_ipv4"])
	assert.Nil(t, rule["cidr_ipv6"])
	assert.Nil(t, rule["referenced_security_group_id"])
	assert.Nil(t, rule["prefix_list_id"])

	assert.Empty(t, doc.Resources("aws_vpc_security_group_egress_rule"))
	assert.Empty(t, doc.Resources("aws_security_group_rule"))
}

func TestNameTags(t *testing.T) {
	_, doc := synthEndpoints(t, testConfig())

	cases := []struct {
		typ, name, tag string
	}{
		{"aws_security_group", "endpoints_security_group", "prod-usw2-vpc-endpoints"},
		{"aws_vpc_security_group_ingress_rule", "endpoints_https_from_vpc", "prod-usw2-vpc-endpoints-https-from-vpc"},
		{"aws_vpc_endpoint", "endpoints_interface_ecr_dkr", "prod-usw2-vpce-ecr.dkr"},
		{"aws_vpc_endpoint", "endpoints_interface_eks_auth", "prod-usw2-vpce-eks-auth"},
		{"aws_vpc_endpoint", "endpoints_gateway_s3", "prod-usw2-vpce-s3"},
	}
	for _, tc := range cases {
		t.Run(tc.typ+"."+tc.name, func(t *testing.T) {
			resource := doc.Resource(t, tc.typ, tc.name)
			assert.Equal(t, map[string]any{"Name": tc.tag}, resource["tags"])
		})
	}
}

func TestCustomServiceLists(t *testing.T) {
	cfg := testConfig()
	cfg.Region = "eu-west-1"
	cfg.InterfaceServices = []string{"sts", "bedrock-runtime"}
	cfg.GatewayServices = []string{"s3"}
	e, doc := synthEndpoints(t, cfg)

	endpoints := doc.Resources("aws_vpc_endpoint")
	assert.Len(t, endpoints, 3)

	bedrock := doc.Resource(t, "aws_vpc_endpoint", "endpoints_interface_bedrock_runtime")
	assert.Equal(t, "com.amazonaws.eu-west-1.bedrock-runtime", bedrock["service_name"])
	assert.Equal(t, "Interface", bedrock["vpc_endpoint_type"])

	sts := doc.Resource(t, "aws_vpc_endpoint", "endpoints_interface_sts")
	assert.Equal(t, "com.amazonaws.eu-west-1.sts", sts["service_name"])

	s3 := doc.Resource(t, "aws_vpc_endpoint", "endpoints_gateway_s3")
	assert.Equal(t, "com.amazonaws.eu-west-1.s3", s3["service_name"])
	assert.NotContains(t, endpoints, "endpoints_gateway_dynamodb")

	assert.ElementsMatch(t, []string{"sts", "bedrock-runtime"}, mapKeys(e.Interface))
	assert.ElementsMatch(t, []string{"s3"}, mapKeys(e.Gateway))
}

func TestOutputsReferenceResources(t *testing.T) {
	stack := synthtest.Stack(t)
	e := New(stack, "endpoints", testConfig())

	assert.Len(t, e.Interface, 15)
	assert.Len(t, e.Gateway, 2)
	require.NotNil(t, e.SecurityGroupID)
	assert.Contains(t, *e.SecurityGroupID, "TOKEN")

	for _, service := range []string{"ecr.api", "eks-auth"} {
		id, ok := e.Interface[service]
		if assert.Truef(t, ok, "Interface has no entry for %q", service) {
			require.NotNil(t, id)
			assert.Contains(t, *id, "TOKEN")
		}
	}
	for _, service := range []string{"s3", "dynamodb"} {
		id, ok := e.Gateway[service]
		if assert.Truef(t, ok, "Gateway has no entry for %q", service) {
			require.NotNil(t, id)
			assert.Contains(t, *id, "TOKEN")
		}
	}
}

func TestWithDefaults(t *testing.T) {
	t.Run("fills empty lists", func(t *testing.T) {
		cfg := testConfig().withDefaults()
		assert.Contains(t, cfg.InterfaceServices, "eks-auth")
		assert.Len(t, cfg.InterfaceServices, 15)
		assert.ElementsMatch(t, []string{"s3", "dynamodb"}, cfg.GatewayServices)
	})

	t.Run("keeps given lists", func(t *testing.T) {
		cfg := testConfig()
		cfg.InterfaceServices = []string{"sts"}
		cfg.GatewayServices = []string{"dynamodb"}
		cfg = cfg.withDefaults()
		assert.Equal(t, []string{"sts"}, cfg.InterfaceServices)
		assert.Equal(t, []string{"dynamodb"}, cfg.GatewayServices)
	})

	t.Run("does not share package defaults", func(t *testing.T) {
		cfg := testConfig().withDefaults()
		cfg.InterfaceServices[0] = "changed"
		cfg.GatewayServices[0] = "changed"
		assert.NotEqual(t, "changed", DefaultInterfaceServices[0])
		assert.NotEqual(t, "changed", DefaultGatewayServices[0])
	})
}

func TestValidate(t *testing.T) {
	cases := []struct {
		name     string
		mutate   func(*Config)
		expected string
	}{
		{"empty name", func(c *Config) { c.Name = "" }, "Config.Name is empty"},
		{"uppercase name", func(c *Config) { c.Name = "Prod-USW2" }, `Config.Name: "Prod-USW2" is invalid`},
		{"missing VPC ID", func(c *Config) { c.VPCID = nil }, "Config.VPCID is missing"},
		{"missing CIDR", func(c *Config) { c.VPCCIDR = netip.Prefix{} }, "Config.VPCCIDR is missing"},
		{"IPv6 CIDR", func(c *Config) { c.VPCCIDR = netip.MustParsePrefix("fd00::/56") }, `"fd00::/56" is not an IPv4 range`},
		{"CIDR with host bits", func(c *Config) { c.VPCCIDR = netip.MustParsePrefix("10.20.1.0/16") }, `"10.20.1.0/16" has host bits set; use "10.20.0.0/16"`},
		{"CIDR too large", func(c *Config) { c.VPCCIDR = netip.MustParsePrefix("10.0.0.0/8") }, `"10.0.0.0/8" is not a valid VPC range`},
		{"CIDR too small", func(c *Config) { c.VPCCIDR = netip.MustParsePrefix("10.0.0.0/29") }, `"10.0.0.0/29" is not a valid VPC range`},
		{"empty region", func(c *Config) { c.Region = "" }, "Config.Region is empty"},
		{"bad region", func(c *Config) { c.Region = "usw2" }, `Config.Region: "usw2" is not an AWS region name`},
		{"China region", func(c *Config) { c.Region = "cn-north-1" }, `"cn-north-1" is a China region`},
		{"no subnets", func(c *Config) { c.SubnetIDs = nil }, "Config.SubnetIDs is empty"},
		{"nil subnet", func(c *Config) { c.SubnetIDs = []*string{jsii.String("subnet-a"), nil} }, "Config.SubnetIDs[1] is nil"},
		{"repeated subnet", func(c *Config) { c.SubnetIDs = []*string{jsii.String("subnet-a"), jsii.String("subnet-a")} }, `Config.SubnetIDs[1]: "subnet-a" repeats entry 0`},
		{"no route tables", func(c *Config) { c.RouteTableIDs = []*string{} }, "Config.RouteTableIDs is empty"},
		{"nil route table", func(c *Config) { c.RouteTableIDs = []*string{nil} }, "Config.RouteTableIDs[0] is nil"},
		{"repeated route table", func(c *Config) {
			c.RouteTableIDs = []*string{jsii.String("rtb-a"), jsii.String("rtb-b"), jsii.String("rtb-a")}
		}, `Config.RouteTableIDs[2]: "rtb-a" repeats entry 0`},
		{"uppercase service", func(c *Config) { c.InterfaceServices = []string{"STS"} }, `Config.InterfaceServices[0]: "STS" is not a service name`},
		{"full service name", func(c *Config) { c.InterfaceServices = []string{"com.amazonaws.us-west-2.sts"} }, `"com.amazonaws.us-west-2.sts" is a full service name; drop the com.amazonaws.<region>. prefix and use "sts"`},
		{"service with empty part", func(c *Config) { c.InterfaceServices = []string{"ecr..api"} }, `"ecr..api" is not a service name`},
		{"service with trailing dot", func(c *Config) { c.InterfaceServices = []string{"sts."} }, `"sts." is not a service name`},
		{"empty service", func(c *Config) { c.InterfaceServices = []string{"sts", ""} }, `Config.InterfaceServices[1]: "" is not a service name`},
		{"repeated interface service", func(c *Config) { c.InterfaceServices = []string{"sts", "kms", "sts"} }, `Config.InterfaceServices[2]: "sts" repeats entry 0`},
		{"services with one address", func(c *Config) { c.InterfaceServices = []string{"eks-auth", "eks.auth"} }, `"eks-auth" and "eks.auth" both get the address interface_eks_auth`},
		{"service in both lists", func(c *Config) { c.InterfaceServices = []string{"sts", "s3"} }, `Config.InterfaceServices[1]: "s3" also has a gateway endpoint`},
		{"gateway for other service", func(c *Config) { c.GatewayServices = []string{"s3", "sqs"} }, `Config.GatewayServices[1]: "sqs" has no gateway endpoint`},
		{"bad gateway service", func(c *Config) { c.GatewayServices = []string{"S3"} }, `Config.GatewayServices[0]: "S3" is not a service name`},
		{"repeated gateway service", func(c *Config) { c.GatewayServices = []string{"s3", "s3"} }, `Config.GatewayServices[1]: "s3" repeats entry 0`},
	}

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := testConfig()
			tc.mutate(&cfg)
			err := cfg.withDefaults().Validate()
			assert.ErrorContains(t, err, tc.expected)
			assert.ErrorContains(t, err, "endpoints: ")
		})
	}
}

func TestValidateAcceptsValidConfig(t *testing.T) {
	assert.NoError(t, testConfig().withDefaults().Validate())

	govCloud := testConfig()
	govCloud.Region = "us-gov-west-1"
	assert.NoError(t, govCloud.withDefaults().Validate())

	smallVPC := testConfig()
	smallVPC.VPCCIDR = netip.MustParsePrefix("192.168.0.0/28")
	assert.NoError(t, smallVPC.withDefaults().Validate())
}

func TestValidateEmptyListsWithoutDefaults(t *testing.T) {
	err := testConfig().Validate()
	assert.ErrorContains(t, err, "Config.InterfaceServices is empty")
	assert.ErrorContains(t, err, "Config.GatewayServices is empty")
}

func TestValidateReportsEveryProblem(t *testing.T) {
	err := Config{}.withDefaults().Validate()
	for _, field := range []string{"Name", "VPCID", "VPCCIDR", "Region", "SubnetIDs", "RouteTableIDs"} {
		assert.ErrorContains(t, err, "Config."+field+" ")
	}
}

func TestNewPanicsOnInvalidConfig(t *testing.T) {
	stack := synthtest.Stack(t)
	cfg := testConfig()
	cfg.Region = ""

	assert.PanicsWithError(t, `endpoints: Config.Region is empty; set it to the VPC's region, for example "us-west-2"`, func() {
		New(stack, "endpoints", cfg)
	})
}

func mapKeys(m map[string]*string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	return keys
}
