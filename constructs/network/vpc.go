package network

import (
	"errors"
	"fmt"
	"net/netip"
	"regexp"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dbsubnetgroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/defaultsecuritygroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/eip"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/internetgateway"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/natgateway"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/route"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/routetable"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/routetableassociation"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/subnet"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpc"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/honeyhive/platform/constructs/awsid"
)

// NATMode selects how many NAT gateways the VPC gets.
type NATMode int

// NAT gateway modes.
const (
	// NATPerAZ gives every AZ its own NAT gateway and Elastic IP, and each
	// private route table routes through the NAT gateway of its AZ, so losing
	// one AZ does not cut the others off from the internet. It is the
	// default.
	NATPerAZ NATMode = iota

	// NATSingle puts one NAT gateway in the first AZ and routes every private
	// route table through it. It costs less but makes that AZ a single point
	// of failure, so it suits test environments only.
	NATSingle
)

// String returns the mode's name as used in error messages.
func (m NATMode) String() string {
	switch m {
	case NATPerAZ:
		return "NATPerAZ"
	case NATSingle:
		return "NATSingle"
	}
	return fmt.Sprintf("NATMode(%d)", int(m))
}

// allRoutes is the destination of default routes.
const allRoutes = "0.0.0.0/0"

var (
	// availabilityZonePattern matches regular AZ names such as "us-west-2a"
	// and "us-gov-west-1b", and rejects Local Zones and Wavelength Zones.
	availabilityZonePattern = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]+[a-z]$`)

	// eksClusterNamePattern is the name format the EKS CreateCluster API
	// accepts.
	eksClusterNamePattern = regexp.MustCompile(`^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$`)
)

// VPCConfig configures NewVPC.
type VPCConfig struct {
	// Name prefixes Name tags and resource names, for example "prod-usw2".
	// Lowercase letters, digits and hyphens, at most 50 characters. Required.
	Name string

	// CIDR is the VPC range, /16 to /20, split by PlanSubnets. Required.
	CIDR netip.Prefix

	// AvailabilityZones lists 2 or 3 distinct AZs of the stack's region, such
	// as "us-west-2a". Subnet i of every tier goes to AvailabilityZones[i].
	// Required.
	AvailabilityZones []string

	// NATMode selects one NAT gateway per AZ or a single shared one.
	// Default: NATPerAZ.
	NATMode NATMode

	// ClusterName is the EKS cluster that will run in this VPC. The subnet
	// discovery tags for the AWS Load Balancer Controller and Karpenter name
	// it. Required.
	ClusterName string

	// InternalLoadBalancersOnly leaves the kubernetes.io/role/elb tag off
	// the public subnets, so the AWS Load Balancer Controller finds no
	// subnet for an internet-facing load balancer and cannot create one.
	// The public subnets then serve only the NAT gateways. Default: false.
	InternalLoadBalancersOnly bool

	// FlowLogRetentionDays is how long flow records are kept, in days. It
	// accepts the values of FlowLogsConfig.RetentionDays. Required.
	FlowLogRetentionDays int

	// LogsKMSKeyARN is the customer-managed key that encrypts the flow log
	// group, with the key policy that FlowLogsConfig.KMSKeyARN describes.
	// Required.
	LogsKMSKeyARN *string
}

// Validate returns every problem with the configuration, joined, or nil.
func (c VPCConfig) Validate() error {
	var errs []error
	if err := validateName("VPCConfig.Name", c.Name); err != nil {
		errs = append(errs, err)
	}
	if problem := vpcRangeProblem(c.CIDR); problem != "" {
		errs = append(errs, fmt.Errorf("network: VPCConfig.CIDR %s", problem))
	}
	errs = append(errs, c.validateAvailabilityZones()...)
	if c.NATMode != NATPerAZ && c.NATMode != NATSingle {
		errs = append(errs, fmt.Errorf("network: VPCConfig.NATMode: %q is not a NAT mode; use NATPerAZ or NATSingle", c.NATMode))
	}
	if err := validateClusterName("VPCConfig.ClusterName", c.ClusterName); err != nil {
		errs = append(errs, err)
	}
	if err := awsid.LogRetentionDays("network: VPCConfig.FlowLogRetentionDays", c.FlowLogRetentionDays); err != nil {
		errs = append(errs, err)
	}
	if err := awsid.KMSKeyARN("network: VPCConfig.LogsKMSKeyARN", c.LogsKMSKeyARN); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

func (c VPCConfig) validateAvailabilityZones() []error {
	azs := c.AvailabilityZones
	if len(azs) < MinAvailabilityZones || len(azs) > MaxAvailabilityZones {
		return []error{fmt.Errorf("network: VPCConfig.AvailabilityZones: %q has %d zones; list %d or %d",
			azs, len(azs), MinAvailabilityZones, MaxAvailabilityZones)}
	}

	var errs []error
	seen := map[string]int{}
	region := ""
	for i, az := range azs {
		if !availabilityZonePattern.MatchString(az) {
			errs = append(errs, fmt.Errorf("network: VPCConfig.AvailabilityZones[%d]: %q is not an availability zone name; use a name such as %q",
				i, az, "us-west-2a"))
			continue
		}
		if j, dup := seen[az]; dup {
			errs = append(errs, fmt.Errorf("network: VPCConfig.AvailabilityZones[%d]: %q is already listed as AvailabilityZones[%d]; list each zone once",
				i, az, j))
			continue
		}
		seen[az] = i

		if region == "" {
			region = regionOf(az)
		} else if regionOf(az) != region {
			errs = append(errs, fmt.Errorf("network: VPCConfig.AvailabilityZones[%d]: %q is in region %q but the zones before it are in %q; use zones of one region",
				i, az, regionOf(az), region))
		}
	}
	return errs
}

// validateClusterName checks an EKS cluster name, which the subnet discovery
// tags contain.
func validateClusterName(field, name string) error {
	switch {
	case name == "":
		return fmt.Errorf("network: %s is missing; set the name of the EKS cluster that runs in this VPC", field)
	case !eksClusterNamePattern.MatchString(name):
		return fmt.Errorf("network: %s: %q is not a valid EKS cluster name; use 1 to 100 letters, digits, hyphens and underscores, starting with a letter or digit", field, name)
	}
	return nil
}

// regionOf returns the region of a regular AZ name, which is the name
// without its final letter.
func regionOf(az string) string {
	return az[:len(az)-1]
}

// VPC is the network of one region: the VPC, its subnets in four tiers,
// gateways, route tables, database subnet group, default security group and
// flow logs. Slices are in the order of VPCConfig.AvailabilityZones.
type VPC struct {
	constructs.Construct

	// ID is the VPC ID.
	ID *string

	// CIDR is the VPC range.
	CIDR netip.Prefix

	// Plan is the subnet layout within CIDR.
	Plan SubnetPlan

	// AvailabilityZones are the zones of the subnets, as configured.
	AvailabilityZones []string

	// PublicSubnetIDs, PrivateSubnetIDs, IntraSubnetIDs and DatabaseSubnetIDs
	// list one subnet per AZ.
	PublicSubnetIDs, PrivateSubnetIDs, IntraSubnetIDs, DatabaseSubnetIDs []*string

	// PrivateRouteTableIDs lists one route table per AZ.
	PrivateRouteTableIDs []*string

	// PublicRouteTableID, IntraRouteTableID and DatabaseRouteTableID are the
	// route tables that all AZs of their tier share.
	PublicRouteTableID, IntraRouteTableID, DatabaseRouteTableID *string

	// InternetGatewayID is the VPC's internet gateway.
	InternetGatewayID *string

	// NATGatewayIDs lists one NAT gateway per AZ, or one in total with
	// NATSingle.
	NATGatewayIDs []*string

	// NATGatewayPublicIPs are the Elastic IPs of the NAT gateways, in the
	// order of NATGatewayIDs: the source addresses of outbound traffic from
	// the private subnets, for allowlists elsewhere.
	NATGatewayPublicIPs []*string

	// DatabaseSubnetGroupName is the DB subnet group over the database
	// subnets, for RDS and Aurora.
	DatabaseSubnetGroupName *string

	// DefaultSecurityGroupID is the VPC's default security group, which has
	// no rules.
	DefaultSecurityGroupID *string

	// FlowLogs is the flow log construct that records the VPC's traffic.
	FlowLogs *FlowLogs
}

// RouteTableIDs returns every route table of the VPC, for gateway endpoints:
// public, then private per AZ, then intra and database.
func (v *VPC) RouteTableIDs() []*string {
	ids := []*string{v.PublicRouteTableID}
	ids = append(ids, v.PrivateRouteTableIDs...)
	return append(ids, v.IntraRouteTableID, v.DatabaseRouteTableID)
}

// NewVPC creates the VPC described by cfg.
//
// DNS support and DNS hostnames are on, because interface endpoints need
// private DNS. No subnet assigns public IPs on launch: NAT gateways and load
// balancers get their addresses explicitly. Public subnets route to the
// internet gateway, each private route table routes to a NAT gateway (see
// NATMode), and the intra and database tiers have no route out of the VPC.
// Routes are separate aws_route resources rather than inline blocks, so
// other constructs can add routes (peering, transit gateway) to the same
// tables. The default security group is adopted with no rules, so anything
// placed in it by mistake can neither send nor receive traffic.
//
// Subnets carry the discovery tags that the AWS Load Balancer Controller
// (kubernetes.io/role/elb on public, kubernetes.io/role/internal-elb on
// private, kubernetes.io/cluster/<ClusterName>=shared on both) and Karpenter
// (karpenter.sh/discovery=<ClusterName> on private) select subnets by.
//
// NewVPC panics if cfg is invalid.
func NewVPC(scope constructs.Construct, id string, cfg VPCConfig) *VPC {
	if err := cfg.Validate(); err != nil {
		panic(err)
	}
	plan, err := PlanSubnets(cfg.CIDR, len(cfg.AvailabilityZones))
	if err != nil {
		panic(err)
	}

	c := constructs.NewConstruct(scope, jsii.String(id))
	b := &vpcBuilder{scope: c, cfg: cfg}

	vpcResource := vpc.NewVpc(c, jsii.String("vpc"), &vpc.VpcConfig{
		CidrBlock:          jsii.String(cfg.CIDR.String()),
		EnableDnsSupport:   jsii.Bool(true),
		EnableDnsHostnames: jsii.Bool(true),
		Tags:               b.nameTag(cfg.Name),
	})
	b.vpcID = vpcResource.Id()

	igw := internetgateway.NewInternetGateway(c, jsii.String("internet_gateway"), &internetgateway.InternetGatewayConfig{
		VpcId: b.vpcID,
		Tags:  b.nameTag(cfg.Name),
	})

	clusterTag := "kubernetes.io/cluster/" + cfg.ClusterName
	publicTags := map[string]string{clusterTag: "shared"}
	if !cfg.InternalLoadBalancersOnly {
		publicTags["kubernetes.io/role/elb"] = "1"
	}
	public := b.subnets("public", plan.Public, publicTags)
	private := b.subnets("private", plan.Private, map[string]string{
		"kubernetes.io/role/internal-elb": "1",
		clusterTag:                        "shared",
		"karpenter.sh/discovery":          cfg.ClusterName,
	})
	intra := b.subnets("intra", plan.Intra, nil)
	database := b.subnets("database", plan.Database, nil)

	nats := b.natGateways(public, igw)

	publicTable := b.routeTable("public_route_table", cfg.Name+"-public")
	route.NewRoute(c, jsii.String("public_internet_route"), &route.RouteConfig{
		RouteTableId:         publicTable.Id(),
		DestinationCidrBlock: jsii.String(allRoutes),
		GatewayId:            igw.Id(),
	})
	b.associate("public", public, func(int) routetable.RouteTable { return publicTable })

	privateTables := make([]routetable.RouteTable, len(private))
	for i, az := range cfg.AvailabilityZones {
		privateTables[i] = b.routeTable(fmt.Sprintf("private_route_table_%d", i), cfg.Name+"-private-"+az)
		route.NewRoute(c, jsii.String(fmt.Sprintf("private_nat_route_%d", i)), &route.RouteConfig{
			RouteTableId:         privateTables[i].Id(),
			DestinationCidrBlock: jsii.String(allRoutes),
			NatGatewayId:         nats[min(i, len(nats)-1)].gateway.Id(),
		})
	}
	b.associate("private", private, func(i int) routetable.RouteTable { return privateTables[i] })

	intraTable := b.routeTable("intra_route_table", cfg.Name+"-intra")
	b.associate("intra", intra, func(int) routetable.RouteTable { return intraTable })

	databaseTable := b.routeTable("database_route_table", cfg.Name+"-database")
	b.associate("database", database, func(int) routetable.RouteTable { return databaseTable })

	subnetGroup := dbsubnetgroup.NewDbSubnetGroup(c, jsii.String("database_subnet_group"), &dbsubnetgroup.DbSubnetGroupConfig{
		Name:        jsii.String(cfg.Name + "-database"),
		Description: jsii.String("Database subnets of " + cfg.Name),
		SubnetIds:   subnetIDs(database),
		Tags:        b.nameTag(cfg.Name + "-database"),
	})

	defaultGroup := defaultsecuritygroup.NewDefaultSecurityGroup(c, jsii.String("default_security_group"), &defaultsecuritygroup.DefaultSecurityGroupConfig{
		VpcId:   b.vpcID,
		Ingress: []defaultsecuritygroup.DefaultSecurityGroupIngress{},
		Egress:  []defaultsecuritygroup.DefaultSecurityGroupEgress{},
		Tags:    b.nameTag(cfg.Name + "-default"),
	})

	flowLogs := NewFlowLogs(c, "flow_logs", FlowLogsConfig{
		Name:          cfg.Name,
		VPCID:         b.vpcID,
		RetentionDays: cfg.FlowLogRetentionDays,
		KMSKeyARN:     cfg.LogsKMSKeyARN,
	})

	v := &VPC{
		Construct:               c,
		ID:                      b.vpcID,
		CIDR:                    cfg.CIDR,
		Plan:                    plan,
		AvailabilityZones:       append([]string(nil), cfg.AvailabilityZones...),
		PublicSubnetIDs:         *subnetIDs(public),
		PrivateSubnetIDs:        *subnetIDs(private),
		IntraSubnetIDs:          *subnetIDs(intra),
		DatabaseSubnetIDs:       *subnetIDs(database),
		PublicRouteTableID:      publicTable.Id(),
		IntraRouteTableID:       intraTable.Id(),
		DatabaseRouteTableID:    databaseTable.Id(),
		InternetGatewayID:       igw.Id(),
		DatabaseSubnetGroupName: subnetGroup.Name(),
		DefaultSecurityGroupID:  defaultGroup.Id(),
		FlowLogs:                flowLogs,
	}
	for _, t := range privateTables {
		v.PrivateRouteTableIDs = append(v.PrivateRouteTableIDs, t.Id())
	}
	for _, n := range nats {
		v.NATGatewayIDs = append(v.NATGatewayIDs, n.gateway.Id())
		v.NATGatewayPublicIPs = append(v.NATGatewayPublicIPs, n.eip.PublicIp())
	}
	return v
}

// vpcBuilder carries what the steps of NewVPC share.
type vpcBuilder struct {
	scope constructs.Construct
	cfg   VPCConfig
	vpcID *string
}

// natGateway is a NAT gateway and its Elastic IP.
type natGateway struct {
	eip     eip.Eip
	gateway natgateway.NatGateway
}

// subnets creates one subnet of the tier per AZ, with IDs "<tier>_subnet_<i>"
// and Name tags "<Name>-<tier>-<AZ>", plus extraTags.
func (b *vpcBuilder) subnets(tier string, ranges []netip.Prefix, extraTags map[string]string) []subnet.Subnet {
	subnets := make([]subnet.Subnet, len(ranges))
	for i, r := range ranges {
		az := b.cfg.AvailabilityZones[i]
		tags := map[string]*string{"Name": jsii.String(fmt.Sprintf("%s-%s-%s", b.cfg.Name, tier, az))}
		for k, v := range extraTags {
			tags[k] = jsii.String(v)
		}

		subnets[i] = subnet.NewSubnet(b.scope, jsii.String(fmt.Sprintf("%s_subnet_%d", tier, i)), &subnet.SubnetConfig{
			VpcId:               b.vpcID,
			AvailabilityZone:    jsii.String(az),
			CidrBlock:           jsii.String(r.String()),
			MapPublicIpOnLaunch: jsii.Bool(false),
			Tags:                &tags,
		})
	}
	return subnets
}

// natGateways creates an Elastic IP and a NAT gateway in every public subnet,
// or in the first one only with NATSingle. Both depend on the internet
// gateway: AWS rejects a public NAT gateway in a VPC without one, and the
// internet gateway cannot be detached while Elastic IPs in the VPC are still
// mapped, so destroy must release them first.
func (b *vpcBuilder) natGateways(public []subnet.Subnet, igw internetgateway.InternetGateway) []natGateway {
	count := len(public)
	if b.cfg.NATMode == NATSingle {
		count = 1
	}
	dependsOnIGW := &[]cdktf.ITerraformDependable{igw}

	nats := make([]natGateway, count)
	for i := range count {
		name := fmt.Sprintf("%s-nat-%s", b.cfg.Name, b.cfg.AvailabilityZones[i])
		address := eip.NewEip(b.scope, jsii.String(fmt.Sprintf("nat_eip_%d", i)), &eip.EipConfig{
			Domain:    jsii.String("vpc"),
			Tags:      b.nameTag(name),
			DependsOn: dependsOnIGW,
		})
		gateway := natgateway.NewNatGateway(b.scope, jsii.String(fmt.Sprintf("nat_gateway_%d", i)), &natgateway.NatGatewayConfig{
			SubnetId:     public[i].Id(),
			AllocationId: address.AllocationId(),
			Tags:         b.nameTag(name),
			DependsOn:    dependsOnIGW,
		})
		nats[i] = natGateway{eip: address, gateway: gateway}
	}
	return nats
}

func (b *vpcBuilder) routeTable(id, name string) routetable.RouteTable {
	return routetable.NewRouteTable(b.scope, jsii.String(id), &routetable.RouteTableConfig{
		VpcId: b.vpcID,
		Tags:  b.nameTag(name),
	})
}

// associate attaches subnet i of the tier to tableFor(i), with IDs
// "<tier>_route_table_association_<i>".
func (b *vpcBuilder) associate(tier string, subnets []subnet.Subnet, tableFor func(i int) routetable.RouteTable) {
	for i, s := range subnets {
		routetableassociation.NewRouteTableAssociation(b.scope, jsii.String(fmt.Sprintf("%s_route_table_association_%d", tier, i)), &routetableassociation.RouteTableAssociationConfig{
			SubnetId:     s.Id(),
			RouteTableId: tableFor(i).Id(),
		})
	}
}

func (b *vpcBuilder) nameTag(name string) *map[string]*string {
	return &map[string]*string{"Name": jsii.String(name)}
}

func subnetIDs(subnets []subnet.Subnet) *[]*string {
	ids := make([]*string, len(subnets))
	for i, s := range subnets {
		ids[i] = s.Id()
	}
	return &ids
}
