package monitoring

import (
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/kmskey"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/honeyhive/platform/internal/synthtest"
)

func TestContainerLogGroup(t *testing.T) {
	stack := synthtest.Stack(t)
	cfg := testConfig()
	cfg.LogsKMSKeyARN = kmskey.NewKmsKey(stack, jsii.String("logs_key"), &kmskey.KmsKeyConfig{}).Arn()
	cfg.LogRetentionDays = 90
	New(stack, "monitoring", cfg)
	doc := synthtest.Synth(t, stack)

	group := doc.Resource(t, "aws_cloudwatch_log_group", "monitoring_container_log_group")
	assert.Equal(t, "/honeyhive/prod-usw2/containers", group["name"])
	assert.Equal(t, "${aws_kms_key.logs_key.arn}", group["kms_key_id"])
	assert.Equal(t, float64(90), group["retention_in_days"])
	assert.Equal(t, map[string]any{"prevent_destroy": true}, group["lifecycle"])
}

func TestFluentBitRelease(t *testing.T) {
	doc := synthConfig(t, testConfig())
	release := doc.Resource(t, "helm_release", "monitoring_fluent_bit")

	assert.Equal(t, "fluent-bit", release["name"])
	assert.Equal(t, "monitoring", release["namespace"])
	assert.Equal(t, "https://fluent.github.io/helm-charts", release["repository"])
	assert.Equal(t, "fluent-bit", release["chart"])
	assert.Equal(t, "0.59.0", release["version"])
	deps := stringList(t, release["depends_on"])
	assert.Contains(t, deps, "aws_cloudwatch_log_group.monitoring_container_log_group", "the output does not create the group")
	assert.Contains(t, deps, "aws_eks_pod_identity_association.monitoring_fluent_bit_pod_identity_association")

	values := synthtest.HelmValues(t, release)
	assert.Equal(t, "DaemonSet", values["kind"])
	assert.Equal(t, "fluent-bit", synthtest.ValueAt(values, "serviceAccount.name"))
	assert.Equal(t, []any{map[string]any{"operator": "Exists"}}, values["tolerations"],
		"a toleration with no key and no effect tolerates every taint")
	assert.Equal(t, "system-node-critical", values["priorityClassName"])

	inputs := fluentBitSections(t, synthtest.ValueAt(values, "config.inputs").(string))
	require.Len(t, inputs, 1)
	assert.Equal(t, "tail", inputs[0]["name"])
	assert.Equal(t, "/var/log/containers/*.log", inputs[0]["path"])
	assert.True(t, strings.HasPrefix(inputs[0]["db"], "/var/lib/fluent-bit/"), "the positions file is on the host-path state volume")
	assert.Equal(t, []any{map[string]any{"name": "state", "hostPath": map[string]any{"path": "/var/lib/fluent-bit", "type": "DirectoryOrCreate"}}}, values["extraVolumes"])
	assert.Equal(t, []any{map[string]any{"name": "state", "mountPath": "/var/lib/fluent-bit"}}, values["extraVolumeMounts"])

	filters := fluentBitSections(t, synthtest.ValueAt(values, "config.filters").(string))
	require.Len(t, filters, 1)
	assert.Equal(t, "kubernetes", filters[0]["name"])

	outputs := fluentBitSections(t, synthtest.ValueAt(values, "config.outputs").(string))
	require.Len(t, outputs, 1)
	output := outputs[0]
	assert.Equal(t, "OUTPUT", output["[kind]"])
	assert.Equal(t, "cloudwatch_logs", output["name"])
	assert.Equal(t, "/honeyhive/prod-usw2/containers", output["log_group_name"])
	assert.Equal(t, "false", output["auto_create_group"], "only Terraform creates the group, with its key and retention")
	assert.Equal(t, "us-west-2", output["region"])
	assert.Empty(t, output["log_retention_days"], "retention belongs to the Terraform-managed group")
}

func TestFluentBitPolicyIsScoped(t *testing.T) {
	doc := synthConfig(t, testConfig())

	statements := policyStatements(t, doc, "monitoring_fluent_bit_pod_identity_policy")
	assertNoWildcards(t, statements, nil)
	require.Len(t, statements, 1)

	write := statements["WriteContainerLogs"]
	require.NotNil(t, write)
	assert.ElementsMatch(t, []string{"logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"}, stringList(t, write["Action"]))
	assert.Equal(t, []string{testLogGroupARN, testLogGroupARN + ":*"}, stringList(t, write["Resource"]))
	for _, resource := range stringList(t, write["Resource"]) {
		assert.Truef(t, strings.HasPrefix(resource, testLogGroupARN), "%s is outside the container log group", resource)
	}
	assert.NotContains(t, stringList(t, write["Action"]), "logs:CreateLogGroup", "auto_create_group is false")
	assert.NotContains(t, stringList(t, write["Action"]), "logs:DescribeLogGroups", "unscoped, and not needed for an existing group")

	role := doc.Resource(t, "aws_iam_role", "monitoring_fluent_bit_pod_identity_role")
	assert.Equal(t, "prod-usw2-fluent-bit", role["name"])
	association := doc.Resource(t, "aws_eks_pod_identity_association", "monitoring_fluent_bit_pod_identity_association")
	assert.Equal(t, "monitoring", association["namespace"])
	assert.Equal(t, "fluent-bit", association["service_account"])
}
