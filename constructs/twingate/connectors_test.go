package twingate

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/honeyhive/platform/internal/synthtest"
)

const (
	testSecretsKeyARN = "arn:aws:kms:us-west-2:111122223333:key/secrets"
	testLogsKeyARN    = "arn:aws:kms:us-west-2:111122223333:key/logs"
)

// testConnectorsConfig returns a valid config with every required field set
// and every defaulted field left empty.
func testConnectorsConfig(provider cdktf.TerraformProvider) ConnectorsConfig {
	return ConnectorsConfig{
		Name:             "prod-usw2",
		Network:          "acme",
		VPCID:            jsii.String("vpc-0123"),
		SubnetIDs:        *jsii.Strings("subnet-a", "subnet-b"),
		SecretsKMSKeyARN: jsii.String(testSecretsKeyARN),
		LogsKMSKeyARN:    jsii.String(testLogsKeyARN),
		LogRetentionDays: 90,
		AccountID:        "111122223333",
		Region:           "us-west-2",
		Provider:         provider,
	}
}

// synthConnectors builds Connectors named "twingate" from the test config,
// changed by mutate when it is not nil, in a fresh stack.
func synthConnectors(t *testing.T, mutate func(*ConnectorsConfig)) synthtest.Document {
	t.Helper()
	stack := synthtest.Stack(t)
	cfg := testConnectorsConfig(NewProvider(stack, "twingate_provider", ProviderConfig{Network: "acme"}))
	if mutate != nil {
		mutate(&cfg)
	}
	NewConnectors(stack, "twingate", cfg)
	return synthtest.Synth(t, stack)
}

func TestConnectorsDefaultCountIsTwo(t *testing.T) {
	doc := synthConnectors(t, nil)

	for _, typ := range []string{
		"twingate_connector", "twingate_connector_tokens",
		"aws_secretsmanager_secret", "aws_secretsmanager_secret_version",
		"aws_ecs_task_definition", "aws_ecs_service",
	} {
		assert.Lenf(t, doc.Resources(typ), 2, "%s resources", typ)
	}
	for _, typ := range []string{
		"twingate_remote_network", "aws_ecs_cluster",
		"aws_security_group", "aws_iam_role", "aws_iam_role_policy",
	} {
		assert.Lenf(t, doc.Resources(typ), 1, "%s resources", typ)
	}
	assert.Len(t, doc.Resources("aws_cloudwatch_log_group"), 2, "container logs and Container Insights")
}

func TestConnectorsSpreadOverSubnets(t *testing.T) {
	tests := []struct {
		name    string
		count   int
		subnets []string
		want    []string
	}{
		{"two in two subnets", 2, []string{"subnet-a", "subnet-b"}, []string{"subnet-a", "subnet-b"}},
		{"four in three subnets", 4, []string{"subnet-a", "subnet-b", "subnet-c"}, []string{"subnet-a", "subnet-b", "subnet-c", "subnet-a"}},
		{"one", 1, []string{"subnet-a"}, []string{"subnet-a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := synthConnectors(t, func(c *ConnectorsConfig) {
				c.Count = tt.count
				c.SubnetIDs = *jsii.Strings(tt.subnets...)
			})

			require.Len(t, doc.Resources("aws_ecs_service"), tt.count)
			for i, want := range tt.want {
				service := doc.Resource(t, "aws_ecs_service", fmt.Sprintf("twingate_connector_%d_service", i))
				network, _ := service["network_configuration"].(map[string]any)
				assert.Equalf(t, []any{want}, network["subnets"], "subnets of connector %d", i)
			}
		})
	}
}

func TestConnectorsTwingateResources(t *testing.T) {
	doc := synthConnectors(t, nil)

	network := doc.Resource(t, "twingate_remote_network", "twingate_remote_network")
	assert.Equal(t, "prod-usw2", network["name"], "remote network name defaults to Name")
	assert.Equal(t, "AWS", network["location"])
	assert.Equal(t, "twingate", network["provider"])

	for i := range 2 {
		connector := doc.Resource(t, "twingate_connector", fmt.Sprintf("twingate_connector_%d", i))
		assert.Equal(t, "${twingate_remote_network.twingate_remote_network.id}", connector["remote_network_id"])
		assert.Equal(t, fmt.Sprintf("prod-usw2-connector-%d", i), connector["name"])
		assert.Equal(t, true, connector["status_updates_enabled"])
		assert.Equal(t, "twingate", connector["provider"])

		tokens := doc.Resource(t, "twingate_connector_tokens", fmt.Sprintf("twingate_connector_%d_tokens", i))
		assert.Equal(t, fmt.Sprintf("${twingate_connector.twingate_connector_%d.id}", i), tokens["connector_id"])
		assert.Equal(t, "twingate", tokens["provider"])
	}
}

func TestConnectorsRemoteNetworkName(t *testing.T) {
	doc := synthConnectors(t, func(c *ConnectorsConfig) { c.RemoteNetworkName = "Production us-west-2" })

	network := doc.Resource(t, "twingate_remote_network", "twingate_remote_network")
	assert.Equal(t, "Production us-west-2", network["name"])
}

func TestConnectorsSecrets(t *testing.T) {
	doc := synthConnectors(t, nil)

	for i := range 2 {
		secret := doc.Resource(t, "aws_secretsmanager_secret", fmt.Sprintf("twingate_connector_%d_secret", i))
		assert.Equal(t, testSecretsKeyARN, secret["kms_key_id"])
		assert.EqualValues(t, 30, secret["recovery_window_in_days"])
		assert.Equal(t, fmt.Sprintf("prod-usw2/twingate/connector-%d", i), secret["name"])

		version := doc.Resource(t, "aws_secretsmanager_secret_version", fmt.Sprintf("twingate_connector_%d_secret_version", i))
		assert.Equal(t, fmt.Sprintf("${aws_secretsmanager_secret.twingate_connector_%d_secret.id}", i), version["secret_id"])
		value, _ := version["secret_string"].(string)
		assert.True(t, strings.HasPrefix(value, "${jsonencode("), "secret_string is built by jsonencode: %s", value)
		tokens := fmt.Sprintf("twingate_connector_tokens.twingate_connector_%d_tokens", i)
		assert.Contains(t, value, fmt.Sprintf(`"access_token" = %s.access_token`, tokens))
		assert.Contains(t, value, fmt.Sprintf(`"refresh_token" = %s.refresh_token`, tokens))
	}
}

func TestConnectorsTaskDefinitions(t *testing.T) {
	doc := synthConnectors(t, nil)

	for i := range 2 {
		task := doc.Resource(t, "aws_ecs_task_definition", fmt.Sprintf("twingate_connector_%d_task", i))
		assert.Equal(t, []any{"FARGATE"}, task["requires_compatibilities"])
		assert.Equal(t, "awsvpc", task["network_mode"])
		assert.Equal(t, "256", task["cpu"])
		assert.Equal(t, "512", task["memory"])
		assert.Equal(t, map[string]any{"operating_system_family": "LINUX", "cpu_architecture": "X86_64"}, task["runtime_platform"])
		assert.Equal(t, "${aws_iam_role.twingate_execution_role.arn}", task["execution_role_arn"])
		assert.NotContains(t, task, "task_role_arn", "the connector calls no AWS API")

		definitions, _ := task["container_definitions"].(string)
		assert.True(t, strings.HasPrefix(definitions, "${jsonencode(["), "container definitions are built by jsonencode: %s", definitions)
		secretARN := fmt.Sprintf("${aws_secretsmanager_secret.twingate_connector_%d_secret.arn}", i)
		otherSecretARN := fmt.Sprintf("${aws_secretsmanager_secret.twingate_connector_%d_secret.arn}", 1-i)
		assert.Contains(t, definitions, fmt.Sprintf(`{"name" = "TWINGATE_ACCESS_TOKEN", "valueFrom" = "%s:access_token::"}`, secretARN))
		assert.Contains(t, definitions, fmt.Sprintf(`{"name" = "TWINGATE_REFRESH_TOKEN", "valueFrom" = "%s:refresh_token::"}`, secretARN))
		assert.NotContains(t, definitions, otherSecretARN, "a task reads only its own connector's secret")
		assert.NotContains(t, definitions, "twingate_connector_tokens", "tokens reach the task only through the secret")
		assert.Contains(t, definitions, `{"name" = "TWINGATE_NETWORK", "value" = "acme"}`)
		assert.Contains(t, definitions, `{"name" = "TWINGATE_LOG_ANALYTICS", "value" = "v2"}`)
		assert.Contains(t, definitions, fmt.Sprintf(`{"name" = "TWINGATE_LABEL_HOSTNAME", "value" = "prod-usw2-connector-%d"}`, i))
		assert.Contains(t, definitions, `"name" = "connector"`)
		assert.Contains(t, definitions, `"image" = "twingate/connector:`)
		assert.Contains(t, definitions, `"logDriver" = "awslogs"`)
		assert.Contains(t, definitions, `"awslogs-group" = aws_cloudwatch_log_group.twingate_log_group.name`)
		assert.Contains(t, definitions, `"awslogs-region" = "us-west-2"`)
	}
}

func TestConnectorsTaskSizeAndImage(t *testing.T) {
	doc := synthConnectors(t, func(c *ConnectorsConfig) {
		c.CPU = 1024
		c.Memory = 3072
		c.Image = "111122223333.dkr.ecr.us-west-2.amazonaws.com/docker-hub/twingate/connector:1.90.0"
	})

	task := doc.Resource(t, "aws_ecs_task_definition", "twingate_connector_0_task")
	assert.Equal(t, "1024", task["cpu"])
	assert.Equal(t, "3072", task["memory"])
	definitions, _ := task["container_definitions"].(string)
	assert.Contains(t, definitions, `"image" = "111122223333.dkr.ecr.us-west-2.amazonaws.com/docker-hub/twingate/connector:1.90.0"`)
}

func TestConnectorsServices(t *testing.T) {
	doc := synthConnectors(t, nil)

	for i := range 2 {
		service := doc.Resource(t, "aws_ecs_service", fmt.Sprintf("twingate_connector_%d_service", i))
		assert.Equal(t, "FARGATE", service["launch_type"])
		assert.EqualValues(t, 1, service["desired_count"])
		assert.Equal(t, "1.4.0", service["platform_version"])
		assert.Equal(t, "${aws_ecs_cluster.twingate_cluster.arn}", service["cluster"])
		assert.Equal(t, fmt.Sprintf("${aws_ecs_task_definition.twingate_connector_%d_task.arn}", i), service["task_definition"])
		assert.Equal(t, false, service["enable_execute_command"])

		network, _ := service["network_configuration"].(map[string]any)
		assert.Equal(t, false, network["assign_public_ip"])
		assert.Equal(t, []any{"${aws_security_group.twingate_security_group.id}"}, network["security_groups"])

		assert.EqualValues(t, 0, service["deployment_minimum_healthy_percent"], "the old task stops before the new one starts")
		assert.EqualValues(t, 100, service["deployment_maximum_percent"], "never two tasks with one token pair")
		assert.Equal(t, true, service["wait_for_steady_state"])
		assert.Equal(t, true, service["force_new_deployment"])
		assert.Equal(t,
			map[string]any{"secret_version": fmt.Sprintf("${aws_secretsmanager_secret_version.twingate_connector_%d_secret_version.version_id}", i)},
			service["triggers"])
	}

	first := doc.Resource(t, "aws_ecs_service", "twingate_connector_0_service")
	second := doc.Resource(t, "aws_ecs_service", "twingate_connector_1_service")
	assert.NotContains(t, first, "depends_on")
	assert.Equal(t, []any{"aws_ecs_service.twingate_connector_0_service"}, second["depends_on"], "services update one at a time")
}

func TestConnectorsExecutionRole(t *testing.T) {
	doc := synthConnectors(t, nil)

	role := doc.Resource(t, "aws_iam_role", "twingate_execution_role")
	assert.Equal(t, "prod-usw2-twingate-execution", role["name"])
	trust := synthtest.JSON(t, role["assume_role_policy"])
	statements, _ := trust["Statement"].([]any)
	require.Len(t, statements, 1)
	statement, _ := statements[0].(map[string]any)
	assert.Equal(t, map[string]any{"Service": "ecs-tasks.amazonaws.com"}, statement["Principal"])
	assert.Equal(t, "sts:AssumeRole", statement["Action"])
	assert.Equal(t, map[string]any{"StringEquals": map[string]any{"aws:SourceAccount": "111122223333"}}, statement["Condition"])

	policy := doc.Resource(t, "aws_iam_role_policy", "twingate_execution_role_policy")
	assert.Equal(t, "${aws_iam_role.twingate_execution_role.name}", policy["role"])
	assert.Equal(t, "${data.aws_iam_policy_document.twingate_execution_role_policy_document.json}", policy["policy"])
	assert.Empty(t, doc.Resources("aws_iam_role_policy_attachment"), "no managed policies")

	document, ok := doc.DataSources("aws_iam_policy_document")["twingate_execution_role_policy_document"]
	require.True(t, ok, "execution role policy document not found")
	rawStatements, _ := document["statement"].([]any)
	bySid := map[string]map[string]any{}
	for _, raw := range rawStatements {
		s, _ := raw.(map[string]any)
		assert.Equal(t, "Allow", s["effect"])
		actions, _ := s["actions"].([]any)
		for _, action := range actions {
			assert.NotContains(t, action, "*", "wildcard action in statement %v", s["sid"])
		}
		sid, _ := s["sid"].(string)
		bySid[sid] = s
	}
	require.Len(t, bySid, 3)

	secrets := bySid["ReadConnectorTokens"]
	assert.Equal(t, []any{"secretsmanager:GetSecretValue"}, secrets["actions"])
	assert.Equal(t, []any{
		"${aws_secretsmanager_secret.twingate_connector_0_secret.arn}",
		"${aws_secretsmanager_secret.twingate_connector_1_secret.arn}",
	}, secrets["resources"])

	decrypt := bySid["DecryptConnectorTokens"]
	assert.Equal(t, []any{"kms:Decrypt"}, decrypt["actions"])
	assert.Equal(t, []any{testSecretsKeyARN}, decrypt["resources"])
	assert.Equal(t, []any{map[string]any{
		"test":     "StringEquals",
		"variable": "kms:ViaService",
		"values":   []any{"secretsmanager.us-west-2.amazonaws.com"},
	}}, decrypt["condition"])

	logs := bySid["WriteConnectorLogs"]
	assert.ElementsMatch(t, []any{"logs:CreateLogStream", "logs:PutLogEvents"}, logs["actions"])
	assert.Equal(t, []any{"${aws_cloudwatch_log_group.twingate_log_group.arn}:log-stream:*"}, logs["resources"])
}

func TestConnectorsViaServiceInChinaPartition(t *testing.T) {
	doc := synthConnectors(t, func(c *ConnectorsConfig) {
		c.Region = "cn-north-1"
		c.Partition = "aws-cn"
	})

	document := doc.DataSources("aws_iam_policy_document")["twingate_execution_role_policy_document"]
	assert.Contains(t, fmt.Sprint(document["statement"]), "secretsmanager.cn-north-1.amazonaws.com.cn")
}

func TestConnectorsSecurityGroup(t *testing.T) {
	doc := synthConnectors(t, nil)

	group := doc.Resource(t, "aws_security_group", "twingate_security_group")
	assert.Equal(t, "vpc-0123", group["vpc_id"])
	assert.Empty(t, group["ingress"], "no inline ingress")
	assert.Empty(t, group["egress"], "egress is managed by separate rules only")
	assert.Empty(t, doc.Resources("aws_vpc_security_group_ingress_rule"), "connectors accept no inbound traffic")
	assert.Empty(t, doc.Resources("aws_security_group_rule"))

	type rule struct {
		protocol string
		from, to float64
	}
	var got []rule
	for name, r := range doc.Resources("aws_vpc_security_group_egress_rule") {
		assert.Equalf(t, "${aws_security_group.twingate_security_group.id}", r["security_group_id"], "rule %s", name)
		assert.Equalf(t, "0.0.0.0/0", r["cidr_ipv4"], "rule %s", name)
		assert.NotEqualf(t, "-1", r["ip_protocol"], "rule %s allows every protocol", name)
		assert.NotEmptyf(t, r["description"], "rule %s", name)
		protocol, _ := r["ip_protocol"].(string)
		from, _ := r["from_port"].(float64)
		to, _ := r["to_port"].(float64)
		got = append(got, rule{protocol, from, to})
	}
	assert.ElementsMatch(t, []rule{
		{"tcp", 443, 443},
		{"tcp", 30000, 31000},
		{"udp", 0, 65535},
	}, got)
}

func TestConnectorsLogGroupAndCluster(t *testing.T) {
	doc := synthConnectors(t, nil)

	logGroup := doc.Resource(t, "aws_cloudwatch_log_group", "twingate_log_group")
	assert.Equal(t, testLogsKeyARN, logGroup["kms_key_id"])
	assert.EqualValues(t, 90, logGroup["retention_in_days"])
	assert.Equal(t, map[string]any{"prevent_destroy": true}, logGroup["lifecycle"])

	cluster := doc.Resource(t, "aws_ecs_cluster", "twingate_cluster")
	assert.Equal(t, "prod-usw2-twingate", cluster["name"])
	assert.Equal(t, []any{map[string]any{"name": "containerInsights", "value": "enabled"}}, cluster["setting"])
}

func TestConnectorsContainerInsightsLogGroup(t *testing.T) {
	doc := synthConnectors(t, func(c *ConnectorsConfig) {
		c.Name = "stage-use1"
		c.LogRetentionDays = 30
	})

	logGroup := doc.Resource(t, "aws_cloudwatch_log_group", "twingate_container_insights_log_group")
	assert.Equal(t, "/aws/ecs/containerinsights/stage-use1-twingate/performance", logGroup["name"], "the name Container Insights writes to")
	assert.Equal(t, testLogsKeyARN, logGroup["kms_key_id"])
	assert.EqualValues(t, 30, logGroup["retention_in_days"])
	assert.Equal(t, map[string]any{"Name": "stage-use1-twingate-container-insights"}, logGroup["tags"])

	cluster := doc.Resource(t, "aws_ecs_cluster", "twingate_cluster")
	assert.Equal(t, "stage-use1-twingate", cluster["name"])
	assert.Equal(t, []any{"aws_cloudwatch_log_group.twingate_container_insights_log_group"}, cluster["depends_on"], "the group exists before Container Insights starts")
}

func TestConnectorsOutputs(t *testing.T) {
	stack := synthtest.Stack(t)
	cfg := testConnectorsConfig(NewProvider(stack, "twingate_provider", ProviderConfig{Network: "acme"}))
	cfg.Count = 3
	cfg.SubnetIDs = *jsii.Strings("subnet-a", "subnet-b", "subnet-c")
	connectors := NewConnectors(stack, "twingate", cfg)

	require.Len(t, connectors.SecretARNs, 3)
	require.Len(t, connectors.ConnectorIDs, 3)
	outputs := map[string]any{
		"remote_network_id": connectors.RemoteNetworkID,
		"security_group_id": connectors.SecurityGroupID,
		"cluster_arn":       connectors.ClusterARN,
		"secret_arn_2":      connectors.SecretARNs[2],
		"connector_id_2":    connectors.ConnectorIDs[2],
	}
	for name, value := range outputs {
		cdktf.NewTerraformOutput(stack, jsii.String(name), &cdktf.TerraformOutputConfig{Value: value})
	}
	got := synthtest.Synth(t, stack).Outputs()

	assert.Equal(t, "${twingate_remote_network.twingate_remote_network.id}", got["remote_network_id"]["value"])
	assert.Equal(t, "${aws_security_group.twingate_security_group.id}", got["security_group_id"]["value"])
	assert.Equal(t, "${aws_ecs_cluster.twingate_cluster.arn}", got["cluster_arn"]["value"])
	assert.Equal(t, "${aws_secretsmanager_secret.twingate_connector_2_secret.arn}", got["secret_arn_2"]["value"])
	assert.Equal(t, "${twingate_connector.twingate_connector_2.id}", got["connector_id_2"]["value"])
}

func TestConnectorsConfigDefaults(t *testing.T) {
	cfg := ConnectorsConfig{Name: "prod-usw2"}.withDefaults()

	assert.Equal(t, "prod-usw2", cfg.RemoteNetworkName)
	assert.Equal(t, 2, cfg.Count)
	assert.Equal(t, 256, cfg.CPU)
	assert.Equal(t, 512, cfg.Memory)
	assert.Equal(t, "aws", cfg.Partition)
	assert.True(t, strings.HasPrefix(cfg.Image, "twingate/connector:"), "default image is the Twingate connector: %s", cfg.Image)
	assert.Regexp(t, `^[0-9]+\.[0-9]+\.[0-9]+$`, imageTag(cfg.Image), "default image tag is an exact version")

	explicit := ConnectorsConfig{RemoteNetworkName: "Lab", Count: 3, CPU: 512, Memory: 1024, Partition: "aws-us-gov", Image: "repo/connector:1.0.0"}.withDefaults()
	assert.Equal(t, "Lab", explicit.RemoteNetworkName)
	assert.Equal(t, 3, explicit.Count)
	assert.Equal(t, 512, explicit.CPU)
	assert.Equal(t, 1024, explicit.Memory)
	assert.Equal(t, "aws-us-gov", explicit.Partition)
	assert.Equal(t, "repo/connector:1.0.0", explicit.Image)
}

func TestConnectorsConfigValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*ConnectorsConfig)
		want   string
	}{
		{"empty name", func(c *ConnectorsConfig) { c.Name = "" }, "ConnectorsConfig.Name is empty"},
		{"name with underscore", func(c *ConnectorsConfig) { c.Name = "prod_usw2" }, `ConnectorsConfig.Name: "prod_usw2" is invalid`},
		{"name too long", func(c *ConnectorsConfig) { c.Name = strings.Repeat("a", 46) }, "use at most 45"},
		{"empty network", func(c *ConnectorsConfig) { c.Network = "" }, "ConnectorsConfig.Network is empty"},
		{"network host name", func(c *ConnectorsConfig) { c.Network = "acme.twingate.com" }, `ConnectorsConfig.Network: "acme.twingate.com" is not a Twingate tenant name`},
		{"blank remote network name", func(c *ConnectorsConfig) { c.RemoteNetworkName = " " }, "ConnectorsConfig.RemoteNetworkName is empty"},
		{"negative count", func(c *ConnectorsConfig) { c.Count = -1 }, "ConnectorsConfig.Count: -1 is invalid"},
		{"missing VPC", func(c *ConnectorsConfig) { c.VPCID = nil }, "ConnectorsConfig.VPCID is missing"},
		{"no subnets", func(c *ConnectorsConfig) { c.SubnetIDs = nil }, "ConnectorsConfig.SubnetIDs is empty"},
		{"nil subnet", func(c *ConnectorsConfig) { c.SubnetIDs = []*string{jsii.String("subnet-a"), nil} }, "SubnetIDs contains a nil ID"},
		{"one subnet for two", func(c *ConnectorsConfig) { c.SubnetIDs = *jsii.Strings("subnet-a") }, "would share an availability zone"},
		{"missing secrets key", func(c *ConnectorsConfig) { c.SecretsKMSKeyARN = nil }, "ConnectorsConfig.SecretsKMSKeyARN is missing"},
		{"missing logs key", func(c *ConnectorsConfig) { c.LogsKMSKeyARN = nil }, "ConnectorsConfig.LogsKMSKeyARN is missing"},
		{"no retention", func(c *ConnectorsConfig) { c.LogRetentionDays = 0 }, "ConnectorsConfig.LogRetentionDays is missing"},
		{"odd retention", func(c *ConnectorsConfig) { c.LogRetentionDays = 100 }, "LogRetentionDays: 100"},
		{"image without tag", func(c *ConnectorsConfig) { c.Image = "twingate/connector" }, `ConnectorsConfig.Image: "twingate/connector" has no tag or digest`},
		{"image with registry port only", func(c *ConnectorsConfig) { c.Image = "registry:5000/twingate/connector" }, "has no tag or digest"},
		{"image latest", func(c *ConnectorsConfig) { c.Image = "twingate/connector:latest" }, "uses the moving tag latest"},
		{"image with space", func(c *ConnectorsConfig) { c.Image = "twingate/connector :1" }, "is not an image reference"},
		{"memory not offered", func(c *ConnectorsConfig) { c.Memory = 4096 }, "256 CPU units with 4096 MiB is not a Fargate task size"},
		{"cpu not offered", func(c *ConnectorsConfig) { c.CPU = 300 }, "300 CPU units with 512 MiB"},
		{"account", func(c *ConnectorsConfig) { c.AccountID = "1111-2222-3333" }, `ConnectorsConfig.AccountID: "1111-2222-3333" is not a 12-digit AWS account ID`},
		{"region", func(c *ConnectorsConfig) { c.Region = "us-west" }, `ConnectorsConfig.Region: "us-west" is not an AWS region name`},
		{"partition", func(c *ConnectorsConfig) { c.Partition = "aws-eu" }, `ConnectorsConfig.Partition: "aws-eu" is not supported`},
		{"missing provider", func(c *ConnectorsConfig) { c.Provider = nil }, "ConnectorsConfig.Provider is missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConnectorsConfig(nil)
			tt.mutate(&cfg)
			assert.ErrorContains(t, cfg.withDefaults().Validate(), tt.want)
		})
	}
}

func TestConnectorsConfigValidAccepted(t *testing.T) {
	stack := synthtest.Stack(t)
	cfg := testConnectorsConfig(NewProvider(stack, "twingate_provider", ProviderConfig{Network: "acme"}))

	assert.NoError(t, cfg.withDefaults().Validate())

	cfg.Count = 1
	cfg.SubnetIDs = *jsii.Strings("subnet-a")
	cfg.Image = "twingate/connector@sha256:0123456789abcdef"
	assert.NoError(t, cfg.withDefaults().Validate(), "one connector in one subnet, image pinned by digest")
}

func TestNewConnectorsPanicsOnInvalidConfig(t *testing.T) {
	stack := synthtest.Stack(t)
	cfg := testConnectorsConfig(NewProvider(stack, "twingate_provider", ProviderConfig{Network: "acme"}))
	cfg.LogRetentionDays = 0

	assert.PanicsWithError(t, "twingate: ConnectorsConfig.LogRetentionDays is missing; set a retention period in days, such as 365", func() {
		NewConnectors(stack, "twingate", cfg)
	})
}

func TestImageTag(t *testing.T) {
	tests := []struct{ image, want string }{
		{"twingate/connector:1.93.0", "1.93.0"},
		{"twingate/connector", ""},
		{"registry:5000/twingate/connector", ""},
		{"registry:5000/twingate/connector:1.2.3", "1.2.3"},
		{"twingate/connector@sha256:abc", ""},
		{"twingate/connector:1.93.0@sha256:abc", "1.93.0"},
	}
	for _, tt := range tests {
		t.Run(tt.image, func(t *testing.T) {
			assert.Equal(t, tt.want, imageTag(tt.image))
		})
	}
}

func TestFargateSizeValid(t *testing.T) {
	tests := []struct {
		cpu, memory int
		want        bool
	}{
		{256, 512, true},
		{256, 2048, true},
		{256, 1536, false},
		{512, 4096, true},
		{512, 5120, false},
		{1024, 2048, true},
		{1024, 1024, false},
		{4096, 30720, true},
		{8192, 20480, true},
		{8192, 18432, false},
		{16384, 122880, true},
		{128, 512, false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d/%d", tt.cpu, tt.memory), func(t *testing.T) {
			assert.Equal(t, tt.want, fargateSizeValid(tt.cpu, tt.memory))
		})
	}
}
