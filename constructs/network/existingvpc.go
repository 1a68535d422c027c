package network

import (
	"errors"
	"fmt"
	"net/netip"
	"regexp"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawsroutetable"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawssubnet"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawsvpc"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dbsubnetgroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/ec2tag"
	"github.com/honeyhive/platform/constructs/awsid"
)

// Prefix lengths that AWS accepts for the IPv4 range of a VPC or subnet.
const (
	minAWSPrefixLength = 16
	maxAWSPrefixLength = 28
)

// minTierAvailabilityZones is how many AZs the private, intra and database
// tiers must span. EKS rejects a cluster whose subnets are in fewer than two
// AZs, and RDS rejects a DB subnet group that covers fewer than two.
const minTierAvailabilityZones = 2

// EC2 IDs are a type prefix followed by 8 hex digits (older resources) or 17.
var (
	vpcIDPattern        = regexp.MustCompile(`^vpc-([0-9a-f]{8}|[0-9a-f]{17})$`)
	subnetIDPattern     = regexp.MustCompile(`^subnet-([0-9a-f]{8}|[0-9a-f]{17})$`)
	routeTableIDPattern = regexp.MustCompile(`^rtb-([0-9a-f]{8}|[0-9a-f]{17})$`)
)

// ExistingSubnet is a subnet of a VPC that the platform does not manage, as
// the VPC's owner reports it.
type ExistingSubnet struct {
	// ID is the subnet ID, "subnet-" followed by 8 or 17 hex digits.
	ID string

	// AvailabilityZone is the subnet's AZ, such as "us-west-2a".
	AvailabilityZone string

	// CIDR is the subnet's IPv4 range. It must lie inside
	// ExistingVPCConfig.CIDR.
	CIDR netip.Prefix
}

// ExistingVPCConfig configures NewExistingVPC.
type ExistingVPCConfig struct {
	// Name prefixes the names of the resources the construct creates, for
	// example "acme-usw2". Lowercase letters, digits and hyphens, at most 50
	// characters. Required.
	Name string

	// VPCID is the existing VPC, "vpc-" followed by 8 or 17 hex digits.
	// Required.
	VPCID string

	// CIDR is the VPC's primary IPv4 range, /16 to /28. Every subnet must lie
	// inside it, so subnets from secondary ranges are rejected. Required.
	CIDR netip.Prefix

	// ClusterName is the EKS cluster that will use the subnets. The subnet
	// discovery tags name it. Required.
	ClusterName string

	// Private lists the subnets for EKS nodes, pods and internal load
	// balancers. They must span at least 2 AZs. Required.
	Private []ExistingSubnet

	// Intra lists the subnets for the EKS control-plane network interfaces.
	// When empty, the private subnets take that role and
	// ExistingVPC.IntraSubnetIDs returns them. When set, they must span at
	// least 2 AZs.
	Intra []ExistingSubnet

	// Database lists the subnets of the DB subnet group. When set, they must
	// span at least 2 AZs. Optional unless RequireDatabaseSubnets is set.
	Database []ExistingSubnet

	// Public lists the subnets for internet-facing load balancers. A data
	// plane in a customer account usually has none. Optional.
	Public []ExistingSubnet

	// RequireDatabaseSubnets makes an empty Database an error, for stacks
	// that place RDS or ElastiCache in this VPC.
	RequireDatabaseSubnets bool

	// RouteTableIDs lists the route tables of the private subnets, each
	// "rtb-" followed by 8 or 17 hex digits. Optional.
	RouteTableIDs []string

	// SkipFlowLogs turns off the flow log that NewExistingVPC adds by
	// default, for a VPC whose owner already records its traffic.
	SkipFlowLogs bool

	// FlowLogRetentionDays is how long flow records are kept, in days. It
	// accepts the values of FlowLogsConfig.RetentionDays. Required unless
	// SkipFlowLogs is set.
	FlowLogRetentionDays int

	// LogsKMSKeyARN is the customer-managed key that encrypts the flow log
	// group, with the key policy that FlowLogsConfig.KMSKeyARN describes.
	// Required unless SkipFlowLogs is set.
	LogsKMSKeyARN *string
}

// existingTier is one subnet tier of ExistingVPCConfig: its field name in
// messages, its name in construct IDs and its subnets.
type existingTier struct {
	field, name string
	subnets     []ExistingSubnet
}

func (c ExistingVPCConfig) tiers() []existingTier {
	return []existingTier{
		{"Private", "private", c.Private},
		{"Intra", "intra", c.Intra},
		{"Database", "database", c.Database},
		{"Public", "public", c.Public},
	}
}

// listedRange is a subnet range and the field it was configured in.
type listedRange struct {
	field string
	cidr  netip.Prefix
}

// Validate returns every problem with the configuration, joined, or nil.
func (c ExistingVPCConfig) Validate() error {
	var errs []error
	if err := validateName("ExistingVPCConfig.Name", c.Name); err != nil {
		errs = append(errs, err)
	}

	switch {
	case c.VPCID == "":
		errs = append(errs, errors.New(`network: ExistingVPCConfig.VPCID is missing; set the ID of the existing VPC, such as "vpc-0123456789abcdef0"`))
	case !vpcIDPattern.MatchString(c.VPCID):
		errs = append(errs, fmt.Errorf(`network: ExistingVPCConfig.VPCID: %q is not a VPC ID; use "vpc-" followed by 8 or 17 lowercase hex digits`, c.VPCID))
	}

	vpcRangeValid := true
	if problem := awsRangeProblem(c.CIDR); problem != "" {
		errs = append(errs, fmt.Errorf("network: ExistingVPCConfig.CIDR %s", problem))
		vpcRangeValid = false
	}

	if err := validateClusterName("ExistingVPCConfig.ClusterName", c.ClusterName); err != nil {
		errs = append(errs, err)
	}

	errs = append(errs, c.validateSubnets(vpcRangeValid)...)
	errs = append(errs, c.validateTierZones()...)
	errs = append(errs, c.validateRouteTableIDs()...)

	if !c.SkipFlowLogs {
		if err := awsid.LogRetentionDays("network: ExistingVPCConfig.FlowLogRetentionDays", c.FlowLogRetentionDays); err != nil {
			errs = append(errs, err)
		}
		if err := awsid.KMSKeyARN("network: ExistingVPCConfig.LogsKMSKeyARN", c.LogsKMSKeyARN); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// validateSubnets checks every subnet of every tier on its own and against
// the subnets listed before it: IDs listed once, ranges inside the VPC range
// and not overlapping, and AZs of one region. A subnet whose ID is already
// listed gets only that error. The range check against the VPC is skipped
// when the VPC range itself is invalid, because that problem is already
// reported.
func (c ExistingVPCConfig) validateSubnets(vpcRangeValid bool) []error {
	var errs []error
	fieldOfID := map[string]string{}
	var earlier []listedRange
	firstZoneField, region := "", ""

	for _, tier := range c.tiers() {
		for i, s := range tier.subnets {
			field := fmt.Sprintf("ExistingVPCConfig.%s[%d]", tier.field, i)

			switch {
			case s.ID == "":
				errs = append(errs, fmt.Errorf(`network: %s.ID is missing; set the subnet ID, such as "subnet-0123456789abcdef0"`, field))
			case !subnetIDPattern.MatchString(s.ID):
				errs = append(errs, fmt.Errorf(`network: %s.ID: %q is not a subnet ID; use "subnet-" followed by 8 or 17 lowercase hex digits`, field, s.ID))
			default:
				if other, dup := fieldOfID[s.ID]; dup {
					errs = append(errs, fmt.Errorf("network: %s.ID: %q is already listed as %s; list each subnet once, in one tier", field, s.ID, other))
					continue
				}
				fieldOfID[s.ID] = field
			}

			switch {
			case s.AvailabilityZone == "":
				errs = append(errs, fmt.Errorf("network: %s.AvailabilityZone is missing; set the subnet's zone, such as %q", field, "us-west-2a"))
			case !availabilityZonePattern.MatchString(s.AvailabilityZone):
				errs = append(errs, fmt.Errorf("network: %s.AvailabilityZone: %q is not an availability zone name; use a name such as %q", field, s.AvailabilityZone, "us-west-2a"))
			case region == "":
				firstZoneField, region = field, regionOf(s.AvailabilityZone)
			case regionOf(s.AvailabilityZone) != region:
				errs = append(errs, fmt.Errorf("network: %s.AvailabilityZone: %q is in region %q but %s is in %q; list subnets of one region",
					field, s.AvailabilityZone, regionOf(s.AvailabilityZone), firstZoneField, region))
			}

			if problem := awsRangeProblem(s.CIDR); problem != "" {
				errs = append(errs, fmt.Errorf("network: %s.CIDR %s", field, problem))
				continue
			}
			if vpcRangeValid && (!c.CIDR.Contains(s.CIDR.Addr()) || s.CIDR.Bits() < c.CIDR.Bits()) {
				errs = append(errs, fmt.Errorf("network: %s.CIDR: %q is outside the VPC range %q; list subnets of the VPC's primary range only",
					field, s.CIDR, c.CIDR))
			}
			for _, e := range earlier {
				if s.CIDR.Overlaps(e.cidr) {
					errs = append(errs, fmt.Errorf("network: %s.CIDR: %q overlaps %s.CIDR %q; check both ranges against the VPC",
						field, s.CIDR, e.field, e.cidr))
				}
			}
			earlier = append(earlier, listedRange{field, s.CIDR})
		}
	}
	return errs
}

// validateTierZones checks that the private subnets, and the intra and
// database subnets when there are any, span enough AZs.
func (c ExistingVPCConfig) validateTierZones() []error {
	var errs []error
	if len(c.Private) == 0 {
		errs = append(errs, fmt.Errorf("network: ExistingVPCConfig.Private is empty; list the private subnets, in at least %d availability zones",
			minTierAvailabilityZones))
	} else if zones := distinctZones(c.Private); len(zones) < minTierAvailabilityZones {
		errs = append(errs, fmt.Errorf("network: ExistingVPCConfig.Private: the subnets are in %q only; EKS needs subnets in at least %d availability zones, so add a private subnet of another zone",
			zones, minTierAvailabilityZones))
	}

	if zones := distinctZones(c.Intra); len(c.Intra) > 0 && len(zones) < minTierAvailabilityZones {
		errs = append(errs, fmt.Errorf("network: ExistingVPCConfig.Intra: the subnets are in %q only; EKS needs subnets in at least %d availability zones, so add an intra subnet of another zone or leave Intra empty to use the private subnets",
			zones, minTierAvailabilityZones))
	}

	zones := distinctZones(c.Database)
	switch {
	case len(c.Database) == 0 && c.RequireDatabaseSubnets:
		errs = append(errs, fmt.Errorf("network: ExistingVPCConfig.Database is empty but RequireDatabaseSubnets is set; list database subnets in at least %d availability zones",
			minTierAvailabilityZones))
	case len(c.Database) > 0 && len(zones) < minTierAvailabilityZones:
		errs = append(errs, fmt.Errorf("network: ExistingVPCConfig.Database: the subnets are in %q only; a DB subnet group needs subnets in at least %d availability zones, so add a database subnet of another zone",
			zones, minTierAvailabilityZones))
	}
	return errs
}

func (c ExistingVPCConfig) validateRouteTableIDs() []error {
	var errs []error
	seen := map[string]int{}
	for i, id := range c.RouteTableIDs {
		if !routeTableIDPattern.MatchString(id) {
			errs = append(errs, fmt.Errorf(`network: ExistingVPCConfig.RouteTableIDs[%d]: %q is not a route table ID; use "rtb-" followed by 8 or 17 lowercase hex digits`, i, id))
			continue
		}
		if j, dup := seen[id]; dup {
			errs = append(errs, fmt.Errorf("network: ExistingVPCConfig.RouteTableIDs[%d]: %q is already listed as RouteTableIDs[%d]; list each route table once", i, id, j))
			continue
		}
		seen[id] = i
	}
	return errs
}

// awsRangeProblem describes why p cannot be the IPv4 range of a VPC or
// subnet, as the end of a sentence that starts with the field name, or
// returns "" when p is usable.
func awsRangeProblem(p netip.Prefix) string {
	switch {
	case !p.IsValid():
		return `is missing; set the IPv4 range, such as "10.0.0.0/16"`
	case !p.Addr().Is4():
		return fmt.Sprintf("%q is not IPv4; set the IPv4 range", p)
	case p.Bits() < minAWSPrefixLength || p.Bits() > maxAWSPrefixLength:
		return fmt.Sprintf("%q is not a range AWS accepts; use a /%d to /%d range", p, minAWSPrefixLength, maxAWSPrefixLength)
	case p.Masked() != p:
		return fmt.Sprintf("%q has host bits set; use the network address %q", p, p.Masked())
	}
	return ""
}

// distinctZones returns the AZs of subnets without repeats, in the order
// they first appear. Empty AZs are left out.
func distinctZones(subnets []ExistingSubnet) []string {
	var zones []string
	seen := map[string]bool{}
	for _, s := range subnets {
		if s.AvailabilityZone == "" || seen[s.AvailabilityZone] {
			continue
		}
		seen[s.AvailabilityZone] = true
		zones = append(zones, s.AvailabilityZone)
	}
	return zones
}

// ExistingVPC is a VPC that the platform uses but does not own, with the
// subnet tags, DB subnet group and flow log the platform adds to it. Its
// fields and RouteTableIDs method have the names of their VPC counterparts,
// so stacks can read either.
type ExistingVPC struct {
	constructs.Construct

	// ID is the VPC ID.
	ID *string

	// CIDR is the VPC's primary range.
	CIDR netip.Prefix

	// AvailabilityZones are the distinct AZs of the private subnets, in the
	// order of ExistingVPCConfig.Private.
	AvailabilityZones []string

	// PublicSubnetIDs, PrivateSubnetIDs and DatabaseSubnetIDs list the
	// subnets of each tier in configuration order.
	PublicSubnetIDs, PrivateSubnetIDs, DatabaseSubnetIDs []*string

	// IntraSubnetIDs lists the intra subnets, or the private subnets when
	// ExistingVPCConfig.Intra is empty.
	IntraSubnetIDs []*string

	// PublicSubnetCIDRs, PrivateSubnetCIDRs and DatabaseSubnetCIDRs are the
	// ranges of the subnets of each tier in configuration order, for network
	// policies that allow or deny traffic by address.
	PublicSubnetCIDRs, PrivateSubnetCIDRs, DatabaseSubnetCIDRs []string

	// PrivateRouteTableIDs lists ExistingVPCConfig.RouteTableIDs.
	PrivateRouteTableIDs []*string

	// DatabaseSubnetGroupName is the DB subnet group over the database
	// subnets, or nil when there are none.
	DatabaseSubnetGroupName *string

	// FlowLogs is the flow log construct that records the VPC's traffic, or
	// nil with ExistingVPCConfig.SkipFlowLogs.
	FlowLogs *FlowLogs
}

// RouteTableIDs returns the route tables of the private subnets, for
// gateway endpoints. Associating an endpoint adds a route to each table, so
// the VPC's owner has to agree to it.
func (v *ExistingVPC) RouteTableIDs() []*string {
	return append([]*string(nil), v.PrivateRouteTableIDs...)
}

// subnetTag is one tag that NewExistingVPC puts on every subnet of a tier.
// idSuffix goes into the construct IDs of its aws_ec2_tag resources.
type subnetTag struct {
	idSuffix, key, value string
}

// NewExistingVPC adds to an existing VPC what the platform needs in it and
// returns the VPC's IDs and ranges in the shape of VPC.
//
// The VPC belongs to the customer, who may manage it with their own tools.
// NewExistingVPC therefore creates nothing that changes the VPC itself, its
// subnets' settings, route tables, routes, network ACLs or default security
// group. It creates only:
//
//   - aws_ec2_tag resources with the discovery tags that EKS, the AWS Load
//     Balancer Controller and Karpenter select subnets by. Private subnets
//     get kubernetes.io/role/internal-elb=1,
//     kubernetes.io/cluster/<ClusterName>=shared and
//     karpenter.sh/discovery=<ClusterName>. Public subnets get
//     kubernetes.io/role/elb=1 and the cluster tag. Each tag is its own
//     resource, "<tier>_subnet_<i>_<tag>_tag", because aws_ec2_tag manages
//     one key on one resource.
//   - a DB subnet group over the database subnets, when there are any.
//   - a flow log through NewFlowLogs, unless SkipFlowLogs is set. A VPC can
//     have several flow logs, so this one does not replace the owner's.
//
// It also reads the VPC, each subnet and each route table through data
// sources whose arguments repeat the configured IDs, AZs and ranges. The AWS
// provider sends those arguments as filters of the EC2 Describe calls, so if
// the configuration does not match the account, the plan fails on those data
// sources before any tag is written.
//
// NOTE: no plan from this repository has exercised that check yet.
//
// If the owner manages the subnets' tags with Terraform or CloudFormation,
// their next apply removes these tags unless their configuration ignores
// the keys. Destroying a tag resource deletes the tag from the subnet, even
// if the subnet carried it before.
//
// NewExistingVPC panics if cfg is invalid.
func NewExistingVPC(scope constructs.Construct, id string, cfg ExistingVPCConfig) *ExistingVPC {
	if err := cfg.Validate(); err != nil {
		panic(err)
	}

	c := constructs.NewConstruct(scope, jsii.String(id))
	readExisting(c, cfg)

	clusterTag := "kubernetes.io/cluster/" + cfg.ClusterName
	tagSubnets(c, "private", cfg.Private, []subnetTag{
		{"internal_elb", "kubernetes.io/role/internal-elb", "1"},
		{"cluster", clusterTag, "shared"},
		{"karpenter_discovery", "karpenter.sh/discovery", cfg.ClusterName},
	})
	tagSubnets(c, "public", cfg.Public, []subnetTag{
		{"elb", "kubernetes.io/role/elb", "1"},
		{"cluster", clusterTag, "shared"},
	})

	v := &ExistingVPC{
		Construct:            c,
		ID:                   jsii.String(cfg.VPCID),
		CIDR:                 cfg.CIDR,
		AvailabilityZones:    distinctZones(cfg.Private),
		PublicSubnetIDs:      existingSubnetIDs(cfg.Public),
		PrivateSubnetIDs:     existingSubnetIDs(cfg.Private),
		IntraSubnetIDs:       existingSubnetIDs(cfg.Intra),
		DatabaseSubnetIDs:    existingSubnetIDs(cfg.Database),
		PublicSubnetCIDRs:    existingSubnetCIDRs(cfg.Public),
		PrivateSubnetCIDRs:   existingSubnetCIDRs(cfg.Private),
		DatabaseSubnetCIDRs:  existingSubnetCIDRs(cfg.Database),
		PrivateRouteTableIDs: jsiiStrings(cfg.RouteTableIDs),
	}
	if len(cfg.Intra) == 0 {
		v.IntraSubnetIDs = existingSubnetIDs(cfg.Private)
	}

	if len(cfg.Database) > 0 {
		group := dbsubnetgroup.NewDbSubnetGroup(c, jsii.String("database_subnet_group"), &dbsubnetgroup.DbSubnetGroupConfig{
			Name:        jsii.String(cfg.Name + "-database"),
			Description: jsii.String("Database subnets of " + cfg.Name),
			SubnetIds:   &v.DatabaseSubnetIDs,
			Tags:        &map[string]*string{"Name": jsii.String(cfg.Name + "-database")},
		})
		v.DatabaseSubnetGroupName = group.Name()
	}

	if !cfg.SkipFlowLogs {
		v.FlowLogs = NewFlowLogs(c, "flow_logs", FlowLogsConfig{
			Name:          cfg.Name,
			VPCID:         v.ID,
			RetentionDays: cfg.FlowLogRetentionDays,
			KMSKeyARN:     cfg.LogsKMSKeyARN,
		})
	}
	return v
}

// readExisting declares data sources for the VPC, every subnet and every
// route table, filtered by the configured values, so that a plan against an
// account where they differ fails. The data sources are named "vpc",
// "<tier>_subnet_<i>" and "private_route_table_<i>".
func readExisting(scope constructs.Construct, cfg ExistingVPCConfig) {
	dataawsvpc.NewDataAwsVpc(scope, jsii.String("vpc"), &dataawsvpc.DataAwsVpcConfig{
		Id:        jsii.String(cfg.VPCID),
		CidrBlock: jsii.String(cfg.CIDR.String()),
	})

	for _, tier := range cfg.tiers() {
		for i, s := range tier.subnets {
			dataawssubnet.NewDataAwsSubnet(scope, jsii.String(fmt.Sprintf("%s_subnet_%d", tier.name, i)), &dataawssubnet.DataAwsSubnetConfig{
				Id:               jsii.String(s.ID),
				VpcId:            jsii.String(cfg.VPCID),
				AvailabilityZone: jsii.String(s.AvailabilityZone),
				CidrBlock:        jsii.String(s.CIDR.String()),
			})
		}
	}

	for i, tableID := range cfg.RouteTableIDs {
		dataawsroutetable.NewDataAwsRouteTable(scope, jsii.String(fmt.Sprintf("private_route_table_%d", i)), &dataawsroutetable.DataAwsRouteTableConfig{
			RouteTableId: jsii.String(tableID),
			VpcId:        jsii.String(cfg.VPCID),
		})
	}
}

// tagSubnets creates one aws_ec2_tag per subnet and tag, with IDs
// "<tier>_subnet_<i>_<idSuffix>_tag".
func tagSubnets(scope constructs.Construct, tier string, subnets []ExistingSubnet, tags []subnetTag) {
	for i, s := range subnets {
		for _, tag := range tags {
			ec2tag.NewEc2Tag(scope, jsii.String(fmt.Sprintf("%s_subnet_%d_%s_tag", tier, i, tag.idSuffix)), &ec2tag.Ec2TagConfig{
				ResourceId: jsii.String(s.ID),
				Key:        jsii.String(tag.key),
				Value:      jsii.String(tag.value),
			})
		}
	}
}

func existingSubnetIDs(subnets []ExistingSubnet) []*string {
	ids := make([]*string, len(subnets))
	for i, s := range subnets {
		ids[i] = jsii.String(s.ID)
	}
	return ids
}

func existingSubnetCIDRs(subnets []ExistingSubnet) []string {
	ranges := make([]string, len(subnets))
	for i, s := range subnets {
		ranges[i] = s.CIDR.String()
	}
	return ranges
}

func jsiiStrings(values []string) []*string {
	result := make([]*string, len(values))
	for i, v := range values {
		result[i] = jsii.String(v)
	}
	return result
}
