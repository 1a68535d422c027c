package addons

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/honeyhive/platform/internal/synthtest"
)

func TestMetricsServer(t *testing.T) {
	stack := synthtest.Stack(t)
	addon := NewMetricsServer(stack, "metrics_server", MetricsServerConfig{Cluster: testCluster()})
	doc := synthtest.Synth(t, stack)

	release := doc.Resource(t, "helm_release", "metrics_server_release")
	assertRelease(t, release, "metrics-server", "kube-system", "https://kubernetes-sigs.github.io/metrics-server/", "metrics-server", "3.14.0")

	values := synthtest.HelmValues(t, release)
	assert.Equal(t, float64(2), values["replicas"])
	assert.Equal(t, true, synthtest.ValueAt(values, "podDisruptionBudget.enabled"))
	assert.Equal(t, float64(1), synthtest.ValueAt(values, "podDisruptionBudget.minAvailable"))
	assertTolerates(t, values["tolerations"], "metrics-server")

	assert.Nil(t, addon.RoleARN, "metrics-server calls no AWS API")
	assert.Empty(t, doc.Resources("aws_iam_role"))
	assert.Empty(t, doc.Resources("aws_eks_pod_identity_association"))
}

func TestMetricsServerValidate(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(*MetricsServerConfig)
		want   string
	}{
		{"unpinned version", func(c *MetricsServerConfig) { c.ChartVersion = ">=3.14.0" }, `">=3.14.0" is not an exact chart version`},
		{"missing cluster name", func(c *MetricsServerConfig) { c.Cluster.Name = "" }, "MetricsServerConfig.Cluster.Name is empty"},
		{"missing cluster ARN", func(c *MetricsServerConfig) { c.Cluster.ARN = nil }, "MetricsServerConfig.Cluster.ARN is missing"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := MetricsServerConfig{Cluster: testCluster()}
			c.mutate(&cfg)
			assert.ErrorContains(t, cfg.withDefaults().Validate(), c.want)
		})
	}
	assert.NoError(t, MetricsServerConfig{Cluster: testCluster()}.withDefaults().Validate())
}
