package privatelink

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/lb"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/lblistener"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/lbtargetgroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/securitygroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpcendpointservice"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpcsecuritygroupegressrule"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpcsecuritygroupingressrule"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/honeyhive/platform/constructs/awsid"
)

// maxELBNameLength is the longest name AWS accepts for a load balancer or a
// target group.
const maxELBNameLength = 32

// loadBalancerSuffix is appended to ServiceConfig.Name to name the load
// balancer and its security group.
const loadBalancerSuffix = "-nlb"

// maxTargetGroupSuffixLength is the length of the longest target group name
// suffix, "-65535": the target group is named after the target port.
const maxTargetGroupSuffixLength = len("-65535")

// MaxServiceNameLength is the longest ServiceConfig.Name for which both the
// load balancer name (Name + "-nlb") and the target group name
// (Name + "-" + TargetPort) fit in the 32 characters AWS allows.
const MaxServiceNameLength = maxELBNameLength - maxTargetGroupSuffixLength

// minClientPrefixBits bounds ServiceConfig.ClientCIDRs to at most a /8, so
// that a mistyped range such as 0.0.0.0/0 cannot admit every address.
const minClientPrefixBits = 8

// ServiceConfig configures the provider side of a PrivateLink connection.
type ServiceConfig struct {
	// Name is the prefix of every resource name, such as "acme-cp-usw2-api"
	// (required). It has at most MaxServiceNameLength characters, because
	// the load balancer and target group names derived from it must fit in
	// 32 characters.
	Name string

	// VPCID is the VPC of the load balancer and of the pods it sends
	// traffic to (required).
	VPCID *string

	// VPCCIDR is the VPC's primary IPv4 CIDR block (required). The load
	// balancer may send traffic only to this range, because its targets are
	// pod IP addresses in the VPC.
	VPCCIDR netip.Prefix

	// SubnetIDs are the private subnets of the load balancer, at least two,
	// in different availability zones (required). Consumers can create
	// endpoints only in the availability zones these subnets are in.
	SubnetIDs []*string

	// ClientCIDRs are the IPv4 ranges of the clients on the consumer side,
	// normally the consumer VPC's CIDR block (required). The load balancer
	// enforces its inbound rules on PrivateLink traffic, and AWS evaluates
	// those rules against the client's own private IP address, not against
	// the address of the endpoint. A client outside these ranges is
	// dropped.
	ClientCIDRs []netip.Prefix

	// Port is the TCP port of the listener, and so of the consumer's
	// endpoint. Default: DefaultPort.
	Port int

	// TargetPort is the TCP port the pods listen on, the Kubernetes
	// Service's targetPort. Changing it replaces the target group, whose
	// ARN the application layer's TargetGroupBinding must then follow.
	// Default: Port.
	TargetPort int

	// AllowedPrincipalARNs are the IAM roles of the consumer side that may
	// create endpoints to this service (required). Each must be the exact
	// ARN of a role in the partition of Region. Wildcards and account roots
	// are rejected.
	AllowedPrincipalARNs []string

	// Region is the AWS region of the service, such as "us-west-2"
	// (required). Its partition is the partition AllowedPrincipalARNs must
	// be in.
	Region string
}

// withDefaults returns a copy of c with Port and TargetPort set when zero.
func (c ServiceConfig) withDefaults() ServiceConfig {
	if c.Port == 0 {
		c.Port = DefaultPort
	}
	if c.TargetPort == 0 {
		c.TargetPort = c.Port
	}
	return c
}

// Validate returns every problem with c, joined, or nil. Call it after
// defaults are applied, because it rejects a zero port.
func (c ServiceConfig) Validate() error {
	var errs []error
	errs = append(errs, validateName("ServiceConfig", c.Name, "acme-cp-usw2-api", MaxServiceNameLength)...)
	if strings.HasPrefix(c.Name+loadBalancerSuffix, "internal-") {
		errs = append(errs, fmt.Errorf("privatelink: ServiceConfig.Name: %q gives a load balancer name starting with \"internal-\", which AWS reserves; choose another name", c.Name))
	}
	errs = append(errs, validateVPCID("ServiceConfig", c.VPCID)...)
	errs = append(errs, validateVPCCIDR("ServiceConfig", c.VPCCIDR)...)
	errs = append(errs, validateSubnetIDs("ServiceConfig", c.SubnetIDs)...)
	errs = append(errs, c.validateClientCIDRs()...)
	errs = append(errs, validatePort("ServiceConfig.Port", c.Port)...)
	errs = append(errs, validatePort("ServiceConfig.TargetPort", c.TargetPort)...)

	partition, regionErrs := partitionOf(c.Region)
	errs = append(errs, regionErrs...)
	errs = append(errs, c.validatePrincipals(partition)...)
	return errors.Join(errs...)
}

func (c ServiceConfig) validateClientCIDRs() []error {
	if len(c.ClientCIDRs) == 0 {
		return []error{errors.New(`privatelink: ServiceConfig.ClientCIDRs is empty; set it to the consumer VPC's IPv4 CIDR block, such as "10.40.0.0/16"`)}
	}

	var errs []error
	seen := map[netip.Prefix]int{}
	for i, p := range c.ClientCIDRs {
		field := fmt.Sprintf("privatelink: ServiceConfig.ClientCIDRs[%d]", i)
		switch {
		case !p.IsValid():
			errs = append(errs, fmt.Errorf("%s is not set; remove it or set it to an IPv4 CIDR block", field))
			continue
		case !p.Addr().Is4():
			errs = append(errs, fmt.Errorf("%s: %q is not an IPv4 range; the load balancer accepts IPv4 clients only", field, p))
			continue
		case p != p.Masked():
			errs = append(errs, fmt.Errorf("%s: %q has host bits set; use %q", field, p, p.Masked()))
			continue
		case p.Bits() < minClientPrefixBits:
			errs = append(errs, fmt.Errorf("%s: %q is larger than a /%d; use the consumer VPC's CIDR block", field, p, minClientPrefixBits))
			continue
		}
		if first, ok := seen[p]; ok {
			errs = append(errs, fmt.Errorf("%s: %q repeats entry %d; list each range once", field, p, first))
			continue
		}
		seen[p] = i
	}
	return errs
}

func (c ServiceConfig) validatePrincipals(partition string) []error {
	if len(c.AllowedPrincipalARNs) == 0 {
		return []error{errors.New("privatelink: ServiceConfig.AllowedPrincipalARNs is empty; set it to the ARNs of the consumer roles that create the endpoints")}
	}

	var errs []error
	seen := map[string]int{}
	for i, arn := range c.AllowedPrincipalARNs {
		field := fmt.Sprintf("privatelink: ServiceConfig.AllowedPrincipalARNs[%d]", i)
		if err := awsid.RoleARN(field, arn, partition); err != nil {
			errs = append(errs, err)
			continue
		}
		if first, ok := seen[arn]; ok {
			errs = append(errs, fmt.Errorf("%s: %q repeats entry %d; list each role once", field, arn, first))
			continue
		}
		seen[arn] = i
	}
	return errs
}

// partitionOf returns the partition of region, or an error when region is
// not a region name or is in a partition this package does not support. It
// returns "" with the error, so principals of any partition pass the ARN
// check and only the region is reported.
func partitionOf(region string) (string, []error) {
	if err := awsid.Region("privatelink: ServiceConfig.Region", region); err != nil {
		return "", []error{err}
	}
	switch {
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov", nil
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn", nil
	case strings.Contains(region, "-iso"):
		return "", []error{fmt.Errorf("privatelink: ServiceConfig.Region: %q is in an isolated partition, which this package does not support; use a region of the aws, aws-us-gov or aws-cn partition", region)}
	}
	return "aws", nil
}

// Service is the provider side of a PrivateLink connection: an internal
// Network Load Balancer with an IP target group, and a VPC endpoint service
// that lets the allowed consumer roles create endpoints to it. The targets
// are registered by a TargetGroupBinding in the application layer, not
// here.
//
// The endpoint service's name changes when the service is replaced, which
// breaks every endpoint created from the old name.
type Service struct {
	constructs.Construct

	// ServiceName is the endpoint service's name, such as
	// "com.amazonaws.vpce.us-west-2.vpce-svc-0123456789abcdef0", which the
	// consumer side passes to NewEndpoint.
	ServiceName *string

	// TargetGroupARN is the ARN of the IP target group that
	// NewTargetGroupBinding registers pods in.
	TargetGroupARN *string

	// SecurityGroupID is the ID of the load balancer's security group, which
	// the pods' security group must admit traffic from.
	SecurityGroupID *string

	// LoadBalancerARN is the ARN of the Network Load Balancer.
	LoadBalancerARN *string
}

// NewService creates the provider side of a PrivateLink connection: a
// security group, an internal Network Load Balancer with a TCP listener on
// Port, an IP target group on TargetPort and a VPC endpoint service. It
// panics if cfg is invalid after defaults are applied.
//
// The endpoint service accepts connections without manual approval, so
// AllowedPrincipalARNs alone decide who can connect. It lists exact role
// ARNs rather than account roots because an account root would let any
// principal of the consumer account with ec2:CreateVpcEndpoint connect,
// while only the consumer's deploy role needs to create the endpoint.
func NewService(scope constructs.Construct, id string, cfg ServiceConfig) *Service {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		panic(err)
	}

	construct := constructs.NewConstruct(scope, jsii.String(id))
	securityGroupID := newLoadBalancerSecurityGroup(construct, cfg)

	loadBalancerName := cfg.Name + loadBalancerSuffix
	loadBalancer := lb.NewLb(construct, jsii.String("load_balancer"), &lb.LbConfig{
		Name:                         jsii.String(loadBalancerName),
		Internal:                     jsii.Bool(true),
		LoadBalancerType:             jsii.String("network"),
		IpAddressType:                jsii.String("ipv4"),
		Subnets:                      copyIDs(cfg.SubnetIDs),
		SecurityGroups:               &[]*string{securityGroupID},
		EnableCrossZoneLoadBalancing: jsii.Bool(true),
		EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic: jsii.String("on"),
		Tags: nameTag(loadBalancerName),
	})

	// The target group is named after its port and created before the old
	// one is destroyed, so a new TargetPort moves the listener to a new
	// group instead of failing to delete a group the listener still uses.
	targetGroupName := fmt.Sprintf("%s-%d", cfg.Name, cfg.TargetPort)
	targetGroup := lbtargetgroup.NewLbTargetGroup(construct, jsii.String("target_group"), &lbtargetgroup.LbTargetGroupConfig{
		Name:          jsii.String(targetGroupName),
		TargetType:    jsii.String("ip"),
		IpAddressType: jsii.String("ipv4"),
		Protocol:      jsii.String("TCP"),
		Port:          jsii.Number(float64(cfg.TargetPort)),
		VpcId:         cfg.VPCID,
		HealthCheck: &lbtargetgroup.LbTargetGroupHealthCheck{
			Enabled:  jsii.Bool(true),
			Protocol: jsii.String("TCP"),
			Port:     jsii.String("traffic-port"),
		},
		Lifecycle: &cdktf.TerraformResourceLifecycle{CreateBeforeDestroy: jsii.Bool(true)},
		Tags:      nameTag(targetGroupName),
	})

	lblistener.NewLbListener(construct, jsii.String("listener"), &lblistener.LbListenerConfig{
		LoadBalancerArn: loadBalancer.Arn(),
		Protocol:        jsii.String("TCP"),
		Port:            jsii.Number(float64(cfg.Port)),
		DefaultAction: []*lblistener.LbListenerDefaultAction{{
			Type:           jsii.String("forward"),
			TargetGroupArn: targetGroup.Arn(),
		}},
		Tags: nameTag(fmt.Sprintf("%s-tcp-%d", cfg.Name, cfg.Port)),
	})

	endpointService := vpcendpointservice.NewVpcEndpointService(construct, jsii.String("endpoint_service"), &vpcendpointservice.VpcEndpointServiceConfig{
		AcceptanceRequired:      jsii.Bool(false),
		NetworkLoadBalancerArns: &[]*string{loadBalancer.Arn()},
		AllowedPrincipals:       jsii.Strings(cfg.AllowedPrincipalARNs...),
		SupportedIpAddressTypes: jsii.Strings("ipv4"),
		Tags:                    nameTag(cfg.Name),
	})

	return &Service{
		Construct:       construct,
		ServiceName:     endpointService.ServiceName(),
		TargetGroupARN:  targetGroup.Arn(),
		SecurityGroupID: securityGroupID,
		LoadBalancerARN: loadBalancer.Arn(),
	}
}

// newLoadBalancerSecurityGroup creates the load balancer's security group
// and its rules, and returns the group's ID. It admits Port from each client
// range and sends only to TargetPort inside the VPC, which also carries the
// health checks. Rules are separate resources because inline rules and rule
// resources on one group overwrite each other.
func newLoadBalancerSecurityGroup(scope constructs.Construct, cfg ServiceConfig) *string {
	name := cfg.Name + loadBalancerSuffix
	group := securitygroup.NewSecurityGroup(scope, jsii.String("security_group"), &securitygroup.SecurityGroupConfig{
		Name:        jsii.String(name),
		Description: jsii.String("PrivateLink load balancer: admits consumer clients, reaches pod targets in the VPC"),
		VpcId:       cfg.VPCID,
		Tags:        nameTag(name),
	})

	for i, client := range cfg.ClientCIDRs {
		vpcsecuritygroupingressrule.NewVpcSecurityGroupIngressRule(scope, jsii.String(fmt.Sprintf("client_ingress_%d", i)), &vpcsecuritygroupingressrule.VpcSecurityGroupIngressRuleConfig{
			SecurityGroupId: group.Id(),
			Description:     jsii.String("Consumer clients through PrivateLink"),
			IpProtocol:      jsii.String("tcp"),
			FromPort:        jsii.Number(float64(cfg.Port)),
			ToPort:          jsii.Number(float64(cfg.Port)),
			CidrIpv4:        jsii.String(client.String()),
			Tags:            nameTag(fmt.Sprintf("%s-client-%d", name, i)),
		})
	}

	vpcsecuritygroupegressrule.NewVpcSecurityGroupEgressRule(scope, jsii.String("target_egress"), &vpcsecuritygroupegressrule.VpcSecurityGroupEgressRuleConfig{
		SecurityGroupId: group.Id(),
		Description:     jsii.String("Traffic and health checks to pod targets in the VPC"),
		IpProtocol:      jsii.String("tcp"),
		FromPort:        jsii.Number(float64(cfg.TargetPort)),
		ToPort:          jsii.Number(float64(cfg.TargetPort)),
		CidrIpv4:        jsii.String(cfg.VPCCIDR.String()),
		Tags:            nameTag(name + "-targets"),
	})

	return group.Id()
}
