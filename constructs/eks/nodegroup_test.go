package eks

import (
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/honeyhive/platform/internal/synthtest"
)

func validNodeGroupConfig() NodeGroupConfig {
	return NodeGroupConfig{
		ClusterName:     jsii.String("prod-usw2"),
		Name:            "system",
		Version:         "1.33",
		SubnetIDs:       []*string{jsii.String("subnet-private-a"), jsii.String("subnet-private-b"), jsii.String("subnet-private-c")},
		InstanceTypes:   []string{"m7g.large", "m6g.large"},
		Min:             2,
		Desired:         3,
		Max:             6,
		VolumeKMSKeyARN: jsii.String(testDataKey),
	}
}

func TestNodeGroup(t *testing.T) {
	stack := synthtest.Stack(t)
	nodes := NewNodeGroup(stack, "system_nodes", validNodeGroupConfig())

	x86 := validNodeGroupConfig()
	x86.Name = "tools"
	x86.AMIType = AMITypeAL2023X8664
	x86.InstanceTypes = []string{"m7i.large", "c6a.xlarge"}
	x86.DiskSizeGiB = 100
	x86.Labels = map[string]string{"example.com/team": "tools"}
	x86.NoTaint = true
	NewNodeGroup(stack, "tools_nodes", x86)

	doc := synthtest.Synth(t, stack)
	group := doc.Resource(t, "aws_eks_node_group", "system_nodes_node_group")
	template := doc.Resource(t, "aws_launch_template", "system_nodes_launch_template")

	t.Run("IMDSv2 with hop limit 1", func(t *testing.T) {
		metadata := template["metadata_options"].(map[string]any)
		assert.Equal(t, "required", metadata["http_tokens"])
		assert.Equal(t, float64(1), metadata["http_put_response_hop_limit"])
		assert.Equal(t, "enabled", metadata["http_endpoint"])
	})

	t.Run("root volume encrypted with key", func(t *testing.T) {
		mappings := template["block_device_mappings"].([]any)
		require.Len(t, mappings, 1)
		mapping := mappings[0].(map[string]any)
		assert.Equal(t, "/dev/xvda", mapping["device_name"])
		ebs := mapping["ebs"].(map[string]any)
		assert.Equal(t, "true", ebs["encrypted"])
		assert.Equal(t, testDataKey, ebs["kms_key_id"])
		assert.Equal(t, "gp3", ebs["volume_type"])
		assert.Equal(t, float64(50), ebs["volume_size"], "default size")
		assert.Equal(t, "true", ebs["delete_on_termination"])

		other := doc.Resource(t, "aws_launch_template", "tools_nodes_launch_template")
		otherEBS := other["block_device_mappings"].([]any)[0].(map[string]any)["ebs"].(map[string]any)
		assert.Equal(t, float64(100), otherEBS["volume_size"])
	})

	t.Run("launch template tags and security groups", func(t *testing.T) {
		specs := template["tag_specifications"].([]any)
		types := []any{}
		for _, s := range specs {
			spec := s.(map[string]any)
			types = append(types, spec["resource_type"])
			assert.Equal(t, map[string]any{"Name": "prod-usw2-system"}, spec["tags"])
		}
		assert.ElementsMatch(t, []any{"instance", "volume"}, types)
		assert.NotContains(t, template, "vpc_security_group_ids", "EKS attaches the cluster security group only when none is set")
		assert.NotContains(t, template, "image_id", "the AMI comes from ami_type")
	})

	t.Run("node group uses launch template", func(t *testing.T) {
		assert.Equal(t, map[string]any{
			"id":      "${aws_launch_template.system_nodes_launch_template.id}",
			"version": "${aws_launch_template.system_nodes_launch_template.latest_version}",
		}, group["launch_template"])
		assert.NotContains(t, group, "disk_size", "the launch template sets the disk")
	})

	t.Run("node group settings", func(t *testing.T) {
		assert.Equal(t, "prod-usw2", group["cluster_name"])
		assert.Equal(t, "system", group["node_group_name"])
		assert.Equal(t, "1.33", group["version"])
		assert.Equal(t, "AL2023_ARM_64_STANDARD", group["ami_type"])
		assert.Equal(t, "ON_DEMAND", group["capacity_type"])
		assert.Equal(t, []any{"m7g.large", "m6g.large"}, group["instance_types"])
		assert.Equal(t, []any{"subnet-private-a", "subnet-private-b", "subnet-private-c"}, group["subnet_ids"])
		assert.Equal(t, map[string]any{"min_size": float64(2), "desired_size": float64(3), "max_size": float64(6)}, group["scaling_config"])
		assert.Equal(t, map[string]any{"max_unavailable": float64(1)}, group["update_config"])
		assert.Equal(t, map[string]any{"ignore_changes": []any{"scaling_config[0].desired_size"}}, group["lifecycle"])
	})

	t.Run("default taint and labels", func(t *testing.T) {
		assert.Equal(t, []any{map[string]any{"key": "CriticalAddonsOnly", "value": "true", "effect": "NO_SCHEDULE"}}, group["taint"])
		assert.Equal(t, map[string]any{"platform.honeyhive.ai/pool": "system"}, group["labels"])
	})

	t.Run("custom labels without taint", func(t *testing.T) {
		other := doc.Resource(t, "aws_eks_node_group", "tools_nodes_node_group")
		assert.NotContains(t, other, "taint")
		assert.Equal(t, map[string]any{"example.com/team": "tools"}, other["labels"])
		assert.Equal(t, "AL2023_x86_64_STANDARD", other["ami_type"])
	})

	t.Run("node role", func(t *testing.T) {
		role := doc.Resource(t, "aws_iam_role", "system_nodes_node_role")
		assert.Equal(t, "prod-usw2-system-node", role["name"])
		assert.Equal(t, "${aws_iam_role.system_nodes_node_role.arn}", group["node_role_arn"])

		trust := synthtest.JSON(t, role["assume_role_policy"])
		statement := trust["Statement"].([]any)[0].(map[string]any)
		assert.Equal(t, map[string]any{"Service": []any{"ec2.amazonaws.com"}}, statement["Principal"])
		assert.Equal(t, []any{"sts:AssumeRole"}, statement["Action"])

		want := map[string]string{
			"system_nodes_node_role_worker_policy": "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
			"system_nodes_node_role_ecr_read_only": "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
			"system_nodes_node_role_cni_policy":    "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
		}
		for name, arn := range want {
			attachment := doc.Resource(t, "aws_iam_role_policy_attachment", name)
			assert.Equal(t, arn, attachment["policy_arn"], name)
			assert.Equal(t, "${aws_iam_role.system_nodes_node_role.name}", attachment["role"], name)
			assert.Contains(t, group["depends_on"], "aws_iam_role_policy_attachment."+name, "nodes need the policies to join")
		}
		assert.Len(t, doc.Resources("aws_iam_role_policy_attachment"), 2*len(want), "no other policies per node role")
	})

	t.Run("outputs are set", func(t *testing.T) {
		assert.NotNil(t, nodes.NodeRoleARN)
		assert.NotNil(t, nodes.NodeRoleName)
		assert.NotNil(t, nodes.Resource)
	})
}

func TestInstanceArchitecture(t *testing.T) {
	cases := map[string]string{
		"m7g.large":      "arm64",
		"c6gn.xlarge":    "arm64",
		"r8gd.2xlarge":   "arm64",
		"im4gn.large":    "arm64",
		"t4g.medium":     "arm64",
		"a1.large":       "arm64",
		"m7i.large":      "x86_64",
		"m7i-flex.large": "x86_64",
		"c6a.xlarge":     "x86_64",
		"g5.xlarge":      "x86_64",
		"g4dn.xlarge":    "x86_64",
		"u-6tb1.metal":   "",
		"large":          "",
	}
	for instanceType, want := range cases {
		t.Run(instanceType, func(t *testing.T) {
			assert.Equal(t, want, instanceArchitecture(instanceType))
		})
	}
}

func TestNodeGroupConfigValidate(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(*NodeGroupConfig)
		want   string
	}{
		{"missing cluster", func(c *NodeGroupConfig) { c.ClusterName = nil }, "NodeGroupConfig.ClusterName is missing"},
		{"missing name", func(c *NodeGroupConfig) { c.Name = "" }, "NodeGroupConfig.Name is missing"},
		{"invalid name", func(c *NodeGroupConfig) { c.Name = "system nodes" }, `"system nodes" is not a valid node group name`},
		{"role name too long", func(c *NodeGroupConfig) {
			c.ClusterName = jsii.String("a-cluster-name-of-forty-characters-long1")
			c.Name = "general-purpose-pool"
		}, "longer than IAM's 64 characters"},
		{"unsupported version", func(c *NodeGroupConfig) { c.Version = "1.34" }, `NodeGroupConfig.Version: "1.34" is not a supported Kubernetes version; use one of "1.32", "1.33"`},
		{"no subnets", func(c *NodeGroupConfig) { c.SubnetIDs = nil }, "NodeGroupConfig.SubnetIDs is empty"},
		{"no instance types", func(c *NodeGroupConfig) { c.InstanceTypes = nil }, "NodeGroupConfig.InstanceTypes is empty"},
		{"ARM AMI with x86 instances", func(c *NodeGroupConfig) { c.InstanceTypes = []string{"m7g.large", "m7i.large"} },
			`InstanceTypes[1]: "m7i.large" is an x86_64 instance type, but AMIType "AL2023_ARM_64_STANDARD" runs on arm64`},
		{"x86 AMI with ARM instances", func(c *NodeGroupConfig) { c.AMIType = AMITypeAL2023X8664 },
			`InstanceTypes[0]: "m7g.large" is an arm64 instance type, but AMIType "AL2023_x86_64_STANDARD" runs on x86_64`},
		{"unsupported AMI type", func(c *NodeGroupConfig) { c.AMIType = "BOTTLEROCKET_ARM_64" }, `AMIType: "BOTTLEROCKET_ARM_64" is not supported`},
		{"min above max", func(c *NodeGroupConfig) { c.Min, c.Desired, c.Max = 5, 5, 3 }, "5, 5, 3 are inconsistent; use 1 <= Min <= Desired <= Max"},
		{"desired below min", func(c *NodeGroupConfig) { c.Min, c.Desired, c.Max = 2, 1, 3 }, "2, 1, 3 are inconsistent"},
		{"zero nodes", func(c *NodeGroupConfig) { c.Min, c.Desired, c.Max = 0, 0, 3 }, "0, 0, 3 are inconsistent"},
		{"disk too small", func(c *NodeGroupConfig) { c.DiskSizeGiB = 10 }, "DiskSizeGiB: 10 is out of range; use 20 to 16384 GiB"},
		{"missing key", func(c *NodeGroupConfig) { c.VolumeKMSKeyARN = nil }, "NodeGroupConfig.VolumeKMSKeyARN is missing"},
		{"bad label key", func(c *NodeGroupConfig) { c.Labels = map[string]string{"Example.com/pool": "x"} }, `key "Example.com/pool" is not a valid Kubernetes label key`},
		{"bad label value", func(c *NodeGroupConfig) { c.Labels = map[string]string{"pool": "has space"} }, `value "has space" is not a valid Kubernetes label value`},
		{"Kubernetes taint effect", func(c *NodeGroupConfig) { c.Taint = &Taint{Key: "dedicated", Value: "x", Effect: "NoSchedule"} },
			`Taint.Effect: "NoSchedule" is not a taint effect of the EKS API; use one of NO_SCHEDULE, PREFER_NO_SCHEDULE, NO_EXECUTE`},
		{"taint and no taint", func(c *NodeGroupConfig) { c.Taint, c.NoTaint = &DefaultTaint, true }, "NoTaint is set together with Taint"},
		{"unsupported partition", func(c *NodeGroupConfig) { c.Partition = "aws-cn" }, `NodeGroupConfig.Partition: "aws-cn" is not supported`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := validNodeGroupConfig()
			c.mutate(&cfg)
			assert.ErrorContains(t, cfg.withDefaults().Validate(), c.want)
		})
	}

	t.Run("valid config", func(t *testing.T) {
		require.NoError(t, validNodeGroupConfig().withDefaults().Validate())
	})

	t.Run("defaults", func(t *testing.T) {
		cfg := validNodeGroupConfig().withDefaults()
		assert.Equal(t, 50, cfg.DiskSizeGiB)
		assert.Equal(t, "AL2023_ARM_64_STANDARD", cfg.AMIType)
		assert.Equal(t, &Taint{Key: "CriticalAddonsOnly", Value: "true", Effect: "NO_SCHEDULE"}, cfg.Taint)

		untainted := validNodeGroupConfig()
		untainted.NoTaint = true
		assert.Nil(t, untainted.withDefaults().Taint)
	})
}

func TestNewNodeGroupPanicsOnInvalidConfig(t *testing.T) {
	stack := synthtest.Stack(t)
	cfg := validNodeGroupConfig()
	cfg.Min = 10
	assert.Panics(t, func() { NewNodeGroup(stack, "nodes", cfg) })
}
