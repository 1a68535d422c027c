package stacks

import (
	"fmt"
	"net/netip"
	"slices"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/honeyhive/platform/constructs/privatelink"
	"github.com/honeyhive/platform/environments"
)

// The two halves of a hybrid SaaS pair reach each other over AWS PrivateLink
// only, region by region. Each half offers one Service through an internal
// NLB and an endpoint service in its hosting stack, and reaches the other
// half's service through an interface endpoint and a name in its own private
// zone in its application stack. PrivateLink needs no route between the two
// VPCs, so a customer's address plan may overlap HoneyHive's, and it opens
// one port of one service rather than a network, so neither half is exposed
// beyond that Service.

// privateLinkServiceOutput is the hosting stack output that carries the
// endpoint service's name to the other half of the pair.
const privateLinkServiceOutput = "private_link_service_name"

// PrivateLinkService holds the target group and load balancer security
// group of a hosting stack's PrivateLink service, to which the application
// layer binds the environment's PrivateService.
type PrivateLinkService struct {
	TargetGroupARN  *string
	SecurityGroupID *string
}

// linkPeers returns the other halves of env's hybrid SaaS pairs that run in
// region: a data plane's control plane, or a control plane's data planes.
func linkPeers(env environments.Environment, region environments.Region, envs []environments.Environment) []environments.Environment {
	var peers []environments.Environment
	for _, e := range envs {
		linked := (env.Pattern == environments.PatternHybridSaaS && e.Name == env.ControlPlane.Environment) ||
			(e.Pattern == environments.PatternHybridSaaS && e.ControlPlane.Environment == env.Name)
		if _, inRegion := e.Region(region.Name); linked && inRegion {
			peers = append(peers, e)
		}
	}
	return peers
}

// newPrivateLinkService offers env's PrivateService to its peers in region,
// through a load balancer in the intra subnets, where no pod has an address,
// so the tenants' network policies can admit the load balancer alone.
func newPrivateLinkService(stack cdktf.TerraformStack, env environments.Environment, region environments.Region, sub SubstrateOutputs, peers []environments.Environment) *PrivateLinkService {
	var principals []string
	var clients []netip.Prefix
	for _, p := range peers {
		principals = append(principals, p.Accounts.Target.DeployRoleARN())
		// Customers' VPCs may share a range, such as 10.0.0.0/16.
		r, _ := p.Region(region.Name)
		if !slices.Contains(clients, r.Prefix()) {
			clients = append(clients, r.Prefix())
		}
	}

	svc := privatelink.NewService(stack, "private_link", privatelink.ServiceConfig{
		Name:                 env.Name + "-" + region.Code() + "-link",
		VPCID:                sub.VPCID,
		VPCCIDR:              region.Prefix(),
		SubnetIDs:            sub.IntraSubnetIDs,
		ClientCIDRs:          clients,
		Port:                 environments.PrivateLinkPort,
		TargetPort:           env.PrivateService.TargetPort,
		AllowedPrincipalARNs: principals,
		Region:               region.Name,
	})
	cdktf.NewTerraformOutput(stack, jsii.String(privateLinkServiceOutput), &cdktf.TerraformOutputConfig{Value: svc.ServiceName})
	return &PrivateLinkService{TargetGroupARN: svc.TargetGroupARN, SecurityGroupID: svc.SecurityGroupID}
}

// privateLinkRecord returns the name under which env reaches peer in
// region's private zone.
func privateLinkRecord(env, peer environments.Environment, region environments.Region) string {
	if peer.Pattern == environments.PatternControlPlane {
		return "control-plane." + env.PrivateZoneName(region)
	}
	return "data-plane-" + peer.Name + "." + env.PrivateZoneName(region)
}

// privateLinkSetting returns the key of the tenants' "platform" ConfigMap
// that holds peer's URL.
func privateLinkSetting(peer environments.Environment) string {
	if peer.Pattern == environments.PatternControlPlane {
		return controlPlaneSetting
	}
	return "data-plane-endpoint-" + peer.Name
}

// controlPlaneSetting is the key of the tenants' "platform" ConfigMap that
// holds the control plane's URL.
const controlPlaneSetting = "control-plane-endpoint"

// newPrivateLinkEndpoint connects env's VPC in region to peer's service and
// returns the URL workloads use. The service's name comes from peer's
// hosting state, read with env's own state role, which may read that one
// object: the two halves deploy from separate pipelines, and neither may
// write the other's state.
func newPrivateLinkEndpoint(stack cdktf.TerraformStack, env, peer environments.Environment, region environments.Region, sub SubstrateOutputs) string {
	id := "private_link_" + snakeCase(peer.Name)
	o := peer.Accounts.Orchestration
	peerStack := peer.StackName(region, LayerHosting)
	// Plans run as the plan role itself, which reads every state object.
	var assumeRole *cdktf.S3BackendAssumeRoleConfig
	if !inPlanMode(stack) {
		assumeRole = &cdktf.S3BackendAssumeRoleConfig{
			RoleArn:     jsii.String(StateRoleARN(env)),
			SessionName: jsii.String("terraform-state"),
		}
	}
	state := cdktf.NewDataTerraformRemoteStateS3(stack, jsii.String(id+"_state"), &cdktf.DataTerraformRemoteStateS3Config{
		Bucket:     jsii.String(o.BucketName(region.Name)),
		Key:        jsii.String(o.State.StateKey(peer.Name, region.Name, LayerHosting, peerStack)),
		Region:     jsii.String(region.Name),
		Encrypt:    jsii.Bool(true),
		AssumeRole: assumeRole,
	})

	endpoint := privatelink.NewEndpoint(stack, id, privatelink.EndpointConfig{
		Name:          fmt.Sprintf("%s-%s-to-%s", env.Name, region.Code(), peer.Name),
		VPCID:         sub.VPCID,
		VPCCIDR:       region.Prefix(),
		SubnetIDs:     sub.IntraSubnetIDs,
		ServiceName:   state.GetString(jsii.String(privateLinkServiceOutput)),
		Port:          environments.PrivateLinkPort,
		PrivateZoneID: sub.PrivateZoneID,
		RecordName:    privateLinkRecord(env, peer, region),
	})

	return "https://" + endpoint.DNSName
}

// linkedStateObjects returns, by region, the state objects env's state role
// may read besides its own: the hosting state of each PrivateLink peer,
// which holds the peer's endpoint service name.
func linkedStateObjects(env environments.Environment, envs []environments.Environment) map[string][]string {
	keys := map[string][]string{}
	for _, region := range env.Regions {
		for _, peer := range linkPeers(env, region, envs) {
			state := peer.Accounts.Orchestration.State
			keys[region.Name] = append(keys[region.Name], state.StateKey(peer.Name, region.Name, LayerHosting, peer.StackName(region, LayerHosting)))
		}
	}
	return keys
}
