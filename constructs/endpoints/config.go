package endpoints

import (
	"errors"
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strings"

	"github.com/honeyhive/platform/constructs/awsid"
)

// DefaultInterfaceServices are the AWS APIs the cluster and its workloads
// call. Each gets an interface endpoint.
var DefaultInterfaceServices = []string{
	"ecr.api", "ecr.dkr", "sts", "ec2", "logs", "kms", "secretsmanager",
	"ssm", "ssmmessages", "ec2messages", "elasticloadbalancing",
	"autoscaling", "sqs", "eks", "eks-auth",
}

// DefaultGatewayServices get gateway endpoints, which cost nothing and keep
// S3 and DynamoDB traffic off the NAT gateways.
var DefaultGatewayServices = []string{"s3", "dynamodb"}

// gatewayCapableServices are the only services AWS offers gateway endpoints
// for.
var gatewayCapableServices = []string{"s3", "dynamodb"}

var (
	// serviceName is the part of an endpoint service name after
	// "com.amazonaws.<region>.", for example "ecr.dkr" or "eks-auth".
	serviceName = regexp.MustCompile(`^[a-z0-9-]+(\.[a-z0-9-]+)*$`)

	// namePrefix keeps Config.Name usable in security group names and Name
	// tags: lowercase letters, digits and single hyphens.
	namePrefix = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
)

// VPC CIDR block sizes that AWS accepts.
const (
	minVPCPrefixBits = 16
	maxVPCPrefixBits = 28
)

// Config configures the endpoints of one VPC.
type Config struct {
	// Name is the prefix of the security group name and of every Name tag,
	// for example "prod-usw2".
	Name string

	// VPCID is the VPC the endpoints and their security group belong to.
	VPCID *string

	// VPCCIDR is the VPC's primary IPv4 CIDR block. It is the only source
	// allowed to reach the interface endpoints, on TCP 443, so clients in a
	// secondary CIDR block of the VPC cannot reach them.
	VPCCIDR netip.Prefix

	// Region is the VPC's region, for example "us-west-2". Endpoint service
	// names are com.amazonaws.<Region>.<service>.
	Region string

	// SubnetIDs are the private subnets, one per availability zone, where
	// each interface endpoint gets a network interface. AWS rejects two
	// subnets in the same zone for one endpoint.
	SubnetIDs []*string

	// RouteTableIDs are the route tables the gateway endpoints add their
	// prefix-list routes to.
	RouteTableIDs []*string

	// InterfaceServices are the services that get an interface endpoint,
	// written as the part of the service name after the region, for example
	// "ecr.api". Default (when empty): DefaultInterfaceServices.
	InterfaceServices []string

	// GatewayServices are the services that get a gateway endpoint: "s3",
	// "dynamodb" or both. Default (when empty): DefaultGatewayServices.
	GatewayServices []string
}

// withDefaults returns a copy of c with empty service lists set to the
// defaults. The defaults are cloned so that no caller can change the package
// variables through the returned config.
func (c Config) withDefaults() Config {
	if len(c.InterfaceServices) == 0 {
		c.InterfaceServices = slices.Clone(DefaultInterfaceServices)
	}
	if len(c.GatewayServices) == 0 {
		c.GatewayServices = slices.Clone(DefaultGatewayServices)
	}
	return c
}

// Validate returns every problem with c, joined, or nil. Call it after
// defaults are applied, because it reports empty service lists as errors.
func (c Config) Validate() error {
	var errs []error
	errs = append(errs, c.validateName()...)
	if c.VPCID == nil {
		errs = append(errs, errors.New("endpoints: Config.VPCID is missing; set it to the ID of the VPC the endpoints belong to"))
	}
	errs = append(errs, c.validateVPCCIDR()...)
	errs = append(errs, c.validateRegion()...)
	errs = append(errs, validateIDs("SubnetIDs", "the private subnets, one per availability zone", c.SubnetIDs)...)
	errs = append(errs, validateIDs("RouteTableIDs", "the route tables of the subnets that reach S3 and DynamoDB", c.RouteTableIDs)...)
	errs = append(errs, c.validateInterfaceServices()...)
	errs = append(errs, c.validateGatewayServices()...)
	return errors.Join(errs...)
}

func (c Config) validateName() []error {
	switch {
	case c.Name == "":
		return []error{errors.New(`endpoints: Config.Name is empty; set it to the environment and region prefix, for example "prod-usw2"`)}
	case !namePrefix.MatchString(c.Name):
		return []error{fmt.Errorf("endpoints: Config.Name: %q is invalid; use lowercase letters, digits and single hyphens, for example %q", c.Name, "prod-usw2")}
	}
	return nil
}

func (c Config) validateVPCCIDR() []error {
	p := c.VPCCIDR
	switch {
	case !p.IsValid():
		return []error{errors.New(`endpoints: Config.VPCCIDR is missing; set it to the VPC's IPv4 CIDR block, for example "10.0.0.0/16"`)}
	case !p.Addr().Is4():
		return []error{fmt.Errorf("endpoints: Config.VPCCIDR: %q is not an IPv4 range; set it to the VPC's primary IPv4 CIDR block", p)}
	case p != p.Masked():
		return []error{fmt.Errorf("endpoints: Config.VPCCIDR: %q has host bits set; use %q", p, p.Masked())}
	case p.Bits() < minVPCPrefixBits || p.Bits() > maxVPCPrefixBits:
		return []error{fmt.Errorf("endpoints: Config.VPCCIDR: %q is not a valid VPC range; AWS accepts /%d to /%d, so use the VPC's own CIDR block", p, minVPCPrefixBits, maxVPCPrefixBits)}
	}
	return nil
}

func (c Config) validateRegion() []error {
	if c.Region == "" {
		return []error{errors.New(`endpoints: Config.Region is empty; set it to the VPC's region, for example "us-west-2"`)}
	}
	if err := awsid.Region("endpoints: Config.Region", c.Region); err != nil {
		return []error{err}
	}
	if strings.HasPrefix(c.Region, "cn-") {
		return []error{fmt.Errorf("endpoints: Config.Region: %q is a China region, whose endpoint service names start with cn.com.amazonaws; this construct builds only com.amazonaws names, so use a region outside China", c.Region)}
	}
	return nil
}

// validateIDs checks a required list of resource IDs for emptiness, nil
// entries and repeated values. Repeats are compared by their string value,
// which for Terraform tokens is the reference expression.
func validateIDs(field, expected string, ids []*string) []error {
	if len(ids) == 0 {
		return []error{fmt.Errorf("endpoints: Config.%s is empty; set it to %s", field, expected)}
	}

	var errs []error
	seen := map[string]int{}
	for i, id := range ids {
		if id == nil {
			errs = append(errs, fmt.Errorf("endpoints: Config.%s[%d] is nil; remove it or set it to an ID", field, i))
			continue
		}
		if first, ok := seen[*id]; ok {
			errs = append(errs, fmt.Errorf("endpoints: Config.%s[%d]: %q repeats entry %d; list each ID once", field, i, *id, first))
			continue
		}
		seen[*id] = i
	}
	return errs
}

func (c Config) validateInterfaceServices() []error {
	if len(c.InterfaceServices) == 0 {
		return []error{errors.New("endpoints: Config.InterfaceServices is empty; leave it unset before defaults are applied to get DefaultInterfaceServices")}
	}

	errs := validateServiceList("InterfaceServices", c.InterfaceServices)

	// Two different names can map to the same construct ID ("eks-auth" and
	// "eks.auth" both become interface_eks_auth), and so to one address.
	byID := map[string]string{}
	for i, service := range c.InterfaceServices {
		if !serviceName.MatchString(service) {
			continue
		}
		id := interfaceID(service)
		if other, ok := byID[id]; ok && other != service {
			errs = append(errs, fmt.Errorf("endpoints: Config.InterfaceServices[%d]: %q and %q both get the address %s; keep only the real service name", i, other, service, id))
			continue
		}
		byID[id] = service
	}

	for i, service := range c.InterfaceServices {
		if slices.Contains(c.GatewayServices, service) {
			errs = append(errs, fmt.Errorf("endpoints: Config.InterfaceServices[%d]: %q also has a gateway endpoint; remove it from one of InterfaceServices and GatewayServices", i, service))
		}
	}
	return errs
}

func (c Config) validateGatewayServices() []error {
	if len(c.GatewayServices) == 0 {
		return []error{errors.New("endpoints: Config.GatewayServices is empty; leave it unset before defaults are applied to get DefaultGatewayServices")}
	}

	errs := validateServiceList("GatewayServices", c.GatewayServices)
	for i, service := range c.GatewayServices {
		if serviceName.MatchString(service) && !slices.Contains(gatewayCapableServices, service) {
			errs = append(errs, fmt.Errorf("endpoints: Config.GatewayServices[%d]: %q has no gateway endpoint, because AWS offers them only for %q; move it to InterfaceServices", i, service, gatewayCapableServices))
		}
	}
	return errs
}

// validateServiceList checks the format of each service name, rejects full
// names that already carry the com.amazonaws prefix, and reports repeats.
func validateServiceList(field string, services []string) []error {
	var errs []error
	seen := map[string]int{}
	for i, service := range services {
		if !serviceName.MatchString(service) {
			errs = append(errs, fmt.Errorf("endpoints: Config.%s[%d]: %q is not a service name; use the lowercase part after com.amazonaws.<region>., for example %q", field, i, service, "ecr.api"))
			continue
		}
		if rest, ok := strings.CutPrefix(service, "com.amazonaws."); ok {
			_, short, _ := strings.Cut(rest, ".")
			errs = append(errs, fmt.Errorf("endpoints: Config.%s[%d]: %q is a full service name; drop the com.amazonaws.<region>. prefix and use %q", field, i, service, short))
			continue
		}
		if first, ok := seen[service]; ok {
			errs = append(errs, fmt.Errorf("endpoints: Config.%s[%d]: %q repeats entry %d; list each service once", field, i, service, first))
			continue
		}
		seen[service] = i
	}
	return errs
}
