package network

import (
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/honeyhive/platform/internal/synthtest"
)

func validFlowLogsConfig() FlowLogsConfig {
	return FlowLogsConfig{
		Name:          "prod-usw2",
		VPCID:         jsii.String("vpc-0123456789abcdef0"),
		RetentionDays: 365,
		KMSKeyARN:     jsii.String(testKeyARN),
	}
}

func TestFlowLogs(t *testing.T) {
	stack := synthtest.Stack(t)
	NewFlowLogs(stack, "flow_logs", validFlowLogsConfig())

	rejected := validFlowLogsConfig()
	rejected.Name = "stage-usw2"
	rejected.RetentionDays = 30
	rejected.TrafficType = "REJECT"
	rejected.MaxAggregationInterval = 600
	NewFlowLogs(stack, "rejected_flow_logs", rejected)

	doc := synthtest.Synth(t, stack)

	const (
		logGroup   = "aws_cloudwatch_log_group.flow_logs_log_group"
		account    = "${data.aws_caller_identity.flow_logs_caller_identity.account_id}"
		partition  = "${data.aws_partition.flow_logs_partition.partition}"
		regionName = "${data.aws_region.flow_logs_region.name}"
	)

	t.Run("log group is encrypted and retained", func(t *testing.T) {
		group := doc.Resource(t, "aws_cloudwatch_log_group", "flow_logs_log_group")
		assert.Equal(t, "/aws/vpc-flow-logs/prod-usw2", group["name"])
		assert.Equal(t, testKeyARN, group["kms_key_id"])
		assert.Equal(t, float64(365), group["retention_in_days"])
		assert.Equal(t, map[string]any{"prevent_destroy": true}, group["lifecycle"])

		other := doc.Resource(t, "aws_cloudwatch_log_group", "rejected_flow_logs_log_group")
		assert.Equal(t, float64(30), other["retention_in_days"])
	})

	t.Run("role trust is scoped to account", func(t *testing.T) {
		role := doc.Resource(t, "aws_iam_role", "flow_logs_role")
		assert.Equal(t, "prod-usw2-vpc-flow-logs", role["name"])
		assert.Equal(t, ref("data.aws_iam_policy_document.flow_logs_role_trust_policy", "json"), role["assume_role_policy"])

		statements := policyStatements(t, doc, "flow_logs_role_trust_policy")
		require.Len(t, statements, 1)
		trust := statements[0]
		assert.Equal(t, "Allow", trust["effect"])
		assert.Equal(t, []any{"sts:AssumeRole"}, trust["actions"])
		assert.Equal(t, []any{map[string]any{"type": "Service", "identifiers": []any{"vpc-flow-logs.amazonaws.com"}}}, trust["principals"])

		conditions := map[string]map[string]any{}
		for _, c := range trust["condition"].([]any) {
			condition := c.(map[string]any)
			conditions[condition["variable"].(string)] = condition
		}
		require.Contains(t, conditions, "aws:SourceAccount")
		assert.Equal(t, "StringEquals", conditions["aws:SourceAccount"]["test"])
		assert.Equal(t, []any{account}, conditions["aws:SourceAccount"]["values"])
		require.Contains(t, conditions, "aws:SourceArn")
		assert.Equal(t, "ArnLike", conditions["aws:SourceArn"]["test"])
		assert.Equal(t, []any{"arn:" + partition + ":ec2:" + regionName + ":" + account + ":vpc-flow-log/*"}, conditions["aws:SourceArn"]["values"])
	})

	t.Run("role policy is scoped to log group", func(t *testing.T) {
		policy := doc.Resource(t, "aws_iam_role_policy", "flow_logs_role_policy")
		assert.Equal(t, ref("aws_iam_role.flow_logs_role", "id"), policy["role"])
		assert.Equal(t, ref("data.aws_iam_policy_document.flow_logs_role_policy_document", "json"), policy["policy"])

		var actions []string
		for _, s := range policyStatements(t, doc, "flow_logs_role_policy_document") {
			assert.Equal(t, "Allow", s["effect"])
			statementActions := stringsOf(s["actions"])
			actions = append(actions, statementActions...)
			for _, a := range statementActions {
				assert.NotContains(t, a, "*", "action %q", a)
			}

			resources := stringsOf(s["resources"])
			require.NotEmpty(t, resources, "statement %v", s["sid"])
			for _, r := range resources {
				assert.NotEqual(t, "*", r)
			}
			if len(statementActions) == 1 && statementActions[0] == "logs:DescribeLogGroups" {
				assert.Equal(t, []string{"arn:" + partition + ":logs:" + regionName + ":" + account + ":log-group:*"}, resources)
				continue
			}
			assert.Equal(t, []string{ref(logGroup, "arn"), ref(logGroup, "arn") + ":log-stream:*"}, resources, "statement %v", s["sid"])
		}
		assert.ElementsMatch(t, []string{"logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams", "logs:DescribeLogGroups"}, actions)
	})

	t.Run("flow log delivers to the log group", func(t *testing.T) {
		flowLog := doc.Resource(t, "aws_flow_log", "flow_logs_flow_log")
		assert.Equal(t, "vpc-0123456789abcdef0", flowLog["vpc_id"])
		assert.Equal(t, "cloud-watch-logs", flowLog["log_destination_type"])
		assert.Equal(t, ref(logGroup, "arn"), flowLog["log_destination"])
		assert.Equal(t, ref("aws_iam_role.flow_logs_role", "arn"), flowLog["iam_role_arn"])
	})

	t.Run("flow log defaults", func(t *testing.T) {
		flowLog := doc.Resource(t, "aws_flow_log", "flow_logs_flow_log")
		assert.Equal(t, "ALL", flowLog["traffic_type"])
		assert.Equal(t, float64(60), flowLog["max_aggregation_interval"])
	})

	t.Run("flow log overrides", func(t *testing.T) {
		flowLog := doc.Resource(t, "aws_flow_log", "rejected_flow_logs_flow_log")
		assert.Equal(t, "REJECT", flowLog["traffic_type"])
		assert.Equal(t, float64(600), flowLog["max_aggregation_interval"])
	})
}

func TestFlowLogsConfigValidate(t *testing.T) {
	require.NoError(t, validFlowLogsConfig().withDefaults().Validate())

	cases := []struct {
		name   string
		modify func(*FlowLogsConfig)
		want   string
	}{
		{"missing name", func(c *FlowLogsConfig) { c.Name = "" }, "FlowLogsConfig.Name is missing"},
		{"name with slash", func(c *FlowLogsConfig) { c.Name = "prod/usw2" }, `FlowLogsConfig.Name: "prod/usw2" is not a valid name prefix`},
		{"long name", func(c *FlowLogsConfig) { c.Name = strings.Repeat("a", 51) }, "is 51 characters long; use at most 50"},
		{"missing VPC ID", func(c *FlowLogsConfig) { c.VPCID = nil }, "FlowLogsConfig.VPCID is missing"},
		{"missing retention", func(c *FlowLogsConfig) { c.RetentionDays = 0 }, "FlowLogsConfig.RetentionDays is missing"},
		{"unsupported retention", func(c *FlowLogsConfig) { c.RetentionDays = 13 }, "FlowLogsConfig.RetentionDays: 13 days is not a retention period"},
		{"negative retention", func(c *FlowLogsConfig) { c.RetentionDays = -1 }, "FlowLogsConfig.RetentionDays: -1 days"},
		{"missing KMS key", func(c *FlowLogsConfig) { c.KMSKeyARN = nil }, "FlowLogsConfig.KMSKeyARN is missing"},
		{"KMS key ID", func(c *FlowLogsConfig) { c.KMSKeyARN = jsii.String("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0") }, "is not a KMS key ARN"},
		{"unknown traffic type", func(c *FlowLogsConfig) { c.TrafficType = "all" }, `FlowLogsConfig.TrafficType: "all" is not a flow log traffic type; use ACCEPT, REJECT, ALL`},
		{"unsupported aggregation interval", func(c *FlowLogsConfig) { c.MaxAggregationInterval = 300 }, "FlowLogsConfig.MaxAggregationInterval: 300 seconds is not supported; use 60 or 600"},
	}

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := validFlowLogsConfig()
			tc.modify(&cfg)
			err := cfg.withDefaults().Validate()
			assert.ErrorContains(t, err, tc.want)
			assert.ErrorContains(t, err, "network: ")
		})
	}
}

func TestFlowLogsConfigDefaults(t *testing.T) {
	cfg := FlowLogsConfig{}.withDefaults()

	assert.Equal(t, "ALL", cfg.TrafficType)
	assert.Equal(t, 60, cfg.MaxAggregationInterval)
}

func TestNewFlowLogsPanicsOnInvalidConfig(t *testing.T) {
	cfg := validFlowLogsConfig()
	cfg.KMSKeyARN = nil

	assertPanicsWithErrorContaining(t, "FlowLogsConfig.KMSKeyARN is missing", func() {
		NewFlowLogs(synthtest.Stack(t), "flow_logs", cfg)
	})
}

// policyStatements returns the statement blocks of the aws_iam_policy_document
// data source with address name.
func policyStatements(t *testing.T, doc synthtest.Document, name string) []map[string]any {
	t.Helper()
	document, ok := doc.DataSources("aws_iam_policy_document")[name]
	require.Truef(t, ok, "data source aws_iam_policy_document.%s not found", name)

	var statements []map[string]any
	for _, s := range document["statement"].([]any) {
		statements = append(statements, s.(map[string]any))
	}
	return statements
}

func stringsOf(value any) []string {
	list, _ := value.([]any)
	out := make([]string, len(list))
	for i, v := range list {
		out[i], _ = v.(string)
	}
	return out
}
