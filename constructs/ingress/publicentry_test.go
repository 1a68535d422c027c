package ingress

import (
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"sigs.k8s.io/yaml"

	"github.com/honeyhive/platform/constructs/helmrelease"
	"github.com/honeyhive/platform/constructs/tenancy"
	"github.com/honeyhive/platform/internal/synthtest"
)

const validatedCertificateARN = "${aws_acm_certificate_validation.public_entry_certificate_validation.certificate_arn}"

func validConfig() PublicEntryConfig {
	return PublicEntryConfig{
		Domain:     "prod.honeyhive.ai",
		RegionCode: "usw2",
		Name:       "prod-usw2",
	}
}

// synthEntry builds a public entry from validConfig, with a stand-in load
// balancer controller release as its dependency, and synthesizes it. The
// entry's token outputs become stack outputs so that tests can read them.
func synthEntry(t *testing.T) (*PublicEntry, synthtest.Document) {
	t.Helper()
	stack := synthtest.Stack(t)
	controller := helmrelease.New(stack, "load_balancer_controller", helmrelease.Config{
		Name:       "aws-load-balancer-controller",
		Namespace:  "kube-system",
		Repository: "https://aws.github.io/eks-charts",
		Chart:      "aws-load-balancer-controller",
		Version:    "1.14.1",
	})

	cfg := validConfig()
	cfg.DependsOn = []cdktf.ITerraformDependable{controller}
	entry := NewPublicEntry(stack, "public_entry", cfg)
	cdktf.NewTerraformOutput(stack, jsii.String("certificate_arn"), &cdktf.TerraformOutputConfig{Value: entry.CertificateARN})
	cdktf.NewTerraformOutput(stack, jsii.String("zone_id"), &cdktf.TerraformOutputConfig{Value: entry.ZoneID})
	return entry, synthtest.Synth(t, stack)
}

func TestPublicEntryZoneLookup(t *testing.T) {
	_, doc := synthEntry(t)

	zones := doc.DataSources("aws_route53_zone")
	require.Contains(t, zones, "public_entry_public_zone")
	zone := zones["public_entry_public_zone"]
	assert.Equal(t, "prod.honeyhive.ai", zone["name"])
	assert.Equal(t, false, zone["private_zone"], "the public zone, not a private zone of the same name")
	assert.Empty(t, doc.Resources("aws_route53_zone"), "the account-wide stack owns the zone")

	assert.Equal(t, "${data.aws_route53_zone.public_entry_public_zone.zone_id}", doc.Outputs()["zone_id"]["value"])
}

func TestPublicEntryCertificate(t *testing.T) {
	entry, doc := synthEntry(t)

	certificate := doc.Resource(t, "aws_acm_certificate", "public_entry_certificate")
	assert.Equal(t, "*.prod.honeyhive.ai", certificate["domain_name"])
	assert.Equal(t, []any{"*.usw2.prod.honeyhive.ai"}, certificate["subject_alternative_names"])
	assert.Equal(t, "DNS", certificate["validation_method"])
	assert.Equal(t, "EC_prime256v1", certificate["key_algorithm"])
	assert.Equal(t, map[string]any{"create_before_destroy": true}, certificate["lifecycle"])
	assert.Equal(t, map[string]any{"Name": "prod-usw2-public"}, certificate["tags"])

	assert.Equal(t, []string{"*.prod.honeyhive.ai", "*.usw2.prod.honeyhive.ai"}, entry.Hostnames)
	assert.Equal(t, "public", entry.IngressClassName)
	assert.Equal(t, "prod-usw2-public", entry.GroupName)
}

func TestPublicEntryValidationWiring(t *testing.T) {
	_, doc := synthEntry(t)

	records := doc.Resources("aws_route53_record")
	require.Len(t, records, 1, "one for_each resource writes every validation record")
	record := doc.Resource(t, "aws_route53_record", "public_entry_certificate_validation_record")
	assert.Equal(t,
		"${{ for key, val in tolist(aws_acm_certificate.public_entry_certificate.domain_validation_options): val.domain_name => val }}",
		record["for_each"], "one record per validation option, keyed by domain name")
	assert.Equal(t, "${each.value.resource_record_name}", record["name"])
	assert.Equal(t, "${each.value.resource_record_type}", record["type"])
	assert.Equal(t, []any{"${each.value.resource_record_value}"}, record["records"])
	assert.Equal(t, "${data.aws_route53_zone.public_entry_public_zone.zone_id}", record["zone_id"])
	assert.Equal(t, true, record["allow_overwrite"])
	assert.Equal(t, float64(60), record["ttl"])

	validation := doc.Resource(t, "aws_acm_certificate_validation", "public_entry_certificate_validation")
	assert.Equal(t, "${aws_acm_certificate.public_entry_certificate.arn}", validation["certificate_arn"])
	assert.Equal(t,
		"${[ for key, val in aws_route53_record.public_entry_certificate_validation_record: val.fqdn]}",
		validation["validation_record_fqdns"], "validation waits for every record")

	assert.Equal(t, validatedCertificateARN, doc.Outputs()["certificate_arn"]["value"],
		"users of the ARN wait until the certificate is issued")
}

func TestPublicEntryManifests(t *testing.T) {
	_, doc := synthEntry(t)

	release := doc.Resource(t, "helm_release", "public_entry_ingress_class_release")
	assert.Equal(t, "public-ingress-class", release["name"])
	assert.Equal(t, "kube-system", release["namespace"])
	assert.Contains(t, release["depends_on"], "helm_release.load_balancer_controller",
		"the release waits for the controller and its IngressClassParams CRD")

	manifests := releaseManifests(t, release)
	require.Len(t, manifests, 2)

	t.Run("IngressClassParams", func(t *testing.T) {
		params := manifestOfKind(t, manifests, "IngressClassParams")
		assert.Equal(t, "elbv2.k8s.aws/v1beta1", params["apiVersion"])
		assert.Equal(t, map[string]any{"name": "public"}, params["metadata"])

		spec := params["spec"].(map[string]any)
		assert.Equal(t, "ELBSecurityPolicy-TLS13-1-3-2021-06", spec["sslPolicy"], "TLS 1.3 only")
		assert.Equal(t, []any{validatedCertificateARN}, spec["certificateArn"], "a list holding the validated certificate")
		assert.Equal(t, "internet-facing", spec["scheme"])
		assert.Equal(t, map[string]any{"name": "prod-usw2-public"}, spec["group"])
		assert.Equal(t, "ipv4", spec["ipAddressType"])
		assert.ElementsMatch(t, []any{
			map[string]any{"key": "deletion_protection.enabled", "value": "true"},
			map[string]any{"key": "routing.http.drop_invalid_header_fields.enabled", "value": "true"},
		}, spec["loadBalancerAttributes"])
		assert.Equal(t, []any{map[string]any{"key": "Name", "value": "prod-usw2-public"}}, spec["tags"])
		assert.Equal(t, map[string]any{
			"matchExpressions": []any{map[string]any{"key": "platform.honeyhive.ai/tenant", "operator": "Exists"}},
		}, spec["namespaceSelector"], "only namespaces with the tenant label may use the class")
	})

	t.Run("IngressClass", func(t *testing.T) {
		class := manifestOfKind(t, manifests, "IngressClass")
		assert.Equal(t, "networking.k8s.io/v1", class["apiVersion"])
		assert.Equal(t, map[string]any{"name": "public"}, class["metadata"])
		assert.Equal(t, map[string]any{
			"controller": "ingress.k8s.aws/alb",
			"parameters": map[string]any{"apiGroup": "elbv2.k8s.aws", "kind": "IngressClassParams", "name": "public"},
		}, class["spec"])
	})
}

func TestPublicEntryIngressAnnotations(t *testing.T) {
	stack := synthtest.Stack(t)
	entry := NewPublicEntry(stack, "public_entry", validConfig())

	assert.Equal(t, map[string]string{
		"alb.ingress.kubernetes.io/listen-ports": `[{"HTTP":80},{"HTTPS":443}]`,
		"alb.ingress.kubernetes.io/ssl-redirect": "443",
	}, entry.IngressAnnotations)
}

func TestPublicEntryCustomPolicy(t *testing.T) {
	stack := synthtest.Stack(t)
	cfg := validConfig()
	cfg.SSLPolicy = "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04"
	NewPublicEntry(stack, "public_entry", cfg)
	doc := synthtest.Synth(t, stack)

	manifests := releaseManifests(t, doc.Resource(t, "helm_release", "public_entry_ingress_class_release"))
	spec := manifestOfKind(t, manifests, "IngressClassParams")["spec"].(map[string]any)
	assert.Equal(t, "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04", spec["sslPolicy"])
}

func TestPublicEntryCustomNamespaceLabel(t *testing.T) {
	stack := synthtest.Stack(t)
	cfg := validConfig()
	cfg.NamespaceSelectorLabel = "example.com/public-ingress"
	NewPublicEntry(stack, "public_entry", cfg)
	doc := synthtest.Synth(t, stack)

	manifests := releaseManifests(t, doc.Resource(t, "helm_release", "public_entry_ingress_class_release"))
	spec := manifestOfKind(t, manifests, "IngressClassParams")["spec"].(map[string]any)
	assert.Equal(t, map[string]any{
		"matchExpressions": []any{map[string]any{"key": "example.com/public-ingress", "operator": "Exists"}},
	}, spec["namespaceSelector"])
}

func TestDefaultNamespaceLabelIsTenantLabel(t *testing.T) {
	assert.Equal(t, tenancy.TenantLabel, DefaultNamespaceSelectorLabel,
		"the class admits the namespaces the tenancy package labels")
}

func TestPublicEntryConfigValidate(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(*PublicEntryConfig)
		want   string
	}{
		{"empty domain", func(c *PublicEntryConfig) { c.Domain = "" }, "PublicEntryConfig.Domain is empty"},
		{"single label domain", func(c *PublicEntryConfig) { c.Domain = "honeyhive" }, `"honeyhive" is a single label`},
		{"trailing dot", func(c *PublicEntryConfig) { c.Domain = "prod.honeyhive.ai." }, "has an empty label at position 3"},
		{"uppercase domain", func(c *PublicEntryConfig) { c.Domain = "Prod.honeyhive.ai" }, `label "Prod" of "Prod.honeyhive.ai" is invalid`},
		{"long domain label", func(c *PublicEntryConfig) { c.Domain = strings.Repeat("a", 64) + ".ai" }, "is 64 characters; shorten it to at most 63"},
		{"long domain", func(c *PublicEntryConfig) { c.Domain = longDomain(252) }, "so that \"*." + longDomain(252) + "\" fits"},
		{"empty region code", func(c *PublicEntryConfig) { c.RegionCode = "" }, "PublicEntryConfig.RegionCode is empty"},
		{"region name as code", func(c *PublicEntryConfig) { c.RegionCode = "us.west.2" }, `"us.west.2" is not a DNS label`},
		{"regional name too long", func(c *PublicEntryConfig) { c.Domain = longDomain(250) }, "longer than 253 characters; shorten the domain or the region code"},
		{"empty name", func(c *PublicEntryConfig) { c.Name = "" }, "PublicEntryConfig.Name is empty"},
		{"name with underscore", func(c *PublicEntryConfig) { c.Name = "prod_usw2" }, `"prod_usw2" is invalid`},
		{"long name", func(c *PublicEntryConfig) { c.Name = strings.Repeat("a", 57) }, "IngressGroup name"},
		{"TLS 1.2 policy", func(c *PublicEntryConfig) { c.SSLPolicy = "ELBSecurityPolicy-TLS13-1-2-2021-06" }, `"ELBSecurityPolicy-TLS13-1-2-2021-06" does not restrict clients to TLS 1.3`},
		{"policy prefix only", func(c *PublicEntryConfig) { c.SSLPolicy = "ELBSecurityPolicy-TLS13-1-3-" }, "does not restrict clients to TLS 1.3"},
		{"label with space", func(c *PublicEntryConfig) { c.NamespaceSelectorLabel = "platform tenant" }, `ingress: PublicEntryConfig.NamespaceSelectorLabel: "platform tenant" is not a Kubernetes label key; use an optional DNS subdomain prefix and a slash, then a name, for example "platform.honeyhive.ai/tenant"`},
		{"label with empty name", func(c *PublicEntryConfig) { c.NamespaceSelectorLabel = "platform.honeyhive.ai/" }, `"platform.honeyhive.ai/" is not a Kubernetes label key`},
		{"label with uppercase prefix", func(c *PublicEntryConfig) { c.NamespaceSelectorLabel = "Platform.honeyhive.ai/tenant" }, `"Platform.honeyhive.ai/tenant" is not a Kubernetes label key`},
		{"label with two slashes", func(c *PublicEntryConfig) { c.NamespaceSelectorLabel = "a/b/c" }, `"a/b/c" is not a Kubernetes label key`},
		{"label name of 64 characters", func(c *PublicEntryConfig) { c.NamespaceSelectorLabel = strings.Repeat("a", 64) }, "is not a Kubernetes label key"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := validConfig()
			c.mutate(&cfg)
			assert.ErrorContains(t, cfg.withDefaults().Validate(), c.want)
		})
	}

	assert.NoError(t, validConfig().withDefaults().Validate())
	for _, key := range []string{"tenant", "Tenant_Name.v1", "example.com/public-ingress", strings.Repeat("a", 63)} {
		cfg := validConfig()
		cfg.NamespaceSelectorLabel = key
		assert.NoError(t, cfg.withDefaults().Validate(), key)
	}
	require.Len(t, longDomain(246), 246)
	assert.NoError(t, PublicEntryConfig{Domain: longDomain(246), RegionCode: "usw2", Name: strings.Repeat("a", 56)}.withDefaults().Validate(),
		"names at the limits are valid")
}

func TestNewPublicEntryPanicsOnInvalidConfig(t *testing.T) {
	stack := synthtest.Stack(t)
	assert.PanicsWithError(t,
		`ingress: PublicEntryConfig.RegionCode is empty; set the short region name, for example "usw2"`,
		func() {
			NewPublicEntry(stack, "public_entry", PublicEntryConfig{Domain: "prod.honeyhive.ai", Name: "prod-usw2"})
		})
}

// longDomain returns a valid domain name of exactly n characters, n >= 4,
// made of labels of at most 60 characters.
func longDomain(n int) string {
	domain := "ai"
	for len(domain) < n {
		gap := n - len(domain)
		size := min(gap-1, 60)
		if gap-(size+1) == 1 {
			size-- // a gap of one character cannot hold a label and its dot
		}
		domain = strings.Repeat("a", size) + "." + domain
	}
	return domain
}

// releaseManifests decodes the manifests of a helmrelease.NewManifests
// release.
func releaseManifests(t *testing.T, release map[string]any) []map[string]any {
	t.Helper()
	documents, ok := release["values"].([]any)
	require.True(t, ok, "release has no values list")
	require.Len(t, documents, 1)

	var values struct {
		Manifests []map[string]any `json:"manifests"`
	}
	require.NoError(t, yaml.Unmarshal([]byte(documents[0].(string)), &values))
	return values.Manifests
}

// manifestOfKind returns the one manifest of kind.
func manifestOfKind(t *testing.T, manifests []map[string]any, kind string) map[string]any {
	t.Helper()
	var found []map[string]any
	for _, m := range manifests {
		if m["kind"] == kind {
			found = append(found, m)
		}
	}
	require.Lenf(t, found, 1, "expected one %s manifest", kind)
	return found[0]
}
