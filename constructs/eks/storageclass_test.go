package eks

import (
	"testing"

	"github.com/aws/jsii-runtime-go"
	kubernetes "github.com/cdktf/cdktf-provider-kubernetes-go/kubernetes/v11/provider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/honeyhive/platform/internal/synthtest"
)

func TestDefaultStorageClass(t *testing.T) {
	stack := synthtest.Stack(t)
	provider := kubernetes.NewKubernetesProvider(stack, jsii.String("kubernetes"), &kubernetes.KubernetesProviderConfig{})
	nodes := NewNodeGroup(stack, "system_nodes", validNodeGroupConfig())
	class := NewDefaultStorageClass(stack, "storage_class", StorageClassConfig{
		KMSKeyARN: jsii.String(testDataKey),
		Provider:  provider,
		DependsOn: []cdktf.ITerraformDependable{nodes.Resource},
	})
	require.NotNil(t, class)

	doc := synthtest.Synth(t, stack)
	resource := doc.Resource(t, "kubernetes_storage_class_v1", "storage_class_gp3")

	metadata := resource["metadata"].(map[string]any)
	assert.Equal(t, "gp3", metadata["name"])
	assert.Equal(t, map[string]any{"storageclass.kubernetes.io/is-default-class": "true"}, metadata["annotations"])

	assert.Equal(t, "ebs.csi.aws.com", resource["storage_provisioner"])
	assert.Equal(t, map[string]any{"type": "gp3", "encrypted": "true", "kmsKeyId": testDataKey}, resource["parameters"])
	assert.Equal(t, "WaitForFirstConsumer", resource["volume_binding_mode"])
	assert.Equal(t, true, resource["allow_volume_expansion"])
	assert.Equal(t, "Retain", resource["reclaim_policy"], "deleting a claim must keep the data")
	assert.Equal(t, "kubernetes", resource["provider"])
	assert.Equal(t, []any{"aws_eks_node_group.system_nodes_node_group"}, resource["depends_on"])
}

func TestStorageClassConfigValidate(t *testing.T) {
	cases := []struct {
		name string
		cfg  StorageClassConfig
		want string
	}{
		{"missing key", StorageClassConfig{}, "StorageClassConfig.KMSKeyARN is missing"},
		{"key ID instead of ARN", StorageClassConfig{KMSKeyARN: jsii.String("1234abcd-12ab-34cd-56ef-1234567890ab")}, "is not a KMS key ARN"},
		{"nil dependency", StorageClassConfig{KMSKeyARN: jsii.String(testDataKey), DependsOn: []cdktf.ITerraformDependable{nil}}, "StorageClassConfig.DependsOn[0] is nil"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.ErrorContains(t, c.cfg.Validate(), c.want)
		})
	}
	require.NoError(t, StorageClassConfig{KMSKeyARN: jsii.String(testDataKey)}.Validate())
}

func TestNewDefaultStorageClassPanicsOnInvalidConfig(t *testing.T) {
	stack := synthtest.Stack(t)
	assert.Panics(t, func() { NewDefaultStorageClass(stack, "storage_class", StorageClassConfig{}) })
}
