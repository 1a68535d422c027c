package privatelink

import (
	"fmt"
	"net/netip"
	"regexp"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
)

// DefaultPort is the TCP port of a service and of its endpoint when the
// config sets none.
const DefaultPort = 443

// minSubnets is the fewest subnets a load balancer or endpoint may use. With
// one subnet, the link fails when that subnet's availability zone does.
const minSubnets = 2

// VPC CIDR block sizes that AWS accepts.
const (
	minVPCPrefixBits = 16
	maxVPCPrefixBits = 28
)

// namePattern keeps config names usable in load balancer, target group and
// security group names and in Name tags: lowercase letters, digits and
// single hyphens.
var namePattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

func validateName(typ, name, example string, maxLength int) []error {
	switch {
	case name == "":
		return []error{fmt.Errorf("privatelink: %s.Name is empty; set a name prefix such as %q", typ, example)}
	case !namePattern.MatchString(name):
		return []error{fmt.Errorf("privatelink: %s.Name: %q is invalid; use lowercase letters, digits and single hyphens, such as %q", typ, name, example)}
	case len(name) > maxLength:
		return []error{fmt.Errorf("privatelink: %s.Name: %q has %d characters; shorten it to at most %d", typ, name, len(name), maxLength)}
	}
	return nil
}

func validateVPCID(typ string, id *string) []error {
	if id == nil || *id == "" {
		return []error{fmt.Errorf("privatelink: %s.VPCID is missing; set it to the ID of the VPC", typ)}
	}
	return nil
}

func validateVPCCIDR(typ string, p netip.Prefix) []error {
	switch {
	case !p.IsValid():
		return []error{fmt.Errorf(`privatelink: %s.VPCCIDR is missing; set it to the VPC's IPv4 CIDR block, such as "10.0.0.0/16"`, typ)}
	case !p.Addr().Is4():
		return []error{fmt.Errorf("privatelink: %s.VPCCIDR: %q is not an IPv4 range; set it to the VPC's primary IPv4 CIDR block", typ, p)}
	case p != p.Masked():
		return []error{fmt.Errorf("privatelink: %s.VPCCIDR: %q has host bits set; use %q", typ, p, p.Masked())}
	case p.Bits() < minVPCPrefixBits || p.Bits() > maxVPCPrefixBits:
		return []error{fmt.Errorf("privatelink: %s.VPCCIDR: %q is not a valid VPC range; AWS accepts /%d to /%d, so use the VPC's own CIDR block", typ, p, minVPCPrefixBits, maxVPCPrefixBits)}
	}
	return nil
}

// validateSubnetIDs checks for too few subnets, nil entries and repeats.
// Repeats are compared by string value, which for a Terraform token is the
// reference expression.
func validateSubnetIDs(typ string, ids []*string) []error {
	if len(ids) < minSubnets {
		return []error{fmt.Errorf("privatelink: %s.SubnetIDs has %d subnets; set at least %d private subnets in different availability zones", typ, len(ids), minSubnets)}
	}

	var errs []error
	seen := map[string]int{}
	for i, id := range ids {
		if id == nil || *id == "" {
			errs = append(errs, fmt.Errorf("privatelink: %s.SubnetIDs[%d] is empty; remove it or set it to a subnet ID", typ, i))
			continue
		}
		if first, ok := seen[*id]; ok {
			errs = append(errs, fmt.Errorf("privatelink: %s.SubnetIDs[%d]: %q repeats entry %d; list each subnet once", typ, i, *id, first))
			continue
		}
		seen[*id] = i
	}
	return errs
}

func validatePort(field string, port int) []error {
	if port < 1 || port > 65535 {
		return []error{fmt.Errorf("privatelink: %s: %d is not a TCP port; use 1 to 65535", field, port)}
	}
	return nil
}

// validateToken rejects a missing value and a literal that does not match
// pattern. A Terraform token cannot be checked at synth time and passes.
func validateToken(field string, value *string, pattern *regexp.Regexp, expected string) []error {
	if value == nil || *value == "" {
		return []error{fmt.Errorf("privatelink: %s is missing; set it to %s", field, expected)}
	}
	if isToken(value) || pattern.MatchString(*value) {
		return nil
	}
	return []error{fmt.Errorf("privatelink: %s: %q is invalid; set it to %s", field, *value, expected)}
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

// isToken reports whether value is a Terraform token, such as another
// resource's attribute, whose value is known only at apply time.
func isToken(value *string) bool {
	return *cdktf.Token_IsUnresolved(value)
}
