package monitoring

import (
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/kmskey"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/honeyhive/platform/internal/synthtest"
)

func TestOTelCollectorRelease(t *testing.T) {
	doc := synthConfig(t, testConfig())
	release := doc.Resource(t, "helm_release", "monitoring_otel_collector")

	assert.Equal(t, "otel-collector", release["name"])
	assert.Equal(t, "monitoring", release["namespace"])
	assert.Equal(t, "https://open-telemetry.github.io/opentelemetry-helm-charts", release["repository"])
	assert.Equal(t, "opentelemetry-collector", release["chart"])
	assert.Equal(t, "0.182.0", release["version"])
	assert.Contains(t, stringList(t, release["depends_on"]), "aws_eks_pod_identity_association.monitoring_otel_collector_pod_identity_association")
	assert.Contains(t, stringList(t, release["depends_on"]), "aws_xray_encryption_config.monitoring_xray_encryption",
		"no trace is written before X-Ray encrypts with the traces key")

	values := synthtest.HelmValues(t, release)
	assert.Equal(t, "deployment", values["mode"])
	assert.Equal(t, "otel-collector", values["fullnameOverride"], "the Service name the OTLP endpoints use")
	assert.Equal(t, "ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-contrib", synthtest.ValueAt(values, "image.repository"))
	assert.Equal(t, "0.165.0", synthtest.ValueAt(values, "image.tag"))
	assert.Equal(t, "otelcol-contrib", synthtest.ValueAt(values, "command.name"))
	assert.Equal(t, "otel-collector", synthtest.ValueAt(values, "serviceAccount.name"))

	// Terraform turns "$${" back into "${", so the collector receives its own
	// environment reference.
	assert.Equal(t, "$${env:MY_POD_IP}:4317", synthtest.ValueAt(values, "config.receivers.otlp.protocols.grpc.endpoint"))
	assert.Equal(t, "$${env:MY_POD_IP}:4318", synthtest.ValueAt(values, "config.receivers.otlp.protocols.http.endpoint"))
	for _, receiver := range []string{"jaeger", "zipkin", "prometheus"} {
		assert.Truef(t, hasNull(values, "config.receivers", receiver), "the chart's default %s receiver is removed", receiver)
	}
	assert.Equal(t, true, synthtest.ValueAt(values, "ports.otlp.enabled"))
	assert.Equal(t, true, synthtest.ValueAt(values, "ports.otlp-http.enabled"))
	for _, port := range []string{"jaeger-compact", "jaeger-thrift", "jaeger-grpc", "zipkin"} {
		assert.Equalf(t, false, synthtest.ValueAt(values, "ports."+port+".enabled"), "port %s", port)
	}

	assert.NotNil(t, synthtest.ValueAt(values, "config.processors.memory_limiter.limit_percentage"))
	assert.NotNil(t, synthtest.ValueAt(values, "config.processors.batch"))
	assert.Equal(t, map[string]any{"region": "us-west-2"}, synthtest.ValueAt(values, "config.exporters.awsxray"))
	assert.True(t, hasNull(values, "config.exporters", "debug"), "the chart's default debug exporter is removed")

	assert.Equal(t, map[string]any{
		"receivers":  []any{"otlp"},
		"processors": []any{"memory_limiter", "batch"},
		"exporters":  []any{"awsxray"},
	}, synthtest.ValueAt(values, "config.service.pipelines.traces"))
	assert.True(t, hasNull(values, "config.service.pipelines", "metrics"), "the default metrics pipeline is removed")
	assert.True(t, hasNull(values, "config.service.pipelines", "logs"), "the default logs pipeline is removed")

	assert.Equal(t, map[string]any{
		"enabled":                        true,
		"minReplicas":                    float64(2),
		"maxReplicas":                    float64(10),
		"targetCPUUtilizationPercentage": float64(70),
	}, values["autoscaling"])
	assert.NotNil(t, synthtest.ValueAt(values, "resources.requests.cpu"), "the autoscaler measures CPU against the request")
	assert.NotNil(t, synthtest.ValueAt(values, "resources.limits.memory"), "memory_limiter takes its percentages of the limit")
	assert.Equal(t, map[string]any{"enabled": true, "minAvailable": float64(1)}, values["podDisruptionBudget"])
}

func TestOTelCollectorPolicy(t *testing.T) {
	stack := synthtest.Stack(t)
	cfg := testConfig()
	cfg.TracesKMSKeyARN = kmskey.NewKmsKey(stack, jsii.String("traces_key"), &kmskey.KmsKeyConfig{}).Arn()
	New(stack, "monitoring", cfg)
	doc := synthtest.Synth(t, stack)

	statements := policyStatements(t, doc, "monitoring_otel_collector_pod_identity_policy")
	require.Len(t, statements, 2)

	// X-Ray defines no resource types for these actions, so IAM accepts
	// them only on "*". They are the only grant on "*".
	xrayOnStar := []string{
		"xray:PutTraceSegments",
		"xray:PutTelemetryRecords",
		"xray:GetSamplingRules",
		"xray:GetSamplingTargets",
		"xray:GetSamplingStatisticSummaries",
	}
	assertNoWildcards(t, statements, map[string][]string{"WriteTracesToXRay": xrayOnStar})

	xray := statements["WriteTracesToXRay"]
	require.NotNil(t, xray)
	assert.ElementsMatch(t, xrayOnStar, stringList(t, xray["Action"]))
	assert.Equal(t, []string{"*"}, stringList(t, xray["Resource"]))

	kms := statements["EncryptTracesWithKey"]
	require.NotNil(t, kms)
	assert.ElementsMatch(t, []string{"kms:GenerateDataKey", "kms:Decrypt"}, stringList(t, kms["Action"]))
	assert.Equal(t, []string{"${aws_kms_key.traces_key.arn}"}, stringList(t, kms["Resource"]), "exactly the traces key")
	assert.Equal(t, map[string]any{
		"StringEquals": map[string]any{"kms:ViaService": []any{"xray.us-west-2.amazonaws.com"}},
	}, kms["Condition"])

	role := doc.Resource(t, "aws_iam_role", "monitoring_otel_collector_pod_identity_role")
	assert.Equal(t, "prod-usw2-otel-collector", role["name"])
	association := doc.Resource(t, "aws_eks_pod_identity_association", "monitoring_otel_collector_pod_identity_association")
	assert.Equal(t, "monitoring", association["namespace"])
	assert.Equal(t, "otel-collector", association["service_account"])

	encryption := doc.Resource(t, "aws_xray_encryption_config", "monitoring_xray_encryption")
	assert.Equal(t, "KMS", encryption["type"])
	assert.Equal(t, "${aws_kms_key.traces_key.arn}", encryption["key_id"])
}
