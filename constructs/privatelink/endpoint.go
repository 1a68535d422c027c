package privatelink

import (
	"errors"
	"fmt"
	"net/netip"
	"regexp"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawssubnet"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawsvpcendpointservice"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/route53record"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/securitygroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpcendpoint"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpcsecuritygroupingressrule"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
)

// endpointSuffix is appended to EndpointConfig.Name to name the endpoint
// and its security group.
const endpointSuffix = "-vpce"

// maxSecurityGroupNameLength is the longest security group name AWS accepts.
const maxSecurityGroupNameLength = 255

// maxDNSNameLength is the longest DNS name, without the trailing dot.
const maxDNSNameLength = 253

var (
	// endpointServiceName matches the name of an endpoint service that a
	// Network Load Balancer backs, such as
	// "com.amazonaws.vpce.us-west-2.vpce-svc-0123456789abcdef0".
	endpointServiceName = regexp.MustCompile(`^com\.amazonaws\.vpce\.[a-z]{2}(-[a-z]+)+-[0-9]+\.vpce-svc-[0-9a-f]+$`)

	// dnsNameLabel is one label of a DNS host name, lowercase as Route 53
	// stores it.
	dnsNameLabel = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)
)

// EndpointConfig configures the consumer side of a PrivateLink connection.
type EndpointConfig struct {
	// Name is the prefix of the endpoint's and security group's names, such
	// as "acme-dp-usw2-control-plane" (required).
	Name string

	// VPCID is the VPC the endpoint is created in (required).
	VPCID *string

	// VPCCIDR is the VPC's primary IPv4 CIDR block (required). It is the
	// only source the endpoint admits.
	VPCCIDR netip.Prefix

	// SubnetIDs are the candidate private subnets for the endpoint's
	// network interfaces, at least two, in different availability zones
	// (required). The endpoint uses only those in a zone where the service
	// has a load balancer subnet, because AWS rejects an endpoint subnet in
	// any other zone. Zone names map to physical zones differently in each
	// account, so Terraform makes the match against the service's zones as
	// this account names them. Terraform fails if no subnet matches. List a
	// subnet in every zone of the VPC to get every zone the service allows.
	SubnetIDs []*string

	// ServiceName is the provider's endpoint service name,
	// Service.ServiceName on the other side (required). A literal value
	// must have the form "com.amazonaws.vpce.<region>.vpce-svc-<id>".
	ServiceName *string

	// Port is the TCP port of the service's listener. Default: DefaultPort.
	Port int

	// PrivateZoneID is the Route 53 private hosted zone, associated with the
	// VPC, that gets the record RecordName (required).
	PrivateZoneID *string

	// RecordName is the DNS name clients use to reach the service, inside
	// the zone PrivateZoneID, such as
	// "control-plane.usw2.internal.acme.example.com" (required). It is
	// lowercase and has no trailing dot.
	RecordName string
}

// withDefaults returns a copy of c with Port set when zero.
func (c EndpointConfig) withDefaults() EndpointConfig {
	if c.Port == 0 {
		c.Port = DefaultPort
	}
	return c
}

// Validate returns every problem with c, joined, or nil. Call it after
// defaults are applied, because it rejects a zero port.
func (c EndpointConfig) Validate() error {
	var errs []error
	errs = append(errs, validateName("EndpointConfig", c.Name, "acme-dp-usw2-control-plane", maxSecurityGroupNameLength-len(endpointSuffix))...)
	errs = append(errs, validateVPCID("EndpointConfig", c.VPCID)...)
	errs = append(errs, validateVPCCIDR("EndpointConfig", c.VPCCIDR)...)
	errs = append(errs, validateSubnetIDs("EndpointConfig", c.SubnetIDs)...)
	errs = append(errs, validateToken("EndpointConfig.ServiceName", c.ServiceName, endpointServiceName,
		`the provider's endpoint service name, such as "com.amazonaws.vpce.us-west-2.vpce-svc-0123456789abcdef0"`)...)
	errs = append(errs, validatePort("EndpointConfig.Port", c.Port)...)
	if c.PrivateZoneID == nil || *c.PrivateZoneID == "" {
		errs = append(errs, errors.New("privatelink: EndpointConfig.PrivateZoneID is missing; set it to the ID of the private hosted zone that contains RecordName"))
	}
	errs = append(errs, validateRecordName(c.RecordName)...)
	return errors.Join(errs...)
}

func validateRecordName(name string) []error {
	const example = "control-plane.usw2.internal.acme.example.com"
	switch {
	case name == "":
		return []error{fmt.Errorf("privatelink: EndpointConfig.RecordName is empty; set it to a DNS name inside the private zone, such as %q", example)}
	case len(name) > maxDNSNameLength:
		return []error{fmt.Errorf("privatelink: EndpointConfig.RecordName: %q has %d characters; DNS names have at most %d", name, len(name), maxDNSNameLength)}
	}

	labels := strings.Split(name, ".")
	if len(labels) < 2 {
		return []error{fmt.Errorf("privatelink: EndpointConfig.RecordName: %q is a single label; use a full name inside the private zone, such as %q", name, example)}
	}
	for _, label := range labels {
		if !dnsNameLabel.MatchString(label) {
			return []error{fmt.Errorf("privatelink: EndpointConfig.RecordName: %q is not a DNS name; use lowercase labels of letters, digits and hyphens separated by single dots, with no trailing dot", name)}
		}
	}
	return nil
}

// Endpoint is the consumer side of a PrivateLink connection: an interface
// VPC endpoint to the provider's endpoint service, its security group, and
// an alias record that gives the endpoint a stable name in a private zone.
type Endpoint struct {
	constructs.Construct

	// EndpointID is the ID of the interface VPC endpoint.
	EndpointID *string

	// DNSName is the name clients use to reach the service,
	// EndpointConfig.RecordName.
	DNSName string

	// SecurityGroupID is the ID of the endpoint's security group.
	SecurityGroupID *string
}

// NewEndpoint creates an interface VPC endpoint to cfg.ServiceName, a
// security group that admits Port from the VPC, and an alias A record
// RecordName that points at the endpoint. It panics if cfg is invalid after
// defaults are applied.
//
// The endpoint's subnets are the entries of cfg.SubnetIDs whose zone is one
// of the service's zones. The zones come from the aws_vpc_endpoint_service
// and aws_subnet data sources, read at plan time, or at apply time when a
// subnet ID or the service name is not known yet. A lifecycle precondition fails the run,
// naming the subnets' zone IDs and the service's zones, when no subnet is
// left. The data sources need ec2:DescribeVpcEndpointServices and
// ec2:DescribeSubnets, and the service must already allow this account to
// discover it. If the provider later adds a zone, the next apply adds the
// matching subnet to the endpoint in place.
//
// Private DNS is off because an endpoint service without a verified private
// DNS name has no name for AWS to resolve. The record points at the
// endpoint's first DNS entry, expected to be the regional name that
// resolves to the endpoint's addresses in every zone.
//
// NOTE: the EC2 API does not document the order of an endpoint's DNS
// entries, so the record relies on the regional name coming first.
func NewEndpoint(scope constructs.Construct, id string, cfg EndpointConfig) *Endpoint {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		panic(err)
	}

	construct := constructs.NewConstruct(scope, jsii.String(id))
	securityGroupID := newEndpointSecurityGroup(construct, cfg)
	subnets := newEndpointSubnets(construct, cfg)

	endpoint := vpcendpoint.NewVpcEndpoint(construct, jsii.String("endpoint"), &vpcendpoint.VpcEndpointConfig{
		VpcId:             cfg.VPCID,
		ServiceName:       cfg.ServiceName,
		VpcEndpointType:   jsii.String("Interface"),
		PrivateDnsEnabled: jsii.Bool(false),
		SubnetIds:         subnets.ids,
		SecurityGroupIds:  &[]*string{securityGroupID},
		Tags:              nameTag(cfg.Name + endpointSuffix),
		Lifecycle: &cdktf.TerraformResourceLifecycle{
			Precondition: &[]*cdktf.Precondition{subnets.precondition},
		},
	})

	regional := endpoint.DnsEntry().Get(jsii.Number(0))
	route53record.NewRoute53Record(construct, jsii.String("record"), &route53record.Route53RecordConfig{
		ZoneId: cfg.PrivateZoneID,
		Name:   jsii.String(cfg.RecordName),
		Type:   jsii.String("A"),
		Alias: &route53record.Route53RecordAlias{
			Name:   regional.DnsName(),
			ZoneId: regional.HostedZoneId(),
			// Route 53 uses target health to choose between records, and
			// this name has only one.
			EvaluateTargetHealth: jsii.Bool(false),
		},
	})

	return &Endpoint{
		Construct:       construct,
		EndpointID:      endpoint.Id(),
		DNSName:         cfg.RecordName,
		SecurityGroupID: securityGroupID,
	}
}

// endpointSubnets is the endpoint's subnet list, filtered to the service's
// zones, and the precondition that rejects an empty list.
type endpointSubnets struct {
	ids          *[]*string
	precondition *cdktf.Precondition
}

// newEndpointSubnets reads the endpoint service and every subnet of
// cfg.SubnetIDs with data sources, and returns a Terraform expression that
// keeps the subnets in one of the service's zones, in the order given.
//
// DescribeVpcEndpointServices returns to a consumer account only the zones
// it shares with the provider, named as in the consumer's account. The
// aws_subnet data source uses the same names, so the two compare directly.
// The AWS provider's data source (5.99.1) returns no zone IDs, so the error
// message names the service's zones by name and the subnets' by name and ID.
//
// NOTE: the AWS documentation states that a consumer is shown only the shared
// zones, but not outright that their names follow the consumer's mapping.
// No plan against two real accounts has checked this.
func newEndpointSubnets(scope constructs.Construct, cfg EndpointConfig) endpointSubnets {
	service := dataawsvpcendpointservice.NewDataAwsVpcEndpointService(scope, jsii.String("service"), &dataawsvpcendpointservice.DataAwsVpcEndpointServiceConfig{
		ServiceName: cfg.ServiceName,
	})
	serviceZones := service.AvailabilityZones()

	candidates := make([]*string, len(cfg.SubnetIDs))
	descriptions := make([]*string, len(cfg.SubnetIDs))
	for i, id := range cfg.SubnetIDs {
		subnet := dataawssubnet.NewDataAwsSubnet(scope, jsii.String(fmt.Sprintf("subnet_%d", i)), &dataawssubnet.DataAwsSubnetConfig{
			Id: id,
		})

		// A subnet outside the service's zones becomes "", which compact()
		// below removes.
		inServiceZone := cdktf.Fn_Contains(serviceZones, subnet.AvailabilityZone())
		candidates[i] = cdktf.Token_AsString(cdktf.Fn_Conditional(inServiceZone, subnet.Id(), jsii.String("")), nil)
		descriptions[i] = jsii.String(fmt.Sprintf("%s in %s (%s)", *subnet.Id(), *subnet.AvailabilityZone(), *subnet.AvailabilityZoneId()))
	}
	ids := cdktf.Fn_Compact(&candidates)

	message := fmt.Sprintf("PrivateLink endpoint %s: none of EndpointConfig.SubnetIDs is in an availability zone of endpoint service %s. "+
		"The subnets are %s. The service is available in %s in this account. "+
		"Add a private subnet in one of the service's zones to SubnetIDs, or ask the service provider to add a load balancer subnet in one of the subnets' zone IDs.",
		cfg.Name+endpointSuffix, *cfg.ServiceName,
		*cdktf.Fn_Join(jsii.String(", "), &descriptions), *cdktf.Fn_Join(jsii.String(", "), serviceZones))

	return endpointSubnets{
		ids: ids,
		precondition: &cdktf.Precondition{
			// ">= 1" rather than "> 0" because cdktf 0.20.12 synthesizes
			// the operand 0 as "undefined".
			Condition:    cdktf.Op_Gte(cdktf.Fn_LengthOf(ids), jsii.Number(1)),
			ErrorMessage: jsii.String(message),
		},
	}
}

// newEndpointSecurityGroup creates the endpoint's security group with one
// ingress rule, Port from the VPC, and returns the group's ID. It has no
// egress rule: the endpoint's network interfaces never open connections,
// and security groups are stateful, so replies need no rule. The AWS
// provider removes the allow-all egress rule that AWS adds to a new group.
func newEndpointSecurityGroup(scope constructs.Construct, cfg EndpointConfig) *string {
	name := cfg.Name + endpointSuffix
	group := securitygroup.NewSecurityGroup(scope, jsii.String("security_group"), &securitygroup.SecurityGroupConfig{
		Name:        jsii.String(name),
		Description: jsii.String("PrivateLink endpoint: admits the service port from the VPC only"),
		VpcId:       cfg.VPCID,
		Tags:        nameTag(name),
	})

	vpcsecuritygroupingressrule.NewVpcSecurityGroupIngressRule(scope, jsii.String("vpc_ingress"), &vpcsecuritygroupingressrule.VpcSecurityGroupIngressRuleConfig{
		SecurityGroupId: group.Id(),
		Description:     jsii.String("Clients in the VPC to the PrivateLink service"),
		IpProtocol:      jsii.String("tcp"),
		FromPort:        jsii.Number(float64(cfg.Port)),
		ToPort:          jsii.Number(float64(cfg.Port)),
		CidrIpv4:        jsii.String(cfg.VPCCIDR.String()),
		Tags:            nameTag(name + "-vpc"),
	})

	return group.Id()
}
