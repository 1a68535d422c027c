package endpoints

import (
	"fmt"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/securitygroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpcendpoint"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpcsecuritygroupingressrule"
)

const httpsPort = 443

// Endpoints is the set of VPC endpoints of one VPC, with the security group
// that guards the interface endpoints.
//
// The security group allows TCP 443 from the VPC's primary CIDR block and
// nothing else. It has no egress rule, because security groups are stateful,
// so replies need no rule, and endpoints never open connections. The AWS
// provider removes the allow-all egress rule that AWS adds to every new VPC
// security group (aws_security_group documentation, note on egress rules).
//
// Endpoint policies are left at the AWS default, which allows every action,
// so identity and resource policies alone decide what callers may do through
// the endpoints.
type Endpoints struct {
	constructs.Construct

	// SecurityGroupID is the ID of the security group attached to every
	// interface endpoint.
	SecurityGroupID *string

	// Interface maps each interface service name, as written in
	// Config.InterfaceServices, to its endpoint ID.
	Interface map[string]*string

	// Gateway maps each gateway service name, as written in
	// Config.GatewayServices, to its endpoint ID.
	Gateway map[string]*string
}

// New creates the interface endpoints, their security group and its HTTPS
// ingress rule, and the gateway endpoints described by cfg. It panics if cfg
// is invalid after defaults are applied.
//
// Interface endpoints have private DNS enabled, so the standard regional API
// host names (sts.us-west-2.amazonaws.com) resolve to the endpoints inside
// the VPC and no client needs custom endpoint settings. AWS accepts private
// DNS only in a VPC with DNS support and DNS hostnames turned on.
func New(scope constructs.Construct, id string, cfg Config) *Endpoints {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		panic(err)
	}

	// Resources are created in construct, not in e, because jsii rejects a
	// Go struct that embeds a construct as the scope of another construct.
	construct := constructs.NewConstruct(scope, jsii.String(id))
	e := &Endpoints{
		Construct:       construct,
		SecurityGroupID: newSecurityGroup(construct, cfg),
		Interface:       map[string]*string{},
		Gateway:         map[string]*string{},
	}

	for _, service := range cfg.InterfaceServices {
		endpoint := vpcendpoint.NewVpcEndpoint(construct, jsii.String(interfaceID(service)), &vpcendpoint.VpcEndpointConfig{
			VpcId:             cfg.VPCID,
			ServiceName:       jsii.String(serviceFullName(cfg.Region, service)),
			VpcEndpointType:   jsii.String("Interface"),
			PrivateDnsEnabled: jsii.Bool(true),
			SubnetIds:         copyIDs(cfg.SubnetIDs),
			SecurityGroupIds:  &[]*string{e.SecurityGroupID},
			Tags:              nameTag(fmt.Sprintf("%s-vpce-%s", cfg.Name, service)),
		})
		e.Interface[service] = endpoint.Id()
	}

	for _, service := range cfg.GatewayServices {
		endpoint := vpcendpoint.NewVpcEndpoint(construct, jsii.String(gatewayID(service)), &vpcendpoint.VpcEndpointConfig{
			VpcId:           cfg.VPCID,
			ServiceName:     jsii.String(serviceFullName(cfg.Region, service)),
			VpcEndpointType: jsii.String("Gateway"),
			RouteTableIds:   copyIDs(cfg.RouteTableIDs),
			Tags:            nameTag(fmt.Sprintf("%s-vpce-%s", cfg.Name, service)),
		})
		e.Gateway[service] = endpoint.Id()
	}

	return e
}

// newSecurityGroup creates the interface endpoints' security group with its
// only rule, and returns the group's ID. The rule is a separate resource
// because inline rules and rule resources on one group overwrite each other.
func newSecurityGroup(scope constructs.Construct, cfg Config) *string {
	name := cfg.Name + "-vpc-endpoints"
	group := securitygroup.NewSecurityGroup(scope, jsii.String("security_group"), &securitygroup.SecurityGroupConfig{
		Name:        jsii.String(name),
		Description: jsii.String("Interface VPC endpoints; allows HTTPS from inside the VPC only"),
		VpcId:       cfg.VPCID,
		Tags:        nameTag(name),
	})

	vpcsecuritygroupingressrule.NewVpcSecurityGroupIngressRule(scope, jsii.String("https_from_vpc"), &vpcsecuritygroupingressrule.VpcSecurityGroupIngressRuleConfig{
		SecurityGroupId: group.Id(),
		Description:     jsii.String("HTTPS from the VPC to the AWS API endpoints"),
		IpProtocol:      jsii.String("tcp"),
		FromPort:        jsii.Number(httpsPort),
		ToPort:          jsii.Number(httpsPort),
		CidrIpv4:        jsii.String(cfg.VPCCIDR.String()),
		Tags:            nameTag(name + "-https-from-vpc"),
	})

	return group.Id()
}

var idReplacer = strings.NewReplacer(".", "_", "-", "_")

// interfaceID returns the construct ID of the interface endpoint for
// service, for example "interface_ecr_api" for "ecr.api".
func interfaceID(service string) string {
	return "interface_" + idReplacer.Replace(service)
}

func gatewayID(service string) string {
	return "gateway_" + idReplacer.Replace(service)
}

func serviceFullName(region, service string) string {
	return fmt.Sprintf("com.amazonaws.%s.%s", region, service)
}

// copyIDs returns a pointer to a copy of ids, so that no resource shares a
// slice with the caller's config.
func copyIDs(ids []*string) *[]*string {
	c := make([]*string, len(ids))
	copy(c, ids)
	return &c
}

func nameTag(name string) *map[string]*string {
	return &map[string]*string{"Name": jsii.String(name)}
}
