package privatelink

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

const (
	providerServiceName = "com.amazonaws.vpce.us-west-2.vpce-svc-0123456789abcdef0"
	endpointGroupRef    = "${aws_security_group.control_plane_security_group.id}"
	endpointRef         = "${aws_vpc_endpoint.control_plane_endpoint.id}"
)

// filteredSubnetIDs is the expression testEndpointConfig's two subnets
// synthesize to: each subnet's ID if its zone is one of the service's
// zones, else "", with the empty strings removed.
const filteredSubnetIDs = `compact([` +
	`contains(tolist(data.aws_vpc_endpoint_service.control_plane_service.availability_zones), data.aws_subnet.control_plane_subnet_0.availability_zone) ? data.aws_subnet.control_plane_subnet_0.id : "", ` +
	`contains(tolist(data.aws_vpc_endpoint_service.control_plane_service.availability_zones), data.aws_subnet.control_plane_subnet_1.availability_zone) ? data.aws_subnet.control_plane_subnet_1.id : ""` +
	`])`

func testEndpointConfig() EndpointConfig {
	return EndpointConfig{
		Name:          "acme-dp-usw2-control-plane",
		VPCID:         jsii.String("vpc-0fedcba9876543210"),
		VPCCIDR:       netip.MustParsePrefix("10.40.0.0/16"),
		SubnetIDs:     []*string{jsii.String("subnet-x"), jsii.String("subnet-y")},
		ServiceName:   jsii.String(providerServiceName),
		PrivateZoneID: jsii.String("Z0123456789ABCDEFGHIJ"),
		RecordName:    "control-plane.usw2.internal.acme.example.com",
	}
}

func synthEndpoint(t *testing.T, cfg EndpointConfig) (*Endpoint, synthtest.Document) {
	t.Helper()
	stack := synthtest.Stack(t)
	endpoint := NewEndpoint(stack, "control_plane", cfg)
	cdktf.NewTerraformOutput(stack, jsii.String("endpoint_id"), &cdktf.TerraformOutputConfig{Value: endpoint.EndpointID})
	cdktf.NewTerraformOutput(stack, jsii.String("security_group_id"), &cdktf.TerraformOutputConfig{Value: endpoint.SecurityGroupID})
	return endpoint, synthtest.Synth(t, stack)
}

func TestNewEndpoint(t *testing.T) {
	endpoint, doc := synthEndpoint(t, testEndpointConfig())

	t.Run("interface endpoint", func(t *testing.T) {
		vpce := doc.Resource(t, "aws_vpc_endpoint", "control_plane_endpoint")
		assert.Equal(t, "Interface", vpce["vpc_endpoint_type"])
		assert.Equal(t, providerServiceName, vpce["service_name"])
		assert.Equal(t, false, vpce["private_dns_enabled"])
		assert.Equal(t, "vpc-0fedcba9876543210", vpce["vpc_id"])
		assert.Equal(t, "${"+filteredSubnetIDs+"}", vpce["subnet_ids"])
		assert.Equal(t, []any{endpointGroupRef}, vpce["security_group_ids"])
		assert.Equal(t, map[string]any{"Name": "acme-dp-usw2-control-plane-vpce"}, vpce["tags"])
	})

	t.Run("alias record", func(t *testing.T) {
		record := doc.Resource(t, "aws_route53_record", "control_plane_record")
		assert.Equal(t, "control-plane.usw2.internal.acme.example.com", record["name"])
		assert.Equal(t, "A", record["type"])
		assert.Equal(t, "Z0123456789ABCDEFGHIJ", record["zone_id"])
		assert.Equal(t, map[string]any{
			"name":                   "${aws_vpc_endpoint.control_plane_endpoint.dns_entry[0].dns_name}",
			"zone_id":                "${aws_vpc_endpoint.control_plane_endpoint.dns_entry[0].hosted_zone_id}",
			"evaluate_target_health": false,
		}, record["alias"])
		assert.NotContains(t, record, "records", "an alias record has no literal records")
	})

	t.Run("outputs", func(t *testing.T) {
		assert.Equal(t, "control-plane.usw2.internal.acme.example.com", endpoint.DNSName)
		assert.Equal(t, endpointRef, doc.Outputs()["endpoint_id"]["value"])
		assert.Equal(t, endpointGroupRef, doc.Outputs()["security_group_id"]["value"])
	})
}

func TestNewEndpointSubnetFilter(t *testing.T) {
	_, doc := synthEndpoint(t, testEndpointConfig())

	t.Run("service data source", func(t *testing.T) {
		services := doc.DataSources("aws_vpc_endpoint_service")
		require.Len(t, services, 1)
		require.Contains(t, services, "control_plane_service")
		assert.Equal(t, map[string]any{"service_name": providerServiceName}, services["control_plane_service"])
	})

	t.Run("subnet data sources", func(t *testing.T) {
		subnets := doc.DataSources("aws_subnet")
		assert.Equal(t, map[string]map[string]any{
			"control_plane_subnet_0": {"id": "subnet-x"},
			"control_plane_subnet_1": {"id": "subnet-y"},
		}, subnets)
	})

	vpce := doc.Resource(t, "aws_vpc_endpoint", "control_plane_endpoint")
	lifecycle, ok := vpce["lifecycle"].(map[string]any)
	require.True(t, ok, "the endpoint has a lifecycle block")
	preconditions, ok := lifecycle["precondition"].([]any)
	require.True(t, ok, "the lifecycle block has preconditions")
	require.Len(t, preconditions, 1)
	precondition, ok := preconditions[0].(map[string]any)
	require.True(t, ok)

	t.Run("precondition condition", func(t *testing.T) {
		assert.Equal(t, "${(length("+filteredSubnetIDs+") >= 1)}", precondition["condition"])
	})

	t.Run("precondition message", func(t *testing.T) {
		message, ok := precondition["error_message"].(string)
		require.True(t, ok)
		assert.Contains(t, message, "PrivateLink endpoint acme-dp-usw2-control-plane-vpce: ")
		assert.Contains(t, message, "endpoint service "+providerServiceName)
		assert.Contains(t, message, "${data.aws_subnet.control_plane_subnet_0.id} in ${data.aws_subnet.control_plane_subnet_0.availability_zone} (${data.aws_subnet.control_plane_subnet_0.availability_zone_id})")
		assert.Contains(t, message, "${data.aws_subnet.control_plane_subnet_1.id} in ${data.aws_subnet.control_plane_subnet_1.availability_zone} (${data.aws_subnet.control_plane_subnet_1.availability_zone_id})")
		assert.Contains(t, message, `${join(", ", tolist(data.aws_vpc_endpoint_service.control_plane_service.availability_zones))}`)
		assert.Contains(t, message, "Add a private subnet in one of the service's zones to SubnetIDs")
	})
}

func TestNewEndpointSubnetFilterEveryCandidate(t *testing.T) {
	cfg := testEndpointConfig()
	cfg.SubnetIDs = []*string{jsii.String("subnet-a"), jsii.String("subnet-b"), jsii.String("subnet-c")}
	_, doc := synthEndpoint(t, cfg)

	subnets := doc.DataSources("aws_subnet")
	require.Len(t, subnets, 3)
	vpce := doc.Resource(t, "aws_vpc_endpoint", "control_plane_endpoint")
	subnetIDs, ok := vpce["subnet_ids"].(string)
	require.True(t, ok, "subnet_ids is an expression, not a literal list")
	for i, id := range []string{"subnet-a", "subnet-b", "subnet-c"} {
		name := fmt.Sprintf("control_plane_subnet_%d", i)
		require.Contains(t, subnets, name)
		assert.Equal(t, id, subnets[name]["id"])
		assert.Contains(t, subnetIDs, fmt.Sprintf(
			"contains(tolist(data.aws_vpc_endpoint_service.control_plane_service.availability_zones), data.aws_subnet.%s.availability_zone) ? data.aws_subnet.%s.id", name, name))
	}
}

func TestNewEndpointSecurityGroup(t *testing.T) {
	_, doc := synthEndpoint(t, testEndpointConfig())

	group := doc.Resource(t, "aws_security_group", "control_plane_security_group")
	assert.Equal(t, "acme-dp-usw2-control-plane-vpce", group["name"])
	assert.Equal(t, "vpc-0fedcba9876543210", group["vpc_id"])
	assert.NotContains(t, group, "ingress", "rules are separate resources")
	assert.NotContains(t, group, "egress", "an inline egress block would allow traffic out")
	assert.Empty(t, doc.Resources("aws_vpc_security_group_egress_rule"), "the endpoint never opens connections")

	ingress := doc.Resources("aws_vpc_security_group_ingress_rule")
	require.Len(t, ingress, 1)
	rule := doc.Resource(t, "aws_vpc_security_group_ingress_rule", "control_plane_vpc_ingress")
	assert.Equal(t, endpointGroupRef, rule["security_group_id"])
	assert.Equal(t, "tcp", rule["ip_protocol"])
	assert.Equal(t, float64(443), rule["from_port"])
	assert.Equal(t, float64(443), rule["to_port"])
	assert.Equal(t, "10.40.0.0/16", rule["cidr_ipv4"])
}

func TestNewEndpointWithServiceToken(t *testing.T) {
	stack := synthtest.Stack(t)
	svc := NewService(stack, "api_service", testServiceConfig())
	cfg := testEndpointConfig()
	cfg.ServiceName = svc.ServiceName
	cfg.Port = 8443
	NewEndpoint(stack, "control_plane", cfg)
	doc := synthtest.Synth(t, stack)

	const serviceNameRef = "${aws_vpc_endpoint_service.api_service_endpoint_service.service_name}"
	vpce := doc.Resource(t, "aws_vpc_endpoint", "control_plane_endpoint")
	assert.Equal(t, serviceNameRef, vpce["service_name"])
	services := doc.DataSources("aws_vpc_endpoint_service")
	require.Contains(t, services, "control_plane_service")
	assert.Equal(t, serviceNameRef, services["control_plane_service"]["service_name"])
	rule := doc.Resource(t, "aws_vpc_security_group_ingress_rule", "control_plane_vpc_ingress")
	assert.Equal(t, float64(8443), rule["from_port"])
	assert.Equal(t, float64(8443), rule["to_port"])
}

func TestEndpointConfigValidate(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(*EndpointConfig)
		want   string
	}{
		{"missing name", func(c *EndpointConfig) { c.Name = "" }, "EndpointConfig.Name is empty"},
		{"too long name", func(c *EndpointConfig) { c.Name = strings.Repeat("a", 251) }, "has 251 characters; shorten it to at most 250"},
		{"name with underscore", func(c *EndpointConfig) { c.Name = "acme_dp" }, `EndpointConfig.Name: "acme_dp" is invalid`},
		{"missing VPC ID", func(c *EndpointConfig) { c.VPCID = nil }, "EndpointConfig.VPCID is missing"},
		{"IPv6 VPC CIDR", func(c *EndpointConfig) { c.VPCCIDR = netip.MustParsePrefix("fd00::/56") }, `EndpointConfig.VPCCIDR: "fd00::/56" is not an IPv4 range`},
		{"VPC CIDR too large", func(c *EndpointConfig) { c.VPCCIDR = netip.MustParsePrefix("10.0.0.0/8") }, `EndpointConfig.VPCCIDR: "10.0.0.0/8" is not a valid VPC range`},
		{"one subnet", func(c *EndpointConfig) { c.SubnetIDs = c.SubnetIDs[:1] }, "EndpointConfig.SubnetIDs has 1 subnets; set at least 2"},
		{"missing service name", func(c *EndpointConfig) { c.ServiceName = nil }, "EndpointConfig.ServiceName is missing"},
		{"AWS service name", func(c *EndpointConfig) { c.ServiceName = jsii.String("com.amazonaws.us-west-2.s3") }, `EndpointConfig.ServiceName: "com.amazonaws.us-west-2.s3" is invalid`},
		{"service ID only", func(c *EndpointConfig) { c.ServiceName = jsii.String("vpce-svc-0123456789abcdef0") }, `EndpointConfig.ServiceName: "vpce-svc-0123456789abcdef0" is invalid`},
		{"bad port", func(c *EndpointConfig) { c.Port = -443 }, "EndpointConfig.Port: -443 is not a TCP port"},
		{"missing zone", func(c *EndpointConfig) { c.PrivateZoneID = nil }, "EndpointConfig.PrivateZoneID is missing"},
		{"missing record name", func(c *EndpointConfig) { c.RecordName = "" }, "EndpointConfig.RecordName is empty"},
		{"single-label record name", func(c *EndpointConfig) { c.RecordName = "control-plane" }, `"control-plane" is a single label`},
		{"record name with trailing dot", func(c *EndpointConfig) { c.RecordName = "control-plane.acme.example.com." }, `"control-plane.acme.example.com." is not a DNS name`},
		{"uppercase record name", func(c *EndpointConfig) { c.RecordName = "Control-Plane.acme.example.com" }, "is not a DNS name"},
		{"record name with underscore", func(c *EndpointConfig) { c.RecordName = "control_plane.acme.example.com" }, "is not a DNS name"},
		{"record label too long", func(c *EndpointConfig) { c.RecordName = strings.Repeat("a", 64) + ".example.com" }, "is not a DNS name"},
		{"record name too long", func(c *EndpointConfig) { c.RecordName = strings.Repeat("abcdefghi.", 25) + "example.com" }, "has 261 characters; DNS names have at most 253"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := testEndpointConfig()
			c.mutate(&cfg)
			err := cfg.withDefaults().Validate()
			assert.ErrorContains(t, err, c.want)
			assert.ErrorContains(t, err, "privatelink: ")
		})
	}

	t.Run("valid", func(t *testing.T) {
		assert.NoError(t, testEndpointConfig().withDefaults().Validate())
	})
}

func TestConstructorsPanicOnInvalidConfig(t *testing.T) {
	t.Run("service", func(t *testing.T) {
		cfg := testServiceConfig()
		cfg.AllowedPrincipalARNs = []string{"*"}
		assert.PanicsWithError(t, cfg.withDefaults().Validate().Error(), func() {
			NewService(synthtest.Stack(t), "api_service", cfg)
		})
	})
	t.Run("target group binding", func(t *testing.T) {
		cfg := testBindingConfig()
		cfg.ServiceName = ""
		assert.PanicsWithError(t, cfg.withDefaults().Validate().Error(), func() {
			NewTargetGroupBinding(synthtest.Stack(t), "api_binding", cfg)
		})
	})
	t.Run("endpoint", func(t *testing.T) {
		cfg := testEndpointConfig()
		cfg.SubnetIDs = nil
		assert.PanicsWithError(t, cfg.withDefaults().Validate().Error(), func() {
			NewEndpoint(synthtest.Stack(t), "control_plane", cfg)
		})
	})
}
