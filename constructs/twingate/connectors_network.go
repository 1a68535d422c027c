package twingate

import (
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/securitygroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpcsecuritygroupegressrule"
)

// anyIPv4 is the destination of every egress rule. Security groups cannot
// filter by host name, and Twingate names its controller and relays by host
// name (*.twingate.com). Clients connect peer-to-peer from any address.
const anyIPv4 = "0.0.0.0/0"

// egressRule is one outbound rule of the connectors' security group.
type egressRule struct {
	id          string
	protocol    string
	fromPort    int
	toPort      int
	description string
}

// connectorEgress lists the outbound traffic a connector needs, following
// Twingate's outbound firewall requirements for connectors.
var connectorEgress = []egressRule{
	{
		// The controller and relays on TCP 443. The same rule covers what ECS
		// reaches through the task's network interface (Docker Hub for the
		// image, Secrets Manager, CloudWatch Logs) and Resources served on 443.
		id: "egress_https", protocol: "tcp", fromPort: 443, toPort: 443,
		description: "HTTPS to the Twingate controller and relays, the image registry and AWS APIs",
	},
	{
		// Relayed connections, used when no peer-to-peer path exists.
		id: "egress_relays", protocol: "tcp", fromPort: 30000, toPort: 31000,
		description: "Twingate relays for relayed connections",
	},
	{
		// Peer-to-peer connections to clients (QUIC, with STUN for NAT
		// traversal) go to whatever address and port the client's NAT
		// presents, so UDP is open to every port.
		id: "egress_udp", protocol: "udp", fromPort: 0, toPort: 65535,
		description: "UDP for peer-to-peer connections with clients and STUN",
	},
}

// newSecurityGroup creates the connectors' security group with the rules in
// connectorEgress and no ingress rule, because connectors only open outbound
// connections. It returns the group's ID.
//
// The AWS provider removes the allow-all egress rule that AWS adds to a new
// security group, so connectorEgress is the complete outbound policy.
func newSecurityGroup(scope constructs.Construct, cfg ConnectorsConfig) *string {
	name := cfg.Name + "-twingate-connector"
	group := securitygroup.NewSecurityGroup(scope, jsii.String("security_group"), &securitygroup.SecurityGroupConfig{
		Name:        jsii.String(name),
		Description: jsii.String("Twingate connectors: outbound to Twingate and AWS APIs only, no inbound"),
		VpcId:       cfg.VPCID,
		Tags:        nameTag(name),
	})

	for _, rule := range connectorEgress {
		vpcsecuritygroupegressrule.NewVpcSecurityGroupEgressRule(scope, jsii.String(rule.id), &vpcsecuritygroupegressrule.VpcSecurityGroupEgressRuleConfig{
			SecurityGroupId: group.Id(),
			IpProtocol:      jsii.String(rule.protocol),
			FromPort:        jsii.Number(rule.fromPort),
			ToPort:          jsii.Number(rule.toPort),
			CidrIpv4:        jsii.String(anyIPv4),
			Description:     jsii.String(rule.description),
			Tags:            nameTag(name + "-" + strings.ReplaceAll(rule.id, "_", "-")),
		})
	}
	return group.Id()
}
