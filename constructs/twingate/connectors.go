package twingate

import (
	"fmt"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/cloudwatchloggroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/ecscluster"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/ecsservice"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/secretsmanagersecret"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/secretsmanagersecretversion"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/honeyhive/platform/policy"
)

// secretRecoveryWindowDays is how long a deleted token secret can be
// restored.
const secretRecoveryWindowDays = 30

// fargatePlatformVersion pins the Fargate platform version instead of
// LATEST, so that a new platform version reaches the connectors only through
// a reviewed change. 1.4.0 fetches secrets and sends logs through the task's
// own network interface, which the security group's HTTPS rule allows.
const fargatePlatformVersion = "1.4.0"

// Connectors is a Twingate remote network with its connectors running on
// ECS Fargate in private subnets.
//
// Fargate rather than EC2 instances, because:
//   - there are no hosts to patch or log in to;
//   - ECS injects the tokens from Secrets Manager into the container when it
//     starts, so they never appear in user data or a launch template;
//   - ECS restarts a connector whose container stops;
//   - one ECS service per connector pins each connector to its own subnet,
//     and so to its own availability zone.
//
// Each connector's tokens are in a Secrets Manager secret of their own,
// encrypted with the customer-managed secrets key. The secrets have no
// prevent_destroy: tokens are not data worth keeping, because replacing the
// twingate_connector_tokens resource issues a new pair. Deleted secrets stay
// restorable for 30 days, and until then a new secret cannot take the same
// name.
//
// The security group admits no inbound traffic and allows outbound only
// HTTPS, the Twingate relay ports and UDP; see newSecurityGroup. Connectors
// reach Resources on port 443 through the HTTPS rule. Resources on other
// ports need an egress rule on SecurityGroupID, added by the caller.
//
// The tasks have an execution role, used by ECS to read the secrets and to
// write logs, and no task role, because the connector calls no AWS API.
type Connectors struct {
	constructs.Construct

	// RemoteNetworkID is the Twingate ID of the remote network.
	RemoteNetworkID *string

	// ConnectorIDs are the Twingate IDs of the connectors, in order.
	ConnectorIDs []*string

	// SecurityGroupID is the ID of the connectors' security group. Resources
	// the connectors serve must admit traffic from it.
	SecurityGroupID *string

	// ClusterARN is the ARN of the ECS cluster the connectors run in.
	ClusterARN *string

	// SecretARNs are the ARNs of the token secrets, one per connector, in
	// order.
	SecretARNs []*string
}

// connectorParts are the inputs to one connector's task and service: the
// connector's name and ID, the secret that contains its tokens, and the
// secret version whose change triggers a redeployment.
type connectorParts struct {
	name        string
	connectorID *string
	secret      secretsmanagersecret.SecretsmanagerSecret
	version     secretsmanagersecretversion.SecretsmanagerSecretVersion
}

// NewConnectors creates the remote network, cfg.Count connectors with their
// tokens, secrets, task definitions and services, and the shared ECS
// cluster, container log group, Container Insights log group, security group
// and execution role. It panics if cfg is
// invalid after defaults are applied.
func NewConnectors(scope constructs.Construct, id string, cfg ConnectorsConfig) *Connectors {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		panic(err)
	}

	// Resources are created in construct, not in c: jsii rejects a Go struct
	// that embeds a construct as the scope of another construct.
	construct := constructs.NewConstruct(scope, jsii.String(id))
	c := &Connectors{Construct: construct}

	remoteNetwork := NewRemoteNetwork(construct, "remote_network", RemoteNetworkConfig{
		Name:     cfg.RemoteNetworkName,
		Location: "AWS",
		Provider: cfg.Provider,
	})
	c.RemoteNetworkID = remoteNetwork.ID

	parts := make([]connectorParts, cfg.Count)
	for i := range parts {
		parts[i] = newConnectorParts(construct, cfg, i, remoteNetwork.ID)
		c.ConnectorIDs = append(c.ConnectorIDs, parts[i].connectorID)
		c.SecretARNs = append(c.SecretARNs, parts[i].secret.Arn())
	}

	clusterName := cfg.Name + "-twingate"
	insightsLogGroup := newContainerInsightsLogGroup(construct, cfg, clusterName)

	cluster := ecscluster.NewEcsCluster(construct, jsii.String("cluster"), &ecscluster.EcsClusterConfig{
		Name: jsii.String(clusterName),
		Setting: &[]*ecscluster.EcsClusterSetting{
			{Name: jsii.String("containerInsights"), Value: jsii.String("enabled")},
		},
		Tags:      nameTag(clusterName),
		DependsOn: &[]cdktf.ITerraformDependable{insightsLogGroup},
	})
	c.ClusterARN = cluster.Arn()

	// The log group holds the connectors' network events (which user reached
	// which Resource), which is audit data, so it is protected from destroy.
	logGroup := cloudwatchloggroup.NewCloudwatchLogGroup(construct, jsii.String("log_group"), &cloudwatchloggroup.CloudwatchLogGroupConfig{
		Name:            jsii.String(fmt.Sprintf("/ecs/%s/twingate-connector", cfg.Name)),
		KmsKeyId:        cfg.LogsKMSKeyARN,
		RetentionInDays: jsii.Number(cfg.LogRetentionDays),
		Tags:            nameTag(cfg.Name + "-twingate-connector"),
		Lifecycle:       &cdktf.TerraformResourceLifecycle{PreventDestroy: jsii.Bool(true)},
	})

	c.SecurityGroupID = newSecurityGroup(construct, cfg)
	executionRoleARN := newExecutionRole(construct, cfg, c.SecretARNs, logGroup.Arn())

	// Each service waits for the previous one to reach a steady state, so
	// Terraform replaces the connectors' tasks one at a time and the others
	// keep serving during an update.
	var previous ecsservice.EcsService
	for i, s := range parts {
		task := newTaskDefinition(construct, cfg, i, s, executionRoleARN, logGroup.Name())
		previous = newService(construct, cfg, i, s, task.Arn(), cluster.Arn(), c.SecurityGroupID, previous)
	}
	return c
}

// newContainerInsightsLogGroup creates the log group that Container
// Insights writes the cluster's performance events to. When the group is
// missing, AWS creates it without the customer-managed key and with a
// retention that this code does not set, so it is declared here with the
// logs key and LogRetentionDays. The cluster depends on it, so the group
// exists before Container Insights starts. It has no prevent_destroy
// because the events are performance data, not audit data.
//
// NOTE: where the cluster already ran with Container Insights before this
// group was declared, AWS has created the group, and Terraform fails to
// create it until it is imported.
func newContainerInsightsLogGroup(scope constructs.Construct, cfg ConnectorsConfig, clusterName string) cloudwatchloggroup.CloudwatchLogGroup {
	group := cloudwatchloggroup.NewCloudwatchLogGroup(scope, jsii.String("container_insights_log_group"), &cloudwatchloggroup.CloudwatchLogGroupConfig{
		Name:            jsii.String(fmt.Sprintf("/aws/ecs/containerinsights/%s/performance", clusterName)),
		KmsKeyId:        cfg.LogsKMSKeyARN,
		RetentionInDays: jsii.Number(cfg.LogRetentionDays),
		Tags:            nameTag(clusterName + "-container-insights"),
	})
	policy.Suppress(group, "HH-STATE-001",
		"the group holds performance events of the connectors' ECS cluster, not audit data; a replaced group starts empty and loses nothing anyone needs")
	return group
}

// newConnectorParts creates connector i in the remote network, its tokens,
// and the secret that holds them.
func newConnectorParts(scope constructs.Construct, cfg ConnectorsConfig, i int, remoteNetworkID *string) connectorParts {
	name := fmt.Sprintf("%s-connector-%d", cfg.Name, i)
	connector := NewConnector(scope, fmt.Sprintf("connector_%d", i), ConnectorConfig{
		RemoteNetworkID: remoteNetworkID,
		Name:            name,
		// Notify the admins when a connector goes offline: ECS restarts a
		// stopped container, but one that keeps failing needs a person.
		StatusUpdatesEnabled: true,
		Provider:             cfg.Provider,
	})
	tokens := NewConnectorTokens(scope, fmt.Sprintf("connector_%d_tokens", i), ConnectorTokensConfig{
		ConnectorID: connector.ID,
		Provider:    cfg.Provider,
	})

	secret := secretsmanagersecret.NewSecretsmanagerSecret(scope, jsii.String(fmt.Sprintf("connector_%d_secret", i)), &secretsmanagersecret.SecretsmanagerSecretConfig{
		Name:                 jsii.String(fmt.Sprintf("%s/twingate/connector-%d", cfg.Name, i)),
		Description:          jsii.String(fmt.Sprintf("Access and refresh tokens of Twingate connector %s", name)),
		KmsKeyId:             cfg.SecretsKMSKeyARN,
		RecoveryWindowInDays: jsii.Number(secretRecoveryWindowDays),
		Tags:                 nameTag(name),
	})
	policy.Suppress(secret, "HH-STATE-001",
		"the Twingate provider issues new tokens whenever the connector is replaced, so the secret holds nothing a destroy would lose, and protecting it would block replacing a connector")

	// The value is built by Terraform's jsonencode because the tokens are
	// only known at apply time.
	version := secretsmanagersecretversion.NewSecretsmanagerSecretVersion(scope, jsii.String(fmt.Sprintf("connector_%d_secret_version", i)), &secretsmanagersecretversion.SecretsmanagerSecretVersionConfig{
		SecretId: secret.Id(),
		SecretString: cdktf.Fn_Jsonencode(map[string]any{
			"access_token":  tokens.AccessToken,
			"refresh_token": tokens.RefreshToken,
		}),
	})

	return connectorParts{name: name, connectorID: connector.ID, secret: secret, version: version}
}

// newService creates the ECS service that keeps connector i's task running
// in its subnet. It depends on previous, the service of connector i-1, when
// there is one.
func newService(scope constructs.Construct, cfg ConnectorsConfig, i int, s connectorParts, taskDefinitionARN, clusterARN, securityGroupID *string, previous ecsservice.EcsService) ecsservice.EcsService {
	var dependsOn *[]cdktf.ITerraformDependable
	if previous != nil {
		dependsOn = &[]cdktf.ITerraformDependable{previous}
	}

	return ecsservice.NewEcsService(scope, jsii.String(fmt.Sprintf("connector_%d_service", i)), &ecsservice.EcsServiceConfig{
		Name:            jsii.String(fmt.Sprintf("connector-%d", i)),
		Cluster:         clusterARN,
		TaskDefinition:  taskDefinitionARN,
		DesiredCount:    jsii.Number(1),
		LaunchType:      jsii.String("FARGATE"),
		PlatformVersion: jsii.String(fargatePlatformVersion),
		NetworkConfiguration: &ecsservice.EcsServiceNetworkConfiguration{
			Subnets:        &[]*string{cfg.SubnetIDs[i%len(cfg.SubnetIDs)]},
			SecurityGroups: &[]*string{securityGroupID},
			AssignPublicIp: jsii.Bool(false),
		},

		// Two tasks must never run with the same tokens, because a token pair
		// used by two connectors at once makes their connections fail. A
		// deployment therefore stops the old task before it starts the new one.
		DeploymentMinimumHealthyPercent: jsii.Number(0),
		DeploymentMaximumPercent:        jsii.Number(100),
		DeploymentCircuitBreaker: &ecsservice.EcsServiceDeploymentCircuitBreaker{
			Enable:   jsii.Bool(true),
			Rollback: jsii.Bool(true),
		},
		WaitForSteadyState: jsii.Bool(true),
		DependsOn:          dependsOn,

		// ECS reads secrets only when a task starts. A new secret version,
		// written when the tokens are re-issued, changes the trigger and so
		// starts a new task with the new tokens.
		ForceNewDeployment: jsii.Bool(true),
		Triggers:           &map[string]*string{"secret_version": s.version.VersionId()},

		EnableExecuteCommand: jsii.Bool(false),
		EnableEcsManagedTags: jsii.Bool(true),
		PropagateTags:        jsii.String("SERVICE"),
		Tags:                 nameTag(s.name),
	})
}

// nameTag returns the Name tag. The AWS provider's default tags add the
// rest.
func nameTag(name string) *map[string]*string {
	return &map[string]*string{"Name": jsii.String(name)}
}
