package privatelink

import (
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
	consumerDeployRole  = "arn:aws:iam::111122223333:role/acme-dp-deploy"
	consumerDeployRole2 = "arn:aws:iam::111122223333:role/platform/acme-dp-deploy-ci"

	serviceSecurityGroupRef = "${aws_security_group.api_service_security_group.id}"
	serviceLoadBalancerRef  = "${aws_lb.api_service_load_balancer.arn}"
	serviceTargetGroupRef   = "${aws_lb_target_group.api_service_target_group.arn}"
)

// testServiceConfig returns a valid config of a service whose pods listen
// on 8443 behind a listener on the default port.
func testServiceConfig() ServiceConfig {
	return ServiceConfig{
		Name:                 "acme-cp-usw2-api",
		VPCID:                jsii.String("vpc-0123456789abcdef0"),
		VPCCIDR:              netip.MustParsePrefix("10.20.0.0/16"),
		SubnetIDs:            []*string{jsii.String("subnet-a"), jsii.String("subnet-b"), jsii.String("subnet-c")},
		ClientCIDRs:          []netip.Prefix{netip.MustParsePrefix("10.40.0.0/16"), netip.MustParsePrefix("172.16.0.0/20")},
		TargetPort:           8443,
		AllowedPrincipalARNs: []string{consumerDeployRole, consumerDeployRole2},
		Region:               "us-west-2",
	}
}

func synthService(t *testing.T, cfg ServiceConfig) (*Service, synthtest.Document) {
	t.Helper()
	stack := synthtest.Stack(t)
	svc := NewService(stack, "api_service", cfg)
	cdktf.NewTerraformOutput(stack, jsii.String("service_name"), &cdktf.TerraformOutputConfig{Value: svc.ServiceName})
	cdktf.NewTerraformOutput(stack, jsii.String("target_group_arn"), &cdktf.TerraformOutputConfig{Value: svc.TargetGroupARN})
	cdktf.NewTerraformOutput(stack, jsii.String("security_group_id"), &cdktf.TerraformOutputConfig{Value: svc.SecurityGroupID})
	cdktf.NewTerraformOutput(stack, jsii.String("load_balancer_arn"), &cdktf.TerraformOutputConfig{Value: svc.LoadBalancerARN})
	return svc, synthtest.Synth(t, stack)
}

func TestNewService(t *testing.T) {
	_, doc := synthService(t, testServiceConfig())

	t.Run("load balancer", func(t *testing.T) {
		nlb := doc.Resource(t, "aws_lb", "api_service_load_balancer")
		assert.Equal(t, "acme-cp-usw2-api-nlb", nlb["name"])
		assert.Equal(t, true, nlb["internal"])
		assert.Equal(t, "network", nlb["load_balancer_type"])
		assert.Equal(t, true, nlb["enable_cross_zone_load_balancing"])
		assert.Equal(t, "on", nlb["enforce_security_group_inbound_rules_on_private_link_traffic"])
		assert.Equal(t, []any{"subnet-a", "subnet-b", "subnet-c"}, nlb["subnets"])
		assert.Equal(t, []any{serviceSecurityGroupRef}, nlb["security_groups"])
		assert.Equal(t, map[string]any{"Name": "acme-cp-usw2-api-nlb"}, nlb["tags"])
	})

	t.Run("target group", func(t *testing.T) {
		group := doc.Resource(t, "aws_lb_target_group", "api_service_target_group")
		assert.Equal(t, "acme-cp-usw2-api-8443", group["name"])
		assert.Equal(t, "ip", group["target_type"])
		assert.Equal(t, "TCP", group["protocol"])
		assert.Equal(t, float64(8443), group["port"])
		assert.Equal(t, "vpc-0123456789abcdef0", group["vpc_id"])
		assert.Equal(t, map[string]any{"enabled": true, "protocol": "TCP", "port": "traffic-port"}, group["health_check"])
		assert.Equal(t, map[string]any{"create_before_destroy": true}, group["lifecycle"])
	})

	t.Run("listener", func(t *testing.T) {
		listener := doc.Resource(t, "aws_lb_listener", "api_service_listener")
		assert.Equal(t, serviceLoadBalancerRef, listener["load_balancer_arn"])
		assert.Equal(t, "TCP", listener["protocol"])
		assert.Equal(t, float64(DefaultPort), listener["port"])
		assert.Equal(t, []any{map[string]any{"type": "forward", "target_group_arn": serviceTargetGroupRef}}, listener["default_action"])
	})

	t.Run("endpoint service", func(t *testing.T) {
		service := doc.Resource(t, "aws_vpc_endpoint_service", "api_service_endpoint_service")
		assert.Equal(t, false, service["acceptance_required"])
		assert.Equal(t, []any{consumerDeployRole, consumerDeployRole2}, service["allowed_principals"])
		assert.Equal(t, []any{serviceLoadBalancerRef}, service["network_load_balancer_arns"])
		assert.Equal(t, map[string]any{"Name": "acme-cp-usw2-api"}, service["tags"])
	})

	t.Run("outputs", func(t *testing.T) {
		outputs := doc.Outputs()
		assert.Equal(t, "${aws_vpc_endpoint_service.api_service_endpoint_service.service_name}", outputs["service_name"]["value"])
		assert.Equal(t, serviceTargetGroupRef, outputs["target_group_arn"]["value"])
		assert.Equal(t, serviceSecurityGroupRef, outputs["security_group_id"]["value"])
		assert.Equal(t, serviceLoadBalancerRef, outputs["load_balancer_arn"]["value"])
	})
}

func TestNewServiceSecurityGroup(t *testing.T) {
	cfg := testServiceConfig()
	_, doc := synthService(t, cfg)

	group := doc.Resource(t, "aws_security_group", "api_service_security_group")
	assert.Equal(t, "acme-cp-usw2-api-nlb", group["name"])
	assert.Equal(t, "vpc-0123456789abcdef0", group["vpc_id"])
	assert.NotContains(t, group, "ingress", "rules are separate resources")
	assert.NotContains(t, group, "egress", "rules are separate resources")

	ingress := doc.Resources("aws_vpc_security_group_ingress_rule")
	assert.Len(t, ingress, len(cfg.ClientCIDRs), "one ingress rule per client range")
	var sources []any
	for name, rule := range ingress {
		assert.Equal(t, serviceSecurityGroupRef, rule["security_group_id"], name)
		assert.Equal(t, "tcp", rule["ip_protocol"], name)
		assert.Equal(t, float64(DefaultPort), rule["from_port"], name)
		assert.Equal(t, float64(DefaultPort), rule["to_port"], name)
		sources = append(sources, rule["cidr_ipv4"])
	}
	assert.ElementsMatch(t, []any{"10.40.0.0/16", "172.16.0.0/20"}, sources)
	assert.NotContains(t, sources, cfg.VPCCIDR.String(), "PrivateLink clients are checked by their own address, not the provider VPC's")

	egress := doc.Resources("aws_vpc_security_group_egress_rule")
	require.Len(t, egress, 1)
	rule := doc.Resource(t, "aws_vpc_security_group_egress_rule", "api_service_target_egress")
	assert.Equal(t, serviceSecurityGroupRef, rule["security_group_id"])
	assert.Equal(t, "tcp", rule["ip_protocol"])
	assert.Equal(t, float64(8443), rule["from_port"], "egress goes to the pods' port")
	assert.Equal(t, float64(8443), rule["to_port"])
	assert.Equal(t, "10.20.0.0/16", rule["cidr_ipv4"])
}

func TestNewServiceDefaultPorts(t *testing.T) {
	cfg := testServiceConfig()
	cfg.TargetPort = 0
	_, doc := synthService(t, cfg)

	assert.Equal(t, float64(443), doc.Resource(t, "aws_lb_listener", "api_service_listener")["port"])
	assert.Equal(t, float64(443), doc.Resource(t, "aws_lb_target_group", "api_service_target_group")["port"])
	assert.Equal(t, float64(443), doc.Resource(t, "aws_vpc_security_group_egress_rule", "api_service_target_egress")["from_port"])
}

func TestNewServiceLongestNameFits(t *testing.T) {
	cfg := testServiceConfig()
	cfg.Name = strings.Repeat("a", MaxServiceNameLength)
	cfg.Port = 65535
	cfg.TargetPort = 65535
	_, doc := synthService(t, cfg)

	for _, name := range []string{
		doc.Resource(t, "aws_lb", "api_service_load_balancer")["name"].(string),
		doc.Resource(t, "aws_lb_target_group", "api_service_target_group")["name"].(string),
	} {
		assert.LessOrEqual(t, len(name), 32, name)
	}
}

func TestServiceConfigValidate(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(*ServiceConfig)
		want   string
	}{
		{"missing name", func(c *ServiceConfig) { c.Name = "" }, "ServiceConfig.Name is empty"},
		{"too long name", func(c *ServiceConfig) { c.Name = strings.Repeat("a", MaxServiceNameLength+1) }, "has 27 characters; shorten it to at most 26"},
		{"uppercase name", func(c *ServiceConfig) { c.Name = "Acme-API" }, `ServiceConfig.Name: "Acme-API" is invalid`},
		{"reserved load balancer prefix", func(c *ServiceConfig) { c.Name = "internal-api" }, `starting with "internal-"`},
		{"missing VPC ID", func(c *ServiceConfig) { c.VPCID = nil }, "ServiceConfig.VPCID is missing"},
		{"missing VPC CIDR", func(c *ServiceConfig) { c.VPCCIDR = netip.Prefix{} }, "ServiceConfig.VPCCIDR is missing"},
		{"VPC CIDR with host bits", func(c *ServiceConfig) { c.VPCCIDR = netip.MustParsePrefix("10.20.1.0/16") }, `has host bits set; use "10.20.0.0/16"`},
		{"one subnet", func(c *ServiceConfig) { c.SubnetIDs = c.SubnetIDs[:1] }, "ServiceConfig.SubnetIDs has 1 subnets; set at least 2"},
		{"repeated subnet", func(c *ServiceConfig) { c.SubnetIDs[2] = jsii.String("subnet-a") }, `ServiceConfig.SubnetIDs[2]: "subnet-a" repeats entry 0`},
		{"nil subnet", func(c *ServiceConfig) { c.SubnetIDs[1] = nil }, "ServiceConfig.SubnetIDs[1] is empty"},
		{"no client ranges", func(c *ServiceConfig) { c.ClientCIDRs = nil }, "ServiceConfig.ClientCIDRs is empty"},
		{"client range of every address", func(c *ServiceConfig) { c.ClientCIDRs[0] = netip.MustParsePrefix("0.0.0.0/0") }, `ServiceConfig.ClientCIDRs[0]: "0.0.0.0/0" is larger than a /8`},
		{"IPv6 client range", func(c *ServiceConfig) { c.ClientCIDRs[1] = netip.MustParsePrefix("fd00::/64") }, `ServiceConfig.ClientCIDRs[1]: "fd00::/64" is not an IPv4 range`},
		{"repeated client range", func(c *ServiceConfig) { c.ClientCIDRs[1] = c.ClientCIDRs[0] }, `ServiceConfig.ClientCIDRs[1]: "10.40.0.0/16" repeats entry 0`},
		{"port above range", func(c *ServiceConfig) { c.Port = 70000 }, "ServiceConfig.Port: 70000 is not a TCP port"},
		{"negative target port", func(c *ServiceConfig) { c.TargetPort = -1 }, "ServiceConfig.TargetPort: -1 is not a TCP port"},
		{"no principals", func(c *ServiceConfig) { c.AllowedPrincipalARNs = nil }, "ServiceConfig.AllowedPrincipalARNs is empty"},
		{"wildcard principal", func(c *ServiceConfig) { c.AllowedPrincipalARNs[0] = "*" }, `AllowedPrincipalARNs[0]: "*" is not an IAM role ARN`},
		{"account root principal", func(c *ServiceConfig) { c.AllowedPrincipalARNs[0] = "arn:aws:iam::111122223333:root" }, `"arn:aws:iam::111122223333:root" is not an IAM role ARN`},
		{"role wildcard principal", func(c *ServiceConfig) { c.AllowedPrincipalARNs[1] = "arn:aws:iam::111122223333:role/*" }, "AllowedPrincipalARNs[1]"},
		{"repeated principal", func(c *ServiceConfig) { c.AllowedPrincipalARNs[1] = consumerDeployRole }, "repeats entry 0"},
		{"principal of another partition", func(c *ServiceConfig) { c.Region = "us-gov-west-1" }, `is in partition "aws", not "aws-us-gov"`},
		{"missing region", func(c *ServiceConfig) { c.Region = "" }, "ServiceConfig.Region is missing"},
		{"isolated region", func(c *ServiceConfig) { c.Region = "us-iso-east-1" }, "is in an isolated partition"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := testServiceConfig()
			c.mutate(&cfg)
			err := cfg.withDefaults().Validate()
			assert.ErrorContains(t, err, c.want)
			assert.ErrorContains(t, err, "privatelink: ")
		})
	}

	t.Run("valid", func(t *testing.T) {
		assert.NoError(t, testServiceConfig().withDefaults().Validate())
	})
	t.Run("zero port before defaults", func(t *testing.T) {
		assert.ErrorContains(t, testServiceConfig().Validate(), "ServiceConfig.Port: 0 is not a TCP port")
	})
}
