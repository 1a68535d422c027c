package addons

import (
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/stretchr/testify/assert"

	"github.com/honeyhive/platform/internal/synthtest"
)

func TestExternalDNS(t *testing.T) {
	stack := synthtest.Stack(t)
	zone := testZone(stack)
	NewExternalDNS(stack, "external_dns", ExternalDNSConfig{
		Cluster:       testCluster(),
		ZoneIDs:       []*string{zone.ZoneId(), jsii.String("Z0123456789ABC")},
		DomainFilters: []string{"usw2.prod.honeyhive.ai"},
	})
	doc := synthtest.Synth(t, stack)

	release := doc.Resource(t, "helm_release", "external_dns_release")
	assertRelease(t, release, "external-dns", "external-dns", "https://kubernetes-sigs.github.io/external-dns/", "external-dns", "1.21.1")

	values := synthtest.HelmValues(t, release)
	assert.Equal(t, "aws", synthtest.ValueAt(values, "provider.name"))
	assert.Equal(t, "upsert-only", values["policy"])
	assert.Equal(t, "txt", values["registry"])
	assert.Equal(t, "prod-usw2", values["txtOwnerId"])
	assert.Equal(t, []any{"usw2.prod.honeyhive.ai"}, values["domainFilters"])
	assert.Equal(t, []any{
		"--zone-id-filter=${aws_route53_zone.zone.zone_id}",
		"--zone-id-filter=Z0123456789ABC",
	}, values["extraArgs"])
	assert.Contains(t, values["env"], map[string]any{"name": "AWS_REGION", "value": "us-west-2"})
	assert.Equal(t, "external-dns", synthtest.ValueAt(values, "serviceAccount.name"))
	assertTolerates(t, values["tolerations"], "external-dns")

	assertAssociation(t, doc, "external_dns", "external-dns", "external-dns")
	assert.Equal(t, "prod-usw2-external-dns", doc.Resource(t, "aws_iam_role", "external_dns_pod_identity_role")["name"])
}

func TestExternalDNSPolicyIsScoped(t *testing.T) {
	stack := synthtest.Stack(t)
	zone := testZone(stack)
	NewExternalDNS(stack, "external_dns", ExternalDNSConfig{
		Cluster:       testCluster(),
		ZoneIDs:       []*string{zone.ZoneId(), jsii.String("Z0123456789ABC")},
		DomainFilters: []string{"usw2.prod.honeyhive.ai"},
	})
	statements := policyStatements(t, synthtest.Synth(t, stack), "external_dns_pod_identity_policy")

	assertLeastPrivilege(t, statements, []string{"route53:ListHostedZones"})

	changes := statements["ChangeRecordsInZones"]
	assert.Equal(t, []string{
		"arn:aws:route53:::hostedzone/${aws_route53_zone.zone.zone_id}",
		"arn:aws:route53:::hostedzone/Z0123456789ABC",
	}, stringList(t, changes["Resource"]))
	assert.Contains(t, stringList(t, changes["Action"]), "route53:ChangeResourceRecordSets")
	assert.Contains(t, stringList(t, changes["Action"]), "route53:ListResourceRecordSets")

	assert.Equal(t, []string{"route53:ListHostedZones"}, stringList(t, statements["ListHostedZones"]["Action"]))
	assert.Len(t, statements, 2)
}

func TestExternalDNSValidate(t *testing.T) {
	valid := func() ExternalDNSConfig {
		return ExternalDNSConfig{
			Cluster:       testCluster(),
			ZoneIDs:       []*string{jsii.String("Z0123456789ABC")},
			DomainFilters: []string{"usw2.prod.honeyhive.ai"},
		}
	}
	cases := []struct {
		name   string
		mutate func(*ExternalDNSConfig)
		want   string
	}{
		{"missing zones", func(c *ExternalDNSConfig) { c.ZoneIDs = nil }, "ExternalDNSConfig.ZoneIDs is empty"},
		{"nil zone", func(c *ExternalDNSConfig) { c.ZoneIDs = append(c.ZoneIDs, nil) }, "ZoneIDs[1] is missing"},
		{"zone with prefix", func(c *ExternalDNSConfig) { c.ZoneIDs = []*string{jsii.String("/hostedzone/Z0123456789ABC")} }, `"/hostedzone/Z0123456789ABC" is not a Route 53 hosted zone ID`},
		{"duplicate zone", func(c *ExternalDNSConfig) { c.ZoneIDs = append(c.ZoneIDs, jsii.String("Z0123456789ABC")) }, "is listed twice"},
		{"missing domain filters", func(c *ExternalDNSConfig) { c.DomainFilters = nil }, "DomainFilters is empty"},
		{"trailing dot", func(c *ExternalDNSConfig) { c.DomainFilters = []string{"prod.honeyhive.ai."} }, `"prod.honeyhive.ai." ends with a dot`},
		{"uppercase domain", func(c *ExternalDNSConfig) { c.DomainFilters = []string{"Prod.honeyhive.ai"} }, "is not a lowercase domain name"},
		{"unpinned version", func(c *ExternalDNSConfig) { c.ChartVersion = "1.21" }, `"1.21" is not an exact chart version`},
		{"missing cluster account", func(c *ExternalDNSConfig) { c.Cluster.AccountID = "" }, "Cluster.AccountID"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := valid()
			c.mutate(&cfg)
			assert.ErrorContains(t, cfg.withDefaults().Validate(), c.want)
		})
	}
	assert.NoError(t, valid().withDefaults().Validate())
}
