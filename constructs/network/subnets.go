package network

import (
	"encoding/binary"
	"fmt"
	"net/netip"
)

// Limits of the VPC range and AZ count that PlanSubnets accepts.
const (
	// MinVPCPrefixLength is the shortest (largest) VPC prefix, /16, which is
	// also the largest range AWS allows for a VPC.
	MinVPCPrefixLength = 16

	// MaxVPCPrefixLength is the longest (smallest) VPC prefix. A /20 still
	// gives each private subnet a /22 (1,019 usable addresses) and each other
	// subnet a /26.
	MaxVPCPrefixLength = 20

	// MinAvailabilityZones and MaxAvailabilityZones bound how many AZs a VPC
	// spans. The layout has room for three subnets of each tier.
	MinAvailabilityZones = 2
	MaxAvailabilityZones = 3
)

// SubnetPlan is the address layout of a VPC: one range per tier and AZ, in AZ
// order.
type SubnetPlan struct {
	Public, Private, Intra, Database []netip.Prefix
}

// PlanSubnets splits the VPC range cidr into subnets for azs availability
// zones.
//
// The range is cut into four equal blocks. Blocks 0 to 2 are the private
// subnets, one per AZ; they are the large tier because the VPC CNI gives
// every pod an address from its node's subnet. Block 3 is cut into 16 equal
// pieces: pieces 0 to 2 are the public subnets, 4 to 6 intra and 8 to 10
// database, one per AZ. For a /16 that makes /18 private and /22 other
// subnets. The gaps (private block 2 when azs is 2, pieces 3, 7 and 11 to 15)
// stay free for later tiers, and a third AZ can be added without moving the
// subnets of the first two.
//
// PlanSubnets returns an error unless cidr is an IPv4 network address with a
// prefix length from /16 to /20 and azs is 2 or 3.
func PlanSubnets(cidr netip.Prefix, azs int) (SubnetPlan, error) {
	if problem := vpcRangeProblem(cidr); problem != "" {
		return SubnetPlan{}, fmt.Errorf("network: VPC range %s", problem)
	}
	if azs < MinAvailabilityZones || azs > MaxAvailabilityZones {
		return SubnetPlan{}, fmt.Errorf("network: %d availability zones requested; use %d or %d", azs, MinAvailabilityZones, MaxAvailabilityZones)
	}

	blockBits := cidr.Bits() + 2
	pieceBits := blockBits + 4
	shared := subdivide(cidr, blockBits, 3)

	var plan SubnetPlan
	for az := range azs {
		plan.Private = append(plan.Private, subdivide(cidr, blockBits, az))
		plan.Public = append(plan.Public, subdivide(shared, pieceBits, az))
		plan.Intra = append(plan.Intra, subdivide(shared, pieceBits, 4+az))
		plan.Database = append(plan.Database, subdivide(shared, pieceBits, 8+az))
	}
	return plan, nil
}

// vpcRangeProblem describes why cidr cannot be split by PlanSubnets, as the
// end of a sentence that starts with the field name, or returns "" when cidr
// is usable.
func vpcRangeProblem(cidr netip.Prefix) string {
	switch {
	case !cidr.IsValid():
		return `is missing; set an IPv4 range such as "10.0.0.0/16"`
	case !cidr.Addr().Is4():
		return fmt.Sprintf(`%q is not IPv4; use an IPv4 range such as "10.0.0.0/16"`, cidr)
	case cidr.Bits() < MinVPCPrefixLength:
		return fmt.Sprintf("%q is too large; use a /%d to /%d range", cidr, MinVPCPrefixLength, MaxVPCPrefixLength)
	case cidr.Bits() > MaxVPCPrefixLength:
		return fmt.Sprintf("%q is too small; use a /%d to /%d range", cidr, MinVPCPrefixLength, MaxVPCPrefixLength)
	case cidr.Masked() != cidr:
		return fmt.Sprintf("%q has host bits set; use the network address %q", cidr, cidr.Masked())
	}
	return ""
}

// subdivide returns the index-th range of length bits inside parent. The
// caller ensures that bits is at least parent.Bits() and at most 32 and that
// index fits.
func subdivide(parent netip.Prefix, bits, index int) netip.Prefix {
	base := parent.Addr().As4()
	start := binary.BigEndian.Uint32(base[:]) + uint32(index)<<(32-bits)

	var addr [4]byte
	binary.BigEndian.PutUint32(addr[:], start)
	return netip.PrefixFrom(netip.AddrFrom4(addr), bits)
}
