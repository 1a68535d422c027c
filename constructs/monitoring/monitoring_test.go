package monitoring

import (
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/kmskey"
	"github.com/cdktf/cdktf-provider-helm-go/helm/v10/release"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/honeyhive/platform/internal/synthtest"
)

func TestReleaseOrdering(t *testing.T) {
	stack := synthtest.Stack(t)
	cfg := testConfig()
	nodes := kmskey.NewKmsKey(stack, jsii.String("system_nodes_stand_in"), &kmskey.KmsKeyConfig{})
	cfg.Cluster.DependsOn = []cdktf.ITerraformDependable{nodes}
	m := New(stack, "monitoring", cfg)
	doc := synthtest.Synth(t, stack)

	const base = "helm_release.monitoring_base_release"
	const clusterReady = "aws_kms_key.system_nodes_stand_in"

	baseRelease := doc.Resource(t, "helm_release", "monitoring_base_release")
	assert.Contains(t, stringList(t, baseRelease["depends_on"]), clusterReady)

	for _, name := range []string{"monitoring_kube_prometheus_stack", "monitoring_fluent_bit", "monitoring_otel_collector"} {
		deps := stringList(t, doc.Resource(t, "helm_release", name)["depends_on"])
		assert.Containsf(t, deps, base, "%s installs after the namespace and Grafana's Secret exist", name)
		assert.Containsf(t, deps, clusterReady, "%s waits for the cluster's dependencies", name)
	}

	paths := make([]string, 0, len(m.Releases))
	for _, r := range m.Releases {
		hr, ok := r.(release.Release)
		require.True(t, ok, "every entry is a helm_release")
		paths = append(paths, *hr.Node().Path())
	}
	assert.Equal(t, []string{
		"test/monitoring/base/release",
		"test/monitoring/kube_prometheus_stack",
		"test/monitoring/fluent_bit",
		"test/monitoring/otel_collector",
	}, paths, "base release first")
}

func TestMonitoringOutputs(t *testing.T) {
	stack := synthtest.Stack(t)
	m := New(stack, "monitoring", testConfig())

	assert.Equal(t, "monitoring", m.Namespace)
	assert.Equal(t, "otel-collector.monitoring.svc.cluster.local:4317", m.OTLPGRPCEndpoint)
	assert.Equal(t, "http://otel-collector.monitoring.svc.cluster.local:4318", m.OTLPHTTPEndpoint)
	assert.Equal(t, "/honeyhive/prod-usw2/containers", m.ContainerLogGroupName)

	cdktf.NewTerraformOutput(stack, jsii.String("grafana_admin_secret_arn"), &cdktf.TerraformOutputConfig{Value: m.GrafanaAdminSecretARN})
	doc := synthtest.Synth(t, stack)
	assert.Equal(t, "${aws_secretsmanager_secret.monitoring_grafana_admin_secret.arn}", doc.Outputs()["grafana_admin_secret_arn"]["value"])
}
