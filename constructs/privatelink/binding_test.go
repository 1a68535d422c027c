package privatelink

import (
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/securitygroup"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/honeyhive/platform/internal/synthtest"
)

// testBindingConfig returns a valid config with literal AWS values, as the
// application layer has when it reads them from the hosting layer's
// outputs.
func testBindingConfig() TargetGroupBindingConfig {
	return TargetGroupBindingConfig{
		Name:                        "control-plane-api",
		Namespace:                   "honeyhive",
		ServiceName:                 "api",
		ServicePort:                 443,
		TargetPort:                  8443,
		TargetGroupARN:              jsii.String("arn:aws:elasticloadbalancing:us-west-2:444455556666:targetgroup/acme-cp-usw2-api-8443/0123456789abcdef"),
		LoadBalancerSecurityGroupID: jsii.String("sg-0123456789abcdef0"),
	}
}

// bindingManifest returns the single manifest of the release at address.
func bindingManifest(t *testing.T, doc synthtest.Document, address string) map[string]any {
	t.Helper()
	values := synthtest.HelmValues(t, doc.Resource(t, "helm_release", address))
	manifests, ok := values["manifests"].([]any)
	require.True(t, ok, "values have no manifests list")
	require.Len(t, manifests, 1)
	manifest, ok := manifests[0].(map[string]any)
	require.True(t, ok, "manifest is not an object")
	return manifest
}

func TestNewTargetGroupBinding(t *testing.T) {
	stack := synthtest.Stack(t)
	svc := NewService(stack, "api_service", testServiceConfig())

	// The load balancer controller release installs the CRD. This test uses
	// a security group in its place.
	controller := securitygroup.NewSecurityGroup(stack, jsii.String("crd_stand_in"), &securitygroup.SecurityGroupConfig{})

	cfg := testBindingConfig()
	cfg.TargetGroupARN = svc.TargetGroupARN
	cfg.LoadBalancerSecurityGroupID = svc.SecurityGroupID
	cfg.DependsOn = []cdktf.ITerraformDependable{controller}
	binding := NewTargetGroupBinding(stack, "api_binding", cfg)
	cdktf.NewTerraformOutput(stack, jsii.String("release_id"), &cdktf.TerraformOutputConfig{Value: binding.Release.Id()})
	doc := synthtest.Synth(t, stack)

	t.Run("release", func(t *testing.T) {
		release := doc.Resource(t, "helm_release", "api_binding_manifests_release")
		assert.Equal(t, "control-plane-api", release["name"])
		assert.Equal(t, "honeyhive", release["namespace"])
		assert.Equal(t, []any{"aws_security_group.crd_stand_in"}, release["depends_on"])
		assert.Equal(t, "${helm_release.api_binding_manifests_release.id}", doc.Outputs()["release_id"]["value"])
	})

	manifest := bindingManifest(t, doc, "api_binding_manifests_release")

	t.Run("object", func(t *testing.T) {
		assert.Equal(t, "elbv2.k8s.aws/v1beta1", manifest["apiVersion"])
		assert.Equal(t, "TargetGroupBinding", manifest["kind"])
		assert.Equal(t, "honeyhive", synthtest.ValueAt(manifest, "metadata.namespace"))
		assert.Equal(t, "control-plane-api-${substr(sha1(aws_lb_target_group.api_service_target_group.arn), 0, 8)}",
			synthtest.ValueAt(manifest, "metadata.name"), "the name follows the target group ARN")
	})

	t.Run("spec", func(t *testing.T) {
		assert.Equal(t, "api", synthtest.ValueAt(manifest, "spec.serviceRef.name"))
		assert.Equal(t, float64(443), synthtest.ValueAt(manifest, "spec.serviceRef.port"))
		assert.Equal(t, serviceTargetGroupRef, synthtest.ValueAt(manifest, "spec.targetGroupARN"))
		assert.Equal(t, "ip", synthtest.ValueAt(manifest, "spec.targetType"))
	})

	t.Run("networking", func(t *testing.T) {
		ingress, ok := synthtest.ValueAt(manifest, "spec.networking.ingress").([]any)
		require.True(t, ok, "spec.networking.ingress is not a list")
		require.Len(t, ingress, 1)
		expected := map[string]any{
			"from":  []any{map[string]any{"securityGroup": map[string]any{"groupID": serviceSecurityGroupRef}}},
			"ports": []any{map[string]any{"protocol": "TCP", "port": float64(8443)}},
		}
		assert.Equal(t, expected, ingress[0], "only the load balancer reaches only the pods' port")
	})
}

func TestNewTargetGroupBindingLiteralValues(t *testing.T) {
	stack := synthtest.Stack(t)
	cfg := testBindingConfig()
	cfg.TargetPort = 0
	NewTargetGroupBinding(stack, "api_binding", cfg)
	doc := synthtest.Synth(t, stack)

	manifest := bindingManifest(t, doc, "api_binding_manifests_release")
	assert.Equal(t, *cfg.TargetGroupARN, synthtest.ValueAt(manifest, "spec.targetGroupARN"))
	ingress := synthtest.ValueAt(manifest, "spec.networking.ingress").([]any)
	assert.Equal(t, []any{map[string]any{"protocol": "TCP", "port": float64(443)}}, ingress[0].(map[string]any)["ports"],
		"the target port defaults to the Service port")
	assert.Equal(t, []any{map[string]any{"securityGroup": map[string]any{"groupID": "sg-0123456789abcdef0"}}}, ingress[0].(map[string]any)["from"])
}

func TestTargetGroupBindingConfigValidate(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(*TargetGroupBindingConfig)
		want   string
	}{
		{"missing name", func(c *TargetGroupBindingConfig) { c.Name = "" }, `TargetGroupBindingConfig.Name: "" is not a valid release name`},
		{"too long name", func(c *TargetGroupBindingConfig) { c.Name = "a23456789-123456789-123456789-123456789-123456789-1234" }, "is not a valid release name; use a lowercase DNS label of at most 53 characters"},
		{"missing namespace", func(c *TargetGroupBindingConfig) { c.Namespace = "" }, "TargetGroupBindingConfig.Namespace"},
		{"Service name starting with a digit", func(c *TargetGroupBindingConfig) { c.ServiceName = "1api" }, `TargetGroupBindingConfig.ServiceName: "1api" is not a valid Service name`},
		{"missing Service port", func(c *TargetGroupBindingConfig) { c.ServicePort = 0 }, "TargetGroupBindingConfig.ServicePort: 0 is not a TCP port"},
		{"bad target port", func(c *TargetGroupBindingConfig) { c.TargetPort = 65536 }, "TargetGroupBindingConfig.TargetPort: 65536 is not a TCP port"},
		{"missing target group", func(c *TargetGroupBindingConfig) { c.TargetGroupARN = nil }, "TargetGroupBindingConfig.TargetGroupARN is missing"},
		{"load balancer ARN as target group", func(c *TargetGroupBindingConfig) {
			c.TargetGroupARN = jsii.String("arn:aws:elasticloadbalancing:us-west-2:444455556666:loadbalancer/net/acme/0123456789abcdef")
		}, "TargetGroupBindingConfig.TargetGroupARN: \"arn:aws:elasticloadbalancing:us-west-2:444455556666:loadbalancer/net/acme/0123456789abcdef\" is invalid"},
		{"missing security group", func(c *TargetGroupBindingConfig) { c.LoadBalancerSecurityGroupID = jsii.String("") }, "TargetGroupBindingConfig.LoadBalancerSecurityGroupID is missing"},
		{"security group name", func(c *TargetGroupBindingConfig) { c.LoadBalancerSecurityGroupID = jsii.String("acme-cp-usw2-api-nlb") }, `LoadBalancerSecurityGroupID: "acme-cp-usw2-api-nlb" is invalid`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := testBindingConfig()
			c.mutate(&cfg)
			err := cfg.withDefaults().Validate()
			assert.ErrorContains(t, err, c.want)
			assert.ErrorContains(t, err, "privatelink: ")
		})
	}

	t.Run("valid", func(t *testing.T) {
		assert.NoError(t, testBindingConfig().withDefaults().Validate())
	})
}
