package monitoring

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/honeyhive/platform/internal/synthtest"
)

// synthBothModes synthesizes a high-availability Monitoring under "ha" and
// a single-replica one under "single" in one stack.
func synthBothModes(t *testing.T) synthtest.Document {
	t.Helper()
	stack := synthtest.Stack(t)

	ha := testConfig()
	New(stack, "ha", ha)

	single := testConfig()
	single.Name = "test-usw2"
	single.SecretsPrefix = "test/usw2/"
	single.HighAvailability = false
	single.PrometheusRetentionDays = 7
	single.PrometheusStorageGiB = 50
	New(stack, "single", single)

	return synthtest.Synth(t, stack)
}

func TestPrometheusStackRelease(t *testing.T) {
	doc := synthConfig(t, testConfig())
	release := doc.Resource(t, "helm_release", "monitoring_kube_prometheus_stack")

	assert.Equal(t, "kube-prometheus-stack", release["name"])
	assert.Equal(t, "monitoring", release["namespace"])
	assert.Equal(t, "https://prometheus-community.github.io/helm-charts", release["repository"])
	assert.Equal(t, "kube-prometheus-stack", release["chart"])
	assert.Equal(t, "93.6.1", release["version"])
}

func TestPrometheusStackValues(t *testing.T) {
	doc := synthBothModes(t)

	cases := []struct {
		name                 string
		release              string
		retention            string
		retentionSize        string
		storage              string
		prometheusReplicas   float64
		alertmanagerReplicas float64
		grafanaReplicas      float64
		budgets              bool
	}{
		{"high availability", "ha_kube_prometheus_stack", "30d", "425GB", "500Gi", 2, 3, 2, true},
		{"single replica", "single_kube_prometheus_stack", "7d", "42GB", "50Gi", 1, 1, 1, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			values := synthtest.HelmValues(t, doc.Resource(t, "helm_release", c.release))

			for _, component := range []string{"kubeControllerManager", "kubeScheduler", "kubeEtcd", "kubeProxy"} {
				assert.Equal(t, false, synthtest.ValueAt(values, component+".enabled"), "EKS hides %s from scrapes", component)
			}

			prometheus, ok := synthtest.ValueAt(values, "prometheus.prometheusSpec").(map[string]any)
			require.True(t, ok, "values have prometheus.prometheusSpec")
			assert.Equal(t, c.retention, prometheus["retention"])
			assert.Equal(t, c.retentionSize, prometheus["retentionSize"], "the size limit leaves headroom below the volume")
			assert.Equal(t, c.prometheusReplicas, prometheus["replicas"])
			claim := "storageSpec.volumeClaimTemplate.spec."
			assert.Equal(t, "gp3", synthtest.ValueAt(prometheus, claim+"storageClassName"))
			assert.Equal(t, c.storage, synthtest.ValueAt(prometheus, claim+"resources.requests.storage"))
			assert.Equal(t, []any{"ReadWriteOnce"}, synthtest.ValueAt(prometheus, claim+"accessModes"))
			assert.NotNil(t, synthtest.ValueAt(prometheus, "resources.requests.memory"))
			assert.NotNil(t, synthtest.ValueAt(prometheus, "resources.limits.memory"))
			for _, kind := range []string{"podMonitor", "serviceMonitor", "rule", "probe", "scrapeConfig"} {
				assert.Equalf(t, false, prometheus[kind+"SelectorNilUsesHelmValues"], "%s selector must not require the release label", kind)
				assert.Equalf(t, map[string]any{}, prometheus[kind+"NamespaceSelector"], "%s objects are picked up in every namespace", kind)
			}

			alertmanager, ok := synthtest.ValueAt(values, "alertmanager.alertmanagerSpec").(map[string]any)
			require.True(t, ok, "values have alertmanager.alertmanagerSpec")
			assert.Equal(t, c.alertmanagerReplicas, alertmanager["replicas"])
			assert.Equal(t, "gp3", synthtest.ValueAt(alertmanager, "storage.volumeClaimTemplate.spec.storageClassName"))
			assert.Equal(t, "2Gi", synthtest.ValueAt(alertmanager, "storage.volumeClaimTemplate.spec.resources.requests.storage"))

			assert.Equal(t, c.budgets, synthtest.ValueAt(values, "prometheus.podDisruptionBudget.enabled"))
			assert.Equal(t, c.budgets, synthtest.ValueAt(values, "alertmanager.podDisruptionBudget.enabled"))
			if c.budgets {
				assert.Equal(t, float64(1), synthtest.ValueAt(values, "prometheus.podDisruptionBudget.minAvailable"))
				assert.Equal(t, float64(1), synthtest.ValueAt(values, "alertmanager.podDisruptionBudget.minAvailable"))
				assert.Equal(t, "hard", prometheus["podAntiAffinity"], "replicas on separate nodes")
				assert.Equal(t, "hard", alertmanager["podAntiAffinity"])
			}

			grafana, ok := values["grafana"].(map[string]any)
			require.True(t, ok, "values have grafana")
			assert.Equal(t, c.grafanaReplicas, grafana["replicas"])
			assert.Equal(t, map[string]any{"existingSecret": "grafana-admin", "userKey": "admin-user", "passwordKey": "admin-password"}, grafana["admin"])
			assert.Equal(t, "ClusterIP", synthtest.ValueAt(grafana, "service.type"), "Grafana gets no public service")
			assert.Equal(t, false, synthtest.ValueAt(grafana, "ingress.enabled"))
		})
	}
}

func TestGrafanaPersistenceAndReplicas(t *testing.T) {
	doc := synthBothModes(t)

	single := synthtest.HelmValues(t, doc.Resource(t, "helm_release", "single_kube_prometheus_stack"))["grafana"].(map[string]any)
	assert.Equal(t, true, synthtest.ValueAt(single, "persistence.enabled"))
	assert.Equal(t, "gp3", synthtest.ValueAt(single, "persistence.storageClassName"))
	assert.Equal(t, "10Gi", synthtest.ValueAt(single, "persistence.size"))
	assert.Equal(t, "Recreate", synthtest.ValueAt(single, "deploymentStrategy.type"), "a ReadWriteOnce volume cannot attach to a surge pod on another node")
	assert.Nil(t, single["podDisruptionBudget"], "a budget on one replica would block node drains")

	ha := synthtest.HelmValues(t, doc.Resource(t, "helm_release", "ha_kube_prometheus_stack"))["grafana"].(map[string]any)
	assert.Equal(t, false, synthtest.ValueAt(ha, "persistence.enabled"), "two replicas cannot share a gp3 volume or SQLite file")
	assert.Equal(t, "ClientIP", synthtest.ValueAt(ha, "service.sessionAffinity"), "login sessions live in each replica's own database")
	assert.Equal(t, map[string]any{"minAvailable": float64(1)}, ha["podDisruptionBudget"])
}
