package stacks

import (
	"fmt"
	"net/netip"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/honeyhive/platform/constructs/dns"
	"github.com/honeyhive/platform/constructs/endpoints"
	"github.com/honeyhive/platform/constructs/kms"
	"github.com/honeyhive/platform/constructs/network"
	"github.com/honeyhive/platform/constructs/twingate"
	"github.com/honeyhive/platform/environments"
)

// SubstrateOutputs are the values the layers above the substrate may use. The
// pointer fields are CDKTF tokens: referencing one from another stack makes
// CDKTF write an output here and a remote-state reader there.
type SubstrateOutputs struct {
	Region            string
	AvailabilityZones []string

	// ClusterName is the EKS cluster the hosting layer creates; the private
	// subnets are already tagged for its Karpenter and load balancer
	// discovery.
	ClusterName string

	VPCID   *string
	VPCCIDR string

	PublicSubnetIDs   []*string
	PrivateSubnetIDs  []*string
	IntraSubnetIDs    []*string
	DatabaseSubnetIDs []*string

	DatabaseSubnetGroupName *string

	PrivateZoneID   *string
	PrivateZoneName string

	// EndpointSecurityGroupID guards the interface endpoints; nil when a
	// customer's VPC keeps its own endpoints.
	EndpointSecurityGroupID *string

	// TwingateSecurityGroupID is the security group of the Twingate
	// connectors, which the cluster API must admit; nil when Twingate is off.
	TwingateSecurityGroupID *string

	KMS KMSKeyARNs
}

// KMSKeyARNs are the ARNs of the substrate's customer-managed keys.
type KMSKeyARNs struct {
	Logs    *string
	Cluster *string
	Data    *string
	Secrets *string
}

// Substrate is the per-region foundation stack: network, endpoints, DNS,
// keys and remote access.
type Substrate struct {
	Stack   cdktf.TerraformStack
	Name    string
	Outputs SubstrateOutputs
}

// ClusterName returns the name of the EKS cluster of env in region.
func ClusterName(env environments.Environment, region environments.Region) string {
	return env.Name + "-" + region.Code()
}

// availabilityZones returns the first n AZ names of region. The letters a to
// c exist in every supported region.
func availabilityZones(region string, n int) []string {
	azs := make([]string, n)
	for i := range azs {
		azs[i] = region + string(rune('a'+i))
	}
	return azs
}

// NewSubstrate creates the substrate stack of env in region.
func NewSubstrate(scope constructs.Construct, env environments.Environment, region environments.Region) *Substrate {
	name := env.StackName(region, LayerSubstrate)
	prefix := env.Name + "-" + region.Code()
	target := env.Accounts.Target

	stack, _ := newStack(scope, stackConfig{
		Name:          name,
		Layer:         LayerSubstrate,
		Region:        region.Name,
		Environment:   env.Name,
		CostCentre:    env.CostCentre,
		Account:       target,
		Orchestration: env.Accounts.Orchestration,
		StateRoleARN:  StateRoleARN(env),
		PlanRoleARN:   TargetPlanRoleARN(env),
	})

	keys := kms.NewKeySet(stack, "kms", kms.KeySetConfig{
		NamePrefix:    prefix,
		AccountID:     target.ID,
		Region:        region.Name,
		AdminRoleARNs: []string{target.DeployRoleARN()},
		Existing:      customerKeys(region.Keys),
	})

	clusterName := ClusterName(env, region)
	net := newNetwork(stack, env, region, clusterName, keys.Logs.ARN)

	var endpointGroup *string
	if x := region.ExistingVPC; x == nil || x.CreateEndpoints {
		eps := endpoints.New(stack, "endpoints", endpoints.Config{
			Name:          prefix,
			VPCID:         net.VPCID,
			VPCCIDR:       region.Prefix(),
			Region:        region.Name,
			SubnetIDs:     net.PrivateSubnetIDs,
			RouteTableIDs: net.RouteTableIDs,
		})
		endpointGroup = eps.SecurityGroupID
	}

	// A short comment keeps within Route 53's 256 characters for any zone
	// name validation accepts.
	zone := dns.NewPrivateZone(stack, "dns", dns.PrivateZoneConfig{
		Name:    env.PrivateZoneName(region),
		VPCID:   net.VPCID,
		Region:  region.Name,
		Comment: fmt.Sprintf("Private zone of %s in %s", env.Name, region.Name),
	})

	out := SubstrateOutputs{
		Region:                  region.Name,
		AvailabilityZones:       net.AvailabilityZones,
		ClusterName:             clusterName,
		VPCID:                   net.VPCID,
		VPCCIDR:                 region.VPCCIDR,
		PublicSubnetIDs:         net.PublicSubnetIDs,
		PrivateSubnetIDs:        net.PrivateSubnetIDs,
		IntraSubnetIDs:          net.IntraSubnetIDs,
		DatabaseSubnetIDs:       net.DatabaseSubnetIDs,
		DatabaseSubnetGroupName: net.DatabaseSubnetGroupName,
		PrivateZoneID:           zone.ZoneID,
		PrivateZoneName:         env.PrivateZoneName(region),
		EndpointSecurityGroupID: endpointGroup,
		KMS: KMSKeyARNs{
			Logs:    keys.Logs.ARN,
			Cluster: keys.Cluster.ARN,
			Data:    keys.Data.ARN,
			Secrets: keys.Secrets.ARN,
		},
	}

	if env.Components.Twingate {
		tg := twingate.NewProvider(stack, "twingate_provider", twingate.ProviderConfig{Network: env.TwingateNetwork})
		connectors := twingate.NewConnectors(stack, "twingate", twingate.ConnectorsConfig{
			Name:             prefix,
			Network:          env.TwingateNetwork,
			VPCID:            net.VPCID,
			SubnetIDs:        net.PrivateSubnetIDs,
			SecretsKMSKeyARN: keys.Secrets.ARN,
			LogsKMSKeyARN:    keys.Logs.ARN,
			LogRetentionDays: env.Retention.ApplicationLogDays,
			AccountID:        target.ID,
			Region:           region.Name,
			Provider:         tg,
		})
		out.TwingateSecurityGroupID = connectors.SecurityGroupID
	}

	writeOutputs(stack, out)
	return &Substrate{Stack: stack, Name: name, Outputs: out}
}

// writeOutputs declares the substrate's outputs under stable snake_case
// names, for people and scripts that read them with `cdktf output` or
// `terraform output`. Stacks built by this app read the same values through
// CDKTF's own cross-stack references instead.
func writeOutputs(stack cdktf.TerraformStack, out SubstrateOutputs) {
	outputs := []struct {
		name  string
		value any
	}{
		{"vpc_id", out.VPCID},
		{"public_subnet_ids", out.PublicSubnetIDs},
		{"private_subnet_ids", out.PrivateSubnetIDs},
		{"intra_subnet_ids", out.IntraSubnetIDs},
		{"database_subnet_ids", out.DatabaseSubnetIDs},
		{"database_subnet_group_name", out.DatabaseSubnetGroupName},
		{"private_zone_id", out.PrivateZoneID},
		{"endpoint_security_group_id", out.EndpointSecurityGroupID},
		{"kms_logs_key_arn", out.KMS.Logs},
		{"kms_cluster_key_arn", out.KMS.Cluster},
		{"kms_data_key_arn", out.KMS.Data},
		{"kms_secrets_key_arn", out.KMS.Secrets},
		{"twingate_security_group_id", out.TwingateSecurityGroupID},
	}

	// A token is nil for a part the region does not have, such as the
	// Twingate connectors when Twingate is off.
	for _, o := range outputs {
		if token, ok := o.value.(*string); ok && token == nil {
			continue
		}
		cdktf.NewTerraformOutput(stack, jsii.String(o.name), &cdktf.TerraformOutputConfig{Value: o.value})
	}
}

// regionNetwork is the part of a region's VPC that the substrate's other
// constructs need, whether the platform created the VPC or the customer
// brought it.
type regionNetwork struct {
	VPCID             *string
	AvailabilityZones []string

	PublicSubnetIDs   []*string
	PrivateSubnetIDs  []*string
	IntraSubnetIDs    []*string
	DatabaseSubnetIDs []*string

	DatabaseSubnetGroupName *string

	// RouteTableIDs get the gateway endpoints.
	RouteTableIDs []*string
}

// newNetwork creates the region's VPC, or adopts the customer's VPC when the
// region names one: its subnets get the discovery tags and it gets flow
// logs, but its routing stays the customer's.
func newNetwork(stack cdktf.TerraformStack, env environments.Environment, region environments.Region, clusterName string, logsKey *string) regionNetwork {
	prefix := env.Name + "-" + region.Code()

	if x := region.ExistingVPC; x != nil {
		subnets := func(in []environments.Subnet) []network.ExistingSubnet {
			out := make([]network.ExistingSubnet, len(in))
			for i, s := range in {
				out[i] = network.ExistingSubnet{ID: s.ID, AvailabilityZone: s.AvailabilityZone, CIDR: netip.MustParsePrefix(s.CIDR)}
			}
			return out
		}
		vpc := network.NewExistingVPC(stack, "network", network.ExistingVPCConfig{
			Name:                   prefix,
			VPCID:                  x.ID,
			CIDR:                   region.Prefix(),
			ClusterName:            clusterName,
			Private:                subnets(x.PrivateSubnets),
			Intra:                  subnets(x.IntraSubnets),
			Database:               subnets(x.DatabaseSubnets),
			RouteTableIDs:          x.RouteTableIDs,
			RequireDatabaseSubnets: env.Components.DataStores,
			FlowLogRetentionDays:   env.Retention.FlowLogDays,
			LogsKMSKeyARN:          logsKey,
		})
		return regionNetwork{
			VPCID:                   vpc.ID,
			AvailabilityZones:       vpc.AvailabilityZones,
			PublicSubnetIDs:         vpc.PublicSubnetIDs,
			PrivateSubnetIDs:        vpc.PrivateSubnetIDs,
			IntraSubnetIDs:          vpc.IntraSubnetIDs,
			DatabaseSubnetIDs:       vpc.DatabaseSubnetIDs,
			DatabaseSubnetGroupName: vpc.DatabaseSubnetGroupName,
			RouteTableIDs:           vpc.RouteTableIDs(),
		}
	}

	azs := availabilityZones(region.Name, env.Sizes.AvailabilityZones)
	nat := network.NATPerAZ
	if env.Sizes.NATGateways == environments.NATSingle {
		nat = network.NATSingle
	}
	vpc := network.NewVPC(stack, "network", network.VPCConfig{
		Name:              prefix,
		CIDR:              region.Prefix(),
		AvailabilityZones: azs,
		NATMode:           nat,
		ClusterName:       clusterName,
		// Nothing in a customer's account faces the internet.
		InternalLoadBalancersOnly: env.Pattern.InCustomerAccount(),
		FlowLogRetentionDays:      env.Retention.FlowLogDays,
		LogsKMSKeyARN:             logsKey,
	})
	return regionNetwork{
		VPCID:                   vpc.ID,
		AvailabilityZones:       azs,
		PublicSubnetIDs:         vpc.PublicSubnetIDs,
		PrivateSubnetIDs:        vpc.PrivateSubnetIDs,
		IntraSubnetIDs:          vpc.IntraSubnetIDs,
		DatabaseSubnetIDs:       vpc.DatabaseSubnetIDs,
		DatabaseSubnetGroupName: vpc.DatabaseSubnetGroupName,
		RouteTableIDs:           vpc.RouteTableIDs(),
	}
}

// customerKeys returns the customer-owned keys of a region by purpose.
func customerKeys(keys environments.KeyARNs) map[kms.Purpose]string {
	existing := map[kms.Purpose]string{}
	for purpose, arn := range map[kms.Purpose]string{
		kms.PurposeLogs:    keys.Logs,
		kms.PurposeCluster: keys.Cluster,
		kms.PurposeData:    keys.Data,
		kms.PurposeSecrets: keys.Secrets,
	} {
		if arn != "" {
			existing[purpose] = arn
		}
	}
	return existing
}
