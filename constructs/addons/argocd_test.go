package addons

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/honeyhive/platform/internal/synthtest"
)

func TestArgoCD(t *testing.T) {
	stack := synthtest.Stack(t)
	single := NewArgoCD(stack, "argocd", ArgoCDConfig{Cluster: testCluster()})
	NewArgoCD(stack, "argocd_ha", ArgoCDConfig{Cluster: testCluster(), HighAvailability: true})
	doc := synthtest.Synth(t, stack)

	assert.Nil(t, single.RoleARN, "Argo CD calls no AWS API")
	assert.Equal(t, "argocd", single.Namespace)
	assert.Empty(t, doc.Resources("aws_iam_role"))

	for _, id := range []string{"argocd", "argocd_ha"} {
		t.Run(id+" common", func(t *testing.T) {
			release := doc.Resource(t, "helm_release", id+"_release")
			assertRelease(t, release, "argocd", "argocd", "https://argoproj.github.io/argo-helm", "argo-cd", "10.4.0")

			values := synthtest.HelmValues(t, release)
			assert.Equal(t, false, synthtest.ValueAt(values, "dex.enabled"))
			assert.Equal(t, "ClusterIP", synthtest.ValueAt(values, "server.service.type"))
			assert.Equal(t, float64(1), synthtest.ValueAt(values, "controller.replicas"))
			assertTolerates(t, synthtest.ValueAt(values, "global.tolerations"), "argo cd")
		})
	}

	t.Run("single replica", func(t *testing.T) {
		values := synthtest.HelmValues(t, doc.Resource(t, "helm_release", "argocd_release"))
		assert.Equal(t, false, synthtest.ValueAt(values, "redis-ha.enabled"))
		assert.Equal(t, false, synthtest.ValueAt(values, "server.autoscaling.enabled"))
		assert.Equal(t, true, synthtest.ValueAt(values, "repoServer.autoscaling.enabled"), "the repo server scales in every tier")
		assert.Equal(t, float64(1), synthtest.ValueAt(values, "repoServer.autoscaling.minReplicas"))
		assert.Equal(t, float64(1), synthtest.ValueAt(values, "server.replicas"))
		assert.Equal(t, float64(1), synthtest.ValueAt(values, "applicationSet.replicas"))
	})

	t.Run("high availability", func(t *testing.T) {
		values := synthtest.HelmValues(t, doc.Resource(t, "helm_release", "argocd_ha_release"))
		assert.Equal(t, true, synthtest.ValueAt(values, "redis-ha.enabled"))
		assertTolerates(t, synthtest.ValueAt(values, "redis-ha.tolerations"), "redis-ha")
		assertTolerates(t, synthtest.ValueAt(values, "redis-ha.haproxy.tolerations"), "redis-ha haproxy")
		for _, component := range []string{"server", "repoServer"} {
			assert.Equal(t, true, synthtest.ValueAt(values, component+".autoscaling.enabled"), component)
			assert.Equal(t, float64(2), synthtest.ValueAt(values, component+".autoscaling.minReplicas"), component)
			assert.Equal(t, true, synthtest.ValueAt(values, component+".pdb.enabled"), component)
			assert.Nil(t, synthtest.ValueAt(values, component+".replicas"), "%s: the autoscaler owns the replica count", component)
		}
		assert.Equal(t, float64(2), synthtest.ValueAt(values, "applicationSet.replicas"))
		assert.Equal(t, true, synthtest.ValueAt(values, "applicationSet.pdb.enabled"))
	})
}

func TestArgoCDValidate(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(*ArgoCDConfig)
		want   string
	}{
		{"unpinned version", func(c *ArgoCDConfig) { c.ChartVersion = "10" }, `"10" is not an exact chart version`},
		{"missing cluster name token", func(c *ArgoCDConfig) { c.Cluster.NameToken = nil }, "ArgoCDConfig.Cluster.NameToken is missing"},
		{"bad partition", func(c *ArgoCDConfig) { c.Cluster.Partition = "gcp" }, `"gcp" is not supported`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := ArgoCDConfig{Cluster: testCluster()}
			c.mutate(&cfg)
			assert.ErrorContains(t, cfg.withDefaults().Validate(), c.want)
		})
	}
	assert.NoError(t, ArgoCDConfig{Cluster: testCluster(), HighAvailability: true}.withDefaults().Validate())
}
