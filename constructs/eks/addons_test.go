package eks

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/honeyhive/platform/internal/synthtest"
)

const testClusterARN = "arn:aws:eks:us-west-2:111122223333:cluster/prod-usw2"

func validAddonsConfig(nodeGroup cdktf.ITerraformDependable) AddonsConfig {
	return AddonsConfig{
		ClusterName:     jsii.String("prod-usw2"),
		ClusterARN:      jsii.String(testClusterARN),
		Version:         "1.33",
		AccountID:       testAccount,
		VolumeKMSKeyARN: jsii.String(testDataKey),
		Name:            "prod-usw2",
		NodeGroup:       nodeGroup,
	}
}

// addonID turns a Kubernetes version into a construct ID suffix.
func addonID(version string) string {
	return "addons_" + strings.ReplaceAll(version, ".", "_")
}

func TestSupportedVersions(t *testing.T) {
	assert.Equal(t, []string{"1.32", "1.33"}, SupportedVersionList())

	exact := regexp.MustCompile(`^v[0-9]+\.[0-9]+\.[0-9]+-eksbuild\.[0-9]+$`)
	for version, addons := range SupportedVersions {
		t.Run(version, func(t *testing.T) {
			for name, pinned := range map[string]string{
				"VPCCNI":           addons.VPCCNI,
				"CoreDNS":          addons.CoreDNS,
				"KubeProxy":        addons.KubeProxy,
				"PodIdentityAgent": addons.PodIdentityAgent,
				"EBSCSIDriver":     addons.EBSCSIDriver,
			} {
				assert.Regexp(t, exact, pinned, "%s must be an exact eksbuild version", name)
			}
			assert.True(t, strings.HasPrefix(addons.KubeProxy, "v"+version+"."), "kube-proxy %s must match Kubernetes %s", addons.KubeProxy, version)
		})
	}
}

func TestCompareMinorVersions(t *testing.T) {
	versions := []string{"1.10", "1.9", "2.0", "1.33"}
	slices.SortFunc(versions, compareMinorVersions)
	assert.Equal(t, []string{"1.9", "1.10", "1.33", "2.0"}, versions)
}

func TestAddons(t *testing.T) {
	stack := synthtest.Stack(t)
	nodes := NewNodeGroup(stack, "system_nodes", validNodeGroupConfig())

	var addons *Addons
	for _, version := range SupportedVersionList() {
		cfg := validAddonsConfig(nodes.Resource)
		cfg.Version = version
		cfg.Name = "prod-usw2-" + strings.ReplaceAll(version, ".", "")
		created := NewAddons(stack, addonID(version), cfg)
		if version == "1.33" {
			addons = created
		}
	}
	require.NotNil(t, addons)

	doc := synthtest.Synth(t, stack)

	t.Run("five add-ons at pinned versions", func(t *testing.T) {
		for _, version := range SupportedVersionList() {
			pinned := SupportedVersions[version]
			want := map[string]struct{ name, version string }{
				"vpc_cni":            {"vpc-cni", pinned.VPCCNI},
				"kube_proxy":         {"kube-proxy", pinned.KubeProxy},
				"pod_identity_agent": {"eks-pod-identity-agent", pinned.PodIdentityAgent},
				"coredns":            {"coredns", pinned.CoreDNS},
				"ebs_csi_driver":     {"aws-ebs-csi-driver", pinned.EBSCSIDriver},
			}
			for id, w := range want {
				addon := doc.Resource(t, "aws_eks_addon", addonID(version)+"_"+id)
				assert.Equal(t, w.name, addon["addon_name"], version+" "+id)
				assert.Equal(t, w.version, addon["addon_version"], version+" "+id)
				assert.Equal(t, "prod-usw2", addon["cluster_name"], version+" "+id)
				assert.Equal(t, "OVERWRITE", addon["resolve_conflicts_on_create"], version+" "+id)
				assert.Equal(t, "OVERWRITE", addon["resolve_conflicts_on_update"], version+" "+id)
				assert.Equal(t, false, addon["preserve"], version+" "+id)
			}
		}
		assert.Len(t, doc.Resources("aws_eks_addon"), 5*len(SupportedVersions))
		assert.Len(t, addons.Addons, 5)
		assert.Contains(t, addons.Addons, "aws-ebs-csi-driver")
	})

	t.Run("Deployments wait for nodes", func(t *testing.T) {
		const nodeGroup = "aws_eks_node_group.system_nodes_node_group"
		coredns := doc.Resource(t, "aws_eks_addon", "addons_1_33_coredns")
		assert.Equal(t, []any{nodeGroup}, coredns["depends_on"])

		ebs := doc.Resource(t, "aws_eks_addon", "addons_1_33_ebs_csi_driver")
		assert.ElementsMatch(t, []any{nodeGroup, "aws_eks_pod_identity_association.addons_1_33_ebs_csi_association"}, ebs["depends_on"])

		for _, id := range []string{"vpc_cni", "kube_proxy", "pod_identity_agent"} {
			addon := doc.Resource(t, "aws_eks_addon", "addons_1_33_"+id)
			assert.NotContains(t, addon, "depends_on", "%s is a DaemonSet and must not wait for nodes", id)
		}
	})

	t.Run("EBS CSI role trust", func(t *testing.T) {
		role := doc.Resource(t, "aws_iam_role", "addons_1_33_ebs_csi_role")
		assert.Equal(t, "prod-usw2-133-ebs-csi-driver", role["name"])
		trust := synthtest.JSON(t, role["assume_role_policy"])
		statement := trust["Statement"].([]any)[0].(map[string]any)
		assert.Equal(t, map[string]any{"Service": []any{"pods.eks.amazonaws.com"}}, statement["Principal"])
		assert.Equal(t, []any{"sts:AssumeRole", "sts:TagSession"}, statement["Action"])
		conditions := statement["Condition"].(map[string]any)
		assert.Equal(t, map[string]any{"aws:SourceAccount": []any{testAccount}}, conditions["StringEquals"])
		assert.Equal(t, map[string]any{"aws:SourceArn": []any{testClusterARN}}, conditions["ArnEquals"])

		association := doc.Resource(t, "aws_eks_pod_identity_association", "addons_1_33_ebs_csi_association")
		assert.Equal(t, "kube-system", association["namespace"])
		assert.Equal(t, "ebs-csi-controller-sa", association["service_account"])
		assert.Equal(t, "${aws_iam_role.addons_1_33_ebs_csi_role.arn}", association["role_arn"])

		managed := doc.Resource(t, "aws_iam_role_policy_attachment", "addons_1_33_ebs_csi_managed_policy_0")
		assert.Equal(t, "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy", managed["policy_arn"])
	})

	t.Run("EBS CSI key policy is scoped", func(t *testing.T) {
		inline := doc.Resource(t, "aws_iam_role_policy", "addons_1_33_ebs_csi_policy")
		policy := synthtest.JSON(t, inline["policy"])
		statements := policy["Statement"].([]any)
		require.NotEmpty(t, statements)

		var actions []any
		for _, s := range statements {
			statement := s.(map[string]any)
			assert.Equal(t, "Allow", statement["Effect"])
			assert.Equal(t, []any{testDataKey}, statement["Resource"], "only the volume key, never *")
			for _, action := range statement["Action"].([]any) {
				assert.NotContains(t, action, "*", "no wildcard actions")
				actions = append(actions, action)
			}
			if statement["Sid"] == "GrantsForVolumes" {
				assert.Equal(t, []any{"kms:CreateGrant"}, statement["Action"])
				assert.Equal(t, map[string]any{"Bool": map[string]any{"kms:GrantIsForAWSResource": []any{"true"}}}, statement["Condition"])
			}
		}
		assert.ElementsMatch(t, []any{
			"kms:CreateGrant", "kms:Decrypt", "kms:Encrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo",
			"kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:DescribeKey",
		}, actions)
	})

	t.Run("outputs are set", func(t *testing.T) {
		assert.NotNil(t, addons.EBSCSIRoleARN)
	})
}

func TestAddonsConfigValidate(t *testing.T) {
	stack := synthtest.Stack(t)
	nodes := NewNodeGroup(stack, "nodes", validNodeGroupConfig())

	cases := []struct {
		name   string
		mutate func(*AddonsConfig)
		want   string
	}{
		{"missing cluster ARN", func(c *AddonsConfig) { c.ClusterARN = nil }, "AddonsConfig.ClusterName and ClusterARN are required"},
		{"unsupported version", func(c *AddonsConfig) { c.Version = "1.31" }, `AddonsConfig.Version: "1.31" is not a supported Kubernetes version; use one of "1.32", "1.33"`},
		{"bad account", func(c *AddonsConfig) { c.AccountID = "" }, `AddonsConfig.AccountID: "" is not a 12-digit AWS account ID`},
		{"missing key", func(c *AddonsConfig) { c.VolumeKMSKeyARN = jsii.String("") }, "AddonsConfig.VolumeKMSKeyARN is missing"},
		{"missing name", func(c *AddonsConfig) { c.Name = "" }, "AddonsConfig.Name is missing"},
		{"name too long", func(c *AddonsConfig) { c.Name = strings.Repeat("n", 50) }, "longer than IAM's 64 characters"},
		{"missing node group", func(c *AddonsConfig) { c.NodeGroup = nil }, "AddonsConfig.NodeGroup is missing"},
		{"unsupported partition", func(c *AddonsConfig) { c.Partition = "aws-iso" }, `AddonsConfig.Partition: "aws-iso" is not supported`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := validAddonsConfig(nodes.Resource)
			c.mutate(&cfg)
			assert.ErrorContains(t, cfg.withDefaults().Validate(), c.want)
		})
	}

	t.Run("valid config", func(t *testing.T) {
		require.NoError(t, validAddonsConfig(nodes.Resource).withDefaults().Validate())
	})
}

func TestNewAddonsPanicsOnInvalidConfig(t *testing.T) {
	stack := synthtest.Stack(t)
	cfg := validAddonsConfig(nil)
	assert.Panics(t, func() { NewAddons(stack, "addons", cfg) })
}

func TestAddonsConfigurationValues(t *testing.T) {
	stack := synthtest.Stack(t)
	nodes := NewNodeGroup(stack, "system_nodes", validNodeGroupConfig())
	NewAddons(stack, "addons", validAddonsConfig(nodes.Resource))
	doc := synthtest.Synth(t, stack)

	t.Run("vpc-cni enforces network policies", func(t *testing.T) {
		cni := doc.Resource(t, "aws_eks_addon", "addons_vpc_cni")
		values := synthtest.JSON(t, cni["configuration_values"])
		assert.Equal(t, map[string]any{"enableNetworkPolicy": "true"}, values, "the add-on schema takes the flag as the string \"true\"")
	})

	t.Run("other add-ons keep their defaults", func(t *testing.T) {
		for _, id := range []string{"kube_proxy", "pod_identity_agent", "coredns", "ebs_csi_driver"} {
			addon := doc.Resource(t, "aws_eks_addon", "addons_"+id)
			assert.NotContains(t, addon, "configuration_values", id)
		}
	})
}
