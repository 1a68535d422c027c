package addons

import (
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/stretchr/testify/assert"

	"github.com/honeyhive/platform/internal/synthtest"
)

func TestCertManager(t *testing.T) {
	stack := synthtest.Stack(t)
	addon := NewCertManager(stack, "cert_manager", CertManagerConfig{
		Cluster: testCluster(),
		ZoneIDs: []*string{jsii.String("Z0123456789ABC")},
	})
	doc := synthtest.Synth(t, stack)

	release := doc.Resource(t, "helm_release", "cert_manager_release")
	assertRelease(t, release, "cert-manager", "cert-manager", "https://charts.jetstack.io", "cert-manager", "v1.20.4")

	values := synthtest.HelmValues(t, release)
	assert.Equal(t, true, synthtest.ValueAt(values, "crds.enabled"), "CRDs are chart templates, so they upgrade with the chart")
	assert.Equal(t, true, synthtest.ValueAt(values, "crds.keep"))
	assert.Equal(t, "cert-manager", synthtest.ValueAt(values, "serviceAccount.name"))
	assert.Equal(t, float64(2), values["replicaCount"])
	assert.Equal(t, true, synthtest.ValueAt(values, "podDisruptionBudget.enabled"))
	assert.Equal(t, float64(2), synthtest.ValueAt(values, "webhook.replicaCount"))
	assert.Contains(t, values["extraEnv"], map[string]any{"name": "AWS_REGION", "value": "us-west-2"})
	for _, component := range []string{"", "webhook.", "cainjector.", "startupapicheck."} {
		assertTolerates(t, synthtest.ValueAt(values, component+"tolerations"), "cert-manager "+component)
	}

	assertAssociation(t, doc, "cert_manager", "cert-manager", "cert-manager")
	assert.Equal(t, "cert-manager", addon.Namespace)
	assert.Equal(t, "cert-manager", addon.ServiceAccount)
}

func TestCertManagerPolicyIsScoped(t *testing.T) {
	stack := synthtest.Stack(t)
	NewCertManager(stack, "cert_manager", CertManagerConfig{
		Cluster: testCluster(),
		ZoneIDs: []*string{jsii.String("Z0123456789ABC"), jsii.String("Z0ABCDEF")},
	})
	statements := policyStatements(t, synthtest.Synth(t, stack), "cert_manager_pod_identity_policy")

	assertLeastPrivilege(t, statements, []string{"route53:ListHostedZonesByName"})

	assert.Equal(t, []string{"route53:GetChange"}, stringList(t, statements["GetChangeStatus"]["Action"]))
	assert.Equal(t, []string{"arn:aws:route53:::change/*"}, stringList(t, statements["GetChangeStatus"]["Resource"]))

	records := statements["ChangeChallengeRecords"]
	assert.ElementsMatch(t, []string{"route53:ChangeResourceRecordSets", "route53:ListResourceRecordSets"}, stringList(t, records["Action"]))
	assert.Equal(t, []string{
		"arn:aws:route53:::hostedzone/Z0123456789ABC",
		"arn:aws:route53:::hostedzone/Z0ABCDEF",
	}, stringList(t, records["Resource"]))

	assert.Equal(t, []string{"*"}, stringList(t, statements["FindHostedZones"]["Resource"]))
}

func TestCertManagerValidate(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(*CertManagerConfig)
		want   string
	}{
		{"missing zones", func(c *CertManagerConfig) { c.ZoneIDs = nil }, "CertManagerConfig.ZoneIDs is empty"},
		{"lowercase zone", func(c *CertManagerConfig) { c.ZoneIDs = []*string{jsii.String("z0123")} }, `"z0123" is not a Route 53 hosted zone ID`},
		{"unpinned version", func(c *CertManagerConfig) { c.ChartVersion = "~v1.20.0" }, `"~v1.20.0" is not an exact chart version`},
		{"missing cluster ARN", func(c *CertManagerConfig) { c.Cluster.ARN = jsii.String("") }, "CertManagerConfig.Cluster.ARN is missing"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := CertManagerConfig{Cluster: testCluster(), ZoneIDs: []*string{jsii.String("Z0123456789ABC")}}
			c.mutate(&cfg)
			assert.ErrorContains(t, cfg.withDefaults().Validate(), c.want)
		})
	}
	assert.NoError(t, CertManagerConfig{Cluster: testCluster(), ZoneIDs: []*string{jsii.String("Z0123456789ABC")}}.withDefaults().Validate())
}
