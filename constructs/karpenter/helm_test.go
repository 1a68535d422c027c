package karpenter

import (
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/sqsqueue"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"sigs.k8s.io/yaml"

	"github.com/honeyhive/platform/internal/synthtest"
)

// releaseValues decodes the values of a helm_release into out.
func releaseValues(t *testing.T, r map[string]any, out any) {
	t.Helper()
	values := r["values"].([]any)
	require.Len(t, values, 1)
	require.NoError(t, yaml.UnmarshalStrict([]byte(values[0].(string)), out))
}

func TestReleasesPinnedAndOrdered(t *testing.T) {
	stack, helm := testStack(t)
	// A stand-in for the system node group the releases must wait for.
	systemNodes := sqsqueue.NewSqsQueue(stack, jsii.String("system_nodes"), &sqsqueue.SqsQueueConfig{})
	cfg := validConfig(helm)
	cfg.DependsOn = []cdktf.ITerraformDependable{systemNodes}
	New(stack, "karpenter", cfg)
	doc := synthtest.Synth(t, stack)

	crds := doc.Resource(t, "helm_release", "karpenter_crd_release")
	controller := doc.Resource(t, "helm_release", "karpenter_controller_release")

	for name, r := range map[string]map[string]any{"crds": crds, "controller": controller} {
		assert.Equal(t, "oci://public.ecr.aws/karpenter", r["repository"], name)
		assert.Equal(t, "kube-system", r["namespace"], name)
		assert.Equal(t, "helm", r["provider"], name)
		assert.Regexp(t, `^1\.[0-9]+\.[0-9]+$`, r["version"], name)
		assert.Contains(t, stringList(t, r["depends_on"]), "aws_sqs_queue.system_nodes", name)
	}
	assert.Equal(t, "karpenter-crd", crds["chart"])
	assert.Equal(t, "karpenter", controller["chart"])
	assert.Equal(t, crds["version"], controller["version"], "the CRDs must match the controller")

	controllerDeps := stringList(t, controller["depends_on"])
	assert.Contains(t, controllerDeps, "helm_release.karpenter_crd_release")
	assert.Contains(t, controllerDeps, "aws_iam_role_policy.karpenter_controller_policy")
	assert.Contains(t, controllerDeps, "aws_eks_pod_identity_association.karpenter_controller_association")
	assert.Equal(t, true, controller["skip_crds"], "the karpenter-crd release owns the CRDs")
	assert.NotContains(t, crds, "skip_crds")
}

func TestReleasesFollowChartVersion(t *testing.T) {
	stack, helm := testStack(t)
	cfg := validConfig(helm)
	cfg.ChartVersion = "1.6.3"
	New(stack, "karpenter", cfg)
	doc := synthtest.Synth(t, stack)

	for _, name := range []string{"karpenter_crd_release", "karpenter_controller_release"} {
		assert.Equal(t, "1.6.3", doc.Resource(t, "helm_release", name)["version"], name)
	}
}

func TestControllerValues(t *testing.T) {
	doc := synthDefault(t)

	var values chartValues
	releaseValues(t, doc.Resource(t, "helm_release", "karpenter_controller_release"), &values)

	assert.Equal(t, "prod-usw2", values.Settings.ClusterName)
	assert.Equal(t, testClusterEndpoint, values.Settings.ClusterEndpoint)
	assert.Equal(t, "${aws_sqs_queue.karpenter_interruption_queue.name}", values.Settings.InterruptionQueue)

	assert.Equal(t, serviceAccountValues{Create: true, Name: "karpenter"}, values.ServiceAccount)
	assert.Equal(t, 2, values.Replicas)
	assert.Contains(t, values.Tolerations, toleration{Key: "CriticalAddonsOnly", Operator: "Exists"})

	terms := values.Affinity.NodeAffinity.Required.NodeSelectorTerms
	require.Len(t, terms, 1)
	assert.Contains(t, terms[0].MatchExpressions, requirement{Key: "karpenter.sh/nodepool", Operator: "DoesNotExist"},
		"the controller must stay off the nodes it manages")
	assert.Equal(t, []podAffinityTerm{{TopologyKey: "kubernetes.io/hostname"}}, values.Affinity.PodAntiAffinity.Required)

	limits := values.Controller.Resources.Limits
	assert.NotEmpty(t, limits.CPU)
	assert.NotEmpty(t, limits.Memory)
	assert.Equal(t, limits, values.Controller.Resources.Requests, "requests equal limits")
}
